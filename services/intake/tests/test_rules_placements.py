"""Unit tests of the rules of a placement as a whole (R-1, R-6, R-7): joint debt, accounts twice
to the blind index, re-placement, the import SLA."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from recoup_intake.rules.model import Identified, RowError
from recoup_intake.rules.placements import (import_sla, joint_case_ids, joint_link_records, not_open_elsewhere,
                                            one_per_account_hash)


def _it(case_id: str, id_hash: str) -> Identified:
    return Identified(None, case_id, "e-" + case_id, "a-" + case_id, id_hash, 0)


def test_joint_debt_links_within_the_batch_and_to_stored_cases():
    items = [_it("n1", "h1"), _it("n2", "h2"), _it("n3", "h1")]
    joint = joint_case_ids(items, {"h1": ["old1"], "h9": ["old9"]})
    assert joint == {"n1": ["old1", "n3"], "n3": ["old1", "n1"]}
    rows = joint_link_records(joint, {"n1", "n2", "n3"}, {"n1": "h1", "n2": "h2", "n3": "h1"})
    assert sorted(rows) == sorted([("n1", "old1", "h1"), ("old1", "n1", "h1"), ("n1", "n3", "h1"),
                                   ("n3", "old1", "h1"), ("old1", "n3", "h1"), ("n3", "n1", "h1")])


def test_one_id_number_on_every_row_stays_bounded():
    items = [_it(f"n{i}", "same") for i in range(5000)]
    joint = joint_case_ids(items, {"same": [f"old{i}" for i in range(100)]}, max_links=50)
    assert {len(v) for v in joint.values()} == {50}


def test_an_account_twice_to_the_blind_index_keeps_the_first_row():
    """R-1: "ab12" and "AB12" are one account to the blind index (the rules' duplicate check is
    case-sensitive); across parts of a streamed placement `first_row` remembers the first."""
    items = [Identified(None, "c1", "e1", "acct-x", "h1", 3), Identified(None, "c2", "e2", "acct-y", "h2", 5),
             Identified(None, "c3", "e3", "acct-x", "h3", 8)]
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    kept = one_per_account_hash(items[:2], errors, lambda row: row, first_row)
    kept += one_per_account_hash(items[2:], errors, lambda row: row, first_row)
    assert [it.case_id for it in kept] == ["c1", "c2"]
    assert errors == [RowError(8, "cases[8].account_ref", "duplicate account_ref in this placement (first at row 3)")]


def test_an_account_still_open_elsewhere_is_a_row_error_with_the_placement():
    items = [Identified(None, "c1", "e1", "open-acct", "h1", 12), Identified(None, "c2", "e2", "new-acct", "h2", 13)]
    errors: list[RowError] = []
    kept = not_open_elsewhere(items, {"open-acct": "ZHBANK-2026-10"}, errors, lambda row: row - 10)
    assert [it.case_id for it in kept] == ["c2"]
    assert errors == [RowError(12, "cases[2].account_ref",
                               "account already placed in placement ZHBANK-2026-10 and still open")]
    assert not_open_elsewhere(items, {}, errors, lambda row: row) is items


def test_import_sla_one_hour_target_three_hours_at_most():
    at = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
    sla = import_sla(at, at + timedelta(minutes=59), target_seconds=3600, max_seconds=3 * 3600)
    assert sla == {"import_target_seconds": 3600, "import_max_seconds": 10800,
                   "import_within_target": True, "import_within_max": True}
    late = import_sla(at, at + timedelta(hours=2), target_seconds=3600, max_seconds=3 * 3600)
    assert (late["import_within_target"], late["import_within_max"]) == (False, True)
    assert import_sla(at, at + timedelta(hours=3, seconds=1), target_seconds=3600,
                      max_seconds=3 * 3600)["import_within_max"] is False
