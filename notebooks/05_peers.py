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
# # Does a council's latest inspection raise the themes its peers' inspections raise, and how did councils that
# # climbed out of inadequate get there?
#
# The council's theme readings at its latest graded inspection with coded text, beside its ten statistical
# neighbours (DfE's 2025 model), the other councils of its region and the councils whose latest grade is the same,
# each read through its own latest inspection with coded text. Then the improvement journeys of the corpus: councils
# judged inadequate whose next graded inspection was better, and which themes stopped being raised first.
#
# **Data vintage:** the project database (`analysis build`); only what was published on or before `as_of`. Which
# councils have reports is whatever `data/sources` registers: every comparison says how many councils and documents
# it rests on.

# %% tags=["parameters"]
la_id_gss = "E08000027"
as_of = "2026-06-30"
theme_id = "supervision"
db_path = None

# %%
from analysis import db
from analysis.charts import peers, theme

con = db.connect(db_path)
groups = db.query(con, "mart_peer_councils", la_id_gss=la_id_gss, as_of=as_of)
themes = db.query(con, "mart_peer_themes", la_id_gss=la_id_gss, as_of=as_of)
print(peers.reading_groups(groups))
theme.table(peers.group_summary(groups))

# %% [markdown]
# ## The council's themes beside its peers
# A dot is a concern share (sentences judging the theme that find it not yet good), the bar its 90% interval. The
# council's dot is coloured by its reading; a group's dot pools its councils' sentences, and the label says how many
# of those councils raised the theme (named it for improvement, or read mostly concerns).

# %%
if (themes["group_id"] == "council").any():
    display(peers.peer_themes(themes, groups))  # noqa: F821 - display is an IPython built-in
else:
    print("No graded inspection of the council with coded text: nothing to set beside its peers.")

# %%
if (themes["group_id"] == "council").any():  # else the cell above has said there is nothing to compare
    print(peers.reading_peer_theme(themes, groups, theme_id))
themes[themes["theme_id"] == theme_id][
    [
        "group_id",
        "n_councils",
        "n_councils_with_text",
        "n_documents",
        "n_councils_mentioning",
        "n_councils_raised",
        "n_councils_mixed",
        "n_councils_mostly_strengths",
        "n_councils_not_enough_evidence",
        "n_concern_or_improving",
        "n_evaluative",
        "concern_share_low",
        "concern_share_high",
        "reading",
    ]
]

# %% [markdown]
# ## Who the peers are, and which inspection each is read from

# %%
theme.link_table(
    groups[
        [
            "group_id",
            "la_name",
            "neighbour_rank",
            "latest_grade",
            "latest_grade_date",
            "text_visit_id",
            "n_text_documents",
            "text_document_title",
            "text_document_url",
        ]
    ],
    link_columns=("text_document_url",),
)

# %% [markdown]
# ## Improvement journeys: which themes stopped being raised first
# For each council judged inadequate whose next graded inspection was better: the themes the inadequate
# inspection raised, and the first later visit (up to that next inspection) at which each read mixed or mostly
# strengths. Hover over a dot for the evidence at that visit.

# %%
journeys = db.query(con, "mart_improvement_journeys", as_of=as_of)
print(peers.reading_journeys(journeys))
peers.journey_stops(journeys)

# %%
db.query(con, "mart_journey_themes", as_of=as_of)

# %% [markdown]
# ## Every journey's themes, with the evidence at both ends

# %%
theme.link_table(
    journeys[
        [
            "la_name",
            "from_visit_id",
            "to_visit_id",
            "to_grade",
            "theme_label",
            "status",
            "stopped_visit_id",
            "months_to_stop",
            "stop_order",
            "is_raised_again",
            "from_evidence_text",
            "from_evidence_document",
            "from_evidence_page",
            "from_evidence_url",
            "stopped_evidence_text",
            "stopped_evidence_document",
            "stopped_evidence_page",
            "stopped_evidence_url",
        ]
    ],
    link_columns=("from_evidence_url", "stopped_evidence_url"),
)
