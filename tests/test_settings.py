from django.conf import settings
from django.core.cache import cache


def test_cache_stores_and_returns_values():
    """Runs against Redis when REDIS_URL is set (as in CI), so a dead cache fails here."""
    cache.set("settings-test", {"nl": "ja", "en": "yes"}, timeout=10)
    assert cache.get("settings-test") == {"nl": "ja", "en": "yes"}
    cache.delete("settings-test")


def test_dutch_is_the_default_and_fallback_language():
    assert settings.LANGUAGE_CODE == settings.LANGUAGES[0][0] == "nl"
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES == {"default": ("nl",)}
