import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organizations.images import MAX_BYTES, validate_logo


def image_upload(size=(300, 200), image_format="PNG", name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_accepts_png_jpeg_and_webp(image_format):
    validate_logo(image_upload(image_format=image_format))


def refused_code(upload):
    with pytest.raises(ValidationError) as refused:
        validate_logo(upload)
    return refused.value.code


def test_refuses_a_text_file_named_png():
    assert refused_code(SimpleUploadedFile("logo.png", b"not an image")) == "invalid_image"


def test_refuses_a_truncated_png():
    data = image_upload(size=(400, 400)).read()
    assert refused_code(SimpleUploadedFile("logo.png", data[: len(data) // 2])) == "invalid_image"


def test_refuses_a_gif():
    assert refused_code(image_upload(image_format="GIF", name="logo.gif")) == "invalid_format"


def test_refuses_a_logo_smaller_than_200_pixels():
    assert refused_code(image_upload(size=(400, 150))) == "too_small"


def test_refuses_more_than_40_megapixels():
    assert refused_code(image_upload(size=(8000, 5001))) == "too_many_pixels"


def test_refuses_files_over_the_size_limit():
    assert refused_code(SimpleUploadedFile("logo.png", b"0" * (MAX_BYTES + 1))) == "too_large"
