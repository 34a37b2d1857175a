"""Phone numbers normalised for matching a caller to a contact (screen pop).

Pure Python on top of Google's libphonenumber port (``phonenumbers``); no Django here, so the
site's own area code is passed in by the caller.

What a number looks like after normalisation: E.164 (``+861088881234``), whatever way it was
written or arrived from the trunk:

- ``+86 10 8888 1234``, ``010-88881234``, ``(010)88881234``, ``0086 10 88881234``,
  ``86 010 88881234`` and ``01088881234`` are all ``+861088881234`` (country code, trunk prefix
  0 and the area code are understood);
- a mobile number with or without ``+86``/``86``/``0086`` is ``+8613812345678``;
- a local number without its area code (7 or 8 digits, first digit 2–9) gets the site's own area
  code when one is configured, so a caller ``88881234`` on a local trunk matches a contact
  stored as ``010-88881234``. Without a configured area code it is kept as written, so it still
  matches the same local number stored the same way;
- an extension (``转8001``, ``分机 8001``, ``ext 8001``, ``x8001``, ``#8001``, or a trailing
  ``-8001`` after a complete number) is not part of the matching key;
- full-width digits typed with a Chinese input method (``１３８…``) count as digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

DEFAULT_REGION = "CN"
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_TRAILING_DIGITS = re.compile(r"-(\d{1,5})$")
_AREA_CODE = re.compile(r"0\d{2,3}")
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


@dataclass(frozen=True)
class ParsedPhone:
    """A number as understood: its matching key (E.164), extension, and what kind it is."""

    key: str
    extension: str
    valid: bool
    mobile: bool


def is_area_code(value: str) -> bool:
    """A mainland area code with its trunk prefix: ``010``, ``021``, ``0755``."""
    return bool(_AREA_CODE.fullmatch(value))


def _clean(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _split_extension(text: str, region: str) -> tuple[str, str]:
    match = _EXTENSION.search(text)
    if match:
        return text[: match.start()], match.group(1)
    match = _TRAILING_DIGITS.search(text)
    if match:
        whole = _parse(text, region)
        head = _parse(text[: match.start()], region)
        whole_valid = whole is not None and phonenumbers.is_valid_number(whole)
        if head is not None and phonenumbers.is_valid_number(head) and not whole_valid:
            return text[: match.start()], match.group(1)
    return text, ""


def _with_area_code(text: str, area_code: str) -> str:
    digits = re.sub(r"[\s()\-.]", "", text)
    if area_code and digits.isdigit() and len(digits) in (7, 8) and digits[0] in "23456789":
        return area_code + digits
    return text


def parse_phone(raw: str, *, area_code: str = "", region: str = DEFAULT_REGION) -> ParsedPhone:
    """Understand one written or received number; ``key`` is empty when it is no number."""
    text = _clean(raw)
    if not text:
        return ParsedPhone("", "", False, False)
    text, extension = _split_extension(text, region)
    number = _parse(_with_area_code(text, area_code), region)
    if number is None or len(str(number.national_number)) < 3:
        return ParsedPhone("", extension, False, False)
    valid = phonenumbers.is_valid_number(number)
    return ParsedPhone(
        key=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        extension=extension,
        valid=valid,
        mobile=valid and phonenumbers.number_type(number) in _MOBILE_TYPES,
    )


def normalize_phone(raw: str, *, area_code: str = "", region: str = DEFAULT_REGION) -> str:
    """The matching key of a number (E.164), or ``""`` when ``raw`` holds no number."""
    return parse_phone(raw, area_code=area_code, region=region).key
