"""The user's list of agencies expected to publish (``expected.yaml``).

A YAML list; each entry an agency name or a mapping::

    - 淄博市工业和信息化局
    - agency: 淄博市人民政府
      site: zibo-gov
      region: 山东省淄博市
      kind: government        # government (due 31 March) | department (due 31 January)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harvester.userfiles import UserFileError, read_yaml, user_file
from storage.coverage import ExpectedAgency

ENV_VAR = "HARVESTER_EXPECTED"
_KINDS = ("government", "department")


class ExpectedListError(UserFileError):
    """The expected-agencies file cannot be used; one line says where and why."""


def load_expected(path: Path | None) -> list[ExpectedAgency]:
    """The agencies listed in ``path`` (else $HARVESTER_EXPECTED); none when neither is set."""
    path = user_file(path, ENV_VAR)
    if path is None:
        return []
    data = read_yaml(path, "expected agencies", ExpectedListError)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ExpectedListError(f"{path}: expected a list of agencies, found {type(data).__name__}")
    return [_entry(path, number, item) for number, item in enumerate(data, 1)]


def _entry(path: Path, number: int, item: Any) -> ExpectedAgency:
    if isinstance(item, str) and item.strip():
        return ExpectedAgency(item.strip())
    if not isinstance(item, dict) or not isinstance(item.get("agency"), str) or not item["agency"].strip():
        raise ExpectedListError(f"{path}: entry {number} needs an agency name")
    unknown = set(item) - {"agency", "site", "region", "kind"}
    if unknown:
        raise ExpectedListError(f"{path}: entry {number} has unknown keys: {', '.join(sorted(unknown))}")
    kind = item.get("kind")
    if kind is not None and kind not in _KINDS:
        raise ExpectedListError(f"{path}: entry {number}: kind must be government or department, not {kind!r}")
    for key in ("site", "region"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ExpectedListError(f"{path}: entry {number}: {key} must be text")
    return ExpectedAgency(item["agency"].strip(), item.get("site"), item.get("region"), kind)
