"""The archive's JSON text (``storage.json_text``): every value reads back as written, text
written by the standard library (earlier archives) reads back the same, and what the fast
encoder refuses is written as the standard library writes it."""

from __future__ import annotations

import json
import math

import sqlalchemy as sa

from storage.archive import Archive
from storage.json_text import JsonText, from_json, to_json
from storage.models import Version
from tests.storage.conftest import SEED_ZHANGDIAN_2023, capture_of


def test_a_parse_and_odd_values_read_back_as_they_were(seed) -> None:
    report = capture_of(seed(SEED_ZHANGDIAN_2023)).parse.report
    odd = {"printed": "收到申请4件", "quote\"\\": ["\n\t\x00\u2028", 1.5, -0.0, 1e300, 1e16, True, None], "empty": {}}
    for value in (report, odd, "中文", 3, [], None):
        text = to_json(value)
        assert from_json(text) == value
        assert json.loads(text) == value  # any JSON reader takes it, PostgreSQL's and SQLite's too
    assert "申请" in to_json(odd)  # Chinese as itself, not \u escapes


def test_keys_that_are_not_strings_are_written_as_json_dumps_writes_them() -> None:
    assert from_json(to_json({1: "a", 2.5: "b", True: "c"})) == json.loads(json.dumps({1: "a", 2.5: "b", True: "c"}))


def test_nan_and_infinities_are_null() -> None:
    assert from_json(to_json({"value": math.nan, "more": [math.inf, -math.inf]})) == {"value": None, "more": [None, None]}


def test_what_the_fast_encoder_refuses_is_written_as_json_dumps_writes_it() -> None:
    for value in ({"big": 2**70}, ["\ud800"]):
        assert to_json(value) == json.dumps(value, ensure_ascii=False)
        assert from_json(to_json(value)) == value


def test_text_of_earlier_archives_reads_back() -> None:
    earlier = json.dumps({"value": math.nan, "big": 2**70, "name": "张店"}, ensure_ascii=False)  # with NaN: not JSON
    read = from_json(earlier)
    assert math.isnan(read["value"]) and read["big"] == 2**70 and read["name"] == "张店"
    assert from_json(earlier.encode())["name"] == "张店"  # as a driver may hand it: bytes


def test_a_version_written_by_earlier_code_reads_back_through_the_archive(archive: Archive, seed) -> None:
    capture = capture_of(seed(SEED_ZHANGDIAN_2023))
    recorded = archive.record(capture)
    report = capture.parse.report
    earlier_text = json.dumps(report, ensure_ascii=False)  # spaces after ':' and ',' as json.dumps writes
    with archive.session() as session:
        stored = session.get(Version, recorded.version_id)
        assert stored is not None and stored.report_json == report
        value = "CAST(:text AS json)" if session.bind.dialect.name == "postgresql" else ":text"
        session.execute(sa.text(f"UPDATE versions SET report_json = {value} WHERE id = :id"),
                        {"text": earlier_text, "id": recorded.version_id})
        session.commit()
    with archive.session() as session:
        assert session.scalar(sa.select(Version.report_json).where(Version.id == recorded.version_id)) == report


def test_text_made_already_is_written_as_it_is() -> None:
    made = JsonText('{"a": 1}')  # spaced as to_json would not space it
    assert to_json(made) is made
    assert to_json({"a": 1}) == '{"a":1}'


class _Packed(bytes):
    """Bytes of a subclass, as a parse worker's packed report is (``harvester.pipelines.bodies``)."""


def test_text_of_a_subclass_is_read_by_the_fast_decoder(monkeypatch) -> None:
    """orjson refuses a subclass of bytes or str as if it were bad JSON: every packed report
    (bytes) and ``JsonText`` (str) had been read by the standard library, at a third the speed."""
    report = {"metadata": {"agency": "淄博市", "year": 2020}, "cells": [1, 2.5, None]}

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("read by the standard library")

    monkeypatch.setattr(json, "loads", refused)
    assert from_json(_Packed(to_json(report).encode())) == report
    assert from_json(JsonText(to_json(report))) == report
    monkeypatch.undo()
    assert math.isnan(from_json(_Packed(b'{"value": NaN}'))["value"])  # what orjson refuses still reads
