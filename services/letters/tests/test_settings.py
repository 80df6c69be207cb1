"""Production refuses what would lose letters or send texts nowhere: the recording SMS provider, a
file store that is not shared by the replicas; the deployment's own values are accepted."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from recoup_letters.settings import LettersSettings

KEYS = {"data_keys": "prod-1:" + "A" * 43 + "=", "blind_index_key": "B" * 43 + "=",
        "jwt_jwks_url": "https://sso.example/certs", "kafka_allow_plaintext": True}
DEPLOYED = {"files_backend": "s3", "files_s3_bucket": "recoup-letters", "sms_provider": "aliyun",
            "aliyun_access_key_id": "id", "aliyun_access_key_secret": "secret"}


def test_production_needs_a_shared_file_store_and_a_real_sms_provider():
    LettersSettings(profile="production", **KEYS, **DEPLOYED)
    for change, what in (({"sms_provider": "recording"}, "recording SMS provider"),
                         ({"files_backend": "local"}, "shared by the replicas"),
                         ({"files_s3_bucket": None}, "FILES_S3_BUCKET"),
                         ({"aliyun_access_key_secret": None}, "ALIYUN")):
        with pytest.raises(ValidationError, match=what):
            LettersSettings(profile="production", **KEYS, **{**DEPLOYED, **change})
    LettersSettings(profile="production", **KEYS, **{**DEPLOYED, "files_backend": "local",
                                                    "storage_dir": "/mnt/letters"})


def test_every_number_is_bounded():
    for field, value in (("letters_per_file", 0), ("pdf_workers", 99), ("planning_hour", 24),
                         ("max_letters_per_batch", 10**7), ("reply_days", 0)):
        with pytest.raises(ValidationError):
            LettersSettings(**{field: value})
