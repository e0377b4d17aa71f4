"""The coding SQL (queries/coding/coding_*.sql) through the build stage, on a small inline database.

The passages are synthetic (made up for the test): two documents, one of another council.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from analysis import build, db
from analysis.coding import codebook, engine, model


def _passage(doc: str, seq: int, text: str, kind: str = "sentence", heading: str | None = None) -> dict:
    return {
        "passage_id": f"{doc}#{'s' if kind == 'sentence' else 'p'}{seq:04d}",
        "document_id": doc,
        "passage_kind": kind,
        "paragraph_id": None,
        "seq": seq,
        "page": None,
        "char_start": 0,
        "char_end": len(text),
        "heading": heading,
        "block_kind": "text",  # a column the documents stage adds
        "text": text,
    }


@pytest.fixture()
def con():
    connection = duckdb.connect()
    db.create_schema(connection)
    passages = pd.DataFrame(
        [
            _passage("doc_a", 1, "Supervision is too irregular and caseloads remain high."),
            _passage("doc_a", 2, "Dear Mr Jones"),
            _passage("doc_a", 1, "Supervision is too irregular and caseloads remain high.", kind="paragraph"),
            _passage("doc_a", 3, "The quality of assessments.", heading="What needs to improve"),
            _passage("doc_b", 1, "Care leavers receive timely support from personal advisers."),
        ]
    )
    passages = passages[[c for c in passages.columns if c in _columns(connection, "passages")]]
    db.append(connection, "passages", passages)
    yield connection
    connection.close()


def _columns(con, table: str) -> set[str]:
    return set(con.table(table).columns)


def test_coding_stage_fills_themes_and_codings(con):
    engine.load(con, build.BuildContext(log=lambda msg: None, use_cache=False))  # never the real cache
    book = codebook.load()
    themes = con.table("themes").df()
    assert len(themes) == len(book.theme_list) and themes["is_core"].sum() == 28
    codings = con.table("codings").df().sort_values(["passage_id", "theme_id"])
    assert set(codings["method"]) <= {"model", "rule"} and set(codings["codebook_version"]) == {book.version}
    assert set(codings["model_version"]) == {model.load().version}
    assert codings["confidence"].between(0, 1).all()
    got = {(r.passage_id, r.theme_id): r.polarity for r in codings.itertuples()}
    assert got[("doc_a#s0001", "supervision")] == "concern"
    assert got[("doc_a#s0001", "caseloads")] == "concern"
    assert got[("doc_a#s0003", "assessment_quality")] == "concern"  # under 'What needs to improve'
    assert got[("doc_b#s0001", "care_leavers")] == "strength"
    assert not any(p.startswith("doc_a#p") for p, _ in got)  # paragraphs are not coded
    assert not any(p == "doc_a#s0002" for p, _ in got)
    assert set(codings.loc[codings["passage_id"] == "doc_b#s0001", "document_id"]) == {"doc_b"}
    row = codings[(codings["passage_id"] == "doc_b#s0001") & (codings["theme_id"] == "care_leavers")].iloc[0]
    assert row["matched"] == "Care leavers; personal advisers"


def test_coding_sentences_query_reads_sentences_in_order(con):
    frame = db.query(con, "coding_sentences")
    assert list(frame.columns) == ["passage_id", "document_id", "heading", "text"]
    assert frame["passage_id"].tolist() == ["doc_a#s0001", "doc_a#s0002", "doc_a#s0003", "doc_b#s0001"]


def test_theme_scan_takes_its_pattern_as_a_parameter():
    sql = db.sql_text("coding_theme_matches")
    assert db.parameters(sql) == {"pattern", "theme", "theme_position"}
    assert "regexp_extract_all(sentence_text, $pattern)" in sql


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII with single spaces.",
        "  Leading and trailing spaces  ",
        "A\ttab.",
        "A line\nbreak.",
        "A carriage\rreturn.",
        "A vertical\x0btab.",
        "A form\x0cfeed.",
        "Doubled  spaces   inside.",
        "The child\u2019s \u201cvoice\u201d\u00a0is heard.",
        "A caf\u00e9 \u2013 with non-ASCII but single spaces.",
        "",
    ],
)
def test_coding_input_normalises_as_engine_normalise(text):
    # coding_input.sql skips translate and the whitespace regex where they cannot change the text
    book = codebook.load()
    cues = book.polarity_patterns()
    connection = duckdb.connect()
    try:
        db.execute_file(connection, db.sql_path("coding_prepare"))
        frame = pd.DataFrame({"sentence_index": [0], "text": [text], "heading": [None]})
        db.append(connection, "coding_raw", frame.astype({"heading": "object"}))
        db.execute_file(
            connection,
            db.sql_path("coding_input"),
            concessive_rewrite=codebook.CONCESSIVE_REWRITE,
            **{k: cues[k] for k in ("contrast", "concessive", "request_headings")},
        )
        got = connection.execute("select sentence_text from coding_input").fetchone()[0]
    finally:
        connection.close()
    assert got == engine.normalise(text)


def test_group_scan_takes_its_pattern_as_a_parameter():
    assert db.parameters(db.sql_text("coding_theme_group")) == {"pattern"}
