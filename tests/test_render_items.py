"""The answer distributions of the diagnosis chapter, drawn in HTML (no image)."""

import re

import numpy as np
import pytest

from siyu_diag import open_diagnosis, render_items
from siyu_diag.core.style import diverging_palette
from siyu_diag.diagnosis import charts

HEADER = ["编号", "部门", "岗位层级", "G01", "G02", "G03", "G04", "C01", "C02", "C03", "C04"]
# G01 answers 1, 2, 2, 5: a quarter "strongly disagree", half "disagree", a quarter "strongly agree"
ROWS = [
    ["R1", "市场部", "一线员工", 1, 3, 3, 3, 3, 3, 3, 3],
    ["R2", "市场部", "一线员工", 2, 3, 4, 3, 3, 3, 3, 3],
    ["R3", "门店", "管理者", 2, 4, 4, 3, 3, 3, 3, 3],
    ["R4", "门店", "一线员工", 5, 4, 2, 3, 3, 3, 3, 3],
]


def _segments(html, item):
    """(left %, width %, colour, text) of each segment in ``item``'s bar."""
    row = re.search(rf"<strong>{item}</strong>.*?</div>\s*</div>", html, re.S).group(0)
    pattern = r'left:([\d.]+)%;width:([\d.]+)%;background:(#\w+);color:[^"]+">([^<]*)</span>'
    return [(float(a), float(b), c, t) for a, b, c, t in re.findall(pattern, row)]


@pytest.fixture
def html(make_client):
    return render_items(open_diagnosis(make_client(HEADER, ROWS))).html


def test_segments_are_centred_on_the_neutral_answer(html):
    red, salmon, _, _, blue = diverging_palette(5)
    # disagree side: 0.25 + 0.5 = 0.75 of the answers left of the middle (50%), the bar
    # spanning −100%…100% of answers over 0…100% of its width
    assert _segments(html, "G01") == [
        (12.5, 12.5, red, "25%"),
        (25.0, 25.0, salmon, "50%"),
        (50.0, 12.5, blue, "25%"),
    ]


def test_a_neutral_answer_is_split_across_the_middle(html):
    # G03: 2 ("disagree") once, 3 once, 4 ("agree") twice → neutral 25% centred on 50%
    segments = _segments(html, "G03")
    assert [(left, width) for left, width, _, _ in segments] == [
        (31.25, 12.5),
        (43.75, 12.5),
        (56.25, 25.0),
    ]


def test_every_category_is_in_the_legend_and_no_image_is_drawn(html):
    for name in ("非常不同意", "不同意", "一般", "同意", "非常同意"):
        assert f"</i>{name}</span>" in html
    assert "<img" not in html
    assert "nan" not in html and "None" not in html


def test_diverging_starts_by_hand():
    # even scale: the split lies between the two middle categories
    starts = charts.diverging_starts(np.array([[0.1, 0.3, 0.4, 0.2]]))
    assert starts.round(10).tolist() == [[-0.4, -0.3, 0.0, 0.4]]
    # odd scale: the middle category straddles zero
    starts = charts.diverging_starts(np.array([[0.2, 0.2, 0.6]]))
    assert starts.round(10).tolist() == [[-0.3, -0.1, 0.1]]  # 0.2 + 0.2 / 2 left of zero


def test_department_heat_table_shows_each_score_in_its_colour(make_client):
    from siyu_diag import render_groups
    from siyu_diag.core.palette import score_color

    folder = make_client(HEADER, ROWS, survey={"min_group_size": 1})
    html = render_groups(open_diagnosis(folder)).html
    # 市场部 (R1, R2) on goals: G01 (1, 2) → 0 and 25; G02 is reverse-keyed, (3, 3) → 50 and 50;
    # G03 (3, 4) → 50, 75; G04 (3, 3) → 50, 50. Sub-dimensions: stage fit (12.5 + 50) / 2 = 31.25,
    # basis (62.5 + 50) / 2 = 56.25; goals = 43.75
    pattern = r'<tr><th>市场部 <span class="n">\(n=2\)</span></th>(.*?)</tr>'
    row = re.search(pattern, html).group(1)
    assert f'<td style="background:{score_color(43.75)};color:#222222">43.8</td>' in row
    assert "<img" not in html


def test_subdimension_scores_are_bars_in_their_level_colour(make_client):
    from siyu_diag import render_subdimensions
    from siyu_diag.core.palette import score_color

    out = render_subdimensions(open_diagnosis(make_client(HEADER, ROWS))).html
    # stage fit: G01 (1, 2, 2, 5) → 0, 25, 25, 100: 37.5; G02 reverse-keyed (3, 3, 4, 4) → 50, 50,
    # 25, 25: 37.5; sub-dimension 37.5. Basis: G03 (3, 4, 4, 2) → 56.25, G04 all 3 → 50: 53.125
    assert '<td rowspan="2" class="group">目标</td><td>指标与阶段匹配</td>' in out
    assert f'<i style="width:37.5%;background:{score_color(37.5)}"></i>' in out
    assert '<td class="num">53.1</td>' in out
    assert f'<i style="width:53.1%;background:{score_color(53.125)}"></i>' in out
    assert "<img" not in out


def test_level_strip_places_each_score_in_its_band(make_client):
    from siyu_diag import render_overview
    from siyu_diag.core.palette import LEVEL_COLORS
    from siyu_diag.core.vocab import maturity_levels
    from siyu_diag.diagnosis.levels import score_level_color

    bands = maturity_levels("zh")
    # a band's upper bound belongs to the next level: 40 is level 3, 39.9 level 2
    assert score_level_color(40.0, bands) == LEVEL_COLORS[3]
    assert score_level_color(39.9, bands) == LEVEL_COLORS[2]
    assert score_level_color(100.0, bands) == LEVEL_COLORS[5]
    out = render_overview(open_diagnosis(make_client(HEADER, ROWS))).html
    # goals: (37.5 + 53.125) / 2 = 45.3125 → level 3, the dot 45.3% along the track
    assert f'style="left:45.3%;background:{LEVEL_COLORS[3]}"' in out
    assert out.count('class="ls-band"') == 5
