"""Command output: a closed pipe ends quietly, and `code-text` streams long inputs and refuses oversized ones.

The database and the texts here are SYNTHETIC (an empty schema; made-up sentences).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from analysis import build, cli
from analysis.coding import codebook as codebook_module
from analysis.coding import commands


def _closed_pipe_run(args: list[str]) -> subprocess.CompletedProcess:
    """Run `python -m analysis ARGS` with its stdout a pipe whose reading end is already closed (`| head -0`)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait()
    return subprocess.CompletedProcess(args, process.returncode, "", stderr)


def test_info_into_a_closed_pipe_ends_quietly(tmp_path, monkeypatch):
    target = tmp_path / "analysis.duckdb"
    monkeypatch.setattr(build, "STAGES", [])
    build.build(target, build.BuildContext(log=lambda msg: None))
    run = _closed_pipe_run(["info", "--db", str(target)])
    assert (run.returncode, run.stderr) == (0, "")


def _letter(n_sentences: int) -> str:
    themes = ["supervision of social workers", "caseloads", "the quality of assessments", "the weather"]
    verbs = ["is too irregular", "remains high", "is strong", "was discussed"]
    return "\n\n".join(
        f"In case {i}, {themes[i % 4]} {verbs[(i // 4) % 4]}. Managers reviewed plan {i}." for i in range(n_sentences)
    )


def test_code_text_into_a_closed_pipe_ends_quietly(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(_letter(3000), encoding="utf-8")  # more CSV than a pipe buffer holds
    run = _closed_pipe_run(["code-text", str(path)])
    assert (run.returncode, run.stderr) == (0, "")


def test_code_text_in_pieces_gives_the_same_rows(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(_letter(12), encoding="utf-8")
    codebook = codebook_module.load()
    sentences = commands.read_sentences(path)
    whole = commands.code_file(path, codebook)
    pieces = list(commands.code_chunks(sentences, codebook, size=7))
    assert len(pieces) == 4
    out_whole, out_pieces = io.StringIO(), io.StringIO()
    commands.write_csv(whole, out_whole)
    for number, piece in enumerate(pieces):
        commands.write_csv(piece, out_pieces, header=number == 0)
    assert out_pieces.getvalue() == out_whole.getvalue()
    rows = list(csv.DictReader(io.StringIO(out_whole.getvalue())))
    assert [int(r["sentence_no"]) for r in rows] == sorted(int(r["sentence_no"]) for r in rows)
    assert {r["sentence_no"] for r in rows} == {str(n) for n in range(1, 25)}
    assert ("supervision", "concern") in {(r["theme_id"], r["polarity"]) for r in rows}


def test_code_text_streams_and_draws_no_bar_off_a_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(commands, "CHUNK_SENTENCES", 10)
    monkeypatch.setattr(commands, "LONG_INPUT_SENTENCES", 10)
    written: list[int] = []
    real_write = commands.write_csv
    monkeypatch.setattr(commands, "write_csv", lambda frame, out, header=True: (
        written.append(len(frame)), real_write(frame, out, header))[1])  # fmt: skip
    path = tmp_path / "letter.txt"
    path.write_text(_letter(10), encoding="utf-8")
    assert cli.main(["code-text", str(path)]) == 0
    out, err = capsys.readouterr()
    assert len(written) == 2 and err == ""  # stderr is captured, not a terminal: no progress bar
    assert out.count("sentence_no,page,text") == 1 and len(list(csv.DictReader(io.StringIO(out)))) == sum(written)


def test_code_text_draws_a_bar_on_a_terminal_for_long_inputs(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(commands, "CHUNK_SENTENCES", 10)
    path = tmp_path / "letter.txt"
    path.write_text(_letter(10), encoding="utf-8")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    for long_from, shown in ((10, True), (1000, False)):
        monkeypatch.setattr(commands, "LONG_INPUT_SENTENCES", long_from)
        assert cli.main(["code-text", str(path)]) == 0
        err = capsys.readouterr().err
        assert ("20/20" in err) is shown, err


def test_code_text_refuses_a_text_over_the_limit(tmp_path, capsys):
    path = tmp_path / "dump.txt"
    with open(path, "wb") as handle:  # sparse: 50 MB on paper, nothing written
        handle.truncate(50 * 1024 * 1024)
    assert cli.main(["code-text", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {path}: the file is 50.0 MB, over the 20.0 MB limit for a text document")


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_workers_under_one_or_not_a_number_is_refused_naming_the_option(value, capsys):
    with pytest.raises(SystemExit):
        cli.parser(["build"]).parse_args(["build", "--workers", value])
    assert "argument --workers:" in capsys.readouterr().err
