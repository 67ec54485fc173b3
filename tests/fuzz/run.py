"""Coverage-guided fuzzing of one extractor with atheris: ``python tests/fuzz/run.py TARGET SECONDS``.

``python tests/fuzz/run.py TARGET 0 FILE…`` replays inputs (a ``crash-…`` file) through the
same target instead, with the full traceback of what it raised.

Starts from the target's real-shaped seeds (and the ``corpus-TARGET`` directory of the working
directory, where libFuzzer keeps what it finds), runs for SECONDS and exits 0, or stops at the
first input for which the extractor raised something other than a ParseError, writes that
input to ``crash-…`` in the working directory and exits non-zero (libFuzzer's convention).
Where atheris is not installed it falls back to hypothesis driving the same target.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.setrecursionlimit(3000)  # the parser must not need more; libFuzzer's own frames do


def main(target: str, seconds: int) -> None:
    try:
        import atheris
    except ImportError:
        _hypothesis_run(target, seconds)
        return
    with atheris.instrument_imports(include=["parsers"]):
        from parsers.extract import _EXTRACTORS
        from tests.fuzz.harness import run_one, seeds

        for spec in _EXTRACTORS.values():  # imported on first use otherwise, too late to instrument
            importlib.import_module(spec.split(":")[0])
    corpus = Path.cwd() / f"corpus-{target}"  # kept where the run is, to start the next run from
    corpus.mkdir(exist_ok=True)
    for number, seed in enumerate(seeds(target)):
        (corpus / f"seed-{number}").write_bytes(seed)
    # A fixed seed makes CI's bounded runs retrace the same inputs, so a suite run fails on a
    # crash it has been shown before, not on luck; FUZZ_SEED=0 asks libFuzzer for a random one.
    seed = os.environ.get("FUZZ_SEED", "1")
    atheris.Setup(
        [sys.argv[0], f"-max_total_time={seconds}", f"-seed={seed}", "-rss_limit_mb=2048", "-timeout=30",
         "-max_len=1048576", str(corpus)],
        lambda data: run_one(target, data),
    )
    atheris.Fuzz()


def _hypothesis_run(target: str, seconds: int) -> None:
    import time

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.fuzz.harness import run_one, seeds

    starts = seeds(target)
    end = time.monotonic() + seconds

    @settings(max_examples=10**6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(starts), st.integers(0, 10**7), st.binary(max_size=64), st.integers(0, 64))
    def mutated(seed: bytes, at: int, insert: bytes, cut: int) -> None:
        if time.monotonic() > end:
            return
        at %= len(seed) + 1
        run_one(target, seed[:at] + insert + seed[at + cut :])

    mutated()


def replay(target: str, paths: list[str]) -> None:
    from tests.fuzz.harness import run_one

    for path in paths:
        run_one(target, Path(path).read_bytes())
        print(f"{path}: a document or a ParseError")


if __name__ == "__main__":
    if len(sys.argv) > 3:
        replay(sys.argv[1], sys.argv[3:])
    else:
        main(sys.argv[1], int(sys.argv[2]))
