"""`manage.py backup` and `manage.py restore`: a full round trip, and every refusal."""

import hashlib
import io
import json
import re
import shutil
import stat
import tarfile
import tempfile

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from model_bakery import baker
from PIL import Image

from collective import backup
from collective.editing import drafts
from collective.editing.models import Draft
from collective.models import Collective
from collective.translations.models import TranslationBaseline
from organizations.models import MemberOrganization

# Helpers ------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def private_tmp(monkeypatch, tmp_path):
    """Temporary folders (the restore's unpacking) inside tmp_path, to look for strays."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def png_upload(name="logo.png", color="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 240), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_backup(tmp_path, name="site.tar.gz"):
    folder = tmp_path / "backups"
    folder.mkdir(exist_ok=True)
    call_command("backup", "-o", str(folder / name), stdout=io.StringIO())
    return folder / name


def restore(archive):
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    return out.getvalue()


def database_snapshot():
    """Every backed-up row, with users and content types by name: ids of those may differ."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python",
            model._base_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=model._meta.label_lower in backup.MATCHED_BY_NAME,
        )
        for model in backup.backed_up_models()
    }


def media_snapshot():
    files = {}
    for name in backup.media_names():
        with default_storage.open(name, "rb") as stream:
            files[name] = stream.read()
    return files


def read_members(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers()}


def write_tar(path, files, extra=()):
    """A .tar.gz with these {name: bytes} files, then the extra TarInfo members as given."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra:
            tar.addfile(info, io.BytesIO(b"evil"[: info.size]) if info.isfile() else None)
    return path


def with_manifest(archive, change):
    """A copy of archive whose manifest change() has edited."""
    files = read_members(archive)
    manifest = json.loads(files["manifest.json"])
    change(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    return write_tar(archive.with_name("edited.tar.gz"), files)


def evil_member(name, kind=tarfile.REGTYPE, target=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    info.size = 4 if kind == tarfile.REGTYPE else 0
    return info


@pytest.fixture
def njr_with_everything(seeded, editor, media):
    """NJR with an English edit in its history, a draft, a logo and an admin log entry."""
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_en = "Changed in English."
    njr._history_user = editor
    njr.save()
    drafts.save_draft(njr, {"description_nl": "Concept NL.", "description_en": "Draft EN."}, editor)
    njr.logo = png_upload()
    njr.save()
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(njr),
        object_id=str(njr.pk),
        object_repr=str(njr),
        action_flag=CHANGE,
        change_message="[]",
    )
    return njr


# Round trip ---------------------------------------------------------------------------------


def test_restore_onto_an_empty_database_brings_everything_back(
    transactional_db, njr_with_everything, media, tmp_path
):
    before, files_before = database_snapshot(), media_snapshot()
    logo_name, dutch = njr_with_everything.logo.name, njr_with_everything.description_nl
    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    cache.set("page:marker", "cached before the restore")

    output = restore(archive)

    njr = MemberOrganization.objects.get(slug="njr")
    assert njr.description_en == "Changed in English."
    assert njr.description_nl == dutch
    assert njr.logo.name == logo_name
    with default_storage.open(logo_name, "rb") as stream:
        assert stream.read() == files_before[logo_name]
    assert len(files_before) > 1  # the original and its renditions
    assert media_snapshot() == files_before
    draft = Draft.objects.get()
    assert draft.data == {"description_nl": "Concept NL.", "description_en": "Draft EN."}
    assert draft.saved_by.username == "redacteur"
    assert njr.history.count() == 3
    assert njr.history.first().history_user.username == "redacteur"
    assert TranslationBaseline.objects.filter(object_id=njr.pk).exists()
    assert LogEntry.objects.get().object_repr == str(njr)
    assert database_snapshot() == before  # every row, both languages, to the microsecond
    assert cache.get("page:marker") is None
    assert "The page cache was cleared." in output


def test_a_restore_says_so_when_the_page_cache_cannot_be_cleared(
    transactional_db, seeded, media, tmp_path, monkeypatch
):
    from collective import caching

    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)

    def unreachable():
        raise ConnectionError("no cache")

    monkeypatch.setattr(cache, "clear", unreachable)
    monkeypatch.setattr(caching, "_paused_until", 0.0)
    out, err = io.StringIO(), io.StringIO()
    call_command("restore", str(archive), stdout=out, stderr=err)
    assert "The page cache was cleared." not in out.getvalue()
    assert "The page cache could not be reached to be cleared" in err.getvalue()
    assert MemberOrganization.objects.filter(slug="njr").exists()


def test_restored_groups_are_matched_to_the_roles_by_name(
    transactional_db, seeded, editor, media, tmp_path
):
    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)
    Group.objects.create(name="Made before the restore")

    restore(archive)

    editor_groups = list(Group.objects.get(name="Editors").user_set.values_list("username"))
    assert editor_groups == [("redacteur",)]
    assert Group.objects.filter(name="Editors").count() == 1


def test_media_already_stored_with_the_same_bytes_is_left_alone(
    transactional_db, njr_with_everything, tmp_path
):
    files = media_snapshot()
    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)

    output = restore(archive)

    assert f"0 media files written, {len(files)} already present" in output
    assert media_snapshot() == files


def test_a_restore_says_where_it_wrote_the_media(transactional_db, njr_with_everything, tmp_path):
    """A forgotten DJANGO_MEDIA_ROOT would otherwise put the logos where no server looks."""
    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)

    output = restore(archive)

    assert f"in the folder {tmp_path / 'media'}" in output


def test_a_different_file_under_a_backed_up_name_is_refused(
    transactional_db, njr_with_everything, tmp_path
):
    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)
    name = njr_with_everything.logo.name
    default_storage.delete(name)
    default_storage.save(name, png_upload(color="red"))

    with pytest.raises(CommandError, match="already holds a different"):
        restore(archive)
    assert not Collective.objects.exists()


def test_a_failed_load_changes_neither_database_nor_media(
    transactional_db, njr_with_everything, media, tmp_path
):
    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    files = read_members(archive)
    data = json.loads(files[backup.DATA_FIXTURE])
    draft = next(row for row in data if row["model"] == "editing.draft")
    draft["fields"]["saved_by"] = ["nobody-by-this-name"]
    files[backup.DATA_FIXTURE] = json.dumps(data).encode()
    broken = with_manifest(
        write_tar(tmp_path / "broken.tar.gz", files),
        lambda manifest: manifest["files"].update(
            {backup.DATA_FIXTURE: hashlib.sha256(files[backup.DATA_FIXTURE]).hexdigest()}
        ),
    )

    with pytest.raises(CommandError, match="could not be loaded"):
        restore(broken)
    assert not Collective.objects.exists()
    assert backup.media_names() == []


def test_media_written_before_a_failure_are_removed_again(
    transactional_db, njr_with_everything, media, tmp_path, monkeypatch
):
    archive = make_backup(tmp_path)
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    store, calls = backup._store, []

    def failing_second_store(name, local):
        calls.append(name)
        if len(calls) == 2:
            raise backup.BackupError("The storage is full.")
        return store(name, local)

    monkeypatch.setattr(backup, "_store", failing_second_store)

    with pytest.raises(CommandError, match="The storage is full"):
        restore(archive)
    assert backup.media_names() == []
    assert not MemberOrganization.objects.exists()


# What the archive holds ---------------------------------------------------------------------


def test_the_archive_holds_manifest_fixtures_and_media(njr_with_everything, client, tmp_path):
    client.force_login(njr_with_everything.history.first().history_user)  # a session
    baker.make("axes.AccessAttempt")
    baker.make("axes.AccessLog")

    archive = make_backup(tmp_path)

    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        data = json.load(tar.extractfile(backup.DATA_FIXTURE))
    assert names[0] == "manifest.json"
    assert f"media/{njr_with_everything.logo.name}" in names
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["languages"] == ["nl", "en"]
    assert "0002_historicalcollective" in manifest["migrations"]["collective"]
    assert manifest["counts"]["organizations.memberorganization"] == 6
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    models = {row["model"] for row in data}
    assert {
        "admin.logentry",
        "auth.user",
        "editing.draft",
        "organizations.historicalmemberorganization",
        "translations.translationbaseline",
    } <= models
    assert not {m for m in models if m.split(".")[0] in {"sessions", "axes", "contenttypes"}}
    assert "auth.permission" not in models
    member = next(row for row in data if row["model"] == "organizations.memberorganization")
    assert {"name_nl", "name_en", "description_nl", "description_en"} <= member["fields"].keys()
    draft = next(row for row in data if row["model"] == "editing.draft")
    assert draft["fields"]["content_type"] == ["organizations", "memberorganization"]
    assert draft["fields"]["saved_by"] == ["redacteur"]


def test_the_default_archive_is_named_by_time_and_private(seeded, media, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("backup", stdout=io.StringIO())

    [archive] = tmp_path.glob("*.tar.gz")
    assert re.fullmatch(r"kinderrechten-backup-\d{8}T\d{6}Z\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "-o", archive.name, stdout=io.StringIO())


# Refusals -----------------------------------------------------------------------------------


def test_restore_onto_a_database_with_content_changes_nothing(
    njr_with_everything, settings, tmp_path
):
    archive = make_backup(tmp_path)
    before = database_snapshot()
    settings.MEDIA_ROOT = tmp_path / "new-media"

    with pytest.raises(CommandError, match=r"already holds content.*Nothing was changed"):
        restore(archive)
    assert database_snapshot() == before
    assert not (tmp_path / "new-media").exists()


@pytest.mark.parametrize(
    "member",
    [
        evil_member("../evil"),
        evil_member("media/../../evil"),
        evil_member("{outside}/evil"),
        evil_member("media\\..\\..\\evil"),
        evil_member("media/link", tarfile.SYMTYPE, "{outside}"),
        evil_member("media/hard", tarfile.LNKTYPE, "../evil"),
        evil_member("media/fifo", tarfile.FIFOTYPE),
    ],
    ids=["dot-dot", "nested-dot-dot", "absolute", "backslashes", "symlink", "hardlink", "fifo"],
)
def test_members_pointing_outside_are_refused_before_anything_is_extracted(
    seeded, media, tmp_path, private_tmp, monkeypatch, member
):
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    member.name = member.name.format(outside=outside)
    member.linkname = member.linkname.format(outside=outside)
    files = read_members(make_backup(tmp_path))
    # After a genuine backup's members: checking as it goes would have extracted those.
    # Then a file behind the bad member, as an attack through a symlink would add.
    hostile = write_tar(tmp_path / "hostile.tar.gz", files, [member, evil_member("media/link/x")])

    with pytest.raises(CommandError, match=re.escape("refused. Nothing was changed")):
        restore(hostile)
    assert list(outside.iterdir()) == []
    assert list(private_tmp.iterdir()) == []  # the unpacking folder is gone, nothing beside it
    assert not list(tmp_path.rglob("evil"))
    assert backup.media_names() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG random bytes " * 50, "not a readable .tar.gz archive"),
        (b"name,count\nNJR,1\n", "not a readable .tar.gz archive"),
        (None, "it has no manifest.json"),
        ({"etc/passwd": b"root:x:0:0"}, "it holds 'etc/passwd'"),
        ({"manifest.json": b"{not json"}, "manifest.json is not valid JSON"),
        ({"manifest.json": b'{"format": "other"}'}, "is not a backup manifest"),
    ],
    ids=["random", "text", "empty-tar", "foreign-tar", "bad-json", "foreign-manifest"],
)
def test_anything_but_a_backup_is_refused_with_a_clear_message(seeded, tmp_path, content, message):
    path = tmp_path / "upload.tar.gz"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        write_tar(path, content or {})

    with pytest.raises(CommandError) as refused:
        restore(path)
    assert "is not a backup made by `manage.py backup`" in str(refused.value)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(format_version=backup.FORMAT_VERSION + 1), "newer version of the site"),
        (lambda m: m.update(format_version="1"), "no valid format version"),
        (lambda m: m["languages"].append("fr"), "texts in fr"),
        (lambda m: m["migrations"]["collective"].append("0099_future"), "collective.0099_future"),
        (lambda m: m.pop("counts"), "damaged: counts"),
        (lambda m: m["files"].pop(backup.DATA_FIXTURE), "unlisted fixtures/data.json"),
        (lambda m: m["counts"].update({"auth.user": "0"}), "damaged: counts"),
        (lambda m: m["counts"].update({"auth.user": True}), "damaged: counts"),
        (lambda m: m["languages"].append(["en"]), "damaged: languages"),
        (lambda m: m["files"].update({"media/x.png": 7}), "damaged: files"),
    ],
    ids=[
        "newer-format",
        "bad-version",
        "language",
        "migrations",
        "no-counts",
        "unlisted-file",
        "count-as-text",
        "count-as-bool",
        "language-as-list",
        "checksum-as-number",
    ],
)
def test_a_backup_this_site_cannot_take_is_refused(seeded, media, tmp_path, change, message):
    archive = with_manifest(make_backup(tmp_path), change)

    with pytest.raises(CommandError, match=re.escape(message)):
        restore(archive)


def test_a_damaged_file_in_the_backup_is_refused(seeded, media, tmp_path):
    files = read_members(make_backup(tmp_path))
    files[backup.DATA_FIXTURE] = files[backup.DATA_FIXTURE].replace(b"NJR", b"XYZ")

    with pytest.raises(
        CommandError, match=re.escape("fixtures/data.json does not match its checksum")
    ):
        restore(write_tar(tmp_path / "damaged.tar.gz", files))


def test_an_unreadable_path_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="cannot be read: No such file"):
        restore(tmp_path / "missing.tar.gz")


def test_a_database_that_is_not_fully_migrated_is_refused(seeded, media, tmp_path, monkeypatch):
    archive = make_backup(tmp_path)
    pending = [
        (MigrationExecutor(connection).loader.get_migration("collective", "0001_initial"), False)
    ]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: pending)

    with pytest.raises(
        CommandError, match=re.escape("not fully migrated; run `manage.py migrate` first")
    ):
        restore(archive)


def test_a_backup_older_than_the_database_is_restored_with_a_note(
    transactional_db, seeded, media, tmp_path
):
    def forget_a_migration(manifest):
        manifest["migrations"]["organizations"].remove(
            "0002_memberorganization_joined_memberorganization_left_and_more"
        )

    archive = with_manifest(make_backup(tmp_path), forget_a_migration)
    call_command("flush", interactive=False)

    output = restore(archive)

    assert "The backup predates the migrations organizations.0002_" in output
    assert MemberOrganization.objects.count() == 6


def test_a_backup_that_does_not_fit_on_the_disk_is_refused_before_unpacking(
    seeded, media, tmp_path, private_tmp, monkeypatch
):
    archive = make_backup(tmp_path)
    with tarfile.open(archive) as tar:
        unpacked = sum(member.size for member in tar.getmembers())
    real_usage = shutil.disk_usage

    def nearly_full(path):
        usage = real_usage(path)
        return usage._replace(free=backup.ROOM_TO_SPARE + unpacked - 1)

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)
    with pytest.raises(CommandError, match="has only 0 MB to spare") as refused:
        restore(archive)
    assert "Nothing was changed" in str(refused.value)
    assert list(private_tmp.iterdir()) == []


def test_a_logo_replaced_while_backing_up_is_backed_up_as_the_dump_names_it(
    njr_with_everything, media, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    listed = backup.media_names
    replaced = []

    def replace_then_list(storage=None):
        if not replaced:  # an editor replaces the logo after the dump, before the copy
            njr = MemberOrganization.objects.get(pk=njr_with_everything.pk)
            njr.logo = png_upload("new.png", "red")
            with django_capture_on_commit_callbacks(execute=True):  # the old file is deleted
                njr.save()
            replaced.append(njr.logo.name)
        return listed(storage)

    monkeypatch.setattr(backup, "media_names", replace_then_list)
    files = read_members(make_backup(tmp_path))

    dumped = json.loads(files[backup.DATA_FIXTURE])
    logo = next(
        row["fields"]["logo"]
        for row in dumped
        if row["model"] == "organizations.memberorganization"
        and row["pk"] == njr_with_everything.pk
    )
    assert logo == replaced[0]
    assert f"media/{logo}" in files


def test_a_backup_that_keeps_losing_files_stops_with_a_message(
    njr_with_everything, media, tmp_path, monkeypatch
):
    def copy_of_a_deleted_file(name, target):
        raise FileNotFoundError(name)

    monkeypatch.setattr(backup, "_copy_from_storage", copy_of_a_deleted_file)
    with pytest.raises(CommandError, match="Files changed while they were copied"):
        make_backup(tmp_path)
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_file_missing_before_the_backup_is_named_and_does_not_stop_it(
    transactional_db, njr_with_everything, media, tmp_path
):
    MemberOrganization.objects.filter(pk=njr_with_everything.pk).update(logo="logos/gone.png")
    folder = tmp_path / "backups"
    folder.mkdir()
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", "-o", str(folder / "site.tar.gz"), stdout=out, stderr=err)

    assert "Wrote" in out.getvalue()
    assert "logos/gone.png" in err.getvalue()
    manifest = json.loads(read_members(folder / "site.tar.gz")["manifest.json"])
    assert manifest["media"]["missing"] == ["logos/gone.png"]

    call_command("flush", interactive=False)
    restored = restore(folder / "site.tar.gz")
    assert "The backup lacks files its database names" in restored
    assert "logos/gone.png" in restored
