"""The exploration notebooks 01-03 and 05 run top to bottom under papermill on the real built database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest

pytestmark = pytest.mark.slow


def _run(repo_root: Path, tmp_path: Path, name: str, **parameters: object) -> tuple[str, list[str]]:
    """Execute notebooks/<name>.py with papermill; return its printed text and the chart outputs (HTML with spec)."""
    notebook = tmp_path / f"{name}.ipynb"
    jupytext.write(jupytext.read(repo_root / "notebooks" / f"{name}.py"), notebook)
    out = tmp_path / f"{name}.out.ipynb"
    papermill.execute_notebook(str(notebook), str(out), parameters=parameters, kernel_name="python3", cwd=str(tmp_path))
    outputs = [o for cell in nbformat.read(out, as_version=4).cells for o in cell.get("outputs", [])]
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    # Altair's default renderer: HTML that embeds the Vega-Lite spec as JSON (or a Vega-Lite MIME bundle).
    charts = [
        value if isinstance(value, str) else json.dumps(value)
        for o in outputs
        for key, value in o.get("data", {}).items()
        if key.startswith("application/vnd.vegalite") or (key == "text/html" and "vegaEmbed" in value)
    ]
    return printed, charts


def _has(chart: str, pattern: str) -> bool:
    return re.search(pattern, chart) is not None


def test_timeline_notebook_tells_dudleys_story(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    printed, charts = _run(repo_root, tmp_path, "01_timeline", db_path=str(built_db), as_of="2026-06-30")
    assert len(charts) >= 4  # timeline, heatmap, recurring concerns, trajectories
    assert "Latest graded inspection (Oct 2022): requires improvement" in charts[0]
    assert "Dudley had" in printed and "visits between Nov 2011" in printed


def test_timeline_notebook_as_of_2016(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    printed, _ = _run(repo_root, tmp_path, "01_timeline", db_path=str(built_db), as_of="2016-12-31")
    assert "the latest graded inspection (Jan 2016) found it inadequate" in printed
    assert "Oct 2018" not in printed


def test_theme_explorer_shows_supervision_evidence(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    printed, charts = _run(repo_root, tmp_path, "02_theme_explorer", db_path=str(built_db), theme_id="supervision")
    assert printed.startswith("Supervision")
    chart = charts[0]
    assert _has(chart, r'"field":\s*"quote"')  # the evidence sentences are in the tooltips
    # supervision across Dudley's visits from 2016 to 2025: every quoted row carries its visit date
    quoted_years = set(re.findall(r'"quote":\s*"(?:[^"\\]|\\.)*",[^}]*?"visit_date":\s*"(\d{4})', chart))
    quoted_years |= set(re.findall(r'"visit_date":\s*"(\d{4})[^}]*?"quote":', chart))
    assert {"2016", "2025"} <= quoted_years


def test_theme_explorer_rejects_an_unknown_theme(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    with pytest.raises(papermill.PapermillExecutionError, match="unknown theme 'supervisoin'"):
        _run(repo_root, tmp_path, "02_theme_explorer", db_path=str(built_db), theme_id="supervisoin")


def test_evidence_search_finds_caseloads(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    printed, charts = _run(repo_root, tmp_path, "03_evidence_search", db_path=str(built_db), words="caseload")
    assert "matched 'caseload'" in printed
    assert len(charts) == 1


def test_evidence_search_for_another_council(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    printed, _ = _run(
        repo_root, tmp_path, "03_evidence_search", db_path=str(built_db), la_id_gss="E08000018", words="supervision"
    )
    assert "matched 'supervision'" in printed  # Rotherham: visits rebuilt from Ofsted's outcomes and its reports


def test_peers_notebook_sets_dudley_beside_its_neighbours(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    printed, charts = _run(repo_root, tmp_path, "05_peers", db_path=str(built_db), as_of="2026-03-31")
    assert printed.startswith("Dudley's readings come from its latest inspection with coded text, the ILACS standard")
    assert "of the 10 statistical neighbours of DfE's 2025 model" in printed
    assert "Supervision: at Dudley's latest inspection with coded text, named in the visit's improvement points" in (
        printed
    )
    assert len(charts) == 2  # the peers chart and the journeys chart
    assert "journe" in printed and "from inadequate to a better grade" in printed


def test_peers_notebook_for_a_council_without_reports(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    printed, charts = _run(repo_root, tmp_path, "05_peers", db_path=str(built_db), la_id_gss="E08000028")
    assert printed.startswith("No graded inspection of Sandwell with coded text is in the database")
    assert "nothing to set beside its peers" in printed
    assert len(charts) == 1  # the journeys chart still draws
