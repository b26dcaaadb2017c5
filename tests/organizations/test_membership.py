import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from collective.editing.attention import member_count_warning, stated_numbers
from collective.models import Collective
from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.html import elements, parse, visible_text


@pytest.fixture
def today():
    """Read when the test starts, not when the module is imported: a run may cross midnight."""
    return timezone.localdate()


def a_year_before(day):
    return day - datetime.timedelta(days=365)


@pytest.fixture
def unicef_left(seeded, today):
    MemberOrganization.objects.filter(slug="unicef-nederland").update(
        joined=datetime.date(1995, 1, 1), left=a_year_before(today)
    )
    return MemberOrganization.objects.get(slug="unicef-nederland")


def test_a_former_member_is_not_in_the_current_list(unicef_left):
    assert unicef_left not in MemberOrganization.objects.current()
    assert list(MemberOrganization.objects.former()) == [unicef_left]


def test_a_member_that_joins_in_the_future_is_not_current_yet(seeded, today):
    future = MemberOrganization.objects.create(
        name_nl="Augeo", slug="augeo", joined=today + datetime.timedelta(days=30)
    )
    assert future not in MemberOrganization.objects.current()
    assert future not in MemberOrganization.objects.former()


@pytest.fixture
def unicef_joins_later(seeded, today):
    MemberOrganization.objects.filter(slug="unicef-nederland").update(
        joined=today + datetime.timedelta(days=30)
    )
    return MemberOrganization.objects.get(slug="unicef-nederland")


def test_a_member_that_joins_later_has_no_public_page_or_sitemap_entry_yet(
    client, unicef_joins_later
):
    assert client.get("/nl/leden/unicef-nederland/").status_code == 404
    assert "unicef-nederland" not in client.get("/nl/wie-zijn-wij/").content.decode()
    assert "unicef-nederland" not in client.get("/sitemap.xml").content.decode()


def test_a_member_that_joins_later_appears_on_the_day(client, unicef_joins_later, today):
    MemberOrganization.objects.filter(pk=unicef_joins_later.pk).update(joined=today)
    assert client.get("/nl/leden/unicef-nederland/").status_code == 200
    assert "unicef-nederland" in client.get("/sitemap.xml").content.decode()


def test_staff_are_told_when_a_member_will_be_shown(admin_client, unicef_joins_later):
    from tests.editing.conftest import change_url, form_data

    url = change_url(unicef_joins_later)
    saved = admin_client.post(url, {**form_data(admin_client.get(url)), "_save": "x"}, follow=True)
    joined = unicef_joins_later.joined
    with translation.override("nl"):
        expected = f"wordt lid op {date_format(joined)}"
    assert expected in visible_text(saved)
    listing = admin_client.get(reverse("admin:organizations_memberorganization_changelist"))
    assert "(eerder niet getoond)" in visible_text(listing)
    links = admin_client.get(url)
    assert [label for _url, label in links.context["site_links"]] == [
        "Voorbeeld (Nederlands)",
        "Voorbeeld (Engels)",
    ], "no link to a page visitors cannot open yet"


def test_the_preview_of_a_member_that_joins_later_says_from_when(admin_client, unicef_joins_later):
    preview = admin_client.get(
        reverse(
            "editing:preview",
            args=["organizations", "memberorganization", unicef_joins_later.pk, "nl"],
        )
    )
    text = visible_text(preview)
    assert "bezoekers zien deze pagina vanaf" in text
    assert "(lid vanaf " in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_preview_note_writes_the_joining_date_as_the_page_below_it(
    admin_client, unicef_joins_later, language
):
    preview = admin_client.get(
        reverse(
            "editing:preview",
            args=["organizations", "memberorganization", unicef_joins_later.pk, language],
        )
    )
    with translation.override(language):
        day = date_format(unicef_joins_later.joined, "j F Y")
    note = visible_text(preview).split(day)
    assert len(note) == 3, f"the note and the membership line both say {day}"


def test_who_are_we_lists_former_members_separately_with_their_period(client, unicef_left, today):
    response = client.get("/nl/wie-zijn-wij/")
    members = [a["href"] for a in elements(response, "a") if a["href"].startswith("/nl/leden/")]
    assert members[-1] == "/nl/leden/unicef-nederland/", "only in the former members section"
    text = visible_text(response)
    assert "UNICEF is de kinderrechtenorganisatie" not in text
    assert f"Oud-leden UNICEF Nederland (lid 1995–{a_year_before(today).year})" in text


def test_a_former_members_page_shows_the_period(client, unicef_left, today):
    text = visible_text(client.get("/en/members/unicef-nederland/"))
    assert f"(member 1995–{a_year_before(today).year})" in text


def test_a_former_members_page_links_back_to_its_entry_in_the_list(client, unicef_left):
    page = client.get("/nl/leden/unicef-nederland/")
    back = next(
        a["href"] for a in elements(page, "a") if a["href"].startswith("/nl/wie-zijn-wij/#")
    )
    anchor = back.partition("#")[2]
    entries = [found for _tag, found in parse(client.get("/nl/wie-zijn-wij/")).elements]
    assert any(found.get("id") == anchor for found in entries)


def test_leaving_before_joining_is_refused(seeded):
    member = MemberOrganization(
        name_nl="X", slug="x", joined=datetime.date(2020, 1, 1), left=datetime.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert "left" in refused.value.message_dict


def test_the_database_refuses_leaving_before_joining_whatever_writes_it(seeded):
    members = MemberOrganization.objects.filter(slug="njr")
    with pytest.raises(IntegrityError), transaction.atomic():
        members.update(joined=datetime.date(2020, 1, 1), left=datetime.date(2019, 12, 31))
    members.update(joined=datetime.date(2020, 1, 1), left=datetime.date(2020, 1, 1))
    members.update(joined=None, left=datetime.date(2019, 12, 31))


def test_leaving_before_joining_is_said_once_on_the_field(seeded):
    member = MemberOrganization(
        name_nl="X", slug="x", joined=datetime.date(2020, 1, 1), left=datetime.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert refused.value.message_dict == {
        "left": ["Een lid kan niet vertrekken voordat het lid werd."]
    }


def test_staff_are_warned_when_the_intro_number_disagrees_with_the_members(seeded):
    with translation.override("nl"):
        warning = member_count_warning(Collective.load())
    assert "noemt 5, maar het collectief heeft 6 huidige leden" in warning


def test_no_warning_when_the_intro_number_is_right(unicef_left):
    assert member_count_warning(Collective.load()) is None


def test_collective_form_shows_the_warning(admin_client, seeded):
    url = reverse("admin:collective_collective_change", args=[Collective.load().pk])
    assert "noemt 5" in visible_text(admin_client.get(url))


def test_collective_form_checks_the_number_in_the_draft_it_shows(admin_client, seeded):
    url = reverse("admin:collective_collective_change", args=[Collective.load().pk])
    data = form_data(admin_client.get(url))
    for code in ("nl", "en"):
        data[f"intro_{code}"] = data[f"intro_{code}"].replace("5", "6")
    assert admin_client.post(url, {**data, "_save_draft": "x"}).status_code == 302
    assert "noemt 5" not in visible_text(admin_client.get(url))
    assert "noemt 5" in visible_text(admin_client.get(reverse("admin:index"))), "live text"


def test_admin_index_lists_what_needs_attention(admin_client, seeded):
    response = admin_client.get(reverse("admin:index"))
    text = visible_text(response)
    assert "Lidorganisaties zonder beschrijving 1" in text
    assert "Lidorganisaties zonder logo 6" in text
    assert "noemt 5" in text
    changelist = reverse("admin:organizations_memberorganization_changelist")
    assert elements(response, "a", href=f"{changelist}?translation=nl.missing.description")
    assert elements(response, "a", href=f"{changelist}?logo__isempty=1")


@pytest.mark.parametrize(
    ("intro", "numbers"),
    [
        ("Het collectief bestaat uit 5 kinderrechtenorganisaties.", [5]),
        ("It consists of six children's rights organizations.", [6]),
        ("Opgericht in 1995, met zeven leden.", [7]),
        ("Al 25 jaar werken wij samen met organisaties.", []),
        ("Na 25 jaar lidmaatschap gaan wij verder.", []),
        ("UNICEF is sinds 3 jaar lid.", []),
        ("A member for 10 years, with four other members.", [4]),
        ("Het collectief heeft 6 lidorganisaties.", [6]),
        ("Er is één lid bij gekomen.", [1]),
        ("Bestaat uit een aantal organisaties <script>alert(1)</script>.", []),
        ("Five members and 2 advisors.", [5]),
        ("Made of 7 children\u2019s rights organisations.", [7]),
    ],
)
def test_only_member_counts_are_read_from_the_introduction(seeded, intro, numbers):
    collective = Collective.load()
    collective.intro_nl = intro
    assert stated_numbers(collective)["nl"] == numbers


def test_staff_are_told_when_a_member_will_leave(admin_client, seeded, today):
    from tests.editing.conftest import change_url, form_data

    unicef = MemberOrganization.objects.get(slug="unicef-nederland")
    MemberOrganization.objects.filter(pk=unicef.pk).update(left=today + datetime.timedelta(days=30))
    url = change_url(unicef)
    saved = admin_client.post(url, {**form_data(admin_client.get(url)), "_save": "x"}, follow=True)
    text = visible_text(saved)
    with translation.override("nl"):
        leaving = date_format(today + datetime.timedelta(days=30))
    assert f"vertrekt op {leaving}" in text
    assert f"tot {leaving}" in text, "the list says so too"


@pytest.mark.parametrize(("field", "typed"), [("joined", "17-06-0019"), ("left", "01-01-2190")])
def test_a_membership_date_outside_1900_to_2100_is_refused_and_nothing_changes(
    editor_client, seeded, field, typed
):
    njr = MemberOrganization.objects.get(slug="njr")
    url = change_url(njr)
    data = {**form_data(editor_client.get(url)), field: typed, "_save": "x"}
    with translation.override("nl"):
        response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Vul een datum in tussen 1900 en 2100." in visible_text(response)
    assert MemberOrganization.objects.get(pk=njr.pk).joined == njr.joined
    assert MemberOrganization.objects.get(pk=njr.pk).left == njr.left
