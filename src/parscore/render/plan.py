"""An improvement plan as a table or JSON."""
from __future__ import annotations

from typing import Any

from rich.table import Table

from parscore.core.numbers import display
from parscore.core.portal import document, dumps, portal
from parscore.render.terminal import console


def plan_table(p: Any, lang: str) -> str:
    con, buf = console(150)
    vi = lang == "vi"
    base = p.baseline
    con.print((f"Chỉ số hiện tại {display(base.total.index, 2, lang)}% → mục tiêu {display(p.target_index, 2, lang)}%" if vi else
               f"Index now {display(base.total.index, 2, lang)}% → target {display(p.target_index, 2, lang)}%"))
    table = Table()
    for h in (("#", "#"), ("Hành động", "Action"), ("Tiêu chí", "Leaves"), ("Điểm", "Points"), ("Chi phí", "Cost"), ("Chỉ số", "Index")):
        table.add_column(h[0] if vi else h[1])
    for k, s in enumerate(p.steps, start=1):
        table.add_row(str(k), s.text(lang), ", ".join(s.option.leaves), "+" + display(s.gain, 2, lang), display(s.cost, 2, lang),
                      display(s.running_index, 2, lang) + "%" if s.running_index is not None else "—")
    con.print(table)
    final = p.final.total
    method = {"exact": ("tìm kiếm đầy đủ (tối ưu)", "exhaustive search (optimal)"),
              "greedy": ("tham lam theo điểm/chi phí", "greedy by points per cost")}[p.method][0 if vi else 1]
    con.print((f"Sau khi áp dụng: {display(final.index, 2, lang)}% ({final.classification.label(lang)}); tổng chi phí {display(p.total_cost, 2, lang)}; phương pháp: {method}"
               if vi else f"Applied and re-scored: {display(final.index, 2, lang)}% ({final.classification.label(lang)}); total cost {display(p.total_cost, 2, lang)}; method: {method}"))
    if p.method == "greedy":
        con.print(("Cận: chi phí ≤ tối ưu + chi phí bước cuối" if vi else "Bound: cost ≤ optimum + the cost of the last step")
                  + ("" if p.bound_holds else (" — KHÔNG áp dụng: có chỉ số mà bước sau hiệu quả hơn bước trước" if vi else
                                               " — does NOT apply here: some metric's later step is more efficient than its earlier one")))
    if not p.reached:
        con.print((f"Không đạt được mục tiêu; mức cao nhất có thể: {display(p.best_reachable_index or 0, 2, lang)}%" if vi else
                   f"The target cannot be reached; the best reachable is {display(p.best_reachable_index or 0, 2, lang)}%"))
    return buf.getvalue()


def plan_json(p: Any) -> str:
    d = p.baseline.decimals
    data = {"target_index": p.target_index, "reached": p.reached, "method": p.method, "bound_holds": p.bound_holds,
            "baseline_index": p.baseline.total.index, "final_index": p.final.total.index,
            "final_class": p.final.total.classification.code, "total_cost": p.total_cost,
            "best_reachable_index": p.best_reachable_index,
            "steps": [{"metric": s.option.metric, "action": s.option.action, "amount": s.option.amount, "unit": s.option.unit,
                       "leaves": list(s.option.leaves), "gain": s.gain, "cost": s.cost,
                       "running_index": s.running_index, "text": s.text} for s in p.steps]}
    return dumps(document("plan", [portal(data, d)]))
