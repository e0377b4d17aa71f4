"""Sentence and paragraph splitting of extracted documents (pure functions on small inline texts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.ingest.documents import extract, read_document, split
from analysis.ingest.text import sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Leaders act quickly, e.g. when risk rises. Plans improve.",
            ["Leaders act quickly, e.g. when risk rises.", "Plans improve."],
        ),
        (
            "Some services, i.e. Early Help, improved. Others did not.",
            ["Some services, i.e. Early Help, improved.", "Others did not."],
        ),
        ("Mr Jones met Ms Smith and Dr. Patel. They agreed.", ["Mr Jones met Ms Smith and Dr. Patel.", "They agreed."]),
        ("See No. 5 in the plan. It is late.", ["See No. 5 in the plan.", "It is late."]),
        ("The rate was 19.5 per 10,000. It fell to 17.2.", ["The rate was 19.5 per 10,000.", "It fell to 17.2."]),
        ("Visits, reviews, plans etc. The work continues.", ["Visits, reviews, plans etc.", "The work continues."]),
        ("12. Children are seen. Their views count.", ["Children are seen.", "Their views count."]),
        ("10.Children are seen quickly.", ["Children are seen quickly."]),
        (
            "He said: “This can lead to drift. The supervision is irregular.” Leaders agree.",
            ["He said: “This can lead to drift.", "The supervision is irregular.”", "Leaders agree."],
        ),
        (
            "Is supervision regular? Not always! Leaders know.",
            ["Is supervision regular?", "Not always!", "Leaders know."],
        ),
        ("The report by J. Smith was clear. It helped.", ["The report by J. Smith was clear.", "It helped."]),
        ("A list without a full stop", ["A list without a full stop"]),
        (
            "The quality of analysis. (outcome 1, national framework)",
            ["The quality of analysis. (outcome 1, national framework)"],
        ),
        ("Inspectors saw 2016. In 2018 it changed.", ["Inspectors saw 2016.", "In 2018 it changed."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_sentence_spans_are_offsets_into_the_whole_text() -> None:
    text = "Heading\n\nFirst one. Second one."
    spans = sentence_spans(text, 9, len(text))
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one."]


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


MARKDOWN = """\
Ofsted
Piccadilly Gate
Store Street

### **What needs to improve in this area of social work practice**

- The quality of analysis within assessments. (outcome 1, national framework)
- The regularity of supervision, e.g. for new staff.

## **Main findings**

Children are seen. Plans are reviewed through regular multi-agency meetings. This is a [link](http://x.y) and
a wrapped line.

The service moved on from a period of challenge to one in which

the workforce is becoming more stable.
"""


def test_split_offsets_headings_and_bullets(tmp_path: Path) -> None:
    extracted, paragraphs, sentences = read_document(_write(tmp_path, "letter.md", MARKDOWN), "doc_1")
    for row in paragraphs + sentences:
        assert extracted.text[row["char_start"] : row["char_end"]] == row["text"]
        assert row["text"].strip() == row["text"] and row["text"]
    assert [p["passage_id"] for p in paragraphs][:2] == ["doc_1#p0001", "doc_1#p0002"]
    assert sentences[0]["passage_id"] == "doc_1#s0001"
    assert [p["seq"] for p in sentences] == list(range(1, len(sentences) + 1))
    heading = "What needs to improve in this area of social work practice"
    assert paragraphs[0]["text"] == heading and paragraphs[0]["block_kind"] == "heading"
    items = [s for s in sentences if s["heading"] == heading]
    assert [s["text"] for s in items] == [
        "The quality of analysis within assessments. (outcome 1, national framework)",
        "The regularity of supervision, e.g. for new staff.",
    ]
    assert all(s["block_kind"] == "item" for s in items)
    main = [s["text"] for s in sentences if s["heading"] == "Main findings"]
    assert main == [
        "Children are seen.",
        "Plans are reviewed through regular multi-agency meetings.",
        "This is a link and a wrapped line.",
        "The service moved on from a period of challenge to one in which the workforce is becoming more stable.",
    ]
    # every sentence points at a paragraph that contains it
    by_id = {p["passage_id"]: p for p in paragraphs}
    for s in sentences:
        parent = by_id[s["paragraph_id"]]
        assert parent["char_start"] <= s["char_start"] < s["char_end"] <= parent["char_end"]
    assert "Piccadilly" not in extracted.text and "**" not in extracted.text and "](" not in extracted.text
    assert extracted.media_type == "text/markdown" and extracted.pages is None


def test_split_is_deterministic(tmp_path: Path) -> None:
    path = _write(tmp_path, "letter.md", MARKDOWN)
    assert split(extract(path), "d") == split(extract(path), "d")


def test_plain_text_lines_and_wrapping(tmp_path: Path) -> None:
    body = "A headline\nThe council said it would act.\nIt also said the plan was\nwell under way.\n\nContact\n"
    extracted, paragraphs, sentences = read_document(_write(tmp_path, "news.txt", body), "n")
    assert extracted.media_type == "text/plain"
    assert [p["text"] for p in paragraphs] == [
        "A headline",
        "The council said it would act.",
        "It also said the plan was well under way.",
        "Contact",
    ]


def test_html_body_text(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><title>T</title><style>p {color: red}</style></head>
    <body><nav><a href="/">Home</a> Menu</nav><script>var x = "<p>no</p>";</script>
    <h2>Headline findings</h2><p>Children are <b>seen</b> quickly.<br>Plans are clear.</p>
    <ul><li>First item</li><li>Second &amp; last item</li></ul>
    <div>Leaders know the service well. Staff agree.</div></body></html>"""
    extracted, paragraphs, sentences = read_document(_write(tmp_path, "page.html", page), "h")
    assert extracted.media_type == "text/html"
    assert [(p["block_kind"], p["text"]) for p in paragraphs] == [
        ("heading", "Headline findings"),
        ("text", "Children are seen quickly."),
        ("text", "Plans are clear."),
        ("item", "First item"),
        ("item", "Second & last item"),
        ("text", "Leaders know the service well. Staff agree."),
    ]
    assert all(s["heading"] == "Headline findings" for s in sentences)
    assert "Menu" not in extracted.text and "var x" not in extracted.text and "color" not in extracted.text


def test_format_is_chosen_by_content(tmp_path: Path) -> None:
    # A .txt that holds Markdown (as the seed letter does) is read as Markdown.
    path = _write(tmp_path, "letter.txt", "### **Headline findings**\n\nSome **bold** text and a [link](http://a.b).\n")
    extracted = extract(path)
    assert extracted.media_type == "text/markdown"
    assert extracted.text == "Headline findings\n\nSome bold text and a link."


def test_markdown_table_rows_are_table_paragraphs(tmp_path: Path) -> None:
    body = "## Judgements\n\n| Judgement | Grade |\n|---|:---:|\n| Overall effectiveness | **Good** |\n\nLeaders act.\n"
    extracted, paragraphs, sentences = read_document(_write(tmp_path, "t.md", body), "t")
    assert [(p["block_kind"], p["text"]) for p in paragraphs] == [
        ("heading", "Judgements"),
        ("table", "Judgement Grade"),
        ("table", "Overall effectiveness Good"),
        ("text", "Leaders act."),
    ]
    assert sentences[-1]["text"] == "Leaders act." and sentences[-1]["heading"] == "Judgements"
