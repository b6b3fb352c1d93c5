"""Exact numbers in, rounded numbers out only for display — and the ONE reader of numbers.

Every figure a user types — a `metrics.yaml` value, a CSV or workbook cell, a
scenario override, a `--vary` range, a CLI argument — goes through
`parse_decimal`, so a figure accepted in one place is accepted everywhere with
the same value. The grammar is deliberately narrow (ASCII digits only; the
Vietnamese decimal comma "99,9"; thousands grouped with dots "1.234.567,5" or
spaces "1 234,5"; an optional exponent "2.5e3") and bounded: at most
`MAX_INTEGER_DIGITS` digits before the decimal mark and `MAX_DECIMALS` after it,
so no input can make the program build `10**huge` (a hang) or overflow the
engine's 64-bit integer columns. Points are carried as `Fraction`s; rounding
happens only in `display`.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Sequence

# The limits (docs/limits.md). 10**13 is far above anything a commune counts (dossiers, VND of budget
# revenue are below 10**12) and keeps products of numerators and denominators inside int64.
MAX_INTEGER_DIGITS = 13
MAX_DECIMALS = 6
MAX_TEXT = 64  # characters of a number as written; longer text is refused before any parsing

_SEP = "[ \u00a0\u202f]"  # a space, a no-break space, a narrow no-break space (what Excel and Word insert)
_EXP = r"(?:[eE][+-]?\d{1,9})?"
_PLAIN = re.compile(rf"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+){_EXP}", re.ASCII)
# Vietnamese thousands grouping: "1.234.567" or "1.234,5". A lone "2.997" stays a decimal point:
# it is how a dot-decimal figure is written, and reading it as 2997 would silently inflate a value.
_VI_GROUPED = re.compile(r"[+-]?\d{1,3}(?:(?:\.\d{3}){2,}(?:,\d+)?|\.\d{3},\d+)", re.ASCII)
_SPACE_GROUPED = re.compile(rf"[+-]?\d{{1,3}}(?:{_SEP}\d{{3}})+(?:[.,]\d+)?", re.ASCII)
_FRACTION = re.compile(r"\s*([+-]?\d{1,15})\s*/\s*(\d{1,15})\s*", re.ASCII)
_PERCENT = re.compile(rf"{_SEP}?%$")


class NotANumber(ValueError):
    """Raised with the offending text; callers turn it into a located error.

    `code` is the message code that says why: not a number at all, too large, or too precise.
    """

    def __init__(self, value: Any, code: str = "bad_number") -> None:
        super().__init__(value)
        self.code = code
        self.params: dict[str, Any] = {"value": str(value)[:80]}
        if code == "number_too_large":
            self.params["limit"] = f"10^{MAX_INTEGER_DIGITS}"
        elif code == "number_too_precise":
            self.params["limit"] = MAX_DECIMALS


def _bounded(result: Decimal, original: Any) -> Decimal:
    """`result` if finite and inside the limits; checked on the exponent, never by expanding the number."""
    if not result.is_finite():
        raise NotANumber(original)
    if result.is_zero():
        return Decimal(0)
    if result.adjusted() >= MAX_INTEGER_DIGITS:
        raise NotANumber(original, "number_too_large")
    # Decimals counted from the digits and exponent as written: `normalize()` would apply the context's
    # Emin and turn 4e-10444448 into 0 — then accepted, and later expanded into 10**10444448 (fuzz finding).
    _sign, digits, written = result.as_tuple()
    assert isinstance(written, int)  # finite, checked above
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    exponent = written + trailing
    if -exponent > MAX_DECIMALS:
        raise NotANumber(original, "number_too_precise")
    if -written > MAX_DECIMALS:  # "1.500000000000": only zeros beyond the limit; drop them, exactly
        return result.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    if exponent > 0:
        return Decimal(int(result))  # "1e3" is 1000, written out (within the limit, so this is cheap)
    return result


def _from_text(value: str, percent: bool) -> Decimal:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise NotANumber(value, "number_too_large" if re.fullmatch(r"[+-]?[\d.,]+", text, re.ASCII) else "bad_number")
    if percent:
        text = _PERCENT.sub("", text)
    if _VI_GROUPED.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif _SPACE_GROUPED.fullmatch(text):
        text = re.sub(_SEP, "", text).replace(",", ".")
    elif _PLAIN.fullmatch(text) and not text.lstrip("+-").startswith(("e", "E")):
        text = text.replace(",", ".")
    else:
        raise NotANumber(value)
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the grammar above only lets Decimal syntax through
        raise NotANumber(value) from None


def parse_decimal(value: Any, *, percent: bool = False) -> Decimal:
    """A Decimal from a YAML/CSV/Excel/CLI value, accepting the decimal comma.

    `percent=True` also accepts a trailing "%" (a rate written as "97,5 %"); elsewhere a "%" is refused
    rather than silently dropped. Raises NotANumber (with its `code`) for text that is not a number,
    NaN/infinity, Unicode digits, and values outside the limits.
    """
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if abs(value).bit_length() > 4 * MAX_INTEGER_DIGITS:  # cheap pre-check before str() of a huge int
            raise NotANumber("…" if abs(value).bit_length() > 256 else value, "number_too_large")
        result = Decimal(value)
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise NotANumber(value)
        result = Decimal(repr(value))  # the shortest text that round-trips, not the binary expansion
    elif isinstance(value, str):
        result = _from_text(value, percent)
    else:  # a Fraction, a date, a list…: not a figure a user writes
        raise NotANumber(value)
    return _bounded(result, value)


def is_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, str):
        return value.strip().lower() in ("nan", ".nan")
    return False


def fraction(value: Any, *, percent: bool = False) -> Fraction:
    """An exact Fraction from a number or numeric text; "p/q" text is read exactly (within the same limits)."""
    if isinstance(value, Fraction):
        if abs(value) >= 10 ** MAX_INTEGER_DIGITS or value.denominator > 10 ** 15:
            raise NotANumber(value, "number_too_large")
        return value
    if isinstance(value, str) and "/" in value:
        m = _FRACTION.fullmatch(value)
        if not m or int(m.group(2)) == 0:
            raise NotANumber(value)
        result = Fraction(int(m.group(1)), int(m.group(2)))
        if abs(result) >= 10 ** MAX_INTEGER_DIGITS:
            raise NotANumber(value, "number_too_large")
        return result
    return Fraction(parse_decimal(value, percent=percent))


def exact_sum(nums: Sequence[int], dens: Sequence[int]) -> Fraction:
    """Σ nums[k] / dens[k], exactly: the integers summed over one common denominator, one Fraction made at the end.
    Adding Fractions one by one (a gcd each time) over every leaf of every commune was most of grading a country."""
    if not nums:
        return Fraction(0)
    common = math.lcm(*dens)
    return Fraction(sum(n * (common // d) for n, d in zip(nums, dens)), common)


def display(value: Fraction | Decimal | int, decimals: int = 2, lang: str = "en") -> str:
    """Round half-up to `decimals` places; Vietnamese output uses the decimal comma."""
    q = Decimal(1).scaleb(-decimals)
    frac = Fraction(value)
    d = (Decimal(frac.numerator) / Decimal(frac.denominator)).quantize(q, rounding=ROUND_HALF_UP) \
        if frac.denominator != 1 else Decimal(frac.numerator).quantize(q)
    text = f"{d:.{decimals}f}"
    if text.startswith("-") and d == 0:
        text = text[1:]
    return text.replace(".", ",") if lang == "vi" else text


def exact_text(value: Fraction) -> str:
    """The exact value as text: a terminating decimal, or "p/q" when it does not terminate."""
    value = Fraction(value)
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    d = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(d.normalize(), "f")
    return text


def percent_text(num: int, den: int, decimals: int = 2, lang: str = "en") -> str:
    return display(Fraction(100 * num, den), decimals, lang) + "%" if den else "—"


def grouped(n: int, lang: str = "vi") -> str:
    """A whole number with thousands separators: 30.401 in Vietnamese, 30,401 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "vi" else text
