# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Children's services inspections: quarterly report
#
# What Ofsted has published about one council's children's services up to the end of a quarter, what is new in
# that quarter, which concerns keep coming back, and what the council says it will do. Rendered by
# `analysis report`; every number and sentence below is computed from the project's database, and the footer
# says which data, code and documents made it.

# %% tags=["parameters"]
la_id_gss = "E08000027"
quarter = "2026Q1"
focus_themes = ["caseloads", "supervision", "assessment_quality"]
chart_mode = "interactive"
db_path = None

# %%
from analysis import db
from analysis.charts import inspection, measures, peers
from analysis.reporting import blocks, corpus, text
from analysis.reporting.manifest import documents as report_documents
from analysis.reporting.parameters import parse_quarter, split_list

period = parse_quarter(quarter)
themes_wanted = split_list(focus_themes)
con = db.connect(db_path)
council = db.query(con, "mart_report_council", la_id_gss=la_id_gss).iloc[0]
timeline = db.query(con, "mart_visit_timeline", la_id_gss=la_id_gss, as_of=period.end)
events = db.query(con, "mart_events", la_id_gss=la_id_gss, as_of=period.end)
docs = report_documents(con, la_id_gss, period.start, period.end)
blocks.show(
    blocks.paragraph(
        f"{council['la_name']} ({la_id_gss}): what was published up to {text.format_date(period.end)}, "
        f"the end of {period.label} ({period.title}).",
        "lead",
    )
)

# %% [markdown]
# ## Headline

# %%
blocks.show(blocks.bullets(text.headline(timeline, str(council["la_name"]), period.title)))
new_items = text.new_in_quarter(timeline, docs, events, period.start, period.end)
blocks.show(blocks.heading(f"New in {period.label}", 3))
blocks.show(
    blocks.bullets(new_items) if new_items else blocks.paragraph(f"Nothing new was published in {period.title}.")
)

# %% [markdown]
# ## Visits and judgements

# %%
blocks.show(blocks.chart(inspection.visit_timeline(timeline, events), chart_mode))
blocks.show(
    blocks.table(
        timeline.assign(
            when=[
                text.format_date(d, p)
                for d, p in zip(timeline["visit_date"], timeline["visit_date_precision"], strict=True)
            ],
            kind=timeline["visit_type"].map(text.visit_type),
            judgement=timeline["grade"].map(text.grade),
            published=[
                text.published_words(day, basis)
                for day, basis in zip(timeline["visible_from"], timeline["visible_from_basis"], strict=True)
            ],
            with_text=timeline["has_text"].map({True: "yes", False: "no"}),
        ),
        {
            "when": "Visit",
            "kind": "Type",
            "title": "Title",
            "judgement": "Judgement",
            "published": "Published",
            "with_text": "Coded text",
        },
        caption="Every visit published by the end of the quarter, oldest first",
        links={"title": "url"},
        empty="No visit had been published by the end of the quarter.",
    )
)

# %% [markdown]
# ## Themes across visits
#
# Each cell is a theme's reading at a visit. Of the sentences that judge the theme there (strength, improving or
# concern), the concern share is the part that finds it not yet good (a concern, or improving but not yet good),
# with a 90% interval. A theme named in the visit's improvement points is a concern there whatever the counts;
# under 3 judging sentences is not enough evidence to read.

# %%
by_visit = db.query(con, "mart_theme_by_visit", la_id_gss=la_id_gss, as_of=period.end)
has_text = bool(timeline["has_text"].any()) if len(timeline) else False
if not has_text:
    blocks.show(blocks.paragraph(text.missing_documents(timeline, str(council["la_name"])), "note"))
if len(by_visit):
    blocks.show(blocks.chart(inspection.theme_by_visit_heatmap(by_visit, timeline), chart_mode))

# %% [markdown]
# ## Concerns that keep coming back
#
# A theme is *raised* at a visit when the visit names it in its improvement points or it reads mostly concerns
# there. Its status compares the latest visit with evidence with the earlier ones.

# %%
concerns = db.query(con, "mart_recurring_concerns", la_id_gss=la_id_gss, as_of=period.end)
blocks.show(blocks.paragraph(text.concerns_summary(concerns)))
if len(concerns):
    blocks.show(blocks.chart(inspection.recurring_concerns(concerns), chart_mode))
    blocks.show(
        blocks.table(
            concerns.assign(
                status_words=concerns["status"].map(text.STATUS),
                latest_words=concerns["reading_latest"].map(text.READINGS).fillna(text.READINGS["not_mentioned"]),
            ),
            {
                "theme_label": "Theme",
                "status_words": "Status now",
                "latest_words": "Reading at the latest visit with evidence",
                "n_visits_raised": "Visits raising it",
                "visit_dates_raised": "Raised at visits dated",
            },
            caption="Themes raised as a concern in two or more visits, or new at the latest visit with evidence",
        )
    )

# %% [markdown]
# ## Focus themes
#
# For each focus theme: its reading at every visit that judged it, and the latest evidence in Ofsted's own words
# (Crown copyright, Open Government Licence); analysts' paraphrases stand in for visits known without their text.

# %%
trajectory = db.query(con, "mart_theme_trajectory", la_id_gss=la_id_gss, as_of=period.end)
theme_labels = db.query(con, "mart_report_themes").set_index("theme_id")["label"]
all_evidence = db.query(
    con, "mart_evidence", la_id_gss=la_id_gss, as_of=period.end, theme_id=None, polarity=None, visit_id=None
)
for theme_id in themes_wanted:
    label = str(theme_labels.get(theme_id, theme_id))
    rows = trajectory[trajectory["theme_id"] == theme_id]
    evidence = all_evidence[all_evidence["theme_id"] == theme_id]
    blocks.show(blocks.heading(label, 3))
    blocks.show(blocks.paragraph(text.trajectory(rows, label)))
    if (rows["is_mentioned"] & rows["concern_share"].notna()).any():
        blocks.show(blocks.chart(inspection.theme_evidence(trajectory, evidence, theme_id), chart_mode))
    picked = text.pick_evidence(evidence)
    blocks.show(
        blocks.quotes(picked, text="text", cite="citation", url="url")
        if len(picked)
        else blocks.paragraph(f"No sentence about {label.lower()} was coded up to the end of the quarter.", "note")
    )

# %% [markdown]
# ## Beside its peers
#
# The council's theme readings at its latest inspection with coded text, beside its ten statistical neighbours
# (DfE's 2025 model), the other councils of its region and the councils whose latest grade is the same, each
# through its own latest inspection with coded text. Counts say how many councils and documents each comparison
# rests on; a group's share pools its councils' sentences.

# %%
peer_councils = db.query(con, "mart_peer_councils", la_id_gss=la_id_gss, as_of=period.end)
blocks.show(blocks.paragraph(peers.reading_groups(peer_councils)))
if peer_councils.loc[peer_councils["group_id"] == "council", "has_text"].any():
    peer_themes = db.query(con, "mart_peer_themes", la_id_gss=la_id_gss, as_of=period.end)
    blocks.show(blocks.chart(peers.peer_themes(peer_themes, peer_councils), chart_mode))
    blocks.show(
        blocks.bullets(
            peers.reading_peer_theme(peer_themes, peer_councils, theme_id)
            for theme_id in themes_wanted
            if (peer_themes["theme_id"] == theme_id).any()
        )
    )
blocks.show(
    blocks.table(
        text.peer_table(peer_councils),
        {
            "neighbour_rank": "No.",
            "la_name": "Statistical neighbour",
            "latest": "Latest grade",
            "text_visit": "Inspection with coded text",
            "document": "Report",
        },
        caption="The ten statistical neighbours, nearest first, and the inspection each is read from",
        links={"document": "text_document_url"},
        empty="The council has no statistical neighbours in the database.",
    )
)

# %% [markdown]
# ### Improvement journeys
#
# Councils of the database judged inadequate whose next graded inspection gave a better grade: which of the themes
# the inadequate inspection raised stopped being raised first, and after how many months (the first visit at which
# the theme read mixed or mostly strengths), with the evidence at both ends.

# %%
journeys = corpus.query(con, db_path, "mart_improvement_journeys", as_of=period.end)  # the same for every council
blocks.show(blocks.paragraph(peers.reading_journeys(journeys)))
blocks.show(
    blocks.table(
        text.journey_table(journeys),
        {
            "council": "Council",
            "journey": "Journey",
            "theme": "Stopped being raised first",
            "stopped": "When, and its reading then",
            "then": "Evidence at the inadequate inspection",
            "after": "Evidence when it stopped",
        },
        caption="Each journey and the themes that stopped being raised first",
        links={"then": "then_url", "after": "after_url"},
        empty="No improvement journey is in the database yet.",
    )
)

# %% [markdown]
# ## What the council says it will do
#
# The council's own stated priorities, as recorded from its published documents, and the themes each one
# addresses.

# %%
priorities = db.query(con, "mart_report_priorities", la_id_gss=la_id_gss, as_of=period.end)
blocks.show(
    blocks.table(
        priorities.assign(stated=priorities["event_date"].map(text.format_date)),
        {"seq": "No.", "paraphrase": "Priority (paraphrased)", "theme_labels": "Themes", "source_title": "Source"},
        caption="The council's stated priorities",
        links={"source_title": "url"},
        empty="No stated priorities of the council are recorded up to the end of the quarter.",
    )
)

# %% [markdown]
# ## Numbers
#
# The council's latest official figures beside the mean of its ten statistical neighbours, its region and
# England (quartile band A is the best quarter of councils). Charts follow for the measures linked to the
# focus themes.

# %%
benchmarks = db.query(con, "mart_measure_benchmarks", la_id_gss=la_id_gss, as_of=period.end)
latest = text.latest_measures(benchmarks)
blocks.show(
    blocks.table(
        latest,
        {
            "label": "Measure",
            "period": "Period",
            "value_text": "Council",
            "neighbour_text": "Neighbours (mean)",
            "region_text": "Region",
            "england_text": "England",
            "quartile_band": "Quartile",
            "direction_of_travel": "Change on a year",
        },
        caption="Latest published figure of each measure",
        empty="No official figures are available for this council up to the end of the quarter.",
    )
)
for measure_id in text.measures_for_themes(latest, themes_wanted):
    blocks.show(blocks.chart(measures.benchmark(benchmarks, measure_id), chart_mode))

# %% [markdown]
# ### What inspectors said beside the numbers
#
# For each focus theme with official measures linked to it: the theme's concern share at each visit that judged it
# (top, with its 90% interval) on the same date axis as the council's figures for those measures (below).

# %%
for theme_id in themes_wanted:
    linked = [m for m in text.measures_for_themes(latest, [theme_id], per_theme=3) if m in set(benchmarks["measure"])]
    rows = trajectory[trajectory["theme_id"] == theme_id]
    if linked and (rows["is_mentioned"] & rows["concern_share"].notna()).any():
        blocks.show(
            blocks.chart(measures.triangulation(trajectory, benchmarks, theme_id=theme_id, measures=linked), chart_mode)
        )

# %% [markdown]
# ### The council's own figures
#
# Measures only the council holds (for example supervision within timescale), from `data/local/`, against the
# targets it set.

# %%
local = db.query(con, "mart_measure_local", la_id_gss=la_id_gss, as_of=period.end)
for measure_id in sorted(local["measure"].unique()):
    blocks.show(blocks.chart(measures.local_targets(local, measure_id), chart_mode))
if local.empty:
    blocks.show(
        blocks.paragraph(
            "No figures of the council's own are loaded for this quarter (add them to data/local/; see its README).",
            "note",
        )
    )

# %% [markdown]
# ## Data notes

# %%
notes = db.query(con, "mart_data_notes", la_id_gss=la_id_gss, as_of=period.end)
undated = db.query(con, "mart_report_undated", la_id_gss=la_id_gss)["n_undated_sources"].iloc[0]
note_lines = [text.data_note(row.note, row.n) for row in notes.itertuples(index=False)]
# hand-kept facts set against Ofsted's (or a report's), and report grades Ofsted's files do not confirm: both kept
corrections = db.query(con, "mart_visit_corrections", la_id_gss=la_id_gss, as_of=period.end)
note_lines += [text.correction_note(row) for row in corrections.to_dict("records")]
disagreements = db.query(con, "mart_report_disagreements", la_id_gss=la_id_gss, as_of=period.end)
note_lines += [text.disagreement_note(row) for row in disagreements.to_dict("records")]
if undated:
    note_lines.append(
        f"{text.count(int(undated), 'source')} about the council carry no publication date and are left out."
    )
note_lines.append(
    "Visits count from their publication date (else their source's, else the end of fieldwork); a date known "
    "only to the month or year counts from the end of that month or year."
)
note_lines.append(text.MEASURE_NOTE)
blocks.show(blocks.bullets(note_lines))
con.close()
