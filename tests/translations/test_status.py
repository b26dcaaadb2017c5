import io

import pytest
from django.core.management import CommandError, call_command

from collective.models import Collective
from collective.translations import status
from collective.translations.diff import word_diff
from collective.translations.models import TranslationBaseline
from organizations.models import MemberOrganization
from tests.translations.conftest import change_source


def state(obj, field, language):
    obj.refresh_from_db()
    return status.status_for(obj)[(field, language)].state


def test_seeded_translations_are_complete(njr):
    assert {entry.state for entry in status.status_for(njr).values()} == {status.COMPLETE}


def test_a_field_empty_in_the_source_is_missing_there_and_waits_elsewhere(seeded):
    terre_des_hommes = MemberOrganization.objects.get(slug="terre-des-hommes")
    assert state(terre_des_hommes, "description", "nl") == status.MISSING
    assert state(terre_des_hommes, "description", "en") == status.NO_SOURCE
    assert not status.status_for(terre_des_hommes)[("description", "en")].needs_work


def test_an_empty_translation_of_a_source_text_is_missing(njr):
    MemberOrganization.objects.filter(pk=njr.pk).update(description_en="")
    njr.refresh_from_db()
    assert state(njr, "description", "en") == status.MISSING


def test_changing_the_source_makes_the_translation_outdated(njr):
    change_source(njr, "description", "Een nieuwe tekst.")
    assert state(njr, "description", "en") == status.OUTDATED
    assert state(njr, "name", "en") == status.COMPLETE


def test_source_language_is_never_outdated(njr):
    change_source(njr, "description", "Een nieuwe tekst.")
    assert state(njr, "description", "nl") == status.COMPLETE


def test_saving_the_translation_makes_it_complete_again(outdated_njr):
    outdated_njr.description_en = "NJR is the youth network of the Netherlands, also overseas."
    outdated_njr.save()
    assert state(outdated_njr, "description", "en") == status.COMPLETE


def test_saving_source_and_translation_together_keeps_it_complete(njr):
    njr.description_nl, njr.description_en = "Nieuw.", "New."
    njr.save()
    assert state(njr, "description", "en") == status.COMPLETE


def test_recording_confirms_a_translation_without_changing_it(outdated_njr):
    before = outdated_njr.description_en
    status.record(outdated_njr, "description", "en")
    assert state(outdated_njr, "description", "en") == status.COMPLETE
    assert outdated_njr.description_en == before


def test_whitespace_only_edits_to_the_source_do_not_outdate(njr):
    change_source(njr, "description", njr.description_nl + "  \n")
    assert state(njr, "description", "en") == status.COMPLETE


def test_clearing_a_translation_forgets_its_baseline(njr):
    njr.description_en = ""
    njr.save()
    assert not TranslationBaseline.objects.filter(object_id=njr.pk, field="description").exists()
    assert state(njr, "description", "en") == status.MISSING


def test_deleting_an_object_deletes_its_baselines(njr):
    pk = njr.pk
    njr.delete()
    assert not TranslationBaseline.objects.filter(object_id=pk).exists()


def test_statuses_for_many_objects_takes_two_queries(seeded, django_assert_num_queries):
    with django_assert_num_queries(2):
        statuses = status.statuses_for(MemberOrganization.objects.all())
    assert len(statuses) == 6


def test_counts_cover_every_row_field_and_language(seeded):
    counts = status.counts(Collective)
    assert counts[("intro", "en")] == {status.COMPLETE: 1}


def test_work_queue_lists_objects_with_work_in_model_order(outdated_njr):
    queue = status.work_queue("en")
    assert [obj.slug for obj in queue] == ["njr"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("een twee drie", "een drie", [("equal", "een "), ("delete", "twee "), ("equal", "drie")]),
        ("a b", "a b c", [("equal", "a b"), ("insert", " c")]),
        (
            "A. B.",
            "A.\n\nB.",
            [("equal", "A."), ("delete", " "), ("insert_break", "\n\n"), ("equal", "B.")],
        ),
        (
            "A.\n\nB.",
            "A. B.",
            [("equal", "A."), ("delete_break", "\n\n"), ("insert", " "), ("equal", "B.")],
        ),
        ("A.  B.", "A. B.", [("equal", "A."), ("delete", "  "), ("insert", " "), ("equal", "B.")]),
        (
            "The quick brown fox jumps.",
            "A slow red dog sleeps.",
            [("delete", "The quick brown fox jumps."), ("insert", "A slow red dog sleeps.")],
        ),
        (
            "voor en door jongeren.",
            "voor jongeren tot 25 jaar.",
            [
                ("equal", "voor "),
                ("delete", "en door jongeren."),
                ("insert", "jongeren tot 25 jaar."),
            ],
        ),
        (
            "a b c d",
            "a x c y",
            [
                ("equal", "a "),
                ("delete", "b"),
                ("insert", "x"),
                ("equal", " c "),
                ("delete", "d"),
                ("insert", "y"),
            ],
        ),
    ],
)
def test_word_diff_marks_deleted_and_inserted_words(old, new, expected):
    assert word_diff(old, new) == expected


def test_translated_fields_follow_the_model_declaration_order():
    assert status.translated_fields(Collective) == ("name", "page_title", "intro", "body")


def test_translation_status_command_prints_the_matrix_and_completion(outdated_njr):
    out = io.StringIO()
    call_command("translation_status", "--language", "en", stdout=out)
    lines = out.getvalue().splitlines()
    description = next(
        line for line in lines if "memberorganization" in line and "description" in line
    )
    assert "[en] 4 complete, 0 missing, 1 outdated, 1 waiting for the source" in description
    assert lines[-1] == "en: 94% complete (17 of 18 fields)"


def test_translation_status_command_refuses_an_unknown_language(db):
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("translation_status", "--language", "xx")
