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


# Three made-up letters (SYNTHETIC, not real reports) for the leave-one-document-out run.
_LETTERS = {
    "alpha": ["Supervision of social workers is regular.", "Caseloads are too high.", "The council is large."],
    "beta": ["Supervision is not regular.", "Caseloads are manageable.", "Personal advisers know care leavers well."],
    "gamma": ["Supervision is reflective.", "Caseloads remain too high.", "Care leavers are not well supported."],
}
_CODES = {
    "Supervision of social workers is regular.": ("supervision", "strength"),
    "Caseloads are too high.": ("caseloads", "concern"),
    "Supervision is not regular.": ("supervision", "concern"),
    "Caseloads are manageable.": ("caseloads", "strength"),
    "Personal advisers know care leavers well.": ("care_leavers", "strength"),
    "Supervision is reflective.": ("supervision", "strength"),
    "Caseloads remain too high.": ("caseloads", "concern"),
    "Care leavers are not well supported.": ("care_leavers", "concern"),
}


def _gold_dir(tmp_path, with_bands=True):
    header = "gold_id,role,local_path,cache_path,council," + ("grade,layout," if with_bands else "") + "note\n"
    lines = [header]
    for i, (name, sentences) in enumerate(_LETTERS.items()):
        (tmp_path / f"{name}.md").write_text(" ".join(sentences) + "\n", encoding="utf-8")
        bands = ("good,ilacs_standard," if i else "ungraded,focused_visit_letter,") if with_bands else ""
        role = "tuning" if i == 0 else "heldout"
        lines.append(f"{name},{role},{tmp_path / (name + '.md')},,Synthetic,{bands}made up\n")
        rows = ["sentence_text,theme_id,polarity,coder,note\n"]
        for s in sentences:
            theme, polarity = _CODES.get(s, ("", ""))
            rows.append(f"{s},{theme},{polarity},t,\n")
        (tmp_path / f"{name}.csv").write_text("".join(rows), encoding="utf-8")
    (tmp_path / "documents.csv").write_text("".join(lines), encoding="utf-8")
    return tmp_path


def test_leave_one_document_out_never_trains_on_the_document_it_scores(tmp_path, monkeypatch):
    from analysis.coding import model as model_module

    trained_on = []
    real_train = model_module.train

    def spy(examples, *args, **kwargs):
        trained_on.append(sorted({e.document_id for e in examples}))
        return real_train(examples, *args, **kwargs)

    monkeypatch.setattr(model_module, "train", spy)
    result = validate.run(_gold_dir(tmp_path), params=model_module.Params(min_positives=1, min_documents=1))
    assert trained_on == [["beta", "gamma"], ["alpha", "gamma"], ["alpha", "beta"]]
    assert set(result.model.summary["document"]) == {"alpha", "beta", "gamma", validate.OVERALL}
    assert result.role_of == {"alpha": "tuning", "beta": "heldout", "gamma": "heldout"}
    layouts = result.groups("model", "layout").set_index("layout")
    assert layouts.loc["ilacs_standard", "documents"] == 2 and layouts.loc["focused_visit_letter", "n_sentences"] == 3
    text = validate.format_validation(result)
    assert "alpha rules*" in text and "beta rules " in text  # the rules' tuning document is marked
    assert "2 held-out document(s) pooled" in text  # only role heldout is quotable
    bands = validate.calibration(result)
    assert bands["codings"].sum() == sum(len(f) for f in result.coded["model"].values())
    assert "Confidence of the held-out model's codings" in text
    quoted = validate.quotable(result)["model"]
    assert quoted == pytest.approx(result.report("model", ["beta", "gamma"]).overall())


def test_manifest_without_grade_and_layout_reads_them_as_unknown(tmp_path):
    frame = validate.read_manifest(_gold_dir(tmp_path, with_bands=False) / "documents.csv")
    assert frame["grade"].isna().all() and frame["layout"].isna().all()
    (tmp_path / "documents.csv").write_text(
        "gold_id,role,local_path,cache_path,council,grade,layout,note\nx,tuning,a.md,,c,excellent,fv,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        validate.read_manifest(tmp_path / "documents.csv")
    assert (err.value.row, err.value.field) == (2, "grade")
