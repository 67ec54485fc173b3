"""``harvester serve``: the read-only web interface over the archive."""

from __future__ import annotations

import socket

import click

from harvester.cli.common import echo, open_archive
from harvester.cli.common import db_option, fail


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default keeps the interface on this machine.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@db_option
def serve(host: str, port: int, db: str | None) -> None:
    """Serve the archive as a website (read-only): overview, reports, report cards, diffs, agencies."""
    import uvicorn

    from harvester.web.app import create_app

    with open_archive(db) as archive:
        # Bound here rather than by uvicorn, so a port in use is one line and exit 1, and
        # port 0 can be announced as the port it became.
        try:
            listener = socket.create_server((host, port))
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        bound = listener.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(archive), log_level="warning"))
        echo(f"Web interface at http://{host}:{bound}/ over "
             f"{archive.engine.url.render_as_string(hide_password=True)} - Ctrl-C stops")
        with listener:
            server.run(sockets=[listener])
