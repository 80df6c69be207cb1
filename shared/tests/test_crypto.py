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
