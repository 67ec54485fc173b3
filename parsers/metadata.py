"""Report metadata: agency, title, year, dates, contacts and region.

Each field has an order of sources (title block, hints, page metadata, signature, text);
the order is written down in docs/TEAM_CONTRACTS.md, "Parser decisions".
"""

from __future__ import annotations

import functools
import re
from itertools import chain

from parsers.agency import clean_agency
from parsers.dates import find_date
from parsers.document import Document
from parsers.hints import ReportHints
from parsers.report import Metadata
from parsers.sections import Layout
from parsers.title import parse_report_title, title_of_page, without_attachment_lead

_STATISTICS_YEAR = re.compile(r"统计(?:期限|时限|时间|区间|周期)[^。]{0,12}?自?\s*(\d{4})\s*年")
# The report naming itself in a sentence: "现公布威海经济技术开发区2020年政府信息公开工作年度报告".
# A name starts with a Chinese character: a browser's print header glues the page's title to
# its clock ("12/3/26，3：35PM平潭综合实验区2025年度…报告_政府信息公开年报_…").
# The sentence may name it a 工作报告 ("特向社会公布…2020年政府信息公开工作报告").
_OWN_TITLE = re.compile(r"[\u4e00-\u9fff][^，,。；;：:、“”《》\s]{1,49}?(?:19|20)\d{2}\s*年度?政府信息公开(?:工作)?(?:年度)?报告")
# What leads into it ("现将…公布如下", "特向社会公布…"), and the words that make it no name ("由…编制的").
_LEAD_IN = re.compile(r"^.*(?:公布|发布|现将|特将|兹将)(?:了|如下)?")
# Not a name: words of a sentence, and the agency calling itself 本局, 我局, 本中心, 我区, 本镇 ….
_SELF = r"(?:本|我)(?:机关|单位|部门|局|委|办|中心|院|厅|所|站|镇|乡|街道|区|县|市|馆|队|会)"
_NOT_OWN = re.compile(rf"[由的]|^{_SELF}")
# A department naming itself so in the sentence that presents its report ("现将我局2020年…报告").
_SELF_REFERENCE = re.compile(rf"{_SELF}(?:19|20)\d{{2}}\s*年度?政府信息公开")
_SELF_REFERENCE_PARAGRAPHS = 3
# Reports are published by the end of March (department) or of the first half year at the latest.
_PUBLISHING_MONTHS_END = "06"
_AGENCY_IN_TEXT = re.compile(r"本报告(?:电子版)?(?:可在|可以在|可从|在)([^，,。；;（(]{2,30}?)(?:门户网站|政府网站|网站)")
# Contact labels as printed, also spaced out to the width of longer ones ("地　址：", "电　话：").
_CONTACT_LABELS = {
    "address": re.compile(r"地\s*址\s*[：:]?\s*"),
    "phone": re.compile(r"(?:联系电话|联系方式|电\s*话)\s*[：:]?\s*"),
    "email": re.compile(r"(?:电子邮箱|电子信箱|电子邮件|邮\s*箱|E-?mail)\s*[：:]?\s*", re.I),
}
# A value ends at a paragraph's end, at punctuation, or where the next item's label starts
# (a contact block printed as one run: "地址：…226号 邮编：255000").
_CONTACT_END = re.compile(
    r"[\n；;，,）)。]|(?:联系)?(?:地\s*址|电\s*话|邮\s*编|邮政编码|传\s*真|邮\s*箱|电子邮箱|网\s*址|E-?mail)\s*[：:]", re.I
)
# A label is not enough: "通过电子邮箱、信函、传真…" names the channel, "热线电话12345" a hotline,
# "网站地址：http://…" a site. The value must be what the label promises.
_PHONE = re.compile(r"[(（]?\d[\d \u3000()（）\-－—–]*\d")
_PHONE_MIN_DIGITS = 7  # a local number has 7 or 8 digits; hotlines (12345, 12315) have 5
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+\s*[@＠]\s*[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NOT_AN_ADDRESS = re.compile(r"https?:|www\.|[@＠]")
# Administrative levels from the top, each by the words that end its names. A region is the
# agency's leading place names, one a level and in this order ("山东省" "淄博市" "张店区"); a
# town (镇, 乡, 街道) is below it and ends it, as does any other word.
_LEVELS = (("自治区", "省"), ("自治州", "地区", "市", "州", "盟"), ("自治县", "自治旗", "县", "区", "市", "旗"))
# A name holds no level word, except a leading 市 ("济南市" "市中区"), so "淄博市城市管理局" is not
# read as a place "淄博市城" + 市; it has 2-4 characters ("城市" is no place), more before 自治…
# ("新疆维吾尔自治区"), and one before 县 ("沛县") or in the districts so named (长治市城区,
# 阳泉市郊区, 阳泉市矿区).
_PLACE_NAME = re.compile(r"市?(?:(?![省市县区旗盟])[\u4e00-\u9fff])+")
_PLACE_NAME_CHARS = 4
_ONE_CHARACTER_DISTRICTS = frozenset({"城", "郊", "矿"})
_AUTONOMOUS_NAME_CHARS = 8  # "黔东南苗族侗族自治州"
# The Party's and the League's bodies are named after their place: "中共淄博市张店区委组织部".
_PARTY_LEAD = re.compile(r"^(?:中国共产党|中共|共青团)")
_PAGE_AGENCY_KEYS = ("发布机构", "ContentSource")
_PAGE_DATE_KEYS = ("PubDate", "发文日期", "成文日期", "发布日期", "发布时间", "时间")


def read_metadata(doc: Document, layout: Layout, hints: ReportHints) -> Metadata:
    # "附件" printed above a report attached to a page is no part of its title.
    title = without_attachment_lead("".join(re.sub(r"\s+", "", line) for line in layout.title_lines)) or None
    info = parse_report_title(title) if title else None
    # A portal prints the title above the article, outside the body the page is read from:
    # the page's own title (ArticleTitle, its heading) is then the one the report is shown with.
    title = title or title_of_page(doc.page_title or "")
    # The listing or page title the crawler saw stands in for a missing title block.
    hinted = [found for found in (parse_report_title(hints.title or ""), parse_report_title(doc.page_title or "")) if found]
    body_paragraphs = layout.preamble + [p for s in layout.sections for p in s.paragraphs]
    # The first source that holds a name; one holding page chrome or an artefact is passed over.
    # What the report and its titles say comes before what the page's uploader (发布机构,
    # ContentSource: a district office uploading its bureaus' reports) and the site's config
    # say: read the other way, two agencies' reports of a year were one report.
    # The body is searched only when no source before it names one: the search for a titled
    # paragraph reads every short paragraph as a title. The portal the report says it is
    # published on comes last: it names the host, often the government above the agency, and
    # is not taken when the report calls itself 我局, 本中心 …: then the agency is not the host.
    body_searches = [_agency_of_own_title, _agency_of_titled_paragraph]
    if not any(_SELF_REFERENCE.search(paragraph) for paragraph in body_paragraphs[:_SELF_REFERENCE_PARAGRAPHS]):
        body_searches.append(_agency_in_text)
    candidates = chain(
        (
            info.agency if info else None,
            *(found.agency for found in hinted),
            layout.signature_agency,
            *_values(doc.page_meta, hints.page_meta, keys=_PAGE_AGENCY_KEYS),
            hints.agency,
        ),
        (search(body_paragraphs) for search in body_searches),
    )
    agency = next((name for name in map(clean_agency, candidates) if name), None)
    contacts = read_contacts("\n".join(body_paragraphs))
    publish_date = find_date(hints.publish_date or "") \
        or find_date(_first_value(doc.page_meta, hints.page_meta, keys=_PAGE_DATE_KEYS) or "")
    return Metadata(
        agency=agency,
        title=title,
        year=_report_year([info.year if info else None, hints.year, *(found.year for found in hinted)],
                          _statistics_year(body_paragraphs), publish_date),
        region=hints.region or region_of(agency) or _region_in_page(doc.page_meta, hints.page_meta),
        publish_date=publish_date,
        signed_date=layout.signed_date,
        address=contacts.get("address"),
        phone=contacts.get("phone"),
        email=contacts.get("email"),
        source_url=hints.source_url,
    )


def read_contacts(text: str) -> dict[str, str]:
    """Address, phone and e-mail as printed after their labels; the first that is one wins.

    ``text`` holds the report's paragraphs a line each: a value ends with its paragraph.
    """
    found: dict[str, str] = {}
    for name, label in _CONTACT_LABELS.items():
        for match in label.finditer(text):
            value = _contact_value(name, text, match.end())
            if value:
                found[name] = value
                break
    return found


def _contact_value(name: str, text: str, start: int) -> str | None:
    if name == "phone":
        # The number bounds itself: "（0533）2869928）" holds the brackets that end other values.
        number = _PHONE.match(text, start)
        return number.group(0) if number and sum(map(str.isdigit, number.group(0))) >= _PHONE_MIN_DIGITS else None
    end = _CONTACT_END.search(text, start)
    value = text[start : end.start() if end else len(text)].strip()
    if name == "email":
        address = _EMAIL.search(value)
        return address.group(0) if address else None
    return value if value and not _NOT_AN_ADDRESS.search(value) else None


@functools.lru_cache(maxsize=4096)  # a crawl meets each agency's name in every year's report, and the search branches
def region_of(agency: str | None) -> str | None:
    """The leading administrative names of an agency ("淄博市张店区机关事务服务中心" -> "淄博市张店区")."""
    if not agency:
        return None
    name = _PARTY_LEAD.sub("", agency)
    return name[: _places_end(name, 0, 0)] or None


def _places_end(text: str, start: int, level: int) -> int:
    """Where the longest run of place names from ``start`` ends, the first of them of ``level`` or below."""
    return max(
        (_places_end(text, end, below + 1) for below in range(level, len(_LEVELS)) for end in _place_ends(text, start, below)),
        default=start,
    )


def _place_ends(text: str, start: int, level: int) -> list[int]:
    """Where a place name of ``level`` starting at ``start`` may end."""
    ends = []
    for end in range(start + 1, min(len(text), start + _AUTONOMOUS_NAME_CHARS) + 1):
        name = text[start:end]
        if not _PLACE_NAME.fullmatch(name):  # "市" alone is none, "市中" is
            continue
        for word in _LEVELS[level]:
            longest = _AUTONOMOUS_NAME_CHARS if word.startswith("自治") else _PLACE_NAME_CHARS
            shortest = 1 if word == "县" or (word == "区" and name in _ONE_CHARACTER_DISTRICTS) else 2
            if text.startswith(word, end) and shortest <= len(name) <= longest:
                ends.append(end + len(word))
    return ends


def _agency_of_titled_paragraph(paragraphs: list[str]) -> str | None:
    """The agency of a short paragraph that is the report's title ("附件：河北省教育厅2022年…年度报告")."""
    for paragraph in paragraphs:
        if len(paragraph) <= 60:
            found = parse_report_title(paragraph)
            if found and found.agency:
                return found.agency
    return None


def _first_value(*metas: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next(iter(_values(*metas, keys=keys)), None)


def _values(*metas: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    """The non-empty values of ``keys`` in ``metas``, in that order."""
    return [value for meta in metas for key in keys if (value := (meta.get(key) or "").strip())]


def _region_in_page(*metas: dict[str, str]) -> str | None:
    """The region the document's publisher (发布机构, ContentSource) names when the agency names none.

    Not SiteName: that is the host, often a city portal carrying its departments' reports.
    """
    for value in _values(*metas, keys=_PAGE_AGENCY_KEYS):
        region = region_of(clean_agency(value))
        if region:
            return region
    return None


def _report_year(titled: list[int | None], period: int | None, published: str | None) -> int | None:
    """The year a report covers: its titles' (the title block's, the list's, the page's, in
    that order), the one that agrees with the statistics period the text gives where they
    differ, and the period's where a title names the year it was published in ("2021年…年度
    报告" published in January 2021, for 统计期限自2020年1月1日…). A year the text alone gives
    stands against no title: a period copied unchanged from last year's report is common."""
    years = [year for year in titled if year is not None]
    if not years:
        return period
    if period is not None and years[0] != period and period in years:
        return period  # the list titled the page another year; the page's own title and text agree
    if period == years[0] - 1 and published is not None and published.startswith(str(years[0])) \
            and published[5:7] <= _PUBLISHING_MONTHS_END:
        return period
    return years[0]


def _statistics_year(paragraphs: list[str]) -> int | None:
    for paragraph in paragraphs:
        match = _STATISTICS_YEAR.search(paragraph)
        if match:
            return int(match.group(1))
    return None


def _agency_of_own_title(paragraphs: list[str]) -> str | None:
    """The agency of the report's own title where a sentence names it, before the site the report
    says it can be downloaded from (``_agency_in_text``): that is often the portal of the
    city above it ("本报告电子版可在威海市人民政府门户网站…下载" in 威海经济技术开发区's report)."""
    for paragraph in paragraphs:
        for match in _OWN_TITLE.finditer(paragraph):
            found = parse_report_title(_LEAD_IN.sub("", match.group(0)))
            if found and found.agency and not _NOT_OWN.search(found.agency):
                return found.agency
    return None


def _agency_in_text(paragraphs: list[str]) -> str | None:
    for paragraph in paragraphs:
        match = _AGENCY_IN_TEXT.search(paragraph)
        if match:
            return match.group(1).strip()
    return None
