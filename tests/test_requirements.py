"""The pinned dependencies in requirements/ (`make lock`) agree with pyproject.toml.

An edit of pyproject.toml without `make lock` would otherwise install the old pins silently.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", re.M)


def pins(name):
    text = (ROOT / "requirements" / name).read_text()
    return {canonicalize_name(package): version for package, version in PIN.findall(text)}


def test_pins_are_read_from_the_files():
    assert pins("site.txt")["django"].startswith("5.2.")


@pytest.mark.parametrize(
    ("lock_file", "extras"),
    [("site.txt", []), ("s3.txt", ["s3"]), ("dev.txt", ["dev"])],
)
def test_every_dependency_is_pinned_within_its_range(lock_file, extras):
    pinned = pins(lock_file)
    wanted = [Requirement(line) for line in PROJECT["dependencies"]]
    for extra in extras:
        wanted += [Requirement(line) for line in PROJECT["optional-dependencies"][extra]]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in requirements/{lock_file}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"requirements/{lock_file} pins {name}=={pinned[name]}, outside {requirement}: "
            "run `make lock`"
        )


@pytest.mark.parametrize("lock_file", ["s3.txt", "dev.txt"])
def test_the_extras_run_the_versions_the_site_runs(lock_file):
    site, extended = pins("site.txt"), pins(lock_file)
    assert {name: extended[name] for name in site} == site


@pytest.mark.parametrize("lock_file", ["site.txt", "s3.txt", "dev.txt"])
def test_every_pin_carries_hashes(lock_file):
    text = (ROOT / "requirements" / lock_file).read_text()
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        if PIN.match(block):
            assert "--hash=sha256:" in block, block.splitlines()[0]
