"""The one place that turns an uploaded photo into the small JPEG that Podium keeps.

The upload is decoded by Pillow only after its size in bytes and its width and height (read
from the header) are within limits, then re-drawn from its pixels: a 400 x 400 centre crop,
re-encoded as a fresh JPEG. Nothing of the original file (EXIF with GPS position, ICC
profile, comments, trailing data) survives, and the original itself is never stored.
"""

from __future__ import annotations

import io
import math
import warnings
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
PHOTO_SIZE = (400, 400)
JPEG_QUALITY = 85

NOT_AN_IMAGE = "This file is not an image we can read (JPEG, PNG, WebP or GIF)."
# What Pillow raises on a corrupt, truncated or hostile file while reading or decoding it.
_DECODING_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)
_RESIZABLE_MODES = ("RGB", "RGBA", "L", "LA")


class PhotoError(ValueError):
    """An upload that cannot become a photo; its message is meant for the person uploading."""


def sanitize_photo(data: bytes | BinaryIO) -> bytes:
    """Return the upload as a 400 x 400 progressive JPEG with no metadata, or raise PhotoError.

    ``data`` is the file's bytes or a binary file object (such as Django's UploadedFile).
    Refused before any pixel is decoded: a file over 10 MB, anything that is not a JPEG,
    PNG, WebP or GIF image, and an image of more than ``MAX_PIXELS`` pixels (a small file
    can declare a huge image: a decompression bomb). The EXIF orientation is applied,
    transparency is flattened on white, and the largest centred square is scaled down with
    Lanczos filtering, whose antialiasing also defeats image-scaling attacks.
    """
    content = _read_limited(data)
    with _open_header(content) as image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PhotoError(_too_many_pixels(width, height))
        try:
            # A JPEG can be decoded at 1/2 to 1/8 scale directly, saving most of the memory.
            image.draft("RGB", (PHOTO_SIZE[0] * 2, PHOTO_SIZE[1] * 2))
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            if image.mode.startswith("I"):
                # 16-bit greyscale would come out white from a plain conversion.
                image = image.convert("I").point(lambda value: value / 256).convert("L")
            if image.mode not in _RESIZABLE_MODES or "transparency" in image.info:
                # Palette and 1-bit images would be resized by nearest pixel, not Lanczos.
                image = image.convert("RGBA")
            square = _centre_square(image).convert("RGBA")
        except Image.DecompressionBombError as error:
            raise PhotoError(_too_many_pixels(width, height)) from error
        except _DECODING_ERRORS as error:
            raise PhotoError(NOT_AN_IMAGE) from error
    photo = Image.new("RGB", PHOTO_SIZE, "white")
    photo.paste(square, mask=square.getchannel("A"))
    output = io.BytesIO()
    # No exif=, icc_profile= or comment= arguments: the new file carries pixels only.
    photo.save(output, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return output.getvalue()


def _read_limited(data: bytes | BinaryIO) -> bytes:
    """Return the upload's bytes, refusing it without reading it all if it is over the limit."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        content = bytes(data)
    else:
        declared = getattr(data, "size", None)  # Django's UploadedFile knows its size
        if isinstance(declared, int) and declared > MAX_FILE_BYTES:
            raise PhotoError(_too_many_bytes(declared))
        if hasattr(data, "seek"):
            data.seek(0)
        content = data.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise PhotoError(_too_many_bytes(len(content)))
    if not content:
        raise PhotoError(NOT_AN_IMAGE)
    return content


def _open_header(content: bytes) -> Image.Image:
    """Open the image lazily: only its header is read, so its size is known before decoding."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that; we refuse it as an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own limit is above ours, so the image is over ours too.
        raise PhotoError(_too_many_pixels(*_header_size(content))) from error
    except _DECODING_ERRORS as error:
        raise PhotoError(NOT_AN_IMAGE) from error
    if image.format not in ACCEPTED_FORMATS:
        image.close()
        raise PhotoError(NOT_AN_IMAGE)
    return image


def _header_size(content: bytes) -> tuple[int, int]:
    """Width and height of an image that Pillow refused to open, read from its header alone."""
    prefix = content[:16]
    for name in ACCEPTED_FORMATS:
        factory, accept = Image.OPEN[name]
        if accept is None or accept(prefix):
            with factory(io.BytesIO(content)) as header:  # reads the header, decodes nothing
                return header.size
    raise PhotoError(NOT_AN_IMAGE)


def _centre_square(image: Image.Image) -> Image.Image:
    """The largest centred square of the image, resized to ``PHOTO_SIZE`` with Lanczos."""
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    box = (left, top, left + side, top + side)
    return image.resize(PHOTO_SIZE, Image.Resampling.LANCZOS, box=box)


def _too_many_bytes(size: int) -> str:
    megabytes = math.ceil(size / (1024 * 1024) * 10) / 10  # rounded up: 10.01 MB is not 10 MB
    return f"This file is {megabytes:.1f} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB."


def _too_many_pixels(width: int, height: int) -> str:
    return (
        f"This image is {width:,} x {height:,} pixels; the limit is "
        f"{MAX_PIXELS // 1_000_000} megapixels. Please upload a smaller one."
    )
