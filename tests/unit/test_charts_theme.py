"""The shared chart theme: fixed grade order and colours, safe text, finish() and table()."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from analysis.charts import theme


def test_theme_is_registered_and_enabled():
    assert alt.theme.active == theme.THEME_NAME
    spec = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").to_dict()
    assert spec["config"]["font"] == theme.FONT
    assert spec["config"]["range"]["category"] == theme.CATEGORY_RANGE


def test_grades_have_a_fixed_order_rank_colour_and_shape():
    assert theme.GRADE_ORDER[:5] == ["outstanding", "good", "requires_improvement", "adequate", "inadequate"]
    for grade in theme.GRADE_ORDER:
        assert grade in theme.GRADE_COLOURS and grade in theme.GRADE_SHAPES and grade in theme.GRADE_LABELS
    assert theme.GRADE_RANK["adequate"] == theme.GRADE_RANK["requires_improvement"] == 3
    scale = theme.grade_scale().to_dict()
    assert scale["domain"] == theme.GRADE_ORDER
    assert scale["range"][0] == theme.GRADE_COLOURS["outstanding"]


def test_palette_is_okabe_ito_without_yellow():
    assert theme.OKABE_ITO["yellow"] not in theme.CATEGORY_RANGE
    assert set(theme.POLARITY_COLOURS.values()) <= set(theme.OKABE_ITO.values())


def test_net_balance_scale_is_diverging_and_centred():
    scale = theme.net_balance_scale().to_dict()
    assert scale["domain"] == [-1.0, 1.0] and scale["domainMid"] == 0


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a </script> b", "a \uff1c/script\uff1e b"),
        ("line\none\ttab\x07bell", "line one tab bell"),
        (None, ""),
        (float("nan"), ""),
        (3, "3"),
    ],
)
def test_plain_removes_markup_and_control_characters(raw, clean):
    assert theme.plain(raw) == clean


def test_safe_frame_cleans_text_columns_only():
    frame = pd.DataFrame({"text": ["<b>x</b>", None], "n": [1, 2]})
    out = theme.safe_frame(frame)
    assert out["text"].iloc[0] == "\uff1cb\uff1ex\uff1c/b\uff1e"
    assert pd.isna(out["text"].iloc[1])
    assert out["n"].tolist() == [1, 2]
    assert frame["text"].iloc[0] == "<b>x</b>"  # the input is not changed


def test_finish_sets_title_subtitle_and_description():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    spec = theme.finish(chart, "Caseloads fell by a third", "2016-2025", description="Alt <text>").to_dict()
    assert spec["title"]["text"] == "Caseloads fell by a third"
    assert spec["title"]["subtitle"] == ["2016-2025"]
    assert spec["description"] == "Alt \uff1ctext\uff1e"
    fallback = theme.finish(chart, "Finding").to_dict()
    assert fallback["description"] == "Finding"
    with pytest.raises(ValueError, match="title"):
        theme.finish(chart, "  ")


def test_table_returns_the_data_of_simple_layered_and_faceted_charts():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    simple = alt.Chart(frame).mark_point().encode(x="a:Q")
    layered = alt.layer(simple, simple.mark_line())
    faceted = alt.Chart(frame).mark_point().encode(x="a:Q").facet("b:N")
    for chart in (simple, layered, faceted):
        assert theme.table(chart).to_dict("list") == frame.to_dict("list")
    assert theme.table(frame) is not frame
    assert theme.axis_title("Caseload", "children per social worker") == "Caseload (children per social worker)"


def test_net_balance_limit_is_symmetric_rounded_and_bounded():
    assert theme.net_balance_limit([-0.004, 0.11, None]) == pytest.approx(0.15)
    assert theme.net_balance_limit([0.0]) == pytest.approx(0.05)
    assert theme.net_balance_limit([-3.0]) == pytest.approx(1.0)
    assert theme.net_balance_limit([0.2]) == pytest.approx(0.2)
    scale = theme.net_balance_scale(0.2).to_dict()
    assert scale["domain"] == [-0.2, 0.2] and scale["reverse"] is True
