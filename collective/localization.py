"""Reading translated content and linking between languages, for the public pages."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language_info, gettext, override
from modeltranslation.thread_context import fallbacks_enabled
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from .markup import format_html, paragraphs


@dataclass(frozen=True)
class LocalizedText:
    """A translated value with the language it is really in.

    `is_fallback` is true when the active language has no text and another language stood in,
    so the page can mark that part with its own `lang` and say so to the reader.
    """

    text: str
    language: str
    is_fallback: bool

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)

    @property
    def lang_attribute(self):
        """` lang="xx"` for an element holding fallback text, so it is read in its own language."""
        return format_html(' lang="{}"', self.language) if self.is_fallback else ""


def language_name(code):
    """A language's name in the active language: "Engels" for "en" on a Dutch page."""
    return str(get_language_info(code)["name_translated"])


def prose(value):
    """A LocalizedText as paragraphs, for a page; nothing when it is empty.

    Fallback text carries its own `lang` and follows a note telling the reader it is in
    another language. Written in Python rather than as an included template: it renders for
    every organization on the "Who are we" page, where includes are what cost the most.
    """
    if not value:
        return ""
    note = ""
    if value.is_fallback:
        message = gettext(
            "This text is not yet available in %(wanted)s; it is shown in %(shown)s."
        ) % {"wanted": language_name(get_language()), "shown": language_name(value.language)}
        note = format_html('<p class="fallback-note">{}</p>\n', message)
    return format_html(
        '{}<div class="prose"{}>{}</div>',
        note,
        value.lang_attribute,
        paragraphs(value.text),
    )


def localized(obj, field):
    """The value of obj's translated field in the active language, or its fallback."""
    active, order = _reading_order(translation.get_language(), fallbacks_enabled())
    for language in order:
        text = getattr(obj, build_localized_fieldname(field, language))
        if text:
            return LocalizedText(text, language, is_fallback=language != active)
    return LocalizedText("", active, is_fallback=False)


@functools.cache
def _reading_order(django_language, with_fallbacks):
    """(the content language, the languages to try in order) while django_language is active.

    Worked out once per language and fallback switch (modeltranslation's `fallbacks()`): a
    page reads several fields of every organization.
    """
    active = get_language()  # modeltranslation's: one of its languages, also for "en-gb"
    if not with_fallbacks:
        return active, (active,)
    return active, resolution_order(active, settings.MODELTRANSLATION_FALLBACK_LANGUAGES)


def _forget_reading_order(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "MODELTRANSLATION_FALLBACK_LANGUAGES"}:
        _reading_order.cache_clear()


setting_changed.connect(_forget_reading_order)


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str
    url: str
    is_active: bool


def language_alternates(request):
    """The current page in every language, as absolute URLs."""
    active = get_language()
    return [
        Alternate(
            code=code,
            name=get_language_info(code)["name_local"],
            url=request.build_absolute_uri(_path_in(request, code, active)),
            is_active=code == active,
        )
        for code, _name in settings.LANGUAGES
    ]


def home_alternates(request):
    """ "Who are we" in every language, as absolute URLs: where a page that is not found links."""
    alternates = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            url = request.build_absolute_uri(reverse("collective:who-are-we"))
        name = get_language_info(code)["name_local"]
        # None is the current page: these lead away from it, to each language's home.
        alternates.append(Alternate(code=code, name=name, url=url, is_active=False))
    return alternates


def language_neutral_path(path):
    """The page's address without its language prefix: it sends visitors to their language.

    This is the page's `x-default` alternate (and Django's sitemap convention for it).
    """
    prefix = f"/{settings.LANGUAGE_CODE}/"
    return "/" + path.removeprefix(prefix) if path.startswith(prefix) else path


def _path_in(request, code, active):
    """The same page in another language; its home page when the path is not a known page."""
    path = request.path
    match = request.resolver_match
    if match is None:  # an error page, or a request that was never resolved
        translated = translate_url(path, code)
    else:  # what translate_url does, without resolving the address a second time
        with override(code):
            try:
                translated = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                translated = path
    if translated == path and code != active:
        with override(code):
            return reverse("collective:who-are-we")
    return translated
