"""The real TRS page with its table 3 re-spanned the ways Word's "save as web page" spans cells.

Word draws each row on its own grid: a row label spans three grid columns in one row and
two in the next, a value cell spans two, the header's columns fall elsewhere. Every variant
must read to the same cells as the page itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from real_documents import REAL, cell_differences, expected_of

PAGE = REAL / "pingtan_2025_portal_page.html"
_TABLE3 = re.compile(r"<table(?:(?!</table>).)*?勾稽.*?</table>", re.S)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_CELL = re.compile(r"<td\b([^>]*)>(.*?)</td>", re.S)


def _respan_rows(change: Callable[[list[tuple[str, str]]], list[tuple[str, str]]]) -> bytes:
    """The page with ``change`` applied to the (attributes, content) cells of table 3's data rows."""
    html = PAGE.read_text(encoding="utf-8")
    table = _TABLE3.search(html)
    assert table is not None

    def row(match: re.Match[str]) -> str:
        text = match.group(0)
        cells = _CELL.findall(text)
        if "勾稽" in text or not re.search(r"<p[^>]*>\s*\d+\s*</p>", text):  # header and group rows as printed
            return text
        changed = change(cells)
        head = text[: text.index("<td")]
        return head + "".join(f"<td{attrs}>{content}</td>" for attrs, content in changed) + "</tr>"

    return (html[: table.start()] + _ROW.sub(row, table.group(0)) + html[table.end() :]).encode("utf-8")


def _last_value_spans_two(cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    attrs, content = cells[-1]
    return cells[:-1] + [(attrs + ' colspan="2"', content)]


def _narrow_label_wide_first_value(cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The label spans one grid column fewer and the first value one more: the row's width is kept."""
    out = list(cells)
    label = next(i for i, (_, content) in enumerate(out) if not re.search(r">\s*\d+\s*<", content))
    attrs, content = out[label]
    span = re.search(r'colspan="(\d+)"', attrs)
    if span is None or span.group(1) == "1":
        return out
    out[label] = (attrs.replace(span.group(0), f'colspan="{int(span.group(1)) - 1}"'), content)
    attrs, content = out[label + 1]
    out[label + 1] = (attrs + ' colspan="2"', content)
    return out


def _spacer_after_label(cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """An empty cell between the label and the values (Word's filler for a narrower label), the row one wider."""
    label = max(i for i, (_, content) in enumerate(cells) if not re.search(r">\s*\d+\s*<", content))
    return cells[: label + 1] + [(' valign="center"', "<p>&nbsp;</p>")] + cells[label + 1 :]


@pytest.mark.parametrize(
    "change", [_last_value_spans_two, _narrow_label_wide_first_value, _spacer_after_label], ids=lambda f: f.__name__.strip("_")
)
def test_word_spans_read_to_the_same_cells(change: Callable[[list[tuple[str, str]]], list[tuple[str, str]]]) -> None:
    data = _respan_rows(change)
    assert data != PAGE.read_bytes()
    report = parse_bytes(data, filename=PAGE.name)[1].to_dict()
    assert cell_differences(expected_of(PAGE), report) == []
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_table_split_in_two_without_a_header_on_the_second() -> None:
    """The editor cut table 3 at （四）: the second table lacks the 三、 column and the header, and spans its last value."""
    html = PAGE.read_text(encoding="utf-8")
    table = _TABLE3.search(html)
    assert table is not None
    cut = table.group(0).index("（四）无法提供")
    cut = table.group(0).rindex("<tr", 0, cut)
    last_cell = re.compile(r"(<td\b[^>]*)(>(?:(?!</td>).)*?</td>\s*</tr>)", re.S)
    second = last_cell.sub(r'\1 colspan="2"\2', table.group(0)[cut:])
    split = table.group(0)[:cut] + "</tbody></table><p>（续表）</p><table border=\"1\"><tbody>" + second
    data = (html[: table.start()] + split + html[table.end() :]).encode("utf-8")
    report = parse_bytes(data, filename=PAGE.name)[1].to_dict()
    assert cell_differences(expected_of(PAGE), report) == []
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def _saved_by_word(break_before: str) -> bytes:
    """The real page's report body as Word saves it as a web page when a section break (a
    landscape page for a table) stands before the paragraph starting with ``break_before``:
    each section a ``<div class=WordSectionN>``, the break a ``<br>`` between them."""
    html = PAGE.read_text(encoding="utf-8")
    start = html.index(">", html.index("<div class=TRS_Editor>")) + 1
    end = html.index("附件下载") if "附件下载" in html else len(html)
    body = html[start:html.rindex("</div>", start, end)]
    cut = body.rindex("<p", 0, body.index(break_before))
    section_break = ("<span style='mso-break-type:section-break'><br clear=all "
                     "style='page-break-before:always;mso-break-type:section-break'></span>")
    return ("<html xmlns:o='urn:schemas-microsoft-com:office:office' xmlns:w='urn:schemas-microsoft-com:office:word'>"
            "<head><meta http-equiv=Content-Type content='text/html; charset=utf-8'>"
            "<meta name=Generator content='Microsoft Word 15 (filtered)'></head><body lang=ZH-CN>"
            f"<div class=WordSection1>{body[:cut]}</div>{section_break}<div class=WordSection2>{body[cut:]}</div>"
            "</body></html>").encode("utf-8")


@pytest.mark.parametrize("break_before", ["四、政府信息公开行政复议", "五、存在的主要问题"])
def test_a_page_word_saved_in_sections_is_read_across_them(break_before: str) -> None:
    _, report = parse_bytes(_saved_by_word(break_before), filename="report.htm")
    _, page = parse_bytes(PAGE.read_bytes(), filename=PAGE.name)
    assert cell_differences(expected_of(PAGE), report.to_dict()) == []
    assert [s.heading for s in report.sections] == [s.heading for s in page.sections]
    assert [f.rule for f in report.findings] == []


def test_a_number_word_hid_beside_the_printed_one_is_not_read() -> None:
    # Word's hidden text, as its web page writes it, before table 3's printed total of new applications
    html = PAGE.read_bytes()
    printed = b'<p style="text-indent: 0em;">154</p>'
    assert html.count(printed) == 1
    hidden = html.replace(printed, b"<p style=\"text-indent: 0em;\"><span style='display:none;mso-hide:all'>150</span>154</p>")
    _, report = parse_bytes(hidden, filename=PAGE.name)
    assert cell_differences(expected_of(PAGE), report.to_dict()) == []
    assert [f.rule for f in report.findings] == []


def test_a_report_wrapped_for_the_print_button_inside_the_editors_container_is_kept() -> None:
    # "print" names chrome (a print link, a print toolbar); the wrapper holding the whole report is not
    html = PAGE.read_text(encoding="utf-8")
    start = html.index("<div class=TRS_Editor>") + len("<div class=TRS_Editor>")
    end = html.index("</div>", html.index("六、其他需要报告的事项"))
    wrapped = (html[:start] + '<div id="printContent">' + html[start:end] + "</div>" + html[end:]).encode("utf-8")
    _, report = parse_bytes(wrapped, filename=PAGE.name)
    _, page = parse_bytes(PAGE.read_bytes(), filename=PAGE.name)
    assert cell_differences(expected_of(PAGE), report.to_dict()) == []
    assert [s.heading for s in report.sections] == [s.heading for s in page.sections]


def test_a_small_table_inside_a_cell_of_table_3_leaves_table_3_a_table() -> None:
    # an editor's 1x1 table around a label (pasted from another document) inside the report's table
    label = '<p style="text-indent: 0em;">（一）予以公开</p>'
    html = PAGE.read_text(encoding="utf-8")
    assert html.count(label) == 1
    nested = html.replace(label, f"<table border=1><tr><td>{label}</td></tr></table>").encode("utf-8")
    _, report = parse_bytes(nested, filename=PAGE.name)
    assert cell_differences(expected_of(PAGE), report.to_dict()) == []
    assert report.to_dict()["completeness"]["applications"]["status"] == "complete"


def _editor_reopened(before: str, between: str = "") -> str:
    """The real page with its editor's container closed before the paragraph starting with
    ``before`` and a second ``.TRS_Editor`` opened after ``between``: TRS's editor does so around
    a table pasted in on its own."""
    html = PAGE.read_text(encoding="utf-8")
    cut = html.rindex("<p", 0, html.index(before))
    return html[:cut] + f"</div>{between}<div class=TRS_Editor>" + html[cut:]


@pytest.mark.parametrize("between", ["", "<p>&nbsp;</p>", "<div class=clear></div>"])
def test_a_body_in_two_editor_containers_is_read_across_both(between: str) -> None:
    data = _editor_reopened("四、政府信息公开行政复议", between).encode("utf-8")
    _, report = parse_bytes(data, filename=PAGE.name)
    _, page = parse_bytes(PAGE.read_bytes(), filename=PAGE.name)
    assert cell_differences(expected_of(PAGE), report.to_dict()) == []
    assert [s.heading for s in report.sections] == [s.heading for s in page.sections]
    assert [f.rule for f in report.findings] == []


def test_an_editor_container_elsewhere_on_the_page_is_not_read_into_the_report() -> None:
    html = PAGE.read_text(encoding="utf-8")
    related = "<div class=TRS_Editor><p>相关阅读：2024年度平潭综合实验区政府信息公开工作年度报告（共收到申请999件）</p></div>"
    data = html.replace("</body>", f"<div class=related>{related}</div></body>").encode("utf-8")
    _, report = parse_bytes(data, filename=PAGE.name)
    assert "相关阅读" not in " ".join(s.text for s in report.sections)
    assert cell_differences(expected_of(PAGE), report.to_dict()) == []


def test_a_title_framed_in_a_one_cell_table_is_the_title() -> None:
    # an editor's 1x1 table around the title lines, as pasted from a Word file with a framed title
    seed = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "002_133ea6e3b8938548.html"
    html = seed.read_text(encoding="utf-8")
    title = ('<p style="text-align:center"><strong>淄博市张店区机关事务服务中心</strong></p>\n'
             '<p style="text-align:center"><strong>2020年政府信息公开工作年度报告</strong></p>')
    assert html.count(title) == 1
    framed = html.replace(title, f'<table border="1" width="100%"><tr><td>{title}</td></tr></table>').encode("utf-8")
    report = parse_bytes(framed, filename=seed.name)[1]
    assert report.metadata.title == "淄博市张店区机关事务服务中心2020年政府信息公开工作年度报告"
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("furniture", [
    '<p class="views">浏览次数：2443</p>',
    '<p class="today">打印日期：2026-01-06</p>',
    '<div class="related"><h3>热点推荐</h3><ul><li><a href="/c/1.shtml">区政府召开常务会议</a></li>'
    '<li><a href="/c/2.shtml">关于征集民生实事项目的公告</a></li></ul></div>',
    '<div class="xgwz"><h3>相关文章</h3><ul><li><a href="/u/a.pdf">某县教育局2022年政府信息公开工作年度报告.pdf</a></li></ul></div>',
    '<p>【打印本页】【关闭窗口】</p><p class="views">浏览次数：2443</p>',
])
def test_the_portals_counters_tools_and_lists_inside_the_editors_container_are_not_the_reports_text(furniture: str) -> None:
    # What a CMS prints inside the article's container, constant for a day's cached copy and
    # different the next: read into section 六, it made a version on every crawl.
    html = PAGE.read_text(encoding="utf-8")
    end = html.index("</div>", html.index("六、其他需要报告的事项"))
    data = (html[:end] + furniture + html[end:]).encode("utf-8")
    _, report = parse_bytes(data, filename=PAGE.name)
    _, page = parse_bytes(PAGE.read_bytes(), filename=PAGE.name)
    assert [(s.heading, s.text) for s in report.sections] == [(s.heading, s.text) for s in page.sections]
    assert cell_differences(expected_of(PAGE), report.to_dict()) == []
