import datetime

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
    assert (member.name_nl, member.name_en, member.is_published) == ("Lid", "Member", True)
    assert member._state.adding is False
    assert member.get_deferred_fields() == set()
