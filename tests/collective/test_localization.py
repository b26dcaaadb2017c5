from django.test import override_settings
from django.utils import translation
from modeltranslation.utils import fallbacks

from collective.localization import localized


def test_a_text_missing_in_the_page_language_falls_back_and_says_in_which(member_factory):
    member = member_factory(name_nl="Stichting", name_en="", description_nl="", description_en="")
    with translation.override("en"):
        name = localized(member, "name")
        assert (name.text, name.language, name.is_fallback) == ("Stichting", "nl", True)
        description = localized(member, "description")
        assert (description.text, description.language, description.is_fallback) == (
            "",
            "en",
            False,
        )
    with translation.override("nl"):
        name = localized(member, "name")
        assert (name.text, name.language, name.is_fallback) == ("Stichting", "nl", False)


def test_the_fallback_languages_are_read_from_the_settings_in_force(member_factory):
    member = member_factory(name_nl="", name_en="Foundation")
    with translation.override("nl"):
        assert localized(member, "name").text == ""
        with override_settings(MODELTRANSLATION_FALLBACK_LANGUAGES={"default": ("en",)}):
            name = localized(member, "name")
            assert (name.text, name.language, name.is_fallback) == ("Foundation", "en", True)
        assert localized(member, "name").text == ""


def test_without_modeltranslations_fallbacks_a_missing_text_stays_missing(member_factory):
    member = member_factory(name_nl="Stichting", name_en="")
    with translation.override("en"):
        with fallbacks(False):
            assert localized(member, "name").text == ""
        assert localized(member, "name").text == "Stichting"
