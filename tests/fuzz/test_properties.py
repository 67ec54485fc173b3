"""Property: whatever the bytes, every extractor returns a document or raises a one-line ParseError.

Inputs are real-shaped: the fixture reports (and the shared real ones where present) with
bytes replaced, inserted, cut or repeated, so the mutations reach deep into each format
instead of dying at its signature.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import TARGETS, run_one, seeds

_EDIT = st.tuples(st.sampled_from(["replace", "insert", "cut", "repeat"]), st.integers(0, 2**31), st.binary(max_size=32))


def _edited(seed: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    data = seed
    for kind, position, chunk in edits:
        at = position % (len(data) + 1)
        if kind == "replace":
            data = data[:at] + chunk + data[at + len(chunk):]
        elif kind == "insert":
            data = data[:at] + chunk + data[at:]
        elif kind == "cut":
            data = data[:at] + data[at + 1 + position % 4096:]
        else:
            data = data[:at] + data[at:at + 64] * (1 + position % 50) + data[at:]
    return data


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_extractor_gives_a_document_or_a_parse_error(target: str) -> None:
    starts = seeds(target)
    assert starts, f"no seed inputs for {target}"

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(starts), st.lists(_EDIT, min_size=1, max_size=6))
    def property_holds(seed: bytes, edits: list[tuple[str, int, bytes]]) -> None:
        run_one(target, _edited(seed, edits))

    property_holds()


@pytest.mark.parametrize("target", sorted(TARGETS))
@settings(max_examples=25, deadline=None, database=None)
@given(data=st.binary(max_size=4096))
def test_extractor_on_arbitrary_bytes(target: str, data: bytes) -> None:
    run_one(target, data)
