"""The parts of an article page every family prints: metadata tags and the info table."""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleMeta:
    title: str
    pub_date: str  # "YYYY-MM-DD HH:MM", as the national page spec writes PubDate
    source: str  # the publishing agency (ContentSource, 发布机构)
    column_name: str
    index_no: str  # 索引号
    written_date: str  # 成文日期, YYYY-MM-DD


def meta_tags(meta: ArticleMeta, column_type: str = "信息公开年报") -> str:
    pairs = (
        ("ArticleTitle", meta.title),
        ("PubDate", meta.pub_date),
        ("ContentSource", meta.source),
        ("ColumnName", meta.column_name),
        ("ColumnType", column_type),
    )
    return "".join(f'<meta name="{name}" content="{html.escape(value)}">\n' for name, value in pairs)


def info_table(meta: ArticleMeta) -> str:
    cell = html.escape
    return (
        '<table class="xxgk-info">\n'
        f"<tr><th>索引号：</th><td>{cell(meta.index_no)}</td><th>发布机构：</th><td>{cell(meta.source)}</td></tr>\n"
        f"<tr><th>成文日期：</th><td>{cell(meta.written_date)}</td><th>发布日期：</th><td>{cell(meta.pub_date[:10])}</td></tr>\n"
        "</table>\n"
    )


def list_entry(title: str, href: str, date: str) -> str:
    """One list line as the families print it: a titled link and its date."""
    t = html.escape(title)
    return f'<li><a href="{html.escape(href)}" title="{t}" target="_blank">{t}</a><span>{date}</span></li>'
