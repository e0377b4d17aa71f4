"""Sentences of the quarterly report computed from the marts: no number in the report is typed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.charts import readings, theme

VISIT_TYPES = readings.VISIT_TYPE_WORDS
GRADES = theme.GRADE_LABELS
# Statuses of mart_recurring_concerns, as the report's table says them (the mart's header defines them exactly).
STATUS = {
    "persistent": "Persistent: raised at the latest visit with evidence and before",
    "new": "New: first raised at the latest visit with evidence",
    "improving": "Improving: raised before; mixed at the latest visit with evidence",
    "resolved": "Resolved: raised before; mostly strengths at the latest visit with evidence",
    "not_revisited": "Not revisited: raised before; the latest visit with evidence said too little or nothing of it",
}
READINGS = theme.READING_LABELS
MEASURE_NOTE = (
    "Theme measure: of the sentences that judge a theme at a visit (strength, improving or concern; neutral mentions "
    "do not judge), the share that find it not yet good (concern, or improving but not yet good), with its Wilson 90% "
    "interval. A theme named in the visit's improvement points or recommendations is a concern there whatever the "
    "counts; under 3 judging sentences is not enough evidence; otherwise mostly concerns when we are 90% sure that "
    "more than half of them find it not yet good (a one-sided test), mostly strengths when we are 90% sure fewer than "
    "half do, else mixed. Analysts' findings stand in for visits with no text."
)


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


def published_words(day: object, basis: object) -> str:
    """When a visit was published, or, when that is not known, the date it counts from and why."""
    if basis == "published_date":
        return format_date(day)
    if basis == "source_published_date":
        return f"not known; first reported {format_date(day)}"
    if basis == "fieldwork":
        return f"not known; fieldwork ended {format_date(day)}"
    return "not known"


def visit_type(value: object) -> str:
    """A visit type in words (the code itself when unknown)."""
    return readings.visit_type_words(value)


def grade(value: object) -> str:
    """An Ofsted grade in words."""
    return GRADES.get(str(value), str(value).replace("_", " "))


def article(word: str) -> str:
    """'a' or 'an' for a word."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 visit', '3 visits'."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _published(row: pd.Series) -> str:
    return format_date(row["published_date"] if not _missing(row["published_date"]) else row["visible_from"])


def headline(timeline: pd.DataFrame, council: str, quarter_title: str) -> list[str]:
    """The headline sentences: the latest judgement and the latest visit, from mart_visit_timeline.

    A later graded inspection whose grade was not read is named, so an older grade is never passed off as the latest;
    when the latest visit has no coded text, the latest visit with text is named apart.
    """
    if timeline.empty:
        return [f"No inspection or visit of {council} had been published by the end of {quarter_title}."]
    sentences = []
    frame = timeline.sort_values(["visit_date", "visit_id"])
    graded = frame[frame["is_graded"].fillna(False).astype(bool)]
    if len(graded):
        unread = readings.unread_after(frame, graded.iloc[-1])
    else:
        not_read = frame[frame["grade"] == "not_recorded"]
        unread = not_read.iloc[-1] if len(not_read) else None
    if unread is not None:
        row = unread
        sentences.append(
            f"The latest graded inspection of {council}'s children's services, the {visit_type(row['visit_type'])} "
            f"published {_published(row)}, is in the database but its grade was not read."
        )
    if graded.empty:
        sentences.append(f"No grade of {council} from a graded inspection had been read by the end of {quarter_title}.")
    else:
        row = graded.iloc[-1]
        basis = " (the lowest of its area grades)" if row.get("grade_basis") == "lowest_area_grade" else ""
        which = "latest overall judgement read" if unread is not None else "latest overall judgement"
        sentences.append(
            f"The {which} of {council}'s children's services is {grade(row['grade'])}{basis}, "
            f"from the {visit_type(row['visit_type'])} published {_published(row)}."
        )
    last = frame.iloc[-1]
    kind = visit_type(last["visit_type"])
    latest = (
        f"The latest visit was {article(kind)} {kind} "
        f"({format_date(last['visit_date'], last.get('visit_date_precision', 'day'))}), "
        f"published {format_date(last['visible_from'])}."
    )
    if "has_text" in frame and not bool(last["has_text"]):
        with_text = frame[frame["has_text"].fillna(False).astype(bool)]
        latest += " No report or letter of it with coded text is in the database yet"
        if len(with_text):
            row = with_text.iloc[-1]
            latest += (
                f"; the latest visit with coded text is the {visit_type(row['visit_type'])} of "
                f"{format_date(row['visit_date'], row.get('visit_date_precision', 'day'))}."
            )
        else:
            latest += f", nor of any other visit of {council}."
    sentences.append(latest)
    return sentences


def missing_documents(timeline: pd.DataFrame, council: str) -> str:
    """For a council with no coded Ofsted text: which documents the report lacks, every visit listed."""
    if timeline.empty:
        return f"No visit of {council} is in the database, so there is nothing to read."
    frame = timeline.sort_values(["visit_date", "visit_id"], ascending=False)

    def listed(rows: pd.DataFrame) -> str:
        return "; ".join(
            f"{visit_type(r['visit_type'])}, {format_date(r['visit_date'], r.get('visit_date_precision', 'day'))}"
            for r in rows.to_dict("records")
        )

    graded = frame[frame["is_graded_type"].fillna(False).astype(bool)]
    other = frame[~frame["is_graded_type"].fillna(False).astype(bool)]
    parts = []
    if len(graded):
        parts.append(f"the reports of its {count(len(graded), 'graded inspection')} ({listed(graded)})")
    if len(other):
        parts.append(f"the letters or reports of its {count(len(other), 'other visit')} ({listed(other)})")
    return (
        f"The database holds no Ofsted report or letter of {council} with coded text, so its themes, recurring "
        f"concerns and peers cannot be read. It lacks {' and '.join(parts)}. Register them in data/sources (see "
        f"the README) and rebuild."
    )


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


def visit_words(row: pd.Series | dict[str, Any]) -> str:
    """A visit in words for a sentence: 'the focused visit of October 2025'."""
    return f"the {visit_type(row['visit_type'])} of {format_date(row['visit_date'], 'month')}"


def trajectory(frame: pd.DataFrame, label: str) -> str:
    """Sentences on one theme across visits, from mart_theme_trajectory rows of that theme: every reading listed."""
    n_visits = frame["visit_id"].nunique()
    if n_visits == 0:
        return (
            f"No visit has coded text or analysts' findings yet, so {label.lower()} cannot be followed across visits."
        )
    mentioned = frame[frame["is_mentioned"].fillna(False).astype(bool)].sort_values(["visit_date", "visit_id"])
    if mentioned.empty:
        return f"{label} was not mentioned in any of the {count(n_visits, 'visit')} with coded evidence."
    read = mentioned[mentioned["reading"] != "not_enough_evidence"]
    few = len(mentioned) - len(read)
    text = f"{label} was mentioned at {len(mentioned)} of the {count(n_visits, 'visit')} with coded evidence"
    if few:
        text += f", {few} of them with too few sentences judging it to read it"
    text += "."
    if len(read):
        items = [f"at {visit_words(r)}, {readings.reading_phrase(r)}" for r in read.to_dict("records")]
        text += f" Its {count(len(read), 'reading')}: " + "; ".join(items) + "."
    return text


def data_note(note: object, n: object) -> str:
    """A data note of mart_data_notes as a sentence: capitalised, with its count."""
    words = str(note).strip().rstrip(".")
    return f"{words[:1].upper()}{words[1:]} (count: {int(n)})."  # type: ignore[call-overload]


def correction_note(row: Mapping[str, object]) -> str:
    """A row of mart_visit_corrections as a data note: both values, both sources, and which one the report uses."""
    field = str(row["field"]).replace("_", " ")
    seed_source = _or_none(row["seed_source_title"] or row["seed_source_id"])
    other_source = _or_none(row["other_source_title"] or row["other_source_id"])
    what = f"Visit {row['visit_id']}, {row['subject']} {field}"
    if row["kind"] == "refined":  # the hand-kept value was only month- or year-precise, or missing
        return (
            f"{what}: the hand-kept source ({seed_source}) gives it only roughly ({_or_none(row['seed_value'])}); "
            f"{other_source} gives {_or_none(row['other_value'])}, which is used."
        )
    return (
        f"{what}: {_or_none(row['seed_value'])} in {seed_source}, {_or_none(row['other_value'])} in "
        f"{other_source}; the hand-kept value is used: check which is right."
    )


def disagreement_note(row: Mapping[str, object]) -> str:
    """A row of mart_report_disagreements as a data note: the report's grade and the outcome file's, neither picked."""
    area = str(row["judgement_area"]).replace("_", " ")
    if row["status"] == "official_only":
        return (
            f"Report {row['document_id']}, {area}: the outcome file ({_or_none(row['official_source_id'])}) gives "
            f"{_or_none(row['official_grade'])}; the grade was not read from the report's text."
        )
    return (
        f"Report {row['document_id']}, {area}: the report's text says {_or_none(row['report_grade_text'])}, the "
        f"outcome file ({_or_none(row['official_source_id'])}) {_or_none(row['official_grade'])}; neither is picked."
    )


def _or_none(value: object) -> str:
    return "not known" if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else str(value)


def concerns_summary(frame: pd.DataFrame) -> str:
    """A sentence counting the themes of mart_recurring_concerns by status; the counts add up to its rows."""
    if frame.empty:
        return "No theme was raised as a concern in two or more visits, nor for the first time at the latest visit."
    recurring = frame[frame["is_recurring"].fillna(False).astype(bool)]
    parts = []
    for status in STATUS:
        n = int((recurring["status"] == status).sum())
        if n:
            parts.append(f"{n} {status.replace('_', ' ')}")
    n_new = len(frame) - len(recurring)
    text = f"{count(len(recurring), 'theme')} raised in two or more visits"
    text += f" ({', '.join(parts)})" if parts else ""
    if n_new:
        when = format_date(frame["latest_evidence_visit_date"].iloc[0], "month")
        text += f" and {count(n_new, 'theme')} raised for the first time at the latest visit with evidence ({when})"
    return text + f"; the table lists all {len(frame)}."


def evidence_citation(row: dict[str, Any]) -> str:
    """Where a quote comes from: document, page, visit date and how it was coded (an analyst's words say so)."""
    title = str(row.get("document_title") or "source not named")
    if row.get("evidence_kind") == "analyst_finding":
        title = f"analysts' paraphrase of {title}"
    parts = [title]
    if not _missing(row.get("page")):
        parts.append(f"page {int(row['page'])}")
    parts.append(format_date(row.get("visit_date"), "month"))
    parts.append(str(row.get("polarity", "")))
    if not _missing(row.get("confidence")):
        parts.append(f"coder's confidence {float(row['confidence']):.2f}")
    return ", ".join(p for p in parts if p)


def pick_evidence(frame: pd.DataFrame, n: int = 6) -> pd.DataFrame:
    """The quotes to show for a theme: counted evidence, latest visit first, then highest confidence, concerns first.

    At most n. Confidence is the coder's (codings.confidence; NULL for rule codings, which then keep their order).
    """
    if "is_counted" in frame:
        frame = frame[frame["is_counted"].fillna(False).astype(bool)]
    if frame.empty:
        return frame.assign(citation=pd.Series(dtype=str))
    order = {"concern": 0, "improving": 1, "strength": 2, "neutral": 3}
    confidence = frame["confidence"] if "confidence" in frame else pd.Series(float("nan"), index=frame.index)
    ranked = frame.assign(_rank=frame["polarity"].map(order).fillna(4), _confidence=confidence.astype(float))
    ranked = ranked.sort_values(
        ["visit_date", "_confidence", "_rank", "passage_id"],
        ascending=[False, False, True, True],
        na_position="last",
    )
    picked = ranked.head(n).drop(columns=["_rank", "_confidence"])
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


def _where(document: object, page: object, kind: object = "sentence") -> str:
    if _missing(document):
        return ""
    where = f"{document}, page {int(page)}" if not _missing(page) else str(document)  # type: ignore[call-overload]
    return f"analysts' paraphrase of {where}" if kind == "analyst_finding" else where


def journey_table(journeys: pd.DataFrame) -> pd.DataFrame:
    """Every improvement journey with the themes that stopped being raised first, and the evidence at both ends."""
    rows = []
    for _, journey in journeys.groupby("journey_id", sort=False):
        head = journey.iloc[0]
        trip = (
            f"{grade(head['from_grade'])} {format_date(head['from_visit_date'], 'month')} to "
            f"{grade(head['to_grade']).lower()} {format_date(head['to_visit_date'], 'month')} "
            f"({count(int(head['months_to_next_grade']), 'month')})"
        )
        first = journey[journey["stop_order"] == 1]
        if first.empty:
            rows.append({"council": head["la_name"], "journey": trip, "theme": "none stopped being raised"})
            continue
        for row in first.sort_values("theme_label").to_dict("records"):
            stopped = {"visit_type": row["stopped_visit_type"], "visit_date": row["stopped_visit_date"]}
            rows.append(
                {
                    "council": head["la_name"],
                    "journey": trip,
                    "theme": row["theme_label"],
                    "stopped": f"{visit_words(stopped)} ({count(int(row['months_to_stop']), 'month')}): "
                    f"{readings.reading_words(row['stopped_reading'])}",
                    "then": _where(row["from_evidence_document"], row["from_evidence_page"], row["from_evidence_kind"]),
                    "then_url": row["from_evidence_url"],
                    "after": _where(
                        row["stopped_evidence_document"], row["stopped_evidence_page"], row["stopped_evidence_kind"]
                    ),
                    "after_url": row["stopped_evidence_url"],
                }
            )
    columns = ["council", "journey", "theme", "stopped", "then", "then_url", "after", "after_url"]
    return pd.DataFrame(rows, columns=columns)


def peer_table(groups: pd.DataFrame, group_id: str = "neighbours") -> pd.DataFrame:
    """The members of one comparison group with their latest grade and the inspection their readings come from."""
    members = groups[groups["group_id"] == group_id]
    return members.assign(
        latest=[
            f"{grade(g)} ({format_date(d, 'month')})" if not _missing(g) else "no graded inspection"
            for g, d in zip(members["latest_grade"], members["latest_grade_date"], strict=True)
        ],
        text_visit=[
            visit_words({"visit_type": t, "visit_date": d}) if not _missing(t) else "none in the database"
            for t, d in zip(members["text_visit_type"], members["text_visit_date"], strict=True)
        ],
        document=members["text_document_title"].fillna(""),
    )
