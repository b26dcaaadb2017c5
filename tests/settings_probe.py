"""Reading settings as a fresh process builds them from an environment.

Settings are read once at import, so a different environment needs its own process. The
developer's own DJANGO_* and REDIS_URL variables, and their `.env` file, are left out, so only
`env` counts.
"""

import json
import os
import subprocess
import sys


def clean_environment(env):
    """os.environ without the developer's site variables, nor those of their `.env`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    return {**kept, "DJANGO_SETTINGS_MODULE": "collective.settings", "DJANGO_ENV_FILE": "", **env}


def setting_in(env, *expressions):
    """The value of `settings.<expression>` in a process started with `env` (a list for several)."""
    values = ", ".join(f"settings.{expression}" for expression in expressions)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps([{values}]))"
    )
    values = json.loads(python_in(env, code).stdout.strip().splitlines()[-1])
    return values[0] if len(expressions) == 1 else values


def python_in(env, code):
    """Run Python `code` in a process started with `env`; its finished process, output kept."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean_environment(env),
        capture_output=True,
        text=True,
        check=True,
    )
