"""Exchange content translations with outside translators as XLIFF or gettext PO files.

An export holds one unit per object × translated field, for one target language. Each unit
carries a stable id (`app_label.model_name.pk.field`), the source text, the current translation
and two fingerprints taken at export time: of the source text and of the translation. The
fingerprints are what make an import safe weeks later: a unit whose source has changed since
is flagged for review instead of applied, and a translation someone edited in the admin since
the export is never silently overwritten.

Importing validates the whole file before it touches the database, then applies every unit it
can inside one transaction. Saving goes through Model.save(), so signals.py records the source
behind each imported translation like it does for the admin.

Files are read as UTF-8 unless a byte order mark or the file's own declaration names another
character set (UTF-16, Windows-1252). XML with a DOCTYPE or ENTITY declaration is refused
before it reaches a parser, which rules out entity expansion ("billion laughs") and external
entities.
PO files are held line by line to gettext's syntax first: the toolkit's parser accepts, and
garbles, lines that gettext refuses.
"""

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from modeltranslation.utils import build_localized_fieldname
from translate.storage import poparser, pypo, xliff

from ..editing.history import set_note
from ..localization import language_name
from . import status

XLIFF, PO = "xliff", "po"
FORMATS = (XLIFF, PO)
FORMAT_LABELS = {XLIFF: "XLIFF", PO: "PO (gettext)"}
FORMAT_EXTENSIONS = {XLIFF: "xlf", PO: "po"}
FORMAT_CONTENT_TYPES = {
    XLIFF: "application/x-xliff+xml; charset=utf-8",
    PO: "text/x-gettext-translation; charset=utf-8",
}

ALL = "all"
SELECTIONS = (status.MISSING, status.OUTDATED, ALL)
SELECTION_LABELS = {
    status.MISSING: gettext_lazy("missing translations"),
    status.OUTDATED: gettext_lazy("outdated translations"),
    ALL: gettext_lazy("all texts"),
}

APPLIED, SKIPPED, CONFLICT, REFUSED = "applied", "skipped", "conflict", "refused"
OUTCOMES = (APPLIED, SKIPPED, CONFLICT, REFUSED)

# Why a unit got its outcome. Codes for code and tests, labels for people.
NEW_TRANSLATION, UPDATED_TRANSLATION = "new-translation", "updated-translation"
UNCHANGED, EMPTY_TARGET, FUZZY = "unchanged", "empty-target", "fuzzy"
NOT_EDITED = "not-edited"
SOURCE_CHANGED, TRANSLATION_CHANGED = "source-changed", "translation-changed"
UNKNOWN_MODEL, UNKNOWN_OBJECT, UNKNOWN_FIELD = "unknown-model", "unknown-object", "unknown-field"
NO_FINGERPRINTS, INVALID_TEXT = "no-fingerprints", "invalid-text"
NO_SOURCE_TEXT = "no-source-text"
INLINE_CODES = "inline-codes"
WRONG_LANGUAGE = "wrong-language"
CONFIRMED = "confirmed"
REASON_LABELS = {
    NEW_TRANSLATION: gettext_lazy("new translation"),
    UPDATED_TRANSLATION: gettext_lazy("translation updated"),
    CONFIRMED: gettext_lazy("outdated translation confirmed as still correct"),
    UNCHANGED: gettext_lazy("same as the current translation"),
    NOT_EDITED: gettext_lazy(
        "left as it was exported; the translation here was changed since and is kept"
    ),
    EMPTY_TARGET: gettext_lazy("no translation in the file"),
    FUZZY: gettext_lazy("still marked as unfinished (fuzzy or to be reviewed)"),
    SOURCE_CHANGED: gettext_lazy("source changed since export"),
    TRANSLATION_CHANGED: gettext_lazy("translation changed since export"),
    UNKNOWN_MODEL: gettext_lazy("unknown model"),
    UNKNOWN_OBJECT: gettext_lazy("unknown object"),
    UNKNOWN_FIELD: gettext_lazy("unknown field"),
    NO_FINGERPRINTS: gettext_lazy("the export fingerprints are missing from this unit"),
    INVALID_TEXT: gettext_lazy("the text is not valid for this field"),
    NO_SOURCE_TEXT: gettext_lazy("the field has no source text to translate from"),
    WRONG_LANGUAGE: gettext_lazy("the translation says it is in another language"),
    INLINE_CODES: gettext_lazy(
        "the translation contains formatting codes of a translation tool, which these plain "
        "texts cannot hold; remove them in the tool"
    ),
}

XLIFF_ORIGINAL = "kinderrechtencollectief"
FILENAME_PREFIX = "kinderrechten"
SOURCE_FINGERPRINT, TARGET_FINGERPRINT = "source-fingerprint", "target-fingerprint"
# Only on an outdated unit: the fingerprint of the source text its translation was made from.
# Sent back unmarked and unchanged, such a unit is confirmed; a file without it (exported
# before outdated units were marked) confirms nothing.
BASELINE_FINGERPRINT = "baseline-fingerprint"
# Each fingerprint is written on a line of its own, but a tool that drops the note's line
# breaks (as XLIFF editors that ignore xml:space do) must not lose them: match them anywhere.
_FINGERPRINT = re.compile(
    rf"\b({SOURCE_FINGERPRINT}|{TARGET_FINGERPRINT}|{BASELINE_FINGERPRINT}):\s*"
    r"([0-9a-fA-F]{64})(?![0-9a-fA-F])"
)
_XML_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_ENCODING = re.compile(r"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']""")
_PO_CHARSET = re.compile(r"charset=\s*([^\s;]+)", re.IGNORECASE)
_UTF8_NAMES = {"utf-8", "utf8", "charset"}  # "CHARSET" is the placeholder of a fresh PO header
_UTF8_BOM = "\ufeff"
# A PO header's Content-Type line, for its character set, looked for near the file's start.
_PO_CHARSET_LINE = re.compile(
    r"""^[ \t]*(?:msgstr[ \t]*)?"Content-Type:[^"\n]*?charset=[ \t]*([^\s;"\\]+)""",
    re.IGNORECASE | re.MULTILINE,
)
_DECLARATION_SEARCH = 4096
_ASCII_PROBE = '<?xml msgid "Content-Type: +-~\\'
# A line of a PO file outside comments: an optional keyword, then one C string literal.
_PO_KEYWORD = re.compile(r"(?:(?:msgctxt|msgid_plural|msgid|msgstr\[[0-9]+\]|msgstr)(?=[ \t\"]))?")
_PO_LITERAL = re.compile(r'[ \t]*"((?:[^"\\]|\\.)*)"')
_PO_BLANK = " \t\f\v\r"  # C's white space but the line break; \r of a CRLF line ending too
# An escape in a C string: octal (up to three digits), hexadecimal, or one character.
_C_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]+)|(.))", re.DOTALL)
_C_SIMPLE_ESCAPES = {
    "\\": "\\",
    '"': '"',
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "?": "?",
    "'": "'",
}
_EXCERPT_LENGTH = 60
_XLIFF_1_NAMESPACE = "urn:oasis:names:tc:xliff:document:1."
# The target state of an outdated translation in an export: one of UNFINISHED_STATES, so a unit
# sent back without review is skipped, and one confirmed in the tool is confirmed here.
OUTDATED_STATE = "needs-review-translation"


class ExchangeError(Exception):
    """A file that cannot be imported at all; the message says why, for the person uploading."""


# --- Export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportUnit:
    unit_id: str
    label: str
    source: str
    target: str
    source_fingerprint: str
    target_fingerprint: str
    previous_source: str = ""  # for an outdated translation: the source it was made from
    baseline_fingerprint: str = ""  # for an outdated translation: that source's fingerprint


def unit_id(obj, field_name):
    """The stable id of one object's field: `organizations.memberorganization.3.description`."""
    opts = obj._meta
    return f"{opts.app_label}.{opts.model_name}.{obj.pk}.{field_name}"


def _label(obj, field_name):
    """What a translator needs to place a unit: the kind of object, which one, which field."""
    opts = obj._meta
    return f"{opts.verbose_name} “{obj}”: {opts.get_field(field_name).verbose_name}"


def export_units(language, only=ALL):
    """The units to send out for a target language: fields in state `only`, or all of them.

    Fields whose source text is empty are never exported: there is nothing to translate.
    Labels are in the target language, whoever exports: a file for English translators reads
    the same from the admin as from the command line.
    """
    _check_target_language(language)
    if only not in SELECTIONS:
        raise ValueError(f"unknown selection {only!r}")
    source_language = status.source_language()
    units = []
    with translation.override(language):
        for model in status.translated_models():
            units += _units_of(model, language, only, source_language)
    return units


def _units_of(model, language, only, source_language):
    units = []
    objects = list(model._default_manager.all())
    statuses = status.statuses_for(objects)
    for obj in objects:
        for field_name in status.translated_fields(model):
            source = status.text(obj, field_name, source_language)
            entry = statuses[obj.pk][(field_name, language)]
            if source and only in (ALL, entry.state):
                units.append(_export_unit(obj, entry, source))
    return units


def _export_unit(obj, entry, source):
    target = status.text(obj, entry.field, entry.language)
    outdated = entry.state == status.OUTDATED
    return ExportUnit(
        unit_id=unit_id(obj, entry.field),
        label=_label(obj, entry.field),
        source=source,
        target=target,
        source_fingerprint=status.fingerprint(source),
        target_fingerprint=status.fingerprint(target),
        previous_source=entry.baseline.source_text if outdated else "",
        baseline_fingerprint=entry.baseline.source_fingerprint if outdated else "",
    )


def _note(unit):
    """Fingerprints first (the first match wins on import), then what helps the translator."""
    lines = [
        f"{SOURCE_FINGERPRINT}: {unit.source_fingerprint}",
        f"{TARGET_FINGERPRINT}: {unit.target_fingerprint}",
        unit.label,
    ]
    if unit.baseline_fingerprint:
        # With the other fingerprints, before the label: the first match of each counts.
        lines.insert(2, f"{BASELINE_FINGERPRINT}: {unit.baseline_fingerprint}")
        if unit.previous_source:
            lines += [
                _("Outdated: the translation was made from this source text:"),
                unit.previous_source,
            ]
        else:
            lines.append(_("Outdated: the translation was made before there was a source text."))
    return "\n".join(lines)


def serialize(units, language, file_format=XLIFF):
    """Export units as the bytes of an XLIFF or PO file for one target language."""
    writers = {XLIFF: _xliff_bytes, PO: _po_bytes}
    if file_format not in writers:
        raise ValueError(f"unknown format {file_format!r}")
    with translation.override(language):  # the notes, like the labels, in the target language
        return writers[file_format](units, language)


def _xliff_bytes(units, language):
    store = xliff.xlifffile(sourcelanguage=status.source_language())
    store.switchfile(XLIFF_ORIGINAL, createifmissing=True)
    for unit in units:
        xliff_unit = store.addsourceunit(unit.source, filename=XLIFF_ORIGINAL)
        xliff_unit.setid(unit.unit_id)
        if unit.target:
            xliff_unit.target = unit.target
            if unit.baseline_fingerprint:
                # Outdated: to review, as a translation tool shows it, not approved and done.
                xliff_unit.markapproved(False)
                _target_element(xliff_unit.xmlelement).set("state", OUTDATED_STATE)
        xliff_unit.addnote(_note(unit), origin="developer")
    store.settargetlanguage(language)
    return bytes(store)


def _po_bytes(units, language):
    store = pypo.pofile()
    # The toolkit's own stamp takes the offset from the moment's DST rule, not the date's.
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M%z")
    store.updateheader(
        add=True,
        Language=language,
        Content_Type="text/plain; charset=UTF-8",
        Project_Id_Version=XLIFF_ORIGINAL,
        POT_Creation_Date=now,
        # Real values instead of the toolkit's placeholders ("YEAR-MO-DA HO:MI+ZONE", "FULL
        # NAME <EMAIL@ADDRESS>"), which gettext's checks warn about. Who translates is not
        # known here: the field stays empty for the translator's editor to fill in (left out,
        # `msgfmt -c` would warn that it is missing).
        PO_Revision_Date=now,
        Last_Translator="",
        Language_Team=language_name(language),
    )
    for unit in units:
        po_unit = store.addsourceunit(unit.source)
        po_unit.setcontext(unit.unit_id)
        po_unit.target = unit.target
        if unit.baseline_fingerprint and unit.target:
            # Outdated: fuzzy, with the source it was made from, as msgmerge marks it. Editors
            # such as Poedit list it as needing work and show what changed in the source.
            po_unit.markfuzzy()
            if unit.previous_source:  # gettext refuses a previous msgctxt without its msgid
                po_unit.prev_context = unit.unit_id
                po_unit.prev_source = unit.previous_source
        po_unit.addnote(_note(unit), origin="developer")
    return bytes(store)


def export_filename(language, only=ALL, file_format=XLIFF):
    """`kinderrechten-en-missing.xlf`: says what is inside, so a translator can tell files apart."""
    return f"{FILENAME_PREFIX}-{language}-{only}.{FORMAT_EXTENSIONS[file_format]}"


# --- Reading a file -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportUnit:
    unit_id: str
    source: str
    target: str
    source_fingerprint: str | None
    target_fingerprint: str | None
    fuzzy: bool = False
    baseline_fingerprint: str | None = None
    inline_codes: tuple[str, ...] = ()  # XLIFF elements holding a tool's code, not text
    target_language: str = ""  # the language an XLIFF target names itself (xml:lang), if any

    @property
    def reference(self):
        """(app_label, model_name, pk, field), all strings, from the id."""
        return tuple(self.unit_id.split("."))


@dataclass(frozen=True)
class ParsedFile:
    file_format: str
    language: str
    units: tuple[ImportUnit, ...]


def decode(raw):
    """The file's text: UTF-8, or the character set a byte order mark or the file declares.

    Tools on Windows may save UTF-16 (with a byte order mark) or a legacy character set such
    as Windows-1252, declared in the XML declaration or the PO header as those formats allow.
    Such a file is read as it says, and its declaration is rewritten to UTF-8: the parsers get
    the text as UTF-8 bytes.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _declared_encoding(raw) or "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-8":
            message = _(
                "The file is not valid UTF-8 text (invalid byte at position %(position)d). "
                "Save it as UTF-8 and try again."
            )
        else:
            message = _(
                "The file is not valid %(encoding)s text, which it says it is (invalid byte "
                "at position %(position)d). Save it as UTF-8 and try again."
            )
        raise ExchangeError(message % {"position": error.start, "encoding": encoding}) from error
    if "\x00" in text:
        raise ExchangeError(
            _("The file contains NUL characters: it is not UTF-8 text (perhaps UTF-16?).")
        )
    return _declare_utf8(text.removeprefix(_UTF8_BOM))


def _declared_encoding(raw):
    """The character set named in an XML declaration or a PO header; None for UTF-8 or none.

    Only one that writes ASCII as ASCII: the declaration itself was read as such.
    """
    head = raw[:_DECLARATION_SEARCH].decode("latin-1")
    declared = _XML_ENCODING.match(head) or _PO_CHARSET_LINE.search(head)
    if declared is None or declared.group(1).lower() in _UTF8_NAMES:
        return None
    name = declared.group(1)
    try:
        encoding = codecs.lookup(name).name
    except LookupError:
        encoding = None
    if encoding is None or _ASCII_PROBE.encode(encoding, "replace") != _ASCII_PROBE.encode():
        raise ExchangeError(
            _(
                "The file declares the character set %(charset)s, which cannot be read here. "
                "Save it as UTF-8 and try again."
            )
            % {"charset": name}
        )
    return encoding


def _declare_utf8(text):
    """The text with its XML declaration or PO header naming UTF-8, as it now is."""
    declared = _XML_ENCODING.match(text) or _PO_CHARSET_LINE.search(text, 0, _DECLARATION_SEARCH)
    if declared is None:
        return text
    return f"{text[: declared.start(1)]}UTF-8{text[declared.end(1) :]}"


def detect_format(text):
    """XLIFF is XML and so starts with `<`; a PO file never does."""
    return XLIFF if text.lstrip().startswith("<") else PO


def parse(text):
    """Check a whole file and read its units; raises ExchangeError with one clear message."""
    if not text.strip():
        raise ExchangeError(_("The file is empty."))
    file_format = detect_format(text)
    reader = _read_xliff if file_format == XLIFF else _read_po
    language, units = reader(text)
    language = _file_language(language, file_format)
    _check_ids(units)
    return ParsedFile(file_format=file_format, language=language, units=tuple(units))


def read(raw):
    """decode() then parse(): the bytes of an uploaded or exported file to a ParsedFile."""
    return parse(decode(raw))


def _fingerprints(notes):
    """(source, target, baseline) fingerprints of a unit's notes; None where one is missing."""
    found = {}
    for key, value in _FINGERPRINT.findall(notes or ""):
        found.setdefault(key, value.lower())
    return tuple(
        found.get(key) for key in (SOURCE_FINGERPRINT, TARGET_FINGERPRINT, BASELINE_FINGERPRINT)
    )


class _PreservingUnit(xliff.xliffunit):
    """Reads texts as written when a file leaves out xml:space (see _PreservingFile)."""

    _default_xml_space = "preserve"


class _PreservingFile(xliff.xlifffile):
    """An XLIFF file whose texts keep their line breaks even without xml:space="preserve".

    Exports mark every unit with xml:space="preserve", but some translation tools drop the
    attribute on the way back. XLIFF's default would then join the paragraphs of every
    translated description into one; here, as in the PO format, text is taken as written.
    """

    UnitClass = _PreservingUnit


def _read_xliff(text):
    _refuse_unsafe_xml(text)
    _parse_xml_root(text)
    try:
        store = _PreservingFile.parsestring(text.encode("utf-8"))
        files = list(store.document.getroot().iterchildren(store.namespaced("file")))
    except Exception as error:  # the toolkit raises many kinds of exception on bad input
        # Its messages are English: say where, when the parser (lxml) knows, but not what.
        if isinstance(error, etree.XMLSyntaxError) and error.position:
            line, column = error.position
            message = _(
                "The file is not a valid XLIFF 1.x file (line %(line)d, column %(column)d)."
            )
            raise ExchangeError(message % {"line": line, "column": column}) from error
        raise ExchangeError(_("The file is not a valid XLIFF 1.x file.")) from error
    language = _xliff_language(files)
    return language, [_xliff_unit(unit, number) for number, unit in enumerate(store.units, 1)]


def _xliff_language(files):
    """The target language of an XLIFF file's <file> elements, which must all have the same.

    The toolkit reads the languages of the first <file> only, so the units of a second one
    in German would have been imported as English. None if any <file> does not say.
    """
    for file in files:
        source_language = file.get("source-language")
        if source_language and _language_code(source_language) != status.source_language():
            raise ExchangeError(
                _(
                    "The file translates from %(file)s, but the texts here are written in "
                    "%(source)s."
                )
                % {
                    "file": _language_label(source_language),
                    "source": language_name(status.source_language()),
                }
            )
    languages = [file.get("target-language") or "" for file in files]
    if not all(language.strip() for language in languages):
        return None
    distinct = {}
    for language in languages:
        distinct.setdefault(_language_code(language) or _tag(language), language)
    if len(distinct) > 1:
        raise ExchangeError(
            _(
                "The file mixes languages: its parts translate into %(languages)s. A file can "
                "hold translations into one language only."
            )
            % {"languages": ", ".join(_language_label(tag) for tag in distinct.values())}
        )
    return languages[0] if languages else None


def _refuse_unsafe_xml(text):
    """Refuse DOCTYPE and ENTITY declarations, and any encoding but UTF-8, before parsing."""
    declaration = _XML_DECLARATIONS.search(text)
    if declaration:
        raise ExchangeError(
            _(
                "The file contains a %(declaration)s declaration. XLIFF files never need one, "
                "and it is refused for safety."
            )
            % {"declaration": declaration.group(1).upper()}
        )
    encoding = _XML_ENCODING.match(text)
    if encoding and encoding.group(1).lower() not in _UTF8_NAMES:
        raise ExchangeError(
            _("The file declares the encoding %(encoding)s; only UTF-8 is accepted.")
            % {"encoding": encoding.group(1)}
        )


def _parse_xml_root(text):
    """Check the file is well-formed XLIFF 1.x, to give a clearer message than the toolkit.

    defusedxml parses it first, refusing any DTD, entity or external reference, so the
    toolkit's own (lxml) parser only ever sees a file free of them.
    """
    try:
        root = SafeElementTree.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as error:
        raise ExchangeError(
            _(
                "The file contains a %(declaration)s declaration. XLIFF files never need one, "
                "and it is refused for safety."
            )
            % {"declaration": "DOCTYPE"}
        ) from error
    except SafeElementTree.ParseError as error:
        # Only the position: expat's own words are English. It counts columns from 0, editors
        # (and lxml, in _read_xliff) from 1.
        line, column = error.position
        raise ExchangeError(
            _("The file is not well-formed XML (line %(line)d, column %(column)d).")
            % {"line": line, "column": column + 1}
        ) from error
    namespace, _separator, name = root.tag.rpartition("}")
    if name != "xliff":
        raise ExchangeError(_("The file is XML, but not an XLIFF file."))
    if not namespace.startswith(f"{{{_XLIFF_1_NAMESPACE}"):
        raise ExchangeError(_("Only XLIFF 1.x files can be imported (version 1.2 or earlier)."))


# XLIFF 1.2 target states saying the translation is not finished: what "fuzzy" says in PO.
# (The toolkit's isfuzzy() counts every unit not approved="yes", which most tools never set.)
# "new" is not translated yet at all: a tool that fills a target with a copy of the source
# marks it so.
UNFINISHED_STATES = {
    "new",
    "needs-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
}


# Inline elements whose content is the code of a format (such as `<b>`), not text. The texts
# here are plain, so a tool has no code to carry; read as text, the code would be published.
# <g>, <x/> and <mrk> only wrap, stand for or mark text: their text is kept, the tags dropped.
INLINE_CODE_ELEMENTS = ("bpt", "ept", "it", "ph")


def _inline_codes(element):
    """The inline code elements in a trans-unit's target, in document order, each once."""
    target = _target_element(element)
    found = []
    for node in target.iterdescendants() if target is not None else ():
        name = node.tag.rpartition("}")[2] if isinstance(node.tag, str) else ""
        if name in INLINE_CODE_ELEMENTS and name not in found:
            found.append(name)
    return tuple(found)


def _xliff_unit(unit, number):
    source_fingerprint, target_fingerprint, baseline_fingerprint = _fingerprints(unit.getnotes())
    return ImportUnit(
        unit_id=_required_id(unit.xmlelement.get("id"), number),
        source=str(unit.source or ""),
        target=_clean_target(str(unit.target or ""), as_written=_preserves_space(unit)),
        source_fingerprint=source_fingerprint,
        target_fingerprint=target_fingerprint,
        fuzzy=_target_state(unit.xmlelement) in UNFINISHED_STATES,
        baseline_fingerprint=baseline_fingerprint,
        inline_codes=_inline_codes(unit.xmlelement),
        target_language=_target_language(unit.xmlelement),
    )


def _clean_target(text, as_written=True):
    """A translation as the admin's form would save it: without surrounding white space.

    A tool that pretty-prints XLIFF puts a target on lines of its own, indented, and without
    xml:space every space of it is text. Line breaks inside the text stay, as plain line
    feeds like everywhere else (a tool may write CRLF into a text: `\\r\\n` in PO, `&#13;`
    in XLIFF); where the file does not ask for its spaces to be kept (`as_written`), so does
    nothing else at the start or end of a line: indentation, which no text of this site has.
    """
    text = normalize_newlines(text)
    if not as_written:
        text = "\n".join(line.strip() for line in text.split("\n"))
    return text.strip()


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _preserves_space(unit):
    """Whether the unit, its target or an element around it says xml:space="preserve"."""
    element = unit.xmlelement
    target = _target_element(element)
    for node in ([target] if target is not None else []) + [element, *element.iterancestors()]:
        space = node.get(_XML_SPACE)
        if space is not None:
            return space == "preserve"
    return False


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _target_language(element):
    """The xml:lang of a trans-unit's target; empty when it does not say."""
    target = _target_element(element)
    return "" if target is None else (target.get(_XML_LANG) or "").strip()


def _target_state(element):
    """The `state` of a trans-unit's target."""
    target = _target_element(element)
    return None if target is None else target.get("state")


def _target_element(element):
    """A trans-unit's <target>, whatever namespace prefix the tool wrote; None without one."""
    for child in element:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "target":
            return child
    return None


def _read_po(text):
    _check_po_syntax(text)
    try:
        store = pypo.pofile.parsestring(text.encode("utf-8"))
    except Exception as error:  # the toolkit raises many kinds of exception on bad input
        # Its messages are English: only say where it stopped, which is at the fault or on
        # the line or two after it that made it notice.
        if isinstance(error, poparser.PoParseError) and error.parse_state.lineno:
            raise ExchangeError(
                _("The file is not a valid PO file: reading stopped at line %(line)d.")
                % {"line": error.parse_state.lineno}
            ) from error
        raise ExchangeError(_("The file is not a valid PO file.")) from error
    header = store.parseheader()
    charset = _PO_CHARSET.search(header.get("Content-Type", ""))
    if charset and charset.group(1).lower() not in _UTF8_NAMES:
        raise ExchangeError(
            _("The file declares the character set %(charset)s; only UTF-8 is accepted.")
            % {"charset": charset.group(1)}
        )
    entries = [unit for unit in store.units if not unit.isheader() and not unit.isobsolete()]
    return header.get("Language"), [
        _po_unit(unit, number) for number, unit in enumerate(entries, 1)
    ]


def _po_unit(unit, number):
    source_fingerprint, target_fingerprint, baseline_fingerprint = _fingerprints(unit.getnotes())
    msgstr = unit.msgstr
    if isinstance(msgstr, dict):  # plural forms (never exported): the first, as the toolkit's
        msgstr = next(iter(msgstr.values()), [])
    return ImportUnit(
        unit_id=_required_id(_po_text(unit.msgctxt), number),
        source=_po_text(unit.msgid),
        target=_clean_target(_po_text(msgstr)),
        source_fingerprint=source_fingerprint,
        target_fingerprint=target_fingerprint,
        fuzzy=unit.isfuzzy(),
        baseline_fingerprint=baseline_fingerprint,
    )


def _check_po_syntax(text):
    """Refuse a PO file with a line GNU gettext would refuse, before the toolkit reads it.

    The toolkit's parser is lenient: it takes `msgstr "Def"ence"` as `Def"ence`, drops what
    follows a closing quote and reads the escape `\\q` as `q`. Here every line that is not
    blank or a comment must be an optional keyword and one C string literal, with nothing
    after it and only escapes C knows.
    """
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip(_PO_BLANK)
        if not line or line.startswith("#"):
            continue
        literal = _PO_LITERAL.match(line, _PO_KEYWORD.match(line).end())
        if literal is None or literal.end() != len(line):
            raise ExchangeError(
                _(
                    "The file is not a valid PO file: line %(line)d must be one text in double "
                    "quotes, after a keyword such as msgstr or on its own, with nothing after "
                    "it: “%(excerpt)s”."
                )
                % {"line": number, "excerpt": _excerpt(line, literal.end() if literal else 0)}
            )
        try:
            _c_bytes(literal.group(1))
        except _InvalidEscape as error:
            raise ExchangeError(
                _(
                    "The file is not a valid PO file: line %(line)d contains %(escape)s, which "
                    "is not a valid escape sequence (a backslash itself is written as \\\\): "
                    "“%(excerpt)s”."
                )
                % {
                    "line": number,
                    "escape": error.escape,
                    "excerpt": _excerpt(line, literal.start(1) + error.position),
                }
            ) from error


class _InvalidEscape(ValueError):
    def __init__(self, escape, position):
        super().__init__(escape)
        self.escape, self.position = escape, position


def _c_bytes(body):
    """The bytes a C string literal stands for, given what is between its quotes.

    As in gettext, an octal or hexadecimal escape is one byte, so `\\303\\251` is "é" in
    UTF-8. Refused: escapes C does not know, a NUL byte (no database text can hold one), a
    hexadecimal escape of more than two digits (C reads `\\x41BC` as one byte) and escaped
    bytes that do not make UTF-8.
    """
    chunks, position, first_byte_escape = [], 0, None
    for escape in _C_ESCAPE.finditer(body):
        chunks.append(body[position : escape.start()].encode())
        octal, hexadecimal, character = escape.groups()
        if character is not None:
            value = _C_SIMPLE_ESCAPES.get(character, "").encode()
        else:
            number = int(octal, 8) if octal else int(hexadecimal, 16)
            digits_ok = octal or len(hexadecimal) <= 2
            value = bytes([number]) if digits_ok and 0 < number <= 0xFF else b""
            if number > 0x7F and first_byte_escape is None:
                first_byte_escape = escape
        if not value:
            raise _InvalidEscape(escape.group(), escape.start())
        chunks.append(value)
        position = escape.end()
    chunks.append(body[position:].encode())
    joined = b"".join(chunks)
    try:
        joined.decode("utf-8")
    except UnicodeDecodeError as error:
        # Only escaped bytes can spoil the UTF-8 of text that was read as UTF-8.
        raise _InvalidEscape(first_byte_escape.group(), first_byte_escape.start()) from error
    return joined


def _po_text(quoted_lines):
    """The text of a PO message, from its lines as the toolkit keeps them (each in quotes).

    Decoded here rather than by the toolkit, which knows only \\\\ \\" \\n \\t and \\r and
    reads any other escape as what follows the backslash (`\\a` as "a", `\\101` as "101").
    """
    return b"".join(_c_bytes(line.strip()[1:-1]) for line in quoted_lines).decode("utf-8")


def _excerpt(line, position):
    """At most _EXCERPT_LENGTH characters of a line, around `position`."""
    if len(line) <= _EXCERPT_LENGTH:
        return line
    start = max(0, min(position - _EXCERPT_LENGTH // 2, len(line) - _EXCERPT_LENGTH))
    end = start + _EXCERPT_LENGTH
    return f"{'…' if start else ''}{line[start:end]}{'…' if end < len(line) else ''}"


def _required_id(value, number):
    value = (value or "").strip()
    if not value:
        raise ExchangeError(
            _(
                "Unit %(number)d has no id, so it cannot be matched to a text here. The id is "
                "the trans-unit's id in XLIFF and the msgctxt line in PO: a tool that converts "
                "one into the other may drop it. Translate the file as it was exported."
            )
            % {"number": number}
        )
    parts = value.split(".")
    if len(parts) != 4 or not all(parts):
        raise ExchangeError(
            _("Unit %(number)d has the id “%(id)s”, which is not of the form app.model.pk.field.")
            % {"number": number, "id": value}
        )
    return value


def _check_ids(units):
    """Refuse a file in which two units name the same text, however their ids are spelled.

    `…memberorganization.3.description`, `…MemberOrganization.3.description` and
    `…memberorganization.03.description` are one text: applying both, the last would win.
    """
    first_id = {}
    for unit in units:
        target = _target(unit)
        key = (*target, unit.reference[3]) if target else unit.unit_id
        if key in first_id:
            if first_id[key] == unit.unit_id:
                message = _("The id “%(id)s” occurs more than once in the file.")
            else:
                message = _("The ids “%(first)s” and “%(id)s” name the same text.")
            raise ExchangeError(message % {"id": unit.unit_id, "first": first_id[key]})
        first_id[key] = unit.unit_id


def _language_code(language):
    """The site's code for a file's language tag: `en` for `en`, `EN`, `en_GB` or `en-US`.

    None when the site has no such language.
    """
    tag = _tag(language)
    for code in (tag, tag.split("-")[0]):
        if code in status.language_codes():
            return code
    return None


def _tag(language):
    """A language tag as Django writes it: `en-gb` for `en_GB`."""
    return language.strip().lower().replace("_", "-")


def _language_label(language):
    """A language tag from a file, by its name where Django knows it: "Duits (de)"."""
    try:
        return f"{language_name(_tag(language))} ({language})"
    except KeyError:
        return language


def _file_language(language, file_format):
    if not language:
        where = "target-language" if file_format == XLIFF else "Language"
        raise ExchangeError(
            _("The file does not say which language it is in (no %(where)s).") % {"where": where}
        )
    code = _language_code(language)
    if code not in status.target_languages():
        raise ExchangeError(
            _("The file is in %(language)s, which is not a language translated here (%(targets)s).")
            % {
                "language": _language_label(language),
                "targets": ", ".join(language_name(code) for code in status.target_languages()),
            }
        )
    return code


def _check_target_language(language):
    if language not in status.target_languages():
        raise ValueError(f"{language!r} is not a target language")


# --- Importing ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What importing one unit does, or would do, and why."""

    unit_id: str
    kind: str
    reason: str
    detail: str = ""
    obj: Any = None
    field_name: str = ""
    old_text: str = ""
    new_text: str = ""
    current_source: str = ""
    exported_source: str = ""

    @property
    def reason_label(self):
        return REASON_LABELS[self.reason]

    @property
    def label(self):
        """The unit as a translator knows it; empty when its id names no object to show."""
        if self.obj is None:
            return ""
        if not self.field_name:  # a field the object has not got: the object, at least
            opts = self.obj._meta
            return f"{opts.verbose_name} “{self.obj}”"
        return _label(self.obj, self.field_name)


@dataclass
class ImportReport:
    file_format: str
    language: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self):
        """{kind: number of units}, for every kind, in OUTCOMES order."""
        found = Counter(outcome.kind for outcome in self.outcomes)
        return {kind: found[kind] for kind in OUTCOMES}

    def of_kind(self, kind):
        return [outcome for outcome in self.outcomes if outcome.kind == kind]

    def summary(self):
        """The counts in one line, for the command's output and the admin's message."""
        return (
            _(
                "applied: %(applied)d, skipped: %(skipped)d, conflicts: %(conflict)d, "
                "refused: %(refused)d."
            )
            % self.counts()
        )


def import_file(raw, dry_run=False):
    """Read, check and import the bytes of a file; see import_parsed()."""
    return import_parsed(read(raw), dry_run=dry_run)


def import_parsed(parsed, dry_run=False):
    """Judge every unit against the database, then save the ones that apply, all or nothing.

    With dry_run nothing is saved; the report says what would happen. The objects are locked
    while judging, so nobody can change them between the checks and the save.
    """
    with transaction.atomic():
        objects = _load_objects(parsed.units, lock=not dry_run)
        outdated = _outdated_fields(objects.values(), parsed.language)
        outcomes = [_judge(unit, objects, parsed.language, outdated) for unit in parsed.units]
        if not dry_run:
            _save(outcomes, parsed.language)
    return ImportReport(parsed.file_format, parsed.language, dry_run, outcomes)


def _translated_model(app_label, model_name):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return model if model in status.translated_models() else None


def _target(unit):
    """(model, pk) of the object a unit's id names; None for no translated model or no pk.

    The model name is matched as Django does, in any case; the pk as the database reads it,
    so "03" is 3. clean() also checks the range the database can hold.
    """
    app_label, model_name, pk, _field = unit.reference
    model = _translated_model(app_label, model_name)
    if model is None:
        return None
    try:
        return model, model._meta.pk.clean(pk, None)
    except ValidationError:
        return None


def _load_objects(units, lock):
    """{(model, pk): object} for every unit that names one that exists, one copy per object."""
    wanted = {}
    for unit in units:
        target = _target(unit)
        if target is not None:
            wanted.setdefault(target[0], set()).add(target[1])
    objects = {}
    for model, pks in wanted.items():
        queryset = model._default_manager.filter(pk__in=pks)
        if lock:
            queryset = queryset.select_for_update()
        objects.update({(model, obj.pk): obj for obj in queryset})
    return objects


def _outdated_fields(objects, language):
    """{(model, pk, field): fingerprint of the source the translation was made from} of the
    loaded objects' translations outdated in a language."""
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    return {
        (model, pk, field): entry.baseline.source_fingerprint
        for model, model_objects in by_model.items()
        for pk, object_status in status.statuses_for(model_objects).items()
        for (field, code), entry in object_status.items()
        if code == language and entry.state == status.OUTDATED
    }


def _judge(unit, objects, language, outdated=None):
    app_label, model_name, _pk, field_name = unit.reference
    refused = partial(Outcome, unit.unit_id, REFUSED, new_text=unit.target)
    if _translated_model(app_label, model_name) is None:
        return refused(UNKNOWN_MODEL)
    obj = objects.get(_target(unit))
    if obj is None:
        return refused(UNKNOWN_OBJECT)
    if field_name not in status.translated_fields(type(obj)):
        return refused(UNKNOWN_FIELD, obj=obj)
    current_target = status.text(obj, field_name, language)
    current_source = status.text(obj, field_name, status.source_language())
    kind, reason, detail = _verdict(
        unit,
        obj,
        field_name,
        language,
        current_target,
        current_source,
        outdated_from=(outdated or {}).get((type(obj), obj.pk, field_name)),
    )
    return Outcome(
        unit_id=unit.unit_id,
        kind=kind,
        reason=reason,
        detail=detail,
        obj=obj,
        field_name=field_name,
        old_text=current_target,
        new_text=unit.target,
        current_source=current_source,
        exported_source=unit.source,
    )


def _verdict(unit, obj, field_name, language, current_target, current_source, outdated_from=None):
    """(kind, reason, detail) for a unit whose object and field exist.

    Harmless cases come first (nothing would be written), and a target that says it is in
    another language or holds a tool's formatting codes, which no stored text may carry; then
    the two conflicts, which keep what is in the database for a person to decide on, and last
    the field's own validation. A unit whose translation is still the one exported was not
    touched by the translator: whatever changed here since, there is nothing to decide on.
    An outdated translation sent back as it was, no longer marked unfinished, for the source
    text as it is now, is confirmed as still correct: the translator reviewed it in the tool.
    Only a unit that went out marked as outdated (`outdated_from`, the fingerprint of the source
    its translation was made from, is in its notes) is confirmed so.

    A unit whose notes a tool dropped has no fingerprints. It can still fill in a missing
    translation (nothing is overwritten) when the source text it carries is the current one;
    it never replaces a translation, which may have been edited since the export.
    """
    if not unit.target.strip():
        return SKIPPED, EMPTY_TARGET, ""
    if unit.fuzzy:
        return SKIPPED, FUZZY, ""
    if unit.target_language and _language_code(unit.target_language) != language:
        return REFUSED, WRONG_LANGUAGE, _language_label(unit.target_language)
    if unit.inline_codes:
        return REFUSED, INLINE_CODES, ", ".join(f"<{name}>" for name in unit.inline_codes)
    # The file's text is stripped, so compare with the stored one as the form would save it.
    if unit.target == current_target.strip():
        if (
            outdated_from
            and unit.baseline_fingerprint == outdated_from
            and unit.source_fingerprint == status.fingerprint(current_source)
            and unit.target_fingerprint == status.fingerprint(current_target)
        ):
            return APPLIED, CONFIRMED, ""
        return SKIPPED, UNCHANGED, ""
    if unit.target_fingerprint and status.fingerprint(unit.target) == unit.target_fingerprint:
        # The translator left it as it went out: nothing to apply, nothing to decide on.
        return SKIPPED, NOT_EDITED, ""
    if not current_source:  # as the translator view: no translation without an original
        return REFUSED, NO_SOURCE_TEXT, ""
    if unit.source_fingerprint and unit.target_fingerprint:
        if unit.source_fingerprint != status.fingerprint(current_source):
            return CONFLICT, SOURCE_CHANGED, ""
        if unit.target_fingerprint != status.fingerprint(current_target):
            return CONFLICT, TRANSLATION_CHANGED, ""
    elif current_target.strip():
        return REFUSED, NO_FINGERPRINTS, ""
    elif _comparable(unit.source) != _comparable(current_source):
        return CONFLICT, SOURCE_CHANGED, ""
    problem = _invalid_text(obj, field_name, language, unit.target)
    if problem:
        return REFUSED, INVALID_TEXT, problem
    return APPLIED, (UPDATED_TRANSLATION if current_target.strip() else NEW_TRANSLATION), ""


def _comparable(text):
    """A source text as a tool may hand it back: other line breaks, spaces around it."""
    return normalize_newlines(text or "").strip()


def _invalid_text(obj, field_name, language, value):
    """The field's own validation (length and the like), so the database never refuses a save."""
    model_field = obj._meta.get_field(build_localized_fieldname(field_name, language))
    try:
        model_field.clean(value, obj)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _save(outcomes, language):
    """One save per object, naming only the columns that change, so the signals record them."""
    changes = {}
    for outcome in outcomes:
        if outcome.reason == CONFIRMED:
            status.record(outcome.obj, outcome.field_name, language)
        if outcome.kind != APPLIED or outcome.reason == CONFIRMED:
            continue
        column = build_localized_fieldname(outcome.field_name, language)
        setattr(outcome.obj, column, outcome.new_text)
        key = (type(outcome.obj), outcome.obj.pk)
        changes.setdefault(key, (outcome.obj, []))[1].append(column)
    for obj, columns in changes.values():
        # The history says where these texts came from.
        set_note(
            obj,
            lambda: (
                _("Translation into %(language)s imported from a file")
                % {"language": language_name(language)}
            ),
        )
        status.save_translations(obj, columns)
