"""Finding links wherever portals put them, one pattern per test, on markup shaped like the
portals': county-portal .shtml columns, PDF.js and Office preview wrappers, frames."""

from __future__ import annotations

import base64
from urllib.parse import quote

from scrapy.http import HtmlResponse

from harvester.spiders.links import element_links, html_links, script_targets, unwrap_viewer
from harvester.spiders.reportpage import attachment_urls
from parsers.title import parse_report_title

PAGE = "http://www.xx.gov.cn/c100413/202301/a3f0c2d1e8.shtml"


def response(body: str, url: str = PAGE) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8")


def test_download_function_in_onclick() -> None:
    body = """<div class="fj"><p>附件：<a href="javascript:void(0);" onclick="downloadFile('/uploadfile/2023/0120/20230120094512345.pdf','某县2022年政府信息公开工作年度报告.pdf')">某县2022年政府信息公开工作年度报告.pdf</a></p></div>"""
    assert attachment_urls(response(body)) == ["http://www.xx.gov.cn/uploadfile/2023/0120/20230120094512345.pdf"]


def test_javascript_href_and_window_open() -> None:
    body = """<a href="javascript:downLoad('../../uploadfile/2023/nb.docx')">下载</a>
    <span class="btn" onclick="window.open('/uploadfile/2023/nb.pdf','_blank','width=800')">查看</span>
    <li onclick="location.href='./202301/t20230130_88.shtml'">报告</li>"""
    links = html_links(body, PAGE)
    assert [(l.url, l.via) for l in links] == [
        ("http://www.xx.gov.cn/uploadfile/2023/nb.docx", "script"),
        ("http://www.xx.gov.cn/uploadfile/2023/nb.pdf", "script"),
        ("http://www.xx.gov.cn/c100413/202301/202301/t20230130_88.shtml", "script"),
    ]


def test_script_targets_skip_words_and_window_options() -> None:
    assert script_targets("window.open('/a/b.pdf', '_blank', 'width=800,height=600')") == ["/a/b.pdf"]
    assert script_targets("goPage(2); return false;") == []
    assert script_targets('location.href = "detail.jsp?id=7"') == ["detail.jsp?id=7"]


def test_pdfjs_viewer_link_gives_the_pdf() -> None:
    body = """<p><a href="/static/pdfjs/web/viewer.html?file=%2Fuploadfile%2F2023%2F0120%2Fnb2022.pdf" target="_blank">在线预览</a></p>"""
    assert attachment_urls(response(body)) == ["http://www.xx.gov.cn/uploadfile/2023/0120/nb2022.pdf"]
    # relative to the viewer, as PDF.js resolves it
    assert unwrap_viewer("http://x.gov.cn/pdfjs/web/viewer.html?file=../../files/a.pdf") == "http://x.gov.cn/files/a.pdf"


def test_office_and_kkfileview_previews_give_the_file() -> None:
    docx = "http://www.xx.gov.cn/uploadfile/2023/nb.docx"
    office = f"https://view.officeapps.live.com/op/view.aspx?src={quote(docx, safe='')}"
    kk = "http://www.xx.gov.cn:8012/onlinePreview?url=" + quote(base64.b64encode(docx.encode()).decode())
    assert unwrap_viewer(office) == docx
    assert unwrap_viewer(kk) == docx
    # a download script's ?file= is the way to the file, not a wrapper
    download = "http://www.xx.gov.cn/module/download/downfile.jsp?file=nb.docx"
    assert unwrap_viewer(download) == download


def test_viewer_inside_an_iframe_and_embeds() -> None:
    body = """<div class="article"><iframe src="/static/pdfjs/web/viewer.html?file=/uploadfile/2023/nb.pdf" width="100%" height="800"></iframe>
    <embed src="/uploadfile/2023/nb2.pdf" type="application/pdf"><object data="/uploadfile/2023/nb3.pdf" type="application/pdf"></object></div>"""
    assert attachment_urls(response(body)) == [
        "http://www.xx.gov.cn/uploadfile/2023/nb.pdf",
        "http://www.xx.gov.cn/uploadfile/2023/nb2.pdf",
        "http://www.xx.gov.cn/uploadfile/2023/nb3.pdf",
    ]


def test_a_body_frame_is_followed_but_not_furniture_or_templates() -> None:
    # shaped like the pingtan portal page: a weather frame off-site, a viewer frame drawn
    # by a template engine, and the report body in a same-site frame
    body = """<iframe id="tianqi" class='tianqi-box' width="260" height="26" scrolling="no" src="https://i-tianqi.example.cn?c=code&id=26"></iframe>
    <iframe src="/include/header.html" height="120"></iframe>
    <iframe class="isofd" ms-attr-src="/generic2/web/viewer.html?file={{qzbFile}}" src="/generic2/web/viewer.html?file={{qzbFile}}"></iframe>
    <div class="zw"><iframe src="/c100413/202301/a3f0c2d1e8_content.html" frameborder="0" width="100%"></iframe></div>"""
    assert attachment_urls(response(body)) == ["http://www.xx.gov.cn/c100413/202301/a3f0c2d1e8_content.html"]


def test_file_url_in_an_inline_script() -> None:
    body = """<div id="pdfbox"></div><script type="text/javascript">
    var fileUrl = "/uploadfile/2023/0120/nb2022.pdf";
    $("#pdfbox").media({src: fileUrl, width: "100%"}); var cur = 'index.shtml';
    </script>"""
    assert attachment_urls(response(body)) == ["http://www.xx.gov.cn/uploadfile/2023/0120/nb2022.pdf"]


def test_list_element_links_keep_href_first_then_onclick() -> None:
    links = element_links("a", {"href": "./202301/t1.shtml", "onclick": "hit('/stat/count.jsp?id=1')"}, PAGE)
    assert [l.url for l in links] == ["http://www.xx.gov.cn/c100413/202301/202301/t1.shtml",
                                      "http://www.xx.gov.cn/stat/count.jsp?id=1"]
    assert element_links("a", {"href": "javascript:void(0)", "onclick": "goPage(2)"}, PAGE) == []


# A report body as Word saves it and portals paste it: <o:p> and mso styles on every paragraph,
# upper-case tags, links through script attributes in several spellings, a script block.
WORD_BODY = """<div class=WordSection1 style='layout-grid:15.6pt'>
<p class=MsoNormal align=center style='text-align:center;mso-line-height-rule:exactly'><b><span
style='font-size:16.0pt;font-family:方正小标宋简体;mso-font-kerning:0pt'>平潭综合实验区2024年政府信息公开工作年度报告<span
lang=EN-US><o:p></o:p></span></span></b></p>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span style='font-family:仿宋_GB2312'>本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。如对本报告有疑问，请点击<A
HREF="/zwgk/zfxxgk/nb/202501/P020250120.pdf" TARGET=_blank>附件</A>或<span class=MsoHyperlink
onClick="downloadFile('/uploadfile/2025/0120/nb2024.docx','年度报告.docx')">下载</span>。<o:p></o:p></span></p>
<table class=MsoNormalTable border=1 style='border-collapse:collapse;mso-yfti-tbllook:1184'><tr><td
style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt'><p class=MsoNormal><span
ONCLICK="window.open('/uploadfile/2025/0120/table1.xls')">表一<o:p></o:p></span></p></td>
<td><p class=MsoNormal>请点击 onclick 查看<o:p></o:p></p></td></tr></table>
<IFRAME SRC="/static/pdfjs/web/viewer.html?file=/uploadfile/2025/0120/nb2024.pdf" WIDTH="100%"></IFRAME>
<p class=MsoNormal><span data-href="javascript:down('/uploadfile/2025/0120/fj2.wps')">附件2</span><span
ondblclick="open('/uploadfile/2025/0120/fj3.pdf')">附件3</span><o:p></o:p></p>
<SCRIPT type="text/javascript">var file = "/uploadfile/2025/0120/inline.pdf"; var cur = "index.shtml";</SCRIPT>
</div>"""


def test_word_html_links_in_every_spelling() -> None:
    links = html_links(WORD_BODY, PAGE)
    assert [(l.url, l.via) for l in links] == [
        ("http://www.xx.gov.cn/zwgk/zfxxgk/nb/202501/P020250120.pdf", "href"),
        ("http://www.xx.gov.cn/uploadfile/2025/0120/nb2024.docx", "script"),
        ("http://www.xx.gov.cn/uploadfile/2025/0120/table1.xls", "script"),
        ("http://www.xx.gov.cn/uploadfile/2025/0120/nb2024.pdf", "frame"),
        ("http://www.xx.gov.cn/uploadfile/2025/0120/fj2.wps", "script"),
        ("http://www.xx.gov.cn/uploadfile/2025/0120/fj3.pdf", "script"),
        ("http://www.xx.gov.cn/uploadfile/2025/0120/inline.pdf", "script"),
    ]


def test_wrapper_names_are_read_after_urlsplit_cleans_the_url() -> None:
    # urlsplit drops tabs and line breaks, so a viewer's name broken by one is still a viewer
    assert unwrap_viewer("http://x.gov.cn/pdfjs/web/view\ter.html?file=/files/a.pdf") == "http://x.gov.cn/files/a.pdf"
    assert unwrap_viewer("http://x.gov.cn/files/a.pdf") == "http://x.gov.cn/files/a.pdf"


def test_files_a_related_articles_list_links_are_other_reports_not_this_ones() -> None:
    # The CMS prints the column's other reports under the article, as files; their titles name
    # another agency or another year.
    body = """<div id="zoom"><p>详见附件。</p>
    <p class="fj"><a href="/uploadfile/2023/0120/nb2022.pdf">某县人民政府2022年政府信息公开工作年度报告.pdf</a></p>
    <div class="xgwz"><h3>相关文章</h3><ul>
    <li><a href="/upload/2024/03/a1.pdf">某县教育局2022年政府信息公开工作年度报告.pdf</a></li>
    <li><a href="/upload/2024/03/b2.pdf">某县人民政府2021年政府信息公开工作年度报告.pdf</a></li>
    <li><a href="/upload/2024/03/c3.pdf">附件2：统计表.pdf</a></li></ul></div></div>"""
    listed = parse_report_title("某县人民政府2022年政府信息公开工作年度报告")
    assert attachment_urls(response(body), report=listed) == [
        "http://www.xx.gov.cn/uploadfile/2023/0120/nb2022.pdf", "http://www.xx.gov.cn/upload/2024/03/c3.pdf"]
    assert len(attachment_urls(response(body))) == 4  # a title that names no report: every file is the page's


def test_a_lists_titles_lose_what_a_terminal_or_a_text_direction_would_act_on() -> None:
    from parsel import Selector

    from harvester.spiders.walkers.listing import links_in

    listing = Selector(text='<ul><li><a href="/art/1.html" title="\x1b[2J\x1b]0;owned\x07平潭综合实验区\u202e2024年\u200b政府信息公开'
                            '工作年度报告">平潭…</a><span>2025-01-20</span></li>'
                            '<li><a href="/art/2.html">某某县\x1b[31m2023年\r\n政府信息公开年报</a></li></ul>')
    titles = [link.title for link in links_in(listing, "http://www.xx.gov.cn/")]
    assert titles == ["[2J]0;owned平潭综合实验区2024年政府信息公开工作年度报告", "某某县[31m2023年 政府信息公开年报"]
    assert parse_report_title(titles[1]) is not None
