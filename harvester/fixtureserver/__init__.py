"""The fixture server: imitation government portals on 127.0.0.1 for tests and the demo.

It serves a portal root written by ``fixtures/portals/build.py`` (default: the committed
one in ``fixtures/portals``), draws list pages and list endpoints per CMS family, fills in
page chrome per request, answers conditional requests, and lets callers mutate the
portals while they run (revise, re-upload, publish, take down, challenge, reset).

    with serve_in_thread() as server:
        server.url, server.mutate("takedown", report="..."), server.log()
"""

from harvester.fixtureserver.mutations import MutationError
from harvester.fixtureserver.server import DEFAULT_ROOT, FixtureServer, serve_in_thread

__all__ = ["DEFAULT_ROOT", "FixtureServer", "MutationError", "serve_in_thread"]
