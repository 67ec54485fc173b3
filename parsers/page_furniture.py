"""A portal's footer left at the end of a document: what a browser prints below the report
when a page is saved as PDF, or what a page's body holds when its footer sits inside it.

The footer is a run of short lines (friend links, 联系我们 | 网站地图, the site's registration
numbers) after the report's last sentence. Left in, it is read as section 六's text, and the
visit counter it prints changes that text on every print.
"""

from __future__ import annotations

import re

from parsers.dates import is_date_line
from parsers.document import Block

# What only a site's footer prints: registration numbers, the site's owner, its copyright.
_FOOTER = re.compile(r"ICP备|网站标识码|公网安备|公安备案|版权所有|主办单位[：:]|主办[：:]|承办单位[：:]|技术支持[：:]|"
                     r"浏览器版本|最佳浏览效果|分辨率")
_LINE_MAX_CHARS = 120
_SENTENCE_END = re.compile(r"[。；;！!？?]\s*$")
# Lines of the report that are short and end in no stop: a heading ("六、其他需要报告的事项") and
# a section that says only 无.
_REPORT_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}部分|(?:无|暂无|没有)[。.]?\s*$)")


def without_footer(blocks: list[Block]) -> list[Block]:
    """``blocks`` without a trailing footer: the run of short lines after the last sentence,
    table or signature, when a line of it names the site's registration or owner."""
    start = len(blocks)
    while start > 0 and _may_be_footer(blocks[start - 1]):
        start -= 1
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
