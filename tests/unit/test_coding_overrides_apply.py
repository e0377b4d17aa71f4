"""Overrides: keyed on document and sentence text, they survive rebuilds and re-splitting; bad rows are clear errors.

Every document, sentence and coding here is synthetic, made up for the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis import db
from analysis.coding import overrides
from analysis.errors import InputError

HEADER = "document_id,sentence_text,theme_id,action,polarity,coder,reason,date\n"


@dataclass
class FakeCodebook:
    version: str
    themes: pd.DataFrame


@dataclass
class FakeContext:
    data: Path
    messages: list[str]

    def log(self, message: str) -> None:
        self.messages.append(message)


CODEBOOK = FakeCodebook(
    "9.9.9",
    pd.DataFrame({"theme_id": ["caseloads", "supervision", "timeliness"]}),
)

SENTENCES = [
    "Caseloads are beginning to reduce but remain high.",
    "Supervision is too  irregular and lacks reflection.",
    "Most children receive a timely service.",
]


def _database(sentences: list[str], version: str = "9.9.9") -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database with one synthetic document, its sentences and rule codings."""
    con = duckdb.connect()
    db.create_schema(con)
    rows, codings = [], []
    start = 0
    for seq, text in enumerate(sentences, start=1):
        passage_id = f"doc_a#s{seq:04d}"
        rows.append(
            {
                "passage_id": passage_id,
                "document_id": "doc_a",
                "passage_kind": "sentence",
                "paragraph_id": "doc_a#p0001",
                "seq": seq,
                "page": None,
                "char_start": start,
                "char_end": start + len(text),
                "heading": None,
                "block_kind": "text",
                "text": text,
            }
        )
        start += len(text) + 1
        lowered = text.lower()
        for theme, word in (("caseloads", "caseload"), ("supervision", "supervision"), ("timeliness", "timely")):
            if word in lowered:
                codings.append(
                    {
                        "passage_id": passage_id,
                        "document_id": "doc_a",
                        "theme_id": theme,
                        "polarity": "concern",
                        "method": "rule",
                        "codebook_version": version,
                        "matched": word,
                    }
                )
    db.append(con, "passages", pd.DataFrame(rows))
    db.append(con, "codings", pd.DataFrame(codings))
    return con


def _write(tmp_path: Path, body: str) -> FakeContext:
    (tmp_path / "overrides.csv").write_text(HEADER + body, encoding="utf-8")
    return FakeContext(tmp_path, [])


def _codings(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    codings = con.table("codings").df().merge(con.table("passages").df(), on=["passage_id", "document_id"])
    rows = codings[["text", "theme_id", "polarity", "method"]].itertuples(index=False, name=None)
    return sorted(rows)


GOOD = (
    "doc_a,Caseloads are beginning to reduce but remain high.,caseloads,set_polarity,improving,analyst,"
    "reducing but still high,2026-01-05\n"
    'doc_a,"Supervision is too irregular   and lacks reflection.",supervision,remove,,analyst,test remove,2026-01-05\n'
    "doc_a,Most children receive a timely service.,caseloads,add,strength,analyst,test add,2026-01-05\n"
)


def test_each_action_changes_the_coding(tmp_path):
    ctx = _write(tmp_path, GOOD)
    con = _database(SENTENCES)
    assert overrides.apply(con, ctx, CODEBOOK) == 3
    assert _codings(con) == [
        ("Caseloads are beginning to reduce but remain high.", "caseloads", "improving", "override"),
        ("Most children receive a timely service.", "caseloads", "strength", "override"),
        ("Most children receive a timely service.", "timeliness", "concern", "rule"),
    ]


def test_overrides_survive_a_rebuild_and_a_resplit(tmp_path):
    ctx = _write(tmp_path, GOOD)
    first = _database(SENTENCES)
    overrides.apply(first, ctx, CODEBOOK)
    again = _database(SENTENCES)
    overrides.apply(again, ctx, CODEBOOK)
    assert _codings(first) == _codings(again)
    # A new sentence at the top renumbers every passage and the codebook version moves on: same result by text.
    resplit = _database(["A new opening sentence."] + SENTENCES, version="10.0.0")
    overrides.apply(resplit, ctx, FakeCodebook("10.0.0", CODEBOOK.themes))
    assert _codings(resplit) == _codings(first)


def test_unknown_theme_names_file_row_and_field(tmp_path):
    ctx = _write(
        tmp_path, GOOD + "doc_a,Most children receive a timely service.,speed,add,strength,analyst,x,2026-01-05\n"
    )
    with pytest.raises(InputError) as caught:
        overrides.apply(_database(SENTENCES), ctx, CODEBOOK)
    assert (caught.value.row, caught.value.field) == (5, "theme_id")
    assert "overrides.csv" in caught.value.file and "'speed' is not in the codebook" in str(caught.value)


def test_stale_sentence_is_an_error(tmp_path):
    ctx = _write(tmp_path, "doc_a,Caseloads are high.,caseloads,remove,,analyst,x,2026-01-05\n")
    with pytest.raises(InputError) as caught:
        overrides.apply(_database(SENTENCES), ctx, CODEBOOK)
    assert (caught.value.row, caught.value.field) == (2, "sentence_text")
    assert "no sentence of document doc_a" in str(caught.value)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("doc_a,Most children receive a timely service.,caseloads,rename,strength,analyst,x,2026-01-05", "action"),
        ("doc_a,Most children receive a timely service.,caseloads,add,great,analyst,x,2026-01-05", "polarity"),
        ("doc_a,Most children receive a timely service.,caseloads,add,,analyst,x,2026-01-05", "polarity"),
        ("doc_a,Most children receive a timely service.,timeliness,remove,concern,analyst,x,2026-01-05", "polarity"),
        ("doc_a,Most children receive a timely service.,caseloads,add,strength,analyst,x,5 Jan 2026", "date"),
        ("doc_a,Most children receive a timely service.,caseloads,add,strength,,x,2026-01-05", "coder"),
    ],
)
def test_bad_action_or_polarity_names_the_field(tmp_path, line, field):
    ctx = _write(tmp_path, line + "\n")
    with pytest.raises(InputError) as caught:
        overrides.apply(_database(SENTENCES), ctx, CODEBOOK)
    assert (caught.value.row, caught.value.field) == (2, field)


def test_duplicate_override_is_an_error(tmp_path):
    line = "doc_a,Most children receive a timely service.,caseloads,add,strength,analyst,x,2026-01-05\n"
    ctx = _write(tmp_path, line + line.replace("strength", "concern"))
    with pytest.raises(InputError) as caught:
        overrides.apply(_database(SENTENCES), ctx, CODEBOOK)
    assert caught.value.row == 3


def test_document_not_fetched_is_logged_and_skipped(tmp_path):
    ctx = _write(tmp_path, "doc_elsewhere,Any sentence at all.,caseloads,add,concern,analyst,x,2026-01-05\n" + GOOD)
    con = _database(SENTENCES)
    assert overrides.apply(con, ctx, CODEBOOK) == 3
    assert any("doc_elsewhere is not in the database" in m for m in ctx.messages)


def test_theme_no_longer_coded_is_logged_not_applied(tmp_path):
    ctx = _write(tmp_path, "doc_a,Most children receive a timely service.,supervision,remove,,analyst,x,2026-01-05\n")
    con = _database(SENTENCES)
    before = _codings(con)
    assert overrides.apply(con, ctx, CODEBOOK) == 0
    assert _codings(con) == before
    assert any("not coded there" in m for m in ctx.messages)


def test_missing_file_applies_nothing(tmp_path):
    ctx = FakeContext(tmp_path, [])
    assert overrides.apply(_database(SENTENCES), ctx, CODEBOOK) == 0


def test_normalise_collapses_every_kind_of_whitespace():
    assert overrides.normalise("  a\u00a0 b\n\tc ") == "a b c"


def test_header_only_file_applies_nothing(tmp_path):
    ctx = _write(tmp_path, "")
    con = _database(SENTENCES)
    before = _codings(con)
    assert overrides.apply(con, ctx, CODEBOOK) == 0
    assert _codings(con) == before


def test_add_over_a_rule_coding_keeps_the_matched_words(tmp_path):
    ctx = _write(
        tmp_path, "doc_a,Most children receive a timely service.,timeliness,add,strength,analyst,x,2026-01-05\n"
    )
    con = _database(SENTENCES)
    overrides.apply(con, ctx, CODEBOOK)
    row = con.table("codings").df().set_index("theme_id").loc["timeliness"]
    assert (row["polarity"], row["method"], row["matched"]) == ("strength", "override", "timely")


def test_override_the_rules_already_agree_with_leaves_a_rule_coding(tmp_path):
    body = (
        "doc_a,Caseloads are beginning to reduce but remain high.,caseloads,set_polarity,concern,analyst,x,2026-01-05\n"
        "doc_a,Most children receive a timely service.,timeliness,add,concern,analyst,x,2026-01-05\n"
    )
    ctx = _write(tmp_path, body)
    con = _database(SENTENCES)
    before = _codings(con)
    assert overrides.apply(con, ctx, CODEBOOK) == 0
    assert _codings(con) == before
    assert len([m for m in ctx.messages if "the coder already agrees" in m]) == 2
