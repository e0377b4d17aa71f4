"""PDF text through pypdfium2: lines with their position and font, page furniture removed, paragraphs rebuilt."""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from analysis.errors import InputError
from analysis.ingest.text import (
    HEADING,
    ITEM,
    TABLE,
    TEXT,
    Block,
    clean_inline,
    ends_sentence,
    is_furniture_line,
    join_lines,
    unglue,
)

# Wingdings and Symbol bullets come through as private-use characters; these and ordinary bullets start items.
_BULLET = re.compile(r"^(?:[\uf000-\uf0ff•◼▪●■◆♦➢➤►‣⁃○◦\u25aa\u25cf\u2022\u2023\u2043]\s*|[-–−]\s+)")
_NUMBERED = re.compile(r"^\d{1,3}\.(?:\s+\S|(?=[A-Z]))")
_BACK_PAGE = re.compile(r"^the office for standards in education, children.s services and skills \(ofsted\)", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$", re.I)
_MARGIN = 60.0  # points: furniture lives in the top and bottom 60pt of an A4 page (842pt)
# Bold lines that are not headings: the labels of Ofsted's front-page summary.
_NOT_HEADING = re.compile(
    r"^(?:inspection dates?|lead inspector|report published|age group|published|reporting inspector)\b", re.I
)


@dataclass
class Line:
    """One line of a page as PDFium orders it, with the position and font of its first character."""

    text: str
    page: int
    x: float
    y: float  # baseline, points from the page bottom
    size: float
    bold: bool
    right: float
    after_number: float = 0.0  # font size after a leading number: tells a superscript note mark from a "12."


def _font(textpage: pdfium.PdfTextPage, index: int, buf: ctypes.Array) -> tuple[float, bool]:
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buf, len(buf), ctypes.byref(flags))
    name = buf.value.decode("latin-1", "replace").lower()
    return float(size), weight >= 600 or "bold" in name or "black" in name or "heavy" in name


def _page_lines(page: pdfium.PdfPage, number: int, buf: ctypes.Array) -> list[Line]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range() if count else ""
        aligned = len(text) == count  # text index = char index unless PDFium emitted surrogate pairs
        x = ctypes.c_double()
        y = ctypes.c_double()
        lines: list[Line] = []
        # PDFium ends a line at a soft hyphen with U+FFFE and glues on whatever comes next in the content
        # stream (often the next line, sometimes a footnote): cut there so each piece keeps its own position.
        for match in re.finditer(r"[^\r\n\ufffe]+\ufffe?|\ufffe", text):
            raw = match.group(0)
            stripped = raw.strip().replace("\ufffe", "-")
            if not stripped:
                continue
            first = match.start() + len(raw) - len(raw.lstrip())
            last = match.start() + len(raw.rstrip()) - 1
            if not aligned:
                lines.append(Line(stripped, number, 0.0, 0.0, 0.0, False, 0.0))
                continue
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, first, ctypes.byref(x), ctypes.byref(y))
            size, bold = _font(textpage, first, buf)
            _, _, right, _ = textpage.get_charbox(last)
            if bold:
                bold = _font(textpage, last, buf)[1]
            stripped = _drop_note_marks(stripped, raw, match.start(), textpage)
            line = Line(stripped, number, x.value, y.value, size, bold, right)
            lead = re.match(r"\d+\s*", raw.lstrip())
            if lead and first + lead.end() <= last:
                line.after_number = float(pdfium_c.FPDFText_GetFontSize(textpage.raw, first + lead.end()))
            lines.append(line)
        return lines
    finally:
        textpage.close()


# A footnote mark: one or two digits right after a word, before a space, punctuation or the line end.
_NOTE_MARK = re.compile(r"(?<=[A-Za-z)])\d{1,2}(?=[\s,.;:)]|$)")


def _drop_note_marks(stripped: str, raw: str, offset: int, textpage: pdfium.PdfTextPage) -> str:
    """Remove superscript footnote marks glued to a word ("Board1", "Erle4"): digits set smaller or raised.

    A digit in the word's own size on its baseline is part of a name ("Foster4") and stays.
    """
    lead = len(raw) - len(raw.lstrip())
    cuts = []
    x, y_mark, y_word = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    for mark in _NOTE_MARK.finditer(stripped):
        at = offset + lead + mark.start()  # the mark's char index on the page (stripped starts at raw's first char)
        word = pdfium_c.FPDFText_GetFontSize(textpage.raw, at - 1)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, at - 1, ctypes.byref(x), ctypes.byref(y_word))
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, at, ctypes.byref(x), ctypes.byref(y_mark))
        if pdfium_c.FPDFText_GetFontSize(textpage.raw, at) < word - 2 or y_mark.value > y_word.value + 2:
            cuts.append(mark.span())
    for start, end in reversed(cuts):
        stripped = stripped[:start] + stripped[end:]
    return stripped


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", clean_inline(text).lower())


def _strip_furniture(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Drop running headers/footers (lines repeated across pages), page numbers and lines of pure furniture."""
    n_pages = len(pages)
    body = _body_metrics(pages)[0]
    pages = [
        _strip_footnotes(lines, body, height, pages[n - 1] if n else [])
        for n, (lines, height) in enumerate(zip(pages, heights, strict=True))
    ]
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_furniture_key(line.text) for line in lines})
    repeated = {key for key, n in seen.items() if n_pages >= 3 and n >= max(3, 0.5 * n_pages)}
    kept: list[list[Line]] = []
    for lines, height in zip(pages, heights, strict=True):
        out = []
        for line in lines:
            key = _furniture_key(line.text)
            in_margin = line.y > height - _MARGIN or line.y < _MARGIN
            if key in repeated or is_furniture_line(line.text) or _PAGE_NUMBER.match(line.text):
                continue
            if in_margin and seen[key] >= 2:
                continue
            out.append(line)
        kept.append(_strip_back_page(_strip_contents(out)))
    return kept


def _strip_footnotes(lines: list[Line], body: float, height: float, previous: list[Line]) -> list[Line]:
    """Drop footnotes: the run of small print closing a page (before its footer) that opens with its number."""
    end = len(lines)
    while end > 0 and (_PAGE_NUMBER.match(lines[end - 1].text) or not _MARGIN <= lines[end - 1].y <= height - _MARGIN):
        end -= 1
    for i in range(max(len(lines) - 8, 1), len(lines) - 1):
        # A note set in body size: its number alone on a line in the page's lower third with the note below it
        # (a page number has nothing below it). Its mark, where it is glued to a word on this page or the one
        # before ("special schools3"), goes too; the number line would otherwise go as a page number and leave
        # the note as text.
        number = lines[i].text
        if re.fullmatch(r"\d{1,2}", number) and lines[i].y < height / 3 and lines[i + 1].text[:1].isupper():
            if abs(int(number) - lines[i].page) <= 2 and not re.search(rf"[a-z]{{3}}{number}\b", lines[i - 1].text):
                continue  # more likely a page number printed above a footer line
            mark = re.compile(rf"(?<=[a-z]{{3}}){number}(?=[\s,.;:)]|$)")
            marked = [line for line in [*previous, *lines[:i]] if mark.search(line.text)]
            if len(marked) == 1:  # (the mark may sit on the page before its note)
                marked[0].text = mark.sub("", marked[0].text)
            return lines[:i]
    start = end
    while start > 0 and 0 < lines[start - 1].size < body - 1:
        start -= 1
    for i in range(start, end):
        if re.match(r"^(?:\d{1,2}|\*)(?:\s+\S|$)", lines[i].text):
            return lines[:i]  # what follows is the rest of the note and the page footer
    return lines


def _strip_contents(lines: list[Line]) -> list[Line]:
    """Drop a table of contents: from a 'Contents' line, the run of lines that end with a page number."""
    for i, line in enumerate(lines):
        if line.text.strip().lower() == "contents":
            rest = lines[i + 1 :]
            numbered = [bool(re.search(r"\s\d{1,3}$", r.text)) for r in rest]
            if rest and sum(numbered) >= 0.5 * len(rest):
                return lines[:i]
    return lines


def _strip_back_page(lines: list[Line]) -> list[Line]:
    """Drop Ofsted's standard back-page text (remit, licence, address): from its first line to the page end."""
    for i, line in enumerate(lines):
        if _BACK_PAGE.match(clean_inline(line.text)):
            return lines[:i]
    return lines


def _body_metrics(pages: list[list[Line]]) -> tuple[float, float]:
    """The commonest body font size and baseline step between consecutive body lines."""
    sizes = Counter(round(line.size) for lines in pages for line in lines if not line.bold)
    body = sizes.most_common(1)[0][0] if sizes else 12.0
    steps = [
        round(a.y - b.y, 1)
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if round(a.size) == body and round(b.size) == body and 0 < a.y - b.y < 3 * body
    ]
    # the lower quartile: in-paragraph steps outnumber paragraph gaps in a report, but not in a short letter
    step = (statistics.quantiles(steps, n=4)[0] if len(steps) >= 4 else min(steps)) if steps else body * 1.2
    return float(body), float(step)


def _is_heading(line: Line, body: float) -> bool:
    words = len(line.text.split())
    if words > 25 or _BULLET.match(line.text) or _NUMBERED.match(line.text) or _NOT_HEADING.match(line.text):
        return False
    if line.text.endswith(".") and not line.text.endswith("..."):
        return False
    if line.x > 250:  # Ofsted's headings sit at the left margin; bold text further right is a table's grade
        return False
    return line.bold or line.size >= body + 1.5


def blocks(path: Path, shown: str) -> tuple[list[Block], int]:
    """Paragraph blocks of a PDF in reading order, and its number of pages."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise InputError(shown, f"not a readable PDF ({exc})") from None
    try:
        buf = ctypes.create_string_buffer(256)
        pages: list[list[Line]] = []
        heights: list[float] = []
        for number in range(len(document)):
            page = document[number]
            heights.append(page.get_height())
            pages.append(_page_lines(page, number + 1, buf))
            page.close()
    finally:
        document.close()
    n_pages = len(pages)
    if n_pages == 0:
        raise InputError(shown, "the PDF has no pages")
    if not any(pages):
        raise InputError(
            shown,
            f"no text layer on any of its {n_pages} page(s) (page 1 has none): a scanned image needs OCR first",
        )
    pages = _strip_furniture(pages, heights)
    body, step = _body_metrics(pages)
    return _paragraphs(pages, body, step), n_pages


def _paragraphs(pages: list[list[Line]], body: float, step: float) -> list[Block]:
    """Group lines into paragraphs by vertical gaps, indents, bullets, numbering and font."""
    out: list[Block] = []
    current: list[Line] = []
    kind = TEXT

    def flush() -> None:
        nonlocal current, kind
        if current:
            text = join_lines([_BULLET.sub("", ln.text, count=1) if i == 0 and kind == ITEM else ln.text
                               for i, ln in enumerate(current)])  # fmt: skip
            text = unglue(text.replace("\u00ad", ""))
            if text:
                block = Block(kind, text, current[0].page)
                _record_pages(block, current)
                out.append(block)
        current, kind = [], TEXT

    prev: Line | None = None
    for lines in pages:
        for line in lines:
            line.text = _spaced_number(line.text)
            if line.after_number and line.size < line.after_number - 2 and line.after_number >= body - 1:
                # a superscript footnote mark that PDFium put at the start of the next line: "3 has been"
                line.text = re.sub(r"^\d+\s*", "", line.text)
                line.size = line.after_number
            heading = _is_heading(line, body)
            bullet = bool(_BULLET.match(line.text)) and len(line.text) > 2
            numbered = bool(_NUMBERED.match(line.text))
            new_page = prev is not None and line.page != prev.page
            if prev is None:
                start = True
            elif new_page:
                # a paragraph runs on over the page break when it plainly did not end there
                hanging = _same_hanging_indent(current, line)  # "... beyond" / "18. There are" is not paragraph 18
                start = (
                    heading
                    or bullet
                    or (numbered and not hanging)
                    or kind in (HEADING, TABLE)
                    or not (_runs_on(current_text(current), line.text) or hanging)
                )
            elif kind == HEADING and line.text[:1].islower() and 0 < prev.y - line.y < 2 * max(line.size, prev.size):
                # a heading wrapped onto a second line, bold or not: "... help and" / "protection: good"
                start = False
                heading = True
            elif kind == HEADING and heading:
                start = True
            else:
                gap = prev.y - line.y
                start = (
                    heading != (kind == HEADING)
                    or bullet
                    or (numbered and (gap > 1.3 * step or line.x < prev.x - 5))
                    or (gap > 1.3 * step and not (gap < 3 * step and _runs_on(prev.text, line.text)))
                    or gap < -2  # PDFium went back up the page: a table cell or a side column
                    or abs(line.size - prev.size) > 1.5
                )
                if not start and kind == ITEM and line.x < current[0].x - 2 and not bullet:
                    start = True  # back at the left margin after a bullet's hanging indent
            if start:
                flush()
                if heading:
                    kind = HEADING
                elif bullet:
                    kind = ITEM
                elif prev is not None and not new_page and (prev.y - line.y < -2 or _looks_tabular(line, body)):
                    kind = TABLE
                    if out and out[-1].page == line.page and out[-1].kind == TEXT and len(out[-1].text) < 120:
                        out[-1].kind = TABLE
                else:
                    kind = TEXT
            current.append(line)
            prev = line
    flush()
    return out


_OPEN_ENDED = re.compile(
    r"(?:[,;\-–(]|\b(?:the|a|an|of|and|or|to|in|for|with|by|on|at|from|that|which|who|is|are|was|were|be|been|"
    r"their|its|his|her|as|than|not|but|into|about|this|these|those|such|very|more|most|has|have|had))$",
    re.I,
)


def _runs_on(previous: str, line: str) -> bool:
    """True when the last line of a page and the first of the next are one paragraph."""
    previous = previous.rstrip()
    if not previous or ends_sentence(previous):
        return False
    if line[:1].islower() or line[:1] == "(" or (line[:1].isdigit() and not _NUMBERED.match(line)):
        return True
    return bool(_OPEN_ENDED.search(previous))


def _same_hanging_indent(current: list[Line], line: Line) -> bool:
    """A numbered paragraph cut by a page break goes on at its hanging indent, not at the number's margin."""
    # (even after a full stop: a new paragraph would start at the margin with its number)
    if len(current) < 2 or not _NUMBERED.match(current[0].text):
        return False
    return current[-1].x > current[0].x + 5 and abs(line.x - current[-1].x) < 2


def current_text(lines: list[Line]) -> str:
    """The text of the paragraph being built (last line is enough to see how it ends)."""
    return lines[-1].text if lines else ""


def _looks_tabular(line: Line, body: float) -> bool:
    return line.x > 300 and len(line.text) < 40


def _spaced_number(text: str) -> str:
    """ "10.Children" (PDFium lost the space after a paragraph number) reads as "10. Children"."""
    return re.sub(r"^(\d{1,3}\.)(?=[A-Z])", r"\1 ", text)


def _record_pages(block: Block, lines: list[Line]) -> None:
    """Note where in the block's text each later page begins (line texts are found in order)."""
    pos = 0
    page = lines[0].page
    for line in lines[1:]:
        if line.page != page:
            probe = clean_inline(line.text)[:20]
            found = block.text.find(probe, pos) if probe else -1
            if found >= 0:
                block.page_starts.append((found, line.page))
                pos = found
            page = line.page
