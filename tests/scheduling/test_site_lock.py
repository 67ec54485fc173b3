import subprocess
import sys
from pathlib import Path

from harvester.scheduling.locks import SiteLock


def test_lock_excludes_another_process_and_is_released(tmp_path: Path) -> None:
    lock = SiteLock(tmp_path, "site-a")
    assert lock.acquire()
    probe = (
        "import sys; from pathlib import Path; from harvester.scheduling.locks import SiteLock; "
        f"sys.exit(0 if SiteLock(Path({str(tmp_path)!r}), 'site-a').acquire() else 3)"
    )
    assert subprocess.run([sys.executable, "-c", probe]).returncode == 3
    lock.release()
    assert subprocess.run([sys.executable, "-c", probe]).returncode == 0


def test_other_sites_are_independent(tmp_path: Path) -> None:
    first, second = SiteLock(tmp_path, "a"), SiteLock(tmp_path, "b")
    assert first.acquire() and second.acquire()
    first.release()
    second.release()
