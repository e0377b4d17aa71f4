"""Charts of what inspectors found: each takes a frame from a mart and returns an Altair chart.

Every chart's title states its finding and its alt text (`description`) is a sentence computed from the data by
the matching `reading_*` function, which notebooks also print under the chart. `theme.table(chart)` gives the data.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import readings, theme
from analysis.errors import ParameterError

VISIT_TYPE_LABELS: dict[str, str] = {
    "pre_sif_inspection": "Inspection (pre-2013 framework)",
    "sif_inspection": "SIF inspection",
    "monitoring_visit": "Monitoring visit",
    "ilacs_standard": "ILACS standard inspection",
    "ilacs_short": "ILACS short inspection",
    "focused_visit": "Focused visit",
    "assurance_visit": "Assurance visit",
    "jtai": "Joint targeted area inspection",
    "area_send_inspection": "Area SEND inspection",
    "area_send_revisit": "Area SEND revisit",
}
# Rows of the timeline: graded inspections apart from the visits between them.
VISIT_ROWS: dict[str, str] = {
    "pre_sif_inspection": "Graded inspection",
    "sif_inspection": "Graded inspection",
    "ilacs_standard": "Graded inspection",
    "ilacs_short": "Graded inspection",
    "monitoring_visit": "Monitoring, focused or assurance visit",
    "focused_visit": "Monitoring, focused or assurance visit",
    "assurance_visit": "Monitoring, focused or assurance visit",
    "jtai": "Joint or area SEND inspection",
    "area_send_inspection": "Joint or area SEND inspection",
    "area_send_revisit": "Joint or area SEND inspection",
}
TOOLTIP_CHARS = 280  # vega-tooltip shows about 7 lines of 300 px; longer quotes are cut with an ellipsis


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = pd.to_datetime(out[column])
    return out


_month = readings.month


def _short(text: object, limit: int = TOOLTIP_CHARS) -> str:
    clean = theme.plain(text)
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "\u2026"


def _council(frame: pd.DataFrame) -> str:
    if "la_name" in frame and frame["la_name"].notna().any():
        return str(frame["la_name"].dropna().iloc[0])
    if "la_id_gss" in frame and len(frame):
        return str(frame["la_id_gss"].iloc[0])
    return "The council"


def _grade_label(grade: str) -> str:
    return theme.GRADE_LABELS.get(grade, grade).lower()


# --- visit timeline ---------------------------------------------------------------------------------------------


def reading_timeline(frame: pd.DataFrame) -> str:
    """One sentence on a council's visits: how many, and the latest graded judgement against the first."""
    if frame.empty:
        return "No visit had been published by this date."
    who = _council(frame)
    graded = frame[frame["is_graded"].astype(bool)].sort_values("visit_date")
    n, first, last = len(frame), _month(frame["visit_date"].min()), _month(frame["visit_date"].max())
    visits = f"{who} had {n} visit{'s' if n != 1 else ''} between {first} and {last}"
    if graded.empty:
        return visits + ", none with a grade read" + _ungraded(frame) + "."
    latest = graded.iloc[-1]
    which = "graded inspection" if readings.unread_after(frame, latest) is None else "inspection with a grade read"
    sentence = f"{visits}; the latest {which} ({_month(latest['visit_date'])}) found it " + _grade_label(
        latest["grade"]
    )
    if len(graded) > 1:
        previous = graded.iloc[-2]
        change = int(previous["grade_rank"]) - int(latest["grade_rank"])
        sentence += _compared(previous, change, latest["grade"])
    return sentence + _ungraded(frame) + "."


def _ungraded(frame: pd.DataFrame) -> str:
    """The visits that gave no grade, apart from graded inspections whose grade was not read."""
    no_grade = int((frame["grade"] == "ungraded").sum())
    not_read = int((frame["grade"] == "not_recorded").sum())
    text = f"; {no_grade} visit{'s' if no_grade != 1 else ''} gave no grade" if no_grade else ""
    if not_read:
        inspections = "graded inspection" if not_read == 1 else "graded inspections"
        text += f"; the grade of {not_read} {inspections} was not read"
    return text


def _compared(previous: pd.Series, change: int, latest_grade: str) -> str:
    when, grade = _month(previous["visit_date"]), _grade_label(previous["grade"])
    if change > 0:
        return f", up from {grade} in {when}"
    if change < 0:
        return f", down from {grade} in {when}"
    return f", as in {when}" if previous["grade"] == latest_grade else f", on the same rung as {grade} in {when}"


def title_timeline(frame: pd.DataFrame) -> str:
    """A short title: the latest graded judgement, against the previous one and the worst since."""
    graded = frame[frame["is_graded"].astype(bool)].sort_values("visit_date") if len(frame) else frame
    if graded.empty:
        return "No graded inspection had been published by this date"
    latest = graded.iloc[-1]
    unread = readings.unread_after(frame, latest)
    if unread is not None:
        return (
            f"Latest graded inspection ({_month(unread['visit_date'])}): grade not read; before it "
            f"({_month(latest['visit_date'])}): {_grade_label(latest['grade'])}"
        )
    title = f"Latest graded inspection ({_month(latest['visit_date'])}): {_grade_label(latest['grade'])}"
    if len(graded) > 1:
        previous = graded.iloc[-2]
        change = int(previous["grade_rank"]) - int(latest["grade_rank"])
        title += _compared(previous, change, latest["grade"])
        worst = graded.iloc[:-2].sort_values(["grade_rank", "visit_date"], ascending=[False, True])
        if len(worst) and int(worst.iloc[0]["grade_rank"]) > max(
            int(previous["grade_rank"]), int(latest["grade_rank"])
        ):
            title += f" ({_grade_label(worst.iloc[0]['grade'])} in {_month(worst.iloc[0]['visit_date'])})"
    return title


def visit_timeline(frame: pd.DataFrame, events: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Visits on a true date axis, coloured and shaped by judgement; ungraded visits shown too (mart_visit_timeline)."""
    data = _dates(theme.safe_frame(frame), "visit_date", "published_date", "visible_from")
    data["visit_type_label"] = data["visit_type"].map(VISIT_TYPE_LABELS).fillna(data["visit_type"])
    data["row"] = data["visit_type"].map(VISIT_ROWS).fillna("Other visit")
    data["uncertain"] = data["is_uncertain"].map({True: "yes: see note", False: "no"})
    tooltip = [
        alt.Tooltip("title:N", title="Visit"),
        alt.Tooltip("visit_type_label:N", title="Type"),
        alt.Tooltip("visit_date:T", title="Fieldwork (start)", format="%d %b %Y"),
        alt.Tooltip("published_date:T", title="Published", format="%d %b %Y"),
        alt.Tooltip("grade_label:N", title="Judgement"),
        alt.Tooltip("judgements:N", title="All judgements"),
        alt.Tooltip("uncertain:N", title="Date or identity uncertain"),
        alt.Tooltip("url:N", title="Source"),
    ]
    base = alt.Chart(data)
    points = base.mark_point(size=160, filled=True, opacity=1, stroke=theme.TEXT_COLOUR, strokeWidth=0.6).encode(
        x=alt.X(
            "visit_date:T",
            title=theme.axis_title("Visit date", "fieldwork start"),
            axis=alt.Axis(format="%Y"),
            scale=alt.Scale(padding=16),
        ),
        y=alt.Y("row:N", title=None, sort=list(dict.fromkeys(VISIT_ROWS.values()))),
        color=alt.Color(
            "grade:N",
            scale=theme.grade_scale(),
            title="Judgement",
            legend=alt.Legend(labelExpr=_legend_labels(theme.GRADE_LABELS)),
        ),
        shape=alt.Shape("grade:N", scale=theme.grade_shape_scale(), legend=None),
        tooltip=tooltip,
        href="url:N",
    )
    # A question mark beside a visit whose date or identity is uncertain, so the flag does not rely on colour.
    doubt = (
        base.transform_filter("datum.is_uncertain")
        .mark_text(text="?", dx=11, dy=-9, fontSize=13, fontWeight="bold", color=theme.TEXT_COLOUR)
        .encode(x="visit_date:T", y=alt.Y("row:N", sort=list(dict.fromkeys(VISIT_ROWS.values()))), tooltip=tooltip)
    )
    layers: list[alt.Chart] = [points, doubt]
    if events is not None and not events.empty:
        marks = _dates(theme.safe_frame(events), "event_date")
        layers.insert(
            0,
            alt.Chart(marks)
            .mark_rule(strokeDash=[4, 3], color=theme.MUTED_COLOUR)
            .encode(
                x="event_date:T",
                tooltip=[
                    alt.Tooltip("title:N", title="Event"),
                    alt.Tooltip("event_date:T", title="Date", format="%d %b %Y"),
                ],
            ),
        )
    chart = alt.layer(*layers).properties(width=theme.WIDTH, height=160)
    reading = reading_timeline(frame)
    return theme.finish(
        chart,
        title=title_timeline(frame),
        subtitle="Each mark is a visit on its fieldwork date; colour and shape give the judgement, grey = no grade "
        "given (diamond) or grade not read (cross); ? = date or identity uncertain",
        description=reading,
    )


_legend_labels = theme.legend_labels


# --- theme by visit ---------------------------------------------------------------------------------------------


def _visit_labels(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["visit_label"] = [
        f"{_month(d)} {readings.VISIT_TYPE_SHORT.get(t, t)}"
        for d, t in zip(out["visit_date"], out["visit_type"], strict=True)
    ]
    return out


def measure_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The theme measure as text for tooltips and tables: reading, share, interval and counts."""
    out = frame.copy()
    records = out.to_dict("records")
    out["reading_label"] = out["reading"].map(theme.READING_LABELS).fillna(out["reading"])
    out["share_text"] = [
        readings.percent(r["concern_share"]) if r["reading"] != "not_enough_evidence" else "too few to say"
        for r in records
    ]
    out["interval_text"] = [readings.interval_text(r) for r in records]
    out["count_text"] = [f"{int(r['n_concern_or_improving'])}/{int(r['n_evaluative'])}" for r in records]
    out["basis"] = out["evidence_basis"].map(
        {"sentences": "coded sentences of the report or letter", "analyst_findings": "analysts' findings (no text)"}
    )
    return out


MEASURE_TOOLTIP = [
    alt.Tooltip("theme_label:N", title="Theme"),
    alt.Tooltip("visit_title:N", title="Visit"),
    alt.Tooltip("visit_date:T", title="Date", format="%d %b %Y"),
    alt.Tooltip("reading_label:N", title="Reading"),
    alt.Tooltip("share_text:N", title="Concern share"),
    alt.Tooltip("interval_text:N", title="90% interval"),
    alt.Tooltip("count_text:N", title="Not yet good / judging it"),
    alt.Tooltip("n_concern:Q", title="Concerns"),
    alt.Tooltip("n_improving:Q", title="Improving, not yet good"),
    alt.Tooltip("n_strength:Q", title="Strengths"),
    alt.Tooltip("n_neutral:Q", title="Neutral mentions"),
    alt.Tooltip("n_recommendations:Q", title="Improvement points naming it"),
    alt.Tooltip("basis:N", title="Counted from"),
]


def _latest_rows(frame: pd.DataFrame, timeline: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.Series, bool]:
    with_evidence, latest = readings.latest_visits(frame, timeline)
    return frame[frame["visit_id"] == with_evidence["visit_id"]], with_evidence, latest is None


def reading_theme_by_visit(frame: pd.DataFrame, timeline: pd.DataFrame | None = None) -> str:
    """Sentences on the latest visit with evidence: how many themes it raised (named or mostly concerns), and which.

    `timeline` (mart_visit_timeline) lets the sentence name the latest visit apart when it has no evidence.
    """
    if frame.empty:
        return "No coded inspection text or analysts' findings were published by this date."
    rows, _, _ = _latest_rows(frame, timeline)
    counts = readings.count_readings(rows)
    parts = []
    for reading, words in [
        ("named_for_improvement", "named in the visit's improvement points"),
        ("mostly_concerns", "read mostly concerns"),
    ]:
        picked = rows[rows["reading"] == reading].sort_values("theme_label")
        if len(picked):
            parts.append(f"{len(picked)} {words} ({readings.names(picked)})")
    for reading, words in [
        ("mixed", "read mixed"),
        ("mostly_strengths", "read mostly strengths"),
        ("not_enough_evidence", "had too few judging sentences to read"),
    ]:
        if counts[reading]:
            parts.append(f"{counts[reading]} {words}")
    listed = (
        parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + ("; and " if len(parts) > 2 else " and ") + parts[-1]
    )
    mentioned = f"{len(rows)} themes were" if len(rows) != 1 else "1 theme was"
    return f"{readings.latest_visit_clause(frame, timeline)} {mentioned} mentioned: {listed}."


def title_theme_by_visit(frame: pd.DataFrame, timeline: pd.DataFrame | None = None) -> str:
    """A short title: at the latest visit with evidence, how many themes it raised as concerns."""
    if frame.empty:
        return "No coded evidence had been published by this date"
    rows, visit, is_latest = _latest_rows(frame, timeline)
    counts = readings.count_readings(rows)
    raised = counts["named_for_improvement"] + counts["mostly_concerns"]
    when = f"{_month(visit['visit_date'])} {readings.VISIT_TYPE_SHORT.get(visit['visit_type'], visit['visit_type'])}"
    where = when if is_latest else f"Latest visit with evidence ({when})"
    return (
        f"{where}: {raised} of {len(rows)} themes raised as concerns "
        f"({counts['named_for_improvement']} named for improvement), {counts['mostly_strengths']} mostly strengths"
    )


def theme_by_visit_heatmap(frame: pd.DataFrame, timeline: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Themes by visits, each cell the theme's reading at that visit with its counts (mart_theme_by_visit)."""
    data = measure_columns(_visit_labels(_dates(theme.safe_frame(frame), "visit_date")))
    order = data.sort_values(["visit_date", "visit_id"])["visit_label"].drop_duplicates().tolist()
    # The number in a cell is "not yet good / judging it"; "!" marks a theme named in the improvement points.
    data["cell_text"] = [
        f"{c}!" if named else c for c, named in zip(data["count_text"], data["is_named_for_improvement"], strict=True)
    ]
    base = alt.Chart(data).encode(
        x=alt.X(
            "visit_label:O",
            sort=order,
            title=theme.axis_title("Visit", "date and type, oldest first"),
            axis=alt.Axis(labelAngle=-40),
        ),
        y=alt.Y("theme_label:N", title=None, sort="ascending"),
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color(
            "reading:N",
            scale=theme.reading_scale(),
            title="Reading",
            legend=alt.Legend(orient="bottom", labelExpr=_legend_labels(theme.READING_LABELS), columns=3),
        ),
        tooltip=MEASURE_TOOLTIP,
    )
    labels = base.mark_text(fontSize=9).encode(
        text=alt.Text("cell_text:N"),
        color=alt.Color("reading:N", scale=theme.reading_text_scale(), legend=None),
        tooltip=MEASURE_TOOLTIP,
    )
    n_themes = data["theme_label"].nunique()
    # Independent colour scales: the text's colours are chosen for contrast on each fill, not the fills themselves.
    chart = (
        alt.layer(cells, labels)
        .resolve_scale(color="independent")
        .properties(width=max(240, 56 * len(order)), height=max(120, 18 * n_themes))
    )
    return theme.finish(
        chart,
        title=title_theme_by_visit(frame, timeline),
        subtitle=[
            "Each cell: the theme's reading at that visit; the number is the sentences finding it not yet good "
            "(concern or improving) over those judging it",
            "! = named in the visit's improvement points (a concern whatever the count); grey = too few sentences "
            "(under 3) to read; empty = not mentioned",
        ],
        description=reading_theme_by_visit(frame, timeline),
    )


# --- theme trajectories -----------------------------------------------------------------------------------------


def _trend(frame: pd.DataFrame) -> pd.DataFrame:
    """Per theme: its first and latest confident reading (any but not enough evidence) and their ranks."""
    read = frame[frame["reading_rank"].notna()].sort_values(["theme_id", "visit_date", "visit_id"])
    grouped = read.groupby(["theme_id", "theme_label"], sort=True)
    out = grouped.agg(
        first=("reading_rank", "first"),
        latest=("reading_rank", "last"),
        n_visits=("visit_id", "count"),
    ).reset_index()
    out["change"] = out["latest"] - out["first"]
    return out


def reading_trajectories(frame: pd.DataFrame) -> str:
    """One sentence: of the themes read at two or more visits, how many read fewer concerns at the latest."""
    trend = _trend(frame)
    trend = trend[trend["n_visits"] >= 2]
    if trend.empty:
        return "No theme was read at two or more visits by this date, so there is no trend yet."
    fewer, more = trend[trend["change"] < 0], trend[trend["change"] > 0]
    same = len(trend) - len(fewer) - len(more)
    sentence = (
        f"Of {len(trend)} themes read at two or more visits, {len(fewer)} read fewer concerns at their latest reading "
        f"than at their first, {len(more)} more and {same} the same"
    )
    if len(more):
        sentence += f"; more concerns: {readings.names(more.sort_values('theme_label'))}"
    return sentence + "."


def title_trajectories(frame: pd.DataFrame) -> str:
    """A short title: how many themes read fewer concerns, and how many more, at their latest reading."""
    trend = _trend(frame)
    trend = trend[trend["n_visits"] >= 2]
    if trend.empty:
        return "No theme was read at two visits yet"
    fewer, more = int((trend["change"] < 0).sum()), int((trend["change"] > 0).sum())
    return f"{fewer} of {len(trend)} themes read fewer concerns at their latest reading than their first, {more} more"


def share_layers(x: alt.X, tooltip: list[alt.Tooltip], y_title: str) -> list[alt.Chart]:
    """The concern share per visit: its 90% interval as a bar, a mark shaped and coloured by reading, the count."""
    y = alt.Y(
        "concern_share:Q",
        title=y_title,
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%", values=[0, 0.5, 1]),
    )
    interval = (
        alt.Chart()
        .mark_rule(strokeWidth=2, opacity=0.6)
        .encode(
            x=x,
            y=alt.Y("concern_share_low:Q", scale=alt.Scale(domain=[0, 1])),
            y2="concern_share_high:Q",
            color=alt.Color("reading:N", scale=theme.reading_scale(), legend=None),
        )
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=60, opacity=1, stroke=theme.TEXT_COLOUR, strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "reading:N",
                scale=theme.reading_scale(),
                title="Reading",
                legend=alt.Legend(labelExpr=_legend_labels(theme.READING_LABELS)),
            ),
            shape=alt.Shape("reading:N", scale=theme.reading_shape_scale(), legend=None),
            tooltip=tooltip,
        )
    )
    counts = (
        alt.Chart()
        .mark_text(dy=-9, fontSize=9, color=theme.TEXT_COLOUR)
        .encode(x=x, y=y, text="count_text:N", tooltip=tooltip)
    )
    half = alt.Chart().mark_rule(color=theme.MUTED_COLOUR, strokeDash=[2, 2]).encode(y=alt.datum(0.5))
    return [half, interval, points, counts]


def theme_trajectories(frame: pd.DataFrame, themes: list[str] | None = None, columns: int = 4) -> alt.TopLevelMixin:
    """Small multiples: each theme's concern share with its 90% interval across visits (mart_theme_trajectory)."""
    data = frame if themes is None else frame[frame["theme_id"].isin(themes)]
    shown = data[data["is_mentioned"].astype(bool) & data["concern_share"].notna()]
    shown = measure_columns(_dates(theme.safe_frame(shown), "visit_date"))
    x = alt.X("visit_date:T", title=theme.axis_title("Visit date", "fieldwork start"), axis=alt.Axis(format="%Y"))
    layers = share_layers(x, MEASURE_TOOLTIP, "Concern share")  # the unit is in the subtitle: facets repeat it
    chart = (
        alt.layer(*layers, data=shown)
        .properties(width=150, height=110)
        .facet(facet=alt.Facet("theme_label:N", title=None), columns=columns)
    )
    return theme.finish(
        chart,
        title=title_trajectories(data),
        subtitle=[
            "Concern share: sentences finding the theme not yet good (concern or improving) / sentences judging it; "
            "bar = 90% interval; number = count",
            "Shape and colour give the reading; a cross = too few sentences to read; dotted line = one half",
        ],
        description=reading_trajectories(data),
    )


# --- recurring concerns -----------------------------------------------------------------------------------------

STATUS_ORDER = ["persistent", "new", "improving", "not_revisited", "resolved"]
STATUS_LABELS = {
    "persistent": "Persistent",
    "new": "New at the latest visit",
    "improving": "Improving",
    "not_revisited": "Not revisited since",
    "resolved": "Resolved",
}
STATUS_COLOURS = {
    "persistent": theme.OKABE_ITO["vermillion"],
    "new": theme.OKABE_ITO["reddish_purple"],
    "improving": theme.OKABE_ITO["bluish_green"],
    "not_revisited": theme.OKABE_ITO["grey"],
    "resolved": theme.OKABE_ITO["blue"],
}


def _latest_evidence_visit(frame: pd.DataFrame) -> str:
    if "latest_evidence_visit_date" not in frame or frame["latest_evidence_visit_date"].isna().all():
        return "the latest visit with evidence"
    return f"the latest visit with evidence ({_month(frame['latest_evidence_visit_date'].iloc[0])})"


def reading_recurring(frame: pd.DataFrame) -> str:
    """One sentence: how many concerns recur, and which are still raised at the latest visit with evidence."""
    if frame.empty:
        return "No theme had been raised as a concern at two or more visits by this date."
    recurring = frame[frame["is_recurring"].astype(bool)]
    persistent = recurring[recurring["status"] == "persistent"].sort_values(["n_visits_raised", "theme_label"])
    were = "themes were" if len(recurring) != 1 else "theme was"
    sentence = f"{len(recurring)} {were} raised as concerns at two or more visits"
    if len(persistent):
        verb = "is" if len(persistent) == 1 else "are"
        sentence += (
            f"; {len(persistent)} {verb} still raised at {_latest_evidence_visit(frame)} ({readings.names(persistent)})"
        )
    else:
        sentence += f"; none is still raised at {_latest_evidence_visit(frame)}"
    return sentence + "."


def title_recurring(frame: pd.DataFrame) -> str:
    """A short title: how many concerns recur and how many the latest visit with evidence still raised."""
    if frame.empty:
        return "No concern had recurred by this date"
    recurring = frame[frame["is_recurring"].astype(bool)]
    n_persistent = int((recurring["status"] == "persistent").sum())
    where = _latest_evidence_visit(frame)
    return f"{len(recurring)} concerns recurred across visits; {n_persistent} still raised at {where}"


def recurring_concerns(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Each recurring theme's visits that raised it, coloured by its status now (mart_recurring_concerns)."""
    rows = []
    for record in theme.safe_frame(frame).to_dict("records"):
        for visit_id, date in zip(
            str(record["visits_raised"]).split(", "), str(record["visit_dates_raised"]).split(", "), strict=True
        ):
            rows.append({**record, "visit_id": visit_id, "raised_date": date})
    data = _dates(pd.DataFrame(rows, columns=[*frame.columns, "visit_id", "raised_date"]), "raised_date")
    data["status_label"] = data["status"].map(STATUS_LABELS)
    sort = (
        frame.assign(order=frame["status"].map({s: i for i, s in enumerate(STATUS_ORDER)}))
        .sort_values(["order", "n_visits_raised", "theme_label"], ascending=[True, False, True])["theme_label"]
        .map(theme.plain)
        .tolist()
    )
    tooltip = [
        alt.Tooltip("theme_label:N", title="Theme"),
        alt.Tooltip("status_label:N", title="Status now"),
        alt.Tooltip("raised_date:T", title="Raised at visit of", format="%b %Y"),
        alt.Tooltip("n_visits_raised:Q", title="Visits raising it"),
        alt.Tooltip("n_visits_named:Q", title="Visits naming it for improvement"),
        alt.Tooltip("n_concern_total:Q", title="Concern sentences or findings"),
    ]
    y = alt.Y("theme_label:N", sort=sort, title=None)
    status_scale = alt.Scale(domain=STATUS_ORDER, range=[STATUS_COLOURS[s] for s in STATUS_ORDER])
    colour = alt.Color(
        "status:N",
        title="Status at the latest visit with evidence",
        scale=status_scale,
        legend=alt.Legend(labelExpr=_legend_labels(STATUS_LABELS)),
    )
    span = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2, opacity=0.5)
        .encode(x=alt.X("min(raised_date):T"), x2="max(raised_date):T", y=y, color=colour)
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=alt.X(
                "raised_date:T", title=theme.axis_title("Visit date", "fieldwork start"), axis=alt.Axis(format="%Y")
            ),
            y=y,
            color=colour,
            shape=alt.Shape("status:N", scale=alt.Scale(domain=STATUS_ORDER), legend=None),
            tooltip=tooltip,
        )
    )
    chart = alt.layer(span, dots).properties(width=theme.WIDTH, height=max(80, 22 * len(sort)))
    return theme.finish(
        chart,
        title=title_recurring(frame),
        subtitle="Each dot is a visit that raised the theme: named it in its improvement points, or read mostly "
        "concerns",
        description=reading_recurring(frame),
    )


# --- one theme with its evidence --------------------------------------------------------------------------------


def _theme_rows(trajectory: pd.DataFrame, theme_id: str) -> pd.DataFrame:
    rows = trajectory[(trajectory["theme_id"] == theme_id) & trajectory["is_mentioned"].astype(bool)]
    return rows.sort_values(["visit_date", "visit_id"])


def reading_theme(trajectory: pd.DataFrame, theme_id: str) -> str:
    """Sentences on a single theme across visits: its first and latest confident readings, with their counts."""
    rows = _theme_rows(trajectory, theme_id)
    if rows.empty:
        return f"No visit published by this date mentioned the theme {theme_id}."
    label = theme.plain(rows["theme_label"].iloc[0])
    read = rows[rows["reading_rank"].notna()]
    few = len(rows) - len(read)
    too_few = f"; {few} more mentioned it with too few judging sentences to read" if few else ""
    if read.empty:
        return f"{label} was mentioned at {len(rows)} visits, never with enough judging sentences to read."
    first, last = read.iloc[0], read.iloc[-1]
    if len(read) == 1:
        return (
            f"{label} was read at one visit, {readings.visit_name(first['visit_type'], first['visit_date'])}: "
            f"{readings.reading_phrase(first)}{too_few}."
        )
    first_visit = readings.visit_name(first["visit_type"], first["visit_date"])
    last_visit = readings.visit_name(last["visit_type"], last["visit_date"])
    return (
        f"{label} was read at {len(read)} visits{too_few}. At {first_visit}: {readings.reading_phrase(first)}. "
        f"At {last_visit}: {readings.reading_phrase(last)}."
    )


def title_theme(trajectory: pd.DataFrame, theme_id: str) -> str:
    """A short title: the theme's reading at its first and latest confident reading."""
    rows = _theme_rows(trajectory, theme_id)
    if rows.empty:
        return f"No visit mentioned {theme_id} by this date"
    label = theme.plain(rows["theme_label"].iloc[0])
    read = rows[rows["reading_rank"].notna()]
    if read.empty:
        return f"{label}: mentioned at {len(rows)} visits, too few judging sentences to read"
    first, last = read.iloc[0], read.iloc[-1]
    count = f"{int(last['n_concern_or_improving'])} of {int(last['n_evaluative'])} not yet good"
    if len(read) == 1:
        return f"{label}: {readings.reading_words(first['reading'])} in {_month(first['visit_date'])} ({count})"
    return (
        f"{label}: {readings.reading_words(first['reading'])} in {_month(first['visit_date'])}, "
        f"{readings.reading_words(last['reading'])} in {_month(last['visit_date'])} ({count})"
    )


def theme_evidence(trajectory: pd.DataFrame, evidence: pd.DataFrame, theme_id: str) -> alt.TopLevelMixin:
    """One theme across visits: its concern share with interval, and every sentence behind it in the tooltips.

    `trajectory` comes from mart_theme_trajectory, `evidence` from mart_evidence (any filters).
    """
    line_data = _theme_rows(trajectory, theme_id)
    line_data = measure_columns(_dates(theme.safe_frame(line_data[line_data["concern_share"].notna()]), "visit_date"))
    ev = evidence[evidence["theme_id"] == theme_id]
    if "is_counted" in ev:
        ev = ev[ev["is_counted"].astype(bool)]
    ev = _dates(theme.safe_frame(ev), "visit_date").copy()
    ev["quote"] = ev["text"].map(_short)
    ev["polarity_label"] = ev["polarity"].map(theme.POLARITY_LABELS).fillna(ev["polarity"])
    ev["where"] = [
        f"{title}, page {int(page)}" if pd.notna(page) else str(title)
        for title, page in zip(ev["document_title"].fillna(""), ev["page"], strict=True)
    ]
    ev["kind"] = ev["evidence_kind"].map({"sentence": "Ofsted's words", "analyst_finding": "Analyst's paraphrase"})
    # Quotes of one visit and polarity are spread vertically in a fixed order, so the spec is reproducible.
    ev = ev.sort_values(["visit_date", "polarity", "document_id", "passage_id"], na_position="last")
    rank = ev.groupby(["visit_id", "polarity"]).cumcount()
    size = ev.groupby(["visit_id", "polarity"])["polarity"].transform("size")
    ev["jitter"] = ((rank - (size - 1) / 2) * (24 / size.clip(lower=1))).round(2)
    x = alt.X("visit_date:T", title=theme.axis_title("Visit date", "fieldwork start"), axis=alt.Axis(format="%Y"))
    share = alt.layer(*share_layers(x, MEASURE_TOOLTIP, theme.CONCERN_SHARE_AXIS), data=line_data).properties(
        width=theme.WIDTH, height=160
    )
    quotes = (
        alt.Chart(ev)
        .mark_point(filled=True, size=70, opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("polarity_label:N", title=None, sort=[theme.POLARITY_LABELS[p] for p in theme.POLARITY_ORDER]),
            yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-14, 14])),
            color=alt.Color(
                "polarity:N",
                scale=theme.polarity_scale(),
                title="Polarity",
                legend=alt.Legend(labelExpr=_legend_labels(theme.POLARITY_LABELS)),
            ),
            tooltip=[
                alt.Tooltip("quote:N", title="Evidence"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("where:N", title="Where"),
                alt.Tooltip("visit_title:N", title="Visit"),
                alt.Tooltip("visit_date:T", title="Date", format="%d %b %Y"),
            ],
            href="url:N",
        )
        .properties(width=theme.WIDTH, height=120)
    )
    chart = alt.vconcat(share, quotes).resolve_scale(x="shared", color="independent", shape="independent")
    return theme.finish(
        chart,
        title=title_theme(trajectory, theme_id),
        subtitle="Top: concern share per visit (bar = 90% interval, number = not yet good / judging it). Below: "
        "every sentence or finding counted; hover to read it, click to open the source",
        description=reading_theme(trajectory, theme_id) + f" {len(ev)} pieces of evidence are plotted below.",
    )


# --- parameters and search ------------------------------------------------------------------------------------


def require_theme(themes: pd.DataFrame, theme_id: str) -> pd.Series:
    """The row of `theme_id` in a mart_themes frame; raises ParameterError naming the known ids otherwise."""
    found = themes[themes["theme_id"] == theme_id]
    if found.empty:
        known = ", ".join(sorted(themes["theme_id"]))
        raise ParameterError(f"theme_id: unknown theme {theme_id!r}; known themes: {known}")
    return found.iloc[0]


def reading_search(frame: pd.DataFrame, words: str | None, theme_id: str | None) -> str:
    """One sentence on a word search: how many matches, in how many visits and documents, over which years."""
    what = " and ".join(
        part for part in (f"'{theme.plain(words)}'" if words else "", f"theme {theme_id}" if theme_id else "") if part
    )
    what = what or "everything"
    if frame.empty:
        return f"No sentence or finding matched {what}."
    n_visits = frame["visit_id"].nunique()
    n_docs = frame["document_id"].nunique()
    years = pd.to_datetime(frame["evidence_date"]).dt.year
    return (
        f"{len(frame)} sentences or findings matched {what}: {n_docs} documents, {n_visits} visits, "
        f"{int(years.min())} to {int(years.max())}."
    )


def search_hits(frame: pd.DataFrame, words: str | None = None, theme_id: str | None = None) -> alt.TopLevelMixin:
    """Matches of a word search on a true date axis, one row per kind of document (mart_evidence_search)."""
    data = _dates(theme.safe_frame(frame), "evidence_date").copy()
    data["quote"] = data["text"].map(_short)
    kinds = {
        "inspection_report": "Inspection report",
        "monitoring_visit_letter": "Monitoring visit letter",
        "focused_visit_letter": "Focused visit letter",
        "council_report": "Council report",
        "news": "News",
        "analyst_finding": "Analyst's finding",
    }
    data["kind_label"] = data["document_kind"].map(kinds).fillna(data["document_kind"])
    data["where"] = [
        f"{title}, page {int(page)}" if pd.notna(page) else str(title)
        for title, page in zip(data["document_title"].fillna(""), data["page"], strict=True)
    ]
    chart = (
        alt.Chart(data)
        .mark_tick(thickness=2, size=18, color=theme.OKABE_ITO["blue"])
        .encode(
            x=alt.X(
                "evidence_date:T", title=theme.axis_title("Date", "visit, else publication"), axis=alt.Axis(format="%Y")
            ),
            y=alt.Y("kind_label:N", title=None),
            tooltip=[
                alt.Tooltip("quote:N", title="Text"),
                alt.Tooltip("where:N", title="Where"),
                alt.Tooltip("evidence_date:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("codes:N", title="Coded as"),
            ],
            href="url:N",
        )
        .properties(width=theme.WIDTH, height=max(60, 30 * data["kind_label"].nunique()))
    )
    reading = reading_search(frame, words, theme_id)
    return theme.finish(
        chart,
        title=reading.split(":")[0] if ":" in reading else reading.rstrip("."),
        subtitle="Each tick is a matching sentence or finding; hover to read it, click to open the source",
        description=reading,
    )
