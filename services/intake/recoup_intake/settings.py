"""IntakeSettings: the bottom floor — every value typed, with a local default (RECOUP_<FIELD>) —
and the role sets of intake's routes (R-45, R-46)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import Role

# who may read full ID/card/phone/address values (each read audit-logged).
REVEAL_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.DATA_SPECIALIST)
# Who may read a client's placements through the staff door (?client_id=); a client system reads
# its own.
PLACEMENT_READERS = (Role.ADMIN, Role.SUPERVISOR, Role.DATA_SPECIALIST, Role.AUDITOR, Role.TEAM_LEAD,
                     Role.FINANCE)
# templates are agency configuration, written by these roles.
TEMPLATE_WRITERS = (Role.ADMIN, Role.DATA_SPECIALIST)
AUDIT_READERS = (Role.AUDITOR, Role.ADMIN)


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup_intake"

    # Size limits (issue 2 §3: at least 100,000 cases per request). Over the limit -> 413.
    max_cases_per_placement: int = Field(default=200_000, ge=1)
    max_repayments_per_request: int = Field(default=1_000_000, ge=1)
    max_updates_per_request: int = Field(default=200_000, ge=1)
    max_recall_accounts: int = Field(default=200_000, ge=1)
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, ge=1)

    # a placement is imported within 1 hour of arrival, 3 hours at most.
    import_sla_target_seconds: int = 3600
    import_sla_max_seconds: int = 3 * 3600
    # contracts.md: recall_on defaults to placed_on + 3 months.
    default_placement_months: int = 3
    # A repayment dated later than now + this tolerance is a row error (clock skew allowance).
    repayment_future_tolerance_seconds: int = 24 * 3600

    # Encryption and event building run off the event loop in chunks of this many cases, each
    # chunk's COPY overlapping the preparation of the next.
    prepare_chunk_size: int = Field(default=10_000, ge=1)
    # Worker processes for big placements (validation, encryption, rows, events: pure Python, one
    # core per process); 0 = everything in the service process. Placements of fewer cases than
    # parallel_min_cases stay in the service process (a worker thread).
    placement_workers: int = Field(default=2, ge=0)
    parallel_min_cases: int = Field(default=5_000, ge=1)
    # A JSON body of at least parallel_min_bytes is cut into pieces of about split_segment_bytes
    # that the workers decode themselves (the service never holds the decoded cases).
    parallel_min_bytes: int = Field(default=4 * 1024 * 1024, ge=1)
    split_segment_bytes: int = Field(default=4 * 1024 * 1024, ge=1)
    # a placement's still-open cases are recalled on its recall date. A recall day that
    # is not a working day: recalled on the day, or on the next working day (the client's contract;
    # RECOUP_RECALL_NON_WORKING_DAY_BY_CLIENT='{"bank-a": "next_working_day"}').
    recall_non_working_day: Literal["on_day", "next_working_day"] = "on_day"
    recall_non_working_day_by_client: dict[str, Literal["on_day", "next_working_day"]] = {}
    recall_check_seconds: float = Field(default=600.0, gt=0)   # the job looks this often
    recall_job: bool = True

    def recall_day_rule(self, client_id: str) -> str:
        return self.recall_non_working_day_by_client.get(client_id, self.recall_non_working_day)

    # at most this many other cases listed per case (events and joint_debt_links).
    max_joint_links: int = Field(default=50, ge=1)

    # Uploads are read in a bounded worker process (issue 14): its address space and time; a file
    # beyond them is a 422 for that upload. An XLSX is judged by its real content first: the grid
    # a reader allocates (rows × columns of the cells holding values), its columns, the bytes its
    # parts really unpack to and their ratio to the packed size (zip bombs).
    upload_worker: bool = True               # False: read in a thread of the service (tests only)
    upload_worker_memory_bytes: int = Field(default=3 << 30, ge=256 << 20)
    upload_worker_seconds: float = Field(default=300.0, gt=0)
    upload_max_cells: int = Field(default=10_000_000, ge=1)
    upload_max_columns: int = Field(default=1024, ge=1)
    upload_max_unzipped_bytes: int = Field(default=1 << 30, ge=1)
    upload_max_part_ratio: int = Field(default=200, ge=1)
