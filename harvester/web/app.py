"""The web application: routes, the security headers every answer carries, and errors.

Read-only: only GET (and HEAD) routes exist. Every text shown comes from a portal and is
untrusted: templates autoescape it, and the Content-Security-Policy allows scripts and
styles only from this site's own static files, so markup that slipped into a report could
not run even if it were not escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from starlette.applications import Starlette
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from harvester.web.pages import Handler, Page, PageError, render
from harvester.web.views.agency import agency
from harvester.web.views.diff import choose, diff
from harvester.web.views.evidence import evidence, evidence_png
from harvester.web.views.feed import feed
from harvester.web.views.overview import overview
from harvester.web.views.report import raw_file, report_card
from harvester.web.views.reports import export, reports
from storage.archive import Archive

STATIC = Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class _RowId(IntegerConvertor):
    """A row's id or a version's number: digits a database integer holds. Starlette's own
    ``int`` took any number of them, and a 23-digit id was a 500 (SQLite's OverflowError)."""

    regex = "[0-9]{1,18}"


register_url_convertor("id", _RowId())


def _page(handler: Handler) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        return render(request, handler(request))

    return endpoint


def _pages(path: str, handler: Handler) -> list[BaseRoute]:
    """The page and its JSON twin; the twin first, so ``{name}`` does not swallow ``.json``."""
    twin = "/index.json" if path == "/" else path + ".json"
    return [Route(twin, _page(handler)), Route(path, _page(handler))]


ROUTES: list[BaseRoute] = [
    *_pages("/", overview),
    *_pages("/reports", reports),
    Route("/reports/export.{fmt}", export),
    *_pages("/reports/{report_id:id}", report_card),
    *_pages("/reports/{report_id:id}/versions/{version:id}", report_card),
    Route("/reports/{report_id:id}/versions/{version:id}/raw/{position:id}", raw_file),
    Route("/reports/{report_id:id}/versions/{version:id}/evidence.png", evidence_png),
    *_pages("/reports/{report_id:id}/versions/{version:id}/evidence", evidence),
    *_pages("/reports/{report_id:id}/diff/{from_no:id}..{to_no:id}", diff),
    Route("/reports/{report_id:id}/diff", choose),
    *_pages("/agencies/{name}", agency),
    Route("/feed.atom", feed),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render(request, Page("error.html", {"error": str(exc), "status": exc.status}, status=exc.status))


def create_app(archive: Archive) -> Starlette:
    app = Starlette(routes=ROUTES, middleware=[Middleware(SecurityHeaders)], exception_handlers={PageError: _page_error})
    app.state.archive = archive
    return app
