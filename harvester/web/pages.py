"""How a page handler's result becomes a response: HTML from a template, or its JSON twin.

A handler returns a :class:`Page`: the data (exactly what the ``.json`` URL answers) and
the template that shows it. Every URL ``/x`` has its twin ``/x.json`` (``/`` has
``/index.json``), so what people see and what programs read never drift apart.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from harvester.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGE_COOKIE = "lang"


@dataclass
class Page:
    template: str
    data: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)  # for the template only (view models)
    status: int = 200


class PageError(Exception):
    """A request that cannot be answered (unknown report, bad parameter); one line for people."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


class JSONPage(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(jsonable(content), ensure_ascii=False, indent=1).encode("utf-8")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = lambda moment: moment.strftime("%Y-%m-%d %H:%M") if moment else "-"
    env.filters["urlpart"] = lambda text: quote(str(text), safe="")
    return env


ENVIRONMENT = _environment()


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def with_query(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v is not None})
    return request.url.path + ("?" + urlencode(params) if params else "")


def render(request: Request, page: Page) -> Response:
    if wants_json(request):
        return JSONPage(page.data, status_code=page.status)
    lang = language(request)
    other = LANGUAGES[1 - LANGUAGES.index(lang)]
    html = ENVIRONMENT.get_template(page.template).render(
        **page.data, **page.context, t=translator(lang), lang=lang,
        switch_url=with_query(request, lang=other), json_url=_json_twin(request),
        with_query=lambda **changes: with_query(request, **changes),
    )
    response = HTMLResponse(html, status_code=page.status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, samesite="lax")
    return response


def _json_twin(request: Request) -> str:
    path = request.url.path
    path = "/index" if path == "/" else path.rstrip("/")
    return path + ".json" + (f"?{request.url.query}" if request.url.query else "")


Handler = Callable[[Request], Page]
