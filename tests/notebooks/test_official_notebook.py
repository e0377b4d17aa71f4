"""notebooks/04_benchmarks.py runs top to bottom under papermill on the real built database."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest

pytestmark = pytest.mark.slow


def test_benchmarks_notebook_runs(built_db: Path, repo_root: Path, tmp_path: Path) -> None:
    source = jupytext.read(repo_root / "notebooks" / "04_benchmarks.py")
    notebook = tmp_path / "04_benchmarks.ipynb"
    jupytext.write(source, notebook)
    out = tmp_path / "04_benchmarks.out.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(out),
        parameters={
            "la_id_gss": "E08000027",
            "as_of": "2026-11-01",
            "measures": "caseload_per_fte, turnover_rate_fte",
            "db_path": str(built_db),
        },
        kernel_name="python3",
        cwd=str(tmp_path),
    )
    outputs = [o for cell in nbformat.read(out, as_version=4).cells for o in cell.get("outputs", [])]
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    charts = [o for o in outputs if "vega" in str(o.get("data", {})).lower()]
    assert len(charts) >= 3  # benchmarks, comparators, triangulation
    assert "Reading: of" in printed and "(band D)" in printed
    assert "caseload per case-holding social worker was 19.5" in printed  # Dudley, 30 September 2025
