"""One agency, one name: canonical agencies with their region and the names they print.

Real titles name one body in several ways: 淮安市洪泽区人民政府 / 洪泽区人民政府 /
洪泽区; 平潭综合实验区管理委员会 / 平潭综合实验区管委会 / 平潭综合实验区. The canonical key is
the agency's region path (city and county; the province is dropped, titles print it or not)
followed by what the name says after it, with the government suffix (人民政府, 政府, 管委会,
管理委员会) removed: a government is known by its area. A name that prints only part of its
region path is completed with the site's region (hints.region): 洪泽区人民政府 on a 淮安市
site is 淮安市洪泽区. Every printed name resolved is kept as an alias, and the user may add
aliases or merge two agencies (``harvester agencies``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, make_transient_to_detached

from storage.crossyear import refresh_cross_year
from storage.later_rows import insert_rows
from storage.models import Agency, AgencyAlias, Report
from storage.oneof import one_of

_REGION_NAME = re.compile(r"^(.{1,4}?(?:自治区|自治州|自治县|地区|省|市|州|盟|县|区|旗))")
_GOVERNMENT = re.compile(r"(人民政府|政府|管委会)$")
# 政府 for 人民政府 in front of one of its offices, and 政府办 for its 办公室: 张店区政府办公室 and
# 淄博市张店区人民政府办公室 are one office (the government itself drops the suffix above).
_SHORT_GOVERNMENT = re.compile(r"^政府(?=.)")
_SHORT_OFFICE = re.compile(r"^人民政府办$")
_PROVINCE = ("省", "自治区")
_CITY = ("市", "州", "盟", "地区")
_KEY_MAX = 300  # agencies.key's length: a longer name is no agency's (a request for /agencies/<45,000 characters>)


class AgencyError(ValueError):
    """An agency operation the archive refuses; the message says why, in one line."""


def normalise_name(name: str) -> str:
    """A printed name as compared: width folded, white space removed, 管理委员会 -> 管委会."""
    return "".join(unicodedata.normalize("NFKC", name).split()).replace("管理委员会", "管委会")


def split_regions(name: str) -> tuple[list[str], str]:
    """The leading region names of ``name`` and the rest ("淮安市洪泽区人民政府" -> [淮安市, 洪泽区], 人民政府)."""
    regions: list[str] = []
    rest = name
    while match := _REGION_NAME.match(rest):
        regions.append(match.group(1))
        rest = rest[match.end():]
    return regions, rest


@dataclass(frozen=True)
class CanonicalName:
    key: str
    province: str | None
    city: str | None
    county: str | None


def canonical(name: str, site_region: str | None = None) -> CanonicalName:
    core = _GOVERNMENT.sub("", normalise_name(name)) or normalise_name(name)
    regions, rest = split_regions(core)
    rest = full_office_name(rest)
    site_regions, _ = split_regions(normalise_name(site_region or ""))
    if site_regions and regions and regions[0] in site_regions:
        regions = site_regions[:site_regions.index(regions[0])] + regions
    elif site_regions and not (regions and regions[0].endswith(_PROVINCE)):
        regions = site_regions + regions
    province = regions[0] if regions and regions[0].endswith(_PROVINCE) else None
    local = regions[1:] if province else regions
    city = local[0] if local and local[0].endswith(_CITY) and len(local) > 1 else None
    county = local[-1] if local and local[-1] != city else None
    if city is None and len(local) == 1 and local[0].endswith(_CITY):
        city, county = local[0], None
    # The province is left out of a key with a city or county in it (江苏省淮安市洪泽区人民政府 is
    # 淮安市洪泽区人民政府), and kept in one without: 河北省教育厅 and 山东省教育厅 were one agency,
    # and every province's 人民政府 another.
    return CanonicalName(("".join(local) if local else province or "") + rest, province, city, county)


def full_office_name(rest: str) -> str:
    """What a name says after its regions, with a government office's short name written out."""
    return _SHORT_OFFICE.sub("人民政府办公室", _SHORT_GOVERNMENT.sub("人民政府", rest))


def key_tail(key: str) -> str:
    """A key's last region and what follows it (淄博市张店区教育局 -> 张店区教育局), or the whole
    key when it names no region: a key with more region in front has the same tail."""
    regions, rest = split_regions(key)
    return (regions[-1] if regions else "") + rest


def key_body(key: str) -> str:
    """A key without its leading regions (淄博市张店区教育局 -> 教育局; a key naming no region is
    its own body): a key with regions in front of one naming none has that one as its body."""
    return split_regions(key)[1]


def _key_columns(key: str) -> dict[str, str]:
    """An agency's key with the columns made from it, as a new agency and a renamed one get them."""
    return {"key": key, "tail": key_tail(key), "body": key_body(key)}


def rewrite_keys(connection: sa.Connection, keys: dict[int, str]) -> None:
    """Give agencies (by id) new keys, on their reports too, in a migration (which has no ORM
    models of its own revision). A key another agency already has is left as it was: the two
    stay apart as recorded, for the user to join with ``harvester agencies merge``."""
    taken = set(connection.execute(sa.text("SELECT key FROM agencies")).scalars())
    for agency_id, key in keys.items():
        if key in taken:
            continue
        taken.add(key)
        connection.execute(sa.text("UPDATE agencies SET key = :key, tail = :tail, body = :body WHERE id = :id"),
                           {"id": agency_id, **_key_columns(key)})
        connection.execute(sa.text("UPDATE reports SET agency_key = :key WHERE agency_id = :id"), {"key": key, "id": agency_id})


def _by_suffix(session: Session, key: str) -> Agency | None:
    return _by_suffixes(session, {key}).get(key)


def _by_suffixes(session: Session, keys: set[str]) -> dict[str, Agency | None]:
    """For each key, the one agency whose key is it with more region in front, or the other
    way round.

    Asked for every agency new to the archive, by the crawl and the writer alike, in one
    statement for all the keys, which never reads the whole table (at 20,000 agencies that
    cost some 4 ms a name): the agencies with less region in front are among the keys' own
    endings (``agencies.key``, unique); those with more share a key's tail when it names a
    region (``agencies.tail``, indexed), and have it as their body when it names none
    (``agencies.body``, indexed).
    """
    too_long = {key: None for key in keys if len(key) > _KEY_MAX}  # no agency's: and its endings are quadratic
    keys = keys - too_long.keys()
    if not keys:
        return dict(too_long)
    endings = {key: [key[start:] for start in range(1, len(key))] for key in keys}
    tails = {key: key_tail(key) for key in keys if split_regions(key)[0]}  # of the keys naming a region
    found = session.scalars(_BY_TAILS_OR_BODIES, {
        "tails": sorted(set(tails.values())),
        "bodies": sorted(keys - tails.keys()),
        "endings": sorted({e for key in keys for e in endings[key]}),
    }).all()
    candidates: dict[str, list[Agency]] = {}
    for key in keys:
        own = set(endings[key])
        if key in tails:
            candidates[key] = [a for a in found if a.tail == tails[key] or a.key in own]
        else:
            candidates[key] = [a for a in found if a.body == key or a.key in own]
    chosen = {key: [a for a in found if a.key != key and _differ_in_regions(a.key, key)]
              for key, found in candidates.items()}
    return {**too_long, **{key: found[0] if len(found) == 1 else None for key, found in chosen.items()}}


def _differ_in_regions(one: str, other: str) -> bool:
    """Whether one key is the other with region names in front."""
    longer, shorter = (one, other) if len(one) > len(other) else (other, one)
    return longer.endswith(shorter) and split_regions(longer.removesuffix(shorter))[1] == ""


def known_agency(session: Session, printed: str, site_region: str | None = None) -> Agency | None:
    """The agency a printed name stands for, if the archive knows it (reads only)."""
    [agency] = known_agencies(session, [(printed, site_region)])
    return agency


def known_agencies(session: Session, names: Sequence[tuple[str, str | None]]) -> list[Agency | None]:
    """``known_agency`` of each (printed name, site region), in three queries whatever their
    number: a crawl asks about a batch of pages at a time, and in a first crawl every name is
    new, which took three queries each."""
    aliases, by_alias, keys, by_key = _aliases_and_keys(session, names)
    by_suffix = _by_suffixes(session, {key for key in keys if key is not None} - set(by_key))
    return [by_alias.get(alias) or by_key.get(key) or by_suffix.get(key) for alias, key in zip(aliases, keys)]


def read_ahead(session: Session, names: Sequence[tuple[str, str | None]]) -> None:
    """Read the aliases and canonical keys of these (printed name, site region) in two
    statements, and the agencies of fuller or shorter keys of the keys no agency has in one
    more (see ``_by_suffixes``), ahead of ``resolve_agency`` for each in this session:
    recording a batch asked for each new report's agency by its alias, by its key and by its
    key's region, one statement each. What was found is kept, and so is what was not: in a
    session only ``resolve_agency`` gives a name an alias or an agency a key, and it notes what
    it gives, forgetting what that makes untrue (``add_alias`` and ``merge_agencies`` forget it
    all)."""
    resolved: dict[str, Agency] = session.info.setdefault(_RESOLVED, {})
    names = [(printed, region) for printed, region in names if normalise_name(printed) not in resolved]
    if not names:
        return
    aliases, by_alias, keys, by_key = _aliases_and_keys(session, names)
    resolved.update(by_alias)
    session.info.setdefault(_NO_ALIAS, set()).update(set(aliases) - by_alias.keys())
    read: dict[str, Agency | None] = session.info.setdefault(_BY_KEY_READ, {})
    read.update((key, None) for key in keys if key is not None and key not in read)
    read.update(by_key)
    unknown = {key for key in keys if key is not None} - by_key.keys()
    session.info.setdefault(_BY_SUFFIX_READ, {}).update(_by_suffixes(session, unknown))


def _aliases_and_keys(session: Session, names: Sequence[tuple[str, str | None]]
                      ) -> tuple[list[str], dict[str, Agency], list[str | None], dict[str, Agency]]:
    """Each name's alias, and the agencies of those that are some agency's; the canonical key
    of each name no alias answers (None for the others, each made once), and the agencies of
    those that are some agency's key. Two statements."""
    aliases = [normalise_name(printed) for printed, _ in names]
    by_alias = {alias: agency for alias, agency in session.execute(_BY_ALIASES, {"aliases": sorted(set(aliases))})}
    keys = [None if alias in by_alias else canonical(printed, region).key
            for (printed, region), alias in zip(names, aliases)]
    missing = {key for key in keys if key is not None}
    by_key = {agency.key: agency for agency in session.scalars(_BY_KEYS, {"keys": sorted(missing)})} if missing else {}
    return aliases, by_alias, keys, by_key


def _by_alias(session: Session, alias: str) -> Agency | None:
    if alias in session.info.get(_NO_ALIAS, ()):
        return None
    return session.scalars(_BY_ALIAS, {"alias": alias}).first()


def _by_key(session: Session, key: str) -> Agency | None:
    read = session.info.get(_BY_KEY_READ, {})
    if key in read and (read[key] is None or read[key].key == key):  # (not given a longer key since)
        suffixes = session.info.get(_BY_SUFFIX_READ, {})
        return read[key] or (suffixes[key] if key in suffixes else _by_suffix(session, key))
    return session.scalars(_BY_KEY, {"key": key}).first() or _by_suffix(session, key)


def _keyed(session: Session, agency: Agency) -> None:
    """Note an agency's key given in this session for ``_by_key``, and forget the agencies read
    ahead for the keys it is now a fuller or shorter form of, or was (they may have changed)."""
    if _BY_KEY_READ in session.info:
        session.info[_BY_KEY_READ][agency.key] = agency
    suffixes = session.info.get(_BY_SUFFIX_READ, {})
    for key in [key for key, found in suffixes.items()
                if found is agency or (key != agency.key and _differ_in_regions(agency.key, key))]:
        del suffixes[key]


# Built once: every parsed capture recorded asks the first, and every new agency the others.
_BY_ALIAS = sa.select(Agency).join(AgencyAlias, AgencyAlias.agency_id == Agency.id).where(
    AgencyAlias.alias == sa.bindparam("alias"))
_BY_KEY = sa.select(Agency).where(Agency.key == sa.bindparam("key"))
_BY_ALIASES = sa.select(AgencyAlias.alias, Agency).join_from(AgencyAlias, Agency, AgencyAlias.agency_id == Agency.id).where(
    one_of(AgencyAlias.alias, "aliases"))
_BY_KEYS = sa.select(Agency).where(one_of(Agency.key, "keys"))
_BY_TAILS_OR_BODIES = sa.select(Agency).where(
    sa.or_(one_of(Agency.tail, "tails"), one_of(Agency.body, "bodies"), one_of(Agency.key, "endings")))


def resolve_agency(session: Session, printed: str, site_region: str | None = None) -> Agency:
    """The canonical agency of a printed name, created when new; the name becomes an alias.

    A session remembers the names it resolved (a site's reports print their agency's name
    year after year): only ``add_alias`` and ``merge_agencies`` move a name, and they make it forget.
    It holds the agencies themselves: the session's identity map does not keep an object
    nothing refers to, and ``session.get`` would read it again."""
    alias = normalise_name(printed)
    resolved: dict[str, Agency] = session.info.setdefault(_RESOLVED, {})
    agency = resolved.get(alias) or _by_alias(session, alias)
    if agency is not None:  # the name is an alias already
        resolved[alias] = agency
        return agency
    name = canonical(printed, site_region)
    agency = _by_key(session, name.key)
    if agency is None:
        agency = _new_agency(session, name, printed.strip())
    elif len(name.key) > len(agency.key):
        # A fuller name of a known agency: the key and the region grow, its reports follow.
        _rekey(session, agency, name.key)
        agency.name = printed.strip()
        agency.province, agency.city, agency.county = (
            name.province or agency.province, name.city or agency.city, name.county or agency.county)
    # Nothing in a recording batch reads the alias back but through ``resolved``: the row can
    # wait for the batch's others (``storage.later_rows``).
    insert_rows(session, AgencyAlias.__table__, [{"alias": alias, "agency_id": agency.id}])
    resolved[alias] = agency
    return agency


def _new_agency(session: Session, name: CanonicalName, printed: str) -> Agency:
    """A new agency's row, inserted by one Core statement, and its object in the session as if
    read: in a first crawl every report's agency is new, and the ORM's flush of the object cost
    more than the rest of resolving its name."""
    values = {**_key_columns(name.key), "name": printed, "province": name.province, "city": name.city,
              "county": name.county}
    agency = Agency(id=session.connection().execute(_INSERT_AGENCY, values).scalar_one(), **values)
    make_transient_to_detached(agency)
    session.add(agency)
    _keyed(session, agency)
    return agency


_INSERT_AGENCY = sa.insert(Agency.__table__).returning(Agency.__table__.c.id)


_RESOLVED = "agencies_resolved"  # session.info: normalised name -> agency
_NO_ALIAS = "agencies_no_alias"  # session.info: normalised names read ahead and found no one's alias
_BY_KEY_READ = "agencies_by_key"  # session.info: canonical keys read ahead -> the agency (None: no agency's key)
_BY_SUFFIX_READ = "agencies_by_suffix"  # session.info: keys of no agency read ahead -> ``_by_suffixes``'s answer


def _forget_resolved(session: Session) -> None:
    for name in (_RESOLVED, _NO_ALIAS, _BY_KEY_READ, _BY_SUFFIX_READ):
        session.info.pop(name, None)


def _rekey(session: Session, agency: Agency, key: str) -> None:
    for column, value in _key_columns(key).items():
        setattr(agency, column, value)
    _keyed(session, agency)
    session.execute(sa.update(Report).where(Report.agency_id == agency.id).values(agency_key=key))


def find_agency(session: Session, ref: str) -> Agency:
    """An agency by id, canonical key or any alias; AgencyError when there is none."""
    ref = ref.strip()
    agency = session.get(Agency, int(ref)) if ref.isdigit() else None
    if agency is None:
        alias = normalise_name(ref)
        agency = session.scalars(
            sa.select(Agency).outerjoin(AgencyAlias, AgencyAlias.agency_id == Agency.id)
            .where(sa.or_(AgencyAlias.alias == alias, Agency.key == canonical(ref).key))
        ).first()
    if agency is None:
        raise AgencyError(f"no agency {ref!r} (see `harvester agencies`)")
    return agency


def add_alias(session: Session, agency: Agency, name: str) -> None:
    """Let ``name`` stand for ``agency`` from now on (taking it from another agency if need be)."""
    session.merge(AgencyAlias(alias=normalise_name(name), agency_id=agency.id))
    session.flush()
    _forget_resolved(session)


def merge_agencies(session: Session, keep: Agency, gone: Agency) -> int:
    """Fold ``gone`` into ``keep``: its aliases and reports move; returns the reports moved."""
    if keep.id == gone.id:
        raise AgencyError(f"{keep.name} and {gone.name} are already one agency")
    reports = list(session.scalars(sa.select(Report).where(Report.agency_id == gone.id)))
    taken = {(r.year, r.kind) for r in session.scalars(sa.select(Report).where(Report.agency_id == keep.id))}
    clashes = sorted(f"{r.year}" for r in reports if (r.year, r.kind) in taken)
    if clashes:
        raise AgencyError(f"both agencies have a report for {', '.join(clashes)}; cannot merge two reports of one year")
    session.execute(sa.update(AgencyAlias).where(AgencyAlias.agency_id == gone.id).values(agency_id=keep.id))
    _forget_resolved(session)
    for report in reports:
        report.agency_id, report.agency_key = keep.id, keep.key
    session.flush()
    session.delete(gone)
    session.flush()
    for report in reports:
        refresh_cross_year(session, report)
    return len(reports)


@dataclass
class AgencyInfo:
    id: int
    name: str
    key: str
    province: str | None
    city: str | None
    county: str | None
    aliases: list[str]
    reports: int


def list_agencies(session: Session) -> list[AgencyInfo]:
    aliases: dict[int, list[str]] = {}
    for row in session.execute(sa.select(AgencyAlias.agency_id, AgencyAlias.alias).order_by(AgencyAlias.alias)):
        aliases.setdefault(row.agency_id, []).append(row.alias)
    counts = dict(session.execute(sa.select(Report.agency_id, sa.func.count()).group_by(Report.agency_id)).all())
    return [
        AgencyInfo(a.id, a.name, a.key, a.province, a.city, a.county, aliases.get(a.id, []), counts.get(a.id, 0))
        for a in session.scalars(sa.select(Agency).order_by(Agency.key))
    ]
