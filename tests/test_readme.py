"""The set-up steps in README.md work as written."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def test_readme_says_how_to_run_on_another_port_when_8000_is_taken():
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    found = re.search(r"`make run (HOST_PORT=(\S+?))`", readme)
    assert found, "README.md gives no command for serving on another port than 8000"
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    planned = subprocess.run(
        ["make", "--dry-run", "run", found.group(1)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"runserver {found.group(2)}" in planned
