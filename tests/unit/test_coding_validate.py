"""Agreement metrics on tiny hand-made gold and coded sets; every expected value was worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.coding import validate
from analysis.errors import InputError


def _frame(rows):
    return pd.DataFrame(rows, columns=["sentence_text", "theme_id", "polarity"])


GOLD = _frame(
    [
        ("s1 text.", "caseloads", "concern"),
        ("s2 text.", "caseloads", "strength"),
        ("s2 text.", "supervision", "concern"),
        ("s3 text.", None, None),
        ("s4 text.", "supervision", "strength"),
    ]
)
CODED = _frame(
    [
        ("s1 text.", "caseloads", "concern"),
        ("s2  text.", "supervision", "strength"),  # whitespace differs: still the same sentence
        ("s3 text.", "caseloads", "neutral"),
        ("s5 not in gold.", "caseloads", "concern"),  # ignored
    ]
)


def test_kappa_2x2_textbook_example():
    # 20 both yes, 5 first only, 10 second only, 15 both no: po = 0.7, pe = 0.5
    assert validate.kappa(20, 5, 10, 15) == pytest.approx(0.4)
    assert validate.kappa(5, 0, 0, 5) == pytest.approx(1.0)
    assert math.isnan(validate.kappa(0, 0, 0, 0))


def test_kappa_labels():
    assert validate.kappa_labels(["a", "a", "b", "b"], ["a", "a", "b", "b"]) == pytest.approx(1.0)
    # po = 0.5; pe = 0.5*0.5 + 0.5*0.5 = 0.5
    assert validate.kappa_labels(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == pytest.approx(0.0)


def test_per_theme_figures():
    report = validate.evaluate({"doc": GOLD}, {"doc": CODED}, ["caseloads", "supervision"])
    rows = report.per_theme[report.per_theme["document"] == "doc"].set_index("theme_id")
    cl = rows.loc["caseloads"]
    assert (cl.tp, cl.fp, cl.fn, cl.support, cl.predicted) == (1, 1, 1, 2, 2)
    assert cl.precision == pytest.approx(0.5) and cl.recall == pytest.approx(0.5) and cl.f1 == pytest.approx(0.5)
    assert cl.kappa == pytest.approx(0.0)
    sv = rows.loc["supervision"]
    assert (sv.tp, sv.fp, sv.fn) == (1, 0, 1)
    assert sv.precision == pytest.approx(1.0) and sv.recall == pytest.approx(0.5)
    assert sv.f1 == pytest.approx(2 / 3)
    assert sv.kappa == pytest.approx(0.5)  # po = 3/4, pe = 1/2


def test_summary_figures():
    report = validate.evaluate({"doc": GOLD}, {"doc": CODED}, ["caseloads", "supervision"])
    doc = report.summary.set_index("document").loc["doc"]
    assert doc.n_sentences == 4
    assert doc.micro_precision == pytest.approx(2 / 3)
    assert doc.micro_recall == pytest.approx(0.5)
    assert doc.micro_f1 == pytest.approx(4 / 7)
    assert doc.macro_f1 == pytest.approx((0.5 + 2 / 3) / 2)
    assert doc.presence_kappa == pytest.approx(0.25)  # 8 cells: a=2, b=2, c=1, d=3
    assert doc.polarity_n == 2
    assert doc.polarity_accuracy == pytest.approx(0.5)
    assert doc.polarity_kappa == pytest.approx(0.0)
    assert report.overall()["micro_f1"] == pytest.approx(4 / 7)  # one document: pooled = the document


def test_pooling_two_documents_keeps_same_text_apart():
    other_gold = _frame([("s1 text.", "caseloads", "concern")])
    other_coded = _frame([("s1 text.", "caseloads", "strength")])
    report = validate.evaluate(
        {"doc": GOLD, "other": other_gold}, {"doc": CODED, "other": other_coded}, ["caseloads", "supervision"]
    )
    overall = report.overall()
    assert overall["n_sentences"] == 5
    assert overall["micro_f1"] == pytest.approx(6 / 9)  # tp 3, fp 1, fn 2
    assert overall["polarity_accuracy"] == pytest.approx(1 / 3)


def test_perfect_agreement():
    report = validate.evaluate({"doc": GOLD}, {"doc": GOLD.dropna()})
    overall = report.overall()
    assert overall["micro_f1"] == 1.0 and overall["polarity_accuracy"] == 1.0
    assert overall["presence_kappa"] == pytest.approx(1.0)


def test_read_gold_checks(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("sentence_text,theme_id,polarity,coder,note\nA sentence.,caseloads,,me,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        validate.read_gold(path, {"caseloads"})
    assert (err.value.row, err.value.field) == (2, "polarity")
    path.write_text("sentence_text,theme_id,polarity,coder,note\nA sentence.,morale,strength,me,\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a theme"):
        validate.read_gold(path, {"caseloads"})
    path.write_text(
        "sentence_text,theme_id,polarity,coder,note\nA sentence.,caseloads,strength,me,\n"
        "A  sentence.,caseloads,concern,me,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="two polarities"):
        validate.read_gold(path, {"caseloads"})
