"""GET /v1/worklist (R-24) and GET /v1/me/home (seeds 4.4.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from recoup_shared.errors import Forbidden, UnprocessableInput, problem_responses
from recoup_shared.paging import Cursor, decode_cursor
from recoup_shared.vocabulary import DPD_BUCKETS, ContactStatus

from ..schemas import cases as s
from ..usecases import worklist as uc
from ..views.worklist import Filter
from .deps import CaseReader, Conn, Context

router = APIRouter(tags=["worklist"])

_ID = r"^[A-Za-z0-9_.:\-]+$"


def _cursor(cursor: str | None) -> list | None:
    after = decode_cursor(cursor)
    if after is not None and not (isinstance(after, list) and len(after) == 2 and all(isinstance(x, str) for x in after)):
        raise UnprocessableInput("invalid cursor", errors=[{"field": "cursor", "reason": "not a worklist cursor"}])
    return after


@router.get("/v1/worklist", response_model=s.WorklistPage, responses=problem_responses(Forbidden),
            summary="A collector's own list, a team lead's team, a manager's all (R-24)")
async def worklist(
    conn: Conn, ctx: Context, who: CaseReader,
    scope: Literal["own", "team", "all"] = "own",
    collector_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
    team_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
    status: Annotated[list[ContactStatus], Query(max_length=20)] = [],  # noqa: B006 - FastAPI query list
    due_today: bool = False, overdue: bool = False, never_contacted: bool = False, ptp_due: bool = False,
    amount_min: Annotated[Decimal | None, Query(ge=0, le=10**12, max_digits=18, decimal_places=2)] = None,
    amount_max: Annotated[Decimal | None, Query(ge=0, le=10**12, max_digits=18, decimal_places=2)] = None,
    dpd_bucket: Annotated[list[Literal[DPD_BUCKETS]], Query(max_length=10)] = [],  # noqa: B006
    client_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
    flag: Annotated[list[Literal["complaint_history", "dispute", "fraud_claim", "stolen_card", "do_not_contact",
                                 "special_population"]], Query(max_length=6)] = [],  # noqa: B006
    recall_within: Annotated[int | None, Query(ge=0, le=365, description="recall date within N days")] = None,
    sort: Literal["follow_up", "amount", "effective"] = "follow_up",
    totals: bool = True,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict:
    f = Filter(statuses=[x.value for x in status], due_today=due_today, overdue=overdue,
               never_contacted=never_contacted, ptp_due=ptp_due, amount_min=amount_min, amount_max=amount_max,
               buckets=list(dpd_bucket), client_id=client_id, flags=list(flag), recall_within=recall_within)
    cmd = uc.WorklistCmd(scope=scope, collector_id=collector_id, team_id=team_id, filter=f, sort=sort,
                         after=_cursor(cursor), limit=min(limit, ctx.settings.worklist_max_limit), totals=totals)
    return await uc.worklist(conn, ctx, who, cmd)


@router.get("/v1/me/home", response_model=s.Home, responses=problem_responses(Forbidden),
            summary="The collector's home: recovered amounts of the last months, today's due list")
async def home(conn: Conn, ctx: Context, who: CaseReader,
               collector_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None) -> dict:
    return await uc.home(conn, ctx, who, collector_id)

