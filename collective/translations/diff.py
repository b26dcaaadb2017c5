"""A word-level diff of two texts, for showing what changed in a source since its translation."""

import re
from difflib import SequenceMatcher

TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """[(kind, text)] covering both texts in order; kind is "equal", "delete" or "insert".

    A deletion or insertion of nothing but white space with a line break in it (a paragraph
    joined or split) is "delete_break" or "insert_break" instead: shown as it is, it would be
    invisible.

    A rewritten passage reads as one deletion and one insertion: the spaces between its words
    match on both sides, but are not kept as equal parts that would cut it into word pairs
    ("The"→"A", "quick"→"slow", …), as if each word had been swapped for another.
    """
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    runs = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    segments, deleted, inserted = [], [], []

    def end_of_change():
        for kind, parts in (("delete", deleted), ("insert", inserted)):
            if text := "".join(parts):
                if text.isspace() and "\n" in text:
                    kind += "_break"
                segments.append((kind, text))
            parts.clear()

    for index, (tag, i1, i2, j1, j2) in enumerate(runs):
        old_part, new_part = "".join(before[i1:i2]), "".join(after[j1:j2])
        # Runs alternate: an equal run inside the text lies between two changes.
        between_changes = 0 < index < len(runs) - 1 and old_part.isspace()
        if tag == "equal" and not between_changes:
            end_of_change()
            segments.append(("equal", old_part))
        else:
            deleted.append(old_part)
            inserted.append(new_part)
    end_of_change()
    return segments
