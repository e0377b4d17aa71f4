"""`analysis code-text` and the coding benchmark on small made-up inputs."""

from __future__ import annotations

import csv
import importlib.util
import io

from analysis import cli, config


def test_code_text_writes_one_row_per_sentence_and_theme(tmp_path, capsys):
    # A made-up letter, not a real one.
    path = tmp_path / "letter.md"
    path.write_text(
        "# Focused visit\n\nDear Ms Smith\n\nThe supervision of social workers is too irregular. "
        "Caseloads are beginning to reduce but remain high.\n\n"
        "## What needs to improve\n\n- The timeliness of child protection enquiries.\n",
        encoding="utf-8",
    )
    assert cli.main(["code-text", str(path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["sentence_no", "page", "text", "theme_id", "polarity", "matched", "method", "confidence"]
    by_text = {}
    for row in rows:
        by_text.setdefault(row["text"], []).append(row)
    dear = by_text["Dear Ms Smith"]
    assert len(dear) == 1 and dear[0]["theme_id"] == "" and dear[0]["polarity"] == ""
    supervision = by_text["The supervision of social workers is too irregular."]
    assert [(r["theme_id"], r["polarity"]) for r in supervision] == [("supervision", "concern")]
    caseloads = by_text["Caseloads are beginning to reduce but remain high."]
    assert ("caseloads", "improving") in [(r["theme_id"], r["polarity"]) for r in caseloads]
    item = by_text["The timeliness of child protection enquiries."]
    assert {r["polarity"] for r in item} == {"concern"}
    assert {"timeliness", "child_protection"} <= {r["theme_id"] for r in item}
    assert all(r["page"] == "" for r in rows)  # no pages outside PDFs


def test_code_text_errors_exit_2(tmp_path, capsys):
    assert cli.main(["code-text", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err
    bad = tmp_path / "codebook.yaml"
    bad.write_text("version: 1.0.0\nthemes: []\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Supervision is regular.", encoding="utf-8")
    assert cli.main(["code-text", str(tmp_path / "a.txt"), "--codebook", str(bad)]) == 2
    assert "themes" in capsys.readouterr().err


def test_benchmark_runs_on_a_tiny_input():
    spec = importlib.util.spec_from_file_location("coding_benchmark", config.REPO / "benchmarks" / "coding.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    sentences = bench.synthetic_sentences(50)
    assert len(sentences) == 50 and sentences == bench.synthetic_sentences(50)  # seeded
    out = io.StringIO()
    result = bench.run(60, check=60, out=out)
    assert set(result) == {"duckdb_rate", "loop_rate", "ratio", "cpu_ratio", "coder_rate", "coder_over_rules"}
    assert "whole coder" in out.getvalue()
    assert "ratio" in out.getvalue()
