"""Logo validation: a logo must be a real raster image of a sane size.

Pillow decodes the whole upload, so a renamed text file, a truncated image or a
decompression bomb is refused with a clear message before anything is stored.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 200

TOO_MANY_PIXELS = _("The logo has more than 40 megapixels; make it smaller.")


def validate_logo(file):
    # A file already stored was checked when it was uploaded.
    if getattr(file, "_committed", False):
        return
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
        )
    width, height, image_format = _inspect(file)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Upload the logo as PNG, JPEG or WebP."), code="invalid_format")
    if width * height > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            _("The logo is %(width)s×%(height)s pixels; each side needs at least %(min)s."),
            code="too_small",
            params={"width": width, "height": height, "min": MIN_SIDE},
        )


def _inspect(file):
    """Width, height and format of the image; the pixels are decoded only when within limits."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            if width * height <= MAX_PIXELS:
                image.load()
            return width, height, image.format
    except Image.DecompressionBombError as error:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not a readable image."), code="invalid_image"
        ) from error
    finally:
        file.seek(0)
