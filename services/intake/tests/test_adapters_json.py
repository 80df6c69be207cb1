"""Unit tests of JSON request bodies (R-1, R-4): content types, exact decoding, the canonical hash,
and a big placement's `cases` cut into pieces for the worker processes (pure, no stack)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_intake.adapters.json_body import (canonical_cases_sha256, canonical_rows, canonical_sha256,
                                              check_json_content_type, decode_json, decode_segment,
                                              split_placement_body)
from recoup_intake.rules.errors import MalformedJson, UnsupportedMediaType
from recoup_local.demo import make_placement


def test_decimals_are_exact_and_nan_is_refused():
    body = decode_json(b'{"a": 1234567890123456.78, "b": 0.10000000000000001, "c": 5}')
    assert body == {"a": Decimal("1234567890123456.78"), "b": Decimal("0.10000000000000001"), "c": 5}
    for bad in (b'{"a": NaN}', b'{"a": Infinity}', b"{", b"", b"   ", b"\xff"):
        with pytest.raises(MalformedJson):
            decode_json(bad)
    assert decode_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


def test_canonical_hash_ignores_spacing_and_key_order_only():
    a = decode_json(b'{"x": 1, "y": [1.50, "z"]}')
    b = decode_json(b'{ "y" : [1.50,"z"],\n "x":1 }')
    c = decode_json(b'{"x": 1, "y": [1.5, "z"]}')
    assert canonical_sha256(a) == canonical_sha256(b)
    assert canonical_sha256(a) != canonical_sha256(c)


@pytest.mark.parametrize("ctype", ["application/json", "application/json; charset=utf-8",
                                   "Application/JSON;charset=UTF8", "application/merge-patch+json"])
def test_json_content_types(ctype):
    check_json_content_type(ctype)


@pytest.mark.parametrize("ctype", [None, "", "text/json", "text/plain", "multipart/form-data",
                                   "application/json; charset=gbk"])
def test_other_content_types_are_415(ctype):
    with pytest.raises(UnsupportedMediaType):
        check_json_content_type(ctype)


@given(st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5),
                                                      st.decimals(allow_nan=False, allow_infinity=False)),
                       max_size=6))
def test_canonical_hash_is_independent_of_key_order(d):
    reordered = dict(reversed(list(d.items())))
    assert canonical_sha256(d) == canonical_sha256(reordered)


# --- splitting a body (pure) --------------------------------------------------------------------


def _pieces(raw: bytes, segment_bytes: int) -> tuple[list[Any], list[bytes | None], dict] | None:
    split = split_placement_body(raw, segment_bytes=segment_bytes)
    if split is None:
        return None
    rows, canon = [], []
    for piece in split.segments:
        decoded = decode_segment(piece)
        rows += decoded
        canon.append(canonical_rows(decoded))
    return rows, canon, split.header


@pytest.mark.parametrize("segment_bytes", [1, 500, 5000, 10**9])
@pytest.mark.parametrize("dump", [
    lambda b: orjson.dumps(b),
    lambda b: orjson.dumps(b, option=orjson.OPT_INDENT_2),
    lambda b: b"\xef\xbb\xbf" + orjson.dumps(b),                            # UTF-8 BOM
    lambda b: orjson.dumps(b).replace(b"},{", b"} ,\n\t{") + b"  \n",       # white space anywhere
])
def test_pieces_decode_to_the_cases_and_hash_like_the_whole_body(dump, segment_bytes):
    body = make_placement(25, seed=3, bad_rows=4)
    body["cases"][5]["principal"] = "1234567890123456.78"          # sent as an exact JSON number
    body["cases"][6]["remarks"] = "第一行\n\t\\ \"引号\" \u2028"
    raw = dump(body).replace(b'"1234567890123456.78"', b"1234567890123456.78")
    whole = decode_json(raw)
    rows, canon, header = _pieces(raw, segment_bytes)
    assert rows == whole["cases"] and type(rows[5]["principal"]) is Decimal
    assert canonical_cases_sha256(header, canon) == canonical_sha256(whole)
    if segment_bytes > 10**6:
        assert len(canon) == 1


def test_integers_orjson_cannot_write_leave_the_hash_to_the_whole_body():
    body = make_placement(3, seed=3)
    body["cases"][1]["dpd"] = "BIG"
    raw = orjson.dumps(body).replace(b'"BIG"', b"12345678901234567890123")
    rows, canon, _ = _pieces(raw, 1)
    assert rows == decode_json(raw)["cases"] and canon[1] is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet='ab},{"\\: \n[]x', max_size=12), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=200))
def test_a_cut_never_changes_what_the_cases_are(remarks, segment_bytes):
    """Cuts land between two cases, or the piece does not decode (then the body is decoded
    whole): pieces that decode are exactly the cases."""
    cases = [{"account_ref": f"A{i}", "remarks": r, "phones": [{"number": "1"}, {"account_ref": r}]}
             for i, r in enumerate(remarks)]
    raw = orjson.dumps({"placement_ref": "P", "cases": cases})
    split = split_placement_body(raw, segment_bytes=segment_bytes)
    assert split is not None
    try:
        rows = [row for piece in split.segments for row in decode_segment(piece)]
    except ValueError:
        return
    assert rows == cases


@pytest.mark.parametrize("raw", [
    b'{"cases": [{"a": 1}], "placement_ref": "P"}',     # cases not last
    b'{"cases": []}',                                    # empty
    b'{"cases": {"a": 1}}',                              # not an array
    b'[{"cases": [1]}]',                                 # not an object
    b'{"placement_ref": "P", "cases": [{"a": 1}]',       # truncated
    b'{"placement_ref": "P" "cases": [{"a": 1}]}',       # malformed header
    b'{"cases": [{"a": 1}], "cases": [{"a": 2}]}',       # twice
    b'{"placement_ref": NaN, "cases": [{"a": 1}]}',
])
def test_bodies_that_are_not_simply_header_then_cases_are_decoded_whole(raw):
    split = split_placement_body(raw, segment_bytes=1)
    if split is not None:  # then a piece is not whole cases, and its worker says so
        with pytest.raises(ValueError):
            for piece in split.segments:
                decode_segment(piece)


def _standard_library(raw: bytes) -> Any:
    """What decode_json answered before msgspec decoded first: the standard library's reading."""
    import json
    text = raw.decode("utf-8-sig") if raw[:3] == b"\xef\xbb\xbf" else raw.decode("utf-8")
    return json.loads(text, parse_float=Decimal, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str).map(lambda s: ("NUM", s)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


def _to_json(v: Any) -> str:
    """JSON text with numbers written as given (a ("NUM", text) leaf is the number's own text)."""
    import json
    if isinstance(v, tuple):
        return v[1] if any(c in v[1] for c in ".eE") else v[1] + ".0"
    if isinstance(v, list):
        return "[" + ", ".join(_to_json(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ": " + _to_json(x) for k, x in v.items()) + "}"
    return json.dumps(v, ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(_json_values)
def test_exact_decoding_is_the_standard_library_s(value):
    """R-4: decimals as written (1.10 stays 1.10), integers of any size, the same value and
    types as the standard library decoder; whole bodies and pieces alike."""
    raw = _to_json(value).encode()
    assert repr(decode_json(raw)) == repr(_standard_library(raw))
    assert repr(decode_segment(raw)) == repr([_standard_library(raw)])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40) | st.sampled_from([b'["\\ud800"]', b'{"a":1,"a":2}', b'[1.]', b'\xef\xbb\xbf[1.5]',
                                                  b'["\xed\xa0\x80"]', b'[1E400]', b'["a\tb"]', b'[-0.0, -0]']))
def test_what_one_decoder_refuses_the_other_judges(raw):
    """Anything msgspec refuses is decoded by the standard library, which decides: a value
    exactly as before, or the same 400."""
    try:
        expected: Any = repr(_standard_library(raw))
    except ValueError:
        expected = MalformedJson
    try:
        got: Any = repr(decode_json(raw))
    except MalformedJson:
        got = MalformedJson
    if raw.strip():
        assert got == expected
    else:
        assert got is MalformedJson
