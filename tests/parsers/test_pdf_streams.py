"""The Flate streams of a PDF are counted as they inflate only where they could pass the limit."""

from __future__ import annotations

import dataclasses
import zlib
from pathlib import Path

import pytest

from parsers import limits
from parsers.errors import LimitExceeded
from parsers.extract import pdf_streams

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "fixtures" / "real" / "huaian_szf_2024.pdf"


def test_no_flate_stream_inflates_past_the_bound() -> None:
    # Zeros are what deflate packs tightest.
    zeros = 16 * 1024 * 1024
    packed = zlib.compress(bytes(zeros), 9)
    assert zeros <= pdf_streams._MOST_INFLATION * len(packed)


def _inflations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    inflated_size = pdf_streams._inflated_size

    def counting(raw: bytes, budget: int) -> int:
        counted.append(len(raw))
        return inflated_size(raw, budget)

    monkeypatch.setattr(pdf_streams, "_inflated_size", counting)
    return counted


def test_a_report_is_not_inflated_to_be_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = _inflations(monkeypatch)
    pdf_streams.check_stream_sizes(REAL.read_bytes())
    assert counted == []


def test_streams_that_could_pass_the_limit_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    data = REAL.read_bytes()
    counted = _inflations(monkeypatch)
    # Under the limit where inflated, over it where each stream's bound is summed.
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, pdf_stream_bytes=64 * len(data)))
    pdf_streams.check_stream_sizes(data)
    assert counted
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, pdf_stream_bytes=len(data)))
    with pytest.raises(LimitExceeded):
        pdf_streams.check_stream_sizes(data)


def test_counting_stops_where_the_streams_left_cannot_reach_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    data = REAL.read_bytes()
    spans = list(pdf_streams._stream_spans(data))
    most = sum(pdf_streams._MOST_INFLATION * (end - start + 1) for start, end in spans)
    counted = _inflations(monkeypatch)
    # One byte short of what all may inflate to: the first stream, counted, falls short of its bound.
    monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, pdf_stream_bytes=most - 1))
    pdf_streams.check_stream_sizes(data)
    assert counted == [spans[0][1] - spans[0][0]]
