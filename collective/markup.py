"""HTML written in Python for the parts of a page that repeat once per organization.

`format_html` and `paragraphs` write what Django's format_html and linebreaks write (tests
compare them), escaping each value unless it is already HTML, but without the per-value
checks for lazy translations that Django's escaping functions make: with 500 members those
were a quarter of the "Who are we" render. Values are turned into text first, so a lazy
translation is translated, then escaped.
"""

import re
from html import escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def format_html(format_string, *args):
    """format_string with each value escaped, unless it is HTML already (has __html__)."""
    return SafeString(format_string.format(*map(html_of, args)))


def html_of(value):
    """A value as HTML: escaped text, or its own HTML when it is already safe."""
    if isinstance(value, Promise):  # a lazy value becomes text first, as in Django
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


LINE_ENDINGS = re.compile(r"\r\n|\r")
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def paragraphs(text):
    """Plain text as escaped <p> paragraphs with <br> line breaks, as Django's linebreaks."""
    text = LINE_ENDINGS.sub("\n", str(text))
    return SafeString(
        "\n\n".join(
            "<p>" + escape(paragraph).replace("\n", "<br>") + "</p>"
            for paragraph in PARAGRAPH_BREAK.split(text)
        )
    )
