import pytest
from django.core.management import call_command
from django.utils import translation

from collective import seeding
from collective.models import Collective
from collective.translations.status import language_codes, text, translated_fields
from organizations.models import AdvisoryBody, MemberOrganization

SEED_ORDER = [
    "defence-for-children",
    "kinderpostzegels",
    "njr",
    "save-the-children",
    "unicef-nederland",
    "terre-des-hommes",
]


def snapshot():
    """Every stored value of every content row, to compare before and after."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (Collective, MemberOrganization, AdvisoryBody)
    ]


def test_seed_creates_the_members_in_the_order_of_the_source(seeded):
    assert list(MemberOrganization.objects.values_list("slug", flat=True)) == SEED_ORDER


def test_seed_creates_the_collective_in_both_languages(seeded):
    collective = Collective.load()
    assert (collective.name_nl, collective.name_en) == (
        "Kinderrechtencollectief",
        "Children's Rights Collective",
    )
    assert collective.founding_year == 1995
    assert "onze onze visie" in collective.body_nl, "Dutch is kept verbatim"
    assert "our vision" in collective.body_en
    assert "our our" not in collective.body_en


def test_seed_creates_the_advisory_body_with_its_role(seeded):
    advisor = AdvisoryBody.objects.get()
    assert advisor.name_nl == "Nederlands Jeugdinstituut"
    with translation.override("en"):
        assert advisor.role == "independent advisor"


def test_njr_is_given_a_name_the_source_lacks(seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    assert njr.name_nl == "NJR"
    assert njr.name_en == "NJR"


@pytest.mark.parametrize("language", language_codes())
def test_terre_des_hommes_description_is_missing_in_every_language(seeded, language):
    terre_des_hommes = MemberOrganization.objects.get(slug="terre-des-hommes")
    fields = translated_fields(MemberOrganization)
    missing = [name for name in fields if not text(terre_des_hommes, name, language)]
    assert missing == ["description"]


def test_seed_uses_the_organizations_own_spelling_in_english(seeded):
    defence = MemberOrganization.objects.get(slug="defence-for-children")
    assert defence.name_en == "Defence for Children"
    assert "Defense" not in defence.description_en


def test_seeding_again_changes_nothing(seeded):
    before = snapshot()
    created = seeding.seed(seeding.load())
    assert set(created.values()) == {0}
    assert snapshot() == before


def test_seeding_again_keeps_what_staff_edited_added_and_deleted(seeded):
    MemberOrganization.objects.filter(slug="njr").update(description_en="Edited by staff.")
    MemberOrganization.objects.filter(slug="unicef-nederland").delete()
    Collective.objects.update(intro_nl="Nieuwe inleiding.")
    seeding.seed(seeding.load())
    assert MemberOrganization.objects.get(slug="njr").description_en == "Edited by staff."
    assert not MemberOrganization.objects.filter(slug="unicef-nederland").exists()
    assert Collective.load().intro_nl == "Nieuwe inleiding."


def test_seeding_again_does_not_bring_back_a_model_staff_emptied(seeded):
    AdvisoryBody.objects.all().delete()
    MemberOrganization.objects.all().delete()
    created = seeding.seed(seeding.load())
    assert set(created.values()) == {0}
    assert not AdvisoryBody.objects.exists()
    assert not MemberOrganization.objects.exists()


def test_seed_command_reports_what_it_created_then_that_it_left_content_alone(db, capsys):
    call_command("seed_content")
    first = capsys.readouterr().out
    call_command("seed_content")
    second = capsys.readouterr().out
    assert "6 created" in first
    assert "left unchanged" in second
    assert "created" not in second
