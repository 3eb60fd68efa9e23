"""The portfolio page: brand table, heatmap, spread per dimension, failures; offline."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from siyu_diag.core.report import ReportPaths
from siyu_diag.portfolio.batch import FAILED, OK, BatchResult, BrandResult
from siyu_diag.portfolio.index import dimension_spread, portfolio_table, render_index

DIMS = ("goals", "collaboration", "incentives", "growth")
NAMES = {"goals": "目标", "collaboration": "协同", "incentives": "激励", "growth": "成长"}


def results(slug, brand, overall, level, scores, industry="restaurant"):
    return {
        "client": {
            "brand": brand,
            "slug": slug,
            "industry": industry,
            "stage": "launch",
            "date": "2026-03-01",
            "consultant": "X",
            "language": "zh",
        },
        "provenance": {"question_bank": {"id": "siyu-org", "version": "1.0"}},
        "diagnosis": {
            "respondents": 12,
            "overall_score": overall,
            "overall_level": level,
            "dimensions": [
                {"id": d, "name": NAMES[d], "score": s, "level": level}
                for d, s in zip(DIMS, scores, strict=True)
            ],
        },
    }


BRANDS = [
    results("alpha", "阿尔法", 62.0, 4, (70.0, 60.0, 55.0, 63.0)),
    results("beta", "<b>Beta</b> & 贝塔", 38.5, 2, (30.0, 45.0, 35.0, 44.0), industry="fmcg"),
    results("gamma", "伽马", 50.0, 3, (52.0, 48.0, None, 50.0)),
]


@pytest.fixture
def batch(tmp_path):
    out = tmp_path / "out"
    brands = []
    for r in BRANDS:
        folder = out / r["client"]["slug"]
        folder.mkdir(parents=True)
        (folder / "results.json").write_text(json.dumps(r, ensure_ascii=False), "utf-8")
        (folder / "report.html").write_text("<html></html>", "utf-8")
        paths = ReportPaths(folder, folder / "report.html", folder / "results.json", ())
        brands.append(
            BrandResult(f"/clients/{r['client']['slug']}", r["client"]["slug"], OK, "", paths, 9.5)
        )
    brands.append(
        BrandResult(
            "/clients/broken", "broken", FAILED, "answers.csv, row 3: '<x>' is not an answer."
        )
    )
    return BatchResult(out_dir=out, brands=tuple(brands), seconds=31.0)


def test_portfolio_table_matches_the_results():
    table, names = portfolio_table(BRANDS)
    assert list(table["slug"]) == ["alpha", "beta", "gamma"]
    assert list(names) == list(DIMS)
    assert names["goals"] == {"zh": "目标"}
    assert table.loc[1, "collaboration"] == 45.0
    assert pd.isna(table.loc[2, "incentives"])


def test_spread_matches_a_plain_pandas_computation():
    table, _ = portfolio_table(BRANDS)
    spread = dimension_spread(table, ["overall_score", *DIMS])
    frame = pd.DataFrame(
        [
            [r["diagnosis"]["overall_score"]] + [d["score"] for d in r["diagnosis"]["dimensions"]]
            for r in BRANDS
        ],
        columns=["overall_score", *DIMS],
        dtype=float,
    )
    assert spread["min"].tolist() == frame.min().tolist()
    assert spread["max"].tolist() == frame.max().tolist()
    assert spread["median"].tolist() == frame.median().tolist()
    assert spread.loc["incentives", "n"] == 2  # gamma has no incentives score
    assert spread.loc["goals", "range"] == pytest.approx(70.0 - 30.0)


def test_index_lists_every_brand_with_links_and_levels(batch, tmp_path):
    path = render_index(batch, batch.out_dir)
    assert path == batch.out_dir / "index.html"
    html = path.read_text(encoding="utf-8")
    for slug in ("alpha", "beta", "gamma"):
        assert f'href="{slug}/report.html"' in html
    # ranked by overall score: alpha 62, gamma 50, beta 38.5
    order = [html.index(f'href="{s}/report.html"') for s in ("alpha", "gamma", "beta")]
    assert order == sorted(order)
    assert 'class="level-badge level-4"' in html and 'class="level-badge level-2"' in html
    for name in NAMES.values():
        assert f'<th class="num">{name}</th>' in html
    assert "70.0" in html and "38.5" in html
    assert "&lt;b&gt;Beta&lt;/b&gt; &amp; 贝塔" in html  # escaped
    assert "<b>Beta</b>" not in html


def test_index_shows_heatmap_and_spread(batch):
    html = render_index(batch, batch.out_dir).read_text(encoding="utf-8")
    assert 'id="heatmap"' in html and "<img" not in html  # a heat table, not a picture
    # goals of the best brand: 70 lies 80% of the way from the level-3 colour #F0E442 to the
    # level-4 colour #A6D96A (stops every 25 points): 240-74*.8=181, 228-11*.8=219, 66+40*.8=98
    assert '<td style="background:#b5db62;color:#222222">70.0</td>' in html
    assert 'id="spread"' in html
    # goals: lowest 30, median 52, highest 70: the bar starts at 30 % and spans 40 %
    assert 'style="left: 30.0%; width: 40.0%"' in html
    assert 'style="left: 52.0%"' in html


def test_index_lists_failures_with_their_reason(batch):
    html = render_index(batch, batch.out_dir).read_text(encoding="utf-8")
    assert 'id="failed"' in html
    assert "broken" in html
    assert "answers.csv, row 3: &#39;&lt;x&gt;&#39; is not an answer." in html


def test_index_is_self_contained_and_offline(batch):
    html = render_index(batch, batch.out_dir).read_text(encoding="utf-8")
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE)
    assert "<link" not in html and "<script" not in html and "@import" not in html
    sources = re.findall(r'src="([^"]+)"', html)
    assert all(s.startswith("data:") for s in sources)
    assert "--navy" in html  # the report stylesheet is inlined
    links = re.findall(r'href="([^"]+)"', html)
    assert all(not link.startswith(("/", "file:")) for link in links)


def test_index_with_only_failures(tmp_path):
    batch = BatchResult(
        out_dir=tmp_path,
        brands=(BrandResult("x", "x", FAILED, "bad"),),
        seconds=1.0,
    )
    html = render_index(batch, tmp_path).read_text(encoding="utf-8")
    assert "没有成功生成的报告" in html and "bad" in html
    assert 'id="heatmap"' not in html


def test_index_language_follows_the_batch(batch):
    english = BatchResult(**{**batch.__dict__, "lang": "en"})
    html = render_index(english, batch.out_dir).read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Portfolio overview" in html
    assert "Reports not built" in html
