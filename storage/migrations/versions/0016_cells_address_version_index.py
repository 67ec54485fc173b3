"""Index the cells by address and version, not by address and value.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

``ix_cells_address_value`` (revision 0013) kept each address's cells in the order of their
values. A new version's ~200 cells then went each to its own place among all the archive's
cells of the same address, a leaf page apiece, and every batch of versions rewrote some
hundreds of pages scattered over the index: what writing a version's cells cost grew with
the archive. Keyed by address and version, a version's cells go at the end of each
address's run, where the batch's other versions put theirs. The value stays in the key, so
a cell condition (``harvester query --where``) still reads the values from the index alone:
it walks its address's run instead of a range of it, and the index answers, too, whether a
chosen version has a cell matching.
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cells_address_version", "cells", ["address_id", "version_id", "value"])
    op.drop_index("ix_cells_address_value", table_name="cells")


def downgrade() -> None:
    op.create_index("ix_cells_address_value", "cells", ["address_id", "value"])
    op.drop_index("ix_cells_address_version", table_name="cells")
