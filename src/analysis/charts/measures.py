"""Charts of the official measures: a council against its neighbours, region and England, and themes beside measures.

Each function takes the frame of a mart and returns an Altair chart built on the suite's theme
(analysis.charts.theme): a title that states the finding, axis titles with units, alt text, data inline.
- `benchmark(frame, measure=None)`: mart_measure_benchmarks rows -> council, neighbour mean, region, England over time.
- `comparators(frame, measure=None, period_end=None)`: mart_measure_comparators rows -> one bar per area.
- `triangulation(theme_frame, measure_frame, theme_id=None, measures=None)`: mart_theme_trajectory rows and
  mart_measure_benchmarks rows -> the theme's concern share (with its interval) and its measures on one date axis.
- `local_targets(frame, measure=None)`: mart_measure_local rows -> the council's own figures against targets.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import inspection, readings, theme

SERIES_ORDER = ["Council", "Statistical neighbours (mean)", "Region", "England"]
SERIES_COLOURS = [theme.OKABE_ITO[k] for k in ("vermillion", "blue", "bluish_green", "black")]
SERIES_DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]


def _one_measure(frame: pd.DataFrame, measure: str | None) -> pd.DataFrame:
    if frame.empty:
        raise ValueError("no rows to chart")
    measure = measure or str(frame["measure"].iloc[0])
    rows = frame[frame["measure"] == measure]
    if rows.empty:
        raise ValueError(f"no rows for measure {measure!r}")
    return rows.sort_values("period_end")


def _fmt(value: object, unit: str = "") -> str:
    if value is None or pd.isna(value):
        return "not published"
    number = f"{float(value):,.1f}".rstrip("0").rstrip(".")
    return f"{number}%" if unit.startswith("%") else number


def _compare(value: float, other: float) -> str:
    if pd.isna(value) or pd.isna(other):
        return "beside"
    if value == other:
        return "level with"
    return "above" if value > other else "below"


def benchmark(frame: pd.DataFrame, measure: str | None = None) -> alt.TopLevelMixin:
    """A council's measure over time beside its statistical neighbours' mean, its region and England."""
    rows = _one_measure(frame, measure)
    first = rows.iloc[0]
    name = str(first.get("la_name", first["la_id_gss"]))
    region = str(first.get("region_name") or "Region")
    series = {
        "Council": "value",
        "Statistical neighbours (mean)": "neighbour_mean",
        "Region": "region_value",
        "England": "england_value",
    }
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "period_end": pd.to_datetime(rows["period_end"]),
                    "series": label,
                    "area": {"Council": name, "Region": region}.get(label, label),
                    "value": pd.to_numeric(rows[column], errors="coerce"),
                }
            )
            for label, column in series.items()
        ],
        ignore_index=True,
    ).dropna(subset=["value"])
    unit = str(first["unit"])
    label = str(first["label"])
    latest = rows.iloc[-1]
    year = pd.Timestamp(latest["period_end"]).year
    title = (
        f"{name}: {label.lower()} {_fmt(latest['value'], unit)} in {year}, "
        f"{_compare(latest['value'], latest['neighbour_mean'])} its neighbours' "
        f"{_fmt(latest['neighbour_mean'], unit)} and England's {_fmt(latest['england_value'], unit)}"
    )
    subtitle = [f"Statistical neighbours: DfE 2025 model; mean of {int(latest['n_neighbours_with_data'])} with data."]
    if pd.notna(latest.get("rank_position")):
        subtitle.append(
            f"Rank {int(latest['rank_position'])} of {int(latest['n_ranked'])} councils (1 = best), "
            f"quartile band {latest['quartile_band']} (A = best quarter)."
        )
    chart = (
        alt.Chart(theme.safe_frame(long))
        .mark_line(point=True)
        .encode(
            x=alt.X("period_end:T", title="Period end (date)"),
            y=alt.Y("value:Q", title=theme.axis_title(label, unit), scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=SERIES_ORDER, range=SERIES_COLOURS)),
            strokeDash=alt.StrokeDash(
                "series:N", title=None, scale=alt.Scale(domain=SERIES_ORDER, range=SERIES_DASHES)
            ),
            tooltip=[
                alt.Tooltip("area:N", title="Area"),
                alt.Tooltip("period_end:T", title="Period end"),
                alt.Tooltip("value:Q", title=unit, format=",.1f"),
            ],
        )
    )
    return theme.finish(chart, title, subtitle)


def comparators(frame: pd.DataFrame, measure: str | None = None, period_end: object = None) -> alt.TopLevelMixin:
    """One bar per area (the council, each neighbour, region, England) for one measure and period."""
    rows = _one_measure(frame, measure)
    period = pd.Timestamp(period_end) if period_end is not None else pd.to_datetime(rows["period_end"]).max()
    rows = rows[pd.to_datetime(rows["period_end"]) == period].sort_values("area_order")
    if rows.empty:
        raise ValueError(f"no rows for period ending {period.date()}")
    first = rows.iloc[0]
    unit, label = str(first["unit"]), str(first["label"])
    shown = rows.assign(
        value_label=[
            _fmt(v, unit) if pd.notna(v) else f"not published ({s})"
            for v, s in zip(rows["value"], rows["status"], strict=True)
        ]
    )[["area_name", "area_role", "area_order", "value", "value_label", "status"]]
    council = rows[rows["area_role"] == "council"]
    with_data = rows[(rows["area_role"] == "neighbour") & rows["value"].notna()]
    name = str(council["area_name"].iloc[0]) if len(council) else "The council"
    value = council["value"].iloc[0] if len(council) else float("nan")
    if first["is_higher_better"] is None or pd.isna(first["is_higher_better"]) or pd.isna(value):
        better = None
    else:
        better = int(
            (with_data["value"] > value).sum() if first["is_higher_better"] else (with_data["value"] < value).sum()
        )
    title = f"{name}: {label.lower()} {_fmt(value, unit)} at {period.date():%d %B %Y}"
    if better is not None:
        title += f"; {better} of {len(with_data)} neighbours with data do better"
    role_colours = {
        "council": theme.OKABE_ITO["vermillion"],
        "neighbour": theme.OKABE_ITO["sky_blue"],
        "region": theme.OKABE_ITO["bluish_green"],
        "england": theme.OKABE_ITO["black"],
    }
    roles = {"council": "Council", "neighbour": "Statistical neighbour", "region": "Region", "england": "England"}
    shown = theme.safe_frame(shown.assign(area_role=shown["area_role"].map(roles)))
    order = shown.sort_values("area_order")["area_name"].tolist()
    base = alt.Chart(shown).encode(y=alt.Y("area_name:N", title=None, sort=order))
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=theme.axis_title(label, unit)),
        color=alt.Color(
            "area_role:N",
            title=None,
            scale=alt.Scale(domain=[roles[r] for r in role_colours], range=list(role_colours.values())),
        ),
        tooltip=[alt.Tooltip("area_name:N", title="Area"), alt.Tooltip("value_label:N", title=unit)],
    )
    text = base.mark_text(align="left", dx=3).encode(x=alt.X("value:Q"), text="value_label:N")
    return theme.finish(alt.layer(bars, text), title, "Bars: published values; a missing bar was not published.")


def triangulation(
    theme_frame: pd.DataFrame,
    measure_frame: pd.DataFrame,
    theme_id: str | None = None,
    measures: list[str] | None = None,
) -> alt.TopLevelMixin:
    """A theme's concern share across visits (inspection codings) above its measures, on one true date axis."""
    themes = theme_frame
    if theme_id is not None:
        themes = theme_frame[theme_frame["theme_id"] == theme_id]
    elif len(theme_frame):
        theme_id = str(theme_frame["theme_id"].iloc[0])
        themes = theme_frame[theme_frame["theme_id"] == theme_id]
    if "is_mentioned" in themes.columns:
        themes = themes[themes["is_mentioned"].fillna(False).astype(bool)]
    picked = measure_frame if measures is None else measure_frame[measure_frame["measure"].isin(measures)]
    picked = picked[pd.to_numeric(picked["value"], errors="coerce").notna()]
    if picked.empty and themes.empty:
        raise ValueError("neither inspection codings nor measures to chart")
    theme_label = str(themes["theme_label"].iloc[0]) if len(themes) else str(theme_id or "theme")
    shares = themes[themes["concern_share"].notna()] if "concern_share" in themes else themes.iloc[0:0]
    points = inspection.measure_columns(theme.safe_frame(shares)).assign(date=pd.to_datetime(shares["visit_date"]))
    values = pd.DataFrame(
        {
            "date": pd.to_datetime(picked["period_end"]),
            "measure": picked["label"].astype(str) + " (" + picked["unit"].astype(str) + ")",
            "unit": picked["unit"].astype(str),
            "value": pd.to_numeric(picked["value"], errors="coerce"),
        }
    )
    dates = pd.concat([points["date"], values["date"]]).dropna()
    # One explicit domain for every panel, so a visit and a year-end figure sit at their true dates.
    domain = [
        alt.DateTime(year=int(dates.min().year), month=1, date=1),
        alt.DateTime(year=int(dates.max().year), month=12, date=31),
    ]
    x = alt.X("date:T", title="Date", scale=alt.Scale(domain=domain))
    top = alt.layer(*inspection.share_layers(x, inspection.MEASURE_TOOLTIP, "Concern share"), data=points).properties(
        height=160, title=f"Inspection codings: {theme.plain(theme_label)} (concern share, 90% interval)"
    )
    panels = [top]
    for name, group in values.groupby("measure", sort=True):
        panels.append(
            alt.Chart(theme.safe_frame(group))
            .mark_line(
                point=alt.OverlayMarkDef(color=theme.OKABE_ITO["vermillion"]), color=theme.OKABE_ITO["vermillion"]
            )
            .encode(
                x=x,
                y=alt.Y("value:Q", title=str(group["unit"].iloc[0]), scale=alt.Scale(zero=False)),
                tooltip=[
                    alt.Tooltip("date:T", title="Period end"),
                    alt.Tooltip("value:Q", title=str(name), format=",.1f"),
                ],
            )
            .properties(height=120, title=theme.plain(name))
        )
    # The panels each carry their own data; the top level carries all of it once, as the chart's data table.
    behind = pd.concat(
        [
            pd.DataFrame(
                {
                    "series": f"Inspection codings: {theme_label} (concern share)",
                    "date": points["date"],
                    "value": points.get("concern_share"),
                    "interval": points.get("interval_text"),
                    "count": points.get("count_text"),
                    "reading": points.get("reading_label"),
                    "visit": points.get("visit_title"),
                }
            ),
            values.assign(series=values["measure"])[["series", "date", "value"]],
        ],
        ignore_index=True,
    )[["series", "date", "value", "interval", "count", "reading", "visit"]]
    chart = alt.vconcat(*panels, data=theme.safe_frame(behind)).resolve_scale(x="shared")
    title = _triangulation_title(theme_label, points, values)
    description = (
        f"Top panel: the concern share of inspection sentences coded {theme_label} at each visit, with its 90% "
        f"interval and count. Lower panels: {', '.join(sorted(values['measure'].unique()))}, on the same date axis."
    )
    return theme.finish(
        chart,
        title,
        "Concern share: sentences finding the theme not yet good (concern or improving) / sentences judging it.",
        description,
    )


def _triangulation_title(theme_label: str, points: pd.DataFrame, values: pd.DataFrame) -> str:
    parts = []
    known = points.sort_values("date")
    if len(known):
        last = known.iloc[-1]
        reading = readings.reading_words(last["reading"])
        count = f"{int(last['n_concern_or_improving'])} of {int(last['n_evaluative'])} sentences not yet good"
        parts.append(f"{theme_label}: inspectors' reading {reading} in {last['date']:%B %Y} ({count})")
    else:
        parts.append(f"{theme_label}: no coded inspection evidence yet")
    for name, group in values.sort_values("date").groupby("measure", sort=True):
        if len(group) >= 2:
            a, b = group["value"].iloc[-2], group["value"].iloc[-1]
            parts.append(
                f"{str(name).split(' (')[0].lower()} {'up' if b > a else 'down' if b < a else 'level'} to {_fmt(b)}"
            )
    return "; ".join(parts[:3])


def local_targets(frame: pd.DataFrame, measure: str | None = None) -> alt.TopLevelMixin:
    """The council's own quarterly figures for one measure against their targets, one line per team."""
    rows = _one_measure(frame, measure)
    shown = rows.assign(period_end=pd.to_datetime(rows["period_end"]))[
        ["measure", "team", "period_end", "value", "target"]
    ]
    latest = shown.sort_values("period_end").iloc[-1]
    what = str(latest["measure"]).replace("_", " ").capitalize()
    title = f"{what}: {_fmt(latest['value'])} at {latest['period_end']:%d %B %Y}"
    if pd.notna(latest["target"]):
        title += f" against a target of {_fmt(latest['target'])}"
    base = alt.Chart(theme.safe_frame(shown)).encode(x=alt.X("period_end:T", title="Period end (date)"))
    line = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=theme.axis_title(str(latest["measure"]).replace("_", " "), "council's own figure")),
        color=alt.Color("team:N", title="Team"),
        tooltip=["team:N", alt.Tooltip("period_end:T", title="Period end"), "value:Q", "target:Q"],
    )
    target = base.mark_line(strokeDash=[4, 3], color=theme.MUTED_COLOUR).encode(y="target:Q", detail="team:N")
    return theme.finish(
        alt.layer(target, line), title, "Dashed: target. Source: the council's own figures (data/local)."
    )
