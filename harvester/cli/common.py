"""Options and output helpers shared by every subcommand, so they behave alike.

Exit status: 0 success; 1 a failure the user caused (``click.ClickException``, one line);
2 bad usage (``click.UsageError``, raised by click itself for unknown options).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, NoReturn

import click

from harvester.config import data_dir, database_url
from harvester.control_chars import without_controls

db_option = click.option(
    "--db",
    "db",
    metavar="URL|PATH",
    default=None,
    help="Archive database: a SQLAlchemy URL or an SQLite file path "
    "(default: $HARVESTER_DB_URL, else data/archive.sqlite3).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text for people.")


def require_site_choice(sites: tuple[str, ...], all_sites: bool) -> None:
    """Commands that act on sites take SITE names or ``--all``: exactly one of the two."""
    if not sites and not all_sites:
        raise click.UsageError("name at least one SITE, or --all (see `harvester sites`)")
    if sites and all_sites:
        raise click.UsageError("give SITE names or --all, not both")


def echo(message: str = "", *, err: bool = False) -> None:
    """``click.echo`` for every line a command prints for people: archives made before the
    crawler left control characters out of what portals send may hold them."""
    click.echo(without_controls(message), err=err)


def print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def fail(message: str) -> NoReturn:
    """Stop with exit status 1 and one clear line on stderr."""
    raise click.ClickException(without_controls(message))


def exit_if_broken(problems: list[Exception]) -> None:
    """After the output for everything that was fine: one line on stderr per broken site
    config (or schedule), then exit status 1 if there was any."""
    for problem in problems:
        echo(f"Error: {problem}", err=True)
    if problems:
        sys.exit(1)


def printable_url(db_url: str) -> str:
    """A database URL fit for a terminal or a log: its password masked."""
    from sqlalchemy.engine import make_url

    return make_url(db_url).render_as_string(hide_password=True)


@contextmanager
def open_archive(db: str | None) -> Iterator[Any]:
    """The archive named by --db / the environment; an unreachable database is exit 1, one line."""
    from storage.archive import Archive
    from storage.db import DatabaseUnavailable

    data = data_dir()
    url = database_url(db, data)
    missing = missing_sqlite_file(url)
    if missing is not None:
        # Reading must not leave an empty archive behind a mistyped --db.
        fail(f"no archive at {missing} (crawl first, run `harvester db upgrade`, or name one with --db)")
    try:
        archive = Archive.open(url, data)
    except DatabaseUnavailable as exc:
        fail(str(exc))
    try:
        yield archive
    finally:
        archive.close()


def missing_sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    """A plain aligned table (CJK characters count as two columns)."""
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)

    cells = [[str(h) for h in headers]] + [["" if v is None else without_controls(str(v)) for v in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        click.echo("  ".join(text + " " * (w - width(text)) for text, w in zip(row, widths)).rstrip())
