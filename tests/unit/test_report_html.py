"""The HTML export: escaping, no code, no external resource, static pages without script."""

from __future__ import annotations

import json
import re

import altair as alt
import nbformat
import pandas as pd
import pytest

from analysis.reporting import blocks, html

HOSTILE = "a </script><script>alert(1)</script> & <!-- b \u2028 c \u2029 > d"


def _notebook(mode: str) -> nbformat.NotebookNode:
    """A tiny executed-looking notebook: Markdown, a code cell with stray output, an HTML block, a chart block."""
    # Synthetic chart data: a label carrying markup, as a document sentence might.
    frame = pd.DataFrame({"label": [HOSTILE, "plain"], "value": [1, 2]})
    chart = alt.Chart(frame).mark_bar().encode(x="value:Q", y="label:N").properties(description="Two bars")
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("import secret_module\nprint('hello')")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="stray print\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>stray html</p>", "text/plain": "x"}),
        nbformat.v4.new_output("display_data", data={blocks.BLOCK_MIME: blocks.paragraph(HOSTILE), "text/plain": "p"}),
        nbformat.v4.new_output(
            "display_data",
            data={blocks.BLOCK_MIME: blocks._jsonable(blocks.chart(chart, mode, data=frame)), "text/plain": "c"},
        ),
    ]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nText with <script>alert(2)</script> typed in Markdown."),
        code,
    ]
    return nb


def test_script_json_escapes_what_could_end_a_script():
    text = html.script_json({"x": HOSTILE})
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == {"x": HOSTILE}


def test_interactive_page_has_no_code_and_no_raw_markup_from_text():
    page = html.page(_notebook("interactive"), "<footer></footer>", "interactive")
    assert "secret_module" not in page and "stray print" not in page and "stray html" not in page
    # Outside the one inlined library, every <script> is ours: the bundle, chart specs and the embed call.
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts == ["", ' type="application/json" id="chart-1-spec"', ""]
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    spec = re.search(r'id="chart-1-spec">(.*?)</script>', page, re.S).group(1)
    assert "<" not in spec and json.loads(spec)["description"] == "Two bars"
    assert html.external_resources(page) == []


def test_static_page_has_no_script_at_all():
    page = html.page(_notebook("static"), "<footer></footer>", "static")
    assert "<script" not in page.lower()
    assert "<svg" in page
    assert "script-src" not in page  # the CSP allows no script
    assert html.external_resources(page) == []
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_every_chart_has_alt_text_and_a_data_table():
    page = html.page(_notebook("interactive"), "", "interactive")
    figure = re.search(r'<figure class="chart".*?</figure>', page, re.S).group(0)
    assert 'role="img" aria-label="Two bars"' in figure
    assert "<details><summary>" in figure and "<table>" in figure


def test_chart_ids_are_numbered_in_order():
    page = html.page(_notebook("interactive"), "", "interactive")
    assert re.findall(r'<figure class="chart" id="([^"]+)"', page) == ["chart-1"]


def test_vega_bundle_is_safe_to_inline():
    bundle = html.vega_bundle()
    assert "</script" not in bundle.lower() and "<!--" not in bundle
    assert "vegaEmbed" in bundle


@pytest.mark.parametrize(
    ("snippet", "found"),
    [
        ('<script src="https://cdn.example/vega.js"></script>', True),
        ('<link rel="stylesheet" href="https://fonts.example/css">', True),
        ('<img src="http://x.example/a.png" alt="">', True),
        ("<style>@font-face { src: url(https://f.example/a.woff) }</style>", True),
        ('<div style="background: url(//x.example/b.png)"></div>', True),
        ('<a href="https://www.gov.uk/report.pdf">a source</a>', False),
        ('<img src="data:image/png;base64,AAAA" alt="">', False),
        ('<svg xmlns="http://www.w3.org/2000/svg"></svg>', False),
    ],
)
def test_external_resources_tells_fetches_from_links(snippet, found):
    assert bool(html.external_resources(snippet)) is found


def test_markdown_escapes_raw_html():
    assert html.markdown("<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>\n"
