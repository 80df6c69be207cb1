"""Request and response models of the allocation staff API, by area (never imported by rules/ or
usecases/). Money is Decimal (JSON string out), never float; timestamps are timezone-aware."""

from .cases import (
    CaseDetail, CaseOut, CasePage, CollectorLoadOut, HistoryEntry, OwnerAt, PauseIn, ResumeIn,
    SlaReport, SlaRow, TeamLoadOut,
)
from .plans import (
    BalanceOut, CaseFilter, CaseReason, CollectorFigures, CollectorFilter, CommitOut, ManualIn,
    PlanItemOut, PlanItemsPage, PlanListItem, PlanOut, PreviewIn, RotationPreviewIn,
)
from .staff import (
    ClientRulesIn, ClientRulesOut, CollectorIn, CollectorOut, CollectorPatch, TeamIn, TeamOut, TeamPatch,
)

__all__ = [
    "BalanceOut", "CaseDetail", "CaseFilter", "CaseOut", "CasePage", "CaseReason", "ClientRulesIn",
    "ClientRulesOut", "CollectorFigures", "CollectorFilter", "CollectorIn", "CollectorLoadOut",
    "CollectorOut", "CollectorPatch", "CommitOut", "HistoryEntry", "ManualIn", "OwnerAt", "PauseIn",
    "PlanItemOut", "PlanItemsPage", "PlanListItem", "PlanOut", "PreviewIn", "ResumeIn",
    "RotationPreviewIn", "SlaReport", "SlaRow", "TeamIn", "TeamLoadOut", "TeamOut", "TeamPatch",
]
