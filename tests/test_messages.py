"""Every user-facing message exists in Vietnamese and English with the same placeholders."""
from __future__ import annotations

import string

import pytest

from parscore.core.messages import ERRORS, WORDS


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_error_messages_match_across_languages(code):
    vi_msg, vi_fix, en_msg, en_fix = ERRORS[code]
    assert vi_msg and en_msg and vi_fix and en_fix
    # Vietnamese and English may word a problem differently, but must be able to show the same facts
    assert fields(vi_msg) | fields(vi_fix) == fields(en_msg) | fields(en_fix) or \
        {f.replace("_vi", "") for f in fields(vi_msg)} == {f.replace("_en", "") for f in fields(en_msg)}, code


@pytest.mark.parametrize("code", sorted(WORDS))
def test_words_match_across_languages(code):
    vi, en = WORDS[code]
    assert vi and en and fields(vi) == fields(en), code


def test_every_error_code_used_in_the_code_exists():
    import pathlib
    import re
    src = pathlib.Path(__file__).resolve().parents[1] / "src" / "parscore"
    used = set()
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?:InputError\(|\.add\()\s*"([a-z_0-9]+)"', text))
    assert used and used <= set(ERRORS), used - set(ERRORS)
