import pytest
from django.db import IntegrityError
from django.utils import translation

from collective.models import Collective


def test_collective_stays_a_single_row(seeded):
    extra = Collective(name_nl="Tweede", page_title_nl="Tweede", founding_year=2000, intro_nl="x")
    extra.save()
    assert Collective.objects.count() == 1
    assert Collective.load().name_nl == "Tweede"


def test_database_refuses_a_second_collective_row(seeded):
    with pytest.raises(IntegrityError):
        Collective.objects.bulk_create(
            [Collective(pk=2, name_nl="x", page_title_nl="x", founding_year=2000, intro_nl="x")]
        )


def test_load_returns_none_before_any_content(db):
    assert Collective.load() is None


@pytest.mark.parametrize(
    ("language", "url"), [("nl", "/nl/wie-zijn-wij/"), ("en", "/en/who-are-we/")]
)
def test_collective_url_follows_the_language(seeded, language, url):
    with translation.override(language):
        assert Collective.load().get_absolute_url() == url
