"""The domain's words, once: roles, client flags, DPD buckets, case statuses, R-22 contact statuses.

Every service, event payload and API schema takes its vocabulary from here, so a flag added for
one client is known to all six services at once (contracts.md lists the same words).
"""

from __future__ import annotations

from enum import StrEnum



class Role(StrEnum):
    """R-45: every employee has a personal account with one or more of these roles."""
    COLLECTOR = "collector"
    TEAM_LEAD = "team_lead"
    SUPERVISOR = "supervisor"
    FIELD_AGENT = "field_agent"
    LETTERS_CLERK = "letters_clerk"
    DATA_SPECIALIST = "data_specialist"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"
    CLIENT = "client"  # a client's (bank's) system, bound to one client_id


STAFF_ROLES = frozenset(Role) - {Role.CLIENT}
MANAGER_ROLES = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN})


class ClientFlag(StrEnum):
    """Special flags a client sets on a case (R-2, R-17; contracts.md `flags`)."""
    COMPLAINT_HISTORY = "complaint_history"
    DISPUTE = "dispute"
    FRAUD_CLAIM = "fraud_claim"
    STOLEN_CARD = "stolen_card"
    DO_NOT_CONTACT = "do_not_contact"
    SPECIAL_POPULATION = "special_population"   # seriously ill / hardship / pregnant


CLIENT_FLAGS: tuple[str, ...] = tuple(f.value for f in ClientFlag)
# collection stops while one of these is set (resumes only on the client's instruction).
COLLECTION_STOP_FLAGS: tuple[str, ...] = (ClientFlag.DISPUTE, ClientFlag.FRAUD_CLAIM,
                                          ClientFlag.STOLEN_CARD, ClientFlag.DO_NOT_CONTACT)


class CaseStatus(StrEnum):
    """A case's status at the client's side (intake's word; events carry it)."""
    OPEN = "open"
    RECALLED = "recalled"   # 退案
    CLOSED = "closed"       # 闭案 / 结清


TERMINAL_CASE_STATUSES: tuple[str, ...] = (CaseStatus.RECALLED, CaseStatus.CLOSED)


class ContactStatus(StrEnum):
    """R-22: the status a case gets after contact; it sets the next follow-up date."""
    PTP = "PTP"
    PTP_INSTALMENT = "PTP_INSTALMENT"
    BROKEN_PTP = "BROKEN_PTP"
    REACHABLE_SELF = "REACHABLE_SELF"
    REACHABLE_THIRD_PARTY = "REACHABLE_THIRD_PARTY"
    NO_ANSWER = "NO_ANSWER"
    LOST_CONTACT = "LOST_CONTACT"
    SKIP_TRACE = "SKIP_TRACE"
    FOUND = "FOUND"
    DECEASED = "DECEASED"
    INCARCERATED = "INCARCERATED"
    FRAUD_CLAIM = "FRAUD_CLAIM"
    DISPUTE = "DISPUTE"
    NIGHT_FOLLOW_UP = "NIGHT_FOLLOW_UP"
    URGENT = "URGENT"
    FIELD_VISIT_REQUESTED = "FIELD_VISIT_REQUESTED"
    FIELD_VISIT_DONE = "FIELD_VISIT_DONE"


# DPD buckets in domain.md's words: M1 1-30, M2 31-60, ... M6+ 180+ (M0: not yet past due).
DPD_BUCKETS: tuple[str, ...] = ("M0", "M1", "M2", "M3", "M4", "M5", "M6+")


def dpd_bucket(dpd: int) -> str:
    if dpd <= 0:
        return "M0"
    month = (dpd - 1) // 30 + 1
    return f"M{month}" if month < 6 else "M6+"
