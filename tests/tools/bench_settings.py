"""The site's settings with two changes for the benchmark (tests/tools/bench.py): the URLconf
adds the yardstick pages to compare the real pages against, and their template folder is
added. Everything else, the environment included, is read exactly as in production."""

from pathlib import Path

from collective.settings import *  # noqa: F403
from collective.settings import TEMPLATES

ROOT_URLCONF = "tests.tools.bench_urls"
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]}
]
