# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # How do the council's official figures compare, and do they move with what inspectors wrote?
#
# DfE's children's social work workforce statistics (30 September snapshots, 2017-2025), children in need and
# children looked after statistics (years to 31 March), benchmarked the way DfE's LAIT does: the council against
# the mean of its ten 2025 statistical neighbours, its region and England, with its rank among councils, a quartile
# band that knows whether high is good (A = best quarter) and the change since the year before. Then the same
# figures beside the inspection themes they speak to. Data: the `measures` table (data/sources/official.csv).

# %% tags=["parameters"]
la_id_gss = "E08000027"
as_of = "2026-11-01"
measures = ["caseload_per_fte", "turnover_rate_fte", "agency_rate_fte"]
theme_id = "caseloads"
db_path = None

# %%
from analysis import db
from analysis.charts import measures as measure_charts
from analysis.charts import theme
from analysis.reporting.parameters import split_list

measures = split_list(measures)  # papermill -p passes a list as text
con = db.connect(db_path)
benchmarks = db.query(con, "mart_measure_benchmarks", la_id_gss=la_id_gss, as_of=as_of)
latest = benchmarks[benchmarks["is_latest"].fillna(False).astype(bool)]
name = benchmarks["la_name"].iloc[0] if len(benchmarks) else la_id_gss
print(f"{name}: {len(latest)} measures published up to {as_of}.")

# %% [markdown]
# ## The latest figures against neighbours, region and England

# %%
table = latest[
    [
        "label",
        "unit",
        "period_end",
        "value",
        "neighbour_mean",
        "n_neighbours_with_data",
        "region_value",
        "england_value",
        "rank_position",
        "n_ranked",
        "quartile_band",
        "change_on_year",
        "direction_of_travel",
    ]
].reset_index(drop=True)
display(table)  # noqa: F821

# %%
banded = latest.dropna(subset=["quartile_band"])
worst = banded[banded["quartile_band"] == "D"]["label"].tolist()
best = banded[banded["quartile_band"] == "A"]["label"].tolist()
print(
    f"Reading: of {len(banded)} measures with a direction, {name} is in the worst quarter of councils (band D) for "
    f"{len(worst)} ({'; '.join(worst) or 'none'}) and in the best quarter (band A) for {len(best)} "
    f"({'; '.join(best) or 'none'})."
)

# %% [markdown]
# ## Each chosen measure over time

# %%
for measure in measures:
    if measure in set(benchmarks["measure"]):
        display(measure_charts.benchmark(benchmarks, measure))  # noqa: F821 - display is an IPython built-in

# %%
workforce = latest.set_index("measure")
for measure in [m for m in measures if m in workforce.index]:
    row = workforce.loc[measure]
    print(
        f"Reading: {row['label'].lower()} was {row['value']} ({row['unit']}) at {row['period_end']:%B %Y}"
        f" against {row['neighbour_mean']:.1f} for the neighbours' mean and {row['england_value']} for England; "
        f"{row['direction_of_travel'] or 'no earlier year'} since the year before."
    )

# %% [markdown]
# ## The council beside each neighbour (latest year of the first measure)

# %%
comparators = db.query(con, "mart_measure_comparators", la_id_gss=la_id_gss, as_of=as_of)
if measures and measures[0] in set(comparators["measure"]):
    display(measure_charts.comparators(comparators, measures[0]))  # noqa: F821

# %% [markdown]
# ## Triangulation: the inspection theme beside its measures
#
# The top panel is the theme's concern share in each inspection or letter (the sentences judging it that find it not
# yet good, with a 90% interval and the count); the panels below are the theme's official measures, on the same
# date axis.

# %%
trajectory = db.query(con, "mart_theme_trajectory", la_id_gss=la_id_gss, as_of=as_of)
theme_measures = db.query(con, "mart_theme_measures", la_id_gss=la_id_gss, as_of=as_of)
linked = theme_measures[theme_measures["theme_id"] == theme_id]["measure"].tolist()
linked = [m for m in linked if m in set(benchmarks["measure"])][:3]
display(  # noqa: F821
    measure_charts.triangulation(trajectory, benchmarks, theme_id=theme_id, measures=linked or measures)
)

# %%
theme_table = theme_measures[
    [
        "theme_id",
        "measure_label",
        "latest_value",
        "measure_direction",
        "n_visits_read",
        "latest_reading",
        "latest_concern_share",
        "previous_reading",
        "inspection_direction",
        "agreement",
    ]
]
display(theme.table(theme_table))  # noqa: F821

# %%
agree = int((theme_measures["agreement"] == "agree").sum())
differ = int((theme_measures["agreement"] == "differ").sum())
print(
    f"Reading: for {agree} theme-measure pairs the inspectors' reading (against the previous visit that could be read) "
    f"and the official figures (against the year before) moved the same way; for {differ} they moved in opposite "
    "directions (see the table)."
)
