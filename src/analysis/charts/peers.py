"""A council beside its peers, and the improvement journeys of the corpus: charts and the sentences that read them.

- `peer_themes(themes, groups, theme_ids=None)`: mart_peer_themes and mart_peer_councils rows -> the council's concern
  share per theme at its latest inspection with text beside each comparison group's pooled share, with intervals,
  counts and how many councils each rests on.
- `journey_stops(journeys)`: mart_improvement_journeys rows -> months from the inadequate inspection until each theme
  stopped being raised, one dot per journey.
Every comparison says how many councils and documents it rests on (`reading_groups`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import readings, theme

GROUP_ORDER = ["council", "neighbours", "region", "same_grade"]
POOLED = "pooled"  # the colour key of a group's pooled share, beside the reading colours of the council's own


def _council(groups: pd.DataFrame) -> pd.Series | None:
    own = groups[groups["group_id"] == "council"]
    return own.iloc[0] if len(own) else None


def group_words(group_id: str, groups: pd.DataFrame) -> str:
    """The members of a comparison group in words, to follow a count: 'statistical neighbours (DfE 2025 model)'."""
    own = _council(groups)
    if group_id == "neighbours":
        return "statistical neighbours of DfE's 2025 model"
    if group_id == "region":
        region = own["region_name"] if own is not None and pd.notna(own["region_name"]) else None
        return f"other councils of the {region}" if region else "other councils of its region"
    if group_id == "same_grade":
        grade = own["latest_grade"] if own is not None else None
        if grade is None or pd.isna(grade) or grade == "not_recorded":
            return "councils with its latest grade (its latest grade was not read)"
        return f"other councils whose latest grade is {theme.GRADE_LABELS.get(grade, grade).lower()}"
    return "council"


def group_summary(groups: pd.DataFrame) -> pd.DataFrame:
    """Per comparison group: members, members with a report, and their documents (from mart_peer_councils)."""
    rows = []
    for group_id in GROUP_ORDER[1:]:
        members = groups[groups["group_id"] == group_id]
        rows.append(
            {
                "group_id": group_id,
                "group": group_words(group_id, groups),
                "n_councils": len(members),
                "n_councils_with_text": int(members["has_text"].astype(bool).sum()),
                "n_documents": int(members["n_text_documents"].sum()),
            }
        )
    return pd.DataFrame(rows)


def _documents(n: int) -> str:
    return f"{n} document{'s' if n != 1 else ''}"


def reading_groups(groups: pd.DataFrame) -> str:
    """Which inspection the council's readings come from, and how many councils and documents each group rests on."""
    own = _council(groups)
    if own is None:
        return "The council is not in the database."
    name = theme.plain(own["la_name"])
    if not bool(own["has_text"]):
        start = f"No graded inspection of {name} with coded text is in the database, so it cannot be set beside them"
    else:
        visit = readings.visit_name(own["text_visit_type"], own["text_visit_date"])
        grade = theme.GRADE_LABELS.get(own["text_visit_grade"], own["text_visit_grade"]).lower()
        start = (
            f"{name}'s readings come from its latest inspection with coded text, {visit} ({grade}; "
            f"{_documents(int(own['n_text_documents']))})"
        )
    parts = [
        f"{r['n_councils_with_text']} of the {r['n_councils']} {r['group']} ({_documents(r['n_documents'])})"
        for r in group_summary(groups).to_dict("records")
    ]
    return (
        f"{start}. A peer counts through its own latest inspection with coded text, which the database holds for "
        + "; ".join(parts)
        + "."
    )


def _group_counts(row: pd.Series | dict) -> str:
    """How the group's councils that mentioned the theme read it; the counts listed add up to those mentioning it."""
    parts = [
        f"{int(row[column])} {words}"
        for column, words in [
            ("n_councils_named", "named it for improvement"),
            ("n_councils_mostly_concerns", "read mostly concerns"),
            ("n_councils_mixed", "mixed"),
            ("n_councils_mostly_strengths", "mostly strengths"),
            ("n_councils_not_enough_evidence", "too few sentences to read"),
        ]
        if int(row[column])
    ]
    return (
        f"of {int(row['n_councils_with_text'])} with a report, {int(row['n_councils_mentioning'])} mentioned it "
        f"({', '.join(parts)})"
    )


def reading_peer_theme(themes: pd.DataFrame, groups: pd.DataFrame, theme_id: str) -> str:
    """One theme: the council's reading beside each group's, counted in councils and in pooled sentences."""
    rows = themes[themes["theme_id"] == theme_id]
    own = _council(groups)
    name = theme.plain(own["la_name"]) if own is not None else "The council"
    mine = rows[rows["group_id"] == "council"]
    label = theme.plain(rows["theme_label"].iloc[0]) if len(rows) else theme_id
    if len(mine):
        sentence = (
            f"{label}: at {name}'s latest inspection with coded text, {readings.reading_phrase(mine.iloc[0].to_dict())}"
        )
    else:
        sentence = f"{label}: {name}'s latest inspection with coded text does not mention it"
    for group_id in GROUP_ORDER[1:]:
        group = rows[rows["group_id"] == group_id]
        who = group_words(group_id, groups)
        if group.empty:
            sentence += f"; none of the {who} with a report mentions it"
            continue
        row = group.iloc[0]
        pooled = (
            f"pooled, {int(row['n_concern_or_improving'])} of {int(row['n_evaluative'])} of their judging sentences "
            f"found it not yet good ({readings.percent(row['concern_share'])}, 90% interval "
            f"{readings.interval_text(row)})"
            if int(row["n_evaluative"])
            else "none of their sentences judged it"
        )
        sentence += f"; the {who}: {_group_counts(row)}; {pooled}"
    return sentence + "."


def _chart_frame(themes: pd.DataFrame, groups: pd.DataFrame, theme_ids: list[str] | None) -> pd.DataFrame:
    own = themes[themes["group_id"] == "council"]
    wanted = list(own["theme_id"]) if theme_ids is None else theme_ids
    data = themes[themes["theme_id"].isin(wanted) & themes["concern_share"].notna()].copy()
    summary = group_summary(groups).set_index("group_id")
    council = _council(groups)
    name = theme.plain(council["la_name"]) if council is not None else "Council"
    headers = {"council": name}
    short = {"neighbours": "Neighbours", "region": "Region", "same_grade": "Same grade"}
    for group_id, label in short.items():
        if group_id in summary.index:
            row = summary.loc[group_id]
            headers[group_id] = f"{label}: {row['n_councils_with_text']} of {row['n_councils']} with a report"
    data["group_label"] = data["group_id"].map(headers)
    data["group_order"] = data["group_id"].map({g: i for i, g in enumerate(GROUP_ORDER)})
    data["colour_key"] = data["reading"].where(data["group_id"] == "council", POOLED)
    data["count_text"] = [
        f"{int(k)}/{int(n)}" if g == "council" else f"{int(r)} of {int(m)} raise"
        for g, k, n, r, m in zip(
            data["group_id"],
            data["n_concern_or_improving"],
            data["n_evaluative"],
            data["n_councils_raised"],
            data["n_councils_mentioning"],
            strict=True,
        )
    ]
    data["share_text"] = data["concern_share"].map(readings.percent)
    data["interval_text"] = [readings.interval_text(r) for r in data.to_dict("records")]
    data["reading_label"] = data["reading"].map(theme.READING_LABELS).fillna("pooled over the group's councils")
    return theme.safe_frame(data.sort_values(["group_order", "theme_label"]))


def title_peer_themes(themes: pd.DataFrame, groups: pd.DataFrame) -> str:
    """A short title: how many of the council's themes it raised, and how many of those its neighbours raised too."""
    own = themes[themes["group_id"] == "council"]
    council = _council(groups)
    name = theme.plain(council["la_name"]) if council is not None else "The council"
    if own.empty:
        return f"{name}: no inspection with coded text to set beside its peers"
    raised = own[own["reading"].isin(readings.RAISED)]
    neighbours = themes[(themes["group_id"] == "neighbours") & themes["theme_id"].isin(raised["theme_id"])]
    shared = int((neighbours["n_councils_raised"] > 0).sum())
    return (
        f"{name} raised {len(raised)} of {len(own)} themes at its latest inspection with text; its neighbours "
        f"raised {shared} of those too"
    )


def peer_themes(themes: pd.DataFrame, groups: pd.DataFrame, theme_ids: list[str] | None = None) -> alt.TopLevelMixin:
    """The council's concern share per theme beside each comparison group's pooled share, with intervals and counts."""
    data = _chart_frame(themes, groups, theme_ids)
    order = sorted(data["theme_label"].unique())
    y = alt.Y("theme_label:N", title=None, sort=order)
    domain = [*theme.READING_ORDER, POOLED]
    colours = [*(theme.READING_COLOURS[r] for r in theme.READING_ORDER), theme.TEXT_COLOUR]
    labels = {**theme.READING_LABELS, POOLED: "Group, pooled"}
    colour = alt.Color(
        "colour_key:N",
        title="Reading or pooled share",
        scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(labelExpr=theme.legend_labels(labels)),
    )
    tooltip = [
        alt.Tooltip("group_label:N", title="Compared"),
        alt.Tooltip("theme_label:N", title="Theme"),
        alt.Tooltip("reading_label:N", title="Reading"),
        alt.Tooltip("share_text:N", title="Concern share"),
        alt.Tooltip("interval_text:N", title="90% interval"),
        alt.Tooltip("n_concern_or_improving:Q", title="Sentences not yet good"),
        alt.Tooltip("n_evaluative:Q", title="Sentences judging it"),
        alt.Tooltip("n_councils_mentioning:Q", title="Councils mentioning it"),
        alt.Tooltip("n_councils_raised:Q", title="Councils raising it"),
    ]
    x = alt.X("concern_share:Q", title="Concern share", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    interval = (
        alt.Chart()
        .mark_rule(strokeWidth=2, opacity=0.6)
        .encode(
            x=alt.X("concern_share_low:Q", scale=alt.Scale(domain=[0, 1])), x2="concern_share_high:Q", y=y, color=colour
        )
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=70, opacity=1, stroke=theme.TEXT_COLOUR, strokeWidth=0.5)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    counts = (
        alt.Chart()
        .mark_text(align="left", dx=6, fontSize=9, color=theme.TEXT_COLOUR)
        .encode(
            x=alt.X("concern_share_high:Q", scale=alt.Scale(domain=[0, 1])), y=y, text="count_text:N", tooltip=tooltip
        )
    )
    half = alt.Chart().mark_rule(color=theme.MUTED_COLOUR, strokeDash=[2, 2]).encode(x=alt.datum(0.5))
    headers = data.sort_values("group_order")["group_label"].drop_duplicates().tolist()
    chart = (
        alt.layer(half, interval, points, counts, data=data)
        .properties(width=150, height=max(80, 18 * len(order)))
        # room between the panels for the count written to the right of each interval
        .facet(column=alt.Column("group_label:N", title=None, sort=headers), spacing=90)
    )
    return theme.finish(
        chart,
        title=title_peer_themes(themes, groups),
        subtitle=[
            "Concern share: sentences finding the theme not yet good / sentences judging it; bar = 90% interval",
            "Council: its reading and count; groups: pooled over their councils' latest inspection with text, and how "
            "many of those councils raised it",
        ],
        description=reading_groups(groups),
    )


# --- improvement journeys ---------------------------------------------------------------------------------------


def reading_journeys(journeys: pd.DataFrame) -> str:
    """Sentences on the corpus's improvement journeys: how many, whose, and which themes stopped being raised first."""
    if journeys.empty:
        return (
            "No council in the database went from inadequate to a better grade at its next inspection with the "
            "inadequate inspection's report coded, so there is no improvement journey to learn from yet."
        )
    per = journeys.drop_duplicates("journey_id").sort_values(["from_visit_date", "la_id_gss"])
    trips = [
        f"{theme.plain(r['la_name'])} ({readings.month(r['from_visit_date'])} to {readings.month(r['to_visit_date'])}, "
        f"{theme.GRADE_LABELS.get(r['to_grade'], r['to_grade']).lower()} after {int(r['months_to_next_grade'])} months)"
        for r in per.to_dict("records")
    ]
    n = len(per)
    sentence = (
        f"{n} journe{'ys' if n != 1 else 'y'} in the database went from inadequate to a better grade at the next "
        f"inspection: {'; '.join(trips)}. Only councils whose inadequate inspection's report is coded are counted:"
        " the database may hold more that climbed."
    )
    first = journeys[journeys["stop_order"] == 1]
    if len(first):
        counts = first.groupby("theme_label").size().sort_values(ascending=False)
        top = counts[counts == counts.max()].index.tolist()
        sentence += (
            f" Among the themes each inadequate inspection raised, the ones that stopped being raised first most "
            f"often ({int(counts.max())} of {n} journeys): {readings.names(pd.DataFrame({'theme_label': top}))}."
        )
    return sentence


def journey_stops(journeys: pd.DataFrame) -> alt.TopLevelMixin:
    """Months from each inadequate inspection until each theme it raised stopped being raised (one dot a journey)."""
    data = journeys[journeys["status"] == "stopped"].copy()
    data["journey"] = [
        f"{theme.plain(n)} ({readings.month(f)} to {readings.month(t)})"
        for n, f, t in zip(data["la_name"], data["from_visit_date"], data["to_visit_date"], strict=True)
    ]
    data = theme.safe_frame(
        data[
            [
                "journey",
                "theme_label",
                "months_to_stop",
                "stopped_reading",
                "stopped_visit_id",
                "stop_order",
                "stopped_evidence_document",
                "stopped_evidence_page",
            ]
        ]
    )
    order = (
        data.groupby("theme_label")["months_to_stop"].median().sort_values(kind="stable").index.tolist()
        if len(data)
        else []
    )
    chart = (
        alt.Chart(data)
        .mark_point(filled=True, size=80, opacity=0.9)
        .encode(
            x=alt.X("months_to_stop:Q", title=theme.axis_title("Time until no longer raised", "months")),
            y=alt.Y("theme_label:N", title=None, sort=order),
            color=alt.Color("journey:N", title="Journey"),
            shape=alt.Shape("journey:N", legend=None),
            tooltip=[
                alt.Tooltip("journey:N", title="Journey"),
                alt.Tooltip("theme_label:N", title="Theme"),
                alt.Tooltip("months_to_stop:Q", title="Months"),
                alt.Tooltip("stopped_reading:N", title="Reading then"),
                alt.Tooltip("stopped_evidence_document:N", title="Evidence"),
                alt.Tooltip("stopped_evidence_page:Q", title="Page"),
            ],
        )
        .properties(width=theme.WIDTH, height=max(80, 18 * len(order)))
    )
    n = data["journey"].nunique()
    title = (
        f"{len(order)} themes stopped being raised within {int(data['months_to_stop'].max())} months in {n} "
        f"journe{'ys' if n != 1 else 'y'} from inadequate"
        if len(data)
        else "No theme raised at an inadequate inspection has stopped being raised yet"
    )
    return theme.finish(
        chart,
        title=title,
        subtitle="Each dot: one journey; months from the inadequate inspection to the first visit at which the theme "
        "read mixed or mostly strengths",
        description=reading_journeys(journeys),
    )
