"""``harvester agencies``: the canonical agencies with their region and aliases, and the
edits a user makes to them (``merge A B``, ``alias A NAME``). A thin layer over
``storage.agencies``; A and B are an id, a canonical key or any name the agency printed."""

from __future__ import annotations

from dataclasses import asdict

import click

from harvester.cli.common import echo, open_archive, print_table
from harvester.cli.common import db_option, fail, json_option, print_json


@click.group(invoke_without_command=True)
@json_option
@db_option
@click.pass_context
def agencies(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """List agencies (id, name, region, aliases, reports); merge them or add aliases."""
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    from storage.agencies import list_agencies

    with open_archive(db) as archive, archive.session() as session:
        rows = list_agencies(session)
    if as_json:
        print_json([asdict(row) for row in rows])
        return
    print_table(["ID", "AGENCY", "REGION", "REPORTS", "ALIASES"],
           [[a.id, a.name, "".join(p for p in (a.province, a.city, a.county) if p) or "-", a.reports, " / ".join(a.aliases)]
            for a in rows])


def _edit(db: str | None, action: str, *refs: str) -> str:
    from storage.agencies import AgencyError, add_alias, find_agency, merge_agencies
    from storage.db import writer
    from sqlalchemy.orm import Session

    with open_archive(db) as archive, Session(writer(archive.engine)) as session, session.begin():
        try:
            keep = find_agency(session, refs[0])
            if action == "merge":
                gone = find_agency(session, refs[1])
                moved = merge_agencies(session, keep, gone)
                return f"merged {gone.name} into {keep.name} ({moved} report(s) moved)"
            add_alias(session, keep, refs[1])
            return f"{refs[1]} now stands for {keep.name}"
        except AgencyError as exc:
            fail(str(exc))


def _edit_command(action: str, first: str, second: str, doc: str) -> click.Command:
    @agencies.command(name=action, help=doc)
    @click.argument(first)
    @click.argument(second)
    @db_option
    @click.pass_obj
    def command(group_db: str | None, db: str | None, **refs: str) -> None:
        echo(_edit(db or group_db, action, refs[first], refs[second]))

    return command


merge = _edit_command("merge", "keep", "gone", "Merge agency GONE into KEEP: its names and reports become KEEP's.")
alias = _edit_command("alias", "agency", "name", "Let NAME stand for AGENCY in future crawls and queries.")
