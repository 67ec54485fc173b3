"""Page chrome that changes on every request, as real portals print it: a visit counter,
today's date and time, a random "related articles" list and a rotating advertisement."""

from __future__ import annotations

import random
from datetime import datetime
from html import escape

WEEKDAYS = "一二三四五六日"
RELATED_POOL = (
    "关于开展2025年度安全生产大检查的通知", "区政府召开第十二次常务会议", "2025年第三季度重点项目推进情况",
    "关于公布行政执法主体名单的公告", "全区秋冬季森林防火工作部署会召开", "政府信息公开指南（2025年修订）",
    "关于征集民生实事项目的公告", "我区举办营商环境政策宣讲会", "2025年财政预算执行情况的报告",
    "关于调整城乡居民医保缴费标准的通知", "区领导调研农村人居环境整治工作", "关于做好元旦春节期间有关工作的通知",
)
ADS = (
    "全国一体化政务服务平台 | 一网通办 一次办好",
    "我为政府网站找错 | 欢迎纠错留言",
    "12345政务服务便民热线 | 有事您说话",
)


class Chrome:
    """What one request's page shows around the report; ``hit`` is the visit counter."""

    def __init__(self, hit: int, rng: random.Random) -> None:
        self.hit = hit
        self.now = datetime.now()
        self.related = rng.sample(RELATED_POOL, 4)
        self.ad = ADS[hit % len(ADS)]

    def date_bar(self) -> str:
        now = self.now
        return (f"今天是{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]} "
                f"{now:%H:%M:%S}.{now.microsecond // 1000:03d}")

    def counter(self) -> str:
        return f"本页面已被访问 {self.hit} 次"

    def related_items(self, href: str) -> str:
        return "".join(f'<li><a href="{href}?t={i}">{escape(t)}</a></li>' for i, t in enumerate(self.related))

    def ad_block(self) -> str:
        return f'<div class="adv"><a href="/ad/{self.hit % len(ADS)}.html">{escape(self.ad)}</a></div>'
