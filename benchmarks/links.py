"""Link-finding benchmark: what reading a report page's documents costs now that links are
looked for in onclick/javascript: calls, frames, embeds and preview wrappers too.

    .venv/bin/python benchmarks/links.py [--rounds 200]

Pages: the real Pingtan portal page (110 KB of chrome around a report pasted from Word)
and the county-style report pages of the generic walker's tests. Measured in the same run:
- ``attachment_urls`` as the crawler calls it (a scan of the raw HTML);
- the baseline it replaced: one regular expression over ``<a href>`` only;
- the same links read from an element tree (parsel), the way a tree-based reader would.
Prints JSON: microseconds per page for each, the ratios to the baseline, and the peak
memory (tracemalloc) of one call of each.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "crawl"))

from scrapy.http import HtmlResponse  # noqa: E402

from harvester.spiders.links import element_links  # noqa: E402
from harvester.spiders.reportpage import attachment_urls, is_attachment_url  # noqa: E402

_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"'>]+)["']""", re.I)


def baseline(response: HtmlResponse) -> list[str]:
    """The reader before: ``<a href>`` only, by regular expression."""
    urls = [response.urljoin(m.group(1)) for m in _HREF.finditer(response.text)]
    return list(dict.fromkeys(u for u in urls if is_attachment_url(u)))


def tree(response: HtmlResponse) -> list[str]:
    """The same links as attachment_urls, read from a freshly built element tree."""
    fresh = response.replace(body=response.body)  # no cached selector
    links = [link for element in fresh.xpath("//*") for link in element_links(str(element.root.tag), element.attrib, fresh.url)]
    return list(dict.fromkeys(link.url for link in links if is_attachment_url(link.url)))


def pages() -> list[HtmlResponse]:
    from generic_portal import REAL, REPORTS, report_page

    url = "http://www.xx.gov.cn/c100413/202301/a3f0c2d1e8.shtml"
    bodies = [(REAL / "pingtan_2025_portal_page.html").read_bytes()]
    bodies += [report_page(r).encode() for r in REPORTS if r.link != "page"]
    return [HtmlResponse(url, body=body, encoding="utf-8") for body in bodies]


def per_page_us(reader: Callable[[HtmlResponse], list[str]], responses: list[HtmlResponse], rounds: int) -> float:
    fresh = [r.replace(body=r.body) for r in responses]  # every reader starts without a parsed tree
    started = time.perf_counter()
    for _ in range(rounds):
        for response in fresh:
            reader(response)
    return (time.perf_counter() - started) / (rounds * len(responses)) * 1e6


def peak_kib(reader: Callable[[HtmlResponse], list[str]], response: HtmlResponse) -> float:
    fresh = response.replace(body=response.body)
    tracemalloc.start()
    reader(fresh)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    responses = pages()
    readers = {"baseline_a_href": baseline, "attachment_urls": lambda r: attachment_urls(r), "element_tree": tree}
    times = {name: round(per_page_us(reader, responses, rounds), 1) for name, reader in readers.items()}
    result: dict[str, Any] = {
        "pages": len(responses),
        "rounds": rounds,
        "us_per_page": times,
        "ratio_to_baseline": {name: round(t / times["baseline_a_href"], 2) for name, t in times.items()},
        "peak_kib_pingtan_page": {name: peak_kib(reader, responses[0]) for name, reader in readers.items()},
        "documents_found": {name: sum(len(reader(r)) for r in responses) for name, reader in readers.items()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
