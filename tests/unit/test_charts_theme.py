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


def test_reading_scales_cover_every_reading_in_order():
    colours, shapes = theme.reading_scale().to_dict(), theme.reading_shape_scale().to_dict()
    assert colours["domain"] == shapes["domain"] == theme.READING_ORDER
    assert len(set(colours["range"])) == len(set(shapes["range"])) == len(theme.READING_ORDER)
    assert set(theme.READING_LABELS) >= set(theme.READING_ORDER)


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_on_every_reading_colour_meets_wcag_aa():
    for reading in theme.READING_ORDER:
        ratio = _contrast(theme.READING_COLOURS[reading], theme.READING_TEXT_COLOURS[reading])
        assert ratio >= 4.5, (reading, round(ratio, 2))


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
