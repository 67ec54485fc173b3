"""Running the fixture server: in a background thread (tests, the demo) or in the foreground."""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from harvester.fixtureserver import mutations
from harvester.fixtureserver.handler import FixtureHTTPServer
from harvester.fixtureserver.site import PortalRoot, load_root
from harvester.fixtureserver.state import ServerState

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "portals"
DEFAULT_HOST = "127.0.0.1"


class FixtureServer:
    """The fixture portals on ``url``; mutate them, read the request log, stop.

    ``mutate``/``log``/``reset`` act on the state directly; the same actions are open
    over HTTP at /__control/ for other processes (``harvester fixtures mutate``; there the
    ``reset`` action undoes mutations and ``DELETE /__control/log`` empties the log).
    """

    def __init__(self, root: Path | PortalRoot | None = None, port: int = 0, host: str = DEFAULT_HOST) -> None:
        # A PortalRoot as it is: the benchmark's big portal is made in memory, not loaded.
        self.root = root if isinstance(root, PortalRoot) else load_root(Path(root) if root is not None else DEFAULT_ROOT)
        self.httpd = FixtureHTTPServer((host, port), ServerState(self.root))
        self.host = host
        self.port: int = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> FixtureServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name=f"fixtureserver:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()

    def mutate(self, action: str, **params: Any) -> dict[str, Any]:
        return mutations.apply(self.httpd.state, action, params)

    def log(self) -> list[dict[str, Any]]:
        return self.httpd.log_entries()

    def clear_log(self) -> None:
        self.httpd.clear_log()

    def reset(self) -> None:
        """Back to a fresh server: mutations undone and the request log emptied."""
        self.httpd.state.reset()
        self.httpd.clear_log()

    def __enter__(self) -> FixtureServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def serve_in_thread(root: Path | PortalRoot | None = None, port: int = 0, host: str = DEFAULT_HOST) -> FixtureServer:
    """Start the server (``port`` 0: any free port) and return it running.

    ``host`` may be another loopback address: a test listening on the manifest's
    ``offsite_host`` (127.0.0.2) proves a crawler never leaves its site.
    """
    return FixtureServer(root, port, host).start()
