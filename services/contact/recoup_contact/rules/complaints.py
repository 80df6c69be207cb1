"""R-47 complaints: grade minor / general / serious, and what each grade sets in motion.

Grading follows seeds 004 (第三部分): the grade depends on whether the complainant's dissatisfaction
could be calmed; if it could not and the client (the lender) pursues it further, the complaint is
serious. Complaints through a regulator, the police or the media, and allegations of what R-18
forbids outright (threats, violence, impersonating authorities, telling third parties about the
debt), are serious whatever else happened — a client would pursue those in any case.

What follows (decisions beside R-47's "a serious complaint escalates to the supervisor the same day
and pauses the case if the client requests"):
- minor: recorded; the case carries the complaint_history flag; collection continues;
- general: the team lead reviews it by the next working day; collection continues;
- serious: the supervisor has it the same day (by the end of the day in the agency's zone); the
  case is held — no dials, no letters, no visits — until a supervisor releases it; the case is
  paused in allocation too if the client's policy asks for that; the client is told.
A complaint that disputes the debt itself is also a dispute (R-17): status DISPUTE.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import Field
from recoup_shared.vocabulary import Role

from .model import DEFAULT_ZONE, Calendar, ConfigModel, ContactStatus, local_time

__all__ = [
    "ComplaintGrade",
    "ComplaintChannel",
    "Allegation",
    "ComplaintFacts",
    "ComplaintPolicy",
    "ComplaintDecision",
    "SERIOUS_ALLEGATIONS",
    "grade_complaint",
    "complaint_decision",
]


class ComplaintGrade(StrEnum):
    MINOR = "minor"       # 轻微投诉
    GENERAL = "general"   # 一般投诉
    SERIOUS = "serious"   # 严重投诉


class ComplaintChannel(StrEnum):
    DEBTOR = "debtor"            # the debtor or family, to the collector / agency
    CLIENT = "client"            # through the bank's own complaint line
    REGULATOR = "regulator"      # e.g. the financial regulator's hotline
    POLICE = "police"
    MEDIA = "media"


class Allegation(StrEnum):
    RUDENESS = "rudeness"                          # tone, pressure
    INSULT = "insult"                              # 侮辱, 谩骂
    THREAT = "threat"                              # 恐吓, threats of violence
    VIOLENCE = "violence"
    IMPERSONATION = "impersonation"                # posing as police, court or bank
    THIRD_PARTY_DISCLOSURE = "third_party_disclosure"   # debt told to someone who did not know
    OUT_OF_HOURS = "out_of_hours"
    TOO_FREQUENT = "too_frequent"
    UNAUTHORISED_WAIVER = "unauthorised_waiver"
    PAYMENT_TO_COLLECTOR = "payment_to_collector"
    DEBT_DISPUTED = "debt_disputed"
    OTHER = "other"


SERIOUS_ALLEGATIONS = frozenset({Allegation.THREAT, Allegation.VIOLENCE, Allegation.IMPERSONATION,
                                 Allegation.THIRD_PARTY_DISCLOSURE, Allegation.PAYMENT_TO_COLLECTOR})
_ESCALATED_CHANNELS = frozenset({ComplaintChannel.REGULATOR, ComplaintChannel.POLICE, ComplaintChannel.MEDIA})


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    channel: ComplaintChannel
    allegations: frozenset[Allegation]
    calmed: bool                      # the complainant's dissatisfaction was resolved by appeasement
    client_pursues: bool = False      # the client asks for accountability (追责)


class ComplaintPolicy(ConfigModel):
    """Per client: whether a serious complaint also pauses the case in allocation (R-47)."""

    pause_on_serious: bool = False
    general_review_working_days: int = Field(default=1, ge=0, le=5)


@dataclass(frozen=True, slots=True)
class ComplaintDecision:
    grade: ComplaintGrade
    escalate_to: Role | None          # who must have it: the team lead or the supervisor
    escalate_by: datetime | None      # deadline for that role to have it
    hold_case: bool                   # no collection until a supervisor releases the case
    request_pause: bool               # ask allocation to pause the case
    notify_client: bool
    status: ContactStatus | None             # DISPUTE when the debt itself is disputed; None: unchanged
    flag: str = "complaint_history"   # the case flag (contracts.md vocabulary)


def grade_complaint(facts: ComplaintFacts) -> ComplaintGrade:
    """R-47 grade (seeds 004: 能否成功平息不满; 安抚无效后贷款机构仍需追责 → 严重)."""
    if facts.channel in _ESCALATED_CHANNELS or facts.allegations & SERIOUS_ALLEGATIONS:
        return ComplaintGrade.SERIOUS
    if not facts.calmed and (facts.client_pursues or facts.channel is ComplaintChannel.CLIENT):
        return ComplaintGrade.SERIOUS
    if not facts.calmed or facts.channel is ComplaintChannel.CLIENT:
        return ComplaintGrade.GENERAL
    return ComplaintGrade.MINOR


_END_OF_DAY = time(23, 59, 59)


def _end_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    return datetime.combine(local_time(now, zone).date(), _END_OF_DAY, tzinfo=zone)


def complaint_decision(facts: ComplaintFacts, *, now: datetime, policy: ComplaintPolicy, calendar: Calendar,
                       zone: ZoneInfo = DEFAULT_ZONE) -> ComplaintDecision:
    """R-47: grade the complaint and decide what it triggers (see the module docstring)."""
    grade = grade_complaint(facts)
    status = ContactStatus.DISPUTE if Allegation.DEBT_DISPUTED in facts.allegations else None
    if grade is ComplaintGrade.SERIOUS:
        return ComplaintDecision(grade, Role.SUPERVISOR, _end_of_day(now, zone), hold_case=True,
                                 request_pause=policy.pause_on_serious, notify_client=True, status=status)
    if grade is ComplaintGrade.GENERAL:
        due: date = calendar.add_working_days(local_time(now, zone).date(), policy.general_review_working_days)
        by = datetime.combine(due, _END_OF_DAY, tzinfo=zone)
        return ComplaintDecision(grade, Role.TEAM_LEAD, by, hold_case=False, request_pause=False,
                                 notify_client=status is not None, status=status)
    return ComplaintDecision(grade, None, None, hold_case=False, request_pause=False,
                             notify_client=status is not None, status=status)
