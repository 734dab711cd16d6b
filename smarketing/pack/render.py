"""A month's pack drawn from its frozen content: one self-contained HTML file per language
(styles and charts inline, nothing fetched) and the same page as an A4 landscape PDF
(WeasyPrint). The same content gives the same files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

from smarketing import formats, labels
from smarketing.pack import charts
from smarketing.pack.content import BREAKDOWNS
from smarketing.pack.text import text

HERE = Path(__file__).parent
LANGUAGES = ("fr", "en")


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot draw PDFs here (its system libraries, Pango, are missing)."""


def file_stem(month: date, lang: str) -> str:
    return f"committee-{month:%Y-%m}-{lang}"


def _namer(content: dict[str, Any], lang: str) -> Callable[[str, Any], str]:
    """Names of codes in LANG: smarketing.yml's as frozen with the pack, else the catalogue's."""
    names = labels.defined(content.get("value_labels") or [])
    return lambda kind, value: labels.value_label(kind, value, lang, names)


def _kpi_format(unit: Any, lang: str) -> Callable[..., str]:
    def show(value: Any, *, signed: bool = False) -> str:
        if unit == "share":
            return formats.points(value, lang) if signed else formats.percent(value, lang)
        if unit == "days":
            return formats.days(value, lang, signed=signed)
        return formats.number(value, lang, 2, signed=signed)

    return show


def _instant(value: str | None, lang: str, time_zone: str) -> str:
    if not value:
        return formats.MISSING
    return formats.moment(datetime.fromisoformat(value), lang, time_zone)


def _scorecard(content: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    named = _namer(content, lang)
    trend: dict[str, list[dict[str, Any]]] = {}
    for row in content["trend"]:
        trend.setdefault(row["kpi"], []).append(row)
    rows = []
    for kpi in content["scorecard"]:
        show = _kpi_format(kpi["unit"], lang)
        months = [
            {"month": row["period_month"], "value": row["kpi_value"]}
            for row in trend.get(kpi["kpi"], [])
            if row["kpi_value"] is not None
        ]
        spark = charts.sparkline(months, kpi["target"], kpi["unit"] == "share")
        rows.append(
            {
                "label": kpi.get(f"label_{lang}") or kpi["kpi"],
                "value": show(kpi["kpi_value"]),
                "target": show(kpi["target"]),
                "previous": show(kpi["previous_value"]),
                "change": show(kpi["change"], signed=True),
                "status": kpi["status"] or "none",
                "status_label": named("status", kpi["status"] or "none"),
                "trend": charts.svg(spark, lang) if len(months) > 1 else "",
            }
        )
    return rows


def _explanations(content: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    named = _namer(content, lang)
    kpis = {kpi["kpi"]: kpi for kpi in content["scorecard"]}
    explained = []
    for kpi in content["scorecard"]:
        if kpi["status"] != "off_track":
            continue
        show = _kpi_format(kpi["unit"], lang)
        members = [row for row in content["explanations"] if row["kpi"] == kpi["kpi"]]
        ratio = any(row["contribution"] is not None for row in members)
        groups = []
        for name in BREAKDOWNS:
            rows = [row for row in members if row["breakdown"] == name]
            if not rows:
                continue
            groups.append(
                {
                    "title": named("breakdown", name),
                    "rows": [
                        {
                            "member": named(name, row["member"]),
                            "value": show(row["value"]),
                            "volume": formats.integer(row["denominator"], lang),
                            "contribution": show(row["contribution"], signed=True)
                            if row["contribution"] is not None
                            else show(row.get("gap"), signed=True),
                        }
                        for row in rows
                    ],
                }
            )
        explained.append(
            {
                "heading": text(
                    "explain.kpi",
                    lang,
                    label=kpis[kpi["kpi"]].get(f"label_{lang}") or kpi["kpi"],
                    value=show(kpi["kpi_value"]),
                    target=show(kpi["target"]),
                ),
                "help": text("explain.ratio_help" if ratio else "explain.median_help", lang),
                "ratio": ratio,
                "groups": groups,
            }
        )
    return explained


def _funnel(content: dict[str, Any], lang: str) -> dict[str, Any]:
    named = _namer(content, lang)
    rows = [
        {
            "stage": named("stage", row["stage"]),
            "entries": formats.integer(row["entry_count"], lang),
            "next_step": formats.percent(row["next_step_rate"], lang),
            "cumulative": formats.percent(row["cumulative_rate"], lang),
            "count": row["entry_count"],
        }
        for row in content["funnel"]
    ]
    chart = charts.horizontal_bars(
        [{"stage": row["stage"], "count": row["count"]} for row in rows],
        label="stage",
        value="count",
    )
    return {"rows": rows, "chart": charts.svg(chart, lang)}


def _target_of(content: dict[str, Any], kpi: str) -> float | None:
    found = [row["target"] for row in content["scorecard"] if row["kpi"] == kpi]
    return found[0] if found else None


def _sla(content: dict[str, Any], lang: str) -> dict[str, Any]:
    named = _namer(content, lang)
    rows = [
        {
            "team": named("team", row["team"]),
            "handoffs": formats.integer(row["handoff_count"], lang),
            "met": formats.integer(row["met_count"], lang),
            "breached": formats.integer(row["breached_count"], lang),
            "open": formats.integer(row["breached_open_count"], lang),
            "compliance": formats.percent(row["sla_compliance_rate"], lang),
            "due": formats.integer(row["feedback_due_count"], lang),
            "complete": formats.integer(row["feedback_complete_count"], lang),
            "missing": formats.integer(row["feedback_missing_count"], lang),
            "coverage": formats.percent(row["feedback_coverage_rate"], lang),
            "rate": row["sla_compliance_rate"],
        }
        for row in content["sla_by_team"]
    ]
    target = _target_of(content, "sla_compliance")
    chart = charts.horizontal_bars(
        [{"team": row["team"], "rate": row["rate"]} for row in rows if row["rate"] is not None],
        label="team",
        value="rate",
        share=True,
        target=target,
    )
    return {
        "rows": rows,
        "chart": charts.svg(chart, lang) if rows else "",
        "help": text("sla.help", lang, target=formats.percent(target, lang)),
    }


def _reasons(content: dict[str, Any], lang: str) -> list[dict[str, str]]:
    named = _namer(content, lang)
    return [
        {
            "reason": named("reason", row["reason"]),
            "disqualified": formats.integer(row["disqualified_count"], lang),
            "share": formats.percent(row["reason_share"], lang),
            "cumulative": formats.percent(row["cumulative_share"], lang),
        }
        for row in content["reasons"]
    ]


def _volume(content: dict[str, Any], lang: str) -> dict[str, Any]:
    named = _namer(content, lang)
    rows, bars = [], []
    for row in content["volume"]:
        cell = f"{named('segment', row['segment'])} · {named('channel', row['channel'])}"
        rows.append(
            {
                "segment": named("segment", row["segment"]),
                "channel": named("channel", row["channel"]),
                "mqls": formats.integer(row["mql_count"], lang),
                "target": formats.integer(row["mql_target_count"], lang),
                "attainment": formats.percent(row["attainment_ratio"], lang),
                "gap": formats.number(row["gap_to_target_count"], lang, 0, signed=True),
            }
        )
        bars.append({"cell": cell, "kind": text("chart.mqls", lang), "count": row["mql_count"]})
        bars.append(
            {"cell": cell, "kind": text("chart.target", lang), "count": row["mql_target_count"]}
        )
    total = content.get("volume_total") or {}
    return {
        "rows": rows,
        "chart": charts.svg(charts.actual_and_target(bars), lang) if bars else "",
        "total": text(
            "volume.total",
            lang,
            mqls=formats.integer(total.get("mql_count"), lang),
            target=formats.integer(total.get("mql_target_count"), lang),
        ),
    }


def _quality(content: dict[str, Any], lang: str) -> dict[str, Any]:
    named = _namer(content, lang)
    quality = content["quality"]
    time_zone = content["time_zone"]
    runs = ", ".join(
        text(
            "quality.run_count",
            lang,
            count=formats.integer(run["run_count"], lang),
            status=named("publication", run["status"]),
        )
        for run in quality["runs"]
    )
    held = sorted({reason for run in quality["runs"] for reason in run["reasons"] or []})
    last = quality["last_publication"]
    checks = (
        text(
            "quality.checks",
            lang,
            when=_instant(last["finished_at"], lang, time_zone),
            passed=formats.integer(last["checks_passed"], lang),
            failed=formats.integer(last["checks_failed"], lang),
            blocking=formats.integer(last["blocking_failed"], lang),
            warnings=formats.integer(last["warnings_failed"], lang),
        )
        if last
        else text("quality.no_checks", lang)
    )
    return {
        "completeness": [
            {
                "team": named("team", row["team"]),
                "accepted": formats.integer(row["accepted_count"], lang),
                "complete": formats.integer(row["complete_count"], lang),
                "rate": formats.percent(row["key_field_completeness_rate"], lang),
            }
            for row in quality["completeness"]
        ],
        "runs": text("quality.runs", lang, runs=runs) if runs else text("quality.no_runs", lang),
        "held_back": text("quality.held_back_reasons", lang, reasons="; ".join(held))
        if held
        else "",
        "checks": checks,
        "loads": [
            {
                "status": named("load", row["status"]),
                "files": formats.integer(row["file_count"], lang),
                "loaded": formats.integer(row["rows_loaded"], lang),
                "rejected": formats.integer(row["rows_rejected"], lang),
            }
            for row in quality["loads"]
        ],
    }


def html(content: dict[str, Any], lang: str) -> str:
    """The pack of CONTENT in LANG, as one self-contained HTML page."""
    month = date.fromisoformat(content["month"])
    time_zone = content["time_zone"]
    closed_by = next((kpi["closed_by"] for kpi in content["scorecard"] if kpi["closed_by"]), "")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("pack.html.j2")
    return template.render(
        lang=lang,
        t=lambda key, **values: text(key, lang, **values),
        css=(HERE / "pack.css").read_text(encoding="utf-8"),
        month=formats.month(month, lang, long=True),
        month_title=formats.month(month, lang, long=True).capitalize(),
        month_code=f"{month:%Y-%m}",
        as_of=_instant(content["data_as_of"], lang, time_zone),
        frozen_at=_instant(content["kpis_frozen_at"], lang, time_zone),
        closed_by=text(f"closed.{closed_by}", lang) if closed_by else "",
        version=content["definition_version"] or formats.MISSING,
        scorecard=_scorecard(content, lang),
        explanations=_explanations(content, lang),
        funnel=_funnel(content, lang),
        sla=_sla(content, lang),
        reasons=_reasons(content, lang),
        volume=_volume(content, lang),
        quality=_quality(content, lang),
    )


def pdf(page: str) -> bytes:
    """PAGE (the pack's HTML) as an A4 landscape PDF."""
    try:
        import weasyprint
    except OSError as error:  # Pango is a system library: WeasyPrint cannot load without it
        raise PdfUnavailable(
            f"WeasyPrint cannot load its system libraries ({error}); on Debian or Ubuntu: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from error
    return weasyprint.HTML(string=page).write_pdf()


def pdf_unavailable() -> str | None:
    """Why PDFs cannot be drawn here, or None when they can."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        return str(error)
    return None


def write(content: dict[str, Any], folder: Path) -> list[Path]:
    """The pack of CONTENT in every language, HTML and PDF, into FOLDER; the files written."""
    month = date.fromisoformat(content["month"])
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages = {lang: html(content, lang) for lang in LANGUAGES}
    for lang, page in pages.items():
        written.append(replace(folder / f"{file_stem(month, lang)}.html", page.encode("utf-8")))
    for lang, page in pages.items():
        written.append(replace(folder / f"{file_stem(month, lang)}.pdf", pdf(page)))
    return written


def replace(path: Path, data: bytes) -> Path:
    """DATA written beside PATH, then renamed over it: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)
    return path
