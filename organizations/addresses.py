"""Organization page addresses, without a full URL reverse per organization.

A list of 500 members links each of them two or three times, and Django's reverse() costs
tens of microseconds a call. The address pattern of a page kind is reversed once per
language, script prefix and URLconf, with a stand-in slug; each organization's address is
that pattern with its own slug put in. A slug the `slug` path converter would not accept
goes through reverse() as before, so it fails as reverse() fails.
"""

import functools
import re

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# What the `slug` path converter matches; reverse() puts such a slug in the path unchanged.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
STAND_IN = "stand-in-slug"


def slug_address(url_name, slug):
    """reverse(url_name, kwargs={"slug": slug}) in the active language."""
    if not SLUG.fullmatch(slug):
        return reverse(url_name, kwargs={"slug": slug})
    before, after = _pattern(url_name, get_language(), get_script_prefix(), get_urlconf())
    return f"{before}{slug}{after}"


@functools.lru_cache(maxsize=128)
def _pattern(url_name, language, script_prefix, urlconf):
    # The key holds what reverse() reads besides its arguments: the active language, the
    # script prefix and a request's own URLconf.
    before, _stand_in, after = reverse(url_name, kwargs={"slug": STAND_IN}).rpartition(STAND_IN)
    return before, after


def _forget_patterns(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"}:
        _pattern.cache_clear()


setting_changed.connect(_forget_patterns)
