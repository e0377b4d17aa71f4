"""Rendering the quarterly report: on a SYNTHETIC database (tests/e2e/report_synthetic.py) and on the real build.

The synthetic database has two made-up councils and a document sentence with markup in it; every test that
needs Dudley's real data uses the `built_db` fixture instead.
"""

from __future__ import annotations

import argparse
import html as html_lib
import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis.errors import ParameterError
from analysis.reporting import commands, html, render
from analysis.reporting.parameters import NOTEBOOK

pytestmark = pytest.mark.slow

_SPEC = importlib.util.spec_from_file_location(
    "report_synthetic", Path(__file__).parents[1] / "e2e" / "report_synthetic.py"
)
synthetic = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(synthetic)

A, B, C, D = synthetic.COUNCIL_A, synthetic.COUNCIL_B, synthetic.COUNCIL_C, synthetic.COUNCIL_D
RENDER_TIME = re.compile(r'<time id="render-time" datetime="[^"]*">[^<]*</time>')


def mask(page: str) -> str:
    """The page without its render time, the one part allowed to differ between two renders."""
    return RENDER_TIME.sub('<time id="render-time"></time>', page)


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> Path:
    return synthetic.build(tmp_path_factory.mktemp("synthetic") / "synthetic.duckdb")


@pytest.fixture(scope="module")
def rendered(synthetic_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    return render.render({"la_id_gss": A, "quarter": "2026Q1"}, db_path=synthetic_db, out_dir=out)


def test_render_writes_the_html_and_the_executed_notebook(rendered):
    assert rendered.name == f"{A}_2026Q1.html"
    nb = nbformat.read(rendered.with_suffix(".ipynb"), as_version=4)
    recorded = nb.metadata["papermill"]["parameters"]
    assert recorded["la_id_gss"] == A and recorded["quarter"] == "2026Q1"
    assert recorded["focus_themes"] == ["caseloads", "supervision", "assessment_quality"]
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    index = next(i for i, t in enumerate(tags) if "parameters" in t)
    assert "injected-parameters" in tags[index + 1]
    assert nb.metadata["analysis_manifest"]["codebook_versions"] == ["synthetic-1"]


def test_report_has_no_code_and_no_external_resource(rendered):
    page = rendered.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page
    for code in ("db.query(", "import ", "blocks.show", "la_id_gss = "):
        assert code not in page.split("<script>", 1)[0], code
    assert html.external_resources(page) == []
    assert "In [" not in page and "Out[" not in page


def test_report_sections_and_headings_in_order(rendered):
    page = rendered.read_text(encoding="utf-8").split("<body>", 1)[1]
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    h2 = re.findall(r"<h2>(.*?)</h2>", page)
    assert h2[:4] == ["Headline", "Visits and judgements", "Themes across visits", "Concerns that keep coming back"]
    assert "Focus themes" in h2 and "What the council says it will do" in h2 and "Data notes" in h2
    assert h2.index("Beside its peers") == h2.index("Focus themes") + 1
    assert "How this report was made" in h2


def test_every_chart_has_alt_text_and_a_data_table(rendered):
    page = rendered.read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart".*?</figure>', page, re.S)
    assert len(figures) >= 5  # timeline, heatmap, recurring concerns, three focus themes
    for figure in figures:
        assert re.search(r'role="img" aria-label="[^"]+"', figure)
        assert "<details><summary>" in figure and "<table>" in figure


def test_headline_and_new_in_quarter(rendered):
    page = rendered.read_text(encoding="utf-8")
    assert "The latest overall judgement of Synthetic Borough A&#x27;s children&#x27;s services is Requires" in page
    assert "The latest visit was a focused visit (12 January 2026), published 20 February 2026." in page
    assert "<h3>New in 2026Q1</h3>" in page
    assert "Document: Synthetic council response &lt;i&gt;draft&lt;/i&gt;, 27 February 2026." in page


def test_document_text_with_markup_shows_as_text_and_runs_nothing(rendered):
    page = rendered.read_text(encoding="utf-8")
    assert "<script>document.documentElement" not in page
    assert "&lt;script&gt;document.documentElement.setAttribute(&#x27;data-injected&#x27;" in page
    assert "&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    for spec in re.findall(r'<script type="application/json" id="chart-\d+-spec">(.*?)</script>', page, re.S):
        assert "<" not in spec and ">" not in spec and "\u2028" not in spec
        json.loads(spec)
    # Every <script> element is one of ours: the library, the specs, the embed call.
    assert len(re.findall(r"<script[ >]", page)) == 2 + page.count('type="application/json"')


def test_same_inputs_give_the_same_report(rendered, synthetic_db, tmp_path):
    again = render.render({"la_id_gss": A, "quarter": "2026Q1"}, db_path=synthetic_db, out_dir=tmp_path)
    first, second = rendered.read_text(encoding="utf-8"), again.read_text(encoding="utf-8")
    assert RENDER_TIME.search(first) and RENDER_TIME.search(second)
    assert mask(first) == mask(second)
    # The executed notebook carries no render time at all: it is byte-identical.
    assert rendered.with_suffix(".ipynb").read_bytes() == again.with_suffix(".ipynb").read_bytes()


def test_static_mode_has_no_javascript(synthetic_db, tmp_path):
    page = render.render(
        {"la_id_gss": A, "quarter": "2026Q1", "chart_mode": "static"}, db_path=synthetic_db, out_dir=tmp_path
    ).read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "javascript:" not in page.lower()
    assert page.count("<svg") >= 5
    assert html.external_resources(page) == []


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"colour_scheme": "red"}, "colour_scheme"),
        ({"la_id_gss": "E06999999"}, "la_id_gss"),
        ({"la_id_gss": "Dudley"}, "la_id_gss"),
        ({"quarter": "2026Q9"}, "quarter"),
        ({"quarter": "2026-03"}, "quarter"),
        ({"quarter": "2015Q4"}, "quarter"),  # before the first synthetic visit was published (April 2016)
        ({"chart_mode": "pdf"}, "chart_mode"),
        ({"focus_themes": ["caseloads", "no_such_theme"]}, "focus_themes"),
    ],
)
def test_bad_parameters_fail_before_any_kernel_starts(params, named, synthetic_db, tmp_path, monkeypatch):
    async def no_kernel(self):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(render.KernelWorker, "start", no_kernel)
    values = {"la_id_gss": A, "quarter": "2026Q1", **params}
    with pytest.raises(ParameterError, match=rf"^{named}: "):
        render.render(values, db_path=synthetic_db, out_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def _failing_notebook(tmp_path: Path) -> Path:
    """The report notebook with one extra cell that fails for council B (a stand-in for a broken council)."""
    failing_cell = f'# %%\nif la_id_gss == "{B}":\n    raise RuntimeError("synthetic failure")\n\n'
    source = NOTEBOOK.read_text(encoding="utf-8").replace(
        "\n# %%\nfrom analysis import db\n", "\n" + failing_cell + "# %%\nfrom analysis import db\n", 1
    )
    assert "synthetic failure" in source
    path = tmp_path / "failing_report.py"
    path.write_text(source, encoding="utf-8")
    return path


def test_batch_goes_on_past_a_failing_council_on_a_reused_kernel(synthetic_db, rendered, tmp_path):
    requested = [{"la_id_gss": code, "quarter": "2026Q1"} for code in (B, "E06999999", A)]
    result = render.render_many(
        requested,
        db_path=synthetic_db,
        out_dir=tmp_path,
        workers=1,  # one kernel: B fails in it, then A must still render right in the same kernel
        progress=False,
        notebook=_failing_notebook(tmp_path),
    )
    assert [f.la_id_gss for f in result.failures] == [B, "E06999999"]
    assert result.failures[0].message == "RuntimeError: synthetic failure"
    assert result.failures[1].message.startswith("la_id_gss: E06999999 is not a council")
    assert result.written == [tmp_path / f"{A}_2026Q1.html"]
    # The reused kernel gives the same page as a fresh one.
    assert mask(result.written[0].read_text(encoding="utf-8")) == mask(rendered.read_text(encoding="utf-8"))


def test_batch_on_two_workers(synthetic_db, tmp_path):
    requested = [{"la_id_gss": code, "quarter": "2026Q1", "chart_mode": "static"} for code in (A, B)]
    result = render.render_many(requested, db_path=synthetic_db, out_dir=tmp_path, workers=2, progress=False)
    assert result.failures == []
    assert sorted(p.name for p in result.written) == [f"{A}_2026Q1.html", f"{B}_2026Q1.html"]


def _cli(argv: list[str]) -> int:
    top = argparse.ArgumentParser(prog="analysis")
    commands.register(top.add_subparsers(dest="command", required=True))
    args = top.parse_args(argv)
    return args.func(args)


def test_cli_batch_lists_failures_and_exits_non_zero(synthetic_db, tmp_path, capsys):
    codes = tmp_path / "councils.txt"
    codes.write_text("# synthetic codes that are not in the database\nE06999998\nE06999999\n", encoding="utf-8")
    argv = ["report", "--quarter", "2026Q1", "--las", str(codes), "--db", str(synthetic_db), "--out", str(tmp_path)]
    assert _cli([*argv, "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "2 failed" in err and "E06999998 2026Q1: la_id_gss:" in err and "E06999999 2026Q1: la_id_gss:" in err


def test_cli_single_report_bad_parameter_raises_parameter_error(synthetic_db, tmp_path):
    with pytest.raises(ParameterError, match="^chart_mode: "):
        _cli(["report", "--la", A, "--quarter", "2026Q1", "-p", "chart_mode=pdf", "--db", str(synthetic_db)])


def test_dudley_report_from_the_real_build(built_db, tmp_path):
    path = render.render({"la_id_gss": "E08000027", "quarter": "2026Q1"}, db_path=built_db, out_dir=tmp_path)
    page = path.read_text(encoding="utf-8")
    assert "Dudley" in page
    assert html.external_resources(page) == []
    assert len(re.findall(r'<figure class="chart"', page)) >= 5
    nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert nb.metadata["papermill"]["parameters"]["la_id_gss"] == "E08000027"


def test_priorities_section_lists_the_councils_own_priorities(rendered):
    page = rendered.read_text(encoding="utf-8")
    section = page.split("<h2>What the council says it will do</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Make supervision regular and reflective" in section
    assert "Improve the quality of assessments &lt;em&gt;now&lt;/em&gt;" in section
    assert "Caseloads, Workforce sufficiency" in section


def test_las_all_means_every_council_with_a_visit(synthetic_db):
    assert commands.councils("all", synthetic_db) == [A, B, C, D]
    assert commands.councils(f"{A}, {B}", synthetic_db) == [A, B]


def _visible(page: str) -> str:
    """The page's text as a reader sees it: markup, scripts and styles out, entities decoded, spaces single."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))


def _visible_report(la_id_gss: str, synthetic_db: Path, tmp_path: Path) -> str:
    path = render.render({"la_id_gss": la_id_gss, "quarter": "2026Q1"}, db_path=synthetic_db, out_dir=tmp_path)
    return _visible(path.read_text(encoding="utf-8"))


def test_a_latest_visit_without_text_is_named_and_its_unread_grade_not_hidden(synthetic_db, tmp_path):
    page = _visible_report(C, synthetic_db, tmp_path)
    assert (
        "The latest graded inspection of Synthetic Borough C's children's services, the ILACS standard inspection "
        "published 1 August 2025, is in the database but its grade was not read."
    ) in page
    assert "The latest overall judgement read of Synthetic Borough C's children's services is Inadequate" in page
    assert (
        "No report or letter of it with coded text is in the database yet; the latest visit with coded text is " in page
    )
    assert (
        "The latest visit, the ILACS standard inspection of Jun 2025, has no coded text or analysts' findings yet."
        in page
    )
    assert "Grade not read" in page and "the grade of 1 graded inspection was not read" in page


def test_a_council_without_documents_is_told_which_it_lacks(synthetic_db, tmp_path):
    page = _visible_report(D, synthetic_db, tmp_path)
    assert (
        "The database holds no Ofsted report or letter of Synthetic Borough D with coded text, so its themes, "
        "recurring concerns and peers cannot be read. It lacks the reports of its 1 graded inspection (ILACS standard "
        "inspection, 2 May 2023)."
    ) in page
    assert "No graded inspection of Synthetic Borough D with coded text is in the database" in page


def test_peers_section_counts_its_councils_and_documents(rendered):
    page = _visible(rendered.read_text(encoding="utf-8"))
    section = page.split("Beside its peers", 1)[1].split("What the council says it will do", 1)[0]
    # B and C have an inspection with text (C's is its 2016 one: its 2025 report is missing), D has none
    assert "which the database holds for 2 of the 3 statistical neighbours of DfE's 2025 model (2 documents)" in section
    assert "Improvement journeys" in section
    assert "Synthetic Borough D" in section and "none in the database" in section
