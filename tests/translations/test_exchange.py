"""Exchanging translations with outside translators: XLIFF and PO export, checked import."""

import dataclasses
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree
from translate.storage import pypo, xliff

from collective.translations import exchange, status
from collective.translations.admin import translate_url
from collective.translations.exchange_views import MAX_UPLOAD_BYTES, SESSION_KEY
from collective.translations.models import TranslationBaseline
from organizations.models import MemberOrganization
from tests.html import visible_text
from tests.quality import CACHE_SHARING, msgfmt_check
from tests.translations.conftest import change_source

ENGLISH = {"accept-language": "en"}
NEW_TEXT = "NJR is the Dutch National Youth Council, for and by young people."


# --- helpers ----------------------------------------------------------------------------------


def description_id(obj):
    return exchange.unit_id(obj, "description")


def with_target(content, unit_id, text):
    """The file as a translator's tool saves it after typing `text` into one unit."""
    if exchange.detect_format(content.decode()) == exchange.XLIFF:
        store = xliff.xlifffile.parsestring(content)
        unit = next(u for u in store.units if u.xmlelement.get("id") == unit_id)
    else:
        store = pypo.pofile.parsestring(content)
        unit = next(u for u in store.units if u.getcontext() == unit_id)
    unit.target = text
    unit.markfuzzy(False)  # a typed translation is no longer marked unfinished
    if isinstance(unit, xliff.xliffunit):
        unit.xmlelement.find(unit.namespaced("target")).set("state", "translated")
    return bytes(store)


def exported(file_format, only=exchange.ALL, language="en"):
    return exchange.serialize(exchange.export_units(language, only), language, file_format)


def edited_export(obj, file_format=exchange.XLIFF, text=NEW_TEXT):
    return with_target(exported(file_format), description_id(obj), text)


def outcome_for(report, unit_id):
    return next(outcome for outcome in report.outcomes if outcome.unit_id == unit_id)


def snapshot():
    """Every translated text and every baseline, to show that nothing changed at all."""
    texts = {
        (model._meta.label, obj.pk, field, code): status.text(obj, field, code)
        for model in status.translated_models()
        for obj in model._default_manager.all()
        for field in status.translated_fields(model)
        for code in status.language_codes()
    }
    baselines = sorted(
        TranslationBaseline.objects.values_list(
            "object_id", "field", "language", "source_fingerprint", "updated_at"
        )
    )
    return texts, baselines


def run_import(path, *options):
    out = StringIO()
    call_command("import_translations", str(path), *options, stdout=out)
    return out.getvalue()


def write(tmp_path, content, name="translations.xlf"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


# --- file contents ----------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_each_unit_carries_its_id_texts_and_parseable_fingerprints(njr, file_format):
    parsed = exchange.read(exported(file_format))
    unit = next(u for u in parsed.units if u.unit_id == description_id(njr))
    assert unit.unit_id == f"organizations.memberorganization.{njr.pk}.description"
    assert (unit.source, unit.target) == (njr.description_nl, njr.description_en)
    assert unit.source_fingerprint == status.fingerprint(njr.description_nl)
    assert unit.target_fingerprint == status.fingerprint(njr.description_en)
    assert parsed.language == "en"


def test_xliff_uses_trans_unit_id_target_language_and_a_note(njr):
    content = exported(exchange.XLIFF).decode()
    assert 'target-language="en"' in content
    assert f'id="{description_id(njr)}"' in content
    fingerprint = status.fingerprint(njr.description_nl)
    assert re.search(rf"<note[^>]*>[^<]*source-fingerprint: {fingerprint}", content)


def test_po_uses_msgctxt_language_header_and_an_extracted_comment(njr):
    content = exported(exchange.PO).decode()
    assert '"Language: en\\n"' in content
    assert f'msgctxt "{description_id(njr)}"' in content
    assert f"#. target-fingerprint: {status.fingerprint(njr.description_en)}" in content


def test_fields_without_source_text_are_not_exported(seeded):
    terre_des_hommes = MemberOrganization.objects.get(slug="terre-des-hommes")
    assert not status.text(terre_des_hommes, "description", status.source_language())
    ids = {unit.unit_id for unit in exchange.export_units("en")}
    assert description_id(terre_des_hommes) not in ids
    assert exchange.unit_id(terre_des_hommes, "name") in ids


# --- commands ---------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_round_trip_export_edit_import_applies_the_translation(njr, tmp_path, file_format):
    path = tmp_path / f"out.{exchange.FORMAT_EXTENSIONS[file_format]}"
    call_command("export_translations", "--language", "en", "--format", file_format, "-o", path)
    path.write_bytes(with_target(path.read_bytes(), description_id(njr), NEW_TEXT))

    output = run_import(path)

    njr.refresh_from_db()
    assert njr.description_en == NEW_TEXT
    assert "applied: 1" in output


def test_only_missing_exports_just_the_missing_units(njr, tmp_path):
    njr.description_en = ""
    njr.save()
    path = tmp_path / "missing.po"
    call_command(
        "export_translations", "--language", "en", "--only", "missing", "--format", "po", "-o", path
    )
    units = exchange.read(path.read_bytes()).units
    assert [unit.unit_id for unit in units] == [description_id(njr)]


def test_only_outdated_exports_just_the_outdated_units(outdated_njr):
    units = exchange.export_units("en", status.OUTDATED)
    assert [unit.unit_id for unit in units] == [description_id(outdated_njr)]


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_an_outdated_unit_tells_the_translator_which_source_it_was_made_from(njr, file_format):
    old_source = njr.description_nl
    change_source(njr, "description", "Een nieuwe Nederlandse tekst.")
    content = exported(file_format, status.OUTDATED)
    (unit,) = exchange.read(content).units
    assert old_source[:60] in content.decode()
    assert unit.source_fingerprint == status.fingerprint("Een nieuwe Nederlandse tekst.")


def test_dry_run_reports_what_would_apply_and_changes_nothing(njr, tmp_path):
    path = write(tmp_path, edited_export(njr))
    before = snapshot()
    output = run_import(path, "--dry-run")
    assert "applied: 1" in output
    assert "Dry run" in output
    assert snapshot() == before


def test_applied_import_records_the_baseline_so_the_translation_is_not_outdated(outdated_njr):
    content = with_target(
        exported(exchange.XLIFF, status.OUTDATED), description_id(outdated_njr), NEW_TEXT
    )
    report = exchange.import_file(content)
    assert report.counts()[exchange.APPLIED] == 1
    outdated_njr.refresh_from_db()
    entry = status.status_for(outdated_njr)[("description", "en")]
    assert entry.state == status.COMPLETE
    assert entry.baseline.source_fingerprint == status.fingerprint(outdated_njr.description_nl)


# --- unit outcomes ----------------------------------------------------------------------------


def test_unknown_model_object_and_field_are_refused_while_the_others_apply(njr):
    real = next(u for u in exchange.export_units("en") if u.unit_id == description_id(njr))
    units = [
        dataclasses.replace(real, target=NEW_TEXT),
        dataclasses.replace(real, unit_id="organizations.memberorganization.999999.description"),
        dataclasses.replace(real, unit_id=f"organizations.memberorganization.{njr.pk}.slug"),
        dataclasses.replace(real, unit_id="nosuchapp.nosuchmodel.1.name"),
    ]
    report = exchange.import_file(exchange.serialize(units, "en", exchange.PO))

    reasons = {outcome.unit_id: (outcome.kind, outcome.reason) for outcome in report.outcomes}
    assert reasons == {
        description_id(njr): (exchange.APPLIED, exchange.UPDATED_TRANSLATION),
        units[1].unit_id: (exchange.REFUSED, exchange.UNKNOWN_OBJECT),
        units[2].unit_id: (exchange.REFUSED, exchange.UNKNOWN_FIELD),
        units[3].unit_id: (exchange.REFUSED, exchange.UNKNOWN_MODEL),
    }
    njr.refresh_from_db()
    assert njr.description_en == NEW_TEXT


@pytest.mark.parametrize("pk", ["99999999999999999999999999", "-99999999999999999999999999"])
def test_an_object_number_past_what_the_database_holds_is_an_unknown_object(njr, pk):
    real = next(u for u in exchange.export_units("en") if u.unit_id == description_id(njr))
    unit = dataclasses.replace(
        real, unit_id=f"organizations.memberorganization.{pk}.description", target=NEW_TEXT
    )
    report = exchange.import_file(exchange.serialize([unit], "en", exchange.XLIFF))
    assert outcome_for(report, unit.unit_id).reason == exchange.UNKNOWN_OBJECT


def test_refused_units_are_listed_with_the_reason_by_the_command(njr, tmp_path):
    real = next(u for u in exchange.export_units("en") if u.unit_id == description_id(njr))
    missing = dataclasses.replace(
        real, unit_id="organizations.memberorganization.999999.description", target="x"
    )
    path = write(tmp_path, exchange.serialize([missing], "en", exchange.XLIFF))
    output = run_import(path)
    assert "refused: 1" in output
    assert f"{missing.unit_id}: unknown object" in output


def test_source_changed_since_export_is_a_conflict_and_not_applied(njr):
    content = edited_export(njr, exchange.PO)
    english_before = njr.description_en
    change_source(njr, "description", "Een nieuwe Nederlandse tekst.")

    report = exchange.import_file(content)

    outcome = outcome_for(report, description_id(njr))
    assert (outcome.kind, outcome.reason) == (exchange.CONFLICT, exchange.SOURCE_CHANGED)
    assert outcome.current_source == "Een nieuwe Nederlandse tekst."
    njr.refresh_from_db()
    assert njr.description_en == english_before


def test_translation_edited_after_export_is_a_conflict_and_not_applied(njr):
    content = edited_export(njr, exchange.XLIFF)
    njr.description_en = "Edited in the admin after the export."
    njr.save()

    report = exchange.import_file(content)

    outcome = outcome_for(report, description_id(njr))
    assert (outcome.kind, outcome.reason) == (exchange.CONFLICT, exchange.TRANSLATION_CHANGED)
    njr.refresh_from_db()
    assert njr.description_en == "Edited in the admin after the export."


def test_a_unit_left_as_exported_is_skipped_when_its_translation_was_edited_since(njr):
    content = exported(exchange.XLIFF)
    njr.description_en = "Edited in the admin after the export."
    njr.save()
    before = snapshot()

    report = exchange.import_file(content)

    outcome = outcome_for(report, description_id(njr))
    assert (outcome.kind, outcome.reason) == (exchange.SKIPPED, exchange.NOT_EDITED)
    assert report.counts()[exchange.CONFLICT] == 0
    assert snapshot() == before


def test_a_translation_equal_to_the_current_one_is_skipped_as_unchanged(njr):
    report = exchange.import_file(exported(exchange.XLIFF))
    assert report.counts()[exchange.APPLIED] == 0
    assert outcome_for(report, description_id(njr)).reason == exchange.UNCHANGED


def test_an_empty_target_is_skipped_and_keeps_the_current_translation(njr):
    english = njr.description_en
    report = exchange.import_file(edited_export(njr, exchange.PO, text=""))
    assert outcome_for(report, description_id(njr)).reason == exchange.EMPTY_TARGET
    njr.refresh_from_db()
    assert njr.description_en == english


def test_a_fuzzy_po_entry_is_skipped(njr):
    store = pypo.pofile.parsestring(edited_export(njr, exchange.PO))
    next(u for u in store.units if u.getcontext() == description_id(njr)).markfuzzy()
    report = exchange.import_file(bytes(store))
    assert outcome_for(report, description_id(njr)).reason == exchange.FUZZY


def test_the_command_names_units_skipped_as_unfinished(njr, tmp_path):
    store = pypo.pofile.parsestring(edited_export(njr, exchange.PO))
    next(u for u in store.units if u.getcontext() == description_id(njr)).markfuzzy()
    output = run_import(write(tmp_path, bytes(store), name="vertaling.po"))
    reason = "still marked as unfinished (fuzzy or to be reviewed)"
    assert f"skipped   {description_id(njr)}: {reason}" in output


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("needs-review-translation", exchange.FUZZY),
        ("needs-translation", exchange.FUZZY),
        ("new", exchange.FUZZY),  # not yet translated: often the source, copied by the tool
        ("translated", exchange.UPDATED_TRANSLATION),
        (None, exchange.UPDATED_TRANSLATION),
    ],
)
def test_an_xliff_unit_marked_unfinished_is_skipped_like_a_fuzzy_po_entry(njr, state, reason):
    store = xliff.xlifffile.parsestring(edited_export(njr))
    unit = next(u for u in store.units if u.xmlelement.get("id") == description_id(njr))
    target = next(child for child in unit.xmlelement if child.tag.endswith("target"))
    if state:
        target.set("state", state)
    report = exchange.import_file(bytes(store))
    assert outcome_for(report, description_id(njr)).reason == reason


def with_xliff_target(content, unit_id, markup):
    """The file as a tool saves it whose target holds `markup`: text and inline elements."""
    store = xliff.xlifffile.parsestring(content)
    unit = next(u for u in store.units if u.xmlelement.get("id") == unit_id)
    unit.target = "placeholder"
    target = next(child for child in unit.xmlelement if child.tag.endswith("target"))
    namespace = target.tag.rpartition("}")[0] + "}"
    fragment = etree.fromstring(f'<target xmlns="{namespace[1:-1]}">{markup}</target>')
    target.text, target[:] = fragment.text, list(fragment)
    target.set("state", "translated")
    return bytes(store)


@pytest.mark.parametrize(
    ("markup", "codes"),
    [
        (
            "NJR is the <bpt id='1'>&lt;b&gt;</bpt>Youth Council<ept id='1'>&lt;/b&gt;</ept>.",
            "<bpt>, <ept>",
        ),
        ("NJR is the <it id='1' pos='open'>&lt;i&gt;</it>Youth Council.", "<it>"),
        ("NJR is the Youth Council <ph id='1'>&lt;br/&gt;</ph>of the country.", "<ph>"),
    ],
)
def test_an_xliff_target_with_a_tools_inline_codes_is_refused_not_stored_as_text(
    njr, markup, codes
):
    before = snapshot()
    content = with_xliff_target(exported(exchange.XLIFF), description_id(njr), markup)

    report = exchange.import_file(content)

    outcome = outcome_for(report, description_id(njr))
    assert (outcome.kind, outcome.reason, outcome.detail) == (
        exchange.REFUSED,
        exchange.INLINE_CODES,
        codes,
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("tag", "kind"),
    [("de", exchange.REFUSED), ("nl", exchange.REFUSED), ("en-GB", exchange.APPLIED)],
)
def test_an_xliff_target_saying_it_is_in_another_language_is_refused(njr, tag, kind):
    store = xliff.xlifffile.parsestring(edited_export(njr))
    unit = next(u for u in store.units if u.xmlelement.get("id") == description_id(njr))
    target = next(child for child in unit.xmlelement if child.tag.endswith("target"))
    target.set("{http://www.w3.org/XML/1998/namespace}lang", tag)

    outcome = outcome_for(exchange.import_file(bytes(store)), description_id(njr))

    assert outcome.kind == kind
    if kind == exchange.REFUSED:
        assert outcome.reason == exchange.WRONG_LANGUAGE
        assert f"({tag})" in outcome.detail


def test_inline_elements_that_only_wrap_or_mark_text_keep_the_text(njr):
    markup = "NJR is the <g id='1'>Youth Council</g><x id='2'/> <mrk mtype='term'>here</mrk>."
    content = with_xliff_target(exported(exchange.XLIFF), description_id(njr), markup)

    exchange.import_file(content)

    njr.refresh_from_db()
    assert njr.description_en == "NJR is the Youth Council here."


def reviewed(content, unit_id):
    """The file after the translator accepted one unit as it is, in the tool."""
    if exchange.detect_format(content.decode()) == exchange.XLIFF:
        store = xliff.xlifffile.parsestring(content)
        unit = next(u for u in store.units if u.xmlelement.get("id") == unit_id)
        unit.xmlelement.find(unit.namespaced("target")).set("state", "translated")
    else:
        store = pypo.pofile.parsestring(content)
        next(u for u in store.units if u.getcontext() == unit_id).markfuzzy(False)
    return bytes(store)


def test_an_outdated_xliff_unit_goes_out_to_review_not_approved(outdated_njr, seeded):
    store = xliff.xlifffile.parsestring(exported(exchange.XLIFF))
    units = {unit.xmlelement.get("id"): unit for unit in store.units}
    outdated = units.pop(description_id(outdated_njr))
    assert outdated.xmlelement.get("approved") != "yes"
    assert outdated.xmlelement.find(outdated.namespaced("target")).get("state") == (
        "needs-review-translation"
    )
    assert {unit.xmlelement.get("approved") for unit in units.values() if unit.target} == {"yes"}


def test_an_outdated_po_entry_goes_out_fuzzy_with_its_previous_source(outdated_njr):
    old_source = outdated_njr.history.last().description_nl
    store = pypo.pofile.parsestring(exported(exchange.PO))
    units = {unit.getcontext(): unit for unit in store.units if not unit.isheader()}
    outdated = units.pop(description_id(outdated_njr))
    assert outdated.isfuzzy()
    assert outdated.prev_source == old_source
    assert not [unit for unit in units.values() if unit.isfuzzy()]


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_an_outdated_unit_sent_back_unreviewed_stays_outdated(outdated_njr, file_format):
    report = exchange.import_file(exported(file_format, status.OUTDATED))
    assert outcome_for(report, description_id(outdated_njr)).reason == exchange.FUZZY
    entry = status.status_for(outdated_njr)[("description", "en")]
    assert entry.state == status.OUTDATED


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_an_outdated_unit_accepted_as_it_is_in_the_tool_is_confirmed(outdated_njr, file_format):
    english = outdated_njr.description_en
    content = reviewed(exported(file_format, status.OUTDATED), description_id(outdated_njr))
    preview = exchange.import_file(content, dry_run=True)
    assert outcome_for(preview, description_id(outdated_njr)).kind == exchange.APPLIED
    assert status.status_for(outdated_njr)[("description", "en")].state == status.OUTDATED
    report = exchange.import_file(content)
    outcome = outcome_for(report, description_id(outdated_njr))
    assert (outcome.kind, outcome.reason) == (exchange.APPLIED, exchange.CONFIRMED)
    outdated_njr.refresh_from_db()
    assert outdated_njr.description_en == english
    assert status.status_for(outdated_njr)[("description", "en")].state == status.COMPLETE


def test_a_confirmation_for_an_older_source_confirms_nothing(outdated_njr):
    content = reviewed(exported(exchange.PO, status.OUTDATED), description_id(outdated_njr))
    change_source(outdated_njr, "description", "Weer een andere Nederlandse tekst.")
    report = exchange.import_file(content)
    assert outcome_for(report, description_id(outdated_njr)).kind != exchange.APPLIED
    assert status.status_for(outdated_njr)[("description", "en")].state == status.OUTDATED


def unit_is_marked(content, unit_id):
    """Whether a unit of an export goes out marked for review (fuzzy, or a needs-… state)."""
    parsed = exchange.read(content)
    return next(unit for unit in parsed.units if unit.unit_id == unit_id).fuzzy


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_a_translation_made_before_its_source_text_goes_out_to_review(njr, file_format):
    """English written while the Dutch was empty is outdated once the Dutch is written: it
    goes out marked like any outdated translation, not as finished work."""
    njr.description_nl, njr.description_en = "", "Written before the Dutch."
    njr.save()
    change_source(njr, "description", "Nu ook een Nederlandse tekst.")
    assert status.status_for(njr)[("description", "en")].state == status.OUTDATED
    content = exported(file_format, status.OUTDATED)
    assert unit_is_marked(content, description_id(njr))
    assert "made before there was a source text" in content.decode()
    assert "made from this source text" not in content.decode()

    report = exchange.import_file(content)
    assert outcome_for(report, description_id(njr)).reason == exchange.FUZZY
    assert status.status_for(njr)[("description", "en")].state == status.OUTDATED


@pytest.mark.parametrize("dutch_before", ["", "Eerst dit."])
def test_an_outdated_po_entry_passes_gettexts_checks(njr, tmp_path, dutch_before):
    """With its previous source text, or without one where the English came before the Dutch."""
    njr.description_nl, njr.description_en = dutch_before, "Some English."
    njr.save()
    change_source(njr, "description", "Nu ook een Nederlandse tekst.")
    content = exported(exchange.PO, status.OUTDATED)
    assert unit_is_marked(content, description_id(njr))
    assert msgfmt_check(write(tmp_path, content, "outdated.po")) == (0, "")


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_a_file_exported_before_outdated_units_were_marked_confirms_nothing(
    outdated_njr, file_format
):
    """Such a file sent outdated units as finished work: back unchanged, nobody reviewed them."""
    content = reviewed(exported(file_format, status.OUTDATED), description_id(outdated_njr))
    content = re.sub(rb"baseline-fingerprint: *[0-9a-f]{64}\n?", b"", content)
    report = exchange.import_file(content)
    outcome = outcome_for(report, description_id(outdated_njr))
    assert (outcome.kind, outcome.reason) == (exchange.SKIPPED, exchange.UNCHANGED)
    assert status.status_for(outdated_njr)[("description", "en")].state == status.OUTDATED


def test_a_unit_the_toolkit_marks_fuzzy_is_skipped(njr):
    store = xliff.xlifffile.parsestring(edited_export(njr))
    next(u for u in store.units if u.xmlelement.get("id") == description_id(njr)).markfuzzy()
    report = exchange.import_file(bytes(store))
    assert outcome_for(report, description_id(njr)).reason == exchange.FUZZY


def test_a_unit_for_a_field_without_source_text_is_refused(seeded):
    terre = MemberOrganization.objects.get(slug="terre-des-hommes")
    name = next(
        u for u in exchange.export_units("en") if u.unit_id == exchange.unit_id(terre, "name")
    )
    crafted = dataclasses.replace(
        name,
        unit_id=description_id(terre),
        source="",
        target="Invented.",
        source_fingerprint=status.fingerprint(""),
        target_fingerprint=status.fingerprint(""),
    )
    report = exchange.import_file(exchange.serialize([crafted], "en", exchange.XLIFF))
    assert outcome_for(report, description_id(terre)).reason == exchange.NO_SOURCE_TEXT
    terre.refresh_from_db()
    assert not terre.description_en


def test_a_text_too_long_for_its_field_is_refused(njr):
    name_id = exchange.unit_id(njr, "name")
    content = with_target(exported(exchange.XLIFF), name_id, "N" * 201)
    report = exchange.import_file(content)
    assert outcome_for(report, name_id).reason == exchange.INVALID_TEXT


# --- malformed files --------------------------------------------------------------------------


def truncated_xml(njr):
    return edited_export(njr, exchange.XLIFF)[:-40]


def po_with_garbage(njr):
    return edited_export(njr, exchange.PO) + b"\nthis line is not PO syntax\n"


def xml_with_entities(njr):
    content = edited_export(njr, exchange.XLIFF)
    bomb = b'<!DOCTYPE xliff [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    return content.replace(b"?>", b"?>" + bomb, 1).replace(b"<source>", b"<source>&lol2;", 1)


def xml_with_external_doctype(njr):
    doctype = b'<!DOCTYPE xliff SYSTEM "file:///etc/passwd">'
    return edited_export(njr, exchange.XLIFF).replace(b"?>", b"?>" + doctype, 1)


def invalid_utf8(njr):
    return edited_export(njr, exchange.XLIFF, text="Caf\u00e9").replace(b"\xc3\xa9", b"\xe9")


def wrong_language(njr):
    return edited_export(njr, exchange.XLIFF).replace(
        b'target-language="en"', b'target-language="nl"'
    )


def po_without_ids(njr):
    content = edited_export(njr, exchange.PO)
    return re.sub(rb'msgctxt "[^"]*"\n', b"", content)


MALFORMED = {
    "malformed XML": (truncated_xml, "not well-formed XML"),
    "PO with garbage": (po_with_garbage, "not a valid PO file"),
    "XML with DOCTYPE and ENTITY": (xml_with_entities, "DOCTYPE declaration"),
    "XML with external DOCTYPE": (xml_with_external_doctype, "DOCTYPE declaration"),
    "invalid UTF-8": (invalid_utf8, "not valid UTF-8"),
    "language that is not a target": (wrong_language, "not a language translated here"),
    "PO without ids": (
        po_without_ids,
        "has no id, so it cannot be matched to a text here. The id is",
    ),
}


@pytest.mark.parametrize(("make", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_file_gives_one_clear_error_and_changes_nothing(njr, tmp_path, make, message):
    path = write(tmp_path, make(njr))
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run_import(path)
    assert snapshot() == before


def saved_as(content, encoding, declared=None):
    """The file as a tool saves it in another character set, declaring it as the format does."""
    text = content.decode()
    if declared:
        text = text.replace('encoding="UTF-8"', f'encoding="{declared}"', 1)
        text = text.replace("charset=UTF-8", f"charset={declared}", 1)
    return text.encode(encoding)


@pytest.mark.parametrize("file_format", exchange.FORMATS)
@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("cp1252", "windows-1252"), ("cp1252", "CP1252"), ("utf-16", None)],
)
def test_a_file_in_the_character_set_it_declares_is_read_as_such(
    njr, file_format, encoding, declared
):
    text = "Café “De Jonge Raad” — 2019"
    content = saved_as(edited_export(njr, file_format, text=text), encoding, declared)
    report = exchange.import_file(content)
    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == text


@pytest.mark.parametrize("file_format", exchange.FORMATS)
@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ("x-no-such-charset", "declares the character set x-no-such-charset, which cannot be read"),
        ("UTF-7", "declares the character set UTF-7, which cannot be read"),
    ],
)
def test_a_file_declaring_an_unreadable_character_set_is_refused(
    njr, file_format, declared, message
):
    content = saved_as(edited_export(njr, file_format), "utf-8", declared)
    before = snapshot()
    with translation.override("en"), pytest.raises(exchange.ExchangeError, match=message):
        exchange.import_file(content)
    assert snapshot() == before


def test_a_file_not_in_the_character_set_it_declares_is_refused(njr):
    content = saved_as(edited_export(njr, exchange.PO, text="Café"), "cp1252", "CP1252")
    content = content.replace("Café".encode("cp1252"), b"Caf\x81")  # no character in CP1252
    with translation.override("en"), pytest.raises(exchange.ExchangeError) as error:
        exchange.import_file(content)
    assert "not valid cp1252 text, which it says it is" in str(error.value)


def test_a_file_not_in_its_declared_character_set_is_refused_in_plain_dutch(njr):
    """Not "no valid text, as it says itself", which reads as if the file said so."""
    content = saved_as(edited_export(njr, exchange.PO, text="Café"), "cp1252", "CP1252")
    content = content.replace("Café".encode("cp1252"), b"Caf\x81")
    with translation.override("nl"), pytest.raises(exchange.ExchangeError) as error:
        exchange.import_file(content)
    assert "Het bestand geeft op dat het cp1252-tekst is, maar dat is het niet" in str(error.value)


def test_the_admin_previews_and_applies_a_windows_1252_upload(admin_client, njr):
    content = saved_as(edited_export(njr, exchange.PO, text="Café"), "cp1252", "CP1252")
    url = reverse("translations:import")
    preview = admin_client.post(url, {"file": SimpleUploadedFile("vertaling.po", content)})
    assert preview.status_code == 200
    response = admin_client.post(url, {"apply": "1", "digest": preview.context["digest"]})
    assert response.status_code == 302
    njr.refresh_from_db()
    assert njr.description_en == "Café"


def with_po_line(content, old, new):
    """A PO file with the line `old` written as `new`, and that line's number."""
    lines = content.decode().split("\n")
    number = lines.index(old) + 1
    lines[number - 1] = new
    return "\n".join(lines).encode(), number


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            'msgstr "Def"ence for Children"',
            "must be one text in double quotes, after a keyword such as msgstr or on its own, "
            "with nothing after it",
        ),
        (
            'msgstr "Defence for Children." trailing garbage',
            "must be one text in double quotes, after a keyword such as msgstr or on its own, "
            "with nothing after it",
        ),
        (
            r'msgstr "Defence for \qChildren"',
            r"contains \q, which is not a valid escape sequence (a backslash itself is written "
            r"as \\)",
        ),
        (r'msgstr "Defence\0 for Children"', r"contains \0, which is not a valid escape"),
        (r'msgstr "Defence \x41BC"', r"contains \x41BC, which is not a valid escape"),
        (r'msgstr "D\351fence"', r"contains \351, which is not a valid escape"),
    ],
    ids=["quote-inside", "text-after-the-quote", "unknown-escape", "nul", "long-hex", "latin-1"],
)
def test_a_po_line_gettext_refuses_is_named_and_the_file_refused(njr, tmp_path, line, problem):
    exported_line = 'msgstr "Defence for Children"'
    content, number = with_po_line(
        edited_export(njr, exchange.PO, text="Defence for Children"), exported_line, line
    )
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path, content, name="vertaling.po"))
    assert f"The file is not a valid PO file: line {number} {problem}" in str(error.value)
    assert f"“{line}”" in str(error.value)
    assert snapshot() == before


def test_the_admin_names_the_faulty_po_line_in_dutch(admin_client, njr):
    content, number = with_po_line(
        edited_export(njr, exchange.PO, text="Placeholder"),
        'msgstr "Placeholder"',
        r'msgstr "C:\Users\vertaler"',
    )
    response = admin_client.post(
        reverse("translations:import"),
        {"file": SimpleUploadedFile("vertaling.po", content)},
        headers={"accept-language": "nl"},
    )
    assert response.status_code == 400
    assert (
        f"Het bestand is geen geldig PO-bestand: regel {number} bevat \\U, wat geen geldige "
        "escapereeks is (een backslash zelf wordt geschreven als \\\\): "
        '“msgstr "C:\\Users\\vertaler"”.'
    ) in visible_text(response)


def test_a_long_po_line_is_shown_in_part_around_the_fault(njr):
    broken = "A" * 40 + ' Def"ence for Children ' + "B" * 40
    content, _number = with_po_line(
        edited_export(njr, exchange.PO, text="Placeholder"),
        'msgstr "Placeholder"',
        f'msgstr "{broken}"',
    )
    with translation.override("en"), pytest.raises(exchange.ExchangeError) as error:
        exchange.read(content)
    excerpt = re.search("“(.*)”", str(error.value)).group(1)
    assert excerpt.startswith("…AAA")
    assert excerpt.endswith("BBB…")
    assert 'Def"ence' in excerpt
    assert len(excerpt) == 60 + 2


def test_the_escapes_of_c_strings_are_read_as_gettext_reads_them(njr):
    written = r'msgstr "Caf\303\251 \x41\101 \'quoted\' \"too\" a\\b tab\tend\?"'
    content, _number = with_po_line(
        edited_export(njr, exchange.PO, text="Placeholder"), 'msgstr "Placeholder"', written
    )
    exchange.import_file(content)
    njr.refresh_from_db()
    assert njr.description_en == "Café AA 'quoted' \"too\" a\\b tab\tend?"


def test_texts_the_toolkit_escapes_on_export_come_back_as_they_were(njr):
    text = 'He said "hi" \\ C:\\path\ttab, a long line that the export wraps ' * 3 + "\n\nEnd."
    report = exchange.import_file(edited_export(njr, exchange.PO, text=text))
    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == text


def test_a_po_file_with_windows_line_endings_is_read(njr):
    content = edited_export(njr, exchange.PO).replace(b"\n", b"\r\n")
    report = exchange.import_file(content)
    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == NEW_TEXT


def test_duplicate_ids_make_the_file_malformed(njr):
    real = next(u for u in exchange.export_units("en") if u.unit_id == description_id(njr))
    content = exchange.serialize([real, real], "en", exchange.XLIFF)
    with translation.override("en"), pytest.raises(exchange.ExchangeError, match="more than once"):
        exchange.read(content)


def respelled(unit_id, model=str, pk=str):
    """The same text's id written differently: `model` and `pk` rewrite those parts."""
    app_label, model_name, pk_text, field_name = unit_id.split(".")
    return ".".join([app_label, model(model_name), pk(pk_text), field_name])


@pytest.mark.parametrize(
    "spell",
    [
        lambda unit_id: respelled(unit_id, model=lambda name: name.replace("member", "Member")),
        lambda unit_id: respelled(unit_id, pk=lambda pk: "0" + pk),
    ],
    ids=["model-in-capitals", "pk-with-a-leading-zero"],
)
def test_two_ids_naming_the_same_text_make_the_file_malformed(njr, spell):
    real = next(u for u in exchange.export_units("en") if u.unit_id == description_id(njr))
    other = dataclasses.replace(real, unit_id=spell(real.unit_id), target="Other.")
    content = exchange.serialize([real, other], "en", exchange.XLIFF)
    with translation.override("en"), pytest.raises(exchange.ExchangeError, match="same text"):
        exchange.read(content)


def test_ids_spelled_differently_for_one_object_are_all_applied(njr):
    units = {u.unit_id: u for u in exchange.export_units("en", exchange.ALL)}
    name = units[exchange.unit_id(njr, "name")]
    description = units[description_id(njr)]
    content = exchange.serialize(
        [
            dataclasses.replace(name, target="NJR (youth council)"),
            dataclasses.replace(
                description,
                unit_id=respelled(description.unit_id, model=str.upper),
                target=NEW_TEXT,
            ),
        ],
        "en",
        exchange.XLIFF,
    )
    report = exchange.import_file(content)
    assert report.counts()["applied"] == 2
    njr.refresh_from_db()
    assert (njr.name_en, njr.description_en) == ("NJR (youth council)", NEW_TEXT)


# --- admin ------------------------------------------------------------------------------------


EXPORT = {"language": "en", "only": "missing", "format": "xliff"}


def test_admin_export_downloads_the_file_for_a_superuser(admin_client, njr):
    njr.description_en = ""
    njr.save()
    response = admin_client.get(reverse("translations:export"), EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kinderrechten-en-missing.xlf"'
    units = exchange.read(response.content).units
    assert [unit.unit_id for unit in units] == [description_id(njr)]


def test_admin_export_of_nothing_says_so_instead_of_sending_an_empty_file(admin_client, seeded):
    response = admin_client.get(
        reverse("translations:export"), EXPORT, headers={"accept-language": "nl"}
    )
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "Niets te exporteren: er zijn geen ontbrekende vertalingen in het Engels." in (
        visible_text(response)
    )


def test_admin_export_shows_the_form_without_parameters(translator_client, seeded):
    response = translator_client.get(reverse("translations:export"), headers=ENGLISH)
    assert response.status_code == 200
    assert b'name="language"' in response.content


def test_admin_export_refuses_an_unknown_language_with_400(admin_client, seeded):
    response = admin_client.get(reverse("translations:export"), {**EXPORT, "language": "nl"})
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["export", "import"])
def test_admin_exchange_is_forbidden_without_the_translate_permission(client, seeded, name):
    user = User.objects.create_user("medewerker", password="a-long-test-password", is_staff=True)
    client.force_login(user)
    response = client.get(reverse(f"translations:{name}"), EXPORT)
    assert response.status_code == 403


def upload(client, content, name="vertaling.xlf"):
    return client.post(
        reverse("translations:import"),
        {"file": SimpleUploadedFile(name, content)},
        headers=ENGLISH,
    )


def apply(client, digest):
    return client.post(
        reverse("translations:import"), {"apply": "1", "digest": digest}, headers=ENGLISH
    )


def test_admin_import_preview_changes_nothing_until_apply(admin_client, njr):
    before = snapshot()
    response = upload(admin_client, edited_export(njr))
    assert response.status_code == 200
    assert response.context["report"].counts()[exchange.APPLIED] == 1
    assert NEW_TEXT in response.content.decode()
    assert b'name="apply"' in response.content
    assert snapshot() == before


def test_admin_apply_changes_the_texts_and_reports_the_counts(admin_client, njr):
    preview = upload(admin_client, edited_export(njr, exchange.PO), name="vertaling.po")
    response = apply(admin_client, preview.context["digest"])
    assert response.status_code == 302
    njr.refresh_from_db()
    assert njr.description_en == NEW_TEXT
    assert SESSION_KEY not in admin_client.session
    page = admin_client.get(response.url, headers=ENGLISH)
    assert "applied: 1" in page.content.decode()


def test_admin_apply_checks_again_against_the_database(admin_client, njr):
    preview = upload(admin_client, edited_export(njr))
    njr.description_en = "Edited between preview and apply."
    njr.save()
    response = apply(admin_client, preview.context["digest"])
    assert response.status_code == 302
    njr.refresh_from_db()
    assert njr.description_en == "Edited between preview and apply."
    page = admin_client.get(response.url, headers=ENGLISH)
    assert "conflicts: 1" in page.content.decode()


def test_the_preview_shows_what_changed_in_a_source_and_where_to_resolve_it(admin_client, njr):
    content = edited_export(njr)
    change_source(njr, "description", njr.description_nl + " Sinds 2024 ook de Jeugdtop.")

    response = upload(admin_client, content)

    html = response.content.decode()
    assert "<ins> Sinds 2024 ook de Jeugdtop.</ins>" in html, "the change, not two whole texts"
    conflicts = html[html.index('id="outcome-conflict"') :]
    translator = translate_url(njr, "en")
    assert f'href="{translator}"' in conflicts
    assert "Open in the translator view" in visible_text(response)


def test_the_preview_names_refused_units_once_and_by_what_it_knows_of_them(admin_client, njr):
    real = next(u for u in exchange.export_units("en") if u.unit_id == description_id(njr))
    unknown_field = dataclasses.replace(
        real, unit_id=f"organizations.memberorganization.{njr.pk}.slug", target="x"
    )
    unknown_object = dataclasses.replace(
        real, unit_id="organizations.memberorganization.999999.description", target="x"
    )
    content = exchange.serialize([unknown_field, unknown_object], "en", exchange.XLIFF)

    response = upload(admin_client, content)

    cells = re.findall(r'<th scope="row">(.*?)</th>', response.content.decode(), re.S)
    headers = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
    assert sorted(headers) == [
        f"Member organization “NJR” {unknown_field.unit_id}",
        unknown_object.unit_id,
    ]


def test_each_group_of_the_preview_is_headed_with_its_number_of_units(admin_client, njr):
    response = upload(admin_client, edited_export(njr))

    counts = response.context["report"].counts()
    headings = re.findall(r'<h2 id="outcome-(\w+)">.*?\((\d+)\)</h2>', response.content.decode())
    assert headings, "the preview has headed groups"
    assert {kind: int(number) for kind, number in headings} == {
        kind: count for kind, count in counts.items() if count
    }


def test_the_preview_links_no_unit_that_applies_to_the_translator_view(admin_client, njr):
    response = upload(admin_client, edited_export(njr))
    assert "Open in the translator view" not in visible_text(response)


def test_admin_apply_refuses_a_preview_that_is_not_in_the_session(admin_client, njr):
    upload(admin_client, edited_export(njr))
    before = snapshot()
    response = apply(admin_client, "0" * 64)
    assert response.status_code == 400
    assert b"Upload again" in response.content
    assert snapshot() == before


def test_admin_refuses_an_oversize_upload_with_a_message(admin_client, seeded):
    response = upload(admin_client, b" " * (MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 400
    assert "at most 2.0\xa0MB" in response.content.decode()


@pytest.mark.parametrize(("make", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_admin_malformed_upload_shows_the_form_again_with_the_message(
    admin_client, njr, make, message
):
    before = snapshot()
    response = upload(admin_client, make(njr))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert b'type="file"' in response.content
    assert snapshot() == before


def upload_in_dutch(client, content, name):
    return client.post(
        reverse("translations:import"),
        {"file": SimpleUploadedFile(name, content)},
        headers={"accept-language": "nl"},
    )


def test_malformed_xml_is_located_in_the_admins_language(admin_client, njr):
    content = edited_export(njr, text="Defence&nbsp;for Children")
    content = content.replace(b"Defence&amp;nbsp;", b"Defence&nbsp;")
    lines = content.decode().split("\n")
    line = next(number for number, text in enumerate(lines, 1) if "&nbsp;" in text)
    column = lines[line - 1].index("&nbsp;") + 1

    response = upload_in_dutch(admin_client, content, "vertaling.xlf")

    assert response.status_code == 400
    text = visible_text(response)
    assert f"Het bestand is geen goedgevormde XML (regel {line}, kolom {column})." in text
    assert "undefined entity" not in text


def test_the_command_locates_malformed_xml_without_the_parsers_words(njr, tmp_path):
    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path, b'<?xml version="1.0"?>\n<xliff>\n  <file>\n'))
    assert "The file is not well-formed XML (line 4, column 1). Nothing was changed." in str(
        error.value
    )


def test_a_po_file_the_toolkit_cannot_read_is_located_in_the_admins_language(admin_client, njr):
    content = edited_export(njr, exchange.PO) + b'\nmsgid "A second msgid"\nmsgid "x"\n'
    number = content.decode().split("\n").index('msgid "x"') + 1

    response = upload_in_dutch(admin_client, content, "vertaling.po")

    assert response.status_code == 400
    text = visible_text(response)
    assert f"Het bestand is geen geldig PO-bestand: het lezen stopte bij regel {number}." in text
    assert "Syntax error" not in text


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            etree.XMLSyntaxError("Huge input lookup", 1, 12, 34),
            "Het bestand is geen geldig XLIFF 1.x-bestand (regel 12, kolom 34).",
        ),
        (ValueError("unsupported xliff version"), "Het bestand is geen geldig XLIFF 1.x-bestand."),
    ],
    ids=["located", "not-located"],
)
def test_the_toolkits_xliff_errors_are_not_shown_in_its_words(njr, monkeypatch, error, message):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(exchange._PreservingFile, "parsestring", fail)
    with translation.override("nl"), pytest.raises(exchange.ExchangeError) as raised:
        exchange.read(edited_export(njr))
    assert str(raised.value) == message


def test_a_doctype_hidden_from_the_first_check_is_still_refused_by_defusedxml(njr):
    from collective.translations.exchange import _parse_xml_root

    sneaky = '<?xml version="1.0"?>\n<!-- x --><!DOCTYPE\txliff [<!ENTITY a "b">]><xliff/>'
    with translation.override("en"), pytest.raises(exchange.ExchangeError, match="DOCTYPE"):
        _parse_xml_root(sneaky)


# --- files as translation tools return them -----------------------------------------------------

TWO_PARAGRAPHS = "First paragraph of the translation.\n\nSecond paragraph."


def without_preserved_space(content):
    """The file as a tool saves it that drops xml:space and joins each note onto one line."""
    text = content.decode().replace(' xml:space="preserve"', "")
    text = re.sub(r"<note([^>]*)>(.*?)</note>", _one_line_note, text, flags=re.DOTALL)
    return text.encode()


def _one_line_note(match):
    return f"<note{match.group(1)}>{' '.join(match.group(2).split())}</note>"


def test_an_xliff_file_without_xml_space_keeps_fingerprints_and_paragraphs(njr):
    content = without_preserved_space(edited_export(njr, text=TWO_PARAGRAPHS))
    assert b"xml:space" not in content
    assert b"\n" not in re.search(rb"<note[^>]*>.*?</note>", content, flags=re.DOTALL).group()

    report = exchange.import_file(content)

    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == TWO_PARAGRAPHS


def pretty_printed(content):
    """The file as a tool saves it that puts each target, indented, on lines of its own."""
    return re.sub(
        rb"(<target[^>]*>)(.*?)(</target>)",
        rb"\1\n          \2\n        \3",
        without_preserved_space(content),
        flags=re.DOTALL,
    )


def test_white_space_around_an_xliff_target_is_not_part_of_the_translation(njr):
    content = pretty_printed(edited_export(njr, text=TWO_PARAGRAPHS))
    assert f">\n          {TWO_PARAGRAPHS}\n        </target>".encode() in content

    report = exchange.import_file(content)

    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == TWO_PARAGRAPHS


def test_the_indentation_of_a_pretty_printed_xliff_target_is_not_kept(njr):
    def indented(match):
        lines = match.group(2).split(b"\n")
        return match.group(1) + b"\n          ".join(lines) + match.group(3)

    content = re.sub(
        rb"(<target[^>]*>)(.*?)(</target>)",
        indented,
        pretty_printed(edited_export(njr, text=TWO_PARAGRAPHS)),
        flags=re.DOTALL,
    )
    exchange.import_file(content)
    njr.refresh_from_db()
    assert njr.description_en == TWO_PARAGRAPHS


def test_a_target_that_asks_for_its_spaces_keeps_them_inside(njr):
    text = "Eerste regel.\n   ingesprongen regel."
    exchange.import_file(edited_export(njr, text=text))
    njr.refresh_from_db()
    assert njr.description_en == text


def test_white_space_around_a_po_target_is_not_part_of_the_translation(njr):
    exchange.import_file(edited_export(njr, exchange.PO, text=f"\n  {TWO_PARAGRAPHS} \t\n"))
    njr.refresh_from_db()
    assert njr.description_en == TWO_PARAGRAPHS


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_a_stored_text_with_white_space_around_it_comes_back_unchanged(njr, file_format):
    MemberOrganization.objects.filter(pk=njr.pk).update(description_en=f"\n{NEW_TEXT}\n")
    content = exported(file_format)
    if file_format == exchange.XLIFF:
        content = pretty_printed(content)

    report = exchange.import_file(content)

    assert outcome_for(report, description_id(njr)).reason == exchange.UNCHANGED
    assert report.counts()[exchange.APPLIED] == 0


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_a_translation_of_a_text_stored_with_white_space_around_it_applies(njr, file_format):
    MemberOrganization.objects.filter(pk=njr.pk).update(description_en=" Old text.\n")
    report = exchange.import_file(edited_export(njr, file_format, text=f" {NEW_TEXT}\n"))
    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == NEW_TEXT


@pytest.mark.parametrize(
    ("file_format", "old", "new"),
    [
        (exchange.PO, b'"Language: en\\n"', b'"Language: en_GB\\n"'),
        (exchange.XLIFF, b'target-language="en"', b'target-language="en-US"'),
        (exchange.XLIFF, b'source-language="nl"', b'source-language="nl-NL"'),
    ],
)
def test_a_regional_language_tag_is_taken_as_the_language(njr, file_format, old, new):
    content = edited_export(njr, file_format)
    assert old in content
    parsed = exchange.read(content.replace(old, new))
    assert parsed.language == "en"


def test_a_wrong_language_is_named_in_the_message(njr):
    content = edited_export(njr).replace(b'target-language="en"', b'target-language="de"')
    with translation.override("en"), pytest.raises(exchange.ExchangeError) as error:
        exchange.read(content)
    assert "The file is in German (de), which is not a language translated here (English)." in (
        str(error.value)
    )


def in_a_second_file(content, unit_id, **attributes):
    """The XLIFF file with one trans-unit moved into a second <file>, its attributes changed.

    An attribute given as None is left out of the second <file>.
    """
    text = content.decode()
    unit = re.search(
        rf'\s*<trans-unit [^>]*id="{re.escape(unit_id)}".*?</trans-unit>', text, re.DOTALL
    ).group()
    text = text.replace(unit, "")
    second = re.search(r"<file [^>]*>", text).group()
    for name, value in attributes.items():
        name = name.replace("_", "-")
        written = f' {name}="{value}"' if value else ""
        second = re.sub(rf' {name}="[^"]*"', written, second)
    return text.replace(
        "</xliff>", f"  {second}\n    <body>{unit}\n    </body>\n  </file>\n</xliff>"
    )


def test_the_units_of_every_file_element_in_an_xliff_file_are_read(njr):
    content = in_a_second_file(edited_export(njr), description_id(njr), target_language="en-GB")
    assert content.count("<file ") == 2
    report = exchange.import_file(content.encode())
    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == NEW_TEXT


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        (
            {"target_language": "de"},
            "The file mixes languages: its parts translate into English (en), German (de). "
            "A file can hold translations into one language only.",
        ),
        (
            {"source_language": "de"},
            "The file translates from German (de), but the texts here are written in Dutch.",
        ),
        (
            {"target_language": None},
            "The file does not say which language it is in (no target-language).",
        ),
    ],
    ids=["target-language", "source-language", "no-target-language"],
)
def test_every_file_element_of_an_xliff_file_must_be_in_the_files_languages(
    njr, tmp_path, attributes, message
):
    content = in_a_second_file(edited_export(njr), description_id(njr), **attributes)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path, content.encode()))
    assert message in str(error.value)
    assert snapshot() == before


def test_a_file_mixing_languages_is_refused_in_dutch_in_the_admin(admin_client, njr):
    content = in_a_second_file(edited_export(njr), description_id(njr), target_language="de")
    response = admin_client.post(
        reverse("translations:import"),
        {"file": SimpleUploadedFile("vertaling.xlf", content.encode())},
        headers={"accept-language": "nl"},
    )
    assert response.status_code == 400
    assert (
        "Het bestand mengt talen: de delen ervan vertalen naar Engels (en), Duits (de). "
        "Een bestand kan alleen vertalingen naar één taal bevatten."
    ) in visible_text(response)


def test_unit_labels_are_in_the_target_language_whoever_exports(outdated_njr):
    with translation.override("nl"):
        content = exported(exchange.XLIFF).decode()
    assert "member organization “NJR”: description" in content
    assert "Outdated: the translation was made from this source text:" in content
    assert "lidorganisatie" not in content


def test_export_to_a_dash_writes_to_standard_output(njr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = StringIO()
    call_command("export_translations", "--language", "en", "-o", "-", stdout=out)
    assert out.getvalue().startswith("<?xml")
    assert not (tmp_path / "-").exists()


def test_a_po_export_is_stamped_in_the_sites_time_zone(njr):
    content = exported(exchange.PO).decode()
    offset = re.escape(timezone.localtime().strftime("%z"))
    assert re.search(rf'"POT-Creation-Date: \d{{4}}-\d\d-\d\d \d\d:\d\d{offset}\\n"', content)


def test_a_po_export_header_has_real_values_instead_of_gettexts_placeholders(njr):
    header = pypo.pofile.parsestring(exported(exchange.PO)).parseheader()
    assert header["PO-Revision-Date"] == header["POT-Creation-Date"]
    assert header["Language-Team"] == "English"
    assert header["Last-Translator"] == ""
    placeholders = ("YEAR", "FULL NAME", "EMAIL@ADDRESS", "LANGUAGE", "LL@li.org", "CHARSET")
    assert not [value for value in header.values() for text in placeholders if text in value]


def test_a_po_export_passes_gettexts_own_check(outdated_njr, tmp_path):
    path = write(tmp_path, exported(exchange.PO), name="translations.po")
    assert msgfmt_check(path) == (0, "")


@CACHE_SHARING
def test_the_command_says_when_running_servers_cannot_see_the_import(
    njr, tmp_path, settings, cache, page_cache_seconds, warned
):
    settings.CACHES = {"default": {"BACKEND": cache}}
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    err = StringIO()
    call_command(
        "import_translations",
        str(write(tmp_path, edited_export(njr))),
        stdout=StringIO(),
        stderr=err,
    )
    assert ("after a restart" in err.getvalue()) is warned


def test_the_command_does_not_warn_of_servers_for_an_import_that_only_confirms(
    outdated_njr, tmp_path, settings
):
    """A confirmation changes no page; "shows the change after a restart" would mislead."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_SECONDS = 3600
    content = reviewed(exported(exchange.PO, status.OUTDATED), description_id(outdated_njr))
    out, err = StringIO(), StringIO()
    call_command("import_translations", str(write(tmp_path, content)), stdout=out, stderr=err)
    assert "applied: 1" in out.getvalue()
    assert status.status_for(outdated_njr)[("description", "en")].state == status.COMPLETE
    assert err.getvalue() == ""


def test_the_history_says_a_text_came_from_an_import(njr, tmp_path):
    run_import(write(tmp_path, edited_export(njr)))
    record = njr.history.first()
    assert record.description_en == NEW_TEXT
    assert record.history_change_reason == (
        "Vertaling naar het Engels geïmporteerd uit een bestand"
    )


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_windows_line_breaks_in_a_translation_are_stored_as_the_admin_stores_them(njr, file_format):
    """A tool may keep CRLF inside a text (`\\r\\n` in PO, `&#13;` in XLIFF)."""
    content = edited_export(njr, file_format, text=TWO_PARAGRAPHS.replace("\n", "\r\n"))
    assert b"\\r\\n" in content or b"&#13;" in content

    report = exchange.import_file(content)

    assert outcome_for(report, description_id(njr)).kind == exchange.APPLIED
    njr.refresh_from_db()
    assert njr.description_en == TWO_PARAGRAPHS


# --- files whose notes a tool dropped ---------------------------------------------------------


def without_notes(content):
    """The file as a tool saves it that drops the notes, and with them the fingerprints."""
    if exchange.detect_format(content.decode()) == exchange.XLIFF:
        root = etree.fromstring(content)
        for note in root.iter("{*}note"):
            note.getparent().remove(note)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return b"\n".join(line for line in content.split(b"\n") if not line.startswith(b"#."))


def missing_english_description(obj):
    obj.description_en = ""
    obj.save()
    return obj


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_a_missing_translation_applies_without_notes_when_its_source_is_todays(njr, file_format):
    """Nothing can be overwritten, and the file shows the source the translator worked from."""
    missing_english_description(njr)
    content = without_notes(edited_export(njr, file_format))
    assert exchange.read(content).units[0].source_fingerprint is None

    report = exchange.import_file(content)

    outcome = outcome_for(report, description_id(njr))
    assert (outcome.kind, outcome.reason) == (exchange.APPLIED, exchange.NEW_TRANSLATION)
    njr.refresh_from_db()
    assert njr.description_en == NEW_TEXT
    assert status.status_for(njr)[("description", "en")].state == status.COMPLETE


def test_a_missing_translation_without_notes_for_an_older_source_is_a_conflict(njr):
    missing_english_description(njr)
    content = without_notes(edited_export(njr, exchange.PO))
    change_source(njr, "description", "Een nieuwe Nederlandse tekst.")

    outcome = outcome_for(exchange.import_file(content), description_id(njr))

    assert (outcome.kind, outcome.reason) == (exchange.CONFLICT, exchange.SOURCE_CHANGED)
    njr.refresh_from_db()
    assert njr.description_en == ""


@pytest.mark.parametrize("file_format", exchange.FORMATS)
def test_a_translation_without_notes_never_replaces_an_existing_one(njr, file_format):
    """Without the fingerprint nobody can tell whether it was edited since the export."""
    english = njr.description_en
    content = without_notes(edited_export(njr, file_format))

    outcome = outcome_for(exchange.import_file(content), description_id(njr))

    assert (outcome.kind, outcome.reason) == (exchange.REFUSED, exchange.NO_FINGERPRINTS)
    njr.refresh_from_db()
    assert njr.description_en == english


def test_a_translation_replacing_another_is_reported_as_updated(outdated_njr):
    content = with_target(
        exported(exchange.XLIFF, status.OUTDATED), description_id(outdated_njr), NEW_TEXT
    )
    outcome = outcome_for(exchange.import_file(content), description_id(outdated_njr))
    assert (outcome.kind, outcome.reason) == (exchange.APPLIED, exchange.UPDATED_TRANSLATION)
    with translation.override("nl"):
        assert str(outcome.reason_label) == "vertaling bijgewerkt"
