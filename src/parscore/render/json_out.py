"""Score results as JSON (`--format json`), per `schemas/result.schema.json`."""
from __future__ import annotations

from typing import Sequence

from parscore.scoring.result import Result, to_json

FORMAT = "json"


def render(results: Sequence[Result], lang: str) -> str:
    # One framework gives one JSON object; several give a list, in the order asked.
    return to_json(list(results))
