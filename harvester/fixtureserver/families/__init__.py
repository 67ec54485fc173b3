"""One module per CMS family the fixture portals imitate.

Each module knows its family's markup: the list pages and list endpoints the server draws
from a portal's current items (``answer``), and the article pages the generator writes
(``article_page``). Keeping both in one place keeps a family's links and selectors agreeing.
"""

from __future__ import annotations

from types import ModuleType

from harvester.fixtureserver.families import hanweb, shandong, trs

FAMILIES: dict[str, ModuleType] = {"hanweb": hanweb, "trs": trs, "shandong": shandong}
