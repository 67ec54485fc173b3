"""A portal's furniture left in a document: what a browser prints around the report when a
page is saved as PDF, or what a page's body holds when the portal puts it inside.

* The footer is a run of short lines (friend links, 联系我们 | 网站地图, the site's
  registration numbers) after the report's last sentence, and a "related articles" list
  (相关文章, 热点推荐, 猜你喜欢) is a heading and short lines at the end.
* Lines of the page's tools and counters stand anywhere: "浏览次数：2443", "打印日期：…",
  "【打印本页】【关闭窗口】", "字号：大 中 小".

Left in, they are read as the report's text (section 六's, mostly), and the counters, dates
and lists they print change that text from one fetch, or one day's cached copy, to the next.
"""

from __future__ import annotations

import re

from parsers.dates import is_date_line
from parsers.document import Block

# What only a site's footer prints: registration numbers, the site's owner, its copyright.
_FOOTER = re.compile(r"ICP备|网站标识码|公网安备|公安备案|版权所有|主办单位[：:]|主办[：:]|承办单位[：:]|技术支持[：:]|"
                     r"浏览器版本|最佳浏览效果|分辨率")
# A list of other pages printed after the report, by its heading.
_LIST_HEADING = re.compile(r"(?:相关(?:文章|阅读|链接|新闻|信息|推荐)|热点(?:推荐|新闻|文章)|热门(?:文章|推荐)|猜你喜欢|"
                           r"延伸阅读|推荐阅读|相关稿件)\s*[：:]?")
# A line of the page's tools or counters: a count of visits, a print or today's date, a toolbar.
_TOOL_LINE = re.compile(r"(?:浏览|访问|阅读|点击)(?:次数|量|数|人次)\s*[：:]?\s*\d|已被(?:访问|浏览|阅读)\s*\d+\s*次|"
                        r"第\s*\d+\s*位访客|(?:打印|当前)(?:日期|时间)\s*[：:]|^今天是|【\s*(?:打印|关闭|收藏)|"
                        r"打印本页|关闭窗口|分享到\s*[：:]?|字号\s*[：:]")
_TOOL_LINE_MAX_CHARS = 80
_LINE_MAX_CHARS = 120
_SENTENCE_END = re.compile(r"[。；;！!？?]\s*$")
# Lines of the report that are short and end in no stop: a heading ("六、其他需要报告的事项") and
# a section that says only 无.
_REPORT_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}部分|(?:无|暂无|没有)[。.]?\s*$)")


def without_furniture(blocks: list[Block]) -> list[Block]:
    """``blocks`` without the page's tool and counter lines and without a trailing footer or list."""
    return _without_footer([block for block in blocks if not _is_tool_line(block)])


def _is_tool_line(block: Block) -> bool:
    text = block.text.strip() if block.table is None else ""
    return bool(text) and len(text) <= _TOOL_LINE_MAX_CHARS and _TOOL_LINE.search(text) is not None \
        and not text.endswith("。")


def _without_footer(blocks: list[Block]) -> list[Block]:
    """``blocks`` without a trailing footer or list: the run of short lines after the last
    sentence, table or signature, from a list's heading on, or whole when a line of it names
    the site's registration or owner."""
    start = len(blocks)
    while start > 0 and _may_be_footer(blocks[start - 1]):
        start -= 1
    listed = next((index for index in range(start, len(blocks)) if _LIST_HEADING.fullmatch(blocks[index].text.strip())), None)
    if listed is not None:
        return blocks[:listed]
    if start == len(blocks) or not any(_FOOTER.search(block.text) for block in blocks[start:]):
        return blocks
    # A signature (the agency, then the date) may stand right above the footer.
    for index in range(start, len(blocks)):
        if is_date_line(blocks[index].text):
            start = index + 1
    return blocks[:start]


def _may_be_footer(block: Block) -> bool:
    if block.table is not None:
        return False
    text = block.text.strip()
    if _FOOTER.search(text):
        return True
    return len(text) <= _LINE_MAX_CHARS and not _SENTENCE_END.search(text) and not _REPORT_LINE.match(text)
