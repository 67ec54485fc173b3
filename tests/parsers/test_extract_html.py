"""HTML pages: encodings, the body without chrome, page metadata, merged cells."""

import gc

import pytest

from parsers.errors import ExtractionError
from parsers.extract import extract
from parsers.extract.encoding import decode_html

PAGE = """<html><head>{meta}<title>某某市人民政府</title>
<meta name="ArticleTitle" content="某某市某某局2020年政府信息公开工作年度报告">
<meta name="PubDate" content="2021-01-28 10:00"><meta name="ContentSource" content="某某市某某局">
<meta name="ColumnType" content="信息公开年报"></head>
<body><div class="nav"><a href="/">首页</a> <a href="/xxgk">政府信息公开</a></div>
<table class="xxgk-info"><tr><td>索引号：</td><td>11370300/2021-00012</td><td>发布机构：某某市某某局</td></tr>
<tr><td>发文日期：2021-01-28</td><td>文号：</td><td></td></tr></table>
{body}
<div class="footer">主办单位：某某市人民政府办公室 访问量：12345</div>
<script>document.write("统计代码");</script></body></html>"""

BODY = """<div {container}><p>某某市某某局</p><p>2020年政府信息公开工作年度报告</p>
<p><strong>一、总体情况</strong></p><p>&nbsp;&nbsp;2020年，我局认真贯彻《条例》。<br>第二段。</p>
<table><tr><td rowspan="2">信息内容</td><td colspan="2">行政诉讼</td></tr><tr><td>结果<br>维持</td><td>0</td></tr></table>
<div class="bdsharebuttonbox">分享到：微信 微博</div></div>"""


def _page(container: str = 'id="zoom"', meta: str = '<meta charset="utf-8">', body: str = BODY) -> str:
    return PAGE.format(meta=meta, body=BODY.format(container=container) if body is BODY else body)


@pytest.mark.parametrize("container", ['id="zoom"', 'class="TRS_Editor"', 'id="UCAP-CONTENT"', 'class="article-content"', 'class="whatever"'])
def test_body_without_chrome(container: str) -> None:
    doc = extract(_page(container).encode("utf-8"))
    texts = [b.text for b in doc.blocks if b.kind != "table"]
    assert texts == ["某某市某某局", "2020年政府信息公开工作年度报告", "一、总体情况", "2020年，我局认真贯彻《条例》。", "第二段。"]
    assert doc.source_format == "html"


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\x0b", "\x1f"])
def test_zero_width_and_control_characters_are_dropped(invisible: str) -> None:
    clean = extract(_page().encode("utf-8"))
    marked = extract(_page().replace("第二段", f"第{invisible}二段").replace("行政诉讼", f"行政{invisible}诉讼").encode("utf-8"))
    assert [(b.text, b.table and b.table.texts()) for b in marked.blocks] == [(b.text, b.table and b.table.texts()) for b in clean.blocks]


def test_merged_cells_expand_into_copies() -> None:
    doc = extract(_page().encode("utf-8"))
    table = next(b.table for b in doc.blocks if b.table is not None)
    assert [[c.text for c in row] for row in table.rows] == [["信息内容", "行政诉讼", "行政诉讼"], ["信息内容", "结果\n维持", "0"]]
    assert table.rows[0][2].span_of == (0, 1) and table.rows[1][0].span_of == (0, 0)
    assert not table.rows[1][1].is_copy


def test_page_metadata_and_info_table() -> None:
    doc = extract(_page().encode("utf-8"))
    assert doc.page_title == "某某市某某局2020年政府信息公开工作年度报告"
    assert doc.page_meta["PubDate"] == "2021-01-28 10:00"
    assert doc.page_meta["ContentSource"] == "某某市某某局"
    assert doc.page_meta["ColumnType"] == "信息公开年报"
    assert doc.page_meta["索引号"] == "11370300/2021-00012"
    assert doc.page_meta["发布机构"] == "某某市某某局"
    assert doc.page_meta["发文日期"] == "2021-01-28"
    assert "文号" not in doc.page_meta  # printed empty


@pytest.mark.parametrize(
    ("meta", "encoding", "content_type"),
    [
        ('<meta charset="utf-8">', "utf-8", None),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk", None),
        ("", "gbk", None),  # unlabelled GBK
        ('<meta charset="utf-8">', "gbk", None),  # mislabelled GBK
        ('<meta charset="gbk">', "utf-8", None),  # mislabelled UTF-8
        ("", "gb18030", "text/html; charset=iso-8859-1"),  # wrong HTTP header
    ],
)
def test_any_encoding(meta: str, encoding: str, content_type: str | None) -> None:
    data = _page(meta=meta).encode(encoding)
    doc = extract(data, filename="t.html", content_type=content_type)
    assert doc.blocks[0].text == "某某市某某局"
    assert doc.page_meta["发布机构"] == "某某市某某局"


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    # a character a CMS cut in half, and a stray byte: browsers show two U+FFFD, not mojibake
    page = _page(meta='<meta charset="utf-8">').encode("utf-8")
    cut = page.replace("某某市某某局".encode("utf-8"), "某某市某某局".encode("utf-8") + "报".encode("utf-8")[:2], 1) + b"\xff"
    text, encoding = decode_html(cut)
    assert encoding == "utf-8" and text.count("\ufffd") == 2
    assert extract(cut, filename="t.html").page_meta["发布机构"] == "某某市某某局"
    text, encoding = decode_html("某某市某某局".encode("gbk") * 50)  # GBK: every character broken as UTF-8
    assert encoding == "gb18030"


def test_bom_wins() -> None:
    text, encoding = decode_html("\ufeff<p>报告</p>".encode("utf-8"), "text/html; charset=gbk")
    assert text == "<p>报告</p>" and encoding == "utf-8-sig"


def test_page_without_text_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="no text"):
        extract(b"<html><body><div><img src=a.png></div><script>x()</script></body></html>")


def test_link_text_does_not_make_the_body_even_in_links_inside_links() -> None:
    menu = "".join(f'<div><a href="/c{i}">栏目{i}政府信息公开专栏<div><a href="/s{i}">子栏目{i}工作动态与通知公告</a></div></a></div>'
                   for i in range(8))
    page = (f'<html><body><div class="a1">{menu}</div>'
            '<div class="a2"><p>一、总体情况</p><p>2020年，我局认真贯彻《条例》，做好政府信息公开工作。</p></div></body></html>')
    doc = extract(page.encode("utf-8"))
    assert [b.text for b in doc.blocks] == ["一、总体情况", "2020年，我局认真贯彻《条例》，做好政府信息公开工作。"]


def test_cell_lines_break_at_br_and_blocks_nested_in_inline_markup() -> None:
    page = ('<html><body><div id="zoom"><p>报告正文</p><table><tr>'
            '<td><p><font>第一<b>行</b></font><span>续<br>第二行</span></p>\n<div>第三行</div> </td>'
            '<td><font><span> 0 </span></font></td><td>\n<p>&nbsp;</p>\n</td></tr></table></div></body></html>')
    table = next(b.table for b in extract(page.encode("utf-8")).blocks if b.table is not None)
    assert [cell.text for cell in table.rows[0]] == ["第一行续\n第二行\n第三行", "0", ""]


def test_a_read_page_is_freed_by_reference_counts_without_the_garbage_collector() -> None:
    # A worker parses thousands of pages: a cycle per page kept each page's blocks and
    # cells alive until a collector pass, which traced them over and over meanwhile.
    page = _page().encode("utf-8")
    extract(page, filename="a.html")  # imports and compiled patterns first: they are kept
    gc.collect()
    gc.disable()
    try:
        doc = extract(page, filename="a.html")
        assert doc.blocks[-1].table is not None
        del doc
        assert gc.collect() == 0  # nothing left unreachable for the collector to find
    finally:
        gc.enable()


def test_the_pages_own_title_and_metadata_lose_control_characters() -> None:
    meta = '<meta charset="utf-8"><meta name="SiteName" content="某某市\x1b]0;owned\x07人民政府">'
    page = _page(meta=meta).replace('content="某某市某某局2020年政府信息公开工作年度报告"',
                                    'content="某某市某某局\x1b[2J2020年政府信息公开工作\u200b年度报告"')
    doc = extract(page.encode("utf-8"))
    assert doc.page_title == "某某市某某局[2J2020年政府信息公开工作年度报告"
    assert doc.page_meta["SiteName"] == "某某市]0;owned人民政府"
    headed = extract(_page().replace('<meta name="ArticleTitle" content="某某市某某局2020年政府信息公开工作年度报告">', "")
                     .replace("<body>", "<body><h1>某某市\x1b[2J某某局</h1>").encode("utf-8"))
    assert headed.page_title == "某某市[2J某某局"
