"""Entry point of the ``harvester`` command.

Subcommands are imported only when run, so ``harvester --help`` and ``harvester parse`` do
not pay for importing Scrapy or the database layer.
"""

from __future__ import annotations

import importlib

import click

from harvester import __version__

# command name -> ("module:attribute" of its click command, one-line help for the listing)
COMMANDS: dict[str, tuple[str, str]] = {
    "crawl": ("harvester.cli.crawl_cmd:crawl", "Crawl sites into the archive."),
    "sites": ("harvester.cli.sites_cmd:sites", "List the configured sites; check one before trusting it."),
    "schedule": ("harvester.cli.schedule_cmd:schedule", "Run crawls on each site's schedule."),
    "history": ("harvester.cli.archive_cmd:history", "List a report's versions and captures."),
    "diff": ("harvester.cli.archive_cmd:diff", "Show what changed between two versions of a report."),
    "query": ("harvester.cli.archive_cmd:query", "Find reports by agency, year, findings and cell values."),
    "coverage": ("harvester.cli.coverage_cmd:coverage", "Who published a year's report on time, late or not at all."),
    "export": ("harvester.cli.archive_cmd:export", "Export versions and cells as CSV, JSONL or Parquet."),
    "reparse": ("harvester.cli.archive_cmd:reparse", "Re-parse stored bytes with the current parser."),
    "db": ("harvester.cli.archive_cmd:db", "Database maintenance (upgrade)."),
    "parse": ("harvester.cli.parse_cmd:parse", "Parse a local report file."),
    "validate": ("harvester.cli.parse_cmd:validate", "Check reports for consistency findings."),
    "feed": ("harvester.cli.notify_cmd:feed", "Write the Atom feed of report events."),
    "notify": ("harvester.cli.notify_cmd:notify", "Test and send notifications (notify.yaml)."),
    "runs": ("harvester.cli.runs_cmd:runs", "List crawl runs with their figures (per worker for fleet runs)."),
    "worker": ("harvester.cli.worker_cmd:worker", "Run a crawl worker that shares sites through Redis."),
    "fixtures": ("harvester.cli.fixtures_cmd:fixtures", "Serve and mutate the bundled fixture portals."),
    "demo": ("harvester.cli.demo_cmd:demo", "Serve the fixture portals, crawl them and show the result."),
    "serve": ("harvester.cli.serve_cmd:serve", "Serve the archive as a read-only website."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute = entry[0].split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="harvester")
def cli() -> None:
    """Harvest government information-disclosure annual reports into a versioned archive."""


def main() -> None:
    cli(prog_name="harvester")


if __name__ == "__main__":
    main()
