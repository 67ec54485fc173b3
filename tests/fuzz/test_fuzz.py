"""Coverage-guided fuzzing of each extractor for a bounded time (atheris; hypothesis where it is missing).

Each target runs in its own process for FUZZ_SECONDS (default 6; 7 targets stay near one
minute), so a crash in native code is a failed test, not a dead test run. A failure
prints the runner's report; the input that broke the extractor is left as ``crash-…`` in
the test's temporary directory, and ``python tests/fuzz/run.py TARGET 0 crash-…`` replays it
through the same harness (``tests/fuzz/harness.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.harness import ROOT, TARGETS

pytestmark = pytest.mark.fuzz

_SECONDS = int(os.environ.get("FUZZ_SECONDS", "6"))


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_target(target: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz" / "run.py"), target, str(_SECONDS)],
        cwd=tmp_path, capture_output=True, text=True, timeout=_SECONDS + 120,
    )
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert run.returncode == 0 and not crashes, f"{target}: {crashes}\n{run.stderr[-4000:]}"
