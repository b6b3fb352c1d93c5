"""Recovery actions: what a commune can do to earn a leaf's next points, and the registry that owns them.

Kinds answer `to_recover` with one of these actions; planning prices and applies
them, explanations word them. Everything an action means lives here: its default
cost per unit, its wording (in the explanation and in a plan), which frame unit it
moves, and how it changes a metric value. `costs.schema.json` lists exactly the
plannable actions (a test checks it; regenerate with
`python -m parscore.kinds.actions > src/parscore/schemas/costs.schema.json`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

from parscore.core.numbers import display
from parscore.core.text import Text
from parscore.metrics.columns import PRESENT
from parscore.metrics.values import MetricValue, Provenance, added


def _amount(a: Fraction, lang: str) -> str:
    text = display(a, 2, lang)
    return text.rstrip("0").rstrip(",.") if ("," in text or "." in text) else text


@dataclass(frozen=True)
class Action:
    code: str
    default_cost: Fraction
    plannable: bool  # planning can price and apply it
    # (amount, metric title, counts, good, document, gain_vi, gain_en, extra) -> wording
    recovery: Callable[..., Text]
    planned: Callable[..., Text]
    apply: Callable[[MetricValue, Fraction, int], MetricValue] | None = None  # (base value, amount, period end day)
    per_unit: bool = True  # its cost scales with the amount (a document costs once)


def _more_good_recovery(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text, gv: str, ge: str,
                        extra: Mapping[str, Any], unit: str) -> Text:
    if unit == "records":
        return Text(f"thêm {_amount(amount, 'vi')} {counts.vi} {good.vi} → +{gv} điểm",
                    f"{_amount(amount, 'en')} more {counts.en} {good.en} → +{ge} points")
    return _raise_rate_recovery(amount, title, counts, good, doc, gv, ge, extra, unit)


def _raise_rate_recovery(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text, gv: str, ge: str,
                         extra: Mapping[str, Any], unit: str) -> Text:
    return Text(f"nâng {title.vi} thêm {display(amount, 2, 'vi')} điểm phần trăm → +{gv} điểm",
                f"raise {title.en} by {display(amount, 2, 'en')} percentage points → +{ge} points")


def _more_events_recovery(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text, gv: str, ge: str,
                          extra: Mapping[str, Any], unit: str) -> Text:
    return Text(f"thêm {_amount(amount, 'vi')} ({title.vi}) → +{gv} điểm", f"{_amount(amount, 'en')} more ({title.en}) → +{ge} points")


def _document_recovery(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text, gv: str, ge: str,
                       extra: Mapping[str, Any], unit: str) -> Text:
    late_vi = " (đã quá hạn: chỉ được điểm ban hành chậm)" if extra.get("late") else ""
    late_en = " (past due: the late points only)" if extra.get("late") else ""
    return Text(f"ban hành {doc.vi}{late_vi} → +{gv} điểm", f"issue {doc.en}{late_en} → +{ge} points")


def _manual_recovery(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text, gv: str, ge: str,
                     extra: Mapping[str, Any], unit: str) -> Text:
    return Text(f"bổ sung minh chứng để người thẩm định chấm lại → tối đa +{gv} điểm",
                f"add evidence for the appraiser to re-score → up to +{ge} points")


def _planned_more_good(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text) -> Text:
    return Text(f"thêm {_amount(amount, 'vi')} {counts.vi} {good.vi}", f"{_amount(amount, 'en')} more {counts.en} {good.en}")


def _planned_raise_rate(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text) -> Text:
    return Text(f"nâng {title.vi} thêm {_amount(amount, 'vi')} điểm phần trăm",
                f"raise {title.en} by {_amount(amount, 'en')} percentage points")


def _planned_more_events(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text) -> Text:
    return Text(f"thêm {_amount(amount, 'vi')}: {title.vi}", f"{_amount(amount, 'en')} more: {title.en}")


def _planned_document(amount: Fraction, title: Text, counts: Text, good: Text, doc: Text) -> Text:
    return Text(f"ban hành {doc.vi}", f"issue {doc.en}")


def _issue(base: MetricValue, amount: Fraction, period_end: int) -> MetricValue:
    return MetricValue(base.name, base.unit, state=PRESENT, day=period_end, provenance=Provenance("scenario"))


class ActionRegistry(dict[str, Action]):
    """The closed set of actions: a second action of one code is refused."""

    def add(self, action: Action) -> None:
        if action.code in self:
            raise ValueError(f"recovery action {action.code!r} is registered twice")
        self[action.code] = action

    def plannable(self) -> list[str]:
        return [code for code, a in self.items() if a.plannable]

    def default_costs(self) -> dict[str, Fraction]:
        return {code: a.default_cost for code, a in self.items() if a.plannable}


ACTIONS = ActionRegistry()
ACTIONS.add(Action("more_good", Fraction(1), True, _more_good_recovery, _planned_more_good,
                   lambda v, a, _: added(v, {"numerator": int(a)})))
ACTIONS.add(Action("raise_rate", Fraction(1), True, _raise_rate_recovery, _planned_raise_rate,
                   lambda v, a, _: added(v, {"value": a})))
ACTIONS.add(Action("more_events", Fraction(1), True, _more_events_recovery, _planned_more_events,
                   lambda v, a, _: added(v, {"value": a})))
ACTIONS.add(Action("issue_document", Fraction(1), True, _document_recovery, _planned_document, _issue, per_unit=False))
ACTIONS.add(Action("manual_review", Fraction(1), False, _manual_recovery, _planned_document))


def improvement(step_unit: str | None) -> tuple[str, str] | None:
    """The action that makes one step of improvement of the given kind (records, percent, events), for sensitivity."""
    return _BY_STEP.get(step_unit) if step_unit else None


_BY_STEP = {"records": ("more_good", "records"), "percent": ("raise_rate", "percent"), "events": ("more_events", "events")}


_NUMBER = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": "^\\s*[+-]?[0-9][0-9 .,/]*\\s*%?\\s*$"}]}


def costs_schema() -> dict[str, Any]:
    """The JSON Schema of a costs file, generated from the plannable actions."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "parscore costs (for parscore plan)",
        "description": "Effort per unit of each kind of action; `metrics` overrides the cost per unit for one metric.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "actions": {"type": "object", "additionalProperties": False,
                        "properties": {code: _NUMBER for code in ACTIONS.plannable()}},
            "metrics": {"type": "object", "additionalProperties": _NUMBER},
            "exclude": {"type": "array", "items": {"type": "string"}},
        },
    }


if __name__ == "__main__":
    print(json.dumps(costs_schema(), ensure_ascii=False, indent=1))
