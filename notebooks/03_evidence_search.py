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
# # Where did inspectors (or the council, or the press) write about something?
#
# Search every sentence of a council's documents, and the analysts' findings, for words (case-insensitive; a
# regular expression when `is_regex` is true) and/or a theme, within a date range. Each match links to its source,
# PDFs at the right page.
#
# **Data vintage:** the project database (`analysis build`); only what was published on or before `as_of`.
# Set `la_id_gss = None` to search every council.

# %% tags=["parameters"]
la_id_gss = "E08000027"
as_of = "2026-06-30"
words = "caseload"
is_regex = False
theme_id = None
date_from = "2016-01-01"
date_to = "2025-12-31"
db_path = None

# %%
from analysis import db
from analysis.charts import inspection, theme

con = db.connect(db_path)
hits = db.query(
    con,
    "mart_evidence_search",
    la_id_gss=la_id_gss,
    as_of=as_of,
    pattern=words or None,
    is_regex=is_regex,
    theme_id=theme_id,
    date_from=date_from,
    date_to=date_to,
)
print(inspection.reading_search(hits, words, theme_id))

# %%
inspection.search_hits(hits, words, theme_id)

# %% [markdown]
# ## Matches by visit

# %%
hits.groupby(["evidence_date", "visit_id", "document_kind"], dropna=False).size().rename("matches").reset_index()

# %% [markdown]
# ## Every match

# %%
theme.link_table(hits[["evidence_date", "document_kind", "document_title", "page", "text", "codes", "url"]])
