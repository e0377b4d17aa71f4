"""The real build: Dudley's recommendations per report, the committed overrides, and the exports of real data."""

from __future__ import annotations

import csv
import zipfile

import pandas as pd
import pytest
from lxml import etree

from analysis import config
from analysis.coding import codebook as codebook_module
from analysis.coding import export, overrides

DUDLEY = "E08000027"
P = "{urn:QDA-XML:project:1.0}"

# Counted by eye in each document's 'what needs to improve' section (numbered or bulleted items).
EXPECTED = {
    # SIF report: 22 recommendations to the council and 8 (numbered 133-140) to the LSCB.
    "ofsted_80464_2016-04-05": (
        30,
        "Urgently implement quality assurance processes",
        "The Board should ensure the prompt",
    ),
    # ILACS standard inspection, "What needs to improve": 7 bullets.
    "ofsted_80464_2018-12-10": (7, "The timeliness of strategy meetings", "The virtual school’s ability to evaluate"),
    # ILACS standard inspection (fieldwork Oct-Nov 2022), "What needs to improve?": 5 bullets.
    "ofsted_80464_2023-01-13": (
        5,
        "The quality, consistency and timeliness of all",
        "Frontline workforce sufficiency.",
    ),
    # Focused visit letter, "What needs to improve in this area of social work practice": 3 bullets.
    "ofsted_80464_2025-11-20": (
        3,
        "The quality of analysis within social work",
        "The sufficiency of frontline workers",
    ),
}


def _recommendations(con):
    return con.table("recommendations").df().sort_values(["document_id", "seq"])


def test_dudley_recommendations_per_document(con):
    frame = _recommendations(con)
    dudley = frame[frame["document_id"].isin(EXPECTED)]
    counts = dudley.groupby("document_id").size().to_dict()
    assert counts == {doc: n for doc, (n, _, _) in EXPECTED.items()}
    for document_id, (_, first, last) in EXPECTED.items():
        texts = dudley.loc[dudley["document_id"] == document_id, "text"].tolist()
        assert texts[0].startswith(first) and texts[-1].startswith(last), document_id


def test_recommendations_carry_their_document_visit_and_source(con):
    documents = con.table("documents").df().set_index("document_id")
    frame = _recommendations(con)
    assert len(frame)
    for row in frame.itertuples():
        # a document not linked to a visit (a letter of a visit we hold no record of) gives its recommendations none
        expected_visit = documents.loc[row.document_id, "visit_id"]
        assert row.visit_id == expected_visit or (pd.isna(row.visit_id) and pd.isna(expected_visit))
        assert row.source_id == documents.loc[row.document_id, "source_id"]
        assert row.recommendation_id == f"{row.document_id}#r{row.seq:04d}"
    passages = set(con.table("passages").df()["passage_id"])
    assert set(frame["passage_id"]) <= passages


def test_most_recommendations_have_a_theme(con):
    themed = set(con.table("recommendation_themes").df()["recommendation_id"])
    frame = _recommendations(con)
    share = frame["recommendation_id"].isin(themed).mean()
    print(f"recommendations with at least one theme: {share:.0%} of {len(frame)}")
    assert share >= 0.8


def test_committed_overrides_match_the_real_sentences(con):
    """Every committed override names a codebook theme and a sentence the build really has."""
    path = config.DATA / "overrides.csv"
    named = sorted(set(overrides.read(path)["document_id"]))
    passages = con.table("passages").df()
    sentences = passages[(passages["passage_kind"] == "sentence") & passages["document_id"].isin(named)]
    index: dict[str, dict[str, list[str]]] = {}
    for row in sentences.itertuples():
        index.setdefault(row.document_id, {}).setdefault(overrides.normalise(row.text), []).append(row.passage_id)
    assert set(index) == set(named), "the overridden documents are committed, so always built"
    theme_ids = set(codebook_module.load().themes["theme_id"])
    assert len(overrides.read(path, theme_ids=theme_ids, sentences=index)) >= 1


def test_committed_overrides_are_in_the_codings(con):
    codings = con.table("codings").df()
    passages = con.table("passages").df()[["passage_id", "text"]]
    letter = codings[codings["document_id"] == "ofsted_80464_2025-11-20"].merge(passages, on="passage_id")
    pronoun = letter[letter["text"].str.startswith("It does, however, focus on process")]
    qa = pronoun.set_index("theme_id").loc["quality_assurance"]
    # the override, or the model trained on this letter's gold codes already agreeing with it
    assert qa["polarity"] == "concern" and qa["method"] in ("override", "model")
    address = letter[letter["text"] == "Interim Director of Children's Services"]
    assert address.empty
    improve = letter[letter["text"].str.startswith("The regularity and quality of supervision of social workers")]
    assert improve.set_index("theme_id").loc["supervision", "polarity"] == "concern"


def test_csv_export_of_dudley_has_every_coding(con, tmp_path):
    out = tmp_path / "dudley.csv"
    n = export.write_csv(con, out, DUDLEY)
    documents = con.table("documents").df()
    dudley_documents = set(documents.loc[documents["la_id_gss"] == DUDLEY, "document_id"])
    codings = con.table("codings").df()
    assert n == int(codings["document_id"].isin(dudley_documents).sum()) > 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["council"] for r in rows} == {"Dudley"}
    assert all(r["source_url"].startswith("http") or r["source_url"] == "" for r in rows)


def test_xlsx_export_opens(con, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "dudley.xlsx"
    n = export.write_xlsx(con, out, DUDLEY)
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["segments", "codebook", "recommendations", "sources"]
    assert sum(1 for _ in book["segments"].iter_rows()) == n + 1
    assert sum(1 for _ in book["recommendations"].iter_rows()) == 1 + sum(n for n, _, _ in EXPECTED.values())


@pytest.mark.parametrize("la", [DUDLEY, None])
def test_qdpx_export_references_every_coded_document_and_quotes_sentences_exactly(con, tmp_path, la):
    out = tmp_path / "project.qdpx"
    n_documents = export.write_qdpx(con, out, la)
    segments = export.segments(con, la)
    assert n_documents == segments["document_id"].nunique() > 0
    sentence_of = dict(zip(segments["passage_id"], segments["sentence"], strict=False))
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    codes = {c.get("guid") for c in root.iter(f"{P}Code")}
    sources = list(root.iter(f"{P}TextSource"))
    assert len(sources) == len(texts) == n_documents
    n_codings = 0
    for source in sources:
        text = texts[source.get("plainTextPath").replace("internal://", "sources/")]
        for selection in source.iter(f"{P}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == export.xml_safe(sentence_of[selection.get("name")])
            refs = [c.find(f"{P}CodeRef").get("targetGUID") for c in selection.iter(f"{P}Coding")]
            assert set(refs) <= codes
            n_codings += len(refs)
    assert n_codings == len(segments)
