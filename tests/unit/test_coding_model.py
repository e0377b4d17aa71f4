"""The supervised coder's features, training and scoring on small SYNTHETIC examples (made up, not real findings)."""

from __future__ import annotations

import json
import math

import pytest

from analysis.coding import codebook
from analysis.coding import model as model_module
from analysis.errors import InputError

BOOK = codebook.load()

# Made-up sentences in the style of a report: supervision is the theme the rules find; 'visits' sentences carry
# timeliness in the gold codes though the synthetic 'quarterly rota' words are not a codebook pattern.
_STRONG = "Supervision of social workers is regular and reflective."
_WEAK = "Supervision of social workers is not regular and lacks reflection."
_ROTA = "The quarterly rota of visits to children is kept by every team."
_ROTA_LATE = "The quarterly rota of visits to children is not kept by every team."
_NONE = "The council covers a large rural area."


def _examples(n: int = 6) -> list[model_module.Example]:
    out = []
    for d in range(3):
        doc = f"doc{d}"
        for i in range(n):
            out += [
                model_module.Example(doc, f"{_STRONG} ({i})", None, {"supervision": "strength"}),
                model_module.Example(doc, f"{_WEAK} ({i})", None, {"supervision": "concern"}),
                model_module.Example(doc, f"{_ROTA} ({i})", None, {"timeliness": "strength"}),
                model_module.Example(doc, f"{_ROTA_LATE} ({i})", None, {"timeliness": "concern"}),
                model_module.Example(doc, f"{_NONE} ({i})", None, {}),
            ]
    return out


@pytest.fixture(scope="module")
def trained() -> model_module.Model:
    return model_module.train(_examples(), BOOK, model_module.Params(min_positives=5))


def test_tokens_and_negation_scope():
    assert model_module.tokens("Children's plans are NOT timely.") == ["children's", "plans", "are", "not", "timely"]
    marked = model_module.negated(["not", "consistently", "timely", "and", "clear", "overall"])
    assert marked == ["not", "~consistently", "~timely", "~and", "clear", "overall"]  # a scope of three words


def test_heading_grade():
    assert model_module.heading_grade(
        "The experiences and progress of care leavers: requires improvement to be good"
    ) == ("requires_improvement")
    assert model_module.heading_grade("The experiences and progress of children in care: inadequate") == "inadequate"
    assert model_module.heading_grade("The experiences and progress of children in care is inadequate") == "inadequate"
    sif = "The graded judgement about the experience and progress of care leavers is that it is outstanding."
    assert model_module.heading_grade(sif) == "outstanding"
    assert model_module.heading_grade("The graded judgement for adoption performance is that it is good") == "good"
    assert model_module.heading_grade("What needs to improve") is None
    assert model_module.heading_grade("Children in care who are good at sport") is None
    assert model_module.heading_grade(None) is None


def test_matrix_scales_words_by_all_the_rows_words_and_keeps_flags_at_one():
    index = {"w:a": 0, "r:supervision": 1}
    x = model_module.matrix([["w:a", "w:b", "w:c", "w:d", "r:supervision", "w:a"]], index).toarray()
    assert x[0, 0] == pytest.approx(1 / math.sqrt(4))  # four distinct words, three unknown to the index
    assert x[0, 1] == 1.0
    assert model_module.is_word_feature("p:assess") and not model_module.is_word_feature("pr:supervision")


def test_matrix_scales_the_sentence_its_stems_and_its_heading_apart():
    index = {"w:a": 0, "h:b": 1, "p:assess": 2, "c:x": 3, "s:y": 4}
    row = ["w:a", "w:z", "h:b", "h:c", "h:d", "h:e", "h:f", "h:g", "h:h", "h:i", "h:j", "p:assess"]
    x = model_module.matrix([row, ["c:x", "s:y", "s:w", "s:v"]], index).toarray()
    assert x[0, 0] == pytest.approx(1 / math.sqrt(2))  # two sentence words: the nine heading words do not count
    assert x[0, 1] == pytest.approx(1 / 3)  # nine heading words
    assert x[0, 2] == 1.0  # the only stem
    assert x[1, 3] == x[1, 4] == pytest.approx(1 / 2)  # a polarity row's clause and sentence words are one group


def test_tone_bins_the_share_of_concerns_per_section_and_document():
    import pandas as pd

    rule = pd.DataFrame(
        {"sentence_index": [0, 1, 2], "theme_id": ["a", "a", "a"], "polarity": ["concern", "concern", "strength"]}
    )
    flags = model_module.tone(["d", "d", "e"], ["h1", "h1", "h2"], rule)
    assert flags[0] == ["tone_doc:3", "tone_sec:3"]
    assert flags[2] == ["tone_doc:0", "tone_sec:0"]


def test_training_is_deterministic_and_round_trips(trained, tmp_path):
    again = model_module.train(_examples(), BOOK, model_module.Params(min_positives=5))
    assert again.to_json() == trained.to_json()
    path = tmp_path / "model.json"
    path.write_text(trained.to_json(), encoding="utf-8")
    loaded = model_module.load(path, BOOK)
    texts = [_WEAK, _ROTA_LATE, _NONE]
    left = model_module.code(texts, [None] * 3, BOOK, trained)
    right = model_module.code(texts, [None] * 3, BOOK, loaded)
    assert left.round(6).equals(right.round(6))
    assert loaded.version == trained.version and trained.version.startswith(f"{BOOK.version}+m")


def test_a_gzip_model_file_round_trips_byte_for_byte_and_a_damaged_one_is_named(trained, tmp_path):
    path = tmp_path / "model.json.gz"
    data = trained.to_bytes(path)
    assert data == trained.to_bytes(path) and data[:2] == b"\x1f\x8b"  # gzip, no timestamp: same model, same bytes
    assert trained.to_bytes(tmp_path / "model.json") == trained.to_json().encode("utf-8")
    path.write_bytes(data)
    assert model_module.load(path, BOOK).to_json() == trained.to_json()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="not valid JSON in gzip") as err:
        model_module.load(path, BOOK)
    assert "model.json.gz" in err.value.file


def test_model_learns_a_theme_the_rules_do_not_see_and_its_polarity(trained):
    coded = model_module.code([_ROTA, _ROTA_LATE, _NONE, _WEAK], [None] * 4, BOOK, trained)
    got = {(r.sentence_index, r.theme_id): (r.polarity, r.method) for r in coded.itertuples()}
    assert got[(0, "timeliness")] == ("strength", "model")
    assert got[(1, "timeliness")] == ("concern", "model")
    assert got[(3, "supervision")] == ("concern", "model")
    assert not [k for k, v in got.items() if k[0] == 2 and v[1] == "model"]  # ('the council' is the rules' word)
    assert coded["confidence"].between(0, 1).all()
    assert (coded["confidence"] <= coded["theme_probability"] + 1e-12).all()


def test_themes_with_too_few_examples_are_left_to_the_rules(trained):
    assert trained.themes["supervision"]["method"] == "model"
    assert trained.themes["caseloads"]["method"] == "rule"  # no synthetic example codes it
    coded = model_module.code(["Caseloads are manageable."], [None], BOOK, trained)
    row = coded.set_index("theme_id").loc["caseloads"]
    assert row["method"] == "rule" and row["polarity"] == "strength"  # the rules' polarity kept


def test_score_floor_adds_near_misses_below_the_threshold(trained):
    texts = ["The quarterly rota of visits is kept.", _NONE]
    scored = model_module.score(texts, [None, None], BOOK, trained, floor=0.0001)
    near = scored[~scored["is_coded"]]
    assert len(near) and (near["theme_probability"] < trained.params.threshold).all()
    assert (near["theme_probability"] >= 0.0001).all()
    coded = model_module.code(texts, [None, None], BOOK, trained)
    assert len(coded) == int(scored["is_coded"].sum())


def test_training_hash_changes_with_the_gold_codes():
    examples = _examples(1)
    params = model_module.Params()
    first = model_module.training_hash(examples, BOOK, params)
    examples[0].themes["supervision"] = "improving"
    assert model_module.training_hash(examples, BOOK, params) != first


def test_load_refuses_a_model_made_with_other_features(trained, tmp_path):
    raw = json.loads(trained.to_json())
    raw["feature_version"] = "0"
    path = tmp_path / "model.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputError) as err:
        model_module.load(path, BOOK)
    assert err.value.field == "feature_version" and "train-model" in err.value.message
    with pytest.raises(InputError, match="does not exist"):
        model_module.load(tmp_path / "missing.json", BOOK)
