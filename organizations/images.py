"""Logos: the rules an upload must meet, cleaning what is stored, and the renditions served.

The rules live here once. They are checked from the cheapest to the dearest: the byte size
and an SVG sniff before Pillow sees the file, then the header (format, pixel count, sides)
before any pixel is decoded, so a 10 MB file, an SVG or a decompression bomb costs next to
nothing to refuse and each gets a message that says what is wrong.

A logo that passes is stored re-encoded, upright and without metadata (EXIF can carry GPS
positions and camera serial numbers), and gets small WebP and PNG renditions for a display
box of 128 CSS pixels, so pages never send the full upload. Rendition names and sizes follow
from the original's name and stored size alone, so rendering a page opens no image.

An original's name ends in a hash of its bytes ("logos/njr.3fa9c1d2e4b5f607.png"), so a name
never stands for other content, even once a cleared logo's name is free again: browsers and
proxies may keep these files, and the renditions named after them, for a year.
"""

import hashlib
import io
import re
from functools import cache as memoize
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, ImageMath

from collective.caching import cache_delete, cache_get, cache_set

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 200
# Shown with its longest side at most 128 CSS pixels, a logo longer than this many times its
# width would be a thin line (a 20000×200 banner: 128×1 pixels).
MAX_ASPECT = 8

# The extensions a stored original may have per format; the first is used when the upload's
# own extension does not match its content.
EXTENSIONS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "WEBP": (".webp",)}
ACCEPTED_TYPES = "image/png,image/jpeg,image/webp"

# An SVG declares itself in its first bytes, after an optional XML declaration or comment.
SVG_SNIFF_BYTES = 4096
SVG_EXTENSIONS = (".svg", ".svgz")

TOO_MANY_PIXELS = _("The logo has more than 40 megapixels; make it smaller.")
SVG_REFUSED = _("SVG logos are not accepted; upload PNG, JPEG or WebP.")
NOT_AN_IMAGE = _("This file is not a readable image.")

# The hash in an original's name: 16 hex digits of its SHA-256. A stem is shortened to fit the
# field's 100 characters with "logos/", the hash, the extension and room to spare.
HASH_LENGTH = 16
MAX_STEM_LENGTH = 60
_HASH_IN_STEM = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\Z")
_CONTENT_ADDRESSED = re.compile(
    rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.(?:png|jpe?g|webp)(?:-[0-9]+\.(?:webp|png))?\Z"
)

# Renditions: the longest side fits a box of BOX_CSS_PIXELS, at each density.
BOX_CSS_PIXELS = 128
DENSITIES = (1, 2)
RENDITION_FORMATS = {"webp": "WEBP", "png": "PNG"}
# Written in this order; the last one stands for all (see renditions_available).
RENDITIONS = tuple((extension, density) for extension in RENDITION_FORMATS for density in DENSITIES)

ORIGINAL_OPTIONS = {"PNG": {}, "JPEG": {"quality": 90, "optimize": True}, "WEBP": {"quality": 90}}
RENDITION_OPTIONS = {"PNG": {"optimize": True}, "WEBP": {"quality": 90}}

# How long the answer "are this logo's renditions stored?" is remembered. Writing and deleting
# renditions update the answer; "missing" is kept short so that other processes pick up
# renditions built by `regenerate_logo_renditions` soon.
AVAILABLE_SECONDS = 24 * 60 * 60
MISSING_SECONDS = 5 * 60


# Rules ---------------------------------------------------------------------------------------


def validate_logo(file):
    """The model field's validator: refuse anything that breaks a rule, with its own message."""
    # A file already stored was checked when it was uploaded.
    if getattr(file, "_committed", False):
        return
    read_upload(file)


def read_upload(file):
    """The uploaded logo, decoded, once every rule has passed; ValidationError otherwise."""
    _check_before_opening(file)
    return _decode(file)


def _check_before_opening(file):
    """The rules that need no image decoder: they run first, so Pillow never sees a bad file."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
        )
    if _is_svg(file):
        raise ValidationError(SVG_REFUSED, code="svg")


def _is_svg(file):
    """SVG by name or by content, so a renamed SVG (which may carry scripts) is named as such."""
    if (getattr(file, "name", "") or "").lower().endswith(SVG_EXTENSIONS):
        return True
    file.seek(0)
    head = file.read(SVG_SNIFF_BYTES)
    file.seek(0)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<svg"):
        return True
    return text.startswith((b"<?xml", b"<!doctype", b"<!--")) and b"<svg" in text


def _decode(file, upload=True):
    """Open the image, check its header against the rules, then decode its pixels.

    A stored logo (`upload=False`) was accepted under the rules of its day: only what keeps
    decoding safe applies to it, not the rules on shape and size made since.
    """
    file.seek(0)
    try:
        image = Image.open(file)
        if image.format == "MPO":  # a camera's JPEG with extra pictures; the first is the photo
            image.format = "JPEG"
        _check_safe_to_decode(image)
        if upload:
            _check_shape(image)
        image.load()
        return image
    except Image.DecompressionBombError as error:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    finally:
        file.seek(0)


def _check_safe_to_decode(image):
    """Format and pixel count, known from the header before decoding."""
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(_("Upload the logo as PNG, JPEG or WebP."), code="invalid_format")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")


def _check_shape(image):
    """An upload's sides: big enough to be sharp, not too thin to be seen."""
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            _("The logo is %(width)s×%(height)s pixels; each side needs at least %(min)s."),
            code="too_small",
            params={"width": width, "height": height, "min": MIN_SIDE},
        )
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ValidationError(
            _(
                "The logo is %(width)s×%(height)s pixels, too long and thin to be seen on the "
                "page; crop it to at most %(max)s times as long as it is wide."
            ),
            code="too_thin",
            params={"width": width, "height": height, "max": MAX_ASPECT},
        )


class LogoFormField(forms.ImageField):
    """A logo upload that says exactly what is wrong with a refused file.

    Django's ImageField reads the whole upload into memory for Pillow before any check and has
    one message for every failure; this field applies the rules above instead, the byte size
    first. What the file is follows from its content alone: its name gets the extension of its
    format.
    """

    def __init__(self, *, max_length=None, **kwargs):
        # The model field's max_length is for the stored name, which content_addressed_name
        # shortens to fit; an upload's own name may be as long as the uploader's system allows.
        super().__init__(**kwargs)

    def to_python(self, data):
        # FileField's checks only (present, named, not empty), not ImageField's Pillow pass.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        image = read_upload(upload)
        upload.content_type = Image.MIME[image.format]
        # Logos are still images: only the first frame is kept, and the editor is told.
        upload.is_animated = getattr(image, "is_animated", False)
        # The content decides, not the name it came with: a JPEG saved as "logo.txt" or a PNG
        # without an extension is a logo like any other. Renamed here, before Django's check
        # of image extensions (on this field and the model's) reads the name.
        upload.name = name_for_format(upload.name, image.format)
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if attrs.get("accept") == "image/*":
            attrs["accept"] = ACCEPTED_TYPES
        return attrs


# Cleaning and renditions ---------------------------------------------------------------------


def clean_upload(field_file):
    """Swap a not yet stored upload for an upright re-encoding without metadata.

    Returns the renditions, keyed by (extension, density), to be stored by store_renditions
    once the original's final name is known.
    """
    image = read_upload(field_file)
    image_format = image.format
    upright = normalized(image)
    data = encode(upright, image_format, ORIGINAL_OPTIONS)
    field_file.name = content_addressed_name(name_for_format(field_file.name, image_format), data)
    # Django reads the new width and height from this file, by this name, once it is stored.
    field_file.file = ContentFile(data, name=field_file.name)
    return build_renditions(upright)


# How to turn an image upright for each EXIF orientation; 1 (or none) is upright already.
TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def normalized(image):
    """Upright, in 8 bits and sRGB, with no metadata but the transparency that drawing needs."""
    turn = TURNS.get(_orientation(image))
    upright = image.transpose(turn) if turn is not None else image
    upright = _in_8_bits(upright, image.info.get("transparency"))
    upright = _in_srgb(upright, image.info.get("icc_profile"))
    transparency = upright.info.get("transparency")
    upright.info = {} if transparency is None else {"transparency": transparency}
    return upright


def _orientation(image):
    """The EXIF orientation, or None when there is none or it cannot be read.

    Unlike ImageOps.exif_transpose, which writes the EXIF data back and fails on values of an
    unexpected type, this only reads the one tag: the metadata is dropped anyway. EXIF comes
    from the uploader's camera or editor, so any failure to parse it means "no orientation".
    """
    try:
        return image.getexif().get(ExifTags.Base.Orientation)
    except Exception:  # malformed EXIF fails in many ways inside Pillow
        return None


# Pillow's modes for greyscale in 16 (or 32) bits per pixel: "I;16", "I;16B", "I" and so on.
HIGH_BIT_DEPTH_PREFIX = "I"
# 65535 / 257 is 255: the whole 16-bit range onto the whole 8-bit range.
SIXTEEN_TO_EIGHT_BITS = 257


def _in_8_bits(image, transparency=None):
    """A 16-bit greyscale image as 8-bit greyscale ("L"), its values scaled, not cut off.

    Pillow's own conversion keeps each value as it is and cuts it off at 255, so every pixel
    but the darkest few turns white. A transparent grey (a PNG's tRNS value) becomes an alpha
    channel ("LA"), as 8 bits cannot tell it apart from its neighbours. Other modes are
    returned as they are.
    """
    if not image.mode.startswith(HIGH_BIT_DEPTH_PREFIX):
        return image
    wide = image.convert("I")
    # Rounded, and still in mode "I" (point keeps it) but within 0-255: nothing is cut off.
    grey = wide.point(lambda value: value / SIXTEEN_TO_EIGHT_BITS + 0.5).convert("L")
    grey.info = {}  # a 16-bit transparency value means nothing in 8 bits
    if not isinstance(transparency, int):
        return grey
    see_through = ImageMath.lambda_eval(
        lambda names: names["equal"](names["image"], transparency), image=wide
    )
    grey.putalpha(see_through.point(lambda is_transparent: 255 - 255 * is_transparent).convert("L"))
    return grey


def _in_srgb(image, icc_profile):
    """Convert to sRGB, so dropping the embedded colour profile keeps the colours as they were."""
    output_mode = "RGB" if image.mode == "CMYK" else image.mode
    if icc_profile and image.mode in {"RGB", "RGBA", "CMYK"} and "transparency" not in image.info:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(image, source, _srgb(), outputMode=output_mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # A broken profile: keep the numbers as they are.
    return image if output_mode == image.mode else image.convert(output_mode)


@memoize
def _srgb():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def encode(image, image_format, options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options[image_format])
    return buffer.getvalue()


def name_for_format(name, image_format):
    """The upload's name with an extension that matches its content ("logo.PNG" → "logo.png")."""
    path = PurePosixPath(name)
    extensions = EXTENSIONS[image_format]
    suffix = path.suffix.lower()
    return str(path.with_suffix(suffix if suffix in extensions else extensions[0]))


def content_addressed_name(name, data):
    """The name with a hash of the file's bytes before its extension: "njr.3fa9c1d2e4b5f607.png".

    A hash already in the name (a logo downloaded from the site and uploaded again) is
    replaced, not added to.
    """
    path = PurePosixPath(name)
    stem = _HASH_IN_STEM.sub("", path.stem)[:MAX_STEM_LENGTH]
    # What the storage keeps of it, now: of a name of only signs ("😀.png") nothing is left,
    # and the file would be a hidden ".<hash>.png".
    try:
        stem = get_valid_filename(stem).strip(". ")
    except SuspiciousFileOperation:
        stem = ""
    # Without dots, so that the hash is the one part between dots: the storage, should the
    # name be taken (the same logo twice), adds its suffix before the first dot.
    stem = stem.replace(".", "-") or "logo"
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{stem}.{digest}{path.suffix}"))


def uploaded_as(name):
    """A stored logo's file name as its uploader knows it: "logos/njr.3fa9c1d2e4b5f607.png" is
    "njr.png"."""
    path = PurePosixPath(name)
    return _HASH_IN_STEM.sub("", path.stem) + path.suffix


def is_content_addressed(name):
    """Whether a stored name (an original or a rendition) always stands for the same bytes.

    Logos stored before names carried a hash do not: a cleared logo's name could be given to
    another upload.
    """
    return _CONTENT_ADDRESSED.search(name) is not None


def build_renditions(image):
    """WebP and PNG at each density, keyed by (extension, density), in RENDITIONS order.

    `image` is normalized() already: upright, in 8 bits and sRGB.
    """
    base = image.convert("RGBA" if image.has_transparency_data else "RGB")
    resized = {
        density: base.resize(
            rendition_size(*base.size, density), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
        for density in DENSITIES
    }
    return {
        (extension, density): encode(
            resized[density], RENDITION_FORMATS[extension], RENDITION_OPTIONS
        )
        for extension, density in RENDITIONS
    }


def rendition_size(width, height, density):
    """The pixel size of a rendition: the longest side fits the box, never enlarged."""
    scale = min(1, BOX_CSS_PIXELS * density / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def rendition_name(original_name, extension, density):
    """Where a rendition is stored: "logos/njr.png" → "logos/renditions/njr.png-256.webp".

    The original's whole file name is kept, so "njr.png" and "njr.jpg" never share renditions.
    """
    original = PurePosixPath(original_name)
    file_name = f"{original.name}-{BOX_CSS_PIXELS * density}.{extension}"
    return str(original.parent / "renditions" / file_name)


def rendition_url(original_name, extension, density):
    return default_storage.url(rendition_name(original_name, extension, density))


def store_renditions(original_name, renditions):
    """Write renditions under their deterministic names, replacing what was there.

    Rebuilt renditions (`regenerate_logo_renditions`) are the same pictures under the same
    names; a change to how they look (box, format) must change rendition_name, as browsers
    keep them for a year.
    """
    for (extension, density), data in renditions.items():
        name = rendition_name(original_name, extension, density)
        # Storage.save never overwrites; it would pick another name.
        default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
    cache_set(_availability_key(original_name), True, AVAILABLE_SECONDS)


def rebuild_renditions(organization):
    """Build the renditions of an already stored logo, e.g. one uploaded before they existed.

    When the upright image's size differs from the row's (an EXIF rotation Django did not
    apply), the row is corrected, because the page derives the renditions' size from it.
    """
    name = organization.logo.name
    with default_storage.open(name, "rb") as stored:
        upright = normalized(_decode(stored, upload=False))
    store_renditions(name, build_renditions(upright))
    if upright.size != (organization.logo_width, organization.logo_height):
        organization.logo_width, organization.logo_height = upright.size
        type(organization)._default_manager.filter(pk=organization.pk).update(
            logo_width=upright.size[0], logo_height=upright.size[1]
        )


def delete_logo_files(original_name):
    """Remove a stored original and every rendition of it."""
    default_storage.delete(original_name)
    for extension, density in RENDITIONS:
        default_storage.delete(rendition_name(original_name, extension, density))
    cache_delete(_availability_key(original_name))


def renditions_available(original_name):
    """Whether the renditions are stored: asked of the storage once, then remembered."""
    key = _availability_key(original_name)
    available = cache_get(key)
    if available is None:
        available = default_storage.exists(rendition_name(original_name, *RENDITIONS[-1]))
        cache_set(key, available, AVAILABLE_SECONDS if available else MISSING_SECONDS)
    return available


def _availability_key(original_name):
    # The storage's location is part of the key, so two media folders (as in tests) never
    # share an answer.
    location = getattr(default_storage, "location", "")
    digest = hashlib.sha256(f"{location}\0{original_name}".encode()).hexdigest()
    return f"organizations:logo-renditions:{digest}"
