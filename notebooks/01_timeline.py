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
# # What has Ofsted found in one council's children's services, visit by visit?
#
# The whole story of one council: every visit with its judgement, what each visit said theme by theme, which
# concerns keep coming back and whether each theme is getting better or worse across visits.
#
# **Data vintage:** the project database (`analysis build`): the hand-kept, sourced timeline in `data/seeds`,
# Ofsted's reports and letters coded sentence by sentence, and Ofsted's official outcomes for councils without a
# hand-kept timeline. Only what was published on or before `as_of` is shown; the next cell prints what that is.

# %% tags=["parameters"]
la_id_gss = "E08000027"
as_of = "2026-06-30"
db_path = None

# %%
from analysis import db
from analysis.charts import inspection, theme

con = db.connect(db_path)
timeline = db.query(con, "mart_visit_timeline", la_id_gss=la_id_gss, as_of=as_of)
events = db.query(con, "mart_events", la_id_gss=la_id_gss, as_of=as_of)
notes = db.query(con, "mart_data_notes", la_id_gss=la_id_gss, as_of=as_of)
print(
    f"Council {la_id_gss}, as of {as_of}: {len(timeline)} visits published, the latest on "
    f"{timeline['visible_from'].max():%d %B %Y}."
    if len(timeline)
    else f"Council {la_id_gss}: no visit by {as_of}."
)

# %% [markdown]
# ## Visits and judgements
# Graded inspections on the top row; monitoring, focused and assurance visits below; area SEND and joint
# inspections at the bottom. Dashed lines are events such as a DfE direction or the council's response.

# %%
inspection.visit_timeline(timeline, events)

# %%
print(inspection.reading_timeline(timeline))
theme.link_table(
    timeline[["visit_date", "visit_type", "title", "grade_label", "judgements", "is_uncertain", "note", "url"]]
)

# %% [markdown]
# ## What each visit said, theme by theme
# Each cell is a theme's reading at a visit. Of the sentences that judge the theme (strength, improving or concern;
# neutral mentions do not judge), the concern share is the part that finds it not yet good (a concern, or improving
# but not yet good), with a Wilson 90% interval: mostly concerns when we are 90% sure (one-sided) that more than half
# find it not yet good, mostly strengths when 90% sure fewer than half do, else mixed; under 3 judging sentences is
# not enough evidence. A theme named in the
# visit's improvement points is a concern there whatever the counts. Visits known without their text count the
# analysts' findings instead (`queries/macros/asof_theme_readings.sql` has the exact rules).

# %%
by_visit = db.query(con, "mart_theme_by_visit", la_id_gss=la_id_gss, as_of=as_of)
inspection.theme_by_visit_heatmap(by_visit, timeline)

# %%
print(inspection.reading_theme_by_visit(by_visit, timeline))
theme.link_table(
    by_visit[
        [
            "visit_date",
            "visit_type",
            "theme_label",
            "reading",
            "n_concern_or_improving",
            "n_evaluative",
            "concern_share_low",
            "concern_share_high",
            "n_recommendations",
        ]
    ]
)

# %% [markdown]
# ## Concerns that keep coming back
# A theme recurs when two or more visits raised it: named it in their improvement points, or read mostly concerns.
# Its status compares the latest visit with evidence with the earlier ones (see
# `queries/marts/mart_recurring_concerns.sql` for the exact rules).

# %%
recurring = db.query(con, "mart_recurring_concerns", la_id_gss=la_id_gss, as_of=as_of)
inspection.recurring_concerns(recurring)

# %%
print(inspection.reading_recurring(recurring))
recurring[["theme_label", "status", "reading_latest", "n_visits_raised", "visits_raised", "latest_evidence_visit_id"]]

# %% [markdown]
# ## Is each theme getting better or worse?
# Each theme's concern share at every visit that mentioned it, with its 90% interval and its count (sentences not
# yet good / sentences judging it); a cross marks too few sentences to read.

# %%
trajectory = db.query(con, "mart_theme_trajectory", la_id_gss=la_id_gss, as_of=as_of)
inspection.theme_trajectories(trajectory)

# %%
print(inspection.reading_trajectories(trajectory))

# %% [markdown]
# ## What these views leave out

# %%
theme.link_table(notes)
