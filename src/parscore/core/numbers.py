"""Exact numbers in, rounded numbers out only for display.

Input accepts the Vietnamese decimal comma ("99,9", "1.234,5", "1 234,5") as
well as the dot form. Points are carried as `Fraction`s so that pro-rata points
and their sums stay exact; rounding happens only in `display`.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

# Vietnamese thousands grouping: "1.234.567" or "1.234,5". A lone "2.997" stays a decimal point:
# it is how a dot-decimal figure is written, and reading it as 2997 would silently inflate a value.
_VI_GROUPED = re.compile(r"^[+-]?\d{1,3}((\.\d{3}){2,}(,\d+)?|\.\d{3}(,\d+))$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class NotANumber(ValueError):
    """Raised with the offending text; callers turn it into a located error."""


def parse_decimal(value: Any) -> Decimal:
    """A Decimal from a YAML/CSV/Excel value, accepting the decimal comma.

    Raises NotANumber for text that is not a number and for NaN/infinity.
    """
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise NotANumber(value)
        result = Decimal(repr(value))  # the shortest text that round-trips, not the binary expansion
    elif isinstance(value, Fraction):
        raise NotANumber(value)
    elif isinstance(value, str):
        text = _SPACES.sub("", value.strip()).rstrip("%")
        if _VI_GROUPED.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise NotANumber(value) from None
    else:
        raise NotANumber(value)
    if not result.is_finite():
        raise NotANumber(value)
    return result


def is_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, str):
        return value.strip().lower() in ("nan", ".nan")
    return False


def fraction(value: Any) -> Fraction:
    """An exact Fraction from a number or numeric text; "p/q" text is read exactly."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and "/" in value:
        num, _, den = value.partition("/")
        try:
            return Fraction(int(num.strip()), int(den.strip()))
        except (ValueError, ZeroDivisionError):
            raise NotANumber(value) from None
    return Fraction(parse_decimal(value))


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
