"""Sentences of the quarterly report computed from the marts: no number in the report is typed by hand."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

VISIT_TYPES = {
    "pre_sif_inspection": "inspection (before the single inspection framework)",
    "sif_inspection": "single inspection framework (SIF) inspection",
    "monitoring_visit": "monitoring visit",
    "ilacs_standard": "ILACS standard inspection",
    "ilacs_short": "ILACS short inspection",
    "focused_visit": "focused visit",
    "assurance_visit": "assurance visit",
    "jtai": "joint targeted area inspection",
    "area_send_inspection": "area SEND inspection",
    "area_send_revisit": "area SEND revisit",
}
GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "adequate": "Adequate",
    "inadequate": "Inadequate",
    "ungraded": "Not graded",
}
STATUS = {
    "persistent": "Persistent: raised again at the latest visit, no better than before",
    "new": "New: first raised at the latest visit",
    "improving": "Improving: raised before, better at the latest visit",
    "resolved": "Resolved: raised before, only strengths at the latest visit",
    "not_revisited": "Not revisited: raised before, not looked at in the latest visit",
}


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_date(value: object) -> dt.date | None:
    """A date from a date, a timestamp or an ISO string; None when missing."""
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def format_date(value: object, precision: object = "day") -> str:
    """A date in words at its precision: '5 April 2016', 'April 2016' or '2016'; 'date unknown' when missing."""
    day = as_date(value)
    if day is None:
        return "date unknown"
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%B %Y}"
    return f"{day.day} {day:%B %Y}"


def visit_type(value: object) -> str:
    """A visit type in words (the code itself when unknown)."""
    return VISIT_TYPES.get(str(value), str(value).replace("_", " "))


def grade(value: object) -> str:
    """An Ofsted grade in words."""
    return GRADES.get(str(value), str(value).replace("_", " "))


def article(word: str) -> str:
    """'a' or 'an' for a word."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def signed(value: object, digits: int = 2) -> str:
    """A net balance as +0.25 / -0.50 / 0.00; 'not scored' when missing."""
    if _missing(value) or (isinstance(value, float) and math.isnan(value)):
        return "not scored"
    number = float(value)  # type: ignore[arg-type]
    return f"{number:+.{digits}f}" if round(number, digits) != 0 else f"{0:.{digits}f}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 visit', '3 visits'."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def headline(timeline: pd.DataFrame, council: str, quarter_title: str) -> list[str]:
    """The headline sentences: the latest judgement and the latest visit, from mart_visit_timeline."""
    if timeline.empty:
        return [f"No inspection or visit of {council} had been published by the end of {quarter_title}."]
    sentences = []
    frame = timeline.sort_values(["visit_date", "visit_id"])
    graded = frame[frame["is_graded"].fillna(False).astype(bool)]
    if graded.empty:
        sentences.append(f"No graded inspection of {council} had been published by the end of {quarter_title}.")
    else:
        row = graded.iloc[-1]
        basis = " (the lowest of its area grades)" if row.get("grade_basis") == "lowest_area_grade" else ""
        sentences.append(
            f"The latest overall judgement of {council}'s children's services is {grade(row['grade'])}{basis}, "
            f"from the {visit_type(row['visit_type'])} published "
            f"{format_date(row['published_date'] if not _missing(row['published_date']) else row['visible_from'])}."
        )
    last = frame.iloc[-1]
    kind = visit_type(last["visit_type"])
    sentences.append(
        f"The latest visit was {article(kind)} {kind} "
        f"({format_date(last['visit_date'], last.get('visit_date_precision', 'day'))}), "
        f"published {format_date(last['visible_from'])}."
    )
    return sentences


def new_in_quarter(
    timeline: pd.DataFrame,
    documents: Sequence[dict[str, Any]],
    events: pd.DataFrame,
    start: dt.date,
    end: dt.date,
) -> list[str]:
    """One line per visit, document and event that became visible within the quarter."""
    lines = []
    for row in timeline.itertuples(index=False):
        day = as_date(row.visible_from)
        if day is not None and start <= day <= end:
            lines.append(f"Visit: {row.title} ({visit_type(row.visit_type)}), published {format_date(day)}.")
    for doc in documents:
        if doc.get("is_new_in_quarter"):
            precision = doc.get("published_date_precision") or "day"
            lines.append(f"Document: {doc['title']}, {format_date(doc['published_date'], precision)}.")
    for row in events.itertuples(index=False):
        day = as_date(row.event_date)
        if day is not None and start <= day <= end:
            lines.append(f"Event: {row.title}, {format_date(day, row.event_precision or 'day')}.")
    return lines


def trajectory(frame: pd.DataFrame, label: str) -> str:
    """A sentence on one theme's net balance across visits, from mart_theme_trajectory rows of that theme."""
    mentioned = frame[frame["is_mentioned"].fillna(False).astype(bool)].sort_values(["visit_date", "visit_id"])
    n_visits = frame["visit_id"].nunique()
    if n_visits == 0:
        return (
            f"No visit has coded text or analysts' findings yet, so {label.lower()} cannot be followed across visits."
        )
    if mentioned.empty:
        return f"{label} was not mentioned in any of the {count(n_visits, 'visit')} with coded evidence."
    first, last = mentioned.iloc[0], mentioned.iloc[-1]
    text = (
        f"{label} was mentioned in {mentioned['visit_id'].nunique()} of the {count(n_visits, 'visit')} "
        f"with coded evidence."
    )
    if len(mentioned) == 1:
        return text + f" Its net balance at the {visit_type(first['visit_type'])} was {signed(first['net_balance'])}."
    return text + (
        f" Its net balance (strengths minus concerns, as a share of the visit's coded sentences) went from "
        f"{signed(first['net_balance'])} at the {visit_type(first['visit_type'])} of "
        f"{format_date(first['visit_date'], 'year')} to {signed(last['net_balance'])} at the "
        f"{visit_type(last['visit_type'])} of {format_date(last['visit_date'], 'year')}."
    )


def data_note(note: object, n: object) -> str:
    """A data note of mart_data_notes as a sentence: capitalised, with its count."""
    words = str(note).strip().rstrip(".")
    return f"{words[:1].upper()}{words[1:]} (count: {int(n)})."  # type: ignore[call-overload]


def concerns_summary(frame: pd.DataFrame) -> str:
    """A sentence counting recurring concerns by status, from mart_recurring_concerns."""
    if frame.empty:
        return "No theme was raised as a concern or recommendation in two or more visits."
    recurring = frame[frame["is_recurring"].fillna(False).astype(bool)]
    parts = []
    for status in STATUS:
        n = int((recurring["status"] == status).sum())
        if n:
            parts.append(f"{n} {status.replace('_', ' ')}")
    n_new = int((frame["status"] == "new").sum())
    text = f"{count(len(recurring), 'theme')} raised in two or more visits"
    text += f" ({', '.join(parts)})" if parts else ""
    if n_new:
        text += f"; {count(n_new, 'theme')} raised for the first time at the latest visit"
    return text + "."


def evidence_citation(row: dict[str, Any]) -> str:
    """Where a quote comes from: document, page, visit date and how it was coded."""
    parts = [str(row.get("document_title") or "analyst's finding")]
    if not _missing(row.get("page")):
        parts.append(f"page {int(row['page'])}")
    parts.append(format_date(row.get("visit_date"), "month"))
    parts.append(str(row.get("polarity", "")))
    return ", ".join(p for p in parts if p)


def pick_evidence(frame: pd.DataFrame, n: int = 6) -> pd.DataFrame:
    """The quotes to show for a theme: the latest visits first, concerns before strengths, at most n."""
    if frame.empty:
        return frame.assign(citation=pd.Series(dtype=str))
    order = {"concern": 0, "improving": 1, "strength": 2, "neutral": 3}
    ranked = frame.assign(_rank=frame["polarity"].map(order).fillna(4))
    ranked = ranked.sort_values(
        ["visit_date", "_rank", "passage_id"], ascending=[False, True, True], na_position="last"
    )
    picked = ranked.head(n).drop(columns="_rank")
    return picked.assign(citation=[evidence_citation(r) for r in picked.to_dict(orient="records")])


def number(value: object, unit: object = "") -> str:
    """A figure for a table: one decimal at most, % for percentages; 'not published' when missing."""
    if _missing(value):
        return "not published"
    figure = f"{float(value):,.1f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]
    return f"{figure}%" if str(unit or "").startswith("%") else figure


def latest_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """The latest period of each measure from mart_measure_benchmarks, with its figures as text for a table."""
    if frame.empty:
        return frame.assign(
            period="", value_text="", neighbour_text="", region_text="", england_text="", theme_list=[[]] * 0
        )
    rows = frame[frame["is_latest"].fillna(False).astype(bool)].sort_values(["label", "measure"])
    return rows.assign(
        period=[period(s, e) for s, e in zip(rows["period_start"], rows["period_end"], strict=True)],
        value_text=[number(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)],
        neighbour_text=[number(v, u) for v, u in zip(rows["neighbour_mean"], rows["unit"], strict=True)],
        region_text=[number(v, u) for v, u in zip(rows["region_value"], rows["unit"], strict=True)],
        england_text=[number(v, u) for v, u in zip(rows["england_value"], rows["unit"], strict=True)],
        theme_list=[split_ids(t) for t in rows["theme_ids"]],
    )


def period(start: object, end: object) -> str:
    """A measure's period in months: 'April 2024 to March 2025', or one month for a snapshot."""
    first, last = format_date(start, "month"), format_date(end, "month")
    return last if first == last else f"{first} to {last}"


def split_ids(value: object) -> list[str]:
    """Theme ids stored as 'a,b' or 'a;b' or 'a b' as a list."""
    if _missing(value):
        return []
    return [part for part in str(value).replace(";", ",").replace(" ", ",").split(",") if part]


def measures_for_themes(latest: pd.DataFrame, themes: Sequence[str], per_theme: int = 1) -> list[str]:
    """Measures to chart: for each focus theme in turn, its first linked measures (each measure once)."""
    chosen: list[str] = []
    if latest.empty:
        return chosen
    for theme_id in themes:
        linked = [m for m, ts in zip(latest["measure"], latest["theme_list"], strict=True) if theme_id in ts]
        for measure in [m for m in linked if m not in chosen][:per_theme]:
            chosen.append(measure)
    return chosen
