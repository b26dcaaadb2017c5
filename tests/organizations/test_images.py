"""The logo rules, the form field that reports them, and the image processing, without a database.

Big images are never built: a PNG header that claims a size is enough for Pillow to know it.
"""

import io
import random
import struct
import zlib
from unittest import mock

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms, ImageOps

from organizations import images
from organizations.images import LogoFormField, validate_logo
from organizations.models import MemberOrganization

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
    b'<script>alert(document.cookie)</script><rect width="400" height="400"/></svg>'
)


def image_bytes(size=(300, 200), image_format="PNG", mode="RGB", color="navy", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, image_format, **options)
    return buffer.getvalue()


def image_upload(size=(300, 200), image_format="PNG", name="logo.png", **options):
    return SimpleUploadedFile(name, image_bytes(size, image_format, **options))


def noisy_png(size=(300, 300)):
    """A PNG that does not compress to almost nothing, so cutting it leaves pixel data out."""
    pixels = random.Random(0).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming_size(width, height):
    """A few bytes of PNG whose header claims width×height (1 bit per pixel)."""

    def chunk(kind, data):
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def jpeg_with_exif(size=(300, 200), orientation=6):
    """A JPEG as a phone writes it: sideways pixels, an orientation tag and a camera's name."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.ImageDescription] = "Taken at the office"
    return image_bytes(size, "JPEG", exif=exif)


def messages(upload, language="en"):
    """The messages a refused upload gets, in the language of the page."""
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            LogoFormField().clean(upload)
        return refused.value.messages


TOO_LARGE_BYTES = 10 * 1024 * 1024

BAD_UPLOADS = {
    "text file named .png": (
        lambda: SimpleUploadedFile("logo.png", b"not an image at all"),
        "invalid_image",
        "This file is not a readable image.",
    ),
    "truncated PNG": (
        lambda: SimpleUploadedFile("logo.png", noisy_png()[:20_000]),
        "invalid_image",
        "This file is not a readable image.",
    ),
    "20000×20000 image": (
        lambda: SimpleUploadedFile("logo.png", png_claiming_size(20_000, 20_000)),
        "too_many_pixels",
        "The logo has more than 40 megapixels; make it smaller.",
    ),
    "just over 40 megapixels": (
        lambda: SimpleUploadedFile("logo.png", png_claiming_size(8000, 5001)),
        "too_many_pixels",
        "The logo has more than 40 megapixels; make it smaller.",
    ),
    "SVG with a script, named .png": (
        lambda: SimpleUploadedFile("logo.png", SVG_WITH_SCRIPT),
        "svg",
        "SVG logos are not accepted; upload PNG, JPEG or WebP.",
    ),
    "SVG named .svg": (
        lambda: SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        "svg",
        "SVG logos are not accepted; upload PNG, JPEG or WebP.",
    ),
    "10 MB file": (
        lambda: SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(TOO_LARGE_BYTES)),
        "too_large",
        "The logo is 10.0\xa0MB; the limit is 5.0\xa0MB.",
    ),
    "GIF": (
        lambda: image_upload(image_format="GIF", name="logo.gif"),
        "invalid_format",
        "Upload the logo as PNG, JPEG or WebP.",
    ),
    "150 pixels high": (
        lambda: image_upload(size=(400, 150)),
        "too_small",
        "The logo is 400×150 pixels; each side needs at least 200.",
    ),
    "a thin banner": (
        lambda: image_upload(size=(1800, 200)),
        "too_thin",
        "The logo is 1800×200 pixels, too long and thin to be seen on the page; crop it to at "
        "most 8 times as long as it is wide.",
    ),
    "a thin column": (
        lambda: image_upload(size=(200, 1700)),
        "too_thin",
        "The logo is 200×1700 pixels, too long and thin to be seen on the page; crop it to at "
        "most 8 times as long as it is wide.",
    ),
}


# The rules ------------------------------------------------------------------------------------


def test_a_wide_wordmark_is_accepted():
    validate_logo(image_upload(size=(1600, 200)))


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_validator_accepts_png_jpeg_and_webp(image_format):
    validate_logo(image_upload(image_format=image_format))


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_validator_refuses_each_bad_upload_with_its_own_code(case):
    make_upload, code, _message = BAD_UPLOADS[case]
    with pytest.raises(ValidationError) as refused:
        validate_logo(make_upload())
    assert refused.value.code == code


def test_validator_skips_a_logo_that_is_already_stored():
    stored = mock.Mock(_committed=True, size=images.MAX_BYTES * 10)
    validate_logo(stored)


@pytest.mark.parametrize(
    "svg",
    [
        b"\xef\xbb\xbf  <svg/>",
        b"<!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN' 'x'>\n<svg></svg>",
        b"<!-- made by hand -->\n<SVG></SVG>",
    ],
    ids=["byte order mark", "doctype", "comment"],
)
def test_svg_is_recognised_by_its_content(svg):
    assert images._is_svg(SimpleUploadedFile("logo.webp", svg))


def test_other_xml_is_not_taken_for_svg():
    assert not images._is_svg(SimpleUploadedFile("logo.png", b"<?xml version='1.0'?><html/>"))


# The form field --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")],
)
def test_form_field_accepts_png_jpeg_and_webp(image_format, content_type):
    upload = LogoFormField().clean(image_upload(image_format=image_format))
    assert upload.content_type == content_type


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_form_field_gives_each_bad_upload_its_own_message(case):
    make_upload, _code, message = BAD_UPLOADS[case]
    assert messages(make_upload()) == [message]


@pytest.mark.parametrize("case", ["10 MB file", "SVG with a script, named .png"])
def test_size_and_svg_are_refused_before_pillow_opens_anything(case):
    make_upload, _code, message = BAD_UPLOADS[case]
    with mock.patch("PIL.Image.open", side_effect=AssertionError("Pillow opened the file")):
        assert messages(make_upload()) == [message]


@pytest.mark.parametrize(
    ("name", "image_format", "expected"),
    [
        ("logo.txt", "JPEG", "logo.jpg"),
        ("logo", "PNG", "logo.png"),
        ("logo.jpg", "PNG", "logo.png"),
        ("logo.gif", "WEBP", "logo.webp"),
    ],
)
def test_form_field_names_the_upload_after_its_content(name, image_format, expected):
    with translation.override("nl"):
        upload = LogoFormField().clean(image_upload(image_format=image_format, name=name))
    assert upload.name == expected


def test_messages_are_translated():
    upload = SimpleUploadedFile("logo.png", png_claiming_size(20_000, 20_000))
    assert messages(upload, "nl") == ["Het logo heeft meer dan 40 megapixels; maak het kleiner."]


def test_an_empty_file_gets_djangos_message():
    assert messages(SimpleUploadedFile("logo.png", b"")) == ["The submitted file is empty."]


def test_a_missing_logo_is_fine_because_it_is_optional():
    assert LogoFormField(required=False).clean(None) is None


def test_file_picker_offers_only_the_accepted_types():
    field = LogoFormField()
    assert field.widget_attrs(forms.ClearableFileInput())["accept"] == (
        "image/png,image/jpeg,image/webp"
    )


# Processing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "density", "expected"),
    [
        ((1000, 500), 1, (128, 64)),
        ((1000, 500), 2, (256, 128)),
        ((200, 300), 1, (85, 128)),
        ((200, 300), 2, (171, 256)),
        ((200, 200), 2, (200, 200)),
    ],
)
def test_rendition_fits_the_box_and_is_never_enlarged(size, density, expected):
    assert images.rendition_size(*size, density) == expected


def test_rendition_names_keep_the_whole_original_name():
    assert images.rendition_name("logos/njr.png", "webp", 2) == "logos/renditions/njr.png-256.webp"
    assert images.rendition_name("logos/njr.jpg", "png", 1) == "logos/renditions/njr.jpg-128.png"


@pytest.mark.parametrize(
    ("name", "image_format", "expected"),
    [
        ("logo.PNG", "PNG", "logo.png"),
        ("photo.jpeg", "JPEG", "photo.jpeg"),
        ("logo.png", "JPEG", "logo.jpg"),
        ("logo.webp", "WEBP", "logo.webp"),
    ],
)
def test_stored_name_matches_the_content(name, image_format, expected):
    assert images.name_for_format(name, image_format) == expected


def test_normalized_image_is_upright_and_has_no_metadata():
    photo = Image.open(io.BytesIO(jpeg_with_exif(size=(300, 200), orientation=6)))
    upright = images.normalized(photo)
    assert upright.size == (200, 300)
    reopened = Image.open(io.BytesIO(images.encode(upright, "JPEG", images.ORIGINAL_OPTIONS)))
    assert dict(reopened.getexif()) == {}
    assert "exif" not in reopened.info


@pytest.mark.parametrize("orientation", range(1, 9))
def test_each_orientation_is_turned_as_pillow_would(orientation):
    """The same pixels as Pillow's exif_transpose, for every tag a camera can write."""
    pixels = Image.new("RGB", (300, 200))
    pixels.putpixel((0, 0), (255, 0, 0))  # one marked corner shows every turn and flip
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    pixels.save(buffer, "PNG", exif=exif)
    photo = Image.open(io.BytesIO(buffer.getvalue()))
    expected = ImageOps.exif_transpose(photo)
    assert images.normalized(photo).tobytes() == expected.tobytes()


def jpeg_with_odd_exif():
    """A JPEG whose orientation is fine but whose camera name is a number (1/2), not text.

    Written by hand: Pillow itself refuses to write such EXIF data.
    """
    entries = [
        struct.pack("<HHII", ExifTags.Base.Make, 5, 1, 38),  # a RATIONAL, found at byte 38
        struct.pack("<HHIHH", ExifTags.Base.Orientation, 3, 1, 6, 0),  # a SHORT: 6
    ]
    tiff = b"II*\x00" + struct.pack("<IH", 8, len(entries)) + b"".join(entries)
    tiff += struct.pack("<I", 0) + struct.pack("<II", 1, 2)
    return image_bytes((400, 300), "JPEG", exif=b"Exif\x00\x00" + tiff)


def test_a_photo_with_exif_that_cannot_be_written_back_is_still_turned_upright():
    with pytest.raises(AttributeError):  # why Pillow's own exif_transpose is not used
        ImageOps.exif_transpose(Image.open(io.BytesIO(jpeg_with_odd_exif())))
    upright = images.normalized(Image.open(io.BytesIO(jpeg_with_odd_exif())))
    assert upright.size == (300, 400)
    assert upright.info == {}


def test_a_photo_with_unreadable_exif_is_kept_as_it_is(monkeypatch):
    photo = Image.open(io.BytesIO(jpeg_with_exif(size=(300, 200), orientation=6)))
    monkeypatch.setattr(photo, "getexif", lambda: (_ for _ in ()).throw(struct.error("bad")))
    assert images.normalized(photo).size == (300, 200)


def test_normalized_image_drops_the_colour_profile_after_converting_to_srgb():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = Image.open(io.BytesIO(image_bytes(image_format="PNG", icc_profile=srgb)))
    assert photo.info.get("icc_profile")
    upright = images.normalized(photo)
    assert upright.info == {}
    assert upright.getpixel((0, 0)) == photo.convert("RGB").getpixel((0, 0))


def test_palette_png_keeps_its_transparency():
    palette = Image.new("P", (300, 200), 0)
    palette.putpalette([255, 255, 255, 0, 0, 128])
    palette.paste(1, (100, 50, 200, 150))
    buffer = io.BytesIO()
    palette.save(buffer, "PNG", transparency=0)
    upright = images.normalized(Image.open(buffer))
    stored = Image.open(io.BytesIO(images.encode(upright, "PNG", images.ORIGINAL_OPTIONS)))
    assert stored.info["transparency"] == 0
    renditions = images.build_renditions(upright)
    corner = Image.open(io.BytesIO(renditions["png", 1])).convert("RGBA").getpixel((0, 0))
    assert corner[3] == 0


@pytest.mark.parametrize("extension", ["webp", "png"])
def test_renditions_keep_an_alpha_channel(extension):
    logo = Image.new("RGBA", (400, 400), (0, 0, 128, 0))
    rendition = Image.open(io.BytesIO(images.build_renditions(logo)[extension, 1]))
    assert rendition.mode == "RGBA"
    assert rendition.getpixel((0, 0))[3] == 0


def test_renditions_come_in_writing_order_with_the_marker_last():
    renditions = images.build_renditions(Image.new("RGB", (300, 200)))
    assert list(renditions) == [("webp", 1), ("webp", 2), ("png", 1), ("png", 2)]
    assert images.RENDITIONS[-1] == ("png", 2)


def sixteen_bit_grey_png(value):
    """A PNG as scanners and some editors write it: greyscale in 16 bits ("I;16" in Pillow)."""
    buffer = io.BytesIO()
    Image.new("I;16", (300, 200), value).save(buffer, "PNG")
    assert Image.open(io.BytesIO(buffer.getvalue())).mode == "I;16"
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I"])
@pytest.mark.parametrize(("value", "grey"), [(0, 0), (32896, 128), (65535, 255)])
def test_sixteen_bit_grey_is_scaled_to_eight_bits_not_cut_off(mode, value, grey):
    renditions = images.build_renditions(images.normalized(Image.new(mode, (300, 200), value)))
    for key, data in renditions.items():
        assert Image.open(io.BytesIO(data)).convert("RGB").getpixel((0, 0)) == (grey,) * 3, key


def test_sixteen_bit_grey_png_is_stored_and_rendered_in_its_own_grey():
    upload = SimpleUploadedFile("scan.png", sixteen_bit_grey_png(value=32896))
    renditions = images.clean_upload(upload)
    stored = Image.open(upload.file)
    assert (stored.format, stored.mode, stored.getpixel((0, 0))) == ("PNG", "L", 128)
    for key, data in renditions.items():
        rendition = Image.open(io.BytesIO(data))
        assert rendition.convert("RGB").getpixel((0, 0)) == (128, 128, 128), key


def test_sixteen_bit_grey_keeps_its_transparent_grey():
    scan = Image.new("I;16", (300, 200), 1000)
    scan.paste(Image.new("I;16", (100, 100), 65535), (0, 0))
    buffer = io.BytesIO()
    scan.save(buffer, "PNG", transparency=1000)
    upright = images.normalized(Image.open(buffer))
    assert upright.mode == "LA"
    assert (upright.getpixel((0, 0)), upright.getpixel((200, 150))) == ((255, 255), (4, 0))
    rendition = Image.open(io.BytesIO(images.build_renditions(upright)["png", 1]))
    assert rendition.getpixel((0, 0))[3] == 255
    assert rendition.getpixel((120, 75))[3] == 0


def animated_png(size=(300, 200)):
    frames = [Image.new("RGB", size, colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:], duration=200)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "told"), [(animated_png(), True), (None, False)])
def test_an_animated_logo_is_kept_still_and_the_editor_is_told(
    admin_client, seeded, settings, tmp_path, data, told
):
    from django.contrib.messages import get_messages

    from tests.editing.conftest import change_url, form_data

    settings.MEDIA_ROOT = tmp_path
    njr = MemberOrganization.objects.get(slug="njr")
    upload = SimpleUploadedFile("logo.png", data or image_bytes((300, 200)))
    data = {**form_data(admin_client.get(change_url(njr))), "logo": upload, "_save": "x"}
    response = admin_client.post(change_url(njr), data)
    assert response.status_code == 302
    notes = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert ("het eerste beeld, zonder beweging" in notes) is told
    njr.refresh_from_db()
    with Image.open(njr.logo.path) as stored:
        assert not getattr(stored, "is_animated", False)
