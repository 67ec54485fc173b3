"""Report metadata: agency, title, year, dates, contacts and region.

Each field has an order of sources (title block, hints, page metadata, signature, text);
the order is written down in docs/TEAM_CONTRACTS.md, "Parser decisions".
"""

from __future__ import annotations

import re
from itertools import chain

from parsers.agency import clean_agency
from parsers.dates import find_date
from parsers.document import Document
from parsers.hints import ReportHints
from parsers.report import Metadata
from parsers.sections import Layout
from parsers.title import parse_report_title

_STATISTICS_YEAR = re.compile(r"统计(?:期限|时限|时间|区间|周期)[^。]{0,12}?自?\s*(\d{4})\s*年")
# The report naming itself in a sentence: "现公布威海经济技术开发区2020年政府信息公开工作年度报告".
# A name starts with a Chinese character: a browser's print header glues the page's title to
# its clock ("12/3/26，3：35PM平潭综合实验区2025年度…报告_政府信息公开年报_…").
_OWN_TITLE = re.compile(r"[\u4e00-\u9fff][^，,。；;：:、“”《》\s]{1,49}?(?:19|20)\d{2}\s*年度?政府信息公开(?:工作)?年度报告")
# What leads into it ("现将…公布如下", "特向社会公布…"), and the words that make it no name ("由…编制的").
_LEAD_IN = re.compile(r"^.*(?:公布|发布|现将|特将|兹将)(?:了|如下)?")
_NOT_OWN = re.compile(r"[由的]|本(?:机关|单位|部门|局|委|办)")
_AGENCY_IN_TEXT = re.compile(r"本报告(?:电子版)?(?:可在|可以在|可从|在)([^，,。；;（(]{2,30}?)(?:门户网站|政府网站|网站)")
_CONTACT_END = "；;，,）)。"
_CONTACT_LABELS = {
    "address": re.compile(r"地址\s*[：:]?\s*"),
    "phone": re.compile(r"(?:联系电话|电话)\s*[：:]?\s*(?=\d)"),
    "email": re.compile(r"(?:电子邮箱|电子信箱|邮箱|E-?mail)\s*[：:]?\s*", re.I),
}
# A label is not enough: "通过电子邮箱、信函、传真…" names the channel, not an address.
_CONTACT_VALID = {"email": lambda value: "@" in value or "＠" in value}
# A report title printed as a paragraph of the text, e.g. the page's "附件：…年度报告" line.
_ATTACHMENT_LINE = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]\s*")
_REGION = re.compile(r"(?:[^\W\d省市区县州盟旗]{1,4}?(?:自治区|自治州|自治县|地区|省|市|州|盟|县|区|旗))+")
_PAGE_AGENCY_KEYS = ("发布机构", "ContentSource")
_PAGE_DATE_KEYS = ("PubDate", "发文日期", "成文日期", "发布日期")


def read_metadata(doc: Document, layout: Layout, hints: ReportHints) -> Metadata:
    title = "".join(re.sub(r"\s+", "", line) for line in layout.title_lines) or None
    info = parse_report_title(title) if title else None
    # The listing or page title the crawler saw stands in for a missing title block.
    hinted = [found for found in (parse_report_title(hints.title or ""), parse_report_title(doc.page_title or "")) if found]
    body_paragraphs = layout.preamble + [p for s in layout.sections for p in s.paragraphs]
    # The first source that holds a name; one holding page chrome or an artefact is passed over.
    # The body is searched only when no source before it names one: the search for a titled
    # paragraph reads every short paragraph as a title.
    candidates = chain(
        (
            info.agency if info else None,
            hints.agency,
            *(found.agency for found in hinted),
            *_values(doc.page_meta, hints.page_meta, keys=_PAGE_AGENCY_KEYS),
            layout.signature_agency,
        ),
        (search(body_paragraphs) for search in (_agency_of_own_title, _agency_in_text, _agency_of_titled_paragraph)),
    )
    agency = next((name for name in map(clean_agency, candidates) if name), None)
    contacts = read_contacts("".join(body_paragraphs))
    return Metadata(
        agency=agency,
        title=title,
        year=(info.year if info else None) or hints.year or (hinted[0].year if hinted else None)
        or _statistics_year(body_paragraphs),
        region=hints.region or region_of(agency) or _region_in_page(doc.page_meta, hints.page_meta),
        publish_date=find_date(hints.publish_date or "")
        or find_date(_first_value(doc.page_meta, hints.page_meta, keys=_PAGE_DATE_KEYS) or ""),
        signed_date=layout.signed_date,
        address=contacts.get("address"),
        phone=contacts.get("phone"),
        email=contacts.get("email"),
        source_url=hints.source_url,
    )


def read_contacts(text: str) -> dict[str, str]:
    """Address, phone and e-mail as printed after their labels; the first non-empty one wins."""
    found: dict[str, str] = {}
    for name, label in _CONTACT_LABELS.items():
        for match in label.finditer(text):
            value = _up_to_end(text, match.end())
            if value and _CONTACT_VALID.get(name, bool)(value):
                found[name] = value
                break
    return found


def region_of(agency: str | None) -> str | None:
    """The leading administrative names of an agency ("淄博市张店区机关事务服务中心" -> "淄博市张店区")."""
    if not agency:
        return None
    match = _REGION.match(agency)
    return match.group(0) if match else None


def _agency_of_titled_paragraph(paragraphs: list[str]) -> str | None:
    """The agency of a short paragraph that is the report's title ("附件：河北省教育厅2022年…年度报告")."""
    for paragraph in paragraphs:
        if len(paragraph) <= 60:
            found = parse_report_title(_ATTACHMENT_LINE.sub("", paragraph.strip()))
            if found and found.agency:
                return found.agency
    return None


def _up_to_end(text: str, start: int) -> str:
    end = start
    while end < len(text) and text[end] not in _CONTACT_END:
        end += 1
    return text[start:end].strip()


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
