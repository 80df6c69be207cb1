"""Batch maths (R-33): the preview and the dispatch order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from recoup_letters.rules import ClientLetterConfig, SkipReason, numbered, plan_case, preview
from recoup_local.letters_samples import address, case, debtor, many_cases

TODAY = date(2026, 11, 25)


def test_preview_counts_by_type_mail_class_and_province():
    cases = [
        case("c1", addresses=(address("a", n=0),)),                                   # 河南 registered notice
        case("c2", addresses=(address("a", n=1),), outstanding=Decimal("50000")),    # 广东 express notice
        case("c3", addresses=(address("a", "d1", "work", n=1),)),                    # 广东 call-back notice
        case("c4", addresses=()),                                                     # no address
        case("c5", status="recalled"),
    ]
    items = []
    for c in cases:
        plan = plan_case(c, [], ClientLetterConfig(), TODAY)
        items += [*plan.letters, *plan.skipped]
    p = preview(iter(items))
    assert p.total == 3
    assert p.by_type == {"notice": 2, "callback_notice": 1}
    assert p.by_mail_class == {"registered": 2, "express": 1}
    assert p.by_province == {"广东省": 2, "河南省": 1}
    assert p.by_type_and_class == {"callback_notice": {"registered": 1}, "notice": {"express": 1, "registered": 1}}
    assert p.skipped_by_reason == {"blocked:recalled": 1, SkipReason.NO_ADDRESS.value: 1}
    assert p.callback_replacements == 1 and p.resends == 0


def test_dispatch_order_registered_then_express_by_postcode_and_numbered_from_one():
    letters = [l for c in many_cases(40, TODAY) for l in plan_case(c, [], ClientLetterConfig(), TODAY).letters]
    assert len(letters) > 20
    seq = list(numbered(reversed(letters)))
    assert [n for n, _ in seq] == list(range(1, len(letters) + 1))
    keys = [(l.mail_class != "registered", l.address.postcode) for _, l in seq]
    assert keys == sorted(keys)
    assert [l for _, l in numbered(letters)] == [l for _, l in seq]          # the input order does not matter


def test_preview_of_a_guarantor_copy_counts_two_letters():
    from recoup_letters.rules import LetterType, Party, PartyRole

    g = Party("g", "王芳", PartyRole.GUARANTOR, jointly_liable=True)
    c = case(parties=(debtor(), g), addresses=(address("a1"), address("ga", "g", n=2)))
    plan = plan_case(c, [], ClientLetterConfig(guarantor_types=frozenset({LetterType.NOTICE})), TODAY)
    assert preview(plan.letters).by_province == {"北京市": 1, "河南省": 1}
