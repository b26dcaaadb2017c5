"""Backing up the whole site into one archive, and restoring it onto a new database.

An archive (`.tar.gz`) holds:
- `manifest.json`: its format version, when and by which versions it was made, the languages,
  the migrations applied per app, the rows per model and a SHA-256 per file, so that a restore
  can tell a complete backup of this site from anything else before it changes a thing;
- `fixtures/groups.json` and `fixtures/data.json`: the database as Django JSON fixtures, every
  language's columns included, with history, translation baselines, drafts, accounts, groups
  and the admin's log;
- `media/<name>`: every file of the media storage (logos and their renditions), read through
  `default_storage`, so a local folder and S3-compatible storage are backed up alike.

Left out on purpose:
- content types and permissions: `migrate` creates them on the new database; rows refer to them
  by natural key (app label and model; codename), so their ids there do not matter;
- sessions: restored, they would bring old logins back to life on the new server;
- django-axes' attempts and logs: short-lived security records holding IP addresses; restored,
  they could lock staff out of the new server.
The admin's LogEntry is kept: it is the record of who did what through the admin, next to
simple_history's field-by-field history, and it is small.

Rows keep their ids, so what refers to a row by content type and id (drafts, translation
baselines, history, log entries) stays right. Groups are the exception: `migrate` has already
created the roles on the new database, so groups are matched by name and updated in place.
"""

import datetime
import hashlib
import itertools
import json
import os
import platform
import posixpath
import shutil
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath, PureWindowsPath

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField

from . import caching

FORMAT = "kinderrechten-backup"
FORMAT_VERSION = 1

MANIFEST = "manifest.json"
FIXTURES = "fixtures"
MEDIA = "media"
GROUPS_FIXTURE = f"{FIXTURES}/groups.json"
DATA_FIXTURE = f"{FIXTURES}/data.json"

EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}
# Created by `migrate` (the roles) before a restore, so matched by name instead of by id.
MATCHED_BY_NAME = {"auth.group"}

NOT_A_BACKUP = "This is not a backup made by `manage.py backup`"
CHUNK = 1024 * 1024
ROOM_TO_SPARE = 100 * 1024 * 1024  # left free on the unpacking disk, for the system itself


class BackupError(Exception):
    """A backup or restore that cannot go ahead; nothing has been changed."""


# What is backed up ----------------------------------------------------------------------------


def backed_up_models():
    """Every model whose rows go into a backup, in a stable order."""
    chosen = [model for model in apps.get_models() if _is_backed_up(model)]
    return sorted(chosen, key=lambda model: model._meta.label_lower)


def _is_backed_up(model):
    opts = model._meta
    return (
        opts.managed
        and not opts.proxy
        and opts.app_label not in EXCLUDED_APPS
        and opts.label_lower not in EXCLUDED_MODELS
    )


def media_names(storage=None):
    """Every file name in the media storage, found through listdir so S3 works too."""
    return sorted(_walk(storage or default_storage, ""))


def _walk(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise
        return  # a media folder that was never created holds no files
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _walk(storage, posixpath.join(folder, sub))


def default_filename(now=None):
    now = now or datetime.datetime.now(datetime.UTC)
    return f"kinderrechten-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"


# Backing up -----------------------------------------------------------------------------------


def create(path):
    """Write a backup archive to path, which must not exist yet; return its manifest.

    The archive is written under a temporary name beside path and renamed when complete, so
    path never holds half a backup. It is readable by its owner only: it holds password
    hashes and e-mail addresses.
    """
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; a backup never overwrites a file.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="kinderrechten-backup-") as work:
        staging = Path(work)
        manifest = _stage(staging)
        try:
            _write_archive(staging, manifest, path)
        except OSError as error:
            raise BackupError(f"Cannot write {path}: {error.strerror}.") from error
    return manifest


# A backup made while editors upload is tried again this often before it gives up.
ATTEMPTS = 3


class _FilesMoved(Exception):
    """A file changed between the database dump and its copy: the two would not match."""

    def __init__(self, message, missing=None):
        super().__init__(message)
        self.missing = missing


def _stage(staging):
    """Dump the database and copy the media into staging; return the manifest describing it.

    The media storage cannot be read inside the database's transaction: a logo replaced
    meanwhile would leave a dump that names a file the archive lacks. Each file the dump
    names is therefore checked to be in the copy, and the whole backup is made again if not.
    Files missing twice in a row were missing before the backup began (a folder restored
    without them, say): they are listed in the manifest instead of failing every backup.
    """
    missing_before = None
    for _attempt in range(ATTEMPTS):
        try:
            return _stage_once(staging, missing_before)
        except _FilesMoved as error:
            moved, missing_before = error, error.missing
            shutil.rmtree(staging)
            staging.mkdir()
    raise BackupError(
        f"Files changed while they were copied ({moved}), {ATTEMPTS} times in a row; make the "
        "backup again when nobody is uploading."
    )


def _stage_once(staging, missing_before=None):
    models = backed_up_models()
    created_at = datetime.datetime.now(datetime.UTC)
    with _snapshot():
        manifest = _manifest(models, created_at)
        (staging / FIXTURES).mkdir()
        _write_fixture(staging / GROUPS_FIXTURE, _matched_by_name(models), natural_primary=True)
        _write_fixture(staging / DATA_FIXTURE, _matched_by_id(models), natural_primary=False)
        named = _named_files(models)
    names = media_names()
    for name in names:
        try:
            _copy_from_storage(name, staging / MEDIA / _checked_name(name))
        except FileNotFoundError:
            raise _FilesMoved(f"{name} was deleted") from None
    missing = sorted(named - set(names))
    if missing and missing != missing_before:
        raise _FilesMoved(f"{', '.join(missing)} missing", missing)
    files = [GROUPS_FIXTURE, DATA_FIXTURE, *(f"{MEDIA}/{name}" for name in names)]
    manifest["files"] = {name: _sha256(staging / name) for name in files}
    manifest["media"] = {
        "files": len(names),
        "bytes": sum((staging / MEDIA / name).stat().st_size for name in names),
        "missing": missing,
    }
    return manifest


def _named_files(models):
    """The names of the stored files that the database's file fields point to."""
    named = set()
    for model in models:
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, FileField):
                values = model._base_manager.values_list(model_field.attname, flat=True)
                named.update(value for value in values if value)
    return named


@contextmanager
def _snapshot():
    """One transaction for every read, so fixtures, counts and migration state agree.

    PostgreSQL's default isolation would let each query see what was committed meanwhile;
    repeatable read keeps the whole dump at one moment. SQLite's transaction already does.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _manifest(models, created_at):
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at.isoformat(),
        "versions": _versions(),
        "database": connection.vendor,
        "languages": [code for code, _name in settings.LANGUAGES],
        "migrations": _migration_state(),
        "counts": {model._meta.label_lower: model._base_manager.count() for model in models},
    }


def _versions():
    try:
        site = metadata.version("kinderrechtencollectief")
    except metadata.PackageNotFoundError:
        site = "unknown"
    return {"site": site, "django": django.get_version(), "python": platform.python_version()}


def _migration_state():
    """{app label: [applied migration names]}, as the database records them."""
    state = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def _matched_by_name(models):
    return [model for model in models if model._meta.label_lower in MATCHED_BY_NAME]


def _matched_by_id(models):
    return [model for model in models if model._meta.label_lower not in MATCHED_BY_NAME]


class _PreciseJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but keeping times to the microsecond.

    `dumpdata`'s encoder cuts them to milliseconds, so history dates and `updated_at` (the
    version an edit form checks against) would come back slightly different from the original.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _write_fixture(path, models, natural_primary):
    """What `dumpdata --all --natural-foreign` writes, with times kept to the microsecond."""
    ordered = serializers.sort_dependencies([(None, models)], allow_cycles=True)
    objects = itertools.chain.from_iterable(
        model._base_manager.order_by(model._meta.pk.name).iterator() for model in ordered
    )
    with open(path, "w", encoding="utf-8") as stream:
        serializers.serialize(
            "json",
            objects,
            stream=stream,
            indent=1,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=natural_primary,
            cls=_PreciseJSONEncoder,
        )


def _copy_from_storage(name, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            copy.write(chunk)


def _write_archive(staging, manifest, path):
    """Manifest first, then the files it lists; renamed into place once complete."""
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    mtime = datetime.datetime.fromisoformat(manifest["created_at"]).timestamp()
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            text = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            _add(tar, MANIFEST, len(text), mtime, _BytesReader(text))
            for name in manifest["files"]:
                with open(staging / name, "rb") as source:
                    _add(tar, name, (staging / name).stat().st_size, mtime, source)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


class _BytesReader:
    def __init__(self, data):
        self._data, self._offset = data, 0

    def read(self, size=-1):
        end = len(self._data) if size < 0 else self._offset + size
        chunk = self._data[self._offset : end]
        self._offset += len(chunk)
        return chunk


def _add(tar, name, size, mtime, source):
    """A plain file member: no owner names, ids or odd modes carried from this machine."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o644
    tar.addfile(info, source)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# Checking archive members ---------------------------------------------------------------------


def _checked_name(name):
    """name, if it is a safe relative path: no absolute path, drive, `..`, backslash or NUL."""
    path = PurePosixPath(name)
    unsafe = (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or ".." in path.parts
        or PureWindowsPath(name).drive
    )
    if unsafe:
        raise BackupError(f"The archive member {name!r} points outside the backup; refused.")
    return name


def check_member(member):
    """Refuse a member that a backup never holds, before anything is extracted.

    The same rules as Python 3.12's `data` extraction filter, checked by hand so that they hold
    on 3.11 too: only plain files and folders (no links, devices or pipes), only relative paths
    that stay inside the folder they are extracted to. Beyond that, only the places a backup
    uses: the manifest, `fixtures/` and `media/`.
    """
    _checked_name(member.name)
    if not (member.isfile() or member.isdir()):
        raise BackupError(
            f"The archive member {member.name!r} is a link or special file, which a backup "
            "never holds; refused."
        )
    parts = PurePosixPath(member.name).parts
    expected = member.name == MANIFEST or (
        parts[0] in (FIXTURES, MEDIA) and (len(parts) > 1 or member.isdir())
    )
    if not expected:
        raise BackupError(f"{NOT_A_BACKUP}: it holds {member.name!r}.")


def _check_members(members):
    names = set()
    for member in members:
        check_member(member)
        if member.isfile() and member.name in names:
            raise BackupError(f"The archive holds {member.name!r} twice; refused.")
        names.add(member.name)


# Restoring ------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict
    counts: dict = field(default_factory=dict)
    media_written: list = field(default_factory=list)
    media_present: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    cache_cleared: bool = False


def restore(path):
    """Restore the backup at path onto this empty, migrated database; return what was done.

    Everything is checked before anything is changed: the archive's members, its manifest and
    checksums, the languages, the migration state, that the database holds no content yet and
    that the media storage has no different file under a name the backup uses. The fixtures
    are then loaded and the media written in one transaction; a failure rolls the database back
    and removes the files written so far. Finally the page cache is cleared.
    """
    with tempfile.TemporaryDirectory(prefix="kinderrechten-restore-") as work:
        staging = Path(work)
        _unpack(path, staging)
        manifest = _read_manifest(staging)
        _verify_files(manifest, staging)
        report = RestoreReport(manifest)
        _check_languages(manifest)
        report.notes = _check_migrations(manifest) + _missing_media_notes(manifest)
        _check_empty()
        to_write, report.media_present = _plan_media(manifest, staging)
        report.counts, report.media_written = _load(manifest, staging, to_write)
    report.cache_cleared = clear_page_cache()
    return report


def _missing_media_notes(manifest):
    """A note naming the files the backup's database pointed to but could not include."""
    media = manifest.get("media")
    missing = media.get("missing") if isinstance(media, dict) else None
    if not isinstance(missing, list) or not all(isinstance(name, str) for name in missing):
        return []  # an older backup, which did not record them
    if not missing:
        return []
    return [
        "The backup lacks files its database names (they were already missing when it was "
        f"made): {', '.join(missing)}. Upload them again in the admin."
    ]


def _unpack(path, staging):
    """Check every member, then copy the files out by hand: links and modes never apply."""
    try:
        archive = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        raise BackupError(f"The file cannot be read: {error.strerror}.") from error
    with archive:
        try:
            with tarfile.open(fileobj=archive, mode="r:gz") as tar:
                members = tar.getmembers()  # reads to the end: a damaged archive shows here
                _check_members(members)
                _check_room(members, staging)
                for member in members:
                    if member.isfile():
                        _extract(tar, member, staging / member.name)
        except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
            # OSError: gzip.BadGzipFile, or a stream cut short. _extract raises BackupError.
            raise BackupError(f"{NOT_A_BACKUP}: it is not a readable .tar.gz archive.") from error


def _check_room(members, staging):
    """Refuse an archive that would fill the disk while unpacking, before writing any of it.

    The sizes come from the members' headers, and extraction copies no more than those: a
    small archive that claims to hold many gigabytes is refused here, as is a real backup
    that does not fit.
    """
    needed = sum(member.size for member in members if member.isfile())
    free = shutil.disk_usage(staging).free - ROOM_TO_SPARE
    if needed > free:
        raise BackupError(
            f"The backup unpacks to {_megabytes(needed)}, but the temporary folder "
            f"({staging.parent}) has only {_megabytes(max(free, 0))} to spare. Free some "
            "space, or point TMPDIR at a disk with more room."
        )


def _megabytes(size):
    return f"{size / 1_000_000:,.0f} MB"


def _extract(tar, member, target):
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(target, "xb") as copy:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                copy.write(chunk)
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"The backup is damaged: {member.name} cannot be read.") from error
    except OSError as error:
        raise BackupError(f"Cannot unpack {member.name}: {error.strerror}.") from error


def _read_manifest(staging):
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{NOT_A_BACKUP}: it has no {MANIFEST}.") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{NOT_A_BACKUP}: its {MANIFEST} is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{NOT_A_BACKUP}: its {MANIFEST} is not a backup manifest.")
    _check_format_version(manifest.get("format_version"))
    _check_manifest_shape(manifest)
    return manifest


def _check_format_version(version):
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError(f"The backup's {MANIFEST} has no valid format version.")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"The backup has format version {version}, made by a newer version of the site; "
            f"this one reads up to version {FORMAT_VERSION}. Update the site first."
        )


def _check_manifest_shape(manifest):
    """Each entry of the manifest, and each value inside it, of the kind a backup writes."""

    def strings(items):
        return isinstance(items, list) and all(isinstance(item, str) for item in items)

    def count(value):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    shapes = {
        "files": lambda files: (
            isinstance(files, dict) and all(isinstance(digest, str) for digest in files.values())
        ),
        "counts": lambda counts: isinstance(counts, dict) and all(map(count, counts.values())),
        "languages": strings,
        "migrations": lambda migrations: (
            isinstance(migrations, dict) and all(map(strings, migrations.values()))
        ),
    }
    wrong = [key for key, fits in shapes.items() if not fits(manifest.get(key))]
    if wrong:
        raise BackupError(f"The backup's {MANIFEST} is damaged: {', '.join(wrong)}.")


def _verify_files(manifest, staging):
    """Exactly the files the manifest lists, each with its checksum: nothing lost or altered."""
    listed = manifest["files"]
    present = {
        path.relative_to(staging).as_posix() for path in staging.rglob("*") if path.is_file()
    } - {MANIFEST}
    missing, extra = sorted(listed.keys() - present), sorted(present - listed.keys())
    if missing or extra or not {GROUPS_FIXTURE, DATA_FIXTURE} <= listed.keys():
        raise BackupError(
            "The backup is incomplete or altered: "
            f"missing {', '.join(missing) or 'nothing'}; unlisted {', '.join(extra) or 'nothing'}."
        )
    for name, digest in listed.items():
        if _sha256(staging / name) != digest:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum.")


def _check_languages(manifest):
    offered = {code for code, _name in settings.LANGUAGES}
    unknown = [code for code in manifest["languages"] if code not in offered]
    if unknown:
        raise BackupError(
            f"The backup has texts in {', '.join(map(str, unknown))}, which this site does not "
            "offer; add the language to LANGUAGES and migrate first."
        )


def _check_migrations(manifest):
    """Refuse a database that is not migrated, or older than the backup; note if it is newer."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError("The database is not fully migrated; run `manage.py migrate` first.")
    relevant = {model._meta.app_label for model in backed_up_models()}
    ours = {key for key in executor.recorder.applied_migrations() if key[0] in relevant}
    theirs = {
        (app_label, name)
        for app_label, names in manifest["migrations"].items()
        if app_label in relevant
        for name in names
    }
    if ahead := sorted(theirs - ours):
        raise BackupError(
            "The backup was made by a newer version of the site; this database lacks the "
            f"migrations {_migration_list(ahead)}. Update the site and migrate first."
        )
    if behind := sorted(ours - theirs):
        return [
            f"The backup predates the migrations {_migration_list(behind)}; its rows are "
            "loaded as they are, without what those migrations changed in existing data."
        ]
    return []


def _migration_list(keys):
    return ", ".join(f"{app_label}.{name}" for app_label, name in keys)


def _check_empty():
    filled = [
        model._meta.label
        for model in backed_up_models()
        if model._meta.label_lower not in MATCHED_BY_NAME and model._base_manager.exists()
    ]
    if filled:
        raise BackupError(
            f"The database already holds content ({', '.join(filled)}). Restore only onto a "
            "new database: create it, run `manage.py migrate`, then restore."
        )


def _plan_media(manifest, staging):
    """(names to write, names already stored with the same bytes); refuse differing files."""
    to_write, present = [], []
    for archived, digest in manifest["files"].items():
        if not archived.startswith(f"{MEDIA}/"):
            continue
        name = archived.removeprefix(f"{MEDIA}/")
        if not default_storage.exists(name):
            to_write.append(name)
        elif _stored_sha256(name) == digest:
            present.append(name)
        else:
            raise BackupError(
                f"The media storage already holds a different {name}; move it away first."
            )
    return to_write, present


def _stored_sha256(name):
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _load(manifest, staging, media_to_write):
    """Load the fixtures and write the media in one go; on failure undo both."""
    written = []
    try:
        with transaction.atomic():
            _load_fixtures(staging)
            counts = _check_counts(manifest["counts"])
            for name in media_to_write:
                written.append(_store(name, staging / MEDIA / name))
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return counts, written


def _load_fixtures(staging):
    try:
        call_command(
            "loaddata", str(staging / GROUPS_FIXTURE), str(staging / DATA_FIXTURE), verbosity=0
        )
    except Exception as error:  # loaddata re-raises whatever the database or parser raised
        raise BackupError(f"The database content could not be loaded: {error}") from error


def _check_counts(expected):
    """Every model holds as many rows as the backup says (groups: at least as many)."""
    counts = {}
    for model in backed_up_models():
        label = model._meta.label_lower
        have, want = model._base_manager.count(), expected.get(label, 0)
        if have < want or (have != want and label not in MATCHED_BY_NAME):
            raise BackupError(f"After loading, {label} has {have} rows; the backup has {want}.")
        counts[label] = have
    return counts


def _store(name, local):
    with open(local, "rb") as content:
        stored = default_storage.save(name, File(content, name=name))
    if stored != name:
        default_storage.delete(stored)
        raise BackupError(f"The media storage would store {name} as {stored}.")
    return stored


def clear_page_cache():
    """Pages cached before the restore showed an empty site; no server may serve them again.

    Returns whether the shared cache could be emptied.
    """
    return caching.clear()
