"""Storing a version's keys as computed today.

A version's content key depends on what is known of its site's chrome, so a capture found
unchanged under chrome learned since stores the key it was found by: the next capture of
the same content is then recognised by its key alone. Its fixed key (revision 0010) is
given once to versions recorded before it existed. Both the full decision
(``storage.record``) and the batched shortcut (``storage.unchanged``) renew keys this way.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.models import Version

_VERSIONS = Version.__table__
_OTHER = _VERSIONS.alias("other")
_REKEY = (sa.update(_VERSIONS).values(content_key=sa.bindparam("key")).where(
    _VERSIONS.c.id == sa.bindparam("version_id"),
    # A key another version of the report holds (two contents alike under chrome learned since) stays.
    ~sa.exists().where(_OTHER.c.report_id == sa.bindparam("of_report"), _OTHER.c.content_key == sa.bindparam("key"))))
_FIXED_KEY = sa.update(_VERSIONS).where(_VERSIONS.c.id == sa.bindparam("version_id")).values(fixed_key=sa.bindparam("fixed_key"))


def rekey(connection: Connection, version_id: int, report_id: int, key: str) -> None:
    """Store ``key`` as the version's content key, unless another version of the report holds it."""
    connection.execute(_REKEY, {"version_id": version_id, "of_report": report_id, "key": key})


def give_fixed_key(connection: Connection, version_id: int, fixed: str) -> None:
    connection.execute(_FIXED_KEY, {"version_id": version_id, "fixed_key": fixed})
