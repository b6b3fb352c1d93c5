"""CSV files as an office's Excel saves them: which encoding, which delimiter.

Excel on Vietnamese Windows writes "CSV (Comma delimited)" in the ANSI code page
(cp1258) with `,` or `;` (the list separator of the regional settings), "CSV UTF-8"
with a byte-order mark, and "Unicode Text" as tab-separated UTF-16. We decide by
evidence, not guesswork: a byte-order mark; otherwise a strict UTF-8 decode; a file
that is UTF-8 but for a character cut in two is refused at that line; otherwise
cp1258, accepted only if every non-ASCII letter it yields is a Vietnamese letter or
common punctuation. Anything else is refused with how to re-save it.
"""
from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from parscore.core.errors import InputError, InputErrors

DELIMITERS = (",", ";", "\t")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_BASES = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
# Every precomposed Vietnamese letter (base × tone), plus đ/Đ and the toneless bases.
VIETNAMESE = frozenset(unicodedata.normalize("NFC", b + t) for b in _BASES for t in ("", *_TONES)) | {"đ", "Đ"}
_PUNCT = frozenset("–—‘’“”…•°₫€£×·«»§©®™\u00a0\u200b")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as named to the user: utf-8, utf-8-sig, utf-16, cp1258


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def plausible_vietnamese(text: str) -> bool:
    """Whether every non-ASCII character (after NFC) is a Vietnamese letter or common punctuation."""
    return all(ch in VIETNAMESE or ch in _PUNCT for ch in unicodedata.normalize("NFC", text) if ord(ch) > 127)


def decode(data: bytes, shown: str) -> Decoded:
    """The file's text (NFC), or one located error saying how to re-save it."""
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[3:], "utf-8", shown), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_strict(data, "utf-16", shown), "utf-16")
    if len(data) >= 4 and data[1:4:2] == b"\0\0" and data[0:4:2] != b"\0\0":  # UTF-16 LE without a mark
        return Decoded(_strict(data, "utf-16-le", shown), "utf-16")
    try:
        return Decoded(unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc
    # Real UTF-8 elsewhere in the file but one broken sequence: a character cut in two (a truncated copy,
    # a cell edited with the wrong tool). cp1258 would "read" it as mojibake, so refuse at that line.
    good = data[: first_bad.start].decode("utf-8") + data[first_bad.end:].decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in good) and good.count("\ufffd") <= 3:
        raise InputErrors([InputError("csv_cut_character", file=shown, line=_line_of(data, first_bad.start),
                                      params={"byte": f"0x{data[first_bad.start]:02X}", "offset": first_bad.start})])
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        text = ""
    if text and plausible_vietnamese(text):
        return Decoded(text, "cp1258")
    raise InputErrors([InputError("csv_encoding", file=shown, line=_line_of(data, first_bad.start))])


def _strict(data: bytes, encoding: str, shown: str) -> str:
    try:
        return unicodedata.normalize("NFC", data.decode(encoding))
    except UnicodeDecodeError as exc:
        # UTF-16 counts two bytes a character; the line is found in the part that decoded.
        head = data[: exc.start].decode(encoding, errors="replace")
        raise InputErrors([InputError("csv_cut_character", file=shown, line=head.count("\n") + 1,
                                      params={"byte": f"0x{data[exc.start]:02X}", "offset": exc.start})]) from None


def delimiter(text: str, known: Iterable[str]) -> str:
    """The delimiter whose header row names the most known columns (ties: the one that splits it most).

    Header matching beats counting characters: a Vietnamese header such as "Phí, lệ phí" holds a comma
    in a semicolon file.
    """
    first = text.split("\n", 1)[0]
    names = _names(tuple(known))

    def score(sep: str) -> tuple[int, int]:
        fields = next(csv.reader(io.StringIO(first), delimiter=sep), [])
        return sum(1 for f in fields if _norm(f) in names or _keyed(f) in names), len(fields)
    return max(DELIMITERS, key=score)


@lru_cache(maxsize=64)
def _names(known: tuple[str, ...]) -> frozenset[str]:
    """A table's known headers as `delimiter` compares them: the same few lists for every file of a batch."""
    return frozenset(_norm(k) for k in known)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).strip().lower().split())


def _keyed(header: str) -> str:
    """'Ngày tiếp nhận (received_at)' → 'received_at'."""
    h = _norm(header)
    return h[h.rfind("(") + 1:-1] if h.endswith(")") and "(" in h else h
