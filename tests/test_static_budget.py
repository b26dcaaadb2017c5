"""The public stylesheet stays small and pulls in nothing that blocks rendering."""

import gzip
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
SITE_CSS = STATIC / "css" / "site.css"


def test_the_sites_css_is_under_15_kb_compressed():
    assert len(gzip.compress(SITE_CSS.read_bytes(), compresslevel=9)) < 15 * 1024


def test_the_sites_css_loads_no_web_fonts_or_other_stylesheets():
    css = SITE_CSS.read_text()
    assert "@font-face" not in css
    assert "@import" not in css
    assert "url(" not in css, "no fonts, images or other files to wait for"


def own_stylesheets():
    return sorted(path for path in STATIC.rglob("*.css") if "vendor" not in path.parts)


def test_every_stylesheet_of_the_project_closes_each_block_it_opens():
    """A stray "}" does not fail loudly: the browser drops the rule after it without a word."""
    assert SITE_CSS in own_stylesheets()
    for path in own_stylesheets():
        css = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.DOTALL)
        css = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", '""', css)
        depth = 0
        for line_number, line in enumerate(css.splitlines(), start=1):
            depth += line.count("{") - line.count("}")
            assert depth >= 0, f"{path.name}, line {line_number}: a '}}' closes nothing"
        assert depth == 0, f"{path.name}: {depth} block(s) left open"
