from collective.editing.history import CONTEXT, SHORT, excerpts


def test_short_texts_are_shown_whole():
    assert excerpts("Old name", "New name") == ("Old name", "New name")
    assert excerpts(None, "Set") == ("", "Set")


def test_long_texts_show_the_changed_part_with_some_context():
    start, end = "a" * 200, "z" * 200
    old, new = excerpts(start + "OLD" + end, start + "NEW" + end)
    assert old == "…" + "a" * CONTEXT + "OLD" + "z" * CONTEXT + "…"
    assert new == "…" + "a" * CONTEXT + "NEW" + "z" * CONTEXT + "…"


def test_a_change_at_the_end_has_no_trailing_ellipsis():
    start = "word " * 40
    old, new = excerpts(start + "old.", start + "new.")
    assert old.startswith("…")
    assert old.endswith("old.")
    assert new.endswith("new.")
    assert len(new) < SHORT


def test_a_long_change_is_cut():
    old, new = excerpts("", "x" * 5000)
    assert old == ""
    assert 200 < len(new) < 300


def test_the_context_around_a_change_is_whole_words():
    start, end = "Een lange zin met woorden. " * 5, " En daarna nog meer woorden." * 5
    old, new = excerpts(start + "oud" + end, start + "nieuw" + end)
    assert old == "…Een lange zin met woorden. oud En daarna nog meer woorden.…"
    assert new == "…Een lange zin met woorden. nieuw En daarna nog meer woorden.…"


def test_paragraph_breaks_stay_visible():
    assert excerpts("First.\n\nSecond.", "First. Second.") == ("First. ¶ Second.", "First. Second.")
    assert excerpts("One\r\n\r\n\r\nTwo\nthree", "") == ("One ¶ Two three", "")


def test_splitting_a_long_text_into_paragraphs_shows_where():
    start, end = "Een lange zin met woorden. " * 5, "En daarna nog meer woorden. " * 5
    old, new = excerpts(start + end, start + "\n\n" + end)
    assert "¶" not in old
    assert "woorden. ¶ En daarna" in new
