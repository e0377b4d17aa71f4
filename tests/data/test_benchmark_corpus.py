"""benchmarks/corpus.py on three reports of the manifest: it runs, prints its figures, its registry rows are valid."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import pytest

from analysis import config
from analysis.ingest import sources


@pytest.fixture(scope="module")
def bench():
    # Imported by name from a folder on sys.path: its worker processes import it again to find the baselines.
    sys.path.insert(0, str(config.REPO / "benchmarks"))
    try:
        yield importlib.import_module("corpus")
    finally:
        sys.path.remove(str(config.REPO / "benchmarks"))
        sys.modules.pop("corpus", None)


def test_part_one_prints_our_time_and_the_ratios(bench, capsys):
    baselines = importlib.util.find_spec("pdfplumber") and importlib.util.find_spec("pypdf")
    argv = ["--limit", "3", "--skip-builds", *([] if baselines else ["--skip-baselines"])]
    assert bench.main(argv) == 0
    out = capsys.readouterr().out
    assert "corpus: 3 PDFs of 3 in the manifest" in out
    assert "ours, cold: read + segment" in out and "sentences coded" in out
    if baselines:
        assert "ratio pdfplumber / ours" in out and "ratio pypdf / ours" in out


def test_the_copy_registers_the_reports_and_the_synthetic_letter(bench, tmp_path):
    pdfs, _ = bench.manifest_pdfs(bench.REPORTS, limit=12)
    repo, cache, n_registered = bench.prepare_repo(tmp_path, pdfs)
    bench.add_letter(repo)
    registry = sources.read_registry(repo / "data", repo)  # the made-up rows pass the registry's own checks
    assert bench.LETTER_ID in set(registry["source_id"])
    assert len(registry) == len(sources.read_registry(config.DATA)) + n_registered + 1
    for row in pdfs:
        assert (cache / "ofsted-reports" / row["file"]).is_file()
    assert not (config.DATA / "raw" / f"{bench.LETTER_ID}.md").exists()  # the repo itself is untouched
