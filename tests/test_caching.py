"""The public pages' cache: query budget, validators, proxy headers, invalidation, outages."""

import logging
import time

import pytest
from django.core.cache import cache
from model_bakery import baker

from organizations.models import MemberOrganization
from tests.html import visible_text

PAGES = [
    "/nl/wie-zijn-wij/",
    "/en/who-are-we/",
    "/nl/leden/njr/",
    "/en/advisor/nederlands-jeugdinstituut/",
]


@pytest.fixture
def many_members(seeded):
    baker.make(
        MemberOrganization,
        _quantity=494,
        is_published=True,
        name_nl="Lid",
        name_en="Member",
        description_nl="Een lid.",
        description_en="A member.",
        slug=iter(f"lid-{n}" for n in range(494)),
    )


@pytest.mark.parametrize("fixture", ["seeded", "many_members"])
def test_who_are_we_takes_three_queries_uncached_and_none_cached(
    client, request, fixture, django_assert_max_num_queries, django_assert_num_queries
):
    request.getfixturevalue(fixture)
    with django_assert_max_num_queries(3):
        assert client.get("/nl/wie-zijn-wij/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/nl/wie-zijn-wij/").status_code == 200


@pytest.mark.parametrize("url", ["/en/members/njr/", "/nl/adviseur/nederlands-jeugdinstituut/"])
def test_organization_pages_take_two_queries_uncached_and_none_cached(
    client, seeded, url, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_pages_are_cached_per_language(client, seeded):
    client.get("/nl/wie-zijn-wij/")
    english = client.get("/en/who-are-we/")
    assert "Who are we" in visible_text(english)


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_allow_a_short_shared_cache(client, seeded, url):
    cache_control = client.get(url)["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=60" in cache_control
    assert "stale-while-revalidate=300" in cache_control


def test_conditional_requests_get_304(client, seeded):
    first = client.get("/nl/wie-zijn-wij/")
    assert first["ETag"]
    assert first["Last-Modified"]
    again = client.get("/nl/wie-zijn-wij/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get("/nl/wie-zijn-wij/", headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_staff_get_fresh_private_pages(admin_client, client, seeded):
    client.get("/nl/leden/njr/")
    MemberOrganization.objects.filter(slug="njr").update(
        description_nl="Bijgewerkt zonder signaal."
    )
    response = admin_client.get("/nl/leden/njr/")
    assert "Bijgewerkt zonder signaal." in visible_text(response)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_saving_a_member_refreshes_exactly_its_pages(client, seeded, django_assert_num_queries):
    for url in [
        "/nl/wie-zijn-wij/",
        "/en/who-are-we/",
        "/nl/leden/njr/",
        "/en/members/njr/",
        "/nl/leden/kinderpostzegels/",
    ]:
        client.get(url)
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_en = "Changed in English."
    njr.save()
    assert "Changed in English." in visible_text(client.get("/en/members/njr/"))
    assert "Changed in English." in visible_text(client.get("/en/who-are-we/"))
    with django_assert_num_queries(0):
        client.get("/nl/leden/kinderpostzegels/")


@pytest.mark.parametrize("url", ["/en/members/njr/", "/nl/adviseur/nederlands-jeugdinstituut/"])
def test_renaming_the_collective_refreshes_every_organization_page(client, seeded, url):
    from collective.models import Collective

    client.get(url)
    collective = Collective.load()
    collective.name_nl = collective.name_en = "Het Hernoemde Collectief"
    collective.save()
    assert "Het Hernoemde Collectief" in client.get(url).content.decode()


def test_a_new_slug_refreshes_the_old_address(client, seeded):
    client.get("/nl/leden/njr/")
    njr = MemberOrganization.objects.get(slug="njr")
    njr.slug = "nationale-jeugdraad"
    njr.save()
    assert client.get("/nl/leden/njr/").status_code == 301


def test_deleting_a_member_refreshes_the_list(client, seeded):
    client.get("/nl/wie-zijn-wij/")
    MemberOrganization.objects.get(slug="njr").delete()
    assert "NJR is het jongerennetwerk" not in visible_text(client.get("/nl/wie-zijn-wij/"))


def test_404s_are_not_cached(client, seeded):
    assert client.get("/nl/leden/augeo/").status_code == 404
    baker.make(MemberOrganization, slug="augeo", name_nl="Augeo", is_published=True)
    assert client.get("/nl/leden/augeo/").status_code == 200


def test_page_cache_can_be_turned_off(client, seeded, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/nl/wie-zijn-wij/")
    with django_assert_max_num_queries(3) as captured:
        client.get("/nl/wie-zijn-wij/")
    assert len(captured.captured_queries) > 0


@pytest.fixture
def later(monkeypatch):
    """later(seconds=…) moves the page cache's clock on, as if that much time had passed."""
    import time

    from collective import caching

    offset = 0.0

    def move(seconds):
        nonlocal offset
        offset += seconds
        monkeypatch.setattr(caching, "clock", lambda: time.monotonic() + offset)

    return move


@pytest.fixture
def unreachable_cache(settings):
    from collective import caching

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.1, "SOCKET_TIMEOUT": 0.1},
        }
    }
    caching._paused_until = 0.0
    yield
    caching._paused_until = 0.0


def test_pages_are_served_when_the_cache_is_down(client, seeded, unreachable_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="collective.caching"):
        for url in PAGES:
            assert client.get(url).status_code == 200
    assert "Cache unavailable" in caplog.text
    assert len([r for r in caplog.records if r.name == "collective.caching"]) == 1, (
        "logged once, then paused"
    )


def test_saving_works_when_the_cache_is_down(seeded, unreachable_cache):
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_en = "Saved during an outage."
    njr.save()
    njr.refresh_from_db()
    assert njr.description_en == "Saved during an outage."


def test_the_cache_is_tried_again_after_a_pause(client, seeded, monkeypatch, settings):
    from collective import caching

    settings.PAGE_CACHE_LOCAL_SECONDS = 0  # every request asks the shared cache

    calls = []

    def unreachable(*args, **kwargs):
        calls.append(1)
        raise ConnectionError()

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "get_many", unreachable)
    client.get("/nl/leden/njr/")
    client.get("/nl/leden/njr/")
    assert len(calls) == 1
    monkeypatch.setattr(caching, "_paused_until", 0.0)
    client.get("/nl/leden/njr/")
    assert len(calls) == 2


@pytest.mark.parametrize("url", PAGES)
def test_a_page_from_the_cache_carries_the_same_headers_as_a_fresh_one(client, seeded, url):
    fresh = client.get(url)
    kept = client.get(url)
    assert not hasattr(kept.wsgi_request, "session"), "answered above the session middleware"
    assert kept.content == fresh.content
    assert dict(kept.headers) == dict(fresh.headers)
    assert kept["Content-Language"] == url.split("/")[1]
    assert kept["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in kept


def test_a_304_from_the_cache_names_the_page_language(client, seeded):
    first = client.get("/en/who-are-we/")
    again = client.get("/en/who-are-we/", headers={"if-none-match": first["ETag"]})
    assert not hasattr(again.wsgi_request, "session")
    assert again.status_code == 304
    assert again["Content-Language"] == "en"
    assert again["ETag"] == first["ETag"]


def test_a_visitor_with_a_stale_session_cookie_still_gets_the_public_page(client, seeded):
    public = client.get("/nl/leden/njr/")
    client.cookies["sessionid"] = "expired-or-made-up"
    response = client.get("/nl/leden/njr/")
    assert response.status_code == 200
    assert response.content == public.content
    assert response["ETag"]
    # The answer deletes the cookie: a proxy must not hand that on to anyone else.
    assert response.cookies["sessionid"]["max-age"] == 0
    assert "public" not in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    client.cookies.pop("sessionid")
    assert "public" in client.get("/nl/leden/njr/")["Cache-Control"], "and the next is public"


def test_a_page_whose_version_was_evicted_is_rendered_again(client, seeded, later):
    """Redis may evict a page's version key (allkeys-lru); the kept page must not match again."""
    from collective.caching import _version_key

    cache.clear()  # no version yet: as for a page whose content never changed
    client.get("/nl/leden/njr/")
    MemberOrganization.objects.filter(slug="njr").update(description_nl="Na het verdringen.")
    cache.delete(_version_key("nl", "/nl/leden/njr/"))
    later(seconds=2)
    assert "Na het verdringen." in visible_text(client.get("/nl/leden/njr/"))


def test_a_save_during_a_pause_after_a_cache_failure_still_refreshes_pages(
    client, seeded, monkeypatch
):
    import time

    from collective import caching

    client.get("/nl/leden/njr/")
    monkeypatch.setattr(caching, "_paused_until", time.monotonic() + 60)
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_nl = "Opgeslagen tijdens de pauze."
    njr.save()
    monkeypatch.setattr(caching, "_paused_until", 0.0)
    assert "Opgeslagen tijdens de pauze." in visible_text(client.get("/nl/leden/njr/"))


def test_a_visitor_with_a_session_cookie_is_not_answered_by_the_middleware(
    client, seeded, django_user_model
):
    """Staff have a session: they must get a fresh, private page, never a cached copy."""
    client.get("/nl/wie-zijn-wij/")
    staff = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get("/nl/wie-zijn-wij/")
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


# This process's own copies (near_pages) -----------------------------------------------------


def _other_server_saves(slug, **fields):
    """What a save on another app server leaves here: new rows and bumped shared versions,
    but this process's own copies untouched (no signal runs in this process)."""
    from collective import caching

    MemberOrganization.objects.filter(slug=slug).update(**fields)
    stamp = time.time_ns()
    for language, path in caching.pages_showing(MemberOrganization.objects.get(slug=slug)):
        cache.set(caching._version_key(language, path), stamp, None)


def test_a_hit_within_the_local_time_asks_the_shared_cache_nothing(client, seeded, monkeypatch):
    client.get("/nl/leden/njr/")
    client.get("/nl/leden/njr/")
    calls = []
    monkeypatch.setattr(cache, "get_many", lambda *a, **k: calls.append(a))
    assert client.get("/nl/leden/njr/").status_code == 200
    assert calls == []


def test_a_save_on_another_server_shows_here_once_the_local_time_is_over(client, seeded, later):
    client.get("/en/members/njr/")
    _other_server_saves("njr", description_en="Saved on another server.")
    assert "Saved on another server." not in visible_text(client.get("/en/members/njr/"))
    later(seconds=1.1)
    assert "Saved on another server." in visible_text(client.get("/en/members/njr/"))


def test_a_save_in_this_process_shows_at_once(client, seeded):
    client.get("/en/members/njr/")
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_en = "Saved right here."
    njr.save()
    assert "Saved right here." in visible_text(client.get("/en/members/njr/"))


def test_local_copies_can_be_turned_off(client, seeded, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    client.get("/en/members/njr/")
    _other_server_saves("njr", description_en="Seen at once without local copies.")
    assert "Seen at once without local copies." in visible_text(client.get("/en/members/njr/"))


def test_local_copies_keep_to_their_size_dropping_the_oldest(settings):
    from collective.caching import NearPages

    near = NearPages(max_bytes=4000)
    for number in range(5):
        near.put(f"page-{number}", 1, {"content": b"x" * 900}, near.generation)
    assert near.get("page-0") is None
    assert near.get("page-4") == (1, {"content": b"x" * 900})
    assert sum(near.get(f"page-{n}") is not None for n in range(5)) == 4


def test_a_render_older_than_a_save_is_not_kept_locally(settings):
    from collective.caching import NearPages

    near = NearPages(max_bytes=4000)
    generation = near.generation  # a lookup starts
    near.clear()  # content is saved in this process meanwhile
    near.put("page", 1, {"content": b"old"}, generation)
    assert near.get("page") is None


def test_an_address_that_is_not_a_page_leaves_nothing_in_the_cache(client, seeded):
    from collective.caching import _version_key

    assert client.get("/nl/bestaat-niet/").status_code == 404
    assert client.get("/nl/leden/bestaat-niet/").status_code == 404
    assert cache.get(_version_key("nl", "/nl/bestaat-niet/")) is None
    assert cache.get(_version_key("nl", "/nl/leden/bestaat-niet/")) is None


def test_a_first_render_is_not_kept_when_a_version_appeared_meanwhile(client, seeded, rf):
    """A save during the very first render of a page: that render may show the old rows."""
    from collective.caching import _Lookup, _version_key

    cache.clear()
    lookup = _Lookup(rf.get("/nl/leden/njr/"), "nl")
    assert lookup.version is None
    cache.set(_version_key("nl", "/nl/leden/njr/"), 12345, None)  # the save's new version
    assert lookup.version_to_store() is None
    assert _Lookup(rf.get("/nl/leden/njr/"), "nl").version_to_store() == 12345


# Bumps the cache did not take, hosts, releases, midnight ------------------------------------


def test_a_bump_the_cache_refused_is_sent_before_the_next_read(
    client, seeded, monkeypatch, refusing_cache
):
    """A Redis that briefly refuses writes must not leave the old page up until it expires."""
    from collective import caching

    refusing = refusing_cache
    refusing.clear()
    client.get("/en/members/njr/")
    refusing.append(True)
    MemberOrganization.objects.filter(slug="njr").update(description_en="Saved during a hiccup.")
    njr = MemberOrganization.objects.get(slug="njr")
    njr.save()  # both bumps (now and after commit) are refused
    assert caching._unsent_versions

    refusing.clear()
    monkeypatch.setattr(caching, "_paused_until", 0.0)
    caching.near_pages.clear()
    assert "Saved during a hiccup." in visible_text(client.get("/en/members/njr/"))
    assert not caching._unsent_versions


def test_the_bump_after_commit_is_what_drops_a_page_rendered_during_the_save(
    client, seeded, django_capture_on_commit_callbacks
):
    """A page rendered between the save and its commit shows the old rows; it must not stay."""
    with django_capture_on_commit_callbacks() as callbacks:
        njr = MemberOrganization.objects.get(slug="njr")
        njr.description_en = "Committed later."
        njr.save()
    # As if another request rendered now, before the commit: it read the old row.
    MemberOrganization.objects.filter(slug="njr").update(description_en="The old text.")
    assert "The old text." in visible_text(client.get("/en/members/njr/"))
    MemberOrganization.objects.filter(slug="njr").update(description_en="Committed later.")
    for callback in callbacks:
        callback()
    assert "Committed later." in visible_text(client.get("/en/members/njr/"))


@pytest.mark.parametrize("host", ["TESTSERVER", "testserver:31337", "testserver."])
def test_a_page_for_another_spelling_of_the_host_is_rendered_but_not_kept(client, seeded, host, rf):
    from collective import caching

    response = client.get("/nl/leden/njr/", headers={"host": host})
    assert response.status_code == 200
    assert f"http://{host}/nl/leden/njr/" in response.content.decode()
    key = caching._page_key(rf.get("/nl/leden/njr/", HTTP_HOST=host), "nl")
    assert cache.get(key) is None, "nothing kept"
    assert caching.near_pages.get(key) is None

    kept = client.get("/nl/leden/njr/")
    assert "http://testserver/nl/leden/njr/" in kept.content.decode()
    assert cache.get(caching._page_key(rf.get("/nl/leden/njr/"), "nl")) is not None


@pytest.mark.parametrize("host", ["TESTSERVER", "testserver:31337", "testserver."])
@pytest.mark.parametrize("url", PAGES)
def test_a_page_for_another_spelling_of_the_host_tells_proxies_not_to_keep_it(
    client, seeded, host, url
):
    """Its links lead to that spelling: a proxy that leaves the port, the case or the final
    dot out of its key would hand them to every visitor, as with robots.txt and the sitemap."""
    response = client.get(url, headers={"host": host})
    assert response.status_code == 200
    assert f"http://{host}{url}" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]


def test_pages_of_another_release_are_not_served(client, seeded, monkeypatch):
    from collective import caching

    client.get("/nl/leden/njr/")
    caching.near_pages.clear()
    monkeypatch.setattr(caching, "_release", lambda: "a newer manifest")
    MemberOrganization.objects.filter(slug="njr").update(description_nl="Na de uitrol.")
    assert "Na de uitrol." in visible_text(client.get("/nl/leden/njr/"))


def test_proxies_keep_no_page_past_midnight(client, seeded, monkeypatch):
    from collective import caching

    monkeypatch.setattr(caching, "seconds_to_midnight", lambda since=None: 90)
    cache_control = client.get("/nl/leden/njr/")["Cache-Control"]
    assert "s-maxage=60" in cache_control
    assert "stale-while-revalidate=30" in cache_control
    monkeypatch.setattr(caching, "seconds_to_midnight", lambda since=None: 20)
    cache_control = client.get("/nl/leden/njr/")["Cache-Control"]
    assert "s-maxage=20" in cache_control
    assert "stale-while-revalidate=0" in cache_control


def test_a_304_carries_the_pages_length_or_none(client, seeded):
    first = client.get("/nl/wie-zijn-wij/")
    again = client.get("/nl/wie-zijn-wij/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["Content-Length"] == str(len(first.content))


def test_a_page_that_is_not_kept_has_no_last_modified(client, seeded, settings):
    """Its render time would change on every request, and If-Modified-Since never match."""
    settings.PAGE_CACHE_SECONDS = 0
    response = client.get("/nl/wie-zijn-wij/")
    assert response["ETag"]
    assert "Last-Modified" not in response
    again = client.get("/nl/wie-zijn-wij/", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_proxy_lifetimes_are_read_from_one_clock_reading(client, seeded, monkeypatch):
    """Read twice across a second's boundary, stale-while-revalidate came out as -1."""
    from collective import caching

    # Keeping the page reads the clock once, answering it once more: a second reading
    # there would be the 59.
    readings = iter([61, 61, 59, 59, 59])
    monkeypatch.setattr(caching, "seconds_to_midnight", lambda since=None: next(readings))
    cache_control = client.get("/nl/leden/njr/")["Cache-Control"]
    assert "s-maxage=60" in cache_control
    assert "stale-while-revalidate=1" in cache_control


def test_on_a_unix_socket_a_host_with_a_port_is_rendered_but_not_kept(client, seeded, rf):
    """There gunicorn takes SERVER_PORT from the Host header, so the port proves nothing."""
    from collective import caching

    unix = {"REMOTE_ADDR": "", "SERVER_PORT": "31337"}
    response = client.get("/nl/leden/njr/", headers={"host": "testserver:31337"}, **unix)
    assert response.status_code == 200
    request = rf.get("/nl/leden/njr/", HTTP_HOST="testserver:31337")
    assert cache.get(caching._page_key(request, "nl")) is None
    client.get("/nl/leden/njr/", headers={"host": "testserver"}, **unix)
    assert cache.get(caching._page_key(rf.get("/nl/leden/njr/"), "nl")) is not None


@pytest.mark.parametrize(
    ("clock", "hours"),
    [
        ("2026-03-29T00:30:00+01:00", 22.5),  # the clocks go forward at 02:00: a 23-hour day
        ("2026-10-25T00:30:00+02:00", 24.5),  # back at 03:00: a 25-hour day
        ("2026-06-17T00:30:00+02:00", 23.5),
    ],
)
def test_midnight_is_counted_in_real_seconds_on_the_days_the_clocks_change(
    clock, hours, monkeypatch
):
    import datetime

    from django.utils import timezone

    from collective import caching

    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime.fromisoformat(clock))
    assert caching.seconds_to_midnight() == hours * 60 * 60


def test_a_page_whose_render_began_before_midnight_is_not_kept_after_it(
    client, seeded, monkeypatch
):
    """Rendered at 23:59:59 without the member who joins today, stored at 00:00: not kept."""
    import datetime

    from django.test.signals import template_rendered
    from django.utils import timezone

    clock = [datetime.datetime(2026, 6, 16, 21, 59, 59, 900000, tzinfo=datetime.UTC)]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    baker.make(
        MemberOrganization,
        is_published=True,
        name_nl="Nieuw lid",
        name_en="New member",
        slug="nieuw-lid",
        joined=datetime.date(2026, 6, 17),
    )

    def past_midnight(**kwargs):  # the render takes 200 ms
        clock[0] = datetime.datetime(2026, 6, 16, 22, 0, 0, 100000, tzinfo=datetime.UTC)

    template_rendered.connect(past_midnight, dispatch_uid="past-midnight")
    try:
        response = client.get("/nl/wie-zijn-wij/")
        assert "Nieuw lid" not in visible_text(response)
        # Nor by a proxy: it is the day before's page.
        assert "s-maxage=0" in response["Cache-Control"]
        assert "stale-while-revalidate=0" in response["Cache-Control"]
    finally:
        template_rendered.disconnect(dispatch_uid="past-midnight")
    clock[0] += datetime.timedelta(seconds=5)
    assert "Nieuw lid" in visible_text(client.get("/nl/wie-zijn-wij/"))


def test_a_bump_the_cache_refused_is_sent_on_the_next_request_of_any_kind(
    admin_client, seeded, monkeypatch
):
    """An editor's process may serve only the admin (a session cookie) after the save: the
    other servers must not wait for it to serve a visitor's page to see the change."""
    from collective import caching

    monkeypatch.setattr(caching, "_unsent_versions", {caching._version_key("en", "/en/x/")})
    monkeypatch.setattr(caching, "_paused_until", 0.0)
    assert admin_client.get("/admin/").status_code == 200
    assert not caching._unsent_versions
    assert cache.get(caching._version_key("en", "/en/x/")) is not None
