"""Report pages, drill-down lists, exports, the print view and PDF, the manager's dashboard."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kefu.accounts.decorators import staff_required
from kefu.reports import dashboard as dashboard_figures
from kefu.reports import export
from kefu.reports.access import Scope, people_in_scope, scope_for, teams_in_scope
from kefu.reports.catalogue import REPORTS, Report, build, visible_reports
from kefu.reports.drill import SOURCES, parse_extra
from kefu.reports.filters import FilterForm, Filters, today
from kefu.reports.svgchart import svg_chart
from kefu.reports.tables import Fmt, Table, shown
from kefu.stats.periods import Period, month_period


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request.user)  # type: ignore[arg-type]


def _report(key: str, scope: Scope) -> Report:
    report = REPORTS.get(key)
    if report is None or report not in visible_reports(scope):
        raise Http404
    return report


def _filters(request: HttpRequest, scope: Scope) -> tuple[FilterForm, Filters]:
    form = FilterForm(request.GET or None, scope=scope)
    if request.GET and not form.is_valid():
        fallback = FilterForm(None, scope=scope)
        fallback.cleaned_data = {}
        return form, fallback.filters()
    if not request.GET:
        form.cleaned_data = {}
    return form, form.filters()


def _tables(report: Report, request: HttpRequest) -> tuple[Scope, FilterForm, Filters, list[Table]]:
    scope = _scope(request)
    form, filters = _filters(request, scope)
    return scope, form, filters, build(report, filters, scope)


def _shown_rows(table: Table) -> list[dict[str, Any]]:
    rows = []
    for row in table.all_rows():
        cells = [
            {"text": shown(row.values.get(c.key), c.fmt), "link": row.links.get(c.key, "")}
            for c in table.columns[1:]
        ]
        if row.kind == "change":
            cells = [
                {"text": "" if (v := row.values.get(c.key)) is None else f"{v:+.1f}%", "link": ""}
                for c in table.columns[1:]
            ]
        rows.append({"label": row.label, "cells": cells, "kind": row.kind})
    return rows


def _context(report: Report, request: HttpRequest) -> dict[str, Any]:
    scope, form, filters, tables = _tables(report, request)
    shown_tables = [
        {
            "table": t,
            "rows": _shown_rows(t),
            "chart": json.dumps(t.chart_data(), ensure_ascii=False) if t.chart_data() else "",
        }
        for t in tables
    ]
    query = filters.query()
    return {
        "report": report,
        "reports": visible_reports(scope),
        "form": form,
        "filters": filters,
        "tables": shown_tables,
        "query": query,
        "groupings": [
            {"by": by, "label": label, "query": filters.query(by=by), "active": filters.by == by}
            for by, label in report.groupings
        ],
        "scope": scope,
        "Fmt": Fmt,
    }


@staff_required()
def index(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    return render(
        request, "reports/index.html", {"reports": visible_reports(scope), "scope": scope}
    )


@staff_required()
def report(request: HttpRequest, key: str) -> HttpResponse:
    chosen = _report(key, _scope(request))
    return render(request, "reports/report.html", _context(chosen, request))


def _print_context(report: Report, request: HttpRequest) -> dict[str, Any]:
    """The page's context with each chart drawn as inline SVG (no JavaScript in print/PDF)."""
    context = _context(report, request)
    for shown_table in context["tables"]:
        table = shown_table["table"]
        shown_table["svg"] = mark_safe(svg_chart(table.chart_data(), table.title))  # texts escaped
    return context


@staff_required()
def report_print(request: HttpRequest, key: str) -> HttpResponse:
    chosen = _report(key, _scope(request))
    return render(request, "reports/print.html", _print_context(chosen, request))


@staff_required()
def report_pdf(request: HttpRequest, key: str) -> HttpResponse:
    from weasyprint import HTML

    chosen = _report(key, _scope(request))
    html = render_to_string(
        "reports/print.html", _print_context(chosen, request) | {"pdf": True}, request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{chosen.key}.pdf"'
    return response


def _export_name(key: str, filters: Filters, fmt: str) -> str:
    return f"{key}_{filters.period.start:%Y%m%d}-{filters.period.end:%Y%m%d}.{fmt}"


@staff_required()
def report_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    chosen = _report(key, _scope(request))
    _unused, _form, filters, tables = _tables(chosen, request)
    name = _export_name(key, filters, fmt)
    if fmt == "xlsx":
        return export.tables_xlsx(tables, name)
    if fmt == "csv":
        return export.tables_csv(tables, name)
    raise Http404


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def record_filters(request: HttpRequest, scope: Scope) -> Filters:
    """Drill-down parameters; a group or person outside the viewer's scope is a 404."""
    params = request.GET
    month = month_period(today().year, today().month)
    start = _date(params.get("start"), month.start)
    end = max(start, _date(params.get("end"), month.end))
    team, person = _number(params.get("team")), _number(params.get("person"))
    if team and not teams_in_scope(scope).filter(pk=team).exists():
        raise Http404
    if person and not people_in_scope(scope).filter(pk=person).exists():
        raise Http404
    return Filters(
        period=Period(start, end),
        team=team,
        person=person,
        kind=params.get("kind", "")[:20],
        channel=params.get("channel", "")[:10],
        reply_channel=params.get("reply_channel", "")[:10],
        queue=params.get("queue", "")[:30],
        compare=False,
    )


def _records(request: HttpRequest, source: str) -> tuple[Any, Any, Filters]:
    scope = _scope(request)
    chosen = SOURCES.get(source)
    if chosen is None:
        raise Http404
    filters = record_filters(request, scope)
    extra = parse_extra(request.GET)
    rows = chosen.rows(filters, extra, scope).order_by(*chosen.order)
    return chosen, rows, filters


@staff_required()
def records(request: HttpRequest, source: str) -> HttpResponse:
    chosen, rows, filters = _records(request, source)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    paths = [c.path for c in chosen.columns]
    link = [chosen.link] if chosen.link else []
    lines = []
    for values in page.object_list.values_list(*paths, *link):
        cells = [export.record_value(v, c) for v, c in zip(values, chosen.columns, strict=False)]
        lines.append({"cells": cells, "request_id": values[-1] if link else None})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/records.html",
        {
            "source": chosen,
            "source_key": source,
            "page": page,
            "lines": lines,
            "filters": filters,
            "query": query.urlencode(),
        },
    )


@staff_required()
def records_export(request: HttpRequest, source: str, fmt: str) -> HttpResponse:
    chosen, rows, filters = _records(request, source)
    name = _export_name(source, filters, fmt)
    if fmt == "csv":
        return export.records_csv(rows, chosen.columns, name)
    if fmt == "xlsx":
        return export.records_xlsx(rows, chosen.columns, name)
    raise Http404


@staff_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    figures = dashboard_figures.figures(scope)
    return render(
        request,
        "reports/dashboard.html",
        {"figures": figures, "scope": scope, "title": _("管理看板")},
    )
