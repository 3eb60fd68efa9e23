import base64
from pathlib import Path

import matplotlib as mpl
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from siyu_diag.core import assets, palette, style


def test_register_font_is_idempotent_and_returns_the_family():
    family = style.register_font()
    bundled = str(assets.font_path())
    count = sum(entry.fname == bundled for entry in font_manager.fontManager.ttflist)

    assert style.register_font() == family
    assert sum(entry.fname == bundled for entry in font_manager.fontManager.ttflist) == count
    assert count >= 1


def test_registered_family_resolves_to_the_bundled_file():
    family = style.register_font()

    found = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )

    assert found.endswith(assets.font_path().name)
    assert Path(found).samefile(assets.font_path())


def test_bundled_font_covers_chart_characters_and_stays_small():
    with TTFont(assets.font_path(), lazy=True) as font:
        cmap = font.getBestCmap()
    wanted = "私域诊断得分维度组织（）：，。、—–−¥€●▲■→≥≤%ABCxyz0123456789"

    assert [ch for ch in wanted if ord(ch) not in cmap] == []
    assert all(cp in cmap for cp in (0x4E00, 0x9FA5))  # first and last common ideographs
    assert assets.font_path().stat().st_size < 12 * 1024 * 1024


def test_house_style_leaves_rcparams_unchanged():
    before = dict(mpl.rcParams)

    with style.house_style():
        assert mpl.rcParams["axes.unicode_minus"] is False
        assert mpl.rcParams["font.family"] == [style.register_font(), "DejaVu Sans"]
        assert mpl.rcParams["savefig.dpi"] == 150

    assert dict(mpl.rcParams) == before


def test_house_style_restores_rcparams_after_an_error():
    before = dict(mpl.rcParams)

    with pytest.raises(RuntimeError), style.house_style():
        raise RuntimeError("boom")

    assert dict(mpl.rcParams) == before


def test_new_figure_is_not_a_pyplot_figure_and_does_not_touch_rcparams():
    before = dict(mpl.rcParams)

    fig, ax = style.new_figure(4, 3)
    polar_fig, polar_ax = style.new_figure(4, 4, polar=True)

    assert isinstance(fig, Figure) and fig.canvas.manager is None
    assert tuple(fig.get_size_inches()) == (4, 3)
    assert ax.figure is fig and ax.name == "rectilinear"
    assert polar_ax.name == "polar"
    assert dict(mpl.rcParams) == before


def test_fig_to_data_uri_returns_a_base64_png():
    fig, ax = style.new_figure(2, 1)
    ax.plot([0, 1], [0, 1])

    uri = style.fig_to_data_uri(fig)

    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :])[:8] == b"\x89PNG\r\n\x1a\n"


def test_fig_to_data_uri_rejects_an_unknown_format():
    fig, _ = style.new_figure(2, 1)

    with pytest.raises(ValueError, match="`fmt`.*'gif'"):
        style.fig_to_data_uri(fig, fmt="gif")


def test_level_colors_are_five_distinct_colours():
    assert list(palette.LEVEL_COLORS) == [1, 2, 3, 4, 5]
    assert len({to_hex(c) for c in palette.LEVEL_COLORS.values()}) == 5
    assert to_hex(palette.CURRENT_COLOR) != to_hex(palette.TARGET_COLOR)


@pytest.mark.parametrize("n", [2, 4, 5, 7, 11])
def test_diverging_palette_length_and_neutral_middle(n):
    colors = style.diverging_palette(n)

    assert len(colors) == n
    assert len(set(colors)) == n
    if n % 2:
        assert colors[n // 2] == palette.NEUTRAL_COLOR


def test_diverging_palette_rejects_fewer_than_two_colours():
    with pytest.raises(ValueError, match="`n`.*1"):
        style.diverging_palette(1)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "#d55e00"),  # level 1 colour
        (-5, "#d55e00"),  # clipped
        (50, "#f0e442"),  # level 3 colour, the middle stop
        (100, "#009e73"),
        # 12.5 is halfway from #D55E00 to #E69F00: (213+230)/2=221.5→222, (94+159)/2=126.5→126
        # (round half to even), 0
        (12.5, "#de7e00"),
    ],
)
def test_score_color_mixes_the_level_colours(score, expected):
    assert palette.score_color(score) == expected


def test_text_color_is_dark_on_light_and_white_on_dark():
    assert palette.text_color("#F0E442") == "#222222"
    assert palette.text_color("#16325C") == "white"
