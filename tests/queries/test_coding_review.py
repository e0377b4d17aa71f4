"""`analysis review` both ways (queries/coding/rev_*.sql) on a small inline database.

The passages are SYNTHETIC (made up for the test): two documents of Dudley and one of another council.
"""

from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest

from analysis import build, cli, db
from analysis.coding import codebook, engine, overrides, review
from analysis.errors import InputError

LA, OTHER = "E08000027", "E08000025"
SENTENCES = {
    "doc_a": [
        ("Supervision is too irregular and caseloads remain high.", "Help and protection"),
        ("They are beginning to see the benefit of the new rota.", "Help and protection"),
        ("Personal advisers keep in touch with care leavers.", "Care leavers"),
    ],
    "doc_b": [("The front door responds to contacts quickly.", None)],
    "doc_other": [("Supervision is regular and reflective.", None)],
}
HEADER = ",".join(review.OVERRIDE_COLUMNS) + "\n"


def _database(path=None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path) if path else ":memory:")
    db.create_schema(con)
    docs, passages = [], []
    for doc, rows in SENTENCES.items():
        docs.append({"document_id": doc, "source_id": doc, "la_id_gss": OTHER if doc == "doc_other" else LA})
        for seq, (text, heading) in enumerate(rows, start=1):
            passages.append(
                {
                    "passage_id": f"{doc}#s{seq:04d}",
                    "document_id": doc,
                    "passage_kind": "sentence",
                    "seq": seq,
                    "page": 2,
                    "char_start": 0,
                    "char_end": len(text),
                    "heading": heading,
                    "block_kind": "text",
                    "text": text,
                }
            )
    frame = pd.DataFrame(docs)
    for column in ("kind", "title", "path", "media_type", "sha256", "text"):
        frame[column] = "x"
    frame["n_chars"] = 1
    db.append(con, "documents", frame)
    db.append(con, "passages", pd.DataFrame(passages))
    engine.load(con, build.BuildContext(log=lambda msg: None, use_cache=False))  # never the real cache
    return con


@pytest.fixture()
def con():
    connection = _database()
    yield connection
    connection.close()


def test_candidates_are_the_councils_unsure_codings_and_near_misses(con, tmp_path):
    none = tmp_path / "overrides.csv"
    none.write_text(HEADER, encoding="utf-8")
    frame = review.candidates(con, LA, threshold=1.01, near=0.01, overrides_path=none)
    assert list(frame.columns) == review.REVIEW_COLUMNS
    assert review.REVIEW_COLUMNS[:8] == [c.name for c in overrides.COLUMNS]
    assert set(frame["document_id"]) == {"doc_a", "doc_b"}  # not the other council's
    codings = con.table("codings").df()
    dudley = codings[codings["document_id"].isin(["doc_a", "doc_b"])]
    unsure = frame[frame["review_kind"] == "low_confidence"]
    assert len(unsure) == len(dudley)  # threshold above 1: every coding is unsure
    assert (unsure["polarity"] == unsure["coded_polarity"]).all() and unsure["action"].eq("").all()
    near = frame[frame["review_kind"] == "near_miss"]
    coded = set(zip(codings["passage_id"], codings["theme_id"], strict=True))
    assert len(near) and not {(p, t) for p, t in zip(near["passage_id"], near["theme_id"], strict=True)} & coded
    assert near["theme_probability"].between(0.01, 1).all()
    assert frame["passage_id"].tolist() == sorted(frame["passage_id"])  # reading order

    strict = review.candidates(con, LA, threshold=0.0, near=0.99, overrides_path=none)
    assert strict.empty


def test_sentences_an_override_already_decides_are_left_out(con, tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text(HEADER, encoding="utf-8")
    first = review.candidates(con, LA, threshold=1.01, near=0.5, overrides_path=path).iloc[0]
    path.write_text(
        HEADER + f'{first.document_id},"{first.sentence_text}",{first.theme_id},remove,,analyst,checked,2026-01-02\n',
        encoding="utf-8",
    )
    again = review.candidates(con, LA, threshold=1.01, near=0.5, overrides_path=path)
    keys = set(zip(again["document_id"], again["sentence_text"], again["theme_id"], strict=True))
    assert (first.document_id, first.sentence_text, first.theme_id) not in keys


def _fill(path, choices: dict[int, dict]) -> None:
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for i, values in choices.items():
        rows[i].update(values)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=review.REVIEW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_review_file_round_trip_through_the_command_line(tmp_path, capsys):
    path = tmp_path / "analysis.duckdb"
    _database(path).close()
    ovr = tmp_path / "overrides.csv"
    ovr.write_text(HEADER, encoding="utf-8")
    out = tmp_path / "review.csv"
    args = ["review", "--la", LA, "--db", str(path), "--out", str(out), "--overrides", str(ovr)]
    assert cli.main([*args, "--threshold", "1.01", "--near", "0.05"]) == 0
    frame = pd.read_csv(out)
    unsure = int(frame.index[frame["review_kind"] == "low_confidence"][0])
    near = int(frame.index[frame["review_kind"] == "near_miss"][0])
    who = {"coder": "analyst", "reason": "read it", "date": "2026-03-01"}
    _fill(out, {unsure: {"action": "set_polarity", "polarity": "improving", **who}, near: {"action": "add", **who}})
    assert cli.main(["review", "--load", str(out), "--overrides", str(ovr)]) == 0
    added = overrides.read(ovr, theme_ids=set(codebook.load().theme_ids))
    assert len(added) == 2
    assert added["action"].tolist() == ["set_polarity", "add"] or sorted(added["action"]) == ["add", "set_polarity"]
    assert set(added["sentence_text"]) == {frame.loc[unsure, "sentence_text"], frame.loc[near, "sentence_text"]}
    assert "2 override row(s) added" in capsys.readouterr().out

    # applied by the build as any analyst override: the codings change to method 'override'
    with duckdb.connect(str(path)) as con:
        applied = overrides.apply(con, build.BuildContext(log=lambda msg: None), codebook.load(), ovr)
        assert applied == 2
        methods = con.table("codings").df().set_index(["passage_id", "theme_id"])["method"]
        assert methods.loc[(frame.loc[near, "passage_id"], frame.loc[near, "theme_id"])] == "override"

    # loading the same file again would add the same overrides twice: refused, naming the review file's row
    assert cli.main(["review", "--load", str(out), "--overrides", str(ovr)]) == 2
    assert f"review.csv, row {min(unsure, near) + 2}, field theme_id" in capsys.readouterr().err


def _review_file(tmp_path, rows: list[dict]):
    path = tmp_path / "review.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=review.REVIEW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow(
                {"document_id": "doc_a", "sentence_text": "A made-up sentence.", "theme_id": "caseloads"} | r
            )
    return path


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ({"review_kind": "near_miss", "action": "remove", "coder": "a", "reason": "r", "date": "2026-01-01"}, "action",
         "nothing to act on"),
        ({"review_kind": "low_confidence", "action": "set_polarity", "polarity": "concern", "coder": "a",
          "date": "2026-01-01"}, "reason", "required"),
        ({"review_kind": "low_confidence", "action": "remove", "polarity": "concern", "coder": "a", "reason": "r",
          "date": "2026-01-01"}, "polarity", "leave polarity empty"),
        ({"review_kind": "low_confidence", "action": "drop"}, "action", "not one of"),
    ],
)  # fmt: skip
def test_bad_review_rows_name_their_row_and_field(tmp_path, row, field, words):
    ovr = tmp_path / "overrides.csv"
    ovr.write_text(HEADER, encoding="utf-8")
    keep = {"review_kind": "low_confidence", "action": "keep", "polarity": "strength"}
    path = _review_file(tmp_path, [keep, row])
    with pytest.raises(InputError) as err:
        review.to_overrides(path, ovr)
    assert (err.value.row, err.value.field) == (3, field) and words in err.value.message


def test_kept_and_empty_rows_add_nothing_and_a_bad_append_leaves_the_file(tmp_path):
    ovr = tmp_path / "overrides.csv"
    ovr.write_text(HEADER, encoding="utf-8")
    path = _review_file(tmp_path, [{"review_kind": "low_confidence", "action": "keep"}, {"review_kind": "near_miss"}])
    assert review.to_overrides(path, ovr).empty
    bad = pd.DataFrame(
        [["doc_a", "A made-up sentence.", "no_such_theme", "remove", None, "a", "r", "2026-01-01"]],
        columns=review.OVERRIDE_COLUMNS,
    )
    with pytest.raises(InputError, match="not in the codebook") as err:
        review.append_overrides(bad, ovr, set(codebook.load().theme_ids))
    assert ovr.read_text(encoding="utf-8") == HEADER
    # named as the overrides file and its row, and the row of the review answers it came from; no temporary file
    assert err.value.file.endswith("overrides.csv") and err.value.row == 2 and "(review row 1)" in err.value.message
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_review_of_a_council_without_coded_text_is_refused(tmp_path, capsys):
    path = tmp_path / "analysis.duckdb"
    _database(path).close()
    out = tmp_path / "review.csv"
    assert cli.main(["review", "--la", "E99999999", "--db", str(path), "--out", str(out)]) != 0
    assert "--la E99999999: the database holds no coded sentence of this council" in capsys.readouterr().err
    assert not out.exists()
