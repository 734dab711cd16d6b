"""The pack's charts: Vega-Lite specifications drawn to SVG offline by vl-convert, with the
language's number and date formats; the SVG goes inline into the HTML (and so the PDF)."""

from __future__ import annotations

from typing import Any

import vl_convert

VEGA_LOCALES = {"fr": "fr-FR", "en": "en-GB"}
FONT = "DejaVu Sans, Liberation Sans, sans-serif"
INK = "#1f2937"
MUTED = "#9ca3af"
ACCENT = "#2563eb"
STATUS_COLOURS = {"on_track": "#15803d", "at_risk": "#d97706", "off_track": "#b91c1c"}
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelColor": INK, "titleColor": INK, "gridColor": "#e5e7eb", "labelFontSize": 10},
    "legend": {"labelFontSize": 10, "titleFontSize": 10},
    "background": "white",
}


def svg(spec: dict[str, Any], lang: str) -> str:
    """SPEC drawn as SVG in LANG's formats (no network: vl-convert carries Vega)."""
    locale = VEGA_LOCALES[lang]
    drawn = vl_convert.vegalite_to_svg(
        {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "config": CONFIG, **spec},
        format_locale=locale,
        time_format_locale=locale,
    )
    # the XML prologue is not allowed inside HTML
    return drawn[drawn.index("<svg") :] if "<svg" in drawn else drawn


def sparkline(values: list[dict[str, Any]], target: float | None, share: bool) -> dict[str, Any]:
    """A KPI over twelve months (VALUES: month, value) with its target as a dashed rule."""
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "color": ACCENT, "point": {"size": 12, "color": ACCENT}},
            "encoding": {
                "x": {"field": "month", "type": "ordinal", "axis": None, "sort": None},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "axis": None,
                    "scale": {"zero": False},
                },
            },
        }
    ]
    if target is not None:
        layers.append(
            {
                "mark": {"type": "rule", "color": MUTED, "strokeDash": [3, 2]},
                "encoding": {"y": {"datum": target, "type": "quantitative"}},
            }
        )
    return {
        "width": 120,
        "height": 30,
        "padding": 2,
        "data": {"values": values},
        "layer": layers,
        "usermeta": {"share": share},
    }


def horizontal_bars(
    values: list[dict[str, Any]],
    *,
    label: str,
    value: str,
    share: bool = False,
    target: float | None = None,
    colour: str = ACCENT,
    width: int = 260,
) -> dict[str, Any]:
    """One bar per row of VALUES (in their order), its value written at its end; a dashed
    TARGET rule when given."""
    axis_format = ".0%" if share else ",.0f"
    text_format = ".1%" if share else ",.0f"
    encoding = {
        "y": {"field": label, "type": "nominal", "sort": None, "title": None},
        "x": {
            "field": value,
            "type": "quantitative",
            "title": None,
            "axis": {"format": axis_format, "tickCount": 5},
        },
    }
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar", "color": colour}, "encoding": encoding},
        {
            "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10, "color": INK},
            "encoding": {**encoding, "text": {"field": value, "format": text_format}},
        },
    ]
    if target is not None:
        layers.append(
            {
                "mark": {
                    "type": "rule",
                    "color": STATUS_COLOURS["off_track"],
                    "strokeDash": [4, 3],
                },
                "encoding": {"x": {"datum": target, "type": "quantitative"}},
            }
        )
    return {
        "width": width,
        "height": {"step": 18},
        "data": {"values": values},
        "layer": layers,
    }


def actual_and_target(values: list[dict[str, Any]], *, width: int = 520) -> dict[str, Any]:
    """MQLs against their target per cell (VALUES: cell, kind, count), side by side."""
    return {
        "width": width,
        "height": {"step": 9},
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "cell", "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "kind", "sort": None},
            "x": {"field": "count", "type": "quantitative", "title": None},
            "color": {
                "field": "kind",
                "type": "nominal",
                "sort": None,
                "title": None,
                "scale": {"range": [ACCENT, MUTED]},
                "legend": {"orient": "top"},
            },
        },
    }
