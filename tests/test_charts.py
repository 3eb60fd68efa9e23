import base64
import warnings

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from siyu_diag.core.palette import LEVEL_COLORS
from siyu_diag.core.style import fig_to_data_uri, new_figure
from siyu_diag.diagnosis import charts


def _levels(lang="zh"):
    names = {"zh": ["萌芽", "起步", "规范", "协同", "引领"], "en": ["A", "B", "C", "D", "E"]}[lang]
    return pd.DataFrame(
        {
            "level": [1, 2, 3, 4, 5],
            "name": names,
            "lower": [0.0, 20.0, 40.0, 60.0, 80.0],
            "upper": [20.0, 40.0, 60.0, 80.0, 100.0],
        }
    )


def _tick_texts(labels):
    return [t.get_text() for t in labels]


def _all_texts(fig):
    return [t.get_text() for t in fig.findobj(Text)]


# --- radar -------------------------------------------------------------------------------------


def test_radar_lines_follow_the_scores_and_ticks_name_the_dimensions():
    data = pd.DataFrame(
        {
            "dimension": ["目标", "组织", "流程"],
            "current": [60.0, 45.5, 30.0],
            "target": [80, 60, 60],
        }
    )

    ax = charts.plot_radar(data)

    current, target = ax.lines
    assert list(current.get_ydata()) == [60.0, 45.5, 30.0, 60.0]  # closed polygon
    assert list(target.get_ydata()) == [80, 60, 60, 80]
    assert target.get_linestyle() == "--"
    assert _tick_texts(ax.get_xticklabels()) == ["目标", "组织", "流程"]
    assert list(ax.get_yticks()) == [20, 40, 60, 80, 100]
    assert ax.get_ylim() == (0, 100)
    assert _tick_texts(ax.get_legend().get_texts()) == ["现状", "目标"]
    assert ax.get_title() == "各维度得分：现状与目标"


def test_radar_uses_english_labels_and_a_given_title():
    data = pd.DataFrame({"dimension": ["Goals", "Org", "Flow"], "current": [1, 2, 3], "target": 4})

    ax = charts.plot_radar(data, lang="en", title="Radar")

    assert _tick_texts(ax.get_legend().get_texts()) == ["Current", "Target"]
    assert ax.get_title() == "Radar"
    assert ax.get_xlabel() == "Score (0–100)"


def test_radar_draws_on_a_given_polar_axes():
    _, polar_ax = new_figure(4, 4, polar=True)
    data = pd.DataFrame({"dimension": ["a", "b", "c"], "current": [1, 2, 3], "target": 4})

    assert charts.plot_radar(data, ax=polar_ax) is polar_ax


def test_radar_rejects_a_non_polar_axes():
    _, ax = new_figure(4, 4)
    data = pd.DataFrame({"dimension": ["a", "b", "c"], "current": [1, 2, 3], "target": 4})

    with pytest.raises(ValueError, match="`ax` must be a polar Axes.*'rectilinear'"):
        charts.plot_radar(data, ax=ax)


def test_radar_names_missing_columns_and_bad_language():
    data = pd.DataFrame({"dimension": ["a"], "current": [1]})

    with pytest.raises(ValueError, match=r"missing column\(s\) \['target'\]"):
        charts.plot_radar(data)
    with pytest.raises(ValueError, match="`lang` must be one of \\['zh', 'en'\\].*'fr'"):
        charts.plot_radar(data.assign(target=1), lang="fr")


# --- heatmap -----------------------------------------------------------------------------------


def test_heatmap_annotates_one_decimal_and_leaves_missing_cells_blank():
    data = pd.DataFrame(
        {"目标": [62.5, np.nan], "组织": [48.04, 35.26]}, index=["市场部", "运营部"]
    )

    ax = charts.plot_heatmap(data)

    assert _tick_texts(ax.texts) == ["62.5", "48.0", "35.3"]  # NaN cell: no text
    assert not any("nan" in text.lower() for text in _all_texts(ax.figure))
    assert _tick_texts(ax.get_xticklabels()) == ["目标", "组织"]
    assert _tick_texts(ax.get_yticklabels()) == ["市场部", "运营部"]
    assert ax.collections[0].get_clim() == (0, 100)
    assert ax.figure.axes[1].get_ylabel() == "得分（0–100）"  # the colour bar


def test_heatmap_appends_group_sizes_to_row_labels():
    data = pd.DataFrame({"Goals": [50.0, 60.0]}, index=["Sales", "Stores"])
    sizes = pd.Series({"Stores": 8, "Sales": 12})

    ax = charts.plot_heatmap(data, n=sizes, lang="en")

    assert _tick_texts(ax.get_yticklabels()) == ["Sales (n=12)", "Stores (n=8)"]
    assert ax.get_xlabel() == "Dimension" and ax.get_ylabel() == "Group"


# --- sub-dimension bars ------------------------------------------------------------------------


def test_subdimension_bars_have_the_scores_as_lengths_and_labels():
    data = pd.DataFrame(
        {
            "dimension": ["目标", "目标", "组织"],
            "subdimension": ["目标清晰", "目标分解", "架构"],
            "score": [72.5, 40.0, 95.0],
        }
    )

    ax = charts.plot_subdimension_bars(data, thresholds=[20, 40, 60, 80])

    assert [p.get_width() for p in ax.patches] == [72.5, 40.0, 95.0]
    assert _tick_texts(ax.get_yticklabels()) == ["目标清晰", "目标分解", "架构"]
    assert _tick_texts(ax.texts) == ["72.5", "40.0", "95.0"]
    colors = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert colors[0] == colors[1] != colors[2]
    assert [line.get_xdata()[0] for line in ax.lines] == [20, 40, 60, 80]
    assert ax.get_xlim() == (0, 100)
    assert ax.get_xlabel() == "得分（0–100）"
    assert _tick_texts(ax.get_legend().get_texts()) == ["目标", "组织"]


def test_subdimension_bars_without_thresholds_draw_no_reference_lines():
    data = pd.DataFrame({"dimension": ["a"], "subdimension": ["a1"], "score": [10.0]})

    ax = charts.plot_subdimension_bars(data, lang="en")

    assert len(ax.lines) == 0
    assert ax.get_xlabel() == "Score (0–100)"


# --- item distribution -------------------------------------------------------------------------


def _row_extent(ax, row):
    bars = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - row) < 1e-9]
    return min(p.get_x() for p in bars), max(p.get_x() + p.get_width() for p in bars)


def test_item_distribution_centres_an_odd_scale_on_the_middle_category():
    shares = [0.10, 0.20, 0.30, 0.25, 0.15]
    data = pd.DataFrame(
        [shares], index=["题目一"], columns=["非常不同意", "不同意", "一般", "同意", "非常同意"]
    )

    ax = charts.plot_item_distribution(data)

    left, right = _row_extent(ax, 0)
    assert left == pytest.approx(-(0.10 + 0.20 + 0.30 / 2))
    assert right == pytest.approx(0.30 / 2 + 0.25 + 0.15)
    assert [p.get_width() for p in ax.patches] == pytest.approx(shares)
    middle = ax.patches[2]
    assert middle.get_x() == pytest.approx(-0.15)  # half left, half right of zero
    assert _tick_texts(ax.get_legend().get_texts()) == list(data.columns)
    assert _tick_texts(ax.get_yticklabels()) == ["题目一"]


def test_item_distribution_splits_an_even_scale_between_the_middle_categories():
    data = pd.DataFrame(
        [[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]],
        index=["item a", "item b"],
        columns=["--", "-", "+", "++"],
    )

    ax = charts.plot_item_distribution(data, lang="en")

    assert _row_extent(ax, 0) == pytest.approx((-0.3, 0.7))
    assert _row_extent(ax, 1) == pytest.approx((-0.5, 0.5))
    plus_a = ax.patches[2 * 2]  # one barh call per category, one bar per item
    assert plus_a.get_x() == pytest.approx(0.0)  # "+" of item a starts at zero


def test_item_distribution_percent_axis_shows_absolute_values():
    data = pd.DataFrame([[0.5, 0.5]], index=["a"], columns=["no", "yes"])

    ax = charts.plot_item_distribution(data)

    formatter = ax.xaxis.get_major_formatter()
    assert [formatter(x, 0) for x in (-1.0, -0.5, 0.0, 0.25, 1.0)] == [
        "100%",
        "50%",
        "0%",
        "25%",
        "100%",
    ]
    assert ax.get_xlim() == (-1, 1)
    assert ax.get_xlabel() == "回答占比（%）"


def test_item_distribution_wraps_long_labels_without_leading_punctuation():
    zh = "私域" * 15
    zh_comma = "甲" * 22 + "，乙乙"
    en = "word " * 12
    data = pd.DataFrame([[0.5, 0.5]] * 2, index=[zh, zh_comma], columns=["否", "是"])
    en_data = pd.DataFrame([[0.5, 0.5]], index=[en], columns=["no", "yes"])

    zh_ax = charts.plot_item_distribution(data)
    en_ax = charts.plot_item_distribution(en_data, lang="en")

    assert _tick_texts(zh_ax.get_yticklabels()) == [
        "私域" * 11 + "\n" + "私域" * 4,
        "甲" * 22 + "，\n乙乙",
    ]
    assert _tick_texts(en_ax.get_yticklabels()) == ["word " * 7 + "word\n" + "word " * 3 + "word"]


def test_item_distribution_accepts_eleven_categories_and_rejects_one():
    eleven = pd.DataFrame([np.full(11, 1 / 11)], index=["nps"], columns=[str(i) for i in range(11)])

    ax = charts.plot_item_distribution(eleven)

    assert sorted(_tick_texts(ax.get_legend().get_texts()), key=int) == list(eleven.columns)
    assert _row_extent(ax, 0) == pytest.approx((-0.5, 0.5))
    with pytest.raises(ValueError, match="`data` must have between 2 and 11.*1 were passed"):
        charts.plot_item_distribution(eleven[["0"]])


# --- level strip -------------------------------------------------------------------------------


def test_level_strip_draws_five_bands_in_the_level_colours():
    data = pd.DataFrame({"label": ["整体", "目标"], "score": [45.2, 80.0]})

    ax = charts.plot_level_strip(data, levels=_levels())

    assert len(ax.patches) == 5
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == [
        to_hex(LEVEL_COLORS[level]) for level in (1, 2, 3, 4, 5)
    ]
    assert [(p.get_x(), p.get_width()) for p in ax.patches] == [
        (0, 20),
        (20, 20),
        (40, 20),
        (60, 20),
        (80, 20),
    ]
    texts = _tick_texts(ax.texts)
    assert {"L1 萌芽", "L3 规范", "L5 引领", "45.2", "80.0"} <= set(texts)


def test_level_strip_marks_each_point_with_its_label_and_level_colour():
    data = pd.DataFrame(
        {"label": ["Overall", "Goals", "Org", "Top"], "score": [45.2, 80.0, 19.9, 100]}
    )

    ax = charts.plot_level_strip(data, levels=_levels("en"), lang="en")

    markers = ax.collections[-1]
    assert list(markers.get_offsets()[:, 0]) == [45.2, 80.0, 19.9, 100.0]
    assert [to_hex(c) for c in markers.get_facecolors()] == [
        to_hex(LEVEL_COLORS[level])
        for level in (3, 5, 1, 5)  # lower <= s < upper; 100 is 5
    ]
    assert _tick_texts(ax.get_yticklabels()) == ["Overall", "Goals", "Org", "Top"]
    assert ax.get_xlim() == (0, 100)
    assert ax.get_xlabel() == "Score (0–100)"


def test_level_strip_names_a_bad_levels_table():
    data = pd.DataFrame({"label": ["a"], "score": [1.0]})

    with pytest.raises(ValueError, match=r"`levels` is missing column\(s\) \['upper'\]"):
        charts.plot_level_strip(data, levels=_levels().drop(columns="upper"))


# --- all charts --------------------------------------------------------------------------------


def _every_chart():
    dims = ["目标与战略", "组织架构", "流程与协同"]
    yield charts.plot_radar(
        pd.DataFrame({"dimension": dims, "current": [62.5, 41.0, 28.7], "target": [80, 60, 60]})
    )
    yield charts.plot_heatmap(
        pd.DataFrame(
            [[62.5, np.nan, 35.2], [70.1, 45.5, 12.0]], index=["市场部", "门店"], columns=dims
        ),
        n=pd.Series({"市场部": 12, "门店": 9}),
    )
    yield charts.plot_subdimension_bars(
        pd.DataFrame(
            {
                "dimension": dims,
                "subdimension": ["目标清晰", "分工明确", "交接顺畅"],
                "score": [72.5, 40.0, 95.0],
            }
        ),
        thresholds=[20, 40, 60, 80],
    )
    yield charts.plot_item_distribution(
        pd.DataFrame(
            [[0.05, 0.15, 0.30, 0.35, 0.15], [0.40, 0.30, 0.15, 0.10, 0.05]],
            index=[
                "我们公司有明确的私域业务目标，并且目标被分解到各个部门和岗位",
                "我的考核指标中包含私域指标",
            ],
            columns=["非常不同意", "不同意", "一般", "同意", "非常同意"],
        )
    )
    yield charts.plot_level_strip(
        pd.DataFrame({"label": ["整体", *dims], "score": [45.2, 62.5, 41.0, 28.7]}),
        levels=_levels(),
    )


def test_every_chart_renders_chinese_to_png_without_any_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uris = [fig_to_data_uri(ax.figure) for ax in _every_chart()]

    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "Glyph" in m or "missing" in m]
    assert messages == []
    assert all(base64.b64decode(uri.split(",", 1)[1])[:4] == b"\x89PNG" for uri in uris)


def test_charts_leave_rcparams_and_their_input_unchanged():
    data = pd.DataFrame({"label": ["整体"], "score": [45.2]})
    levels = _levels()
    data_before, levels_before, rc_before = data.copy(), levels.copy(), dict(mpl.rcParams)

    ax = charts.plot_level_strip(data, levels=levels)
    fig_to_data_uri(ax.figure)

    pd.testing.assert_frame_equal(data, data_before)
    pd.testing.assert_frame_equal(levels, levels_before)
    assert dict(mpl.rcParams) == rc_before
    assert ax.figure.canvas.manager is None  # not a pyplot figure
