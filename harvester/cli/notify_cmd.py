"""``harvester notify`` (send a test message, deliver what crawls found) and ``harvester feed``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from harvester.cli.common import echo, open_archive
from harvester.cli.common import db_option, fail


@click.group()
def notify() -> None:
    """Notifications through Apprise, by the rules in notify.yaml ($HARVESTER_NOTIFY)."""


@notify.command("test")
@click.argument("url")
def test_url(url: str) -> None:
    """Send a test message to one Apprise URL (json://, mailto://, dingtalk://, wecombot://, …)."""
    from harvester.notify.deliver import DeliveryFailed, send
    from harvester.notify.message import Message

    try:
        send(url, Message("govreport-harvester 测试 / test", "通知设置可用。Notifications reach you here."))
    except DeliveryFailed as exc:
        fail(str(exc))
    echo("sent")


@notify.command("send")
@click.option("--run", "run_ids", type=click.IntRange(1), multiple=True,
              help="Crawl run id(s) (default: the newest run of each site).")
@click.option("--rules", "rules_file", type=click.Path(path_type=Path), help="notify.yaml (default: $HARVESTER_NOTIFY).")
@db_option
def send_cmd(run_ids: tuple[int, ...], rules_file: Path | None, db: str | None) -> None:
    """Deliver the events of crawl runs that the rules have not delivered yet (and owed ones)."""
    import sqlalchemy as sa

    from harvester.notify.config import NotifyConfigError, load_notify_config
    from harvester.notify.deliver import dispatch
    from storage.models import Run

    try:
        config = load_notify_config(rules_file)
    except NotifyConfigError as exc:
        fail(str(exc))
    if config is None:
        fail("no notification rules: name a notify.yaml with --rules or $HARVESTER_NOTIFY")
    with open_archive(db) as archive:
        if not run_ids:
            with archive.session() as session:
                run_ids = tuple(session.scalars(sa.select(sa.func.max(Run.id)).group_by(Run.site)))
        result = dispatch(archive, run_ids, config)
    echo(f"{result.sent} event(s) delivered")
    for line in result.failed:
        echo(f"not delivered: {line}", err=True)
    if result.failed:
        sys.exit(1)


@click.command()
@click.option("--site", help="Only this site's events.")
@click.option("--agency", help="Only events of agencies whose name contains this text.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the feed to this file (default: standard output).")
@click.option("--web-url", help="Link entries to the web interface at this address.")
@db_option
def feed(site: str | None, agency: str | None, out: Path | None, web_url: str | None, db: str | None) -> None:
    """The Atom feed of new reports, revisions, withdrawals, findings, missed deadlines and site trouble."""
    from harvester.notify.feed import atom_feed
    from storage.watch import recent_events

    with open_archive(db) as archive, archive.session() as session:
        events = recent_events(session, today=date.today(), site=site, agency=agency)
    title = "政府信息公开年报动态 / report events" + "".join(f" · {x}" for x in (site, agency) if x)
    document = atom_feed(events, title=title, web_url=web_url.rstrip("/") if web_url else None)
    if out is None:
        sys.stdout.buffer.write(document)
    else:
        out.write_bytes(document)
        echo(f"{len(events)} event(s) written to {out}")
