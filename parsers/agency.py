"""Is this text an agency's name? Candidates from titles, page metadata and signatures, cleaned or rejected.

Every source of an agency name can hand over something else: a title block that starts
with the page's "正文" label, a signature line with an OCR'd "#" in front, a listing title
glued to the portal's banner ("某县人民政府门户网站|今天是2026-11-30 02:23:51…"). A name
taken from page chrome changes with every visit and files a new report each crawl, so a
candidate is cleaned of markup and stray marks, and rejected when what is left is not a
name: a date, a time, a URL, site furniture, or too long to be one.
"""

from __future__ import annotations

import html
import re
import unicodedata

_MAX_CHARS = 30  # the longest real names ("新疆生产建设兵团第八师石河子市…局") stay under it
_MARKUP = re.compile(r"<[^>]*>")
_LABEL = re.compile(r"^(?:发布机构|信息来源|来源|发布单位|主办单位|发文机关|单位|作者)\s*[：:]\s*")
_EDGE = " \t\r\n#＃*＊-－—–_·•|｜/\\:：,，.。、;；!！?？\"'“”‘’「」『』《》〈〉【】[]()（）<>"
_SPACE = re.compile(r"\s+")
_NOT_A_NAME = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[:：]\s*\d{2}|https?:|www\.|\.(?:gov|com|cn|net|org)\b|"
    r"门户网站|今天是|访客|访问量|浏览次数|点击|首页|当前位置|您的位置|所在位置|欢迎|登录|注册|搜索|字号|打印|关闭|分享|"
    r"无障碍|长者模式|网站地图|[|｜]"
)
# Words portals print where a name could stand; on their own they are no name.
_PAGE_WORDS = frozenset({"正文", "附件", "来源", "本站", "本网", "信息来源", "发布机构", "无", "暂无", "其他", "未知"})
_CJK = re.compile(r"[\u4e00-\u9fff]")


def clean_agency(candidate: str | None) -> str | None:
    """The agency name ``candidate`` holds, cleaned of markup and stray marks; None when it holds none."""
    if not candidate:
        return None
    text = unicodedata.normalize("NFKC", html.unescape(_MARKUP.sub("", candidate)))
    if _NOT_A_NAME.search(text):
        return None
    text = _SPACE.sub("", _LABEL.sub("", text.strip(_EDGE))).strip(_EDGE)
    if len(text) > _MAX_CHARS or text in _PAGE_WORDS or len(_CJK.findall(text)) < 2 or re.search(r"\d", text):
        return None
    return text
