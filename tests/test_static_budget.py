"""The public stylesheet stays small and pulls in nothing that blocks rendering."""

import gzip
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
