"""Stacked bars drawn in HTML: segment positions."""

from siyu_diag.core.bars import stacked


def test_segments_follow_each_other_and_skip_empty_values():
    colors = ["#009E73", "#F0E442", "#D55E00"]
    segments = stacked([2, 0, 6], colors, 10)
    # 2 of 10 from 0 to 20%, then 6 of 10 from 20% to 80%; the empty middle value is left out
    assert [(s["left"], s["width"], s["value"]) for s in segments] == [
        (0.0, 20.0, 2),
        (20.0, 60.0, 6),
    ]
    assert [s["color"] for s in segments] == ["#009E73", "#D55E00"]
    assert [s["ink"] for s in segments] == ["white", "white"]


def test_narrow_segments_are_not_labelled_and_a_zero_total_draws_nothing():
    segments = stacked([1, 19], ["#000000", "#FFFFFF"], 20, label_from=0.1)
    assert [s["labelled"] for s in segments] == [False, True]  # 5% and 95%
    assert stacked([0, 0], ["#000000", "#FFFFFF"], 0) == []
