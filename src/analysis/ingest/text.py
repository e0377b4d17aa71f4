"""Text helpers for document ingestion: blocks, boilerplate, plain text, Markdown, HTML and sentence splitting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Kinds of block (= paragraph passage): headings carry no sentences of their own, they label what follows.
HEADING, TEXT, ITEM, TABLE = "heading", "text", "item", "table"


@dataclass
class Block:
    """One paragraph of a document in reading order; `page_starts` maps offsets in `text` to PDF pages."""

    kind: str
    text: str
    page: int | None = None
    page_starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) after the first


_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")


def clean_inline(text: str) -> str:
    """Collapse runs of spaces and drop zero-width and control characters."""
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return _WS.sub(" ", text).strip()


# Lines that are never content: page furniture, Ofsted's address block, contact details, copyright.
_FURNITURE_LINE = re.compile(
    r"""^(?:
        page\s+\d+(?:\s+of\s+\d+)?
      | \d+\s+of\s+\d+
      | ©\s*crown\s+copyright(?:\s+\d{4})?\.?
      | crown\s+copyright\s+\d{4}
      | (?:t|tel|telephone|f|fax|textphone|phone)\s*[:.]?\s*\+?[\d ()]{8,}
      | (?:e|email|e-mail)\s*[:.]?\s*\S+@\S+
      | \S+@\S+\.[a-z]{2,}
      | (?:w|web|website)\s*[:.]?\s*(?:https?://)?\S+\.\S+
      | (?:https?://|www\.)\S+
      | ofsted
      | piccadilly\s+gate,?(?:\s+store\s+street,?)?(?:\s+manchester,?)?(?:\s+m1\s+2wd)?
      | ofsted,?\s+piccadilly\s+gate.*
      | store\s+street | manchester | m1\s+2wd
      | aviation\s+house | 125\s+kingsway | wc2b\s+6se | agora | 6\s+cumberland\s+place | ng1\s+6hj
      | (?:ofsted\s+)?(?:reference|ref)\.?\s*(?:no\.?|number)?\s*:?\s*[\w/-]*\d[\w/-]*
      | no\.\s*\d{5,}
      | publication\s+date:?.*
      | published:\s.*\d{4}
      | published | advertisement | add\s+a\s+comment | comments | rating\s*\*? | recently\s+played
      | available\s+on\s+(?:the\s+app\s+store|google\s+play) | useful\s+links | how\s+to\s+listen
      | latest\s+podcasts | share\s+this(?:\s+(?:article|story|page))? | related\s+(?:articles|stories)
      | read\s+more | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top
    )$""",
    re.I | re.X,
)

# Paragraph openings of licence blurbs and Ofsted's back-page text: the whole paragraph is dropped.
_BOILERPLATE_PARAGRAPH = re.compile(
    r"""^(?:
        the\s+office\s+for\s+standards\s+in\s+education,\s+children.s\s+services\s+and\s+skills\s+\(ofsted\)\s+regulates
      | if\s+you\s+would\s+like\s+a\s+copy\s+of\s+this\s+document\s+in\s+a\s+different\s+format
      | you\s+may\s+reuse\s+this\s+information
      | to\s+view\s+this\s+licen[cs]e,?\s+visit
      | this\s+publication\s+is\s+available\s+at
      | interested\s+in\s+our\s+work\?
      | this\s+document\s+may\s+be\s+reproduced\s+in\s+whole\s+or\s+in\s+part
      | further\s+copies\s+of\s+this\s+report\s+are\s+obtainable
      | any\s+complaints\s+about\s+the\s+inspection\s+or\s+the\s+report\s+should\s+be\s+made
      | the\s+office\s+for\s+standards\s+in\s+education,\s+children.s\s+services\s+and\s+skills\s+\(ofsted\)\s+is
      | ofsted\s+has\s+published\s+this\s+report
      | write\s+to\s+the\s+information\s+policy\s+team
      | © crown copyright
    )""",
    re.I | re.X,
)


def is_furniture_line(line: str) -> bool:
    """True for a whole line that is page furniture or contact boilerplate rather than content."""
    return bool(_FURNITURE_LINE.match(line.strip()))


def is_boilerplate_paragraph(text: str) -> bool:
    """True for a paragraph that is a licence blurb or Ofsted's standard back-page text."""
    return bool(_BOILERPLATE_PARAGRAPH.match(text.strip()))


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines of one paragraph: a line-end hyphen joins without a space."""
    out = ""
    for raw in lines:
        line = clean_inline(raw)
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and not out.endswith(" -") and line[:1].isalnum():
            out += line  # "multi-" + "agency": Ofsted's reports hyphenate only compounds, so the hyphen stays
        else:
            out += " " + line
    return out


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends with terminal punctuation (possibly inside quotes or brackets)."""
    return bool(_TERMINAL.search(text.rstrip()))


def merge_broken(blocks: list[Block]) -> list[Block]:
    """Join a text paragraph cut in two (by a page break or a stray blank line) when it clearly continues."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == TEXT
            and block.kind == TEXT
            and not ends_sentence(prev.text)
            and block.text[:1].islower()
        ):
            sep = "" if prev.text.endswith("-") and not prev.text.endswith(" -") else " "
            offset = len(prev.text) + len(sep)
            prev.page_starts.extend(
                [(offset, block.page)] if block.page is not None and block.page != _last_page(prev) else []
            )
            prev.page_starts.extend((offset + o, p) for o, p in block.page_starts)
            prev.text = prev.text + sep + block.text
            continue
        out.append(block)
    return out


def _last_page(block: Block) -> int | None:
    return block.page_starts[-1][1] if block.page_starts else block.page


def drop_boilerplate(blocks: list[Block]) -> list[Block]:
    """Remove boilerplate paragraphs, furniture lines that survived as paragraphs and repeated captions."""
    kept: list[Block] = []
    for block in blocks:
        if not any(ch.isalnum() for ch in block.text):  # a rule drawn with underscores, a lone bullet
            continue
        if is_boilerplate_paragraph(block.text) or is_furniture_line(block.text):
            continue
        if kept and kept[-1].text == block.text and block.kind != TABLE:
            continue  # a web page's image caption given twice (alt text and caption)
        kept.append(block)
    return kept


# ---------------------------------------------------------------- plain text and Markdown

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*[-*+•◼▪●]\s+(.*)$")
_MD_ORDERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])")
_MD_CODE = re.compile(r"`([^`]*)`")
_MD_SIGNS = re.compile(r"^\s{0,3}#{1,6}\s|\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)|^\s*[-*+]\s+\S", re.M)


def looks_like_markdown(text: str) -> bool:
    """True when a text has Markdown headings, bold or links (a .txt may hold Markdown)."""
    return len(_MD_SIGNS.findall(text[:20000])) >= 2


def strip_markdown_inline(text: str) -> str:
    """Remove inline Markdown: links keep their text, emphasis and code marks go, escapes are undone."""
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_CODE.sub(lambda m: m.group(1), text)
    for _ in range(2):  # nested **_x_**
        text = _MD_EMPH.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1", text)


def text_blocks(text: str, markdown: bool) -> list[Block]:
    """Blocks of a plain-text or Markdown document: blank lines, headings and list items start paragraphs."""
    blocks: list[Block] = []
    lines: list[str] = []
    kind = TEXT
    prev_hard = False

    def flush() -> None:
        nonlocal lines, kind
        joined = join_lines(lines)
        if joined:
            blocks.append(Block(kind, joined))
        lines, kind = [], TEXT

    for raw in text.splitlines():
        hard_break = raw.endswith("  ") or raw.endswith("\\")
        line = raw.rstrip().rstrip("\\") if markdown else raw.rstrip()
        if not line.strip():
            flush()
            continue
        if markdown and _MD_RULE.match(line):
            flush()
            continue
        if markdown and line.lstrip().startswith("|"):
            flush()
            cells = [clean_inline(strip_markdown_inline(c)) for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):  # not the |---|---| rule
                blocks.append(Block(TABLE, " ".join(c for c in cells if c)))
            continue
        heading = _MD_HEADING.match(line) if markdown else None
        bullet = _MD_BULLET.match(line)
        if heading:
            flush()
            blocks.append(Block(HEADING, clean_inline(strip_markdown_inline(heading.group(2)))))
            continue
        if bullet:
            flush()
            kind = ITEM
            lines = [bullet.group(1)]
            continue
        content = strip_markdown_inline(line) if markdown else line
        if is_furniture_line(clean_inline(content)):
            flush()
            continue
        if lines and _starts_new_line_paragraph(lines[-1], content, hard_break_before=markdown and prev_hard):
            flush()
        if markdown and _MD_ORDERED.match(line) and lines:
            flush()
        lines.append(content)
        prev_hard = hard_break
    flush()
    return [b for b in blocks if b.text]


def _starts_new_line_paragraph(prev: str, line: str, hard_break_before: bool) -> bool:
    """Within a block without blank lines: a new line is a new paragraph unless it visibly continues the last."""
    prev, line = prev.rstrip(), line.strip()
    if hard_break_before:
        return True
    if line[:1].islower() or prev.endswith(("-", ",", ";")):
        return False
    if ends_sentence(prev) or prev.endswith(("”", '"')):
        return True
    # A long unterminated line wraps into the next; a short one (a name, an address line) stands alone.
    return len(prev) < 60


# ---------------------------------------------------------------- HTML

_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "caption", "figure", "figcaption", "address", "body", "html", "hr",
    "form", "fieldset", "details", "summary",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "nav", "noscript", "template", "svg", "head", "title", "aside", "footer", "iframe",
              "button", "select", "object", "canvas", "form"}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "param", "source", "track", "wbr"}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.kind = TEXT
        self.skip = 0
        self.stack: list[str] = []

    def flush(self) -> None:
        text = clean_inline("".join(self.parts))
        if text and not is_furniture_line(text):
            self.blocks.append(Block(self.kind, text))
        self.parts = []
        self.kind = TEXT

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in ("br", "hr") and not self.skip:
                self.flush()
            return
        self.stack.append(tag)
        if self.skip or tag in _SKIP_TAGS:
            self.skip += 1
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.flush()
            self.kind = HEADING
        elif tag == "li":
            self.flush()
            self.kind = ITEM
        elif tag == "tr":
            self.flush()
            self.kind = TABLE
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:  # close any unclosed children too (html.parser does not repair)
            top = self.stack.pop()
            if self.skip:
                self.skip -= 1
            elif top in _BLOCK_TAGS or top in ("li", "tr") or re.fullmatch(r"h[1-6]", top):
                self.flush()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_blocks(text: str) -> tuple[list[Block], str | None]:
    """Blocks of an HTML page's body (script, style and navigation dropped) and its <title>."""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    parser.flush()
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    return parser.blocks, clean_inline(title.group(1)) if title else None


def looks_like_html(text: str) -> bool:
    """True when a text is an HTML page (doctype, <html> or <body> near the start)."""
    head = text[:2048].lstrip().lower()
    return (
        head.startswith(("<!doctype html", "<html", "<?xml"))
        and "<html" in text[:4096].lower()
        or (head.startswith("<") and bool(re.search(r"<body[\s>]", text[:20000], re.I)))
    )


# ---------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "e.g", "eg", "i.e", "ie", "mr", "mrs", "ms", "dr", "prof", "cllr", "st", "vs", "cf", "approx", "incl",
    "esp", "fig", "para", "paras", "ref", "no", "nos", "vol", "ch", "sec", "dept", "govt", "hon", "rev", "jr",
    "sr", "co", "ltd", "plc", "inc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "a.m", "p.m", "cp", "al",
}  # fmt: skip
# A sentence ends at . ! ? (then closing quotes/brackets) before whitespace and a capital, digit or opening quote.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9£])")
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,2})?\.|\(?[a-z0-9]{1,3}\))(?:\s+|(?=[A-Z]))(?=\S)")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) inside text[start:end]; a leading paragraph number is left out."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    numbered = _NUMBERED.match(chunk)
    pos = numbered.end() if numbered else 0
    cuts: list[int] = []
    for m in _END.finditer(chunk, pos):
        word = re.search(r"(\S+)$", chunk[pos : m.start() + 1])
        token = word.group(1) if word else ""
        bare = token.rstrip(".!?\"'”’)]").lstrip("(\"'“‘[").lower()
        if chunk[m.start()] == "." and m.group(0).startswith(".") and len(m.group(0).rstrip("\"'”’)]")) == 1:
            if bare in _ABBREVIATIONS and (bare != "no" or _next_is_digit(chunk, m)):
                continue
            if re.fullmatch(r"[a-z]", bare) and token[:1].isupper():  # an initial: "J. Smith"
                continue
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # "U.K." style abbreviations
                continue
        cuts.append(m.end())
    spans: list[tuple[int, int]] = []
    begin = pos
    for cut in [*cuts, len(chunk)]:
        s, e = begin, cut
        while s < e and chunk[s].isspace():
            s += 1
        while e > s and chunk[e - 1].isspace():
            e -= 1
        if any(ch.isalnum() for ch in chunk[s:e]):
            spans.append((start + s, start + e))
        begin = cut
    return spans


# SIF reports (2013-17) end a sentence that a recommendation answers with "(Recommendation)": a label of its own,
# sometimes with the next sentence run on after it when the full stop is missing.
_LABEL_IN_SENTENCE = re.compile(r"\(\s*recommendations?\s*\.?\s*\)\.?", re.I)


def label_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with each "(Recommendation)" cut out into a span of its own (a label, never coded)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        pos = start
        for label in _LABEL_IN_SENTENCE.finditer(text, start, end):
            before = text[pos : label.start()].rstrip()
            if any(ch.isalnum() for ch in before):
                out.append((pos, pos + len(before)))
            out.append(label.span())
            pos = label.end()
            while pos < end and text[pos].isspace():
                pos += 1
        if pos < end and any(ch.isalnum() for ch in text[pos:end]):
            out.append((pos, end))
    return out


def _next_is_digit(chunk: str, m: re.Match) -> bool:
    rest = chunk[m.end() :].lstrip()
    return rest[:1].isdigit()


# ---------------------------------------------------------------- noise: passages kept but never coded

# Names of judgement areas and grades, as Ofsted's grade tables print them (SIF 2013-17, ILACS 2018 on).
_AREA = (
    r"overall effectiveness|judgement|grade"
    r"|(?:the )?experiences and progress of (?:children|care leavers|young people)"
    r"(?: (?:who need help and protection|in care|looked after|care leavers|and care leavers|and achieving permanence"
    r"|in care and care leavers|and young people))*"
    r"|children who need help and protection|children looked after(?: and achieving(?: permanence)?)?"
    r"|adoption performance|(?:the )?experiences and progress of care leavers"
    r"|leadership,? management and governance|the effectiveness of the local safeguarding children board"
    r"|(?:the )?impact of leaders on (?:social work )?practice with children and families"
)
_GRADE = r"outstanding|good|requires? improvement(?: to be good)?|inadequate|adequate|not judged"
_GRADE_TABLE_TOKEN = re.compile(rf"\b(?:{_AREA}|{_GRADE})\b|\b\d\.\d\b|[:.,;()\-–]", re.I)
_LABEL = re.compile(
    r"^\(\s*(?:recommendations?|outcome|enabler|paragraphs?)\b[^()]*\)[.]?$|^\(recommendation\.?\)\.?$", re.I
)
_METADATA = re.compile(
    r"^(?:(?:deputy |shadow |team |additional |supernumerary |senior |lead )*(?:lead )?"
    r"(?:inspectors?|data analysts?|analytical officers?|quality assurance managers?)"
    r"|inspection dates?|report published|age group|date of (?:the )?(?:visit|inspection)s?)\s*:",
    re.I,
)
NOISE_KINDS = ("table", "grade_table", "label", "metadata")


def noise_kind(text: str, block_kind: str) -> str | None:
    """Why a sentence is kept out of coding (a table cell, a grade line, a label, inspection metadata), or None."""
    stripped = text.strip()
    if block_kind == TABLE:
        return "table"
    if _LABEL.match(stripped):
        return "label"
    if _METADATA.match(stripped):
        return "metadata"
    if len(stripped) < 200 and not _GRADE_TABLE_TOKEN.sub(" ", stripped).strip():
        return "grade_table"
    return None


# Running glue from PDF line joins: "throughPathways", "areaOne", "services.There".
_GLUED_WORDS = re.compile(r"\b([a-z]{3,})([A-Z][a-z]{2,})\b")
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")


def unglue(text: str) -> str:
    """Put back the space PDF extraction lost between two words or after a full stop."""
    return _GLUED_SENTENCE.sub(" ", _GLUED_WORDS.sub(r"\1 \2", text))
