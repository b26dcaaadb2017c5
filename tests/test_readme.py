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


def test_make_serve_reads_the_file_djangos_env_file_names(tmp_path):
    """The key and hosts kept in DJANGO_ENV_FILE's file, as `.env.example` offers, are found.

    A wrong log level in the same file stops the start at the deployment check, after the
    target's own check of the key and hosts, so no server is started.
    """
    from tests.settings_probe import clean_environment

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    variables = tmp_path / "site.env"
    variables.write_text(
        "DJANGO_SECRET_KEY=k7-production-like-secret-key-kept-in-its-own-file-3e9d1b5a\n"
        "DJANGO_ALLOWED_HOSTS=www.example.org\n"
        "DJANGO_LOG_LEVEL=nonsense\n"
    )
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=BASE_DIR,
        env=clean_environment({"DJANGO_ENV_FILE": str(variables)}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "make serve: set DJANGO_SECRET_KEY" not in result.stderr
    assert "DJANGO_LOG_LEVEL: 'NONSENSE'" in result.stderr
