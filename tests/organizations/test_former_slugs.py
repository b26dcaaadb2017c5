"""A changed slug keeps the old address working: it redirects to the page's new address."""

import pytest
from django.urls import reverse

from collective.translations import status
from organizations.models import AdvisoryBody, FormerSlug, MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.editing.test_ordering import CHANGELIST, list_form_data, published_box
from tests.html import visible_text


@pytest.fixture
def njr(seeded):
    return MemberOrganization.objects.get(slug="njr")


def rename(njr, slug):
    njr.slug = slug
    njr.save()


def test_the_old_address_redirects_permanently_in_every_language(client, njr):
    assert client.get("/nl/leden/njr/").status_code == 200  # kept in the page cache
    rename(njr, "nationale-jeugdraad")

    for old, new in [
        ("/nl/leden/njr/", "/nl/leden/nationale-jeugdraad/"),
        ("/en/members/njr/", "/en/members/nationale-jeugdraad/"),
    ]:
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == new
        assert client.get(new).status_code == 200


def test_a_slug_changed_in_the_admin_redirects(editor_client, njr):
    data = form_data(editor_client.get(change_url(njr)))
    saved = editor_client.post(change_url(njr), {**data, "slug": "jeugdraad", "_save": "x"})
    assert saved.status_code == 302
    assert editor_client.get("/en/members/njr/")["Location"] == "/en/members/jeugdraad/"


def test_every_earlier_address_leads_to_the_latest(client, njr):
    rename(njr, "second")
    rename(njr, "third")
    assert client.get("/nl/leden/njr/")["Location"] == "/nl/leden/third/"
    assert client.get("/nl/leden/second/")["Location"] == "/nl/leden/third/"


def test_going_back_to_an_old_slug_serves_the_page_there(client, njr):
    rename(njr, "second")
    rename(njr, "njr")
    assert client.get("/nl/leden/njr/").status_code == 200
    assert client.get("/nl/leden/second/")["Location"] == "/nl/leden/njr/"


def test_a_new_page_with_a_former_slug_is_served_not_redirected(client, njr, member_factory):
    rename(njr, "nationale-jeugdraad")
    newcomer = member_factory(slug="njr", name="NJR Nieuw")
    response = client.get("/nl/leden/njr/")
    assert response.status_code == 200
    assert response.context["organization"] == newcomer
    assert not FormerSlug.objects.filter(slug="njr").exists()


def test_no_redirect_to_an_unpublished_or_deleted_page(client, njr):
    rename(njr, "nationale-jeugdraad")
    MemberOrganization.objects.filter(pk=njr.pk).update(is_published=False)
    assert client.get("/nl/leden/njr/").status_code == 404
    njr.delete()
    assert not FormerSlug.objects.exists()


def test_former_slugs_are_kept_per_kind_of_page(client, njr):
    rename(njr, "nationale-jeugdraad")
    assert client.get("/nl/adviseur/njr/").status_code == 404
    advisor = AdvisoryBody.objects.get()
    assert client.get(f"/nl/adviseur/{advisor.slug}/").status_code == 200


def test_the_edit_form_lists_the_former_addresses(editor_client, njr):
    assert "Geen: de pagina heeft altijd dit adres gehad." in visible_text(
        editor_client.get(change_url(njr))
    )
    rename(njr, "second")
    rename(njr, "third")
    assert "njr, second. Links naar deze eerdere adressen leiden naar deze pagina." in (
        visible_text(editor_client.get(change_url(njr)))
    )


def test_the_redirect_keeps_the_query_and_is_cached_only_briefly(client, njr, settings):
    rename(njr, "nationale-jeugdraad")
    response = client.get("/nl/leden/njr/?utm_source=nieuwsbrief")
    assert response["Location"] == "/nl/leden/nationale-jeugdraad/?utm_source=nieuwsbrief"
    assert f"max-age={settings.PROXY_CACHE_SECONDS}" in response["Cache-Control"]


def test_taking_another_pages_former_address_is_allowed_with_a_warning(editor_client, njr):
    save_the_children = MemberOrganization.objects.get(slug="save-the-children")
    rename(save_the_children, "stc-nl")
    data = form_data(editor_client.get(change_url(njr)))

    saved = editor_client.post(
        change_url(njr), {**data, "slug": "save-the-children", "_save": "x"}, follow=True
    )

    assert "Het adres “save-the-children” leidde eerder naar Save the Children." in (
        visible_text(saved)
    )
    assert editor_client.get("/nl/leden/save-the-children/").context["organization"] == njr


def test_taking_the_former_address_of_a_member_joining_later_warns_too(editor_client, njr):
    import datetime

    from django.utils import timezone

    save_the_children = MemberOrganization.objects.get(slug="save-the-children")
    save_the_children.joined = timezone.localdate() + datetime.timedelta(days=30)
    rename(save_the_children, "stc-nl")
    data = form_data(editor_client.get(change_url(njr)))

    saved = editor_client.post(
        change_url(njr), {**data, "slug": "save-the-children", "_save": "x"}, follow=True
    )

    assert "leidde eerder naar Save the Children" in visible_text(saved)


def test_a_slug_typed_with_capitals_is_stored_in_lower_case(editor_client, njr):
    data = form_data(editor_client.get(change_url(njr)))
    saved = editor_client.post(change_url(njr), {**data, "slug": "Jeugdraad-NL", "_save": "x"})
    assert saved.status_code == 302
    njr.refresh_from_db()
    assert njr.slug == "jeugdraad-nl"


def test_a_slug_differing_only_in_case_from_another_is_refused(editor_client, njr):
    data = form_data(editor_client.get(change_url(njr)))
    refused = editor_client.post(
        change_url(njr), {**data, "slug": "UNICEF-Nederland", "_save": "x"}
    )
    assert refused.status_code == 200
    assert "Een andere pagina heeft dit adres al" in visible_text(refused)
    njr.refresh_from_db()
    assert njr.slug == "njr"


def test_an_older_slug_with_capitals_moves_to_lower_case_and_keeps_its_address(
    client, editor_client, njr
):
    MemberOrganization.objects.filter(pk=njr.pk).update(slug="NJR")
    data = form_data(editor_client.get(change_url(njr)))
    assert editor_client.post(change_url(njr), {**data, "_save": "x"}).status_code == 302
    njr.refresh_from_db()
    assert njr.slug == "njr"
    assert client.get("/nl/leden/NJR/")["Location"] == "/nl/leden/njr/"


@pytest.mark.parametrize(
    ("typed", "page"),
    [("/nl/leden/NJR/", "/nl/leden/njr/"), ("/en/members/Njr/", "/en/members/njr/")],
)
def test_an_address_typed_with_capitals_redirects_to_the_page(client, njr, typed, page):
    response = client.get(typed)
    assert response.status_code == 301
    assert response["Location"] == page


def test_capitals_in_an_address_of_no_page_are_still_a_404(client, njr):
    assert client.get("/nl/leden/NIEMAND/").status_code == 404


def test_saving_a_translation_from_an_older_copy_keeps_the_old_address(client, njr):
    stale = MemberOrganization.objects.get(pk=njr.pk)
    rename(njr, "nationale-jeugdraad")
    stale.description_en = "Translated meanwhile."
    status.save_translations(stale, ["description_en"])

    assert client.get("/nl/leden/njr/")["Location"] == "/nl/leden/nationale-jeugdraad/"
    assert client.get("/nl/leden/nationale-jeugdraad/").status_code == 200
    assert [former.slug for former in FormerSlug.objects.all()] == ["njr"]


def test_a_list_edit_leaves_an_older_slug_with_capitals_alone(editor_client, njr):
    MemberOrganization.objects.filter(pk=njr.pk).update(slug="NJR")
    other = MemberOrganization.objects.create(name_nl="Ander NJR", slug="njr")
    data = list_form_data(editor_client.get(reverse(CHANGELIST)))
    published_box(data, njr, checked=False)

    assert editor_client.post(reverse(CHANGELIST), data).status_code == 302
    njr.refresh_from_db()
    assert (njr.slug, njr.is_published) == ("NJR", False)
    other.refresh_from_db()
    assert other.slug == "njr"
