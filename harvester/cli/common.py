"""Options and output helpers shared by every subcommand, so they behave alike.

Exit status: 0 success; 1 a failure the user caused (``click.ClickException``, one line);
2 bad usage (``click.UsageError``, raised by click itself for unknown options).
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click

db_option = click.option(
    "--db",
    "db",
    metavar="URL|PATH",
    default=None,
    help="Archive database: a SQLAlchemy URL or an SQLite file path "
    "(default: $HARVESTER_DB_URL, else data/archive.sqlite3).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text for people.")


def print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def fail(message: str) -> NoReturn:
    """Stop with exit status 1 and one clear line on stderr."""
    raise click.ClickException(message)


def exit_if_broken(problems: list[Exception]) -> None:
    """After the output for everything that was fine: one line on stderr per broken site
    config (or schedule), then exit status 1 if there was any."""
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        sys.exit(1)


def printable_url(db_url: str) -> str:
    """A database URL fit for a terminal or a log: its password masked."""
    from sqlalchemy.engine import make_url

    return make_url(db_url).render_as_string(hide_password=True)
