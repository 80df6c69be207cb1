"""The streaming multipart reader of evidence uploads: fields first, then the file's bytes as they
arrive, whatever the chunking; malformed forms are 422 naming the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recoup_fieldops.adapters.multipart import MAX_FIELD_BYTES, MultipartForm
from recoup_fieldops.rules.errors import InvalidEvidence

BOUNDARY = "----recoup7MA4YWxkTrZu0gW"
CTYPE = f"multipart/form-data; boundary={BOUNDARY}"


def body(fields: dict[str, str], file: bytes | None, *, extra_file: bool = False,
         filename: str = "门牌.jpg") -> bytes:
    out = b""
    for k, v in fields.items():
        out += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n").encode() + \
            v.encode() + b"\r\n"
    for _ in range(2 if extra_file else (1 if file is not None else 0)):
        out += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{filename}\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + (file or b"") + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


async def chunks(data: bytes, cuts: list[int]):
    last = 0
    for c in sorted(set(cuts)) + [len(data)]:
        if last < c <= len(data):
            yield data[last:c]
            last = c


async def read(data: bytes, cuts: list[int] = ()) -> tuple[dict, str, str, bytes]:
    form = MultipartForm(chunks(data, list(cuts)), CTYPE)
    head = await form.head()
    content = b"".join([c async for c in form.file()])
    return head.fields, head.filename, head.content_type, content


PHOTO = bytes(range(256)) * 40 + b"\r\n--not-the-boundary\r\n" + b"\xff" * 500


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, len(body({"kind": "door_plate_photo", "sha256": "a" * 64}, PHOTO))),
                max_size=12))
async def test_any_chunking_gives_the_same_form(cuts):
    data = body({"kind": "door_plate_photo", "sha256": "a" * 64}, PHOTO)
    fields, filename, ctype, content = await read(data, cuts)
    assert fields == {"kind": "door_plate_photo", "sha256": "a" * 64}
    assert (filename, ctype, content) == ("门牌.jpg", "image/jpeg", PHOTO)


async def test_the_file_is_not_read_before_it_is_asked_for():
    data = body({"kind": "audio", "sha256": "b" * 64}, b"x" * 100_000)
    pulled = []

    async def stream():
        for i in range(0, len(data), 1000):
            pulled.append(i)
            yield data[i:i + 1000]
    form = MultipartForm(stream(), CTYPE)
    await form.head()
    assert len(pulled) == 1                                   # fields and file headers in chunk one
    assert len(b"".join([c async for c in form.file()])) == 100_000


@pytest.mark.parametrize("data, ctype, field", [
    (body({"kind": "video"}, None), CTYPE, "file"),                                  # no file
    (body({}, b"abc", extra_file=True), CTYPE, "file"),                              # two files
    (body({"kind": "v" * (MAX_FIELD_BYTES + 1)}, b"abc"), CTYPE, "kind"),            # a huge field
    (body({"kind": "audio"}, b"abc"), "application/json", "content-type"),
    (body({"kind": "audio"}, b"abc")[:-60], CTYPE, "file"),                          # cut short
])
async def test_malformed_forms_are_422(data, ctype, field):
    with pytest.raises(InvalidEvidence) as err:
        form = MultipartForm(chunks(data, [7, 300]), ctype)
        await form.head()
        [c async for c in form.file()]
    assert err.value.status == 422 and err.value.errors[0]["field"] == field
