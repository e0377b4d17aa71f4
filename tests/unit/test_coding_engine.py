"""The coding engine on hand-written sentences (made up for the test, in the style of Ofsted letters)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding import codebook, engine


@pytest.fixture(scope="module")
def book():
    return codebook.load()


def _polarity(book, text: str, theme: str, heading: str | None = None) -> str | None:
    coded = engine.code_sentences([text], book, None if heading is None else [heading])
    rows = coded[coded["theme_id"] == theme]
    return None if rows.empty else rows["polarity"].iloc[0]


@pytest.mark.parametrize(
    ("text", "theme", "expected"),
    [
        ("The supervision of social workers is too irregular and lacks reflection.", "supervision", "concern"),
        ("Children receive a timely and effective response from the front door.", "front_door", "strength"),
        ("Caseloads are beginning to reduce but remain high.", "caseloads", "improving"),
        ("Strategy meetings are not timely.", "child_protection", "concern"),
        ("Assessments are not yet consistently good.", "assessment_quality", "concern"),
        ("Leaders have a strong understanding of their services.", "leadership", "strength"),
        ("Most assessments are thorough; however, care plans are not specific.", "planning_drift", "concern"),
        ("Most assessments are thorough; however, care plans are not specific.", "assessment_quality", "strength"),
        ("Although supervision is regular, caseloads remain too high.", "caseloads", "concern"),
        ("Although supervision is regular, caseloads remain too high.", "supervision", "strength"),
        ("Children are seen without delay.", "timeliness", "strength"),
        ("The virtual school was visited by inspectors.", "children_in_care", "neutral"),
        ("The quality of assessments needs to be more consistent.", "assessment_quality", "concern"),
    ],
)
def test_polarity_rules(book, text, theme, expected):
    assert _polarity(book, text, theme) == expected


def test_items_under_what_needs_to_improve_are_concerns(book):
    text = "Keeping in touch with care leavers aged 18 to 21."
    assert _polarity(book, text, "care_leavers") != "concern"
    assert _polarity(book, text, "care_leavers", heading="What needs to improve?") == "concern"


def test_rows_and_matched_words(book):
    texts = ["Dear Mr Jones", "Caseloads and workloads are high, and supervision is irregular."]
    coded = engine.code_sentences(texts, book)
    assert list(coded.columns) == ["sentence_index", "theme_id", "polarity", "matched"]
    assert 0 not in set(coded["sentence_index"])  # no theme, no row
    caseloads = coded[coded["theme_id"] == "caseloads"].iloc[0]
    assert caseloads["matched"] == "Caseloads; workloads"
    # themes come out in codebook order within a sentence
    order = [book.theme_ids.index(t) for t in coded["theme_id"]]
    assert order == sorted(order)


def test_duckdb_and_python_loop_agree(book):
    texts = [
        "Although leaders have improved the front door, too many referrals wait too long for a decision.",
        "The child\u2019s voice is captured well in assessments, but plans are not SMART.",
        "Care leavers are not all visited in a timely way; personal advisers are committed.",
        "When children go missing, return home interviews are offered promptly.",
        "There has been investment in staffing, and caseloads are reducing.",
        "Nothing here.",
    ]
    headings = [None, "Main findings", None, None, "Areas for improvement", None]
    left = engine.code_sentences(texts, book, headings)
    right = engine.code_sentences_python(texts, book, headings)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
    assert len(left) >= 10


def test_normalise_straightens_quotes_and_spaces():
    assert engine.normalise("  the child\u2019s\u00a0 world\n ") == "the child's world"


# Fragments for a varied sample (made up for the test): themes in one or several clauses, concessions,
# negations, requests, no theme at all, and the text forms normalisation must see through (curly quotes,
# no-break spaces, tabs, doubled spaces, line breaks, non-ASCII letters).
_SUBJECTS = [
    "the supervision of social workers",
    "caseloads for some workers",
    "the quality of assessments and plans",
    "management oversight of child in need plans",
    "the front door\u2019s response to contacts",
    "care leavers\u00a0and their personal advisers",
    "return home interviews for children who go missing",
    "the caf\u00e9 near the office",
    "leaders and elected members",
    "recruitment of permanent staff",
    "direct work with children in care",
]
_PREDICATES = [
    "is timely and effective",
    "is too irregular and lacks reflection",
    "is beginning to improve",
    "remains too high",
    "is not yet consistently good",
    "has improved since the last inspection",
    "was discussed with inspectors",
    "needs to be more consistent",
    "happens without delay",
]
_FORMS = [
    "{S} {p}.",
    "{S} {p}, but {s2} {p2}.",
    "Although {s} {p}, {s2} {p2}.",
    "{S} {p}; however, {s2} {p2}.",
    "  {S}\t{p}  and\n{s2} {p2}. ",
    "\u201c{S} {p},\u201d said one worker.",
    "",
    "Dear Mr Jones",
]


def _varied_sample(n: int, seed: int = 7) -> tuple[list[str], list[str | None]]:
    import random

    rng = random.Random(seed)
    texts, headings = [], []
    for _ in range(n):
        s, s2 = rng.choice(_SUBJECTS), rng.choice(_SUBJECTS)
        form = rng.choice(_FORMS)
        texts.append(form.format(S=s.capitalize(), s=s, p=rng.choice(_PREDICATES), s2=s2, p2=rng.choice(_PREDICATES)))
        headings.append(rng.choice([None, None, None, "Main findings", "What needs to improve?"]))
    return texts, headings


def test_duckdb_and_python_loop_agree_on_a_varied_sample(book):
    texts, headings = _varied_sample(600)
    left = engine.code_sentences(texts, book, headings)
    right = engine.code_sentences_python(texts, book, headings)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
    # the sample exercises every polarity, several themes per sentence, and sentences with no theme
    assert set(left["polarity"]) == {"strength", "concern", "improving", "neutral"}
    assert left.groupby("sentence_index").size().max() >= 3
    assert left["sentence_index"].nunique() < len(texts)


def test_theme_groups_keep_every_theme_once_in_codebook_order(book):
    for size in (1, 3, 4, 5, 27, 28, 100):
        groups = engine.theme_groups(book.theme_list, size)
        assert [t for g in groups for t in g] == list(book.theme_list)
        assert all(len(g) >= 1 for g in groups)
    groups = engine.theme_groups(book.theme_list)
    assert min(len(g) for g in groups) >= 2  # no scan of a group for one theme alone


def test_a_group_pattern_matches_wherever_one_of_its_themes_does(book):
    import re

    texts, _ = _varied_sample(300)
    flags = re.IGNORECASE | re.ASCII
    for group in engine.theme_groups(book.theme_list):
        combined = re.compile(engine.group_pattern(group), flags)
        for text in texts:
            any_theme = any(re.search(t.pattern, text, flags) for t in group)
            assert bool(combined.search(text)) == any_theme
