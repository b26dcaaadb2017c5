import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from organizations.addresses import slug_address

SLUGS = ["njr", "unicef-nederland", "Kinder_Postzegels-2", "stand-in-slug", "a"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("url_name", ["organizations:member", "organizations:advisor"])
@pytest.mark.parametrize("slug", SLUGS)
def test_an_address_is_what_reverse_gives(language, url_name, slug):
    with translation.override(language):
        assert slug_address(url_name, slug) == reverse(url_name, kwargs={"slug": slug})


def test_addresses_follow_the_language_and_script_prefix_of_the_moment():
    with translation.override("nl"):
        assert slug_address("organizations:member", "njr") == "/nl/leden/njr/"
    with translation.override("en"):
        assert slug_address("organizations:member", "njr") == "/en/members/njr/"
    set_script_prefix("/site/")
    try:
        with translation.override("en"):
            assert slug_address("organizations:member", "njr") == "/site/en/members/njr/"
    finally:
        clear_script_prefix()
    with translation.override("en"):
        assert slug_address("organizations:member", "njr") == "/en/members/njr/"


@pytest.mark.parametrize("slug", ["", "met spatie", "é", "a/b"])
def test_a_value_no_slug_address_accepts_fails_as_reverse_fails(slug):
    with pytest.raises(NoReverseMatch):
        slug_address("organizations:member", slug)
