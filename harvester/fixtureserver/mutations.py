"""Changing a portal while it runs: the actions behind POST /__control/mutate.

Each action takes plain keyword parameters, changes the server state and returns a dict
that says exactly what changed (URLs, validators, cells old -> new), so a test can assert
that the crawler saw precisely that. Bad parameters raise :class:`MutationError` with one
line for the caller.
"""

from __future__ import annotations

import inspect
import posixpath
from typing import Any, Callable

from harvester.fixtureserver.challenges import CHALLENGES
from harvester.fixtureserver.state import ServerState, Touch
from harvester.fixtureserver.site import ReportFiles


class MutationError(ValueError):
    pass


def apply(state: ServerState, action: str, params: dict[str, Any]) -> dict[str, Any]:
    handler = ACTIONS.get(action)
    if handler is None:
        raise MutationError(f"unknown action {action!r}; actions: {', '.join(sorted(ACTIONS))}")
    try:
        inspect.signature(handler).bind(state, **params)
    except TypeError as exc:
        raise MutationError(f"{action}: {exc}") from None
    with state.lock:
        result = handler(state, **params)
    return {"ok": True, "action": action, **result}


def _report(state: ServerState, report: str | None) -> tuple[str, ReportFiles]:
    if report is None or report not in state.root.reports:
        raise MutationError(f"unknown report {report!r}; see the manifest for report ids")
    return report, state.root.reports[report]


def revise(state: ServerState, report: str | None = None) -> dict[str, Any]:
    """Serve the report's corrected edition (pre-generated): new bytes, new validators."""
    report, files = _report(state, report)
    if files.revision is None:
        choices = sorted(k for k, r in state.root.reports.items() if r.revision is not None)
        raise MutationError(f"report {report!r} has no revised edition; revisable: {', '.join(choices)}")
    state.mutations.revised.add(report)
    when = state.now()
    urls = [state.current_url(url) for url in sorted(files.revision.files)]
    for url in urls:
        state.mutations.touched[url] = Touch(when, _generation(state, url) + 1)
    return {"report": report, "urls": urls, "last_modified": when.isoformat(), "changes": files.revision.changes}


def reupload(state: ServerState, report: str | None = None, new_url: bool = False) -> dict[str, Any]:
    """The same attachment bytes again: a new Last-Modified, and with ``new_url`` a new name."""
    report, files = _report(state, report)
    if files.attachment is None:
        raise MutationError(f"report {report!r} has no attachment to re-upload")
    old = state.current_url(files.attachment)
    generation = _generation(state, old) + 1
    when = state.now()
    url = old
    if new_url:
        url = _renamed(files.attachment, generation)
        state.mutations.moved.pop(old, None)
        state.mutations.moved[url] = files.attachment
        state.mutations.touched[files.page] = Touch(when, _generation(state, files.page) + 1)
    state.mutations.touched[url] = Touch(when, generation)
    return {"report": report, "old_url": old, "url": url, "page": files.page, "last_modified": when.isoformat()}


def publish(state: ServerState, report: str | None = None) -> dict[str, Any]:
    """A staged report appears: page (and attachment) answer, and it heads its lists."""
    report, files = _report(state, report)
    if not files.staged:
        staged = sorted(k for k, r in state.root.reports.items() if r.staged)
        raise MutationError(f"report {report!r} is not staged; staged: {', '.join(staged)}")
    state.mutations.published.add(report)
    state.mutations.taken_down.discard(report)
    state.mutations.listing_changed[files.portal] = state.now()
    return {"report": report, "portal": files.portal, "page": files.page, "attachment": files.attachment}


def takedown(state: ServerState, report: str | None = None) -> dict[str, Any]:
    """The report is withdrawn: its URLs answer 404 and it leaves every list."""
    report, files = _report(state, report)
    state.mutations.taken_down.add(report)
    state.mutations.listing_changed[files.portal] = state.now()
    gone = [state.current_url(files.page)]
    if files.attachment is not None:
        gone.append(state.current_url(files.attachment))
    return {"report": report, "portal": files.portal, "gone": gone}


def challenge(state: ServerState, url: str | None = None, kind: str = "ruishu", report: str | None = None) -> dict[str, Any]:
    """``url`` (or the page of ``report``) answers with an anti-bot challenge from now on."""
    if kind not in CHALLENGES:
        raise MutationError(f"unknown challenge {kind!r}; kinds: {', '.join(sorted(CHALLENGES))}")
    if report is not None:
        url = state.current_url(_report(state, report)[1].page)
    if url is None or not url.startswith("/"):
        raise MutationError("challenge needs url (a path starting with /) or report")
    state.mutations.challenges[url] = kind
    return {"url": url, "kind": kind}


def relayout(state: ServerState, portal: str | None = None) -> dict[str, Any]:
    """The portal's list API is upgraded to new field names: the column answers, but lists
    nothing a walker of the old layout recognises."""
    found = state.root.portals.get(portal or "")
    if found is None or "api_path" not in found.options:
        choices = sorted(k for k, p in state.root.portals.items() if "api_path" in p.options)
        raise MutationError(f"relayout needs a portal whose list comes from an API: {', '.join(choices)}")
    state.mutations.relaid_out.add(found.key)
    state.mutations.listing_changed[found.key] = state.now()
    return {"portal": found.key, "api": found.options["api_path"]}


def reset(state: ServerState) -> dict[str, Any]:
    """Undo every mutation: the portals answer as the root was generated."""
    state.reset()
    return {"reset": True}


def _generation(state: ServerState, url: str) -> int:
    touch = state.mutations.touched.get(url)
    return touch.generation if touch else 0


def _renamed(url: str, generation: int) -> str:
    stem, ext = posixpath.splitext(url)
    return f"{stem}_{generation}{ext}"


ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "revise": revise,
    "reupload": reupload,
    "publish": publish,
    "takedown": takedown,
    "challenge": challenge,
    "relayout": relayout,
    "reset": reset,
}
