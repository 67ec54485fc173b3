"""Coverage-guided fuzzing of each extractor for a bounded time (atheris; hypothesis where it is missing).

Each target runs in its own process for FUZZ_SECONDS (default 6), so a crash in native code
is a failed test, not a dead test run. A target's process is single-threaded and the rest of
the suite leaves the second core idle, so the selected targets run two at a time, started
together when the first of these tests asks. A failure prints the runner's report; the input
that broke the extractor is left as ``crash-…`` in the target's temporary directory, and
``python tests/fuzz/run.py TARGET 0 crash-…`` replays it through the same harness
(``tests/fuzz/harness.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest

from tests.fuzz.harness import ROOT, TARGETS

pytestmark = pytest.mark.fuzz

_SECONDS = int(os.environ.get("FUZZ_SECONDS", "6"))
_AT_ONCE = 2
FuzzRun = tuple[subprocess.CompletedProcess[str], list[str]]  # the runner's process and the crash files it left


def _fuzz(target: str, workdir: Path) -> FuzzRun:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz" / "run.py"), target, str(_SECONDS)],
        cwd=workdir, capture_output=True, text=True, timeout=_SECONDS + 120,
    )
    return run, sorted(p.name for p in workdir.glob("crash-*"))


@pytest.fixture(scope="module")
def fuzz_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[FuzzRun]]]:
    selected = sorted({item.callspec.params["target"] for item in request.session.items
                       if item.module is request.module and hasattr(item, "callspec")})
    with ThreadPoolExecutor(max_workers=_AT_ONCE) as pool:
        runs = {target: pool.submit(_fuzz, target, tmp_path_factory.mktemp(f"fuzz-{target}")) for target in selected}
        yield runs
        for future in runs.values():
            future.cancel()


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_target(target: str, fuzz_runs) -> None:  # type: ignore[no-untyped-def]
    run, crashes = fuzz_runs[target].result()
    assert run.returncode == 0 and not crashes, f"{target}: {crashes}\n{run.stderr[-4000:]}"
