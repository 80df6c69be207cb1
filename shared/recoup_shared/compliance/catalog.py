"""Every rule id the engine can answer with, its reference and its group — the stable, machine-readable
vocabulary of refusals (services store them, the console translates them, quality inspection counts
them per collector, R-48). Adding a rule means adding it here; ids are never renamed.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import Role
from .model import Group

# R-45 role names (the same words as the tokens' roles).
ROLES: tuple[str, ...] = tuple(r.value for r in Role)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    ref: str
    group: Group
    what: str


REGF_FREQUENCY = "12 CFR 1006.14(b)(2)(i)"
REGF_WINDOW = "12 CFR 1006.6(b)(1)(i)"

RULES: dict[str, RuleInfo] = {
    "window.outside": RuleInfo("R-14", Group.WINDOW, "outside the calling window in the debtor's local time"),
    "cap.effective_calls_per_day": RuleInfo("R-15", Group.CAP, "connected calls per case per debtor-local day"),
    "cap.call_attempts_per_day": RuleInfo("R-15", Group.CAP, "call attempts per case per debtor-local day"),
    "cap.visits_per_day": RuleInfo("R-15", Group.CAP, "field visits per case per debtor-local day"),
    "cap.sms_per_day": RuleInfo("R-15", Group.CAP, "text messages per case per debtor-local day"),
    "cap.calls_per_contact_point_per_day": RuleInfo(
        "R-15", Group.CAP, "call attempts to one phone number per debtor-local day"),
    "cap.calls_per_contact_person_per_day": RuleInfo(
        "R-15", Group.CAP, "call attempts to one contact person per debtor-local day"),
    "interval.min_between_calls": RuleInfo("R-15", Group.INTERVAL, "minimum time between two call attempts"),
    "special_population.call_interval": RuleInfo(
        "R-16", Group.SPECIAL_POPULATION, "special population: one call every N debtor-local days"),
    "special_population.visits_per_week": RuleInfo(
        "R-16", Group.SPECIAL_POPULATION, "special population: one visit per N debtor-local days"),
    "special_population.visit_agents": RuleInfo(
        "R-16", Group.VISIT, "special population: at most N agents on a visit"),
    "visit.min_agents": RuleInfo("R-36", Group.VISIT, "field agents work in teams of at least N"),
    "visit.workplace_non_working_day": RuleInfo(
        "R-36", Group.VISIT, "workplace visits only on working days"),
    "hold.dispute": RuleInfo("R-17", Group.HOLD, "the debt or amount is disputed: collection stopped"),
    "hold.fraud_claim": RuleInfo("R-17", Group.HOLD, "fraud / identity theft claimed: collection stopped"),
    "hold.stolen_card": RuleInfo("R-17", Group.HOLD, "card reported stolen: collection stopped"),
    "hold.do_not_contact": RuleInfo("R-17", Group.HOLD, "the client flagged the case do-not-contact"),
    "hold.serious_complaint": RuleInfo("R-47", Group.HOLD, "serious complaint: case paused"),
    "hold.deceased_pending_evidence": RuleInfo(
        "R-22", Group.HOLD, "debtor reported deceased: paused until evidence is judged"),
    "third_party.do_not_call": RuleInfo("R-18", Group.THIRD_PARTY, "the contact person asked not to be called"),
    "regf.seven_in_seven": RuleInfo(
        REGF_FREQUENCY + "(A)", Group.REGF, "more than N calls to a person within N consecutive days"),
    "regf.after_conversation": RuleInfo(
        REGF_FREQUENCY + "(B)", Group.REGF, "a call within N days after a telephone conversation"),
}

# Notices: not refusals, shown on the dial screen.
NOTICES: dict[str, RuleInfo] = {
    "third_party.no_disclosure": RuleInfo(
        "R-18", Group.THIRD_PARTY, "this contact person does not know of the debt: say nothing about it"),
    "exemption.applied": RuleInfo("R-15", Group.CAP, "the debtor's own request exempts this contact"),
    "exemption.not_applicable": RuleInfo("R-15", Group.CAP, "the exemption claimed does not apply"),
    "zone.sources_disagree": RuleInfo("R-14", Group.WINDOW, "the case's locations disagree"),
}

# Hold kinds: who may lift each by default (R-17: resume only on the client's instruction; R-47 a
# serious complaint pauses the case at the client's request; R-22 deceased needs evidence).
HOLD_LIFT_ROLES: dict[str, tuple[str, ...]] = {
    "dispute": ("client",),
    "fraud_claim": ("client",),
    "stolen_card": ("client",),
    "do_not_contact": ("client",),
    "serious_complaint": ("supervisor", "client"),
    "deceased_pending_evidence": ("supervisor", "client"),
}
HOLD_KINDS: tuple[str, ...] = tuple(HOLD_LIFT_ROLES)

SPECIAL_POPULATION_KINDS: tuple[str, ...] = ("serious_illness", "hardship", "pregnancy", "client_flag")
