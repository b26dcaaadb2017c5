"""At 320 px names and descriptions are readable: no word is cut in two to fit a column."""

import pytest

from tests.quality import make_variants, public_urls, who_are_we_urls

pytestmark = pytest.mark.browser

# Words (without a hyphen or dash of their own, where a break is fine) in the names and texts
# whose letters end up on more than one line.
SPLIT_WORDS = """() => {
  const split = [];
  for (const prose of document.querySelectorAll(".organization :is(h1, h3, .prose)")) {
    const walker = document.createTreeWalker(prose, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s\\-\\u2010-\\u2015\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_names_and_descriptions_keep_their_words_whole_at_320_pixels(page, site):
    make_variants()
    page.set_viewport_size({"width": 320, "height": 800})
    problems = []
    for url in public_urls():
        page.goto(f"{site}{url}")
        problems += [f"{url}: {word}" for word in page.evaluate(SPLIT_WORDS)]
    assert not problems, "words cut in two at 320px:\n" + "\n".join(problems)


# Where a former member's list bullet stands against its name, which may wrap: a probe at the
# start of the list item sits on the line the bullet is drawn on.
BULLET_LINES = """() => [...document.querySelectorAll(".former-list li")].map((item) => {
  const link = item.querySelector("a");
  const range = document.createRange();
  range.selectNodeContents(link);
  const lines = [...range.getClientRects()].map((rect) => Math.round(rect.top));
  const probe = document.createElement("span");
  probe.textContent = "\\u200b";
  item.prepend(probe);
  const top = probe.getBoundingClientRect().top;
  probe.remove();
  return {name: link.textContent, lines: [...new Set(lines)], bullet: Math.round(top)};
})"""


def test_a_former_members_bullet_stands_by_the_first_line_of_its_name_at_320_pixels(page, site):
    """A name that wraps keeps its bullet on its first line, not beside the last one."""
    make_variants()
    page.set_viewport_size({"width": 320, "height": 800})
    wrapped, problems = 0, []
    for url in who_are_we_urls():
        page.goto(f"{site}{url}")
        for item in page.evaluate(BULLET_LINES):
            first, *more = item["lines"]
            wrapped += bool(more)
            if abs(item["bullet"] - first) > 4:
                problems.append(
                    f"{url}: the bullet of {item['name']!r} is at {item['bullet']}px, "
                    f"its name starts at {first}px"
                )
    assert wrapped, "no former member's name wraps at 320px; the check saw nothing"
    assert not problems, "\n".join(problems)
