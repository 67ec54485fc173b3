"""The interface's words in Chinese (the default) and English.

Only the interface is translated; what a report prints (labels, sections, findings' messages)
is shown as printed.
"""

from __future__ import annotations

from typing import Callable

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# key -> (Chinese, English)
WORDS: dict[str, tuple[str, str]] = {
    "site_title": ("政府信息公开年报档案", "Disclosure report archive"),
    "overview": ("概览", "Overview"),
    "reports": ("年报", "Reports"),
    "switch_language": ("English", "中文"),
    "reports_count": ("份年报", "reports"),
    "versions_count": ("个版本", "versions"),
    "by_year": ("按年度", "By year"),
    "by_region": ("按地区", "By region"),
    "latest_changes": ("最近的修改", "Latest changes"),
    "latest_findings": ("最近的问题", "Latest findings"),
    "crawl_runs": ("采集记录", "Crawl runs"),
    "site": ("站点", "Site"),
    "started": ("开始", "Started"),
    "status": ("状态", "Status"),
    "health": ("健康", "Health"),
    "blocked": ("被反爬拦截", "blocked by a challenge"),
    "healthy": ("正常", "ok"),
    "agency": ("机关", "Agency"),
    "year": ("年度", "Year"),
    "region": ("地区", "Region"),
    "template": ("模板", "Template"),
    "version": ("版本", "Version"),
    "versions": ("版本", "Versions"),
    "change": ("修改", "Change"),
    "cells_changed": ("单元格改动", "cells changed"),
    "labels_changed": ("表头或行名改写", "Rows and columns reworded"),
    "label_row": ("行", "row"),
    "label_column": ("列", "column"),
    "cells_same_values": ("个单元格，数值不变", "cells, values unchanged"),
    "findings": ("问题", "Findings"),
    "errors": ("错误", "errors"),
    "warnings": ("警告", "warnings"),
    "rule": ("规则", "Rule"),
    "severity": ("级别", "Severity"),
    "message": ("说明", "Message"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "all"),
    "agency_search": ("机关名称包含", "Agency name contains"),
    "has_errors": ("有错误", "has error findings"),
    "incomplete": ("解析不完整", "incomplete parse"),
    "not_read": ("未读出", "not read"),
    "changed": ("发布后修改过", "changed after publication"),
    "export": ("导出所选", "Export the selection"),
    "no_reports": ("没有符合条件的年报。", "No report matches."),
    "previous_page": ("上一页", "Previous"),
    "next_page": ("下一页", "Next"),
    "source_url": ("来源网址", "Source URL"),
    "published": ("发布日期", "Published"),
    "signed": ("成文日期", "Signed"),
    "contact": ("联系方式", "Contact"),
    "parse_status": ("解析", "Parse"),
    "parse_error": ("解析失败", "Parse failed"),
    "sections": ("正文", "Sections"),
    "tables": ("表格", "Tables"),
    "table_active_disclosure": ("主动公开政府信息情况", "Proactive disclosure"),
    "table_applications": ("收到和处理政府信息公开申请情况", "Applications received and handled"),
    "table_appeals": ("政府信息公开行政复议、行政诉讼情况", "Administrative review and litigation"),
    "legend": ("图例", "Legend"),
    "legend_blank": ("空白", "blank"),
    "legend_dash": ("“/”或“-”", "\"/\" or \"-\""),
    "legend_zero": ("数字 0", "the number 0"),
    "legend_text": ("文字", "text"),
    "legend_finding": ("有问题的单元格", "cell with a finding"),
    "click_cell": ("点击单元格查看出处。", "Click a cell to see where it came from."),
    "downloads": ("原始文件", "Raw files"),
    "history": ("历史版本", "History"),
    "first_seen": ("首次发现", "First seen"),
    "compare": ("比较", "Compare"),
    "diff_title": ("版本比较", "Versions compared"),
    "old": ("旧", "old"),
    "new": ("新", "new"),
    "no_changes": ("没有改动。", "No changes."),
    "metadata_changes": ("元数据改动", "Metadata changes"),
    "findings_added": ("新出现的问题", "Findings that appeared"),
    "findings_removed": ("消失的问题", "Findings that went away"),
    "evidence": ("出处", "Evidence"),
    "cell": ("单元格", "Cell"),
    "printed": ("印刷值", "Printed"),
    "source_document": ("来源文件", "Source document"),
    "source_row": ("来源表格中的这一行", "The row in the source table"),
    "pdf_page": ("PDF 第 {page} 页，框出的是该行和该单元格", "PDF page {page}, the row and the cell outlined"),
    "not_found": ("在来源文件中没有找到这一行。", "The row was not found in the source document."),
    "found_by_recorded": ("位置是解析时记录的。", "At the place the parser recorded when it read the document."),
    "found_by_search": ("此版本解析时尚未记录位置：按行标签和印刷值在来源文件中重新查找。",
                        "This version was parsed before locations were recorded: found again by its row label and printed value."),
    "table_row": ("第 {table} 个表格，第 {row} 行", "table {table}, row {row}"),
    "source_lines": ("来源文本中的这几行", "The lines of the source text"),
    "picture_page": ("识别（OCR）所读的第 {page} 页图片，框出的是该行和该单元格",
                     "The picture OCR read (page {page}), the row and the cell outlined"),
    "back_to_report": ("返回年报", "Back to the report"),
    "main_figures": ("主要数字", "Main figures"),
    "chart_applications": ("申请：新收与上年结转", "Applications: received and carried over"),
    "chart_outcomes": ("办理结果", "Outcomes"),
    "chart_appeals": ("行政复议和行政诉讼", "Review and litigation"),
    "crossyear_findings": ("跨年度问题", "Cross-year findings"),
    "none": ("无", "none"),
    "not_found_page": ("找不到", "Not found"),
    "bad_request": ("请求有误", "Bad request"),
    "api_note": ("每个页面在网址后加 .json 即得 JSON。", "Add .json to any page's URL for its JSON."),
}


def translator(language: str) -> Callable[..., str]:
    """``t(key, **values)``: the word in ``language``; an unknown key shows itself, so it is noticed."""
    index = LANGUAGES.index(language) if language in LANGUAGES else 0

    def t(key: str, **values: object) -> str:
        words = WORDS.get(key)
        text = words[index] if words else key
        return text.format(**values) if values else text

    return t
