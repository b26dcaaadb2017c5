"""The site's settings with one change for the benchmark (tests/tools/bench.py): the URLconf
adds a constant page to compare the real pages against. Everything else, the environment
included, is read exactly as in production."""

from collective.settings import *  # noqa: F403

ROOT_URLCONF = "tests.tools.bench_urls"
