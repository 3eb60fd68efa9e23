import copy
import re

import nbformat
import pytest
from nbformat import v4

from siyu_diag.core.export import render_html

# A 1x1 transparent PNG.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
SUMMARY = '<section class="chapter" id="summary"><h2>执行摘要</h2><p class="lead">总体处于 L2</p>'
DETAIL = (
    '<section class="sub" id="detail"><h3>分部门得分</h3><table class="data"></table></section>'
)
TOC = [
    {"id": "summary", "title": "执行摘要", "level": 1},
    {"id": "detail", "title": "分部门得分", "level": 2},
]


def _notebook() -> nbformat.NotebookNode:
    nb = v4.new_notebook()
    fragments = v4.new_code_cell("show(SECRET_SOURCE)", execution_count=1)
    fragments.outputs = [
        v4.new_output(
            "display_data",
            data={"text/html": SUMMARY + DETAIL + "</section>", "text/plain": "<HTML>"},
            metadata={"siyu": {"toc": TOC}},
        ),
        v4.new_output("stream", name="stderr", text="STDERR_WARNING font glyph missing\n"),
        v4.new_output("stream", name="stdout", text="STDOUT_CHATTER\n"),
        v4.new_output(
            "error", ename="ValueError", evalue="ERROR_VALUE", traceback=["TRACEBACK_LINE"]
        ),
    ]
    chart = v4.new_code_cell("plot()", execution_count=2)
    chart.outputs = [
        v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        v4.new_output("execute_result", data={"text/plain": "PLAIN_RESULT"}, execution_count=2),
        v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
                "text/plain": "WIDGET_PLAIN",
            },
        ),
    ]
    nb.cells = [
        v4.new_markdown_cell("MARKDOWN_NOTE for notebook readers"),
        fragments,
        v4.new_raw_cell("RAW_CELL_TEXT", metadata={"raw_mimetype": "text/html"}),
        chart,
    ]
    return nb


def _cover(**overrides: object) -> dict:
    cover = {
        "brand": "山茶集",
        "title": "私域组织力诊断报告",
        "subtitle": "现状评估与改进路线",
        "date": "2025-03-20",
        "consultant": "李明远",
        "confidential_note": "机密文件：仅供内部使用",
        "footer": "山茶集 · 机密",
        "lang": "zh",
    }
    cover.update(overrides)
    return cover


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(_notebook(), cover=_cover())


def test_fragments_and_image_are_in_order(html):
    assert SUMMARY in html
    assert DETAIL in html
    assert f'src="data:image/png;base64,{PNG}"' in html
    assert html.index(SUMMARY) < html.index(PNG)


def test_toc_links_every_entry_with_its_level(html):
    toc = html[html.index("<nav") : html.index("</nav>")]
    assert 'class="toc"' in toc
    assert '<a href="#summary">执行摘要</a>' in toc
    assert '<a href="#detail">分部门得分</a>' in toc
    assert 'class="toc-l2"' in toc
    assert toc.index("#summary") < toc.index("#detail")
    assert "目录" in toc


def test_cover_and_footer_fields(html):
    for text in ["山茶集", "私域组织力诊断报告", "现状评估与改进路线", "2025-03-20", "李明远"]:
        assert text in html
    assert "机密文件：仅供内部使用" in html
    assert '<footer class="report-footer">山茶集 · 机密</footer>' in html
    assert "<title>山茶集 · 私域组织力诊断报告</title>" in html
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<meta charset="utf-8"' in html


@pytest.mark.parametrize(
    "forbidden",
    [
        "SECRET_SOURCE",
        "STDERR_WARNING",
        "STDOUT_CHATTER",
        "ERROR_VALUE",
        "TRACEBACK_LINE",
        "MARKDOWN_NOTE",
        "RAW_CELL_TEXT",
        "PLAIN_RESULT",
        "WIDGET_PLAIN",
        "In [",
        "Out[",
        "<script",
    ],
)
def test_nothing_but_the_report_is_shown(html, forbidden):
    assert forbidden not in html


def test_no_request_leaves_the_file(html):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"url\((https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", html, re.IGNORECASE)
    assert "@import" not in html
    assert "<link" not in html.lower()


def test_css_is_inlined(html):
    assert "<style" in html
    assert "section.chapter" in html
    assert "@page" in html


def test_cover_values_are_escaped():
    evil = "<script>alert(1)</script>"
    html = render_html(_notebook(), cover=_cover(brand=evil, consultant='"><img src=x>'))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "<img src=x>" not in html


def test_toc_titles_are_escaped():
    nb = _notebook()
    nb.cells[1].outputs[0].metadata["siyu"]["toc"][0]["title"] = "<b>摘要</b>"
    html = render_html(nb, cover=_cover())
    assert "&lt;b&gt;摘要&lt;/b&gt;" in html


@pytest.mark.parametrize(("lang", "expected"), [("zh", "zh-CN"), ("en", "en")])
def test_html_lang_follows_the_cover(lang, expected):
    html = render_html(_notebook(), cover=_cover(lang=lang))
    assert f'<html lang="{expected}">' in html


def test_english_labels_by_default_and_overridable():
    html = render_html(_notebook(), cover=_cover(lang="en"))
    assert ">Contents</h2>" in html
    assert "Prepared by" in html
    html = render_html(_notebook(), cover=_cover(lang="en", labels={"contents": "Overview"}))
    assert ">Overview</h2>" in html


def test_no_toc_without_toc_metadata():
    nb = _notebook()
    del nb.cells[1].outputs[0].metadata["siyu"]
    assert "<nav" not in render_html(nb, cover=_cover())


def test_notebook_is_not_modified():
    nb = _notebook()
    before = copy.deepcopy(nb)
    render_html(nb, cover=_cover())
    assert nb == before


def test_missing_cover_key_is_named():
    cover = _cover()
    del cover["consultant"]
    with pytest.raises(ValueError, match="consultant"):
        render_html(_notebook(), cover=cover)


def test_unknown_cover_key_is_named():
    with pytest.raises(ValueError, match="colour"):
        render_html(_notebook(), cover=_cover(colour="red"))


def test_unsupported_language_lists_the_allowed_ones():
    with pytest.raises(ValueError, match=r"must be one of .*'en'.*but 'fr' was passed"):
        render_html(_notebook(), cover=_cover(lang="fr"))


def test_unrepresentable_outputs_are_dropped_without_warning(recwarn):
    nb = v4.new_notebook()
    cell = v4.new_code_cell("x")
    cell.outputs = [
        v4.new_output("display_data", data={"application/x-unknown": "UNKNOWN_DATA"}),
        v4.new_output("display_data", data={"text/html": "<p>KEPT</p>"}),
    ]
    nb.cells = [cell]
    html = render_html(nb, cover=_cover())
    assert "<p>KEPT</p>" in html
    assert "UNKNOWN_DATA" not in html
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
