"""Export an executed report notebook to one self-contained HTML file: no code, no prompts, no external resource.

nbconvert's stock template pulls require.js, MathJax and mermaid from CDNs and Altair's HTML loads Vega from one
(../shared/reference/stack-notes.md), so the page is written here: the notebook's Markdown (raw HTML disabled),
the report blocks of analysis.reporting.blocks, one inlined copy of the Vega/Vega-Lite/vega-embed bundle that
vl-convert ships (interactive mode only) and a small script that embeds each chart. Static mode inlines SVG and
carries no script at all; the Content-Security-Policy says so to the browser too.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache, lru_cache
from html.parser import HTMLParser
from pathlib import Path
from string import Template
from typing import Any

from analysis import config
from analysis.reporting.blocks import BLOCK_MIME, esc

TEMPLATES = Path(__file__).with_name("templates")
# No fetch of any kind: scripts and styles must be inline, images data: URIs. Vega compiles its expressions with
# Function(), hence 'unsafe-eval' in interactive mode; static mode allows no script at all.
CSP_INTERACTIVE = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
CSP_STATIC = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: `<`, `>`, `&` and U+2028/2029 written as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert (no CDN); checked safe to inline.

    vl-convert builds the bundle in about 3 s, so it is kept in the fetch cache, keyed by vl-convert's version.
    """
    import vl_convert

    cached = config.CACHE / "vl-convert" / f"vega-bundle-{vl_convert.__version__}.js"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle()
    # Inline script text ends at the first "</script"; "<!--" can change how it is parsed. Neither may appear.
    bundle = bundle.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only cache only costs the 3 s again next time
    return bundle


@cache
def _template(name: str) -> str:
    return TEMPLATES.joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # "commonmark" with html off: any tag typed in a Markdown cell shows as text.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown(text: str) -> str:
    """Markdown of a notebook cell as HTML, with raw HTML escaped."""
    return _markdown().render(text)


def _chart_html(block: dict[str, Any], n: int, mode: str) -> tuple[str, str]:
    """(figure HTML, JSON script) for chart number n; ids are numbered so the same report gives the same page."""
    chart_id = f"chart-{n}"
    description = esc(block.get("description"))
    details = (
        f"<details><summary>Data behind this chart (table)</summary>{block.get('table', '')}</details>"
        if block.get("table")
        else ""
    )
    caption = f"<figcaption>{description}</figcaption>"
    if mode == "static":
        svg = block.get("svg") or ""
        figure = (
            f'<figure class="chart" id="{chart_id}"><div class="vis" role="img" aria-label="{description}">'
            f"{_clean_svg(svg)}</div>{caption}{details}</figure>"
        )
        return figure, ""
    figure = (
        f'<figure class="chart" id="{chart_id}" data-spec="{chart_id}-spec">'
        f'<div class="vis" role="img" aria-label="{description}"></div>{caption}{details}</figure>'
    )
    script = f'<script type="application/json" id="{chart_id}-spec">{script_json(block["spec"])}</script>'
    return figure, script


def _clean_svg(svg: str) -> str:
    """vl-convert's SVG, inline: without the XML prolog, and aria-hidden (the figure carries the alt text)."""
    svg = svg.strip()
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :].lstrip()
    if svg.startswith("<svg"):
        svg = '<svg aria-hidden="true" focusable="false"' + svg[4:]
    return svg


def body_html(nb: Any, mode: str) -> tuple[str, list[str], str]:
    """The report's body from the notebook's Markdown and blocks: (html, chart JSON scripts, first heading)."""
    parts: list[str] = []
    scripts: list[str] = []
    title = ""
    n_charts = 0
    for cell in nb.cells:
        if "remove" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            parts.append(markdown(cell.source))
            if not title:
                title = next((ln.lstrip("# ").strip() for ln in cell.source.splitlines() if ln.startswith("# ")), "")
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            block = output.get("data", {}).get(BLOCK_MIME) if output.get("output_type") == "display_data" else None
            if not block:
                continue  # code, stdout, warnings and stray values never reach the page
            if block.get("kind") == "chart":
                n_charts += 1
                figure, script = _chart_html(block, n_charts, mode)
                parts.append(figure)
                if script:
                    scripts.append(script)
            elif block.get("kind") == "html":
                parts.append(block.get("html", ""))
    return "\n".join(parts), scripts, title


def page(nb: Any, manifest_html: str, mode: str, title: str = "") -> str:
    """The whole HTML page of an executed report notebook (`title` for the browser tab; default: its h1)."""
    if mode not in ("interactive", "static"):
        raise ValueError(f"chart mode {mode!r}")
    body, scripts, heading = body_html(nb, mode)
    title = title or heading
    head_scripts = ""
    body_scripts = ""
    if mode == "interactive" and scripts:
        head_scripts = f"<script>{vega_bundle()}</script>"
        body_scripts = "\n".join(scripts) + f"\n<script>{_template('embed.js')}</script>"
    return Template(_template("report.html")).substitute(
        csp=CSP_STATIC if mode == "static" else CSP_INTERACTIVE,
        title=esc(title or "Quarterly report"),
        css=_template("report.css"),
        head_scripts=head_scripts,
        body=body,
        footer=manifest_html,
        body_scripts=body_scripts,
    )


_RESOURCE_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "background", "manifest", "ping"}


class _ResourceFinder(HTMLParser):
    """Collects every attribute or CSS that would make a browser fetch something; <a href> is a link, not a fetch."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in _RESOURCE_ATTRS and value and not value.startswith(("data:", "#")):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "xlink:href"} and tag not in {"a"} and value and not value.startswith("#"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.found.extend(_css_urls(value))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(_css_urls(data))


def _css_urls(css: str) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")\s]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return [f"css url({u!r})" for u in urls if not u.startswith(("data:", "#"))]


def external_resources(page_html: str) -> list[str]:
    """What in a page would be fetched from elsewhere (scripts, styles, images, fonts, frames); [] for a good page."""
    finder = _ResourceFinder()
    finder.feed(page_html)
    finder.close()
    return finder.found
