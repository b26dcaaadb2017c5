"""A word-level diff of two texts, for showing what changed in a source since its translation."""

import re
from difflib import SequenceMatcher

TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """[(kind, text)] with kind "equal", "delete" or "insert", covering both texts in order."""
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    segments = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("equal", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", "".join(before[i1:i2])))
        if j2 > j1:
            segments.append(("insert", "".join(after[j1:j2])))
    return segments
