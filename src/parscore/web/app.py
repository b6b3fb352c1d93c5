"""The web page of `parscore serve`: a Starlette app over `parscore.api`, with server-side templates.

Pages: upload (with the fill-in workbook), result (the HTML report of
`parscore report`, with the previous upload beside it, downloads, a what-if panel
and a plan), the province view of a period, and the frameworks. Bad input is shown
as the CLI's located messages next to the form that sent it (status 400); our own
bug is a short page without any trace (status 500).
"""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from parscore import api
from parscore.core import dates
from parscore.core.errors import InputError, InputErrors
from parscore.core.messages import WORDS, word
from parscore.render import report_docs
from parscore.render.batch import batch_bytes
from parscore.render.html import render_html, report_context, report_words, templates
from parscore.render.template import write_template
from parscore.web import views
from parscore.web.security import (
    CSRF_COOKIE,
    BodyLimit,
    BodyTooLarge,
    CsrfCookie,
    Headers,
    TokenGuard,
    same,
)
from parscore.web.service import COUNT_EDITS, Service
from parscore.web.settings import Settings, from_environ, safe_url
from parscore.web.storage import Store, Upload

log = logging.getLogger("parscore.web")
LANGS = ("vi", "en")
MB = 1024 * 1024
DOCUMENTS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def app_from_env() -> Starlette:
    """The app with the settings `parscore serve` put in the environment (uvicorn's factory)."""
    return create_app(from_environ())


def _env() -> jinja2.Environment:
    """The report's template environment, with the web page's own templates in front of it."""
    base = templates()
    return base.overlay(loader=jinja2.ChoiceLoader([jinja2.PackageLoader("parscore.web", "templates"), base.loader]))  # type: ignore[list-item]


def create_app(settings: Settings) -> Starlette:
    try:
        store = Store(settings.database_url, settings.data_dir)
    except (SQLAlchemyError, ImportError) as exc:  # a wrong URL, a server that does not answer, a missing driver
        raise InputErrors([InputError("serve_database", where="--database", params={
            "url": safe_url(settings.database_url), "problem": " ".join(f"{type(exc).__name__}: {exc}".split())[:300]})]) from None
    service = Service(store, settings.max_upload_mb * MB)
    env = _env()

    def lang_of(request: Request) -> str:
        value = request.query_params.get("lang") or request.cookies.get("parscore_lang") or "vi"
        return value if value in LANGS else "vi"

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = context.pop("lang", None) or lang_of(request)
        w = {code[len("web_"):]: text[0 if lang == "vi" else 1] for code, text in _web_words().items()}
        body = env.get_template(name).render(lang=lang, w=w, csrf=request.scope.get("state", {}).get("csrf", ""),
                                             title=context.pop("title", w["title"]), **context)
        response = HTMLResponse(body, status_code=status)
        if request.query_params.get("lang") in LANGS:
            response.set_cookie("parscore_lang", lang, samesite="strict")
        return response

    def errors_of(exc: InputErrors, lang: str) -> list[str]:
        return [e.render(lang) for e in exc.errors]

    async def form_of(request: Request) -> Any:
        """The posted form, after the CSRF check; None when the check fails."""
        origin = request.headers.get("origin")
        if origin and origin not in (f"{request.url.scheme}://{request.url.netloc}", "null"):
            return None
        form = await request.form(max_files=1, max_fields=40)
        if not same(str(form.get("csrf") or ""), request.cookies.get(CSRF_COOKIE)):
            return None
        return form

    def refused_csrf(request: Request) -> HTMLResponse:
        lang = lang_of(request)
        return page(request, "message.html", status=403, message=word("web_refused_csrf", lang))

    def get_upload(request: Request) -> Upload:
        try:
            upload_id = int(request.path_params["upload_id"])
        except (KeyError, ValueError):
            raise HTTPException(404) from None
        upload = store.upload(upload_id)
        if upload is None:
            raise HTTPException(404)
        return upload

    # ---- upload ----------------------------------------------------------------------------------

    def home_context(lang: str, commune_key: str | None = None) -> dict[str, Any]:
        communes = store.latest_per_commune()
        own = store.uploads_of(commune_key) if commune_key else []
        return {"frameworks": [(f.id, f.title(lang)) for f in api.frameworks()], "communes": communes, "commune_key": commune_key,
                "commune_name": own[0].commune if own else None, "commune_uploads": own, "limit_mb": settings.max_upload_mb}

    async def home(request: Request) -> Response:
        lang = lang_of(request)
        return page(request, "upload.html", **await run_in_threadpool(home_context, lang))

    async def commune(request: Request) -> Response:
        lang = lang_of(request)
        key = request.path_params["key"]
        context = await run_in_threadpool(home_context, lang, key)
        if not context["commune_uploads"]:
            raise HTTPException(404)
        return page(request, "upload.html", **context)

    async def template(request: Request) -> Response:
        fw_id = request.path_params["framework"]
        if fw_id not in api.registry().ids():  # only a known id; a form value never becomes a folder path
            raise HTTPException(404)

        def build() -> bytes:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "template.xlsx"
                write_template(api.load_framework(fw_id), api.catalogue(), out)
                return out.read_bytes()
        data = await run_in_threadpool(build)
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"content-disposition": f'attachment; filename="{fw_id}.xlsx"'})

    async def upload(request: Request) -> Response:
        lang = lang_of(request)
        expected = None
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        try:
            if length > settings.max_upload_mb * MB + 64 * 1024:
                raise InputErrors([InputError("upload_too_large", params={"limit": settings.max_upload_mb})])
            try:
                form = await form_of(request)
            except BodyTooLarge:
                raise InputErrors([InputError("upload_too_large", params={"limit": settings.max_upload_mb})]) from None
            if form is None:
                return refused_csrf(request)
            expected = str(form.get("commune") or "") or None
            file = form.get("bundle")
            if not isinstance(file, UploadFile) or not file.filename:
                raise InputErrors([InputError("upload_empty")])
            upload_id = await run_in_threadpool(service.accept, file.file, file.filename, expected)
        except InputErrors as exc:
            context = await run_in_threadpool(home_context, lang, expected if expected and store.uploads_of(expected) else None)
            return page(request, "upload.html", status=400, errors=errors_of(exc, lang), **context)
        return RedirectResponse(f"/result/{upload_id}", status_code=303)

    # ---- result ----------------------------------------------------------------------------------

    def panel_context(upload: Upload, lang: str) -> dict[str, Any]:
        """What the what-if panel alone needs (the answer to the page's own script, which swaps in that panel)."""
        return {"upload": upload, "words": report_words(lang), "metrics": api.load_framework(upload.framework).metrics_read(),
                "count_edits": [(k, word(f"web_edit_{k}", lang)) for k in COUNT_EDITS]}

    def result_context(upload: Upload, lang: str) -> dict[str, Any]:
        results = service.results(upload)
        prev_upload = store.previous(upload)
        previous = service.results(prev_upload, upload.framework)[0] if prev_upload else None
        context = report_context(results, previous, lang, generated_on=upload.uploaded_at[:10])
        return {**context, **panel_context(upload, lang), "current": views.headline(results[0], lang),
                "prev_upload": prev_upload, "previous": None if previous is None else views.headline(previous, lang),
                "scenarios": store.scenarios_of(upload.id), "alerts_now": service.alerts_day(upload).isoformat()}

    async def result(request: Request) -> Response:
        upload = get_upload(request)
        lang = lang_of(request)
        context = await run_in_threadpool(result_context, upload, lang)
        return page(request, "result.html", **context)

    def whatif_form(form: Any, lang: str) -> tuple[dict[str, int], str | None, str | None, list[str]]:
        counts: dict[str, int] = {}
        problems = []
        for k in COUNT_EDITS:
            raw = str(form.get(k) or "").strip()
            if not raw:
                continue
            if not raw.isdigit() or len(raw) > 7:
                problems.append(InputError("web_bad_number", where=word(f"web_edit_{k}", lang), value=raw).render(lang))
            else:
                counts[k] = int(raw)
        metric = str(form.get("metric") or "").strip() or None
        value = str(form.get("value") or "").strip() or None
        if metric is not None and metric not in api.catalogue():
            problems.append(InputError("web_unknown_metric", value=metric).render(lang))
        return counts, metric, value, problems

    async def whatif(request: Request) -> Response:
        upload = get_upload(request)
        lang = lang_of(request)
        form = await form_of(request)
        if form is None:
            return refused_csrf(request)
        counts, metric, value, problems = whatif_form(form, lang)
        plan_target = str(form.get("plan_target") or "").strip() or None
        if plan_target is not None and len(plan_target) > 20:
            problems.append(InputError("web_bad_target", value=plan_target[:20]).render(lang))
        # The page's script asks for the what-if panel alone: neither the report nor the page around it is built
        panel_only = request.headers.get("x-parscore-panel") == "whatif"
        template = "_whatif.html" if panel_only else "result.html"
        context = await run_in_threadpool(panel_context if panel_only else result_context, upload, lang)
        context["whatif_input"] = {"counts": counts, "metric": metric or "", "value": value or ""}
        if problems:
            return page(request, template, status=400, whatif_errors=problems, **context)
        try:
            if plan_target is not None:  # "apply" on the plan panel: the plan as a scenario, scored as any what-if
                run = await run_in_threadpool(service.plan_whatif, upload, plan_target)
            else:
                run = await run_in_threadpool(service.whatif, upload, counts, metric, value)
        except InputErrors as exc:
            return page(request, template, status=400, whatif_errors=errors_of(exc, lang), **context)
        baseline = service.results(upload)[0]
        context["whatif"] = {**views.side_by_side(baseline, run.result, lang), "notes": [n(lang) for n in run.notes],
                             "yaml": run.scenario_yaml, "plan_target": plan_target}
        if request.query_params.get("save") == "1" or form.get("save"):
            name = "web-plan" if plan_target is not None else "web-what-if"
            await run_in_threadpool(store.add_scenario, upload.id, name, run.scenario_yaml)
            return Response(run.scenario_yaml, media_type="application/yaml",
                            headers={"content-disposition": f'attachment; filename="scenario-{upload.id}.yaml"'})
        return page(request, template, **context)

    async def plan(request: Request) -> Response:
        upload = get_upload(request)
        lang = lang_of(request)
        form = await form_of(request)
        if form is None:
            return refused_csrf(request)
        target = str(form.get("target") or "").strip()
        context = await run_in_threadpool(result_context, upload, lang)
        context["plan_target"] = target
        try:
            if not target or len(target) > 20:
                raise InputErrors([InputError("web_bad_target", value=target)])
            made = await run_in_threadpool(service.plan, upload, target)
        except InputErrors as exc:
            return page(request, "result.html", status=400, plan_errors=errors_of(exc, lang), **context)
        context["plan"] = views.plan_view(made, lang)
        return page(request, "result.html", **context)

    async def alerts(request: Request) -> Response:
        """The result page with its alerts panel filled: `parscore watch` over the upload's records, on `?now=`."""
        upload = get_upload(request)
        lang = lang_of(request)
        raw = (request.query_params.get("now") or "").strip()
        context = await run_in_threadpool(result_context, upload, lang)
        try:
            day = dates.parse_date(raw) if raw and len(raw) <= 20 else service.alerts_day(upload)
            if raw and len(raw) > 20:
                raise dates.NotADate(raw)
        except dates.NotADate:
            problem = InputError("web_alerts_bad_day", value=raw[:20]).render(lang)
            return page(request, "result.html", status=400, alerts_errors=[problem], **context)
        first, last = service.alerts_range(upload)
        if not first <= day <= last:  # a replay runs day by day: a day years away would hold a worker for long
            problem = InputError("web_alerts_day_range", value=dates.text(day, lang), params={
                "first": dates.text(first, lang), "last": dates.text(last, lang)}).render(lang)
            return page(request, "result.html", status=400, alerts_errors=[problem], **context)
        context["alerts_now"] = day.isoformat()
        try:
            report = await run_in_threadpool(service.alerts, upload, day)
        except InputErrors as exc:
            if service.watch_unavailable is None:
                return page(request, "result.html", status=400, alerts_errors=errors_of(exc, lang), **context)
            # durable-rules cannot run in this Python: one line, the rest of the page as always
            return page(request, "result.html", alerts_unavailable=exc.errors[0].render(lang), **context)
        context["alerts"] = views.alerts_view(report, lang, api.catalogue())
        return page(request, "result.html", **context)

    async def download(request: Request) -> Response:
        upload = get_upload(request)
        lang = lang_of(request)
        fmt = request.path_params["fmt"]
        stem = f"parscore-{upload.id}"
        if fmt == "json":
            return Response(upload.result_json, media_type="application/json",
                            headers={"content-disposition": f'attachment; filename="{stem}.json"'})
        if fmt == "html":
            def build() -> str:
                prev_upload = store.previous(upload)
                previous = service.results(prev_upload, upload.framework)[0] if prev_upload else None
                return render_html(service.results(upload), previous, lang, generated_on=upload.uploaded_at[:10])
            text = await run_in_threadpool(build)
            return Response(text, media_type="text/html; charset=utf-8",
                            headers={"content-disposition": f'attachment; filename="{stem}.html"'})
        if fmt in DOCUMENTS:  # the Báo cáo tự đánh giá (.docx) and its scoring table (.xlsx), as `parscore report`
            data = await run_in_threadpool(report_docs.render, fmt, service.results(upload), None, lang)
            return Response(data, media_type=DOCUMENTS[fmt], headers={"content-disposition": f'attachment; filename="{stem}.{fmt}"'})
        raise HTTPException(404)

    # ---- province --------------------------------------------------------------------------------

    def province_context(period: str | None, framework: str | None, lang: str) -> dict[str, Any]:
        periods = store.periods()
        context: dict[str, Any] = {"periods": periods, "period": period or "", "framework": framework or "",
                                   "framework_ids": api.registry().ids()}
        if not period:
            return context
        if period == "all":
            uploads = store.latest_per_commune()
        else:
            start, _, end = period.partition("..")
            uploads = store.latest_per_commune(start, end)
        if not uploads:
            return context
        fw_id = framework if framework in api.registry().ids() else uploads[0].framework
        # "all periods" is the appraiser asking to rank across periods: `parscore batch --mixed`
        batch = service.ranking(uploads, fw_id, lang, mixed=period == "all")
        by_path = {str(service.blob(u)): u for u in uploads}
        names = {path: (u.commune, u.id) for path, u in by_path.items()}
        ranked = views.ranking_rows(batch, names, lang)
        order = [by_path[e.bundle] for e in batch.entries if e.bundle in by_path]
        scored = [(u.commune, service.results(u, fw_id)[0]) for u in order]
        context.update({"framework": fw_id, "uploads": uploads, "ranking": ranked, "distribution": batch.distribution,
                        "matrix": views.matrix(scored, lang), "self_checks": views.self_checks(scored, lang),
                        "skipped": [(by_path[b].commune if b in by_path else b, e) for b, e in batch.errors],
                        "mixed": views.mixed_rows(batch, {p: u.commune for p, u in by_path.items()}, lang)})
        return context

    async def province(request: Request) -> Response:
        lang = lang_of(request)
        period = request.query_params.get("period") or None
        framework = request.query_params.get("framework") or None
        try:
            context = await run_in_threadpool(province_context, period, framework, lang)
        except InputErrors as exc:
            context = await run_in_threadpool(province_context, None, None, lang)
            return page(request, "province.html", status=400, errors=errors_of(exc, lang), **context)
        return page(request, "province.html", **context)

    async def ranking_workbook(request: Request) -> Response:
        lang = lang_of(request)
        period = request.query_params.get("period") or ""
        framework = request.query_params.get("framework") or ""
        context = await run_in_threadpool(province_context, period, framework, lang)
        if "ranking" not in context:
            raise HTTPException(404)
        uploads = context["uploads"]
        batch = service.ranking(uploads, context["framework"], lang, mixed=period == "all")
        data = await run_in_threadpool(batch_bytes, batch, "ranking.xlsx", lang)
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"content-disposition": 'attachment; filename="ranking.xlsx"'})

    # ---- frameworks ------------------------------------------------------------------------------

    async def frameworks(request: Request) -> Response:
        lang = lang_of(request)
        chosen = request.query_params.get("id")
        fws = await run_in_threadpool(api.frameworks)
        shown = next((f for f in fws if f.id == chosen), None)
        return page(request, "frameworks.html", frameworks=[(f.id, f.title(lang), f.version, len(f.leaves)) for f in fws],
                    shown=None if shown is None else views.framework_view(shown, lang))

    # ---- errors ----------------------------------------------------------------------------------

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        if status == 404:
            return page(request, "message.html", status=404, message=word("web_not_found", lang_of(request)))
        return PlainTextResponse(str(getattr(exc, "detail", "")), status_code=status)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("parscore serve: %s: %s", type(exc).__name__, exc)  # to the server's log, never to the page
        lang = lang_of(request)
        return HTMLResponse(f"<!DOCTYPE html><meta charset='utf-8'><title>500</title><p>{word('web_server_error', lang)}</p>",
                            status_code=500)

    routes = [
        Route("/", home),
        Route("/commune/{key}", commune),
        Route("/template/{framework}.xlsx", template),
        Route("/upload", upload, methods=["POST"]),
        Route("/result/{upload_id:int}", result),
        Route("/result/{upload_id:int}/whatif", whatif, methods=["POST"]),
        Route("/result/{upload_id:int}/plan", plan, methods=["POST"]),
        Route("/result/{upload_id:int}/alerts", alerts),
        Route("/result/{upload_id:int}/download.{fmt}", download),
        Route("/province", province),
        Route("/province/ranking.xlsx", ranking_workbook),
        Route("/frameworks", frameworks),
    ]
    middleware = [Middleware(Headers), Middleware(TokenGuard, token=settings.token), Middleware(CsrfCookie),
                  Middleware(BodyLimit, limit=settings.max_upload_mb * MB + 64 * 1024)]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error, Exception: server_error})
    app.state.store = store
    app.state.service = service
    return app


def _web_words() -> dict[str, tuple[str, str]]:
    return {k: v for k, v in WORDS.items() if k.startswith("web_")}

