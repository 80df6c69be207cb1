import base64
import os

import pytest
from cryptography.exceptions import InvalidTag

from recoup_shared.crypto import BlindIndex, FieldCipher
from recoup_shared.settings import ServiceSettings


def test_round_trip_and_random_nonce():
    c = FieldCipher({"k1": os.urandom(32)}, "k1")
    a, b = c.encrypt("410105198703150030"), c.encrypt("410105198703150030")
    assert a != b
    assert c.decrypt(a) == "410105198703150030"
    assert c.key_id_of(a) == "k1"


def test_rotation_keeps_old_key_readable():
    k1, k2 = os.urandom(32), os.urandom(32)
    old = FieldCipher({"k1": k1}, "k1").encrypt("secret")
    rotated = FieldCipher({"k2": k2, "k1": k1}, "k2")
    assert rotated.decrypt(old) == "secret"
    assert rotated.key_id_of(rotated.encrypt("x")) == "k2"
    with pytest.raises(ValueError):
        FieldCipher({"k2": k2}, "k2").decrypt(old)


def test_tampering_detected():
    c = FieldCipher({"k1": os.urandom(32)}, "k1")
    blob = bytearray(c.encrypt("secret"))
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        c.decrypt(bytes(blob))


def test_blind_index_normalises_and_separates_kinds():
    bi = BlindIndex(os.urandom(32))
    assert bi("id", "41010519870315003x") == bi("id", "41010519870315003X")
    assert bi("phone", "138-0013-8000") == bi("phone", "13800138000")
    assert bi("id", "123456") != bi("card", "123456")
    assert bi("id", None) is None


def test_production_refuses_local_keys():
    with pytest.raises(ValueError, match="RECOUP_DATA_KEYS"):
        ServiceSettings(profile="production", kafka_allow_plaintext=True)
    key = base64.b64encode(os.urandom(32)).decode()
    s = ServiceSettings(profile="production", data_keys=f"p1:{key}", blind_index_key=key,
                        jwt_jwks_url="https://idp.example/jwks", kafka_allow_plaintext=True)
    assert s.active_data_key_id == "p1"


# --- the fast blind index is HMAC-SHA256 (RFC 2104), whatever the key length ----------------
import hashlib  # noqa: E402
import hmac  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from recoup_shared.crypto import Protector, normalise_identifier  # noqa: E402


@settings(max_examples=200)
@given(key=st.binary(min_size=32, max_size=100), kind=st.sampled_from(["card", "id", "phone"]),
       value=st.text(min_size=1, max_size=40))
def test_blind_index_is_hmac_sha256_of_the_normalised_value(key, kind, value):
    expected = hmac.new(key, kind.encode() + b"\x00" + normalise_identifier(value).encode(),
                        hashlib.sha256).hexdigest()
    assert BlindIndex(key)(kind, value) == expected


def test_protector_lookups_canonicalise_like_import():
    p = Protector.from_settings(ServiceSettings())
    assert p.lookup_phone_hash("+86 138-0013-8000") == p.phone_hash("13800138000")
    assert p.lookup_phone_hash("0371-6543 2100") == p.phone_hash("037165432100")
    assert p.lookup_id_hash("410105 19870315 0030") == p.id_hash("410105198703150030")
    assert p.lookup_card_hash("6222 0202 0011 2233 446") == p.card_hash("6222020200112233446")
    assert p.lookup_id_hash("not an id") is None


def test_protector_seals_per_row_and_pickles():
    import pickle

    p = Protector.from_settings(ServiceSettings())
    blob = p.seal("case-1", {"id_number": "410105198703150030"})
    assert p.open("case-1", blob) == {"id_number": "410105198703150030"}
    with pytest.raises(InvalidTag):
        p.open("case-2", blob)  # a ciphertext cannot move to another row
    clone = pickle.loads(pickle.dumps(p))
    assert clone.phone_hash("13800138000") == p.phone_hash("13800138000")
