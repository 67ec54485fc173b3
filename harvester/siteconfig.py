"""Site configs: one YAML file per portal in ``harvester/sites/`` (plus any directory named in
``HARVESTER_SITES_DIR``), read into :class:`SiteConfig`.

String values may use ``${VAR}`` and ``${VAR:-default}``; they are expanded from the
environment when the config is loaded, so the fixture portals can live on any port.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from harvester.recheck import RecheckPolicy

FAMILIES = ("hanweb", "trs", "shandong", "generic")
BUILTIN_DIR = Path(__file__).resolve().parent / "sites"
SITES_DIR_ENV = "HARVESTER_SITES_DIR"

# Politeness keys a site may override, and the Scrapy setting each one sets.
POLITENESS_SETTINGS = {
    "download_delay": "DOWNLOAD_DELAY",
    "concurrency": "CONCURRENT_REQUESTS_PER_DOMAIN",
    "timeout": "DOWNLOAD_TIMEOUT",
    "obey_robots": "ROBOTSTXT_OBEY",
    "autothrottle": "AUTOTHROTTLE_ENABLED",
    "retries": "RETRY_TIMES",
}
# CSS selector overrides a site may give: list_links and next_page for the list walkers;
# attachments (the links themselves) or body (the element they are looked for in) for
# report pages. The parser finds the report body by itself.
SELECTOR_KEYS = ("list_links", "next_page", "body", "attachments")

# `render` in YAML -> when list pages are rendered in Chromium (see harvester.spiders.render).
RENDER_MODES = {False: "off", "auto": "auto", True: "always"}
DEFAULT_RENDER_BUDGET = 20

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# A site's name becomes a directory name under the data directory (jobs/, locks/, logs/), so
# it may not climb out of it: "..yaml" or "...yaml" would name the data directory itself.
SITE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
# Politeness key -> (accepted types, lowest value allowed, what the message calls it).
_POLITENESS_TYPES: dict[str, tuple[tuple[type, ...], float | None, str]] = {
    "download_delay": ((int, float), 0, "a number of seconds >= 0"),
    "concurrency": ((int,), 1, "a whole number >= 1"),
    "timeout": ((int, float), 0.001, "a number of seconds > 0"),
    "obey_robots": ((bool,), None, "true or false"),
    "autothrottle": ((bool,), None, "true or false"),
    "retries": ((int,), 0, "a whole number >= 0"),
}


class SiteConfigError(ValueError):
    """A site config is missing, unreadable or invalid; the message is one line."""


@dataclass
class SiteConfig:
    name: str
    title: str
    family: str
    start_urls: list[str]
    agency: str | None = None
    region: str | None = None
    schedule: str | list[str] | None = None  # cron expression(s) read by the scheduler
    politeness: dict[str, Any] = field(default_factory=dict)
    selectors: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)  # family-specific values (e.g. hanweb ids)
    # Hosts besides the start URLs' that the site's pages and files live on (a file server).
    extra_domains: list[str] = field(default_factory=list)
    verified: bool = True
    path: Path | None = None
    render: str = "off"  # off | auto | always
    render_budget: int = DEFAULT_RENDER_BUDGET  # pages rendered per crawl at most
    recheck: RecheckPolicy = field(default_factory=RecheckPolicy)  # known report pages: every crawl, or in turns

    @property
    def allowed_domains(self) -> list[str]:
        """Hosts of the start URLs and ``extra_domains``: the crawl never leaves them."""
        hosts = {urlsplit(url).hostname or "" for url in self.start_urls} | set(self.extra_domains)
        return sorted(hosts - {""})

    def scrapy_settings(self) -> dict[str, Any]:
        return {POLITENESS_SETTINGS[key]: value for key, value in self.politeness.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "family": self.family,
            "start_urls": self.start_urls,
            "agency": self.agency,
            "region": self.region,
            "schedule": self.schedule,
            "politeness": self.politeness,
            "selectors": self.selectors,
            "extra_domains": self.extra_domains,
            "verified": self.verified,
            "render": self.render,
            "render_budget": self.render_budget,
            "recheck": ({"every_days": self.recheck.every_days, "fresh_days": self.recheck.fresh_days}
                        if self.recheck.in_turns else None),
        }


def expand_env(value: Any, environ: dict[str, str] | os._Environ[str] | None = None) -> Any:
    """Expand ``${VAR}`` / ``${VAR:-default}`` in every string inside ``value``."""
    env = os.environ if environ is None else environ
    if isinstance(value, str):
        def substitute(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if env.get(name):
                return env[name]
            if default is None:
                raise SiteConfigError(f"environment variable {name} is not set and has no default")
            return default

        return _VAR.sub(substitute, value)
    if isinstance(value, list):
        return [expand_env(item, env) for item in value]
    if isinstance(value, dict):
        return {key: expand_env(item, env) for key, item in value.items()}
    return value


def site_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(SITES_DIR_ENV, "").split(os.pathsep) if p]
    return [BUILTIN_DIR, *extra]


def site_paths() -> dict[str, Path]:
    """Site name -> config file; a later directory overrides an earlier one."""
    found: dict[str, Path] = {}
    for directory in site_dirs():
        for path in sorted(directory.glob("*.yaml")):
            found[path.stem] = path
    return found


def check_site_name(name: str) -> str:
    """``name`` when it is safe as a directory name under the data directory, else SiteConfigError."""
    if not SITE_NAME.fullmatch(name) or ".." in name:
        raise SiteConfigError(
            f"site name {name!r} is not allowed: use lower-case letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, without '..'"
        )
    return name


def load_site_file(path: Path) -> SiteConfig:
    name = check_site_name(path.stem)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SiteConfigError(f"site {name}: cannot read {path}: {str(exc).splitlines()[0]}") from exc
    if not isinstance(raw, dict):
        raise SiteConfigError(f"site {name}: {path} is not a mapping")
    try:
        data = expand_env(raw)
    except SiteConfigError as exc:
        raise SiteConfigError(f"site {name}: {exc}") from exc
    return _build(name, data, path)


def _optional_text(name: str, data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise SiteConfigError(f"site {name}: {key} must be text, not {type(value).__name__} {value!r}")
    return value


def _mapping(name: str, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise SiteConfigError(f"site {name}: {key} must be a mapping of names to values, not {type(value).__name__}")
    return value


def _check_politeness(name: str, politeness: dict[str, Any]) -> None:
    unknown = set(politeness) - set(POLITENESS_SETTINGS)
    if unknown:
        raise SiteConfigError(f"site {name}: unknown politeness keys: {', '.join(sorted(unknown))}")
    for key, value in politeness.items():
        types, lowest, wanted = _POLITENESS_TYPES[key]
        # bool is an int to Python; "concurrency: yes" is still a mistake.
        wrong_type = not isinstance(value, types) or (isinstance(value, bool) and bool not in types)
        if wrong_type or (lowest is not None and value < lowest):
            raise SiteConfigError(f"site {name}: politeness.{key} must be {wanted}, not {value!r}")


def _check_selectors(name: str, selectors: dict[str, Any]) -> None:
    from cssselect import GenericTranslator, SelectorError

    unknown = set(selectors) - set(SELECTOR_KEYS)
    if unknown:
        raise SiteConfigError(f"site {name}: unknown selector keys: {', '.join(sorted(unknown))}")
    for key, css in selectors.items():
        if not isinstance(css, str) or not css.strip():
            raise SiteConfigError(f"site {name}: selectors.{key} must be a CSS selector, not {css!r}")
        try:
            GenericTranslator().css_to_xpath(css)
        except SelectorError as exc:
            raise SiteConfigError(f"site {name}: selectors.{key} {css!r} is not valid CSS: {exc}") from exc


def _recheck(name: str, data: dict[str, Any]) -> RecheckPolicy:
    recheck = _mapping(name, data, "recheck")
    unknown = set(recheck) - {"every_days", "fresh_days"}
    if unknown:
        raise SiteConfigError(f"site {name}: unknown recheck keys: {', '.join(sorted(unknown))}")
    if not recheck:
        return RecheckPolicy()
    if "every_days" not in recheck:
        raise SiteConfigError(f"site {name}: recheck needs every_days, the days between re-checks of a known page")
    for key, zero_allowed in (("every_days", False), ("fresh_days", True)):
        value = recheck.get(key, 0 if zero_allowed else None)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 or (value == 0 and not zero_allowed):
            wanted = "a number of days >= 0" if zero_allowed else "a number of days > 0"
            raise SiteConfigError(f"site {name}: recheck.{key} must be {wanted}, not {value!r}")
    return RecheckPolicy(**{key: float(value) for key, value in recheck.items()})


def _text_list(name: str, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise SiteConfigError(f"site {name}: {key} must be a list of text values, not {value!r}")
    return value


def _build(name: str, data: dict[str, Any], path: Path) -> SiteConfig:
    family = data.get("family", "generic")
    if family not in FAMILIES:
        raise SiteConfigError(f"site {name}: family {family!r} is not one of {', '.join(FAMILIES)}")
    start_urls = data.get("start_urls")
    if isinstance(start_urls, str):
        start_urls = [start_urls]
    if not start_urls or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in start_urls):
        raise SiteConfigError(f"site {name}: start_urls must be a list of http(s) URLs")
    politeness = _mapping(name, data, "politeness")
    _check_politeness(name, politeness)
    selectors = _mapping(name, data, "selectors")
    _check_selectors(name, selectors)
    schedule = data.get("schedule")
    if schedule is not None and not isinstance(schedule, str):
        schedule = _text_list(name, data, "schedule")
    verified = data.get("verified", True)
    if not isinstance(verified, bool):
        raise SiteConfigError(f"site {name}: verified must be true or false, not {verified!r}")
    render = data.get("render", False)
    if render not in RENDER_MODES:
        raise SiteConfigError(f"site {name}: render must be true, false or auto, not {render!r}")
    budget = data.get("render_budget", DEFAULT_RENDER_BUDGET)
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 1:
        raise SiteConfigError(f"site {name}: render_budget must be a positive whole number of pages")
    return SiteConfig(
        name=name,
        title=_optional_text(name, data, "title") or name,
        family=family,
        start_urls=list(start_urls),
        agency=_optional_text(name, data, "agency"),
        region=_optional_text(name, data, "region"),
        schedule=schedule,
        politeness=dict(politeness),
        selectors=dict(selectors),
        params=dict(_mapping(name, data, "params")),
        extra_domains=[host.strip().lower() for host in _text_list(name, data, "extra_domains")],
        verified=verified,
        path=path,
        render=RENDER_MODES[render],
        render_budget=budget,
        recheck=_recheck(name, data),
    )


def load_site(name: str) -> SiteConfig:
    check_site_name(name)
    path = site_paths().get(name)
    if path is None:
        raise SiteConfigError(f"unknown site {name!r} (see `harvester sites`)")
    return load_site_file(path)


def load_sites() -> list[SiteConfig]:
    """Every site; the first broken config raises SiteConfigError."""
    configs, problems = load_sites_apart()
    if problems:
        raise next(iter(problems.values()))
    return configs


def load_sites_apart() -> tuple[list[SiteConfig], dict[str, SiteConfigError]]:
    """Every site that loads, and apart from them what is wrong with each one that does not
    (by file name), so one broken file does not hide the other sites."""
    configs: list[SiteConfig] = []
    problems: dict[str, SiteConfigError] = {}
    for stem, path in site_paths().items():
        try:
            configs.append(load_site_file(path))
        except SiteConfigError as exc:
            problems[stem] = exc
    return configs, problems
