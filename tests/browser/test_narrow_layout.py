"""At 320 px names and descriptions are readable: no word is cut in two to fit a column."""

import pytest

from tests.quality import make_variants, public_urls

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
