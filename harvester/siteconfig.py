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


def load_site_file(path: Path) -> SiteConfig:
    name = path.stem
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


def _build(name: str, data: dict[str, Any], path: Path) -> SiteConfig:
    family = data.get("family", "generic")
    if family not in FAMILIES:
        raise SiteConfigError(f"site {name}: family {family!r} is not one of {', '.join(FAMILIES)}")
    start_urls = data.get("start_urls")
    if isinstance(start_urls, str):
        start_urls = [start_urls]
    if not start_urls or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in start_urls):
        raise SiteConfigError(f"site {name}: start_urls must be a list of http(s) URLs")
    politeness = data.get("politeness") or {}
    unknown = set(politeness) - set(POLITENESS_SETTINGS)
    if unknown:
        raise SiteConfigError(f"site {name}: unknown politeness keys: {', '.join(sorted(unknown))}")
    selectors = data.get("selectors") or {}
    unknown = set(selectors) - set(SELECTOR_KEYS)
    if unknown:
        raise SiteConfigError(f"site {name}: unknown selector keys: {', '.join(sorted(unknown))}")
    render = data.get("render", False)
    if render not in RENDER_MODES:
        raise SiteConfigError(f"site {name}: render must be true, false or auto, not {render!r}")
    budget = data.get("render_budget", DEFAULT_RENDER_BUDGET)
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 1:
        raise SiteConfigError(f"site {name}: render_budget must be a positive whole number of pages")
    return SiteConfig(
        name=name,
        title=str(data.get("title") or name),
        family=family,
        start_urls=list(start_urls),
        agency=data.get("agency"),
        region=data.get("region"),
        schedule=data.get("schedule"),
        politeness=dict(politeness),
        selectors=dict(selectors),
        params=dict(data.get("params") or {}),
        extra_domains=[str(host) for host in data.get("extra_domains") or []],
        verified=bool(data.get("verified", True)),
        path=path,
        render=RENDER_MODES[render],
        render_budget=budget,
    )


def load_site(name: str) -> SiteConfig:
    path = site_paths().get(name)
    if path is None:
        raise SiteConfigError(f"unknown site {name!r} (see `harvester sites`)")
    return load_site_file(path)


def load_sites() -> list[SiteConfig]:
    return [load_site_file(path) for path in site_paths().values()]
