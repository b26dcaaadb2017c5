import pytest
from django.utils import translation

from organizations.models import AdvisoryBody, MemberOrganization


def test_published_leaves_out_unpublished_members(member_factory):
    shown = member_factory(slug="shown")
    member_factory(slug="hidden", is_published=False)
    assert list(MemberOrganization.objects.published()) == [shown]


def test_members_are_ordered_by_position(member_factory):
    member_factory(slug="second", position=20)
    member_factory(slug="first", position=10)
    assert [m.slug for m in MemberOrganization.objects.all()] == ["first", "second"]


@pytest.mark.parametrize(
    ("language", "url"),
    [("nl", "/nl/leden/njr/"), ("en", "/en/members/njr/")],
)
def test_member_url_is_localized(seeded, language, url):
    with translation.override(language):
        assert MemberOrganization.objects.get(slug="njr").get_absolute_url() == url


def test_advisory_body_url_is_localized(seeded):
    advisor = AdvisoryBody.objects.get()
    with translation.override("en"):
        assert advisor.get_absolute_url() == "/en/advisor/nederlands-jeugdinstituut/"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Save the Children", "SC"),
        ("NJR", "NJR"),
        ("Stichting Kinderpostzegels Nederland", "SKN"),
        ("terre des hommes", "TDH"),
        ("10 voor kinderen", "1VK"),
        ("NJR (Nationale Jeugdraad)", "NJR"),
        ("NJR (National Youth Council)", "NJR"),
    ],
)
def test_initials_stand_in_for_a_missing_logo(name, initials):
    assert MemberOrganization(name_nl=name).initials == initials
