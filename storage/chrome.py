"""What the archive has learned of a site's page chrome, by what repeats and what varies.

Where the report is the page itself, the body extractor may take in blocks of the page
around the report. Without knowing the site's template, two kinds of evidence tell them
from the report:

* **repeats**: a paragraph found on the pages of ``REPEATS_ON`` or more reports of the same
  site is the site's (navigation, footer, "related articles"), not one report's, unless it
  is a sentence: departments of one government print the same sentences ("本年度未收取信息
  处理费。"), and one changed into another is a change of the report;
* **varies**: a paragraph that differs between two fetches of a page made moments apart
  (the confirmation fetch, see ``storage.record``) is a counter, a clock, a random list or a
  rotating block. It is remembered by its shape (digits masked), so tomorrow's counter
  value is known too; short paragraphs next to one that varies, and absent from the stored
  version, belong to the same block (the titles a random list happened to repeat), and so
  do the short paragraphs the stored version printed in that block's place (the titles it
  drew when the page was recorded without a second fetch).

A site's first ``SAMPLED_REPORTS`` new report pages are fetched twice before they are
recorded (``confirmation_needed``): their template's counters and clocks are learned then,
for every page of the site. Any other page is fetched twice the first time its paragraphs
differ from the stored version's; what a first fetch alone could not teach is learned then.

Paragraphs of attachments are never judged: an attachment has no chrome.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.clock import utcnow
from storage.fingerprint import shape_hash, unit_hash
from storage.ignoring_duplicates import inserts_ignoring_duplicates
from storage.models import Report, VolatileShape

REPEATS_ON = 3
# A site's template puts the same counters and clocks on every page: a few pages fetched twice
# teach them for all, and fetching every new page twice doubled a first crawl's requests.
SAMPLED_REPORTS = 10
_SHORT = 40  # a list entry, a counter or a date line, not a report's sentence
_SENTENCE_END = ("。", "！", "？", "；")
_MIN_LETTERS = 2  # a paragraph of digits alone has no shape worth remembering


@dataclass
class SiteChrome:
    chrome: frozenset[str]  # of the paragraphs asked about, those that are chrome

    def is_chrome(self, paragraph: str) -> bool:
        return paragraph in self.chrome


def load_chrome(session: Session, site: str, paragraphs: Iterable[str]) -> SiteChrome:
    """What the archive knows of the site's chrome, as far as these paragraphs go: ``is_chrome``
    answers for them only. Each paragraph costs a few index entries (is there a third report
    showing it?), where reading the site's whole chrome costs more with every report recorded.
    Answers are kept for the session: recording a capture asks twice about the same paragraphs
    (``storage.unchanged``, then ``storage.record``), and the captures of a batch share their
    site's chrome. A paragraph found chrome stays chrome (rows are only ever added); one found
    not chrome is asked again once the session notes its unit on another report's page (but
    a sentence, which repeating never makes chrome), and all of the site's once it learns
    shapes that vary."""
    known = session.info.setdefault(_KNOWN, {}).setdefault(site, {})
    wanted = set(paragraphs)
    asked = {p: (unit_hash(p), shape_hash(p)) for p in wanted if p not in known}
    if asked:
        # A sentence is never chrome for repeating (see above): only its shape is asked about,
        # and a sentence shown by one more report is not asked again. Departments of one
        # government print the same sentences, and each report recorded asked about them all.
        can_repeat = {p: unit for p, (unit, _) in asked.items() if not _sentence(p)}
        repeated = _repeating(session, site, sorted(set(can_repeat.values())))
        volatile = set(session.scalars(_VOLATILE, {"site": site, "shapes": sorted({shape for _, shape in asked.values()})}))
        not_yet = session.info.setdefault(_NOT_YET, {}).setdefault(site, {})
        for p, (_, shape) in asked.items():
            known[p] = can_repeat.get(p) in repeated or shape in volatile
            if not known[p] and p in can_repeat:
                not_yet.setdefault(can_repeat[p], []).append(p)
    return SiteChrome(frozenset(p for p in wanted if known[p]))


def _repeating(session: Session, site: str, units: list[str]) -> set[str]:
    """Those of ``units`` that the pages of ``REPEATS_ON`` or more of the site's reports show."""
    if not units:
        return set()
    values = {f"u{i}": unit for i, unit in enumerate(units)}
    return set(session.execute(_repeated(len(units)), {**values, "site": site, "skip": REPEATS_ON - 1}).scalars())


@functools.lru_cache(maxsize=256)
def _repeated(count: int) -> sa.TextClause:
    """Which of ``count`` units (parameters u0, u1, ...) repeat; built once per count."""
    # A unit repeats when a third report shows it: read at most three index entries per unit.
    return sa.text(
        f"WITH asked(unit) AS (VALUES {', '.join(f'(:u{i})' for i in range(count))}) "
        "SELECT unit FROM asked WHERE (SELECT report_id FROM page_units "
        "WHERE page_units.site = :site AND page_units.unit = asked.unit LIMIT 1 OFFSET :skip) IS NOT NULL")


_KNOWN = "chrome_known"  # session.info: site -> paragraph -> whether it is chrome
_NOT_YET = "chrome_not_yet"  # session.info: site -> unit -> the paragraphs of it known not to be chrome
_NOTED = "chrome_noted"  # session.info: site -> (unit, report id) written to page_units by the session
_VOLATILE = sa.select(VolatileShape.shape).where(
    VolatileShape.site == sa.bindparam("site"), VolatileShape.shape.in_(sa.bindparam("shapes", expanding=True)))


_NEW_SHAPES = inserts_ignoring_duplicates(VolatileShape.__table__, ["site", "shape"])


def _insert_units(session: Session, site: str, report_id: int, units: list[str]) -> None:
    """The page units of one report's page, not already there: some 50 rows for each page
    recorded, so handed to the driver as they are, without SQLAlchemy's work on each row's
    parameters (on PostgreSQL as one array, where an executemany costs a round of work per row)."""
    if not units:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_UNITS_FROM_ARRAY, {"site": site, "units": units, "report_id": report_id})
    else:
        connection.exec_driver_sql(_UNITS_FROM_ROWS, [(site, unit, report_id) for unit in units])


_UNITS_FROM_ARRAY = sa.text(
    "INSERT INTO page_units (site, unit, report_id) SELECT :site, unit, :report_id FROM unnest(CAST(:units AS TEXT[])) AS unit "
    "ON CONFLICT (site, unit, report_id) DO NOTHING")
_UNITS_FROM_ROWS = "INSERT INTO page_units (site, unit, report_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"


def note_page_paragraphs(session: Session, site: str, report_id: int, paragraphs: Iterable[str]) -> None:
    """Remember which report's page showed these paragraphs (for the repeats test). Units this
    session noted on the report already are not written again."""
    noted = session.info.setdefault(_NOTED, {}).setdefault(site, set())
    units = sorted(u for u in {unit_hash(p) for p in paragraphs} if (u, report_id) not in noted)
    _insert_units(session, site, report_id, units)
    noted.update((u, report_id) for u in units)
    # A unit shown by one more report may be a repeat now: its paragraphs are asked again.
    known, not_yet = session.info.get(_KNOWN, {}).get(site, {}), session.info.get(_NOT_YET, {}).get(site, {})
    for unit in units:
        for paragraph in not_yet.pop(unit, ()):
            known.pop(paragraph, None)


def _sentence(paragraph: str) -> bool:
    return paragraph.endswith(_SENTENCE_END)


def _short(paragraph: str) -> bool:
    return len(paragraph) <= _SHORT and not _sentence(paragraph)


def varying_paragraphs(first: Sequence[str], second: Sequence[str], stored: Sequence[str]) -> set[str]:
    """Paragraphs that differ between two fetches of one page, with the short paragraphs
    next to them (in either fetch) that the stored version does not have, and the short
    paragraphs the stored version printed where a fetch now prints only varying ones."""
    a, b = Counter(first), Counter(second)
    varying = set((a - b) + (b - a))
    known = set(stored)
    for sequence in (first, second):
        grown = True
        while grown:
            grown = False
            for i, text in enumerate(sequence):
                if text in varying or text in known or not _short(text):
                    continue
                neighbours = sequence[max(i - 1, 0):i] + sequence[i + 1:i + 2]
                if any(n in varying for n in neighbours):
                    varying.add(text)
                    grown = True
    return varying | _replaced_blocks(stored, first, varying) | _replaced_blocks(stored, second, varying)


def _replaced_blocks(stored: Sequence[str], fetched: Sequence[str], varying: set[str]) -> set[str]:
    """The stored version's short paragraphs in the place of a run of the fetch that varies.

    A random list drawn again on every fetch shares no entry with what the stored version
    printed when its page was first recorded without a second fetch (``in_sample``):
    aligned, the old entries stand where the fetch prints only paragraphs that vary, so they
    are the same block's. A paragraph of the report edited since stands where the fetch
    prints its new wording, which both fetches share: it is not taken.
    """
    taken: set[str] = set()
    matcher = SequenceMatcher(a=stored, b=fetched, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        block = stored[old_start:old_end]
        if tag == "replace" and all(p in varying for p in fetched[new_start:new_end]) and all(map(_short, block)):
            taken.update(block)
    return taken


def learn_varying(session: Session, site: str, paragraphs: Iterable[str]) -> int:
    """Remember the shapes of paragraphs seen to vary; returns how many there were."""
    shapes = sorted({shape_hash(p) for p in paragraphs if sum(not ch.isdigit() for ch in p) >= _MIN_LETTERS})
    now = utcnow()
    if shapes:
        connection = session.connection()
        connection.execute(_NEW_SHAPES[connection.dialect.name], [{"site": site, "shape": s, "learned_at": now} for s in shapes])
        # any paragraph of the site not chrome so far may be of one of these shapes
        session.info.get(_KNOWN, {}).pop(site, None)
        session.info.get(_NOT_YET, {}).pop(site, None)
    return len(shapes)


def in_sample(session: Session, site: str, url: str, taken: dict[str, set[str]]) -> bool:
    """Whether the new report page at ``url`` is one of the site's first ``SAMPLED_REPORTS``,
    fetched twice before it is recorded. ``taken`` holds the pages this process already said
    so of (a crawl asks about many pages before the first of them is recorded); the archive's
    reports of the site count for earlier runs and other crawlers."""
    sample = taken.setdefault(site, set())
    if url in sample:
        return True
    if len(sample) >= SAMPLED_REPORTS or session.execute(_NTH_REPORT, {"site": site, "skip": SAMPLED_REPORTS - 1}).first():
        return False
    sample.add(url)
    return True


_NTH_REPORT = (sa.select(Report.id).where(Report.site == sa.bindparam("site"))
               .limit(1).offset(sa.bindparam("skip")))
