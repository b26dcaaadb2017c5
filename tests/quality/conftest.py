"""Fixtures for the Nu HTML Checker: the rendered pages on disk, and the checker itself."""

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.test import RequestFactory
from django.urls import get_resolver

from tests.quality import (
    INSTALL_HINT,
    VNU_JAR,
    make_variants,
    missing_tool,
    not_found_urls,
    public_urls,
)

# A page the checker must reject: a <div> cannot be inside a <p>. It runs with the real pages,
# so a checker that silently checks nothing fails the test instead of passing it.
CANARY_NAME = "canary--invalid-nesting.html"
CANARY = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Canary</title></head>'
    "<body><p>Text <div>a block inside a paragraph</div></p></body></html>\n"
)


@dataclass(frozen=True)
class RenderedPage:
    url: str
    status: int
    path: Path
    response: object


@dataclass(frozen=True)
class CheckerMessage:
    file: str
    line: int | None
    column: int | None
    message: str
    extract: str

    def describe(self, label):
        where = f"line {self.line}" if self.line else "document"
        if self.column:
            where += f", column {self.column}"
        text = f"{label} ({self.file}) {where}: {self.message}"
        if self.extract:
            text += f"\n      … {' '.join(self.extract.split())} …"
        return text


def file_name(url):
    """`/nl/leden/njr/` -> `nl__leden__njr.html`: one readable, unique name per address."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "__", url.strip("/")) + ".html"


@pytest.fixture
def variants(seeded):
    """The seeded site with a member shown in fallback text and a former member."""
    fallback, former = make_variants()
    return {"fallback": fallback, "former": former}


@pytest.fixture
def rendered_pages(client, variants, tmp_path):
    """Every public page in every language, each language's 404 page, the 400 and 500 pages.

    Only HTML is written: anything else the site serves (`/sitemap.xml`, `/robots.txt`) is not
    for this checker and is never in the list.
    """
    pages = []

    def keep(url, status, response):
        content_type = response.get("Content-Type", "")
        assert content_type.startswith("text/html"), f"{url} is {content_type}, not HTML"
        path = tmp_path / file_name(url)
        path.write_bytes(response.content)
        pages.append(RenderedPage(url, status, path, response))

    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        keep(url, 200, response)
    for url in not_found_urls():
        response = client.get(url)
        assert response.status_code == 404, url
        keep(url, 404, response)
    # The project's handlers for 400 and 500 (Django's default views when it sets none).
    request, resolver = RequestFactory().get("/"), get_resolver()
    for status, response in (
        (400, resolver.resolve_error_handler(400)(request, None)),
        (500, resolver.resolve_error_handler(500)(request)),
    ):
        assert response.status_code == status
        keep(f"{status}-page", status, response)
    return pages


@pytest.fixture(scope="session")
def nu_html_checker():
    """`check(paths)`: runs vnu.jar once over all `paths` and returns its error messages."""
    java = shutil.which("java")
    if java is None:
        missing_tool("Java is not installed, the Nu HTML Checker needs it (Java 17)")
    if not VNU_JAR.exists():
        missing_tool(f"The Nu HTML Checker is not installed at {VNU_JAR} ({INSTALL_HINT})")

    def check(paths):
        command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        result = subprocess.run(
            [*command, *map(str, paths)], capture_output=True, text=True, timeout=600
        )
        # vnu writes its report to stderr; it exits 1 when it found errors.
        try:
            report = json.loads(result.stderr)
        except ValueError:
            pytest.fail(
                f"vnu.jar exited with {result.returncode} without a JSON report:\n"
                f"{result.stderr[-3000:]}{result.stdout[-1000:]}"
            )
        if result.returncode not in (0, 1):
            pytest.fail(f"vnu.jar failed with exit code {result.returncode}: {result.stderr}")
        return [
            CheckerMessage(
                file=Path(unquote(urlparse(message.get("url", "")).path)).name,
                line=message.get("lastLine"),
                column=message.get("firstColumn") or message.get("lastColumn"),
                message=message.get("message", ""),
                extract=message.get("extract", ""),
            )
            for message in report["messages"]
            if message.get("type") in {"error", "non-document-error"}
        ]

    return check
