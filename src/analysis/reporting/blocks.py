"""What the report notebook shows: charts, tables, quotes and sentences as escaped, self-describing output blocks.

Each block is displayed as one output with the MIME type `BLOCK_MIME`, whose JSON says what it is. The HTML export
(analysis.reporting.html) turns only these blocks and the notebook's Markdown into the page, so stray output
(warnings, a DataFrame left at the end of a cell) never reaches leadership, and every text that came from a
document has passed through `html.escape` here or is JSON that the export escapes again.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

BLOCK_MIME = "application/vnd.analysis.report-block+json"
MAX_TABLE_ROWS = 400  # a chart's data table beyond this is cut, and says so


def esc(value: object) -> str:
    """Text escaped for HTML (quotes too); None and NaN become an empty string."""
    return html.escape(_text(value), quote=True)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if getattr(value, "__class__", None).__name__ in {"NaTType", "NAType"}:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def safe_url(url: object) -> str | None:
    """An http(s) URL fit for a plain link, or None (no javascript:, data: or relative tricks)."""
    text = _text(url).strip()
    return text if text.lower().startswith(("https://", "http://")) else None


def link(text: object, url: object) -> str:
    """An escaped <a> link to a source document, or the escaped text alone when the URL is unusable."""
    href = safe_url(url)
    if href is None:
        return esc(text)
    return f'<a href="{html.escape(href, quote=True)}" rel="noopener">{esc(text)}</a>'


def html_block(fragment: str) -> dict[str, Any]:
    """A block of HTML that the caller built from escaped parts."""
    return {"kind": "html", "html": fragment}


def heading(text: object, level: int = 3) -> dict[str, Any]:
    """A heading block (h3 and below: the notebook's Markdown owns h1 and h2, so headings stay in order)."""
    if not 3 <= level <= 6:
        raise ValueError("blocks add h3-h6; h1 and h2 come from the notebook's Markdown")
    return html_block(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: object, css_class: str | None = None) -> dict[str, Any]:
    """A paragraph of plain text."""
    cls = f' class="{esc(css_class)}"' if css_class else ""
    return html_block(f"<p{cls}>{esc(text)}</p>")


def bullets(items: Iterable[object]) -> dict[str, Any]:
    """A bulleted list of plain texts; an empty list gives nothing visible."""
    parts = [f"<li>{esc(item)}</li>" for item in items]
    return html_block(f"<ul>{''.join(parts)}</ul>" if parts else "")


def table_html(
    rows: Sequence[Mapping[str, object]] | Any,
    columns: Mapping[str, str] | None = None,
    caption: str | None = None,
    links: Mapping[str, str] | None = None,
    max_rows: int | None = None,
) -> str:
    """An escaped HTML table; `columns` maps field -> header; `links` maps a field to the field holding its URL."""
    records = _records(rows)
    if columns is None:
        columns = {key: key for key in (records[0].keys() if records else [])}
    links = links or {}
    shown = records if max_rows is None else records[:max_rows]
    head = "".join(f'<th scope="col">{esc(label)}</th>' for label in columns.values())
    body = []
    for record in shown:
        cells = []
        for field in columns:
            value = record.get(field)
            cell = link(value, record.get(links[field])) if field in links else esc(value)
            cells.append(f"<td>{cell}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    note = ""
    if len(shown) < len(records):
        note = f'<p class="note">The first {len(shown)} of {len(records)} rows are shown.</p>'
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"


def table(
    rows: Sequence[Mapping[str, object]] | Any,
    columns: Mapping[str, str] | None = None,
    caption: str | None = None,
    links: Mapping[str, str] | None = None,
    empty: str = "Nothing to show.",
) -> dict[str, Any]:
    """A table block; an empty table shows the `empty` sentence instead."""
    if not _records(rows):
        return paragraph(empty, "note")
    return html_block(table_html(rows, columns, caption, links))


def quotes(rows: Sequence[Mapping[str, object]] | Any, text: str, cite: str, url: str | None = None) -> dict[str, Any]:
    """Evidence quotes as <blockquote>s, each citing its document (a link when it has a URL)."""
    parts = []
    for record in _records(rows):
        source = link(record.get(cite), record.get(url)) if url else esc(record.get(cite))
        parts.append(f"<blockquote><p>{esc(record.get(text))}</p><footer>{source}</footer></blockquote>")
    return html_block("".join(parts))


def chart(chart_obj: Any, mode: str = "interactive", data: Any = None) -> dict[str, Any]:
    """A chart block: the Vega-Lite spec, its alt text and data table, and in static mode its SVG."""
    # Not validated again here: the chart functions' own tests check their specs against the Vega-Lite schema,
    # and validation is a noticeable share of a report's run time.
    spec = chart_obj.to_dict(validate=False) if hasattr(chart_obj, "to_dict") else dict(chart_obj)
    if data is None:
        from analysis.charts import theme

        data = theme.table(chart_obj)
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    block: dict[str, Any] = {
        "kind": "chart",
        "title": _text(title),
        "description": _text(spec.get("description") or title or "Chart"),
        "table": table_html(data, max_rows=MAX_TABLE_ROWS),
        "spec": spec,
    }
    if mode == "static":
        import vl_convert

        block["svg"] = vl_convert.vegalite_to_svg(spec)
    return block


def _records(rows: Any) -> list[dict[str, object]]:
    if hasattr(rows, "to_dict"):
        return rows.to_dict(orient="records")
    return [dict(r) for r in rows]


def show(block: dict[str, Any]) -> None:
    """Display a block as the notebook output that the HTML export reads."""
    from IPython.display import display

    plain = block.get("title") or block.get("kind", "block")
    bundle: dict[str, Any] = {BLOCK_MIME: _jsonable(block), "text/plain": f"<{block['kind']}: {plain}>"}
    if block["kind"] == "html":
        bundle["text/html"] = block["html"]
    display(bundle, raw=True)


def _jsonable(value: Any) -> Any:
    """Dates and numpy scalars made JSON-friendly, so the notebook file stays valid."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value
