"""The report's parameters: quarters, the notebook's parameters cell, and the checks that run before a kernel."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.errors import ParameterError
from analysis.reporting import parameters


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2024q2", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("2025Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    ],
)
def test_quarter_bounds(text, start, end):
    quarter = parameters.parse_quarter(text)
    assert (quarter.start, quarter.end) == (start, end)
    assert quarter.label == text.upper()


@pytest.mark.parametrize("bad", ["2026Q5", "2026-Q1", "Q1 2026", "2026", "", None, 2026, "2026Q0"])
def test_malformed_quarter_names_the_parameter(bad):
    with pytest.raises(ParameterError, match=r"^quarter: "):
        parameters.parse_quarter(bad)


def test_notebook_defaults_are_the_parameters_cell():
    defaults = parameters.notebook_defaults()
    assert set(defaults) == {"la_id_gss", "quarter", "focus_themes", "chart_mode", "db_path"}
    assert defaults["focus_themes"] == ["caseloads", "supervision", "assessment_quality"]
    assert defaults["chart_mode"] == "interactive"
    assert defaults["db_path"] is None
    parameters.parse_quarter(defaults["quarter"])


def test_unknown_parameter_name_is_refused():
    with pytest.raises(ParameterError, match=r"^colour_scheme: not a parameter"):
        parameters.check_names({"quarter": "2026Q1", "colour_scheme": "red"}, parameters.notebook_defaults())


def test_split_list_accepts_lists_and_comma_strings():
    assert parameters.split_list("a, b,,c") == ["a", "b", "c"]
    assert parameters.split_list(["a", " b"]) == ["a", "b"]
    with pytest.raises(ParameterError):
        parameters.split_list(3)


def test_notebook_defaults_without_parameters_cell(tmp_path):
    path = tmp_path / "nb.py"
    path.write_text("# %%\nx = 1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="no cell tagged parameters"):
        parameters.notebook_defaults(path)
