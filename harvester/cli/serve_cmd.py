"""``harvester serve``: the read-only web interface over the archive."""

from __future__ import annotations

import click

from harvester.cli.archive_cmd import _archive
from harvester.cli.common import db_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default keeps the interface on this machine.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@db_option
def serve(host: str, port: int, db: str | None) -> None:
    """Serve the archive as a website (read-only): overview, reports, report cards, diffs, agencies."""
    import uvicorn

    from harvester.web.app import create_app

    with _archive(db) as archive:
        config = uvicorn.Config(create_app(archive), host=host, port=port, log_level="warning")
        server = uvicorn.Server(config)
        click.echo(f"Web interface at http://{host}:{port}/ over {archive.engine.url.render_as_string(hide_password=True)} - Ctrl-C stops")
        try:
            server.run()
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
