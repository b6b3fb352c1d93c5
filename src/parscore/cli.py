"""The `parscore` command: a thin click layer over `parscore.api`.

Exit codes: 0 ran; 1 the index is below --fail-under (or `test` found failures);
2 bad input or usage, with one located line per problem and no traceback.
"""
from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import click

from parscore import api
from parscore.core.errors import InputError, InputErrors
from parscore.core.messages import word
from parscore.core.numbers import NotANumber, display, fraction

LANG = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                    help="Language of the output / Ngôn ngữ hiển thị.")


def _fail(lang: str, errors: list[InputError]) -> None:
    for e in errors:
        click.echo(e.render(lang), err=True)
    sys.exit(2)


def handles_input_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kw: Any) -> Any:
        try:
            return fn(*args, **kw)
        except InputErrors as exc:
            _fail(kw.get("lang", "vi"), exc.errors)
    return wrapper


def write_out(text: str, out: str | None) -> None:
    """Write to stdout, or atomically to a file: a failed run leaves no half-written file."""
    if not out:
        click.echo(text, nl=False)
        return
    target = Path(out)
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(result: Any, fmt: str, lang: str) -> str:
    from parscore.render.markdown import score_markdown
    from parscore.render.terminal import score_table
    from parscore.scoring.result import to_json
    if fmt == "json":
        return to_json(result)
    if fmt == "markdown":
        return "\n".join(score_markdown(r, lang) for r in result)
    return "\n".join(score_table(r, lang) for r in result)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parscore")
def main() -> None:
    """Chấm điểm Chỉ số CCHC cấp xã từ minh chứng / Score a commune's PAR INDEX from its evidence."""


@main.command()
@click.argument("bundle", type=click.Path())
@click.option("--framework", "-f", "framework", multiple=True, help="Framework id or folder (default: the bundle's).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--fail-under", "fail_under", help="Exit 1 when an index is below this percentage (80 or 80,5).")
@click.option("--out", "-o", type=click.Path(), help="Write to this file instead of standard output.")
@LANG
@handles_input_errors
def score(bundle: str, framework: tuple[str, ...], fmt: str, fail_under: str | None, out: str | None, lang: str) -> None:
    """Score BUNDLE: points per sub-criterion, points lost and why."""
    threshold = None
    if fail_under is not None:
        try:
            threshold = fraction(fail_under)
        except NotANumber:
            _fail(lang, [InputError("bad_number", where="--fail-under", params={"value": fail_under})])
    results = api.score_bundle_all(bundle, list(framework) or None)
    # One framework gives one JSON object; several give a list, in the order asked.
    write_out(render(results[0] if fmt == "json" and len(results) == 1 else results, fmt, lang), out)
    if threshold is not None and any(r.total.index is None or r.total.index < threshold for r in results):
        low = min((r.total.index for r in results if r.total.index is not None), default=None)
        click.echo((f"Chỉ số {display(low, 2, 'vi')}% thấp hơn ngưỡng {fail_under}%" if lang == "vi" else
                    f"index {display(low, 2, 'en')}% is below --fail-under {fail_under}%") if low is not None
                   else "no index", err=True)
        sys.exit(1)


@main.command()
@click.argument("bundle", type=click.Path())
@click.argument("leaf_ids", nargs=-1)
@click.option("--framework", "-f", "framework", help="Framework id or folder (default: the bundle's first).")
@LANG
@handles_input_errors
def explain(bundle: str, leaf_ids: tuple[str, ...], framework: str | None, lang: str) -> None:
    """Why each leaf scored as it did, from which inputs, and what to do (default: every leaf that lost points)."""
    from parscore.core.errors import did_you_mean
    from parscore.render.terminal import explain as render_explain
    result = api.score_bundle(bundle, framework)
    ids = {leaf.id for leaf in result.leaves}
    bad = [i for i in leaf_ids if i not in ids]
    if bad:
        fw_id = result.framework["id"]
        raise InputErrors([InputError("unknown_leaf", where="LEAF_ID", params={
            "framework": fw_id, "leaf": b, "hint": lambda lg, b=b: did_you_mean(b, ids, lg)}) for b in bad])
    click.echo(render_explain(result, list(leaf_ids), lang), nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@LANG
def validate(paths: tuple[str, ...], lang: str) -> None:
    """Check frameworks, bundles and rules files; report every error at once, each located."""
    failed = False
    for path, errors in api.validate(paths):
        if errors:
            failed = True
            for e in errors:
                click.echo(e.render(lang), err=True)
        else:
            click.echo(f"{path}: {word('valid', lang)}")
    sys.exit(2 if failed else 0)


@main.command()
@LANG
@handles_input_errors
def frameworks(lang: str) -> None:
    """List the frameworks parscore holds."""
    from parscore.render.terminal import console
    from rich.table import Table
    con, buf = console()
    table = Table()
    for head in ("id", "version", "province", "year", "decision", "title"):
        table.add_column(head)
    for fw in api.frameworks():
        table.add_row(fw.id, fw.version, fw.province, str(fw.year),
                      f"{fw.decision['number']} ({fw.decision['status']})", fw.title(lang))
    con.print(table)
    click.echo(buf.getvalue(), nl=False)


@main.command()
@click.argument("framework")
@click.argument("leaf_id", required=False)
@LANG
@handles_input_errors
def show(framework: str, leaf_id: str | None, lang: str) -> None:
    """What a framework requires, from its parameters alone (one leaf, or the whole tree)."""
    from parscore.core.errors import did_you_mean
    from parscore.criteria.framework import Leaf
    fw = api.load_framework(framework)
    if leaf_id is not None and leaf_id not in fw:
        raise InputErrors([InputError("unknown_leaf", where="LEAF_ID", params={
            "framework": fw.id, "leaf": leaf_id, "hint": lambda lg: did_you_mean(leaf_id, [n.id for n in fw.nodes()], lg)})])
    nodes = [fw.get(leaf_id)] if leaf_id else list(fw.nodes())
    lines = [] if leaf_id else [f"{fw.id} — {fw.title(lang)} · {fw.decision['number']} ({fw.decision['status']})"]
    for node in nodes:
        depth = len(node.parents)
        pad = "  " * depth
        lines.append(f"{pad}{node.id} {node.title(lang)} [{display(node.max_points, fw.decimals, lang)}]")
        if isinstance(node, Leaf):
            lines.append(f"{pad}  {word('requires', lang)}: {node.requirement()(lang)}")
            lines.append(f"{pad}  {word('evidence', lang)}: {node.evidence(lang)}")
            lines.append(f"{pad}  {word('source', lang)}: {node.source['requirement']} · {node.source['points']}")
            if leaf_id:
                lines.append(f"{pad}  kind: {node.kind}; metrics: {', '.join(m.name for m in node.view.metrics.values()) or '—'}")
    click.echo("\n".join(lines))


@main.command()
@click.argument("framework")
@click.option("--out", "-o", required=True, type=click.Path(), help="The .xlsx file to write.")
@LANG
@handles_input_errors
def template(framework: str, out: str, lang: str) -> None:
    """Write a fill-in workbook with the sheets and columns FRAMEWORK needs."""
    from parscore.render.template import write_template
    if not out.lower().endswith(".xlsx"):
        _fail(lang, [InputError("usage", where="--out", params={"problem": f"{out}: the template is an .xlsx workbook"})])
    fw = api.load_framework(framework)
    sheets = write_template(fw, api.catalogue(), Path(out))
    click.echo(f"{out}: " + ", ".join(sheets))


@main.command()
@click.argument("framework_a")
@click.argument("framework_b")
@click.option("--bundle", "bundle", type=click.Path(), help="Also score this bundle under both and show the per-leaf change.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LANG
@handles_input_errors
def diff(framework_a: str, framework_b: str, bundle: str | None, fmt: str, lang: str) -> None:
    """Leaves added, removed or changed (points, thresholds) between two frameworks."""
    import json

    from parscore.criteria.diff import diff_frameworks, diff_scores
    from parscore.core.numbers import exact_text
    from parscore.core.schema import jsonable
    a, b = api.load_framework(framework_a), api.load_framework(framework_b)
    changes = diff_frameworks(a, b, lang)
    scores = None
    if bundle:
        loaded = api.load_bundle(bundle)
        ra, rb = api.score_loaded(a, loaded), api.score_loaded(b, loaded)
        scores = (ra, rb, diff_scores(ra, rb))
    if fmt == "json":
        data: dict[str, object] = {"a": a.id, "b": b.id, "leaves": [jsonable(c.__dict__) for c in changes]}
        if scores:
            ra, rb, sc = scores
            data["bundle"] = bundle
            data["total"] = {"a": {"points": exact_text(ra.total.points), "index": exact_text(ra.total.index) if ra.total.index is not None else None},
                             "b": {"points": exact_text(rb.total.points), "index": exact_text(rb.total.index) if rb.total.index is not None else None}}
            data["scores"] = [{"id": c.id, "a": None if c.before is None else exact_text(c.before),
                               "b": None if c.after is None else exact_text(c.after)} for c in sc]
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))
        return
    words = {"added": ("thêm", "added"), "removed": ("bỏ", "removed"), "changed": ("đổi", "changed")}
    lines = [f"{a.id} → {b.id}"]
    for c in changes:
        label = words[c.change][0 if lang == "vi" else 1]
        detail = ""
        if c.change == "changed":
            detail = "; ".join(f"{k}: {_short((c.before or {}).get(k), lang)} → {_short((c.after or {}).get(k), lang)}" for k in c.what)
        lines.append(f"  {label:8} {c.id:8} {c.title}" + (f" — {detail}" if detail else ""))
    if scores:
        ra, rb, sc = scores
        lines.append("")
        lines.append(f"{bundle}: {word('index', lang)} {display(ra.total.index or 0, 2, lang)}% → {display(rb.total.index or 0, 2, lang)}%"
                     f" · {word('class', lang)} {ra.total.classification.label(lang)} → {rb.total.classification.label(lang)}")
        for s in sc:
            before = "—" if s.before is None else display(s.before, 2, lang)
            after = "—" if s.after is None else display(s.after, 2, lang)
            lines.append(f"  {s.id:8} {before:>6} → {after:>6}")
    click.echo("\n".join(lines))


def _short(value: object, lang: str) -> str:
    if isinstance(value, dict) and set(value) == {"vi", "en"}:
        value = value[lang]
    text = str(value) if value is not None else "—"
    return text if len(text) <= 70 else text[:67] + "..."


@main.command()
@click.argument("bundle", type=click.Path())
@click.argument("scenarios", nargs=-1, required=True, type=click.Path())
@click.option("--framework", "-f", "framework", help="Framework id or folder (default: the bundle's first).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--out", "-o", type=click.Path(), help="Write to this file instead of standard output.")
@LANG
@handles_input_errors
def whatif(bundle: str, scenarios: tuple[str, ...], framework: str | None, fmt: str, out: str | None, lang: str) -> None:
    """The baseline and each SCENARIO side by side: per-leaf and total changes, class changes."""
    from parscore.render.whatif import whatif_json, whatif_table
    loaded = [api.load_scenario(s) for s in scenarios]
    w = api.whatif(bundle, loaded, framework)
    write_out(whatif_json(w) if fmt == "json" else whatif_table(w, lang), out)


@main.command("plan")
@click.argument("bundle", type=click.Path())
@click.option("--target", required=True, help="An index in % (85 or 85,5) or a class code of the framework (A, B, …).")
@click.option("--costs", "costs_path", type=click.Path(), help="costs.yaml: effort per unit of each kind of action.")
@click.option("--framework", "-f", "framework", help="Framework id or folder (default: the bundle's first).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LANG
@handles_input_errors
def plan_cmd(bundle: str, target: str, costs_path: str | None, framework: str | None, fmt: str, lang: str) -> None:
    """The cheapest set of improvements that reaches --target, in order, with the running index."""
    from parscore.render.plan import plan_json, plan_table
    p = api.plan(bundle, target, costs_path, framework)
    click.echo(plan_json(p) if fmt == "json" else plan_table(p, lang), nl=False)


@main.command()
@click.argument("bundle", type=click.Path())
@click.option("--framework", "-f", "framework", help="Framework id or folder (default: the bundle's first).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LANG
@handles_input_errors
def sensitivity(bundle: str, framework: str | None, fmt: str, lang: str) -> None:
    """Rank the metrics by points gained per unit of improvement near the current values."""
    from parscore.render.batch import levers_json, levers_table
    from parscore.planning.sensitivity import levers
    loaded = api.load_bundle(bundle)
    fw = api.load_framework(api.framework_refs(loaded, framework)[0])
    baseline = api.score_loaded(fw, loaded)
    lv = levers(fw, loaded, baseline)
    click.echo(levers_json(lv) if fmt == "json" else levers_table(lv, baseline, lang), nl=False)


@main.command()
@click.argument("bundle", type=click.Path())
@click.option("--vary", "vary", multiple=True, required=True, help="METRIC=LO:HI:STEP (percent for rates, counts for counts); repeatable.")
@click.option("--framework", "-f", "framework", help="Framework id or folder (default: the bundle's first).")
@click.option("--out", "-o", type=click.Path(), help="A .csv or .json file (default: CSV on standard output).")
@LANG
@handles_input_errors
def sweep(bundle: str, vary: tuple[str, ...], framework: str | None, out: str | None, lang: str) -> None:
    """Score a grid of metric values in one vectorised call; write index and class per point."""
    from parscore.scoring.frame import Subject
    from parscore.planning.sweep import parse_axis, sweep as run_sweep
    loaded = api.load_bundle(bundle)
    fw = api.load_framework(api.framework_refs(loaded, framework)[0])
    axes = [parse_axis(v, fw, api.catalogue()) for v in vary]
    table, _ = run_sweep(fw, Subject(loaded.name, loaded.metrics, loaded.manual), axes)
    text = table.to_json(orient="records", force_ascii=False, indent=1) + "\n" if out and out.lower().endswith(".json") else table.to_csv(index=False)
    write_out(text, out)
    if out:
        click.echo(f"{out}: {len(table):,} {'điểm lưới' if lang == 'vi' else 'grid points'}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--framework", "-f", "framework", help="Framework id or folder (default: the first bundle's first).")
@click.option("--scenario", "scenario", type=click.Path(), help="Apply this scenario to every bundle and show rank changes.")
@click.option("--out", "-o", type=click.Path(), help="ranking.xlsx, .csv or .json (default: a table on standard output).")
@click.option("--jobs", "-j", type=int, help="Worker processes (default: one per core).")
@LANG
@handles_input_errors
def batch(paths: tuple[str, ...], framework: str | None, scenario: str | None, out: str | None, jobs: int | None, lang: str) -> None:
    """Score many bundles, rank and classify them; broken bundles are reported and skipped."""
    import sys as _sys

    from rich.progress import Progress

    from parscore.planning.batch import expand, grade, load_all
    from parscore.render.batch import batch_table, write_batch
    if scenario:
        api.load_scenario(scenario)  # a bad scenario is bad input for the whole run: say so before any work
    bundles = expand(paths)
    if not bundles:
        _fail(lang, [InputError("file_missing", file=" ".join(paths))])
    with Progress(transient=True, disable=not _sys.stderr.isatty()) as progress:
        task = progress.add_task("bundles", total=len(bundles))
        loaded = load_all(bundles, scenario, lang, jobs, lambda k: progress.advance(task, k))
    ok = [b for _, b, _, e in loaded if e is None]
    if not ok:
        for path, err in ((p, e) for p, _, _, e in loaded):
            click.echo(f"{path}: {err}", err=True)
        _sys.exit(2)
    fw = api.load_framework(framework or api.framework_refs(ok[0])[0])
    result = grade(fw, loaded, scenario)
    if out:
        write_batch(result, out)
        click.echo(f"{out}: {len(result.entries)} ranked, {len(result.errors)} skipped", err=True)
    else:
        click.echo(batch_table(result, lang), nl=False)


@main.command("test")
@click.argument("framework_refs", nargs=-1)
@LANG
@handles_input_errors
def test_cases(framework_refs: tuple[str, ...], lang: str) -> None:
    """Run every leaf's example cases; report mismatches and threshold coverage."""
    fws = [api.load_framework(r) for r in framework_refs] if framework_refs else api.frameworks()
    failed = 0
    total = 0
    for fw in fws:
        report = api.run_cases(fw)
        total += len(report.outcomes)
        failed += len(report.failures)
        click.echo(f"{fw.id}: " + word("case_ok", lang, n=len(report.outcomes) - len(report.failures), bad=len(report.failures)))
        for o in report.failures:
            e = InputError("case_mismatch", file=o.leaf.file, line=o.case.line, where=o.leaf.id, params={
                "case": o.case.name, "expected": f"{o.case.expect_points} {o.case.expect_status}",
                "got": f"{o.points} {o.status}"})
            click.echo("  " + e.render(lang))
        pct = display(report.coverage * 100, 1, lang)
        click.echo("  " + word("coverage", lang, covered=len(report.covered),
                                leaves=len(report.covered) + len(report.uncovered), pct=pct))
        for leaf_id, why in report.uncovered:
            click.echo(f"  {word('not_covered', lang)}: {leaf_id} ({why})")
    click.echo(f"{total - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
