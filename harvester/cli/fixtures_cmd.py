"""``harvester fixtures``: run the fixture portals, and change them while they run."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import click

from harvester.cli.common import echo, fail, print_json

DEFAULT_PORT = 8765
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"


@click.group()
def fixtures() -> None:
    """Serve and mutate the bundled fixture portals."""


@fixtures.command()
@click.option("--port", type=int, default=DEFAULT_PORT, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Portal root written by fixtures/portals/build.py (default: the bundled fixtures/portals).",
)
def serve(port: int, root: Path | None) -> None:
    """Serve the fixture portals until Ctrl-C."""
    from harvester.fixtureserver import FixtureServer

    try:
        server = FixtureServer(root, port)
    except (OSError, ValueError) as exc:
        fail(f"cannot serve fixture portals: {exc}")
    echo(f"Fixture portals at {server.url}/ (control: {server.url}/__control/) - Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


server_url_option = click.option(
    "--url",
    "server_url",
    default=lambda: os.environ.get("HARVESTER_FIXTURE_URL", DEFAULT_URL),
    show_default="$HARVESTER_FIXTURE_URL or " + DEFAULT_URL,
    help="The running fixture server.",
)


@fixtures.command()
@click.argument("action")
@click.argument("params", nargs=-1, metavar="[KEY=VALUE]...")
@server_url_option
def mutate(action: str, params: tuple[str, ...], server_url: str) -> None:
    """Change a running fixture server: revise, reupload, publish, takedown, challenge, relayout, reset.

    \b
    Examples:
      harvester fixtures mutate revise report=hanweb-etdz-2020
      harvester fixtures mutate reupload report=trs-jgsw-2021 new_url=true
      harvester fixtures mutate challenge url=/trs/zfxxgknb/index.html kind=jiasule
    """
    payload: dict[str, Any] = {"action": action, **dict(_param(p) for p in params)}
    print_json(_control(server_url, "POST", "mutate", payload))


@fixtures.command()
@click.option("--clear", is_flag=True, help="Empty the log after printing it.")
@server_url_option
def log(clear: bool, server_url: str) -> None:
    """Print a running fixture server's request log (JSON), oldest first."""
    print_json(_control(server_url, "GET", "log"))
    if clear:
        _control(server_url, "DELETE", "log")


def _control(server_url: str, method: str, endpoint: str, payload: dict[str, Any] | None = None) -> Any:
    """Call the server's /__control/ API; its one-line error, or no server, ends the command."""
    request = urllib.request.Request(
        f"{server_url.rstrip('/')}/__control/{endpoint}",
        data=json.dumps(payload).encode() if payload is not None else None,
        headers={"Content-Type": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        fail(json.load(exc).get("error", f"HTTP {exc.code}"))
    except (urllib.error.URLError, OSError) as exc:
        fail(f"no fixture server at {server_url}: {getattr(exc, 'reason', exc)}")


def _param(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.UsageError(f"parameter {text!r} is not KEY=VALUE")
    return key, {"true": True, "false": False}.get(value.lower(), value)
