"""Identity numbers and phone numbers (R-4, R-25): pure, fast, no I/O — one parser for every
service, so intake's blind index and contact's inbound lookup canonicalise a number alike.

ID numbers (居民身份证号码, GB 11643-1999):
- 18 characters: 6-digit region code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male,
  even = female), check character from the ISO 7064 MOD 11-2 checksum (`0-9` or `X`).
- 15 digits (first-generation cards, issued until 2004 and still found in old bank records): region,
  YYMMDD birth date of the 1900s, 3-digit sequence, no checksum. Accepted, and converted to the
  18-character form (century 19 inserted, check character computed) for matching (R-7).
- Region: a Chinese province code (11..65), 71 (Taiwan), 81/82/83 (residence permits of Hong Kong,
  Macau and Taiwan residents, same layout and checksum), and 9 + province code (2023 foreigners'
  permanent residence card, same layout and checksum). The county part is not checked against a
  list: codes are re-assigned over time and a stale list would reject genuine numbers.
`stdnum.cn.ric` is not used: it knows only the 18-character form and rejects numbers whose county
code is missing from its bundled list.

Phones: the canonical form is the national *dialling* form, digits only, no country code —
mobiles `13800138000`, landlines trunk-0 + area code + subscriber `037165432100` (Beijing
`01065432100`) — because that is what the dialler and the collectors use in China. An extension
(`0371-65432100-801`, `…转801`) is kept separately. Validity comes from the `phonenumbers` CN
metadata (mobile and fixed-line patterns), compiled once: `phonenumbers.parse` per number would be
~20 µs, too slow for 100,000-case placements.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from operator import mul

import phonenumbers

# ---------------------------------------------------------------------------------------------
# ID numbers
# ---------------------------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15",                      # 北京 天津 河北 山西 内蒙古
    "21", "22", "23",                                  # 辽宁 吉林 黑龙江
    "31", "32", "33", "34", "35", "36", "37",          # 上海 江苏 浙江 安徽 福建 江西 山东
    "41", "42", "43", "44", "45", "46",                # 河南 湖北 湖南 广东 广西 海南
    "50", "51", "52", "53", "54",                      # 重庆 四川 贵州 云南 西藏
    "61", "62", "63", "64", "65",                      # 陕西 甘肃 青海 宁夏 新疆
    "71",                                              # 台湾
    "81", "82", "83",                                  # 港澳台居民居住证
})
MIN_BIRTH_YEAR = 1900

_ID18_RE = re.compile(r"\d{17}[\dX]")
_ID15_RE = re.compile(r"\d{15}")
# Separators people type inside ID numbers; removing them alters nothing.
_ID_STRIP = str.maketrans("", "", " -\u00a0\u3000\t")


@dataclass(slots=True)
class IdNumber:
    """A valid ID number. `given` is the number as given (trimmed, NFKC, upper-case X); `id18` is
    the 18-character form (== given for 18-character numbers)."""

    given: str
    id18: str
    birth_date: date
    gender: str  # "M" | "F"

    @property
    def is_old_form(self) -> bool:
        return len(self.given) == 15


class IdNumberError(ValueError):
    """The reason an ID number is invalid (no digits of the number in the message: it is logged)."""


_WEIGHTED_ZERO = 48 * sum(ID_WEIGHTS)  # what the ASCII codes of "0" add to the weighted sum


def id_check_char(first17: str) -> str:
    """GB 11643 check character of the first 17 digits (ASCII digits)."""
    total = sum(map(mul, ID_WEIGHTS, first17[:17].encode("ascii"))) - _WEIGHTED_ZERO
    return ID_CHECK_CHARS[total % 11]


def normalise_id_number(value: str) -> str:
    """Trim, fold full-width characters (NFKC), drop spaces/dashes inside, upper-case the x."""
    if value.isascii():
        if value.isalnum():                      # the common case, fast
            return value.upper() if "x" in value else value
    else:
        value = unicodedata.normalize("NFKC", value)
    return value.translate(_ID_STRIP).upper()


def _region_ok(number: str) -> bool:
    if number[0] == "9":  # 2023 foreigners' permanent residence card: 9 + province code
        return number[1:3] in PROVINCE_CODES
    return number[:2] in PROVINCE_CODES


def _birth(year: int, month: int, day: int, today: date | None) -> date:
    try:
        born = date(year, month, day)
    except ValueError:
        raise IdNumberError("ID number holds an impossible birth date") from None
    if year < MIN_BIRTH_YEAR:
        raise IdNumberError(f"ID number holds a birth date before {MIN_BIRTH_YEAR}")
    if today is not None and born > today:
        raise IdNumberError("ID number holds a birth date in the future")
    return born


def parse_id_number(value: str, *, today: date | None = None) -> IdNumber:
    """Validate an ID number (18-character or old 15-digit form); raise IdNumberError."""
    number = normalise_id_number(value)
    n = len(number)
    if n == 18:
        if _ID18_RE.fullmatch(number) is None:
            raise IdNumberError("ID number must be 17 digits followed by a digit or X")
        if not _region_ok(number):
            raise IdNumberError("ID number starts with an unknown region code")
        born = _birth(int(number[6:10]), int(number[10:12]), int(number[12:14]), today)
        if id_check_char(number) != number[17]:
            raise IdNumberError("ID number checksum is wrong (GB 11643)")
        return IdNumber(number, number, born, "M" if (ord(number[16]) - 48) & 1 else "F")
    if n == 15:
        if _ID15_RE.fullmatch(number) is None:
            raise IdNumberError("a 15-character ID number must be all digits")
        if not _region_ok(number):
            raise IdNumberError("ID number starts with an unknown region code")
        born = _birth(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), today)
        first17 = number[:6] + "19" + number[6:]
        return IdNumber(number, first17 + id_check_char(first17), born,
                        "M" if (ord(number[14]) - 48) & 1 else "F")
    raise IdNumberError(f"ID number must have 18 characters (or 15 digits for the old form), got {n}")


def id15_to_id18(number15: str) -> str:
    """Convert a first-generation 15-digit ID number to the 18-character form."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + id_check_char(first17)


def make_id_number(region: str, birth: date, seq: int, gender: str | None = None) -> str:
    """Build a valid 18-character ID number (tests, demo data).

    `region` is the 6-digit region code, `seq` 0..999 the sequence (its parity is forced to match
    `gender` "M"/"F" when given: odd = male, even = female)."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be 6 digits")
    seq %= 1000
    if gender is not None:
        want_odd = gender == "M"
        if (seq % 2 == 1) != want_odd:
            seq = seq + 1 if seq < 999 else seq - 1
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def make_id15(region: str, birth: date, seq: int) -> str:
    """Build a first-generation 15-digit ID number (birth in the 1900s)."""
    if not 1900 <= birth.year <= 1999:
        raise ValueError("15-digit ID numbers only hold 1900s birth dates")
    return f"{region}{birth:%y%m%d}{seq % 1000:03d}"


# ---------------------------------------------------------------------------------------------
# Account (card) numbers
# ---------------------------------------------------------------------------------------------

_ACCOUNT_STRIP = str.maketrans("", "", " -\u00a0\u3000\t")
_WS = " \t\r\n\u00a0\u3000\ufeff"


def normalise_account_ref(value: str) -> str:
    """Fold full-width characters, drop the separators people type inside card numbers."""
    if value.isascii() and value.isalnum():      # the common case, fast
        return value
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return value.translate(_ACCOUNT_STRIP).strip(_WS)


# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------

_CN = phonenumbers.PhoneMetadata.metadata_for_region("CN")
# Full-match patterns on the national significant number (digits after the trunk 0).
_MOBILE_RE = re.compile(_CN.mobile.national_number_pattern)
_FIXED_RE = re.compile(_CN.fixed_line.national_number_pattern)
_SIMPLE_MOBILE_RE = re.compile(r"1\d{10}")
_PLAIN_LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}")
# What people put inside phone numbers: spaces, dashes, dots, brackets around area codes.
_PHONE_STRIP = str.maketrans("", "", " -.()\u00a0\u3000\t/")
_EXT_SPLIT_RE = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_DASH_EXT_RE = re.compile(r"^(.*\d)\s*-\s*(\d{1,6})$")


@dataclass(slots=True)
class Phone:
    number: str           # canonical national dialling form, digits only
    extension: str | None
    is_mobile: bool


class PhoneError(ValueError):
    pass


def looks_like_mobile(value: str) -> bool:
    """Cheap guess (templates use it to pick a contact phone's kind)."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    digits = value.translate(_PHONE_STRIP)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return _SIMPLE_MOBILE_RE.fullmatch(digits) is not None


def _canonical(digits: str, international: bool) -> tuple[str, bool] | None:
    """digits (separators and country code removed) -> (canonical, is_mobile), or None."""
    if international and digits[:1] != "0":
        if _MOBILE_RE.fullmatch(digits):
            return digits, True
        digits = "0" + digits                      # +86 371 ... / +86 10 ... carry no trunk 0
    first = digits[:1]
    if first == "1":
        return (digits, True) if _MOBILE_RE.fullmatch(digits) else None
    if first == "0":
        nsn = digits[1:]
        if nsn[:1] == "1" and len(nsn) == 11:      # a mobile written with a trunk 0
            return (nsn, True) if _MOBILE_RE.fullmatch(nsn) else None
        return (digits, False) if _FIXED_RE.fullmatch(nsn) else None
    return None


def _split_country(digits: str) -> tuple[str, bool]:
    if digits.startswith("+"):
        if not digits.startswith("+86"):
            raise PhoneError("only Chinese (+86) phone numbers are accepted")
        return digits[3:], True
    if digits.startswith("0086"):
        return digits[4:], True
    if len(digits) == 13 and digits.startswith("861"):
        return digits[2:], True
    return digits, False


def parse_phone(value: str) -> Phone:
    """Normalise and validate a Chinese phone number; raise PhoneError.

    Accepts separators (spaces, dashes, dots, brackets), a `+86` / `0086` / `86` prefix, full-width
    characters, and an extension (`转801`, `ext 801`, `#801`, or `-801` after a complete landline).
    The reason never contains the number (reasons end up in logs)."""
    if value.isascii():                        # the common cases, fast
        if len(value) == 11 and value.isdigit() and _MOBILE_RE.fullmatch(value):
            return Phone(value, None, True)
        if _PLAIN_LANDLINE_RE.fullmatch(value):
            nsn = value[1:].replace("-", "")
            if (nsn[0] != "1" or len(nsn) != 11) and _FIXED_RE.fullmatch(nsn):
                return Phone("0" + nsn, None, False)
    s = value.strip()
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).strip()
    if not s:
        raise PhoneError("phone number is empty")
    ext = None
    m = _EXT_SPLIT_RE.search(s)
    if m is not None:
        ext = m.group(1)
        s = s[: m.start()]
    digits, international = _split_country(s.translate(_PHONE_STRIP))
    if not (digits.isdigit() and digits.isascii()):
        raise PhoneError("phone number contains characters other than digits")
    got = _canonical(digits, international)
    if got is None and ext is None and "-" in s:
        # 0371-65432100-801: the last dash group may be an extension of a landline
        m = _DASH_EXT_RE.match(s)
        if m is not None:
            head, international = _split_country(m.group(1).translate(_PHONE_STRIP))
            if head.isdigit():
                got = _canonical(head, international)
                if got is not None and not got[1]:
                    ext = m.group(2)
                else:
                    got = None
    if got is None:
        if international:
            raise PhoneError("not a valid Chinese phone number")
        if digits[:1] == "1":
            raise PhoneError("not a valid Chinese mobile number (11 digits, 13x-19x)")
        if digits[:1] == "0":
            raise PhoneError("not a valid Chinese landline (area code + subscriber number)")
        if 7 <= len(digits) <= 8:
            raise PhoneError("landline without area code")
        raise PhoneError("not a valid Chinese phone number")
    return Phone(got[0], ext, got[1])
