"""Reading rendered pages the way a visitor or a crawler does."""

from html.parser import HTMLParser

from tests.seed_source import normalize


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text = []
        self.elements = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in {"script", "style", "title", "head"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "title", "head"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(response):
    page = _Page()
    page.feed(response.content.decode())
    return page


def visible_text(response):
    return normalize(" ".join(parse(response).text))


def elements(response, tag, **attrs):
    """The attributes of every `tag` element whose attributes include `attrs`."""
    return [
        found
        for name, found in parse(response).elements
        if name == tag and all(found.get(key) == value for key, value in attrs.items())
    ]
