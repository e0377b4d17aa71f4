"""The coder against the hand-coded gold set (data/gold): agreement must not fall below its floor, and the committed
model must be the one the gold set trains.

Floors sit a little under what was measured when they were set (see data/codebook/README.md); a change that codes
worse fails here. The model's figures are leave-one-document-out: each document scored by a model trained without
it. The rules' held-out document was never used to tune the codebook: its floor is lower.
"""

from __future__ import annotations

import pytest

from analysis.coding import codebook as codebook_module
from analysis.coding import model as model_module
from analysis.coding import validate
from analysis.errors import InputError

# (micro-F1 on themes, polarity accuracy) floors; measured values are printed by the tests.
# measured with codebook 1.0.0 on 26 gold documents (2 tuning, 24 held out): rules tuning 0.895 / 0.948, held out
# 0.689 / 0.740; model 1.0.0+m2d95034f9b settings (leave one document out) all 0.783 / 0.867, held out 0.777 / 0.862
RULE_FLOORS = {"tuning": (0.87, 0.92), "heldout": (0.67, 0.72)}
MODEL_FLOORS = {"all": (0.77, 0.855), "heldout": (0.765, 0.85)}


@pytest.fixture(scope="module")
def validation(shared_dir):
    return validate.run(cache=shared_dir / "data")


def _names(validation, role):
    return [d.gold_id for d in validation.documents if role == "all" or d.role == role]


@pytest.mark.parametrize("role", list(RULE_FLOORS))
def test_rules_hold_their_floor(validation, role):
    overall = validation.report("rules", _names(validation, role)).overall()
    print(f"\nrules, {role}: micro-F1 {overall['micro_f1']:.3f}, polarity {overall['polarity_accuracy']:.3f}")
    micro_floor, polarity_floor = RULE_FLOORS[role]
    assert overall["micro_f1"] >= micro_floor
    assert overall["polarity_accuracy"] >= polarity_floor
    assert overall["presence_kappa"] >= micro_floor - 0.05


@pytest.mark.parametrize("role", list(MODEL_FLOORS))
def test_held_out_model_holds_its_floor(validation, role):
    print("\n" + validate.format_validation(validation))
    overall = validation.report("model", _names(validation, role)).overall()
    micro_floor, polarity_floor = MODEL_FLOORS[role]
    assert overall["micro_f1"] >= micro_floor
    assert overall["polarity_accuracy"] >= polarity_floor


def test_every_gold_document_is_coded_in_full(validation):
    # every sentence of each document is in the gold set (a row with no theme for sentences without one)
    summary = validation.model.summary.set_index("document")
    assert summary.loc["ofsted_80464_2025-11-20", "n_sentences"] >= 85  # the Dudley letter of 20 Nov 2025
    assert summary.loc["ofsted_80451_2025-07-18", "n_sentences"] >= 270  # Wakefield's 2025 ILACS report
    assert summary.loc["ofsted_80569_2024-02-13", "n_sentences"] >= 220


def test_every_gold_document_has_a_grade_and_a_layout(validation):
    assert all(d.grade and d.layout for d in validation.documents)


def test_committed_model_is_trained_on_the_current_gold_set(shared_dir):
    book = codebook_module.load()
    committed = model_module.load(codebook=book)
    documents = validate.read_gold_set(codebook=book, cache=shared_dir / "data")
    examples = [e for d in documents for e in d.examples()]
    current = model_module.training_hash(examples, book, model_module.Params())
    assert committed.training_hash == current, "the gold set, codebook or settings changed: run analysis train-model"
    assert committed.training["documents"] == sorted(d.gold_id for d in documents)


def test_stale_gold_sentence_is_a_clear_error(tmp_path):
    (tmp_path / "documents.csv").write_text(
        "gold_id,role,local_path,cache_path,council,note\n"
        "letter,tuning,data/raw/2025-11-20_ofsted_dudley_focused-visit-letter.md,,Dudley,\n",
        encoding="utf-8",
    )
    (tmp_path / "letter.csv").write_text(
        "sentence_text,theme_id,polarity,coder,note\n"
        "The supervision of social workers is too irregular and lacks reflection.,supervision,concern,t,\n"
        "A sentence the letter never contained.,,,t,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        validate.run(tmp_path)
    assert err.value.file.endswith("letter.csv") and err.value.field == "sentence_text"
    assert "never contained" in err.value.message
