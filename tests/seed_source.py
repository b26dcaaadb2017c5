"""The original "Who are we" page (tests/data), split into the sentences each language must show.

This reads the source text itself, not the project's seed file, so a sentence lost or changed
on the way into the database is caught.
"""

import re
from pathlib import Path

SOURCE = Path(__file__).parent / "data" / "who-are-we-2019-06-17.txt"
HEADINGS = {"en": "Who are we", "nl": "Wie zijn wij"}
# Mends the English version is allowed: the organization's own spelling and a doubled word.
EN_MENDS = {"Defense for Children": "Defence for Children", "our our": "our"}
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


def normalize(text):
    return " ".join(text.split())


def _lines(language):
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start_en, start_nl = lines.index(HEADINGS["en"]), lines.index(HEADINGS["nl"])
    section = lines[start_en:start_nl] if language == "en" else lines[start_nl:]
    return [line for line in section if line.strip()]


def sentences(language):
    result = []
    for line in _lines(language):
        if language == "en":
            for wrong, right in EN_MENDS.items():
                line = line.replace(wrong, right)
        result += [normalize(sentence) for sentence in SENTENCE_END.split(line) if sentence.strip()]
    return result
