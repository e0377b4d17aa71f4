"""Words for the theme measure (queries/macros/asof_theme_readings.sql) and for naming visits, shared by the charts,
the notebooks and the report, so that a chart's title and the report's sentence about one reading say the same.

A reading is one of named_for_improvement, mostly_concerns, mixed, mostly_strengths, not_enough_evidence (or
not_mentioned in a trajectory grid). The concern share is the share of a theme's evaluative sentences (strength,
improving or concern; neutral mentions do not judge) that find it not yet good (concern or improving).
"""

from __future__ import annotations

import pandas as pd

from analysis.charts import theme

# Visit types as they read inside a sentence ("at the focused visit of October 2025").
VISIT_TYPE_WORDS: dict[str, str] = {
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
# Short forms for axis labels.
VISIT_TYPE_SHORT: dict[str, str] = {
    "sif_inspection": "SIF",
    "ilacs_standard": "ILACS",
    "ilacs_short": "ILACS short",
    "monitoring_visit": "MV",
    "focused_visit": "FV",
    "assurance_visit": "AV",
    "pre_sif_inspection": "Inspection",
    "jtai": "JTAI",
    "area_send_inspection": "SEND",
    "area_send_revisit": "SEND revisit",
}
RAISED = ("named_for_improvement", "mostly_concerns")


def visit_type_words(value: object) -> str:
    """A visit type as it reads in a sentence (the code itself, spaced, when unknown)."""
    return VISIT_TYPE_WORDS.get(str(value), str(value).replace("_", " "))


def month(value: object) -> str:
    """A date as 'Oct 2025'; 'date unknown' when missing."""
    return "date unknown" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%b %Y")


def visit_name(visit_type: object, visit_date: object) -> str:
    """A visit in words: 'the focused visit of Oct 2025'."""
    return f"the {visit_type_words(visit_type)} of {month(visit_date)}"


def unit_word(basis: object, n: int) -> str:
    """'sentence(s)' for coded text, 'finding(s)' for analysts' findings."""
    word = "finding" if basis == "analyst_findings" else "sentence"
    return word if n == 1 else word + "s"


def share_phrase(row: pd.Series | dict) -> str:
    """The counts behind a reading: '5 of 5 sentences judging it found it not yet good (2 concerns, ...)'."""
    n = int(row.get("n_evaluative") or 0)
    k = int(row.get("n_concern_or_improving") or 0)
    basis = row.get("evidence_basis")
    if n == 0:
        return f"no {unit_word(basis, 2)} judged it"
    parts = []
    n_concern, n_improving = int(row.get("n_concern") or 0), int(row.get("n_improving") or 0)
    if n_concern:
        parts.append(f"{n_concern} concern{'s' if n_concern != 1 else ''}")
    if n_improving:
        parts.append(f"{n_improving} improving but not yet good")
    detail = f" ({', '.join(parts)})" if parts and k else ""
    return f"{k} of {n} {unit_word(basis, n)} judging it found it not yet good{detail}"


def reading_words(reading: object) -> str:
    """A reading in lower-case words ('named for improvement', 'mostly concerns', 'not enough evidence')."""
    return theme.READING_LABELS.get(str(reading), str(reading).replace("_", " ")).lower()


def reading_phrase(row: pd.Series | dict) -> str:
    """A reading with its evidence, never a bare number: 'mostly concerns: 5 of 5 sentences judging it ...'.

    A theme named in the visit's improvement points is said to be named, whatever its sentence counts; too few
    judging sentences are said to be too few, with their number and no share.
    """
    reading = str(row.get("reading"))
    if reading == "not_mentioned":
        return "not mentioned"
    n = int(row.get("n_evaluative") or 0)
    basis = row.get("evidence_basis")
    if reading == "not_enough_evidence":
        return f"not enough evidence: {n} {unit_word(basis, n)} judged it"
    if reading == "named_for_improvement":
        return f"named in the visit's improvement points; {share_phrase(row)}"
    return f"{reading_words(reading)}: {share_phrase(row)}"


def percent(value: object) -> str:
    """A share as '40%'; an empty string when missing."""
    return "" if value is None or pd.isna(value) else f"{100 * float(value):.0f}%"


def interval_text(row: pd.Series | dict) -> str:
    """The Wilson 90% interval as '20% to 75%'; an empty string when there is no share."""
    low, high = row.get("concern_share_low"), row.get("concern_share_high")
    if low is None or pd.isna(low) or high is None or pd.isna(high):
        return ""
    return f"{percent(low)} to {percent(high)}"


def unread_after(timeline: pd.DataFrame, latest: pd.Series) -> pd.Series | None:
    """The latest graded inspection after `latest` whose grade was not read, if any: it must not be hidden."""
    after = pd.to_datetime(timeline["visit_date"]) > pd.Timestamp(latest["visit_date"])
    later = timeline[(timeline["grade"] == "not_recorded") & after]
    return later.sort_values(["visit_date", "visit_id"]).iloc[-1] if len(later) else None


def latest_visits(frame: pd.DataFrame, timeline: pd.DataFrame | None = None) -> tuple[pd.Series, pd.Series | None]:
    """The latest visit with a reading in `frame`, and the latest visit of `timeline` when it is a later one.

    The second is None when the latest visit is itself the latest with evidence (or no timeline is given).
    """
    visits = frame.sort_values(["visit_date", "visit_id"]).drop_duplicates("visit_id")
    with_evidence = visits.iloc[-1]
    if timeline is None or timeline.empty:
        return with_evidence, None
    latest = timeline.sort_values(["visit_date", "visit_id"]).iloc[-1]
    if latest["visit_id"] == with_evidence["visit_id"]:
        return with_evidence, None
    return with_evidence, latest


def latest_visit_clause(frame: pd.DataFrame, timeline: pd.DataFrame | None = None) -> str:
    """Which visit the latest readings come from, naming the latest visit apart when it has no evidence.

    'At the latest visit, the focused visit of Oct 2025,' or 'The latest visit, the ILACS standard inspection of
    Oct 2025, has no coded text or analysts' findings yet. At the latest visit with evidence, the monitoring visit of
    Jan 2018,'.
    """
    with_evidence, latest = latest_visits(frame, timeline)
    where = visit_name(with_evidence["visit_type"], with_evidence["visit_date"])
    if latest is None:
        return f"At the latest visit, {where},"
    return (
        f"The latest visit, {visit_name(latest['visit_type'], latest['visit_date'])}, has no coded text or analysts' "
        f"findings yet. At the latest visit with evidence, {where},"
    )


def names(frame: pd.DataFrame, column: str = "theme_label") -> str:
    """Every value of a column as 'a, b and c' in lower case (the count before it must match: all are listed)."""
    values = [theme.plain(v).lower() for v in frame[column]]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def count_readings(rows: pd.DataFrame) -> dict[str, int]:
    """How many themes of one visit have each reading."""
    counts = rows["reading"].value_counts()
    return {reading: int(counts.get(reading, 0)) for reading in theme.READING_ORDER}
