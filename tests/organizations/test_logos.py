"""Logos end to end: uploads through a model form, the files they leave, the tag, the command."""

import hashlib
import io
from types import SimpleNamespace
from unittest import mock

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import models
from django.template import Context, Template
from django.utils import translation
from model_bakery import baker
from PIL import Image

from organizations import images
from organizations.images import LogoFormField
from organizations.models import AdvisoryBody, MemberOrganization
from tests.html import elements
from tests.organizations.test_images import (
    BAD_UPLOADS,
    image_bytes,
    image_upload,
    jpeg_with_exif,
    sixteen_bit_grey_png,
)
from tests.quality import CACHE_SHARING


@pytest.fixture
def media(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member(member_factory, media):
    return member_factory(name_nl="Voorbeeld", name_en="Example")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def member_with_logo(member, on_commit):
    with on_commit():
        member.logo = image_upload(size=(1000, 500))
        member.save()
    return MemberOrganization.objects.get(pk=member.pk)


def stored_files(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def logo_files(name):
    """A stored original's name and its renditions' names."""
    return sorted(
        [name]
        + [
            images.rendition_name(name, extension, density)
            for extension, density in images.RENDITIONS
        ]
    )


def stored_logo(organization):
    """The row's logo columns as stored, without Django filling in a missing size on loading."""
    row = type(organization).objects.values("logo", "logo_width", "logo_height")
    return tuple(row.get(pk=organization.pk).values())


def stored_upload(media, organization, name):
    """The stored name of a logo uploaded as `name`, checked to carry the hash of its bytes."""
    logo = stored_logo(organization)[0]
    digest = hashlib.sha256((media / logo).read_bytes()).hexdigest()[:16]
    stem, _dot, extension = name.rpartition(".")
    assert logo == f"logos/{stem}.{digest}.{extension}"
    return logo


def pixel_size(media, name):
    with Image.open(media / name) as image:
        return image.size


def photo_upload(size=(300, 200), orientation=6):
    return SimpleUploadedFile("photo.jpg", jpeg_with_exif(size, orientation))


def logo_formfield(field, **kwargs):
    """What the admin's formfield_overrides does: LogoFormField for every ImageField."""
    if isinstance(field, models.ImageField):
        kwargs["form_class"] = LogoFormField
    return field.formfield(**kwargs)


LogoForm = forms.modelform_factory(
    MemberOrganization, fields=["logo"], formfield_callback=logo_formfield
)


def submit(organization, upload=None, clear=False):
    """Post the logo form; returns the bound form, which is saved when it was valid."""
    form = LogoForm(
        data={"logo-clear": "on"} if clear else {},
        files={"logo": upload} if upload else {},
        instance=organization,
    )
    if form.is_valid():
        form.save()
    return form


@pytest.fixture
def no_file_opened():
    """Fail the test if anything opens, writes or deletes a file or lets Pillow decode one."""
    refuse = AssertionError("a file was touched")
    storage = "django.core.files.storage.FileSystemStorage"
    with (
        mock.patch(f"{storage}._open", side_effect=refuse),
        mock.patch(f"{storage}._save", side_effect=refuse),
        mock.patch(f"{storage}.delete", side_effect=refuse),
        mock.patch("PIL.Image.open", side_effect=refuse),
    ):
        yield


# Uploads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_upload_is_refused_with_its_message_and_stores_nothing(member, media, case):
    make_upload, _code, message = BAD_UPLOADS[case]
    with translation.override("en"):
        form = submit(member, make_upload())
        assert form.errors == {"logo": [message]}
    member.refresh_from_db()
    assert not member.logo
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("image_format", "name"), [("PNG", "logo.png"), ("JPEG", "logo.jpg"), ("WEBP", "logo.webp")]
)
def test_good_upload_is_stored_with_its_renditions(member, media, image_format, name):
    form = submit(member, image_upload(size=(1000, 500), image_format=image_format, name=name))
    assert form.errors == {}
    logo = stored_upload(media, member, name)
    assert stored_logo(member) == (logo, 1000, 500)
    assert stored_files(media) == logo_files(logo)
    with Image.open(media / logo) as original:
        assert original.format == image_format


@pytest.mark.parametrize(
    ("extension", "density", "size"),
    [
        ("webp", 1, (128, 64)),
        ("webp", 2, (256, 128)),
        ("png", 1, (128, 64)),
        ("png", 2, (256, 128)),
    ],
)
def test_renditions_fit_128_css_pixels_at_1x_and_2x(
    member_with_logo, media, extension, density, size
):
    name = images.rendition_name(member_with_logo.logo.name, extension, density)
    with Image.open(media / name) as rendition:
        assert (rendition.format.lower(), rendition.size) == (extension, size)


def test_upload_named_with_the_wrong_extension_is_stored_under_the_right_one(member, media):
    submit(member, image_upload(image_format="JPEG", name="logo.png"))
    assert stored_upload(media, member, "logo.jpg")


@pytest.mark.parametrize(
    ("image_format", "name", "stored_as"),
    [
        ("JPEG", "logo.txt", "logo.jpg"),
        ("PNG", "logo", "logo.png"),
        ("WEBP", "logo.gif", "logo.webp"),
    ],
)
def test_an_upload_is_taken_for_what_its_content_is_whatever_its_name(
    member, media, image_format, name, stored_as
):
    with translation.override("nl"):
        form = submit(member, image_upload(image_format=image_format, name=name))
    assert form.errors == {}
    assert stored_files(media) == logo_files(stored_upload(media, member, stored_as))


def test_a_cameras_multi_picture_jpeg_is_stored_as_a_jpeg(member, media):
    buffer = io.BytesIO()
    photo, depth_map = Image.new("RGB", (600, 400), "navy"), Image.new("RGB", (600, 400), "red")
    photo.save(buffer, "MPO", save_all=True, append_images=[depth_map])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    form = submit(member, SimpleUploadedFile("photo.jpg", buffer.getvalue()))

    assert form.errors == {}
    logo = stored_upload(media, member, "photo.jpg")
    assert stored_logo(member) == (logo, 600, 400)
    with Image.open(media / logo) as original:
        red, _green, blue = original.getpixel((0, 0))
        assert original.format == "JPEG"
        assert blue > 100 > red, "the photo, not the second picture"


def test_stored_original_and_renditions_carry_no_exif(member, media):
    submit(member, photo_upload())
    member.refresh_from_db()
    for name in logo_files(member.logo.name):
        with Image.open(media / name) as image:
            assert dict(image.getexif()) == {}, name
            assert "exif" not in image.info, name


def test_exif_orientation_is_applied_before_the_exif_goes(member, media):
    submit(member, photo_upload(size=(300, 200), orientation=6))
    logo = stored_upload(media, member, "photo.jpg")
    assert stored_logo(member) == (logo, 200, 300)
    assert pixel_size(media, logo) == (200, 300)
    assert pixel_size(media, images.rendition_name(logo, "png", 1)) == (85, 128)


def test_advisory_body_gets_renditions_too(media):
    advisor = baker.make(
        AdvisoryBody, name_nl="NJi", role_nl="adviseur", logo=image_upload(size=(400, 400))
    )
    assert stored_logo(advisor) == (stored_upload(media, advisor, "logo.png"), 400, 400)
    assert stored_files(media) == logo_files(advisor.logo.name)
    assert pixel_size(media, images.rendition_name(advisor.logo.name, "webp", 2)) == (256, 256)


def test_a_new_logo_under_a_freed_name_gets_a_new_address(member, media, on_commit):
    """Browsers keep logos for a year, so one name must never stand for other content."""
    with on_commit():
        submit(member, image_upload(size=(400, 400), name="logo.png"))
    first = stored_logo(member)[0]
    with on_commit():
        submit(member, clear=True)
    assert stored_files(media) == []
    with on_commit():
        submit(member, image_upload(size=(400, 400), name="logo.png", color="red"))
    second = stored_upload(media, member, "logo.png")
    assert second != first
    assert images.is_content_addressed(second)


def test_a_logo_downloaded_from_the_site_and_uploaded_again_gets_one_hash(member, media):
    submit(member, image_upload(name="njr.0123456789abcdef.png"))
    assert stored_upload(media, member, "njr.png")


def test_a_long_upload_name_is_shortened_and_keeps_its_hash(member, media):
    submit(member, image_upload(name="x" * 95 + ".png"))
    logo = stored_upload(media, member, "x" * images.MAX_STEM_LENGTH + ".png")
    assert len(logo) <= MemberOrganization._meta.get_field("logo").max_length


def test_an_upload_name_longer_than_the_field_is_accepted_and_shortened(member, media):
    name = "logo-" + "x" * 150 + ".png"
    with translation.override("nl"):
        form = submit(member, image_upload(name=name))
    assert form.errors == {}
    logo = stored_upload(media, member, name[: images.MAX_STEM_LENGTH] + ".png")
    assert len(logo) <= MemberOrganization._meta.get_field("logo").max_length


def test_only_names_with_a_hash_of_their_content_count_as_content_addressed():
    hashed = "logos/njr.0123456789abcdef.png"
    assert images.is_content_addressed(hashed)
    assert images.is_content_addressed(images.rendition_name(hashed, "webp", 2))
    assert not images.is_content_addressed("logos/njr.png")
    assert not images.is_content_addressed(images.rendition_name("logos/njr.png", "png", 1))
    assert images.uploaded_as(hashed) == "njr.png"
    assert images.uploaded_as("logos/njr.png") == "njr.png"
    # The same logo uploaded twice: the storage's suffix goes before the hash.
    assert images.is_content_addressed("logos/njr_Ab3dE9x.0123456789abcdef.png")
    assert images.uploaded_as("logos/acme_company.0123456789abcdef.png") == "acme_company.png"


def test_the_same_logo_uploaded_twice_is_named_as_uploaded_and_kept_for_a_year(
    member, media, member_factory
):
    other = member_factory(name_nl="Ander", name_en="Other")
    submit(member, image_upload(name="njr.png"))
    submit(other, image_upload(name="njr.png"))
    second = stored_logo(other)[0]
    assert second != stored_logo(member)[0], "the storage gave it a name of its own"
    assert images.uploaded_as(second).startswith("njr_")
    assert images.is_content_addressed(second)


def test_dots_in_an_uploaded_name_leave_the_hash_the_only_part_between_dots(member, media):
    submit(member, image_upload(name="logo.v2.final.png"))
    assert stored_upload(media, member, "logo-v2-final.png")


@pytest.mark.parametrize("name", ["😀😀😀.png", "€€€.png", "....png"])
def test_a_name_of_only_signs_is_stored_as_logo_not_as_a_hidden_file(member, media, name):
    submit(member, image_upload(name=name))
    logo = stored_logo(member)[0]
    assert logo.startswith("logos/logo.")
    assert images.uploaded_as(logo) == "logo.png"


def test_a_logo_stored_directly_gets_renditions(member, media):
    member.logo.save("direct.png", ContentFile(image_bytes(size=(400, 200))))
    assert stored_logo(member) == ("logos/direct.png", 400, 200)
    assert pixel_size(media, images.rendition_name("logos/direct.png", "png", 2)) == (256, 128)


def test_an_invalid_file_saved_without_a_form_is_not_stored(member, media):
    member.logo = SimpleUploadedFile("logo.png", b"not an image")
    with pytest.raises(ValidationError):
        member.save()
    assert stored_files(media) == []


# Replacing, clearing, deleting ----------------------------------------------------------------


def test_replacing_a_logo_removes_the_old_original_and_renditions(
    member_with_logo, media, on_commit
):
    with on_commit():
        submit(member_with_logo, image_upload(size=(600, 300), name="new.png"))
    assert stored_files(media) == logo_files(stored_upload(media, member_with_logo, "new.png"))


def test_old_files_stay_until_the_transaction_commits(
    member_with_logo, media, django_capture_on_commit_callbacks
):
    old = media / member_with_logo.logo.name
    with django_capture_on_commit_callbacks() as callbacks:
        submit(member_with_logo, image_upload(size=(600, 300), name="new.png"))
    assert old.exists()
    for callback in callbacks:
        callback()
    assert not old.exists()


def test_clearing_a_logo_removes_its_files(member_with_logo, media, on_commit):
    with on_commit():
        form = submit(member_with_logo, clear=True)
    assert form.errors == {}
    member_with_logo.refresh_from_db()
    assert not member_with_logo.logo
    assert stored_files(media) == []


def test_deleting_an_organization_removes_its_logo_files(member_with_logo, media, on_commit):
    with on_commit():
        member_with_logo.delete()
    assert stored_files(media) == []


def test_deleting_an_advisory_body_removes_its_logo_files(media, on_commit):
    with on_commit():
        advisor = baker.make(AdvisoryBody, name_nl="NJi", role_nl="adviseur", logo=image_upload())
        advisor.delete()
    assert stored_files(media) == []


def test_files_another_organization_still_uses_are_kept(member_with_logo, media, on_commit):
    copy = baker.make(MemberOrganization, name_nl="Kopie", logo=member_with_logo.logo.name)
    with on_commit():
        member_with_logo.delete()
    assert stored_files(media) == logo_files(copy.logo.name)


def test_saving_without_touching_the_logo_opens_no_file(
    member_with_logo, no_file_opened, django_capture_on_commit_callbacks
):
    member = MemberOrganization.objects.get(pk=member_with_logo.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        member.name_nl = "Nieuwe naam"
        member.save()
        member.save(update_fields=["position"])
    assert [c for c in callbacks if c.__module__ == "organizations.signals"] == []


# The tag --------------------------------------------------------------------------------------


def render_logo(organization, language="nl"):
    with translation.override(language):
        html = Template("{% load logos %}{% logo organization %}").render(
            Context({"organization": organization})
        )
    return SimpleNamespace(content=html.encode())


def only(found):
    assert len(found) == 1, found
    return found[0]


def test_tag_renders_a_picture_of_webp_and_png_renditions(member_with_logo):
    page = render_logo(member_with_logo)
    source = only(elements(page, "source"))
    img = only(elements(page, "img"))
    renditions = "/media/" + member_with_logo.logo.name.replace("logos/", "logos/renditions/")
    assert len(elements(page, "picture")) == 1
    assert source == {
        "type": "image/webp",
        "srcset": f"{renditions}-128.webp 1x, {renditions}-256.webp 2x",
    }
    assert img == {
        "src": f"{renditions}-128.png",
        "srcset": f"{renditions}-128.png 1x, {renditions}-256.png 2x",
        "width": "128",
        "height": "64",
        "alt": "Logo van Voorbeeld",
        "loading": "lazy",
        "decoding": "async",
        "class": "logo",
    }


def test_alt_text_is_in_the_pages_language(member_with_logo):
    img = only(elements(render_logo(member_with_logo, "en"), "img"))
    assert img["alt"] == "Logo of Example"


def test_alt_text_falls_back_to_the_dutch_name(member_with_logo):
    MemberOrganization.objects.filter(pk=member_with_logo.pk).update(name_en="")
    member = MemberOrganization.objects.get(pk=member_with_logo.pk)
    assert only(elements(render_logo(member, "en"), "img"))["alt"] == "Logo of Voorbeeld"


def test_alt_text_is_escaped(member_with_logo):
    member_with_logo.name_nl = 'A "quoted" <name>'
    html = render_logo(member_with_logo).content.decode()
    assert 'alt="Logo van A &quot;quoted&quot; &lt;name&gt;"' in html


def test_without_a_logo_the_tag_renders_the_placeholder(member):
    assert render_logo(member).content.decode() == (
        '<span class="logo logo--placeholder" aria-hidden="true">Voo</span>'
    )


def test_rendering_opens_no_image(member_with_logo, no_file_opened):
    assert elements(render_logo(member_with_logo), "picture")


def test_logo_without_renditions_is_shown_as_its_original(member, media):
    legacy_logo(member, media)
    page = render_logo(member)
    assert elements(page, "picture") == []
    assert only(elements(page, "img")) == {
        "src": "/media/logos/old.png",
        "width": "300",
        "height": "200",
        "alt": "Logo van Voorbeeld",
        "loading": "lazy",
        "decoding": "async",
        "class": "logo",
    }


def test_pages_show_the_picture(client, seeded, media, on_commit):
    njr = MemberOrganization.objects.get(slug="njr")
    with on_commit():
        njr.logo = image_upload(size=(400, 400), name="njr.png")
        njr.save()
    for url in ["/nl/wie-zijn-wij/", njr.get_absolute_url()]:
        response = client.get(url)
        assert elements(response, "img", alt="Logo van NJR", width="128", height="128"), url
        assert elements(response, "source", type="image/webp"), url


# The command ----------------------------------------------------------------------------------


def legacy_logo(organization, media, name="old.png", data=None):
    """A logo stored before renditions existed: the file and the row, no renditions."""
    (media / "logos").mkdir(exist_ok=True)
    (media / "logos" / name).write_bytes(data or image_bytes(size=(300, 200)))
    type(organization).objects.filter(pk=organization.pk).update(
        logo=f"logos/{name}", logo_width=300, logo_height=200
    )
    organization.refresh_from_db()
    return organization


def test_command_renders_a_sixteen_bit_logo_stored_earlier_in_its_own_grey(member, media):
    """Stored before uploads were turned into 8 bits: the rebuild scales it itself."""
    legacy_logo(member, media, name="scan.png", data=sixteen_bit_grey_png(value=32896))
    call_command("regenerate_logo_renditions", stdout=mock.Mock(), stderr=mock.Mock())
    for extension, density in images.RENDITIONS:
        name = images.rendition_name("logos/scan.png", extension, density)
        with Image.open(media / name) as rendition:
            assert rendition.convert("RGB").getpixel((0, 0)) == (128, 128, 128), name


def test_command_builds_missing_renditions(member, media):
    legacy_logo(member, media)
    assert elements(render_logo(member), "picture") == []
    call_command("regenerate_logo_renditions", stdout=mock.Mock(), stderr=mock.Mock())
    assert stored_files(media) == logo_files("logos/old.png")
    assert only(elements(render_logo(member), "img"))["width"] == "128"


def test_command_rebuilds_existing_renditions_in_place(member_with_logo, media):
    before = stored_files(media)
    (media / images.rendition_name(member_with_logo.logo.name, "png", 1)).unlink()
    call_command("regenerate_logo_renditions", stdout=mock.Mock())
    assert stored_files(media) == before


def test_command_corrects_the_size_of_a_sideways_legacy_photo(member, media):
    legacy_logo(member, media, name="photo.jpg", data=jpeg_with_exif((300, 200), orientation=6))
    call_command("regenerate_logo_renditions", stdout=mock.Mock())
    assert stored_logo(member) == ("logos/photo.jpg", 200, 300)
    assert pixel_size(media, images.rendition_name("logos/photo.jpg", "png", 1)) == (85, 128)


@pytest.mark.parametrize("size", [(1800, 200), (150, 150)], ids=["thin", "small"])
def test_command_rebuilds_a_logo_accepted_under_older_rules(member, media, size):
    legacy_logo(member, media, name="older.png", data=image_bytes(size=size))
    call_command("regenerate_logo_renditions", stdout=mock.Mock(), stderr=mock.Mock())
    assert stored_files(media) == logo_files("logos/older.png")


def test_command_refreshes_the_cached_pages_that_show_the_logo(client, seeded, media):
    njr = legacy_logo(MemberOrganization.objects.get(slug="njr"), media)
    pages = ["/nl/wie-zijn-wij/", "/en/who-are-we/", "/nl/leden/njr/", "/en/members/njr/"]
    rendition = images.rendition_url(njr.logo.name, "png", 1)
    # The requests switch the language; the next test starts in the one before.
    with translation.override(translation.get_language()):
        for url in pages:
            assert elements(client.get(url), "img", src="/media/logos/old.png"), url
            assert elements(client.get(url), "img", src="/media/logos/old.png"), f"{url} cached"

        call_command("regenerate_logo_renditions", stdout=mock.Mock(), stderr=mock.Mock())

        for url in pages:
            response = client.get(url)
            assert elements(response, "source", type="image/webp"), url
            assert elements(response, "img", src=rendition, width="128"), url


@CACHE_SHARING
def test_command_says_when_running_servers_cannot_see_the_new_renditions(
    member, media, settings, cache, page_cache_seconds, warned
):
    legacy_logo(member, media)
    settings.CACHES = {"default": {"BACKEND": cache}}
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    stderr = io.StringIO()
    call_command("regenerate_logo_renditions", stdout=io.StringIO(), stderr=stderr)
    assert ("after a restart" in stderr.getvalue()) is warned


def test_command_reports_a_missing_original_and_goes_on(member_factory, media):
    missing = member_factory(slug="missing")
    MemberOrganization.objects.filter(pk=missing.pk).update(
        logo="logos/gone.png", logo_width=300, logo_height=200
    )
    present = legacy_logo(member_factory(slug="present"), media)
    stderr = mock.Mock()
    with pytest.raises(CommandError, match="1 logos could not be rebuilt"):
        call_command("regenerate_logo_renditions", stdout=mock.Mock(), stderr=stderr)
    assert "logos/gone.png" in str(stderr.write.call_args_list)
    assert (media / images.rendition_name(present.logo.name, "webp", 1)).exists()


def test_a_member_pages_logo_loads_at_once_the_lists_lazily(client, seeded, media, on_commit):
    njr = MemberOrganization.objects.get(slug="njr")
    with on_commit():
        njr.logo = image_upload(size=(400, 400), name="njr.png")
        njr.save()
    detail = only(elements(client.get(njr.get_absolute_url()), "img", alt="Logo van NJR"))
    listed = only(elements(client.get("/nl/wie-zijn-wij/"), "img", alt="Logo van NJR"))
    assert (detail["loading"], listed["loading"]) == ("eager", "lazy")
