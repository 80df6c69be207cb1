"""GET /v1/worklist (R-24) and GET /v1/me/home (seeds 4.4.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from recoup_shared.errors import Forbidden, UnprocessableInput, problem_responses
from recoup_shared.paging import decode_cursor
from recoup_shared.vocabulary import DPD_BUCKETS, ContactStatus

from ..schemas import cases as s
from ..usecases import worklist as uc
from ..views.worklist import Filter
from .deps import CaseReader, Context, ReadConn

router = APIRouter(tags=["worklist"])

_ID = r"^[A-Za-z0-9_.:\-]+$"


def _cursor(cursor: str | None) -> list | None:
    after = decode_cursor(cursor)
    if after is not None and not (isinstance(after, list) and len(after) == 2 and all(isinstance(x, str) for x in after)):
        raise UnprocessableInput("invalid cursor", errors=[{"field": "cursor", "reason": "not a worklist cursor"}])
    return after


class WorklistQuery(BaseModel):
    """The worklist's filters, sorts and paging: validated in one go (R-24)."""

    model_config = ConfigDict(extra="forbid")

    scope: Literal["own", "team", "all"] = "own"
    collector_id: str | None = Field(default=None, max_length=64, pattern=_ID)
    team_id: str | None = Field(default=None, max_length=64, pattern=_ID)
    status: list[ContactStatus] = Field(default_factory=list, max_length=20)
    due_today: bool = False
    overdue: bool = False
    never_contacted: bool = False
    ptp_due: bool = False
    amount_min: Decimal | None = Field(default=None, ge=0, le=10**12, max_digits=18, decimal_places=2)
    amount_max: Decimal | None = Field(default=None, ge=0, le=10**12, max_digits=18, decimal_places=2)
    dpd_bucket: list[Literal[DPD_BUCKETS]] = Field(default_factory=list, max_length=10)
    client_id: str | None = Field(default=None, max_length=64, pattern=_ID)
    flag: list[Literal["complaint_history", "dispute", "fraud_claim", "stolen_card", "do_not_contact",
                       "special_population"]] = Field(default_factory=list, max_length=6)
    recall_within: int | None = Field(default=None, ge=0, le=365, description="recall date within N days")
    sort: Literal["follow_up", "amount", "effective"] = "follow_up"
    totals: bool = Field(default=True, description="counts and sums of the filter (skip them when paging on)")
    callable: bool = Field(default=True, description="each row: may the debtor be called now, else when (the gate)")
    cursor: str | None = Field(default=None, max_length=2048, description="opaque: the previous page's next_cursor")
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/v1/worklist", response_model=s.WorklistPage, responses=problem_responses(Forbidden),
            summary="A collector's own list, a team lead's team, a manager's all (R-24)")
async def worklist(conn: ReadConn, ctx: Context, who: CaseReader, q: Annotated[WorklistQuery, Query()]) -> dict:
    f = Filter(statuses=[x.value for x in q.status], due_today=q.due_today, overdue=q.overdue,
               never_contacted=q.never_contacted, ptp_due=q.ptp_due, amount_min=q.amount_min,
               amount_max=q.amount_max, buckets=list(q.dpd_bucket), client_id=q.client_id, flags=list(q.flag),
               recall_within=q.recall_within)
    cmd = uc.WorklistCmd(scope=q.scope, collector_id=q.collector_id, team_id=q.team_id, filter=f, sort=q.sort,
                         after=_cursor(q.cursor), limit=min(q.limit, ctx.settings.worklist_max_limit),
                         totals=q.totals, callable=q.callable)
    return await uc.worklist(conn, ctx, who, cmd)


@router.get("/v1/me/home", response_model=s.Home, responses=problem_responses(Forbidden),
            summary="The collector's home: recovered amounts of the last months, today's due list")
async def home(conn: ReadConn, ctx: Context, who: CaseReader,
               collector_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None) -> dict:
    return await uc.home(conn, ctx, who, collector_id)

