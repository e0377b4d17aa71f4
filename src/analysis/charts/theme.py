"""One accessible chart theme: colour-blind-safe colours, Ofsted's grades in a fixed order, titles and alt text.

Every chart in the suite goes through `finish` (a title that states the finding, a subtitle, and the Vega-Lite
top-level `description`, which Vega renders as the chart's aria-label) and can give its data back with `table`.
Charts keep their data inline (no URLs), so a rendered page works offline.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

import altair as alt
import pandas as pd

from analysis.charts import display

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
TEXT_COLOUR = "#1a1a1a"
# Yellow is left out of the categorical range: it fails contrast against a white background.
CATEGORY_RANGE: list[str] = [
    OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "black")
]

# Ofsted's grades, best first. `adequate` (pre-2013 frameworks) sits on the same rung as `requires_improvement`;
# `ungraded` stands for visits that give no judgement (monitoring and focused visits), so they still show;
# `not_recorded` for a graded inspection whose grade was not read: the database holds no judgement (a different shape).
GRADE_ORDER: list[str] = [
    "outstanding",
    "good",
    "requires_improvement",
    "adequate",
    "inadequate",
    "ungraded",
    "not_recorded",
]
GRADE_LABELS: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "adequate": "Adequate",
    "inadequate": "Inadequate",
    "ungraded": "Not graded",
    "not_recorded": "Grade not read",
}
GRADE_RANK: dict[str, int | None] = {
    "outstanding": 1,
    "good": 2,
    "requires_improvement": 3,
    "adequate": 3,
    "inadequate": 4,
    "ungraded": None,
    "not_recorded": None,
}
# Cool colours for the better grades, warm for the worse, grey for none: the order reads without a legend.
GRADE_COLOURS: dict[str, str] = {
    "outstanding": OKABE_ITO["blue"],
    "good": OKABE_ITO["sky_blue"],
    "requires_improvement": OKABE_ITO["orange"],
    "adequate": OKABE_ITO["orange"],
    "inadequate": OKABE_ITO["vermillion"],
    "ungraded": OKABE_ITO["grey"],
    "not_recorded": OKABE_ITO["grey"],
}
# A second, shape channel so grades never depend on colour alone.
GRADE_SHAPES: dict[str, str] = {
    "outstanding": "circle",
    "good": "circle",
    "requires_improvement": "square",
    "adequate": "square",
    "inadequate": "triangle-down",
    "ungraded": "diamond",
    "not_recorded": "cross",
}

POLARITY_ORDER: list[str] = ["strength", "improving", "neutral", "concern"]
POLARITY_LABELS: dict[str, str] = {
    "strength": "Strength",
    "improving": "Improving",
    "neutral": "Neutral",
    "concern": "Concern",
}
POLARITY_COLOURS: dict[str, str] = {
    "strength": OKABE_ITO["blue"],
    "improving": OKABE_ITO["bluish_green"],
    "neutral": OKABE_ITO["grey"],
    "concern": OKABE_ITO["vermillion"],
}

# The theme measure's readings (queries/macros/asof_theme_readings.sql), most concern first. Okabe-Ito colours from
# warm (concern) to cool (strength); "not enough evidence" is a pale grey that reads as empty-ish, never as a score.
READING_ORDER: list[str] = [
    "named_for_improvement",
    "mostly_concerns",
    "mixed",
    "mostly_strengths",
    "not_enough_evidence",
]
READING_LABELS: dict[str, str] = {
    "named_for_improvement": "Named for improvement",
    "mostly_concerns": "Mostly concerns",
    "mixed": "Mixed",
    "mostly_strengths": "Mostly strengths",
    "not_enough_evidence": "Not enough evidence",
    "not_mentioned": "Not mentioned",
}
READING_COLOURS: dict[str, str] = {
    "named_for_improvement": OKABE_ITO["vermillion"],
    "mostly_concerns": OKABE_ITO["orange"],
    "mixed": OKABE_ITO["yellow"],
    "mostly_strengths": OKABE_ITO["blue"],
    "not_enough_evidence": "#e6e6e6",
}
# Text written on a cell of that colour: white on blue, near-black on the others (contrast at least 4.5:1).
READING_TEXT_COLOURS: dict[str, str] = {
    "named_for_improvement": TEXT_COLOUR,
    "mostly_concerns": TEXT_COLOUR,
    "mixed": TEXT_COLOUR,
    "mostly_strengths": "#ffffff",
    "not_enough_evidence": "#4d4d4d",
}
# A shape per reading too, so that a reading never depends on colour alone.
READING_SHAPES: dict[str, str] = {
    "named_for_improvement": "triangle-up",
    "mostly_concerns": "square",
    "mixed": "diamond",
    "mostly_strengths": "circle",
    "not_enough_evidence": "cross",
}
CONCERN_SHARE_AXIS = "Concern share (% of sentences judging the theme)"

FONT = "Arial, Helvetica, sans-serif"  # on every locked-down machine; no web font to fetch
MUTED_COLOUR = "#4d4d4d"  # 8.5:1 on white, above WCAG AA for small text
THEME_NAME = "analysis"
WIDTH = 640


def grade_scale() -> alt.Scale:
    """The colour scale for grades: fixed order and colours, whatever subset a chart holds."""
    return alt.Scale(domain=GRADE_ORDER, range=[GRADE_COLOURS[g] for g in GRADE_ORDER])


def grade_shape_scale() -> alt.Scale:
    """The shape scale for grades, so the grade never depends on colour alone."""
    return alt.Scale(domain=GRADE_ORDER, range=[GRADE_SHAPES[g] for g in GRADE_ORDER])


def polarity_scale() -> alt.Scale:
    """The colour scale for polarity: strength, improving, neutral, concern."""
    return alt.Scale(domain=POLARITY_ORDER, range=[POLARITY_COLOURS[p] for p in POLARITY_ORDER])


def reading_scale() -> alt.Scale:
    """The colour scale for theme readings: fixed order and colours, whatever subset a chart holds."""
    return alt.Scale(domain=READING_ORDER, range=[READING_COLOURS[r] for r in READING_ORDER])


def reading_shape_scale() -> alt.Scale:
    """The shape scale for theme readings, so a reading never depends on colour alone."""
    return alt.Scale(domain=READING_ORDER, range=[READING_SHAPES[r] for r in READING_ORDER])


def reading_text_scale() -> alt.Scale:
    """The colour of text written on a reading's cell, readable on each fill."""
    return alt.Scale(domain=READING_ORDER, range=[READING_TEXT_COLOURS[r] for r in READING_ORDER])


def legend_labels(labels: dict[str, str]) -> str:
    """A Vega expression mapping legend ids to labels (the suite's own constants, never document text)."""
    cases = " : ".join(f"datum.label === '{key}' ? '{value}'" for key, value in labels.items())
    return f"{cases} : datum.label"


def axis_title(label: str, unit: str | None = None) -> str:
    """An axis title with its unit in brackets, e.g. 'Visit date (fieldwork start)'."""
    return f"{label} ({unit})" if unit else label


_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")
_SPACE = re.compile(r"\s+")


def plain(text: object) -> str:
    """Text made safe for a title, label or tooltip: no markup, no control characters, single spaces.

    Angle brackets become their full-width look-alikes, so `</script>` inside a quoted sentence cannot close a
    page's script element however the page embeds the spec, while a reader still sees the sign.
    """
    if _missing(text):
        return ""
    out = unicodedata.normalize("NFC", str(text))
    out = _CONTROL.sub(" ", out).replace("<", "\uff1c").replace(">", "\uff1e")
    return _SPACE.sub(" ", out).strip()


def _missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _plain_or_missing(value: object) -> object:
    return value if _missing(value) else plain(value)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text columns have passed through `plain`, ready to inline into a chart."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_plain_or_missing)
    return out


def finish(
    chart: alt.TopLevelMixin,
    title: str,
    subtitle: str | list[str] | None = None,
    description: str | None = None,
) -> alt.TopLevelMixin:
    """Give a chart its finding as title, an optional subtitle, and alt text (Vega-Lite `description`)."""
    if not title or not title.strip():
        raise ValueError("a chart needs a title that states its finding")
    subtitles = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    title_params: dict[str, Any] = {"text": plain(title), "anchor": "start"}
    if subtitles:
        title_params["subtitle"] = [plain(s) for s in subtitles]
    alt_text = plain(description) if description else plain(" ".join([title, *subtitles]))
    return chart.properties(title=alt.TitleParams(**title_params), description=alt_text)


def table(chart_or_frame: alt.TopLevelMixin | pd.DataFrame) -> pd.DataFrame:
    """The data behind a chart, as a table (a frame is returned as a copy)."""
    if isinstance(chart_or_frame, pd.DataFrame):
        return chart_or_frame.copy()
    found = _frame_of(chart_or_frame)
    if found is not None:
        return found.copy()
    spec = chart_or_frame.to_dict()
    datasets = spec.get("datasets") or {}
    if datasets:
        return pd.DataFrame(next(iter(datasets.values())))
    values = (spec.get("data") or {}).get("values")
    return pd.DataFrame(values if values is not None else [])


def _frame_of(chart: Any) -> pd.DataFrame | None:
    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        return data
    for attr in ("layer", "hconcat", "vconcat", "concat"):
        for child in getattr(chart, attr, None) or []:
            found = _frame_of(child)
            if found is not None:
                return found
    inner = getattr(chart, "spec", alt.Undefined)
    if inner is not alt.Undefined and inner is not None:
        return _frame_of(inner)
    return None


def link_table(frame: pd.DataFrame, link_columns: tuple[str, ...] = ("url",), label: str = "open") -> Any:
    """A frame for display with its text HTML-escaped and its URL columns as links (a pandas Styler)."""
    shown = frame.copy()

    def escaped(value: object) -> str:
        return "" if _missing(value) else html.escape(str(value))

    def linked(value: object) -> str:
        if _missing(value) or not str(value).startswith(("https://", "http://")):
            return escaped(value)
        return f'<a href="{html.escape(str(value), quote=True)}" target="_blank" rel="noopener">{label}</a>'

    formatters = {c: (linked if c in link_columns else escaped) for c in shown.columns}
    return shown.style.format(formatters).hide(axis="index")


def theme_config() -> dict[str, Any]:
    """The Vega-Lite config of the suite's theme (fonts, high-contrast text, Okabe-Ito categories)."""
    return {
        "config": {
            "font": FONT,
            "background": "#ffffff",
            "view": {"continuousWidth": WIDTH, "continuousHeight": 300, "stroke": None},
            "title": {"fontSize": 16, "subtitleFontSize": 13, "color": TEXT_COLOUR, "subtitleColor": MUTED_COLOUR},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "gridColor": "#e0e0e0",
                "domainColor": MUTED_COLOUR,
                "tickColor": MUTED_COLOUR,
                "labelLimit": 260,
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "orient": "bottom",
                "labelLimit": 260,
            },
            "header": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": TEXT_COLOUR},
            "range": {"category": CATEGORY_RANGE},
            "aria": True,
        }
    }


def enable() -> None:
    """Register and enable the theme, keep chart data inline with no row cap, and show charts offline."""
    alt.theme.register(THEME_NAME, enable=True)(lambda: alt.theme.ThemeConfig(**theme_config()))
    alt.data_transformers.enable("default", max_rows=None)  # evidence tables are long
    display.enable()  # Altair's default renderer loads Vega from a CDN (analysis.charts.display)


enable()
