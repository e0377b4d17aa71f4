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
# # Is one theme (e.g. supervision) getting better or worse across a council's visits, and what exactly did
# # inspectors say?
#
# One theme across every visit: its reading and concern share (with a 90% interval and its count) on a true date
# axis, every sentence behind it (hover over a dot to read it; click to open the report at its page), and the
# recommendations and improvement points about it.
#
# **Data vintage:** the project database (`analysis build`); only what was published on or before `as_of`.

# %% tags=["parameters"]
la_id_gss = "E08000027"
as_of = "2026-06-30"
theme_id = "supervision"
db_path = None

# %%
from analysis import db
from analysis.charts import inspection, theme

con = db.connect(db_path)
themes = db.query(con, "mart_themes", la_id_gss=la_id_gss, as_of=as_of)
chosen = inspection.require_theme(themes, theme_id)
print(f"{chosen['theme_label']}: {chosen['theme_definition']}")

# %% [markdown]
# ## The theme across visits, with the evidence in the tooltips

# %%
trajectory = db.query(con, "mart_theme_trajectory", la_id_gss=la_id_gss, as_of=as_of)
evidence = db.query(
    con, "mart_evidence", la_id_gss=la_id_gss, as_of=as_of, theme_id=theme_id, polarity=None, visit_id=None
)
inspection.theme_evidence(trajectory, evidence, theme_id)

# %%
print(inspection.reading_theme(trajectory, theme_id))
recurring = db.query(con, "mart_recurring_concerns", la_id_gss=la_id_gss, as_of=as_of)
recurring[recurring["theme_id"] == theme_id][["theme_label", "status", "n_visits_raised", "visits_raised"]]

# %% [markdown]
# ## What inspectors said
# Ofsted's own sentences (Crown copyright, Open Government Licence), and analysts' paraphrases for visits known
# without their text. `is_counted` is false for findings about a visit whose text is coded; `confidence` is the
# coder's (0-1; empty for rule codings). The highest-confidence sentences come first.

# %%
theme.link_table(
    evidence[
        [
            "visit_date",
            "visit_type",
            "polarity",
            "evidence_kind",
            "text",
            "document_title",
            "page",
            "confidence",
            "is_counted",
            "url",
        ]
    ]
)

# %% [markdown]
# ## The reading at each visit

# %%
trajectory[trajectory["theme_id"] == theme_id][
    ["visit_date", "visit_type", "reading", "n_concern_or_improving", "n_evaluative", "concern_share_low",
     "concern_share_high", "n_recommendations", "reading_change"]
]  # fmt: skip

# %% [markdown]
# ## Related recommendations

# %%
recommendations = db.query(con, "mart_recommendations", la_id_gss=la_id_gss, as_of=as_of, theme_id=theme_id)
print(f"{len(recommendations)} recommendations on {chosen['theme_label'].lower()} by {as_of}.")
theme.link_table(recommendations[["visit_date", "visit_type", "seq", "text", "page", "url"]])

# %% [markdown]
# ## Other themes to explore

# %%
themes.sort_values("n_visits_mentioned", ascending=False)[
    ["theme_id", "theme_label", "n_visits_mentioned", "n_strength", "n_improving", "n_concern"]
]
