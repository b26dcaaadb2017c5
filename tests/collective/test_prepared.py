import datetime
import threading

import pytest
from django.db import connections
from django.db.models import F
from model_bakery import baker

from collective.prepared import PreparedQuery
from organizations.models import MemberOrganization


def test_sql_is_built_once_and_every_call_reads_the_rows_afresh(
    member_factory, django_assert_num_queries
):
    built = []

    def build(rows):
        built.append(rows)
        return rows.published()

    published = PreparedQuery(MemberOrganization, build)
    member_factory(slug="eerste", name_nl="Eerste", position=1)
    with django_assert_num_queries(1):
        assert [m.slug for m in published()] == ["eerste"]

    member_factory(slug="tweede", name_nl="Tweede", position=2)
    member_factory(slug="verborgen", name_nl="Verborgen", is_published=False)
    with django_assert_num_queries(1):
        assert [m.slug for m in published()] == ["eerste", "tweede"]
    assert len(built) == 1


def test_rows_are_model_instances_as_the_orm_builds_them(member_factory):
    member_factory(slug="lid", name_nl="Lid", name_en="Member", joined=datetime.date(2019, 6, 17))
    published = PreparedQuery(MemberOrganization, lambda rows: rows.published())
    [member] = published()
    ordinary = MemberOrganization.objects.get(slug="lid")
    assert member == ordinary
    assert member.joined == datetime.date(2019, 6, 17)  # a date, also where SQLite stores text
    assert (member.name_nl, member.name_en) == ("Lid", "Member")
    assert member.is_published is True  # a bool, also where SQLite stores 1
    assert member._state.adding is False
    assert member.get_deferred_fields() == set()


@pytest.mark.parametrize(
    "build",
    [
        lambda rows: rows.only("slug"),
        lambda rows: rows.annotate(doubled=F("position") * 2),
        lambda rows: rows.values("slug"),
        lambda rows: rows.prefetch_related("former_slugs"),
        lambda rows: rows.select_for_update(),
    ],
    ids=["deferred fields", "annotation", "values", "prefetch", "locking"],
)
def test_only_plain_model_rows_can_be_prepared(member_factory, build):
    member_factory(slug="lid")
    with pytest.raises(ValueError, match="Not a query of plain MemberOrganization rows"):
        PreparedQuery(MemberOrganization, build)()


def test_each_thread_reads_through_its_own_connection(transactional_db):
    # Django refuses a connection used from a thread other than its own (gunicorn's threaded
    # workers): each thread must read through a plan of its own connection.
    baker.make("organizations.MemberOrganization", slug="lid", is_published=True)
    published = PreparedQuery(MemberOrganization, lambda rows: rows.published())
    assert [m.slug for m in published()] == ["lid"]
    found = []

    def read():
        try:
            found.append([m.slug for m in published()])
        except Exception as error:
            found.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert found == [["lid"]]


@pytest.mark.parametrize(
    "build", [lambda rows: rows.none(), lambda rows: rows.filter(pk__in=[])], ids=["none", "in []"]
)
def test_a_query_that_can_match_nothing_gives_no_rows_without_asking(
    member_factory, django_assert_num_queries, build
):
    member_factory(slug="lid")
    nothing = PreparedQuery(MemberOrganization, build)
    with django_assert_num_queries(0):
        assert nothing() == []
        assert nothing() == []
