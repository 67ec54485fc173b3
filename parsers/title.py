"""Recognising a report by its title: "{agency}{year}年(度)政府信息公开工作年度报告".

The crawler decides from a listing link's title alone whether the link is a report, so the
test is strict about what must be there (a year, 政府信息公开, 年度报告/年报) and about what
must not (政府工作报告, budgets, statistics year-books, notices about a report).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from parsers.agency import clean_agency
from parsers.dates import printed_year

# A printed zero may be 〇, ○, 零 or a fullwidth letter Ｏ ("二Ｏ二三年"), which NFKC folds into a Latin O.
_YEAR = re.compile(r"((?:19|20)\d{2}|[二][〇○零O][一二三四五六七八九〇○零O]{2})\s*年?\s*度?")
_SUBJECT = re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)|政府信息公开年度工作报告")
# What makes the subject the year's report: 年度报告/年报 after it, or the year right before it
# ("2023年度政府信息公开工作报告"); "2023年上半年政府信息公开工作报告" has neither.
_REPORT_WORD = re.compile(r"年度(?:工作)?报告|年报")
# "附件" / "附件1：" printed before the title of a report attached to a page or a cover letter.
_ATTACHMENT_LEAD = re.compile(r"^附\s*件\s*(?:\d{1,2}(?!\d)|[一二三四五六七八九十]{1,2}(?![〇○零O一二三四五六七八九]))?\s*[：:]?\s*")
# Titles that contain the words above but are something else.
_REJECT = re.compile(
    r"政府工作报告|预算|决算|统计年报|统计公报|年鉴|通知|公告|通告|征求意见|意见稿|目录|指南|解读|"
    r"工作要点|工作方案|考核|评估|第三方|汇总|情况的函|"
    # Documents about reports, which a 年报 column lists beside them: a supervisor's review or
    # circular, a letter, a reading in pictures, a drafting note.
    r"审核意见|通报|的函|复函|点评|检查结果|评议|说明|问答|图解|一图|图读|"
    # "…年度报告的审核…" cut short by a list: a document about the report whatever follows
    r"(?:报告|年报)的"
)
_CUT = re.compile(r"(?:\.{2,}|…+)$")  # NFKC folds "…" into "..."
# A mark a portal puts before a title ("【更正】", "[修订]", "更正：", "（更正版）") and the name an
# agency had before a reorganisation ("淄博市工业和信息化局（原淄博市经济和信息化委员会）"): neither
# is the agency's name, and kept, each made an agency of its own.
_MARKER = re.compile(r"^(?:[【\[(（]\s*(?:更正|修订|修正|重发|补发|最新)[版稿]?\s*[】\])）]|(?:更正|修订|修正)[：:])")
_FORMER_NAME = re.compile(r"[(（]原[^()（）]{2,40}[)）]?$")
_EDGE = " \t\r\n-—_·|｜:：,，、\"'“”《》〈〉【】[]()（）"
# What a portal puts between the page's own title and the column's and site's names.
_PAGE_TITLE_SEPARATOR = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+")


@dataclass(frozen=True)
class TitleInfo:
    agency: str | None
    year: int


def _fold(title: str) -> str:
    return unicodedata.normalize("NFKC", title).strip()


def is_annual_report_title(title: str) -> bool:
    """True for an annual information-disclosure report's title."""
    return parse_report_title(title) is not None


def may_be_report_link(title: str) -> bool:
    """Whether a list's link with this title is worth asking for: a report's title, or one
    cut short that may be (``may_be_cut_report_title``)."""
    return is_annual_report_title(title) or may_be_cut_report_title(title)


def may_be_cut_report_title(title: str) -> bool:
    """Whether a title a list cut short ("某镇人民政府2022年政府信…", the full title in no
    attribute) may be a report's: the part shown has a year and nothing that marks another
    kind of document. Only the page can say, even when the part shown reads as a report's
    title ("…年度报告审…" was a circular); in a column of reports most such links are."""
    text = _fold(title)
    match = _CUT.search(text)
    if match is None:
        return False
    shown = text[: match.start()]
    return _YEAR.search(shown) is not None and not _REJECT.search(shown)


def parse_report_title(title: str) -> TitleInfo | None:
    """Agency and report year from a report title; None when the title is not a report's.

    The year in the title is the report year (the year the statistics cover), even when
    the report is published the year after. The agency is what precedes the year, or what
    sits between the year and 政府信息公开 when the title starts with the year.
    """
    if not title:
        return None
    text = _MARKER.sub("", without_attachment_lead(re.sub(r"\s+", "", _fold(title))))
    subject = _SUBJECT.search(text)
    if subject is None or _REJECT.search(text):
        return None
    year_match = None
    for match in _YEAR.finditer(text):
        if match.start() < subject.start() or year_match is None:
            year_match = match
        if match.start() >= subject.start():
            break
    if year_match is None or not (_REPORT_WORD.search(text, subject.start()) or year_match.end() == subject.start()):
        return None
    year = printed_year(year_match.group(1))
    if year is None or not 1990 <= year <= 2100:
        return None
    if year_match.start() < subject.start():
        before = text[: year_match.start()].strip(_EDGE)
        between = text[year_match.end() : subject.start()].strip(_EDGE)
        agency = before or between
    else:  # "XX局政府信息公开工作年度报告（2020年）"
        agency = text[: subject.start()].strip(_EDGE)
    agency = _FORMER_NAME.sub("", re.sub(r"^关于", "", agency or "")).strip(_EDGE)
    return TitleInfo(agency=clean_agency(agency), year=year)


def title_of_page(page_title: str) -> str | None:
    """The report's title a page is named by, without the portal's names a ``<title>`` adds
    ("…年度报告_政府信息公开年报_某某管委会"); None when no part of it is a report's title."""
    for part in _PAGE_TITLE_SEPARATOR.split(page_title):
        if parse_report_title(part) is not None:
            return re.sub(r"\s+", "", part)
    return None


def without_attachment_lead(title: str) -> str:
    """The title without the "附件" / "附件1：" printed before it."""
    return _ATTACHMENT_LEAD.sub("", title)
