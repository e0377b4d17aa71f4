"""What an Ofsted report or letter says of itself, read from its clean text: type, dates, inspectors, judgements.

Pure functions over a document's text and its paragraph spans (analysis.ingest.documents.extract/split): no files,
no database. `read(text, paragraphs)` returns a `ReportFacts`; every judgement keeps the words it was read from
(`grade_text`) and where (`start`, the offset in `text`, which `paragraph_at` turns into a passage). Layouts:

- pre-SIF (2012-13 safeguarding / looked-after children inspections): "Overall effectiveness ... Grade 4 (Inadequate)".
- SIF (Nov 2013 - 2018): a headline ("Children's services in X are inadequate", "The overall judgement is ...")
  over a numbered list (1. help and protection, 2. looked after and achieving permanence, 2.1 adoption,
  2.2 care leavers, 3. leadership, management and governance); the LSCB review's judgement where the report has one.
- ILACS (2018 on): a "Judgement Grade" table; children in care and care leavers are one judgement until January
  2023 and two after; reports of the 2026 framework have no overall effectiveness row.
- Monitoring, focused and assurance visit letters (no grades): "This letter summarises the findings of the
  focused visit to X on 21 and 22 October 2025".

Nothing is guessed: what the text does not say stays None, and `notes` say what was not found or was inferred.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

PARSER_VERSION = "1.0"
GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
    "adequate": "adequate",
}
# A visit shorter than this many days between first and last day of fieldwork is an ILACS short inspection (one
# week on site; a standard inspection is two).
SHORT_INSPECTION_MAX_DAYS = 7
ILACS_FROM = dt.date(2018, 1, 1)
NO_OVERALL_FROM = dt.date(2026, 1, 1)  # reports of the 2026 framework grade the four areas only
_TABLE_LINE_MAX = 200  # grade-table lines are short; the first longer paragraph ends the table
# Headings that follow the grade table: the table ends there even when the next paragraphs are short.
_TABLE_END = re.compile(
    r"(?:Executive\s+summary|Contents|What\s+needs\s+to\s+improve|Summary\b|Section\s+\d|Information\s+about"
    r"|Previous\s+Ofsted|Areas\s+for\s+(?:priority\s+action|improvement)|Recommendations)",
    re.I,
)

_A = r"['’]"  # straight or curly apostrophe
_GRADE = r"(?P<grade>outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate|adequate)\b"
_GRADE_RE = re.compile(_GRADE, re.I)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"),
        start=1,
    )
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = rf"{_DAY}\s+{_MONTH}\s+\d{{4}}"
_SEP = r"\s*(?:to|–|—|-|and|until)\s*"
# 11 January to 8 February 2016 | 2 June 2014 – 25 June 2014 | 23 June – 16 July 2015 | 15-19 July 2013
_RANGE = re.compile(
    rf"(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>\d{{4}}))?{_SEP}(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})"
    rf"|(?P<d0>{_DAY})\s+(?P<m0>{_MONTH})\s+(?P<y0>\d{{4}})",
    re.I,
)

# ---------------------------------------------------------------------------------------------- judgement labels
# (area, pattern of the label as the grade table prints it); the grade is the first grade word after the label.
SIF_LABELS = [
    ("adoption", r"(?:2\.1\s*)?Adoption\s+performance"),
    ("care_leavers", r"(?:2\.2\s*)?(?:The\s+)?experiences?\s+and\s+progress\s+of\s+care\s+leavers"),
    ("help_and_protection", r"(?:1\.\s*)?Children\s+who\s+need\s+help\s+and\s+protection"),
    ("children_in_care", r"(?:2\.\s*)?Children\s+looked\s+after\s+and\s+achieving\s+permanence"),
    ("leaders", r"(?:\d\.\s*)?Leadership,?\s+management\s+and\s+governance"),
]
ILACS_LABELS = [
    ("leaders", r"The\s+impact\s+of\s+leaders\s+on\s+(?:social\s+work\s+)?practice\s+with\s+children\s+and\s+families"),
    (
        "help_and_protection",
        r"The\s+experiences\s+and\s+progress\s+of\s+children\s+who\s+need\s+help\s+and\s+protection",
    ),
    ("children_in_care", r"The\s+experiences\s+and\s+progress\s+of\s+children\s+in\s+care(?:\s+and\s+care\s+leavers)?"),
    (
        "care_leavers",
        r"The\s+experiences\s+and\s+progress\s+of\s+(?:children\s+)?care\s+leavers",
    ),  # 2025 on: "children care leavers"
    ("overall_effectiveness", r"Overall\s+effectiveness"),
]
# Headings of the report's sections repeat each judgement ("Leadership, management and governance Inadequate").
SIF_HEADINGS = [
    (
        "help_and_protection",
        r"The\s+experiences\s+and\s+progress\s+of\s+children\s+who\s+need\s+help\s+and\s+protection",
    ),
    (
        "children_in_care",
        r"The\s+experiences\s+and\s+progress\s+of\s+children\s+looked\s+after\s+and\s+achieving\s+permanence",
    ),
    ("adoption", r"The\s+graded\s+judge?ment\s+(?:for|about)\s+adoption\s+performance"),
    (
        "care_leavers",
        r"The\s+graded\s+judge?ment\s+(?:for|about)\s+the\s+experiences?\s+and\s+progress\s+of\s+care\s+leavers"
        r"|The\s+graded\s+judge?ment\s+(?:for|about)\s+experiences?\s+and\s+progress\s+of\s+care\s+leavers",
    ),
    ("leaders", r"Leadership,?\s+management\s+and\s+governance"),
]
ILACS_HEADINGS = [(area, label) for area, label in ILACS_LABELS if area != "overall_effectiveness"]
_LSCB = re.compile(
    r"(?:The\s+)?(?:judgement\s+for\s+the\s+)?(?:effectiveness\s+of\s+the\s+)?"
    r"(?:Local\s+Safeguarding\s+Children\s+Board(?:\s*\(LSCB\))?|LSCB)\s+(?:is\s+|are\s+)?(?:judged\s+to\s+be\s+)?"
    + _GRADE,
    re.I,
)
_SIF_OVERALL = re.compile(
    rf"(?:The\s+overall\s+judgement\s+is\s+(?:that\s+)?(?:(?:the\s+)?children{_A}s\s+services\s+(?:are\s+|is\s+)?)?"
    rf"|Children{_A}s\s+services\s+in\s+[^\n]{{1,150}}?\s+(?:(?:are|is)\s+)?)" + _GRADE,
    re.I,
)
_PRE_SIF_OVERALL = re.compile(
    r"Overall\s+effectiveness\s+of\s+(?:the\s+)?(?P<what>services\s+for\s+(?:looked\s+after|children\s+looked\s+after)"
    r"[^\n]{0,60}?|safeguarding[^\n]{0,60}?)\s+Grade\s+\d\s*\(\s*" + _GRADE,
    re.I,
)
_PRE_SIF_CAPACITY = re.compile(r"Capacity\s+to\s+improve\s+Grade\s+\d\s*\(\s*" + _GRADE, re.I)

# ---------------------------------------------------------------------------------------------- what the text is
_ILACS_TITLE = re.compile(
    r"Inspection\s+of\s+(?:children{_A}s\s+social\s+care\s+services|[^\n]{0,120}?local\s+authority\s+children{_A}s\s+"
    r"services)".replace("{_A}", _A),
    re.I,
)
_SIF_TITLE = re.compile(
    r"(?:Re-?inspection|Inspection)\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+protection"
    r"|Review\s+of\s+the\s+effectiveness\s+of\s+the\s+Local\s+Safeguarding\s+Children\s+Board",
    re.I,
)
_PRE_SIF_TITLE = re.compile(
    r"Inspection\s+of\s+(?:safeguarding\s+and\s+)?looked\s+after\s+children(?:{_A}s)?\s+services"
    r"|Inspection\s+of\s+safeguarding\s+(?:and\s+looked\s+after\s+children\s+)?services"
    r"|Inspection\s+of\s+local\s+authority\s+arrangements\s+for\s+the\s+protection\s+of\s+children".replace("{_A}", _A),
    re.I,
)
_TITLE_START = re.compile(r"(?:Re-?inspection|Inspection|Review)\s+of\b", re.I)
_LSCB_ONLY_TITLE = re.compile(r"^\s*(?:[^\n]*\n\n)?Review\s+of\s+the\s+effectiveness\s+of\s+the\s+Local", re.I)
_LETTER_OPENING = re.compile(
    r"(?:this\s+letter\s+summarises\s+the\s+findings\s+of\s+(?:the|a|an)\s+(?:\w+\s+)?|^\s*)"
    r"(?P<what>monitoring\s+visit|focused\s+(?:assurance\s+)?visit|assurance\s+visit)\s+(?:to|of)\b",
    re.I | re.M,
)
_ILACS_FRAMEWORK = re.compile(
    r"inspection\s+of\s+local\s+authority\s+children{_A}s\s+services\s+\(ILACS\)|\bILACS\b".replace("{_A}", _A), re.I
)
_JUDGED_INADEQUATE = re.compile(
    rf"judged\s+(?:to\s+be\s+)?inadequate\s+in\s+(?P<when>(?:{_MONTH}\s+)?(?P<year>\d{{4}}))", re.I
)
_SIF_FRAMEWORK = re.compile(r"single\s+inspection\s+framework|\bSIF\b", re.I)

# ---------------------------------------------------------------------------------------------- dates, people
_INSPECTION_DATES = re.compile(r"Inspection\s+dates?\s*:?\s*", re.I)
_PUBLISHED = re.compile(rf"Report\s+published\s*:?\s*(?P<date>{_DATE})", re.I)
_VISIT_DATES = re.compile(r"\bvisit\b[^.\n]{0,200}?\b(?:on|between|from)\s+", re.I)
_DATE_LINE = re.compile(rf"^\s*(?P<date>{_DATE})\s*$", re.I | re.M)
_ROLE_LINE = re.compile(
    r"(?:^|(?<=\s))(?:(?P<role>Lead\s+inspector|Deputy\s+lead\s+inspector|Team\s+inspectors?|Shadow\s+inspectors?"
    r"|Additional\s+inspectors?|Supernumerary\s+inspectors?)\s*:|(?P<reporting>Reporting\s+inspector)\s*:?)\s*"
    r"(?P<names>[^\n]+?)(?=\s+(?:Lead|Deputy|Team|Shadow|Senior|Quality|Additional|Supernumerary|Report|Age)\b"
    r"[^\n:]{0,40}:|\s*$)",
    re.I | re.M,
)
_ROLE_TAG = {
    "lead inspector": " (lead)",
    "reporting inspector": " (lead)",
    "deputy lead inspector": " (deputy lead)",
    "shadow inspector": " (shadow)",
    "shadow inspectors": " (shadow)",
}
_LETTER_INSPECTORS = re.compile(
    rf"(?:H[ie][sr]\s+Majesty{_A}s\s+Inspectors?|inspectors?)\s+(?:for\s+this\s+visit\s+)?(?:were|was|is|are)\s+"
    r"(?P<names>[^.\n]+)",
    re.I,
)
_SIGNATURE = re.compile(r"Yours\s+sincerely\s+(?P<name>[^\n]+)", re.I)
_FOCUS = re.compile(
    rf"Inspectors\s+looked\s+at\s+(?:the\s+local\s+authority{_A}s\s+arrangements\s+for\s+)?(?P<focus>[^\n]+?)\.(?:\s|$)",
    re.I,
)
_TITLES = re.compile(
    r",?\s*(?:\([^()]*\)|(?:Senior\s+)?H[ie][sr]\s+Majesty{_A}s\s+Inspectors?|Senior\s+HMI|HMI\s+designate\)?"
    r"|Designated\s+HMI|S?HMIs?|SCRI|OI|AI|(?:additional|associate|regulatory|seconded)\s+inspectors?)\.?\s*$".replace(
        "{_A}", _A
    ),
    re.I,
)


@dataclass
class Judgement:
    """One judgement as printed: its area, the grade (None when the words are not a grade), and where it was read."""

    judgement_area: str
    grade: str | None
    grade_text: str
    start: int


@dataclass
class ReportFacts:
    """What a document says of itself; None means the text does not say (see `notes`)."""

    kind: str | None = None  # inspection_report, monitoring_visit_letter, focused_visit_letter
    framework: str | None = None
    visit_type: str | None = None
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    published_date: dt.date | None = None
    lead_inspector: str | None = None
    inspectors: list[str] = field(default_factory=list)  # "Name (lead)", "Name (deputy lead)", "Name", ...
    judgements: list[Judgement] = field(default_factory=list)
    title: str | None = None
    focus: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        """The notes as one sentence list, or None."""
        return "; ".join(self.notes) or None

    def grade(self, area: str) -> str | None:
        """The grade read for a judgement area (None when not read)."""
        return next((j.grade for j in self.judgements if j.judgement_area == area), None)


def grade_of(text: str) -> str | None:
    """A printed grade ('Requires improvement to be good', 'Require Improvement') as a grade id, or None."""
    match = _GRADE_RE.fullmatch(" ".join(text.split()).rstrip("."))
    if match is None:
        return None
    words = " ".join(match.group("grade").lower().split())
    if words.startswith("require"):
        return "requires_improvement"
    return GRADES.get(words)


def _month(word: str) -> int:
    word = word.lower().rstrip(".")
    return next(number for name, number in _MONTHS.items() if name.startswith(word[:3]))


def parse_date(text: str) -> dt.date | None:
    """'5 April 2016' or '21st October 2025' as a date (None when it is not one or does not exist)."""
    match = re.fullmatch(rf"\s*(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s+(\d{{4}})\s*", text, re.I)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(3)), _month(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def parse_range(text: str, pos: int = 0) -> tuple[dt.date | None, dt.date | None, int] | None:
    """The first date or date range at `pos` ('11 January to 8 February 2016', '21 and 22 October 2025'), with
    the offset where it ends; None when `text` has no date there."""
    match = _RANGE.match(text, pos)
    if match is None:
        return None
    if match.group("d0"):
        day = parse_date(f"{match.group('d0')} {match.group('m0')} {match.group('y0')}")
        return day, day, match.end()
    end = parse_date(f"{match.group('d2')} {match.group('m2')} {match.group('y2')}")
    start = parse_date(
        f"{match.group('d1')} {match.group('m1') or match.group('m2')} {match.group('y1') or match.group('y2')}"
    )
    if start is not None and end is not None and start > end and not match.group("y1"):
        start = start.replace(year=start.year - 1)  # "30 December to 3 January 2020" spans the new year
    return start, end, match.end()


def paragraph_at(paragraphs: Sequence[tuple[int, int]], offset: int) -> int | None:
    """The index of the paragraph that holds character `offset` (None when it falls between paragraphs)."""
    starts = [start for start, _ in paragraphs]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and paragraphs[index][0] <= offset < max(paragraphs[index][1], paragraphs[index][0] + 1):
        return index
    return None


def clean_name(name: str) -> str:
    """An inspector's name without titles ('Neil Penswick HMI', 'X, His Majesty's Inspector', 'Y (associate
    inspector)') and with PDF line-break gaps closed ('Thomson- Jones')."""
    name = re.sub(r"-\s+", "-", " ".join(name.split()))
    previous = None
    while previous != name:
        previous, name = name, _TITLES.sub("", name).strip(" ,.;")
    return name


def split_names(names: str) -> list[str]:
    """'A, B and C' / 'A; B' / 'A/B' / 'A. B' as names."""
    parts = re.split(r"\s*(?:[,;/]|\.\s+|\band\b)\s*|(?<=\))\s+", names)
    return [name for name in (clean_name(p) for p in parts) if re.search(r"[A-Za-z]{2}", name)]


# ---------------------------------------------------------------------------------------------- the reader


def _spans(text: str, paragraphs: Sequence[Sequence] | None) -> list[tuple[int, int]]:
    if paragraphs:
        return [(int(p[0]), int(p[1])) for p in paragraphs]
    spans, pos = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            lead = len(block) - len(block.lstrip())
            spans.append((pos + lead, pos + len(block.rstrip())))
        pos += len(block) + 2
    return spans


def _table(text: str, spans: list[tuple[int, int]], labels: list[tuple[str, str]], first: int) -> list[Judgement]:
    """Label-then-grade pairs of a grade table: the run of short paragraphs from paragraph `first`."""
    end_index = first + 1
    while (
        end_index < len(spans)
        and spans[end_index][1] - spans[end_index][0] <= _TABLE_LINE_MAX
        and not _TABLE_END.match(text, spans[end_index][0])
    ):
        end_index += 1
    region_start, region_end = spans[first][0], spans[end_index - 1][1]
    found: list[tuple[int, int, str]] = []  # (label start, label end, area)
    taken: list[tuple[int, int]] = []
    for area, label in labels:
        for match in re.finditer(label, text[region_start:region_end], re.I):
            start, end = region_start + match.start(), region_start + match.end()
            if any(s <= start < e or s < end <= e for s, e in taken):
                continue  # part of a longer label already found ("... children in care and care leavers")
            found.append((start, end, area))
            taken.append((start, end))
            break
    found.sort()
    out: list[Judgement] = []
    for i, (_, label_end, area) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else region_end
        match = _GRADE_RE.search(text, label_end, stop)
        if match is None or text[label_end : match.start()].strip(" :.\n") != "":
            continue
        out.append(
            Judgement(area, grade_of(match.group("grade")), " ".join(match.group("grade").split()), match.start())
        )
    return out


def _headings(
    text: str, spans: list[tuple[int, int]], labels: list[tuple[str, str]], heading_starts: set[int]
) -> dict[str, Judgement]:
    """Judgements restated by section headings ('Leadership, management and governance Inadequate')."""
    out: dict[str, Judgement] = {}
    for area, label in labels:
        pattern = re.compile(
            rf"(?:{label})\s*[:.]?\s*(?:(?:is|are)\s+)?(?:that\s+(?:it|they)\s+(?:is\s+|are\s+)?)?(?:judged\s+to\s+be\s+)?"
            + _GRADE
            + r"\.?\s*$",
            re.I | re.M,
        )
        for start in sorted(heading_starts):
            match = pattern.match(text, start)
            if match and area not in out:
                grade = match.group("grade")
                out[area] = Judgement(area, grade_of(grade), " ".join(grade.split()), match.start("grade"))
    return out


def _framework(text: str, front: str) -> str | None:
    if _ILACS_TITLE.search(front) or re.search(ILACS_LABELS[0][1], front, re.I):
        return "ilacs"
    if _SIF_TITLE.search(front) or re.search(
        SIF_LABELS[2][1] + r"[\s\S]{0,300}?Leadership,?\s+management", front, re.I
    ):
        return "sif"
    if _PRE_SIF_TITLE.search(front) or re.search(r"Grade\s+[1-4]\s*\((?:outstanding|good|adequate|inadequate)\)", text):
        return "pre_sif"
    return None


def _letter_kind(front: str) -> str | None:
    match = _LETTER_OPENING.search(front)
    if match is None:
        return None
    what = " ".join(match.group("what").lower().split())
    return (
        "monitoring_visit"
        if what.startswith("monitoring")
        else ("assurance_visit" if what.startswith("assurance") or "assurance" in what else "focused_visit")
    )


def _dates(text: str, facts: ReportFacts, front_end: int, is_letter: bool) -> None:
    label = _INSPECTION_DATES.search(text, 0, front_end)
    found = parse_range(text, label.end()) if label else None
    if found is None and is_letter:
        for opening in _VISIT_DATES.finditer(text, 0, front_end):
            found = parse_range(text, opening.end())
            if found:
                break
    if found is None:
        facts.notes.append("inspection dates not found")
        return
    facts.inspection_start, facts.inspection_end = found[0], found[1]
    if None in found[:2]:
        facts.notes.append("inspection dates printed but not a calendar date")


def _published(text: str, facts: ReportFacts, front_end: int, is_letter: bool) -> None:
    match = _PUBLISHED.search(text, 0, front_end)
    if match:
        facts.published_date = parse_date(match.group("date"))
        return
    if is_letter:
        dear = re.search(r"^\s*Dear\b", text, re.I | re.M)
        line = _DATE_LINE.search(text, 0, dear.start() if dear else front_end)
        if line:
            facts.published_date = parse_date(line.group("date"))
            facts.notes.append("published date: the letter's date")
            return
    facts.notes.append("publication date not printed")


def _people(text: str, facts: ReportFacts, front_end: int, is_letter: bool) -> None:
    people: list[str] = []
    lead = None
    for match in _ROLE_LINE.finditer(text):
        role = " ".join((match.group("role") or match.group("reporting")).lower().split())
        tag = _ROLE_TAG.get(role, "")
        for name in split_names(match.group("names")):
            if tag == " (lead)":
                if lead is not None:
                    continue
                lead = name
            entry = f"{name}{tag}"
            if name not in {p.split(" (")[0] for p in people}:
                people.append(entry)
    if is_letter and not people:
        listed = _LETTER_INSPECTORS.search(text, 0, front_end)
        people = split_names(listed.group("names")) if listed else []
        signed = _SIGNATURE.search(text)
        lead = clean_name(signed.group("name")) if signed else None
        if lead:
            facts.notes.append("lead inspector: the letter's signatory")
            if lead not in people:
                people.append(lead)
    facts.lead_inspector = lead
    # the lead first, as Ofsted lists the team
    facts.inspectors = sorted(people, key=lambda p: not p.endswith(" (lead)")) if lead else people
    if lead is None:
        facts.notes.append("lead inspector not named")


def _visit_type(facts: ReportFacts) -> None:
    if facts.framework == "pre_sif":
        facts.visit_type = "pre_sif_inspection"
    elif facts.framework == "sif":
        facts.visit_type = "sif_inspection"
    elif facts.framework == "ilacs":
        if facts.inspection_start is None or facts.inspection_end is None:
            facts.notes.append("standard or short inspection not known: no inspection dates")
            return
        days = (facts.inspection_end - facts.inspection_start).days
        facts.visit_type = "ilacs_short" if days < SHORT_INSPECTION_MAX_DAYS else "ilacs_standard"
        facts.notes.append(f"{facts.visit_type.split('_')[1]} inspection: {days + 1} days of fieldwork")


def _sif_judgements(text: str, spans: list[tuple[int, int]], heading_starts: set[int], facts: ReportFacts) -> None:
    first = next((i for i, (s, e) in enumerate(spans) if re.match(SIF_LABELS[2][1], text[s:e], re.I)), None)
    table = _table(text, spans, SIF_LABELS, first) if first is not None else []
    front_end = spans[first][0] if first is not None else (spans[min(len(spans), 12) - 1][1] if spans else 0)
    overall = None
    for start, _end in spans:
        if start > front_end:
            break
        overall = _SIF_OVERALL.match(text, start)
        if overall:
            break
    if overall:
        grade = overall.group("grade")
        table.insert(
            0, Judgement("overall_effectiveness", grade_of(grade), " ".join(grade.split()), overall.start("grade"))
        )
    body = _headings(text, spans, SIF_HEADINGS, heading_starts)
    _merge(facts, table, body)
    for start, _end in spans:
        lscb = _LSCB.match(text, start)
        if lscb and (start in heading_starts or _end - start <= _TABLE_LINE_MAX):
            grade = lscb.group("grade")
            facts.judgements.append(Judgement("lscb", grade_of(grade), " ".join(grade.split()), lscb.start("grade")))
            break


def _ilacs_judgements(text: str, spans: list[tuple[int, int]], heading_starts: set[int], facts: ReportFacts) -> None:
    first = next(
        (i for i, (s, e) in enumerate(spans) if re.match(r"Judgement\s+Grade|" + ILACS_LABELS[0][1], text[s:e], re.I)),
        None,
    )
    table = _table(text, spans, ILACS_LABELS, first) if first is not None else []
    body = _headings(text, spans, ILACS_HEADINGS, heading_starts)
    _merge(facts, table, body)
    areas = {j.judgement_area for j in facts.judgements}
    if "overall_effectiveness" not in areas:
        if (
            facts.inspection_start
            and facts.inspection_start >= NO_OVERALL_FROM
            and {"children_in_care", "care_leavers"} <= areas
        ):
            facts.notes.append("2026 framework: no overall effectiveness grade")
        else:
            facts.notes.append("overall effectiveness not read")


def _pre_sif_judgements(text: str, facts: ReportFacts) -> None:
    match = _PRE_SIF_OVERALL.search(text)
    if match:
        area = "safeguarding" if match.group("what").lower().startswith("safeguarding") else "looked_after_children"
        grade = match.group("grade")
        facts.judgements.append(Judgement(area, grade_of(grade), " ".join(grade.split()), match.start("grade")))
    capacity = _PRE_SIF_CAPACITY.search(text)
    if capacity:
        facts.notes.append(f"capacity to improve {grade_of(capacity.group('grade'))} (not a judgement area here)")


def _merge(facts: ReportFacts, table: list[Judgement], body: dict[str, Judgement]) -> None:
    """The grade table's judgements; a section heading fills an area the table lacks and a conflict is noted."""
    seen = set()
    for judgement in table:
        if judgement.judgement_area in seen:
            continue
        seen.add(judgement.judgement_area)
        facts.judgements.append(judgement)
        other = body.get(judgement.judgement_area)
        if other is not None and other.grade != judgement.grade:
            facts.notes.append(
                f"{judgement.judgement_area}: the grade table says {judgement.grade_text!r}, "
                f"its section heading {other.grade_text!r}"
            )
    for area, judgement in body.items():
        if area not in seen:
            facts.judgements.append(judgement)
            facts.notes.append(f"{area} read from its section heading (not found in the grade table)")


def _title(text: str, spans: list[tuple[int, int]], heading_starts: set[int]) -> str | None:
    """The report's title: the headings from the first 'Inspection of ...' until one ends the title ('... services',
    '... Board'), as PDFs break it over lines; else the first heading."""
    first = next((i for i, (s, _) in enumerate(spans) if s in heading_starts and _TITLE_START.match(text, s)), None)
    if first is None:
        heading = next((text[s:e] for s, e in spans if s in heading_starts), None)
        return " ".join(heading.split()) if heading else None
    parts = [text[slice(*spans[first])]]
    for start, end in spans[first + 1 : first + 4]:
        finished = re.search(r"\b(?:services|board|leavers|trust)\s*$", parts[-1], re.I)
        if start not in heading_starts or finished:
            break
        parts.append(text[start:end])
    return " ".join(" ".join(parts).split())


def read(text: str, paragraphs: Sequence[Sequence] | None = None, headings: Sequence[int] | None = None) -> ReportFacts:
    """The facts a report or letter states about itself. `paragraphs` are (char_start, char_end[, ...]) spans of
    its paragraphs (default: blank-line separated blocks); `headings` the indexes of heading paragraphs."""
    spans = _spans(text, paragraphs)
    heading_starts = {spans[i][0] for i in (headings or []) if i < len(spans)}
    if headings is None:
        heading_starts = {s for s, e in spans if e - s <= _TABLE_LINE_MAX}
    facts = ReportFacts()
    front_end = spans[min(len(spans), 25) - 1][1] if spans else 0
    front = text[:front_end]
    facts.title = _title(text, spans, heading_starts)
    letter = _letter_kind(text[: spans[min(len(spans), 12) - 1][1]] if spans else "")
    framework = _framework(text, front)
    if letter and not (framework and re.search(r"Judgement\s+Grade|Overall\s+judgement", front, re.I)):
        facts.kind = "monitoring_visit_letter" if letter == "monitoring_visit" else "focused_visit_letter"
        facts.visit_type = letter
        if _ILACS_FRAMEWORK.search(front):
            facts.framework = "ilacs"
        elif _SIF_FRAMEWORK.search(front):
            facts.framework = "sif"
        heading = next((text[s:e] for s, e in spans if e - s <= 150 and _LETTER_OPENING.match(text[s:e])), None)
        facts.title = " ".join(heading.split()) if heading else facts.title
        focus = _FOCUS.search(text, 0, front_end)
        facts.focus = focus.group("focus").strip() if focus else None
    elif framework is not None:
        facts.kind = "inspection_report"
        facts.framework = framework
    else:
        facts.notes.append("not recognised as an Ofsted inspection report or visit letter")
        return facts
    is_letter = facts.kind != "inspection_report"
    _dates(text, facts, front_end, is_letter)
    _published(text, facts, front_end, is_letter)
    _people(text, facts, front_end, is_letter)
    if is_letter:
        day = facts.inspection_start or facts.published_date
        judged = _JUDGED_INADEQUATE.search(text, 0, front_end) if facts.visit_type == "monitoring_visit" else None
        if judged and int(judged.group("year")) < ILACS_FROM.year:
            # the suite's rule (data/seeds/README.md): monitoring visits after a SIF judgement stay `sif`
            facts.framework = "sif"
            facts.notes.append(f"monitoring visit after the judgement of {judged.group('when')}: sif")
        elif facts.framework is None and day is not None:
            # a visit letter that does not name its framework: ILACS visits began in January 2018
            facts.framework = "ilacs" if day >= ILACS_FROM else "sif"
            facts.notes.append(f"framework not stated: {facts.framework} by the visit's date")
        elif facts.framework is None:
            facts.notes.append("framework not stated")
        return facts
    _visit_type(facts)
    if facts.framework == "sif":
        if _LSCB_ONLY_TITLE.match(text) and not re.search(SIF_LABELS[2][1], front, re.I):
            facts.notes.append("review of the LSCB only")
        _sif_judgements(text, spans, heading_starts, facts)
    elif facts.framework == "ilacs":
        _ilacs_judgements(text, spans, heading_starts, facts)
    else:
        _pre_sif_judgements(text, facts)
    for judgement in facts.judgements:
        if judgement.grade is None:
            facts.notes.append(f"{judgement.judgement_area}: {judgement.grade_text!r} is not a grade")
    return facts
