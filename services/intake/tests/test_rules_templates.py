"""Unit tests of import templates (R-3): field paths, the template's own validation."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from recoup_intake.rules.templates import (EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_COLUMNS, ImportTemplate,
                                           iter_template_fields, parse_field_path)

from .test_adapters_spreadsheets import minimal


# --- templates ---------------------------------------------------------------------------------
def test_example_template_maps_the_usual_chinese_headers():
    assert set(EXAMPLE_TEMPLATE_COLUMNS) >= {"姓名", "身份证号", "卡号", "委案金额", "本金", "利息", "费用", "逾期天数",
                                              "手机号码", "家庭电话", "单位电话", "联系人1姓名", "联系人1关系",
                                              "联系人1电话", "户籍地址", "单位名称", "备注"}
    assert EXAMPLE_TEMPLATE.spec_for(" 身份证号 ").path == "debtor.id_number"
    # round-trips through JSON (templates are stored as configuration)
    again = ImportTemplate.model_validate_json(EXAMPLE_TEMPLATE.model_dump_json())
    assert again == EXAMPLE_TEMPLATE and again.spec_for("卡号").path == "account_ref"


def test_every_documented_field_path_parses():
    for path in iter_template_fields():
        parse_field_path(path.replace("[N]", "[1]").replace("<name>", "申请号"))


@pytest.mark.parametrize("columns, message", [
    (minimal(x="debtor.nmae"), "unknown field path 'debtor.nmae'"),
    (minimal(x="phones[cell]"), "unknown phone kind 'cell'"),
    (minimal(x="contacts[0].name"), "contact number"),
    (minimal(x="contacts[1].email"), "unknown contact field 'email'"),
    (minimal(x="addresses[office].line"), "unknown address kind 'office'"),
    (minimal(x="addresses[home].street"), "unknown address field 'street'"),
    (minimal(x="flags[vip]"), "unknown flag 'vip'"),
    (minimal(x="debtor.name"), "fed by several columns"),
    ({"卡号": "account_ref"}, "must map debtor.name"),
    (minimal(**{" 卡 号 ": "remarks"}), "same after normalisation"),
    ({}, "at least one header"),
])
def test_template_validator_refuses_bad_mappings(columns, message):
    with pytest.raises(ValidationError) as e:
        ImportTemplate(client_id="c", name="n", columns=columns)
    assert message in str(e.value)


def test_template_validator_checks_conversions():
    with pytest.raises(ValidationError, match="must be M or F"):
        ImportTemplate(client_id="c", name="n", columns=minimal(性别="debtor.gender"),
                       conversions={"debtor.gender": {"values": {"男": "male"}}})
    with pytest.raises(ValidationError, match="must be true or false"):
        ImportTemplate(client_id="c", name="n", columns=minimal(知情="contacts[1].knows_debt"),
                       conversions={"contacts[1].knows_debt": {"values": {"是": "yes"}}})
    with pytest.raises(ValidationError, match="must be one of"):
        ImportTemplate(client_id="c", name="n", columns=minimal(标记="flags"),
                       conversions={"flags": {"values": {"VIP": "vip"}}})
    with pytest.raises(ValidationError, match="not mapped by any column"):
        ImportTemplate(client_id="c", name="n", columns=minimal(), conversions={"overdue_since": {}})
    with pytest.raises(ValidationError, match="no % directive"):
        ImportTemplate(client_id="c", name="n", columns=minimal(), conversions={"dpd": {"date_formats": ["YYYY"]}})
    with pytest.raises(ValidationError, match="unknown encoding"):
        ImportTemplate(client_id="c", name="n", columns=minimal(), encoding="klingon")
