"""Site configs: loading, environment expansion, validation, the shipped configs, `harvester sites`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from harvester.recheck import RecheckPolicy
from harvester.siteconfig import SiteConfigError, expand_env, load_site, load_sites


def test_env_expansion_uses_the_variable_then_the_default() -> None:
    value = {"urls": ["${BASE:-http://127.0.0.1:8765}/col/index.html"], "n": 3}
    assert expand_env(value, {}) == {"urls": ["http://127.0.0.1:8765/col/index.html"], "n": 3}
    assert expand_env(value, {"BASE": "http://127.0.0.1:9999"})["urls"] == ["http://127.0.0.1:9999/col/index.html"]
    assert expand_env("${A}-${B:-b}", {"A": "a"}) == "a-b"


def test_env_variable_without_default_must_be_set() -> None:
    with pytest.raises(SiteConfigError, match="environment variable NOPE is not set"):
        expand_env("${NOPE}/x", {})


def test_a_config_file_becomes_a_site(sites_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (sites_dir / "demo-site.yaml").write_text(
        "title: 演示\nfamily: trs\nagency: 某局\nregion: 山东省\n"
        "start_urls: ['${DEMO_URL:-http://127.0.0.1:8765}/xxgk/index.html']\n"
        "schedule: ['0 2 * * 1', '0 3 * 1-3 *']\npoliteness: {download_delay: 5, concurrency: 1}\n"
        "selectors: {body: '.TRS_Editor'}\nverified: false\nextra_domains: [files.gov.test]\n"
        "recheck: {every_days: 7}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DEMO_URL", "http://127.0.0.1:4321")
    site = load_site("demo-site")
    assert site.start_urls == ["http://127.0.0.1:4321/xxgk/index.html"]
    assert site.allowed_domains == ["127.0.0.1", "files.gov.test"]
    assert (site.family, site.agency, site.region, site.verified) == ("trs", "某局", "山东省", False)
    assert site.schedule == ["0 2 * * 1", "0 3 * 1-3 *"]
    assert site.scrapy_settings() == {"DOWNLOAD_DELAY": 5, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
    assert site.recheck == RecheckPolicy(every_days=7.0, fresh_days=30.0)
    assert site.to_dict()["recheck"] == {"every_days": 7.0, "fresh_days": 30.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("family: phpcms\nstart_urls: [http://x.test/]\n", "family 'phpcms' is not one of"),
        ("family: trs\n", "start_urls must be a list of http(s) URLs"),
        ("family: trs\nstart_urls: [ftp://x.test/]\n", "start_urls must be"),
        ("start_urls: [http://x.test/]\npoliteness: {speed: 9}\n", "unknown politeness keys: speed"),
        ("start_urls: [http://x.test/]\nselectors: {title: h1}\n", "unknown selector keys: title"),
        ("start_urls: [http://x.test/]\nrecheck: {fresh_days: 3}\n", "recheck needs every_days"),
        ("start_urls: [http://x.test/]\nrecheck: {every_days: 0}\n", "recheck.every_days must be a number of days > 0, not 0"),
        ("start_urls: [http://x.test/]\nrecheck: {every_days: 7, fresh_days: -1}\n", "recheck.fresh_days must be a number of days >= 0"),
        ("start_urls: [http://x.test/]\nrecheck: {every_days: weekly}\n", "recheck.every_days must be"),
        ("start_urls: [http://x.test/]\nrecheck: {every: 7}\n", "unknown recheck keys: every"),
        ("- just\n- a list\n", "is not a mapping"),
        ("start_urls: [http://x.test/\n", "cannot read"),
    ],
)
def test_bad_configs_say_what_is_wrong_in_one_line(sites_dir: Path, text: str, message: str) -> None:
    (sites_dir / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SiteConfigError, match=re.escape(message)) as caught:
        load_site("bad")
    assert str(caught.value).startswith("site bad: ") and "\n" not in str(caught.value)


def test_unknown_site() -> None:
    with pytest.raises(SiteConfigError, match="unknown site 'nowhere'"):
        load_site("nowhere")


def test_shipped_configs_load_and_fixture_configs_follow_the_fixture_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARVESTER_FIXTURE_URL", "http://127.0.0.1:5555")
    sites = {site.name: site for site in load_sites()}
    assert {"fixture-hanweb", "fixture-trs", "fixture-shandong"} <= set(sites)
    assert {"zibo-jkq", "weihai-etdz", "zhangdian-departments", "zibo-gxj"} <= set(sites)
    for name in ("fixture-hanweb", "fixture-trs", "fixture-shandong"):
        assert all(url.startswith("http://127.0.0.1:5555/") for url in sites[name].start_urls)
    assert not any(sites[name].verified for name in ("zibo-jkq", "weihai-etdz", "zhangdian-departments", "zibo-gxj"))


def test_sites_command_lists_configs_as_json(sites_dir: Path) -> None:
    (sites_dir / "zz-extra.yaml").write_text("family: generic\nstart_urls: [http://x.test/]\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "harvester.cli.main", "sites", "--json"],
                            capture_output=True, text=True, check=True)
    listed = {row["name"]: row for row in json.loads(result.stdout)}
    assert listed["zz-extra"]["family"] == "generic" and listed["zz-extra"]["start_urls"] == ["http://x.test/"]
    assert listed["weihai-etdz"]["verified"] is False
    text = subprocess.run([sys.executable, "-m", "harvester.cli.main", "sites"], capture_output=True, text=True, check=True)
    assert "zz-extra" in text.stdout and "(unverified)" in text.stdout


@pytest.mark.parametrize("name", ["..", ".", "...", "../data", "Upper", "-dash", "a/b", "a..b", ""])
def test_a_site_name_that_could_leave_the_data_directory_is_refused(name: str) -> None:
    from harvester.crawl import job_dir
    from harvester.siteconfig import check_site_name

    with pytest.raises(SiteConfigError, match="is not allowed"):
        check_site_name(name)
    with pytest.raises(SiteConfigError):
        job_dir(Path("/srv/data"), name)


def test_a_config_named_dot_dot_is_never_crawled_and_the_data_directory_survives(sites_dir: Path, tmp_path: Path) -> None:
    (sites_dir / "...yaml").write_text("family: generic\nstart_urls: [http://127.0.0.1:9/]\n", encoding="utf-8")
    data = tmp_path / "data"
    (data / "blobs").mkdir(parents=True)
    (data / "blobs" / "keep").write_bytes(b"raw bytes")
    result = subprocess.run([sys.executable, "-m", "harvester.cli.main", "crawl", "..", "--fresh"],
                            capture_output=True, text=True, env={**os.environ, "HARVESTER_DATA_DIR": str(data)}, timeout=120)
    assert result.returncode == 1 and "site name '..' is not allowed" in result.stderr
    assert (data / "blobs" / "keep").read_bytes() == b"raw bytes"


def test_forgetting_a_job_removes_only_that_sites_job_directory(tmp_path: Path) -> None:
    from harvester.crawl import forget_job, job_dir

    elsewhere = tmp_path / "precious"
    elsewhere.mkdir()
    (elsewhere / "file").write_text("x")
    jobs = tmp_path / "data" / "jobs"
    jobs.mkdir(parents=True)
    (jobs / "linked").symlink_to(elsewhere, target_is_directory=True)
    forget_job(tmp_path / "data", "linked")
    assert (elsewhere / "file").exists()
    job_dir(tmp_path / "data", "site-a").mkdir()
    (jobs / "site-b").mkdir()
    forget_job(tmp_path / "data", "site-a")
    assert sorted(p.name for p in jobs.iterdir()) == ["linked", "site-b"]
