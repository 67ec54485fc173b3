"""What tells a report clean (``storable._encodes_clean``) reads every text of it: a poisoned
text anywhere in a report shaped dict (a value, a key, deep in lists, after deleted keys) is
found and replaced, and what it does not know is walked, never taken as clean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from harvester.pipelines.storable import _encodes_clean, storable, storable_json
from storage.json_text import from_json, to_json


def report(poison: str = "") -> dict[str, Any]:
    """A dict shaped like ``Report.to_dict()``: nested dicts and lists, numbers, None, booleans."""
    cell = {"raw": "12", "value": 12, "unit": None, "state": "number", "location": {"table": 3, "row": 5, "column": 2}}
    return {
        "metadata": {"agency": "淄博市张店区人民政府", "year": 2023, "template": "2021"},
        "preamble": "根据《中华人民共和国政府信息公开条例》",
        "sections": [{"number": 1, "heading": "一、总体情况", "text": f"本机关{poison}认真落实"}],
        "tables": {"applications": {"template": "2021", "rows": {"new_received": {"label": "本年新收", "cells": {"total": cell}}}}},
        "findings": [],
        "completeness": {"applications": {"complete": True, "ratio": 1.0, "missing": [[["a", "b"]]]}},
    }


@dataclass
class Cell:
    raw: str


POISONS = ("\udcb2", "\x00", "\ud83d")


def test_a_clean_report_is_told_clean() -> None:
    assert _encodes_clean(report())
    assert storable(report()) == report()


@pytest.mark.parametrize("poison", POISONS)
@pytest.mark.parametrize("place", ["value", "key", "deep list", "after deletions", "number keys", "top key"])
def test_poison_anywhere_is_found_and_replaced(poison: str, place: str) -> None:
    bad = report()
    if place == "value":
        bad["sections"][0]["text"] += poison
    elif place == "key":  # a printed column label is a key of its row's cells
        bad["tables"]["applications"]["rows"]["new_received"]["cells"][f"总{poison}计"] = {"raw": ""}
    elif place == "deep list":
        bad["completeness"]["applications"]["missing"][0][0].append(f"x{poison}")
    elif place == "after deletions":
        row = bad["tables"]["applications"]["rows"]["new_received"]
        row["spare"], row["other"] = "a", "b"
        del row["spare"]
        row["last"] = poison
    elif place == "number keys":  # not a dict of text keys: its keys and values are read otherwise
        bad["metadata"] = {1: "x", "y": f"z{poison}"}
    else:
        bad[poison] = 1
    assert not _encodes_clean(bad)
    cleaned = storable(bad)
    assert not any(char in repr(cleaned) for char in POISONS) and "\ufffd" in repr(cleaned)


@pytest.mark.parametrize("odd", [("a", "\x00"), [b"\x00"], {1.5: 2}, {None: True}, {(1, 2): "x"}, 2**70,
                                 datetime(2024, 1, 1), Cell("12")])
def test_what_is_not_plain_json_is_left_to_the_walk(odd: Any) -> None:
    assert not _encodes_clean({"odd": odd})


def test_a_text_that_spells_an_escaped_nul_is_clean_and_kept() -> None:
    spelled = report("\\u0000")  # a backslash and "u0000" as printed, not NUL
    assert storable(spelled) is spelled
    assert spelled["sections"][0]["text"] == "本机关\\u0000认真落实"


def test_a_text_of_a_str_subclass_is_left_to_the_walk() -> None:
    class Text(str):
        pass

    assert not _encodes_clean({"text": Text("本机关\x00")})
    assert storable({"text": Text("本机关\x00")}) == {"text": "本机关\ufffd"}


def test_a_dict_that_holds_itself_is_not_read_forever() -> None:
    looped: dict[str, Any] = {"a": []}
    looped["a"].append(looped)
    assert not _encodes_clean(looped)


@pytest.mark.parametrize("poison", ("",) + POISONS)
def test_a_reports_json_is_made_with_its_cleaning_and_is_the_archives(poison: str) -> None:
    bad = report(poison)
    cleaned, encoded = storable_json(bad)
    assert cleaned == storable(report(poison)) and (cleaned is bad) == (poison == "")
    assert encoded.decode() == to_json(cleaned)  # the text the archive writes for the report
    assert from_json(encoded) == cleaned
