"""Charts of what inspectors found: each takes a frame from a mart and returns an Altair chart.

Every chart's title states its finding and its alt text (`description`) is a sentence computed from the data by
the matching `reading_*` function, which notebooks also print under the chart. `theme.table(chart)` gives the data.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import theme
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
NET_BALANCE_AXIS = theme.axis_title("Net balance", "per coded sentence")


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = pd.to_datetime(out[column])
    return out


def _month(value: object) -> str:
    return "date unknown" if pd.isna(value) else pd.Timestamp(value).strftime("%b %Y")


def _short(text: object, limit: int = TOOLTIP_CHARS) -> str:
    clean = theme.plain(text)
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "\u2026"


def _signed(value: float) -> str:
    """A net balance as text: two decimals, three when it is small, so a small negative never reads -0.00."""
    if value == 0:
        return "0.00"
    return f"{value:+.3f}" if abs(value) < 0.01 else f"{value:+.2f}"


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
        return visits + ", none of them graded."
    latest = graded.iloc[-1]
    sentence = f"{visits}; the latest graded inspection ({_month(latest['visit_date'])}) found it " + _grade_label(
        latest["grade"]
    )
    if len(graded) > 1:
        previous = graded.iloc[-2]
        change = int(previous["grade_rank"]) - int(latest["grade_rank"])
        sentence += _compared(previous, change, latest["grade"])
    ungraded = int((~frame["is_graded"].astype(bool)).sum())
    if ungraded:
        sentence += f"; {ungraded} visit{'s were' if ungraded != 1 else ' was'} not graded"
    return sentence + "."


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
        subtitle="Each mark is a visit on its fieldwork date; colour and shape give the judgement, grey = not graded; "
        "? = date or identity uncertain",
        description=reading,
    )


def _legend_labels(labels: dict[str, str]) -> str:
    # A Vega expression mapping ids to labels; ids and labels are the suite's own constants, not document text.
    cases = " : ".join(f"datum.label === '{key}' ? '{value}'" for key, value in labels.items())
    return f"{cases} : datum.label"


# --- theme by visit ---------------------------------------------------------------------------------------------


def _visit_labels(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    short = {
        "sif_inspection": "SIF",
        "ilacs_standard": "ILACS",
        "ilacs_short": "ILACS short",
        "monitoring_visit": "MV",
        "focused_visit": "FV",
        "assurance_visit": "AV",
        "pre_sif_inspection": "Inspection",
    }
    out["visit_label"] = [
        f"{_month(d)} {short.get(t, t)}" for d, t in zip(out["visit_date"], out["visit_type"], strict=True)
    ]
    return out


def reading_theme_by_visit(frame: pd.DataFrame) -> str:
    """One sentence on the latest visit: how many themes drew more concerns than strengths, and which most."""
    if frame.empty:
        return "No coded inspection text or analyst findings were published by this date."
    latest_date = frame["visit_date"].max()
    latest = frame[frame["visit_date"] == latest_date]
    negative = latest[latest["net_balance"] < 0].sort_values(["net_balance", "theme_label"])
    positive = latest[latest["net_balance"] > 0]
    sentence = (
        f"At the latest visit ({_month(latest_date)}), concerns outweighed strengths on {len(negative)} of "
        f"{len(latest)} themes mentioned and strengths outweighed concerns on {len(positive)}"
    )
    if len(negative):
        sentence += f"; the most negative was {negative.iloc[0]['theme_label'].lower()}"
    return sentence + "."


def title_theme_by_visit(frame: pd.DataFrame) -> str:
    """A short title: at the latest visit, on how many themes concerns outweighed strengths."""
    if frame.empty:
        return "No coded evidence had been published by this date"
    latest_date = frame["visit_date"].max()
    latest = frame[frame["visit_date"] == latest_date]
    negative = latest[latest["net_balance"] < 0]
    return f"{_month(latest_date)}: concerns outweighed strengths on {len(negative)} of {len(latest)} themes mentioned"


def theme_by_visit_heatmap(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Themes by visits, coloured by net balance on a diverging colour-blind-safe scale (mart_theme_by_visit)."""
    data = _visit_labels(_dates(theme.safe_frame(frame), "visit_date"))
    order = data.sort_values(["visit_date", "visit_id"])["visit_label"].drop_duplicates().tolist()
    data["basis"] = data["evidence_basis"].map(
        {"sentences": "coded sentences of the report or letter", "analyst_findings": "analysts' findings (no text)"}
    )
    tooltip = [
        alt.Tooltip("theme_label:N", title="Theme"),
        alt.Tooltip("visit_title:N", title="Visit"),
        alt.Tooltip("visit_date:T", title="Date", format="%d %b %Y"),
        alt.Tooltip("net_balance:Q", title="Net balance", format="+.2f"),
        alt.Tooltip("n_strength:Q", title="Strengths"),
        alt.Tooltip("n_improving:Q", title="Improving"),
        alt.Tooltip("n_concern:Q", title="Concerns"),
        alt.Tooltip("n_units_in_visit:Q", title="Sentences coded in visit"),
        alt.Tooltip("n_recommendations:Q", title="Recommendations"),
        alt.Tooltip("basis:N", title="Counted from"),
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
    limit = theme.net_balance_limit(data["net_balance"])
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color(
            "net_balance:Q",
            scale=theme.net_balance_scale(limit),
            title=NET_BALANCE_AXIS,
            legend=alt.Legend(orient="bottom", gradientLength=240, format="+.2f"),
        ),
        tooltip=tooltip,
    )
    # A hatch-free cue that does not rely on colour: the count of concerns written in each cell.
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("n_concern:Q"),
        color=alt.condition(
            f"abs(datum.net_balance) > {0.6 * limit}", alt.value("#ffffff"), alt.value(theme.TEXT_COLOUR)
        ),
        tooltip=tooltip,
    )
    n_themes = data["theme_label"].nunique()
    chart = alt.layer(cells, labels).properties(width=max(240, 56 * len(order)), height=max(120, 18 * n_themes))
    reading = reading_theme_by_visit(frame)
    return theme.finish(
        chart,
        title=title_theme_by_visit(frame),
        subtitle=[
            "Colour: net balance = (strengths - concerns) / sentences coded in that visit; orange = more concerns",
            "Number in a cell: concern sentences (or findings, for visits known without their text)",
        ],
        description=reading + " Empty cells: the visit did not mention the theme.",
    )


# --- theme trajectories -----------------------------------------------------------------------------------------


def _trend(frame: pd.DataFrame) -> pd.DataFrame:
    """Per theme: net balance at its first and latest mention, and the change."""
    mentioned = frame[frame["is_mentioned"].astype(bool)].sort_values(["theme_id", "visit_date", "visit_id"])
    grouped = mentioned.groupby(["theme_id", "theme_label"], sort=True)
    out = grouped.agg(
        first=("net_balance", "first"),
        latest=("net_balance", "last"),
        n_visits=("visit_id", "count"),
        latest_date=("visit_date", "last"),
    ).reset_index()
    out["change"] = out["latest"] - out["first"]
    return out


def reading_trajectories(frame: pd.DataFrame) -> str:
    """One sentence: how many themes' net balance rose or fell between their first and latest mention."""
    trend = _trend(frame)
    trend = trend[trend["n_visits"] >= 2]
    if trend.empty:
        return "No theme was mentioned at two or more visits by this date, so there is no trend yet."
    up, down = trend[trend["change"] > 0], trend[trend["change"] < 0]
    sentence = (
        f"Of {len(trend)} themes mentioned at two or more visits, {len(up)} moved towards strengths and "
        f"{len(down)} towards concerns between their first and latest mention"
    )
    if len(down):
        worst = down.sort_values(["change", "theme_label"]).iloc[0]
        sentence += f"; {worst['theme_label'].lower()} fell most"
    return sentence + "."


def title_trajectories(frame: pd.DataFrame) -> str:
    """A short title: how many themes moved towards strengths and towards concerns."""
    trend = _trend(frame)
    trend = trend[trend["n_visits"] >= 2]
    if trend.empty:
        return "No theme was mentioned at two visits yet"
    up, down = int((trend["change"] > 0).sum()), int((trend["change"] < 0).sum())
    return f"{up} of {len(trend)} themes moved towards strengths across visits, {down} towards concerns"


def theme_trajectories(frame: pd.DataFrame, themes: list[str] | None = None, columns: int = 4) -> alt.TopLevelMixin:
    """Small multiples: each theme's net balance across visits on a true date axis (mart_theme_trajectory)."""
    data = frame if themes is None else frame[frame["theme_id"].isin(themes)]
    data = _dates(theme.safe_frame(data[data["is_mentioned"].astype(bool)]), "visit_date")
    tooltip = [
        alt.Tooltip("theme_label:N", title="Theme"),
        alt.Tooltip("visit_title:N", title="Visit"),
        alt.Tooltip("visit_date:T", title="Date", format="%d %b %Y"),
        alt.Tooltip("net_balance:Q", title="Net balance", format="+.2f"),
        alt.Tooltip("n_strength:Q", title="Strengths"),
        alt.Tooltip("n_improving:Q", title="Improving"),
        alt.Tooltip("n_concern:Q", title="Concerns"),
        alt.Tooltip("evidence_basis:N", title="Counted from"),
    ]
    x = alt.X("visit_date:T", title=theme.axis_title("Visit date", "fieldwork start"), axis=alt.Axis(format="%Y"))
    limit = theme.net_balance_limit(data["net_balance"])
    # Small multiples repeat the axis per row: a short title, the unit is in the subtitle.
    y = alt.Y("net_balance:Q", title="Net balance", scale=alt.Scale(domain=[-limit, limit]))
    line = alt.Chart().mark_line(color=theme.OKABE_ITO["blue"], strokeWidth=1.5).encode(x=x, y=y)
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=50, stroke=theme.TEXT_COLOUR, strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color("net_balance:Q", scale=theme.net_balance_scale(limit), legend=None),
            tooltip=tooltip,
        )
    )
    zero = alt.Chart().mark_rule(color=theme.MUTED_COLOUR, strokeDash=[2, 2]).encode(y=alt.datum(0))
    chart = (
        alt.layer(zero, line, dots, data=data)
        .properties(width=150, height=110)
        .facet(facet=alt.Facet("theme_label:N", title=None), columns=columns)
    )
    reading = reading_trajectories(frame if themes is None else frame[frame["theme_id"].isin(themes)])
    return theme.finish(
        chart,
        title=title_trajectories(frame if themes is None else frame[frame["theme_id"].isin(themes)]),
        subtitle=[
            "Net balance per theme at each visit that mentioned it: (strengths - concerns) / sentences coded",
            "Above the dotted line: more strengths than concerns",
        ],
        description=reading,
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


def reading_recurring(frame: pd.DataFrame) -> str:
    """One sentence: how many concerns recur, and which are persistent now."""
    if frame.empty:
        return "No theme had been raised as a concern at two or more visits by this date."
    recurring = frame[frame["is_recurring"].astype(bool)]
    persistent = recurring[recurring["status"] == "persistent"].sort_values("n_visits_raised", ascending=False)
    were = "themes were" if len(recurring) != 1 else "theme was"
    sentence = f"{len(recurring)} {were} raised as concerns at two or more visits"
    if len(persistent):
        names = ", ".join(persistent["theme_label"].str.lower().head(4))
        verb = "persists" if len(persistent) == 1 else "persist"
        sentence += f"; {len(persistent)} {verb} with no improvement at the latest visit ({names})"
    else:
        sentence += "; none persists without improvement at the latest visit"
    return sentence + "."


def title_recurring(frame: pd.DataFrame) -> str:
    """A short title: how many concerns recur and how many persist now."""
    if frame.empty:
        return "No concern had recurred by this date"
    recurring = frame[frame["is_recurring"].astype(bool)]
    n_persistent = int((recurring["status"] == "persistent").sum())
    n_again = int(recurring["is_raised_at_latest"].astype(bool).sum()) if "is_raised_at_latest" in recurring else 0
    return (
        f"{len(recurring)} concerns recurred across visits; the latest visit raised {n_again} again, "
        f"{n_persistent} with no improvement"
    )


def recurring_concerns(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Each recurring theme's visits raised as a concern, coloured by its status now (mart_recurring_concerns)."""
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
        alt.Tooltip("n_visits_raised:Q", title="Visits raised"),
        alt.Tooltip("n_concern_total:Q", title="Concern sentences or findings"),
        alt.Tooltip("n_recommendations_total:Q", title="Recommendations"),
    ]
    y = alt.Y("theme_label:N", sort=sort, title=None)
    status_scale = alt.Scale(domain=STATUS_ORDER, range=[STATUS_COLOURS[s] for s in STATUS_ORDER])
    colour = alt.Color(
        "status:N",
        title="Status at the latest visit",
        scale=status_scale,
        legend=alt.Legend(labelExpr=_legend_labels(STATUS_LABELS)),
    )
    span = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2, opacity=0.5)
        .encode(
            x=alt.X("min(raised_date):T"),
            x2="max(raised_date):T",
            y=y,
            color=colour,
        )
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
    reading = reading_recurring(frame)
    return theme.finish(
        chart,
        title=title_recurring(frame),
        subtitle="Each dot is a visit that raised the theme as a concern or a recommendation",
        description=reading,
    )


# --- one theme with its evidence --------------------------------------------------------------------------------


def reading_theme(trajectory: pd.DataFrame, theme_id: str) -> str:
    """One sentence on a single theme across visits: net balance at its first and latest mention."""
    rows = trajectory[(trajectory["theme_id"] == theme_id) & trajectory["is_mentioned"].astype(bool)]
    rows = rows.sort_values(["visit_date", "visit_id"])
    if rows.empty:
        return f"No visit published by this date mentioned the theme {theme_id}."
    label = theme.plain(rows["theme_label"].iloc[0])
    first, last = rows.iloc[0], rows.iloc[-1]
    n = len(rows)
    if n == 1:
        return (
            f"{label} was mentioned at one visit ({_month(first['visit_date'])}), with a net balance of "
            f"{_signed(first['net_balance'])}."
        )

    def word(value: float) -> str:
        return (
            "more strengths than concerns" if value > 0 else "more concerns than strengths" if value < 0 else "balanced"
        )

    return (
        f"{label} was mentioned at {n} visits: {word(first['net_balance'])} in {_month(first['visit_date'])} "
        f"({_signed(first['net_balance'])}), {word(last['net_balance'])} in {_month(last['visit_date'])} "
        f"({_signed(last['net_balance'])})."
    )


def title_theme(trajectory: pd.DataFrame, theme_id: str) -> str:
    """A short title: the theme's net balance at its first and latest mention."""
    rows = trajectory[(trajectory["theme_id"] == theme_id) & trajectory["is_mentioned"].astype(bool)]
    rows = rows.sort_values(["visit_date", "visit_id"])
    if rows.empty:
        return f"No visit mentioned {theme_id} by this date"
    label = theme.plain(rows["theme_label"].iloc[0])
    first, last = rows.iloc[0], rows.iloc[-1]
    if len(rows) == 1:
        return f"{label}: one visit ({_month(first['visit_date'])}), net balance {_signed(first['net_balance'])}"
    return (
        f"{label}: net balance {_signed(first['net_balance'])} in {_month(first['visit_date'])}, "
        f"{_signed(last['net_balance'])} in {_month(last['visit_date'])}"
    )


def theme_evidence(trajectory: pd.DataFrame, evidence: pd.DataFrame, theme_id: str) -> alt.TopLevelMixin:
    """One theme across visits: its net balance, and every sentence behind it with the text in its tooltip.

    `trajectory` comes from mart_theme_trajectory, `evidence` from mart_evidence (any filters).
    """
    line_data = trajectory[(trajectory["theme_id"] == theme_id) & trajectory["is_mentioned"].astype(bool)]
    line_data = _dates(theme.safe_frame(line_data), "visit_date")
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
    balance = (
        alt.Chart(line_data)
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=60), color=theme.OKABE_ITO["blue"])
        .encode(
            x=x,
            y=alt.Y(
                "net_balance:Q",
                title=NET_BALANCE_AXIS,
                scale=alt.Scale(
                    domain=[
                        -theme.net_balance_limit(line_data["net_balance"]),
                        theme.net_balance_limit(line_data["net_balance"]),
                    ]
                ),
            ),
            tooltip=[
                alt.Tooltip("visit_title:N", title="Visit"),
                alt.Tooltip("visit_date:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("net_balance:Q", title="Net balance", format="+.2f"),
                alt.Tooltip("n_strength:Q", title="Strengths"),
                alt.Tooltip("n_improving:Q", title="Improving"),
                alt.Tooltip("n_concern:Q", title="Concerns"),
            ],
        )
        .properties(width=theme.WIDTH, height=160)
    )
    zero = alt.Chart(line_data).mark_rule(color=theme.MUTED_COLOUR, strokeDash=[2, 2]).encode(y=alt.datum(0))
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
    chart = alt.vconcat(alt.layer(zero, balance), quotes).resolve_scale(x="shared", color="independent")
    reading = reading_theme(trajectory, theme_id)
    return theme.finish(
        chart,
        title=title_theme(trajectory, theme_id),
        subtitle="Top: net balance per visit. Below: every sentence or finding on the theme; hover to read it, "
        "click to open the source",
        description=reading + f" {len(ev)} pieces of evidence are plotted below the line.",
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
