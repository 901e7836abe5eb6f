"""Photo sanitizing: real images in, a clean 400 x 400 JPEG out, hostile files refused."""

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from podium.seminars.photos import MAX_FILE_BYTES, PhotoError, sanitize_photo

REPO = Path(__file__).resolve().parents[2]
NOT_AN_IMAGE = "This file is not an image we can read (JPEG, PNG, WebP or GIF)."
RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 160, 0), (0, 0, 255), (255, 255, 255)
EXIF_ORIENTATION, EXIF_MAKE, EXIF_GPS_INFO = 0x0112, 0x010F, 0x8825


def encode(image: Image.Image, format: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, format, **options)
    return output.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def stripes(size: tuple[int, int], colours: list[tuple[int, int, int]]) -> Image.Image:
    """Equal stripes along the longer side, in order: left to right, or top to bottom."""
    image = Image.new("RGB", size)
    width, height = size
    count = len(colours)
    for index, colour in enumerate(colours):
        if width >= height:
            box = (index * width // count, 0, (index + 1) * width // count, height)
        else:
            box = (0, index * height // count, width, (index + 1) * height // count)
        image.paste(colour, box)
    return image


def assert_close(pixel, colour, tolerance=12):
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True)), pixel


def bilevel_png(width: int, height: int) -> bytes:
    """A valid, all-black 1-bit PNG, compressed row block by row block: tiny for any size."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = (b"\0" + b"\0" * ((width + 7) // 8)) * 1000  # filter byte 0, then the bits
    compressor = zlib.compressobj(9)
    compressed = [compressor.compress(rows) for _ in range(height // 1000)]
    compressed.append(compressor.compress(rows[: len(rows) // 1000 * (height % 1000)]))
    compressed.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(compressed))
        + chunk(b"IEND", b"")
    )


def test_jpeg_with_exif_comes_out_upright_400_square_and_without_metadata():
    # Stored landscape, red above blue; EXIF orientation 6 says "turn 90 degrees clockwise".
    stored = Image.new("RGB", (800, 400), RED)
    stored.paste(BLUE, (0, 200, 800, 400))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    exif[EXIF_MAKE] = "SpyCam"
    exif.get_ifd(EXIF_GPS_INFO)[2] = (51.0, 30.0, 0.0)  # latitude
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = encode(stored, "JPEG", exif=exif, icc_profile=srgb, comment=b"secret note")

    photo = sanitize_photo(upload)

    image = decode(photo)
    assert image.format == "JPEG"
    assert image.size == (400, 400)
    assert image.mode == "RGB"
    assert image.info.get("progressive")
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert "comment" not in image.info
    assert len(image.getexif()) == 0
    assert b"SpyCam" not in photo and b"secret note" not in photo
    # Turned upright, the red half is on the right and blue on the left.
    assert_close(image.getpixel((50, 200)), BLUE)
    assert_close(image.getpixel((350, 200)), RED)


def test_png_with_alpha_is_flattened_on_white():
    image = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    image.paste((0, 160, 0, 255), (250, 0, 500, 500))

    photo = decode(sanitize_photo(encode(image, "PNG")))

    assert photo.size == (400, 400)
    assert_close(photo.getpixel((20, 200)), WHITE)
    assert_close(photo.getpixel((380, 200)), GREEN)


@pytest.mark.parametrize("format", ["PNG", "WEBP", "GIF"])
def test_other_accepted_formats_become_jpeg(format):
    photo = decode(sanitize_photo(encode(Image.new("RGB", (120, 90), RED), format)))

    assert (photo.format, photo.size) == ("JPEG", (400, 400))
    assert_close(photo.getpixel((200, 200)), RED)


def test_palette_image_with_transparency_is_flattened_on_white():
    image = Image.new("P", (200, 200), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (100, 0, 200, 200))

    photo = decode(sanitize_photo(encode(image, "PNG", transparency=0)))

    assert_close(photo.getpixel((20, 200)), WHITE)
    assert_close(photo.getpixel((380, 200)), RED)


def test_wide_image_is_centre_cropped():
    photo = decode(sanitize_photo(encode(stripes((900, 300), [RED, GREEN, BLUE]), "PNG")))

    for x in (5, 200, 394):
        assert_close(photo.getpixel((x, 200)), GREEN)


def test_tall_image_is_centre_cropped():
    photo = decode(sanitize_photo(encode(stripes((300, 1200), [RED, GREEN, BLUE]), "JPEG")))

    for y in (15, 200, 384):
        assert_close(photo.getpixel((200, y)), GREEN)


def test_downscaling_averages_pixels_so_a_hidden_image_cannot_appear():
    # An image-scaling attack hides a picture in the few pixels a naive scaler samples;
    # here every other column is white, which a proper filter averages to even grey.
    columns = Image.frombytes("L", (1600, 1600), b"\x00\xff" * 800 * 1600)

    photo = decode(sanitize_photo(encode(columns, "PNG"))).convert("L")

    low, high = photo.getextrema()
    assert 110 <= low <= high <= 145


def test_uploaded_file_object_is_read_from_its_start():
    upload = SimpleUploadedFile("me.png", encode(Image.new("RGB", (50, 50), RED), "PNG"))
    upload.read()  # as a form's own validation might have done

    assert decode(sanitize_photo(upload)).size == (400, 400)


@pytest.mark.parametrize("content", [b"hello", b"", b"<svg onload='alert(1)'></svg>"])
def test_non_image_is_refused(content):
    with pytest.raises(PhotoError) as refused:
        sanitize_photo(content)

    assert str(refused.value) == NOT_AN_IMAGE


@pytest.mark.parametrize("format", ["BMP", "TIFF", "ICO"])
def test_image_in_another_format_is_refused(format):
    with pytest.raises(PhotoError, match="not an image we can read"):
        sanitize_photo(encode(Image.new("RGB", (64, 64), RED), format))


def test_truncated_jpeg_is_refused():
    noise = Image.frombytes("L", (600, 600), os.urandom(600 * 600)).convert("RGB")
    complete = encode(noise, "JPEG", quality=95)

    with pytest.raises(PhotoError) as refused:
        sanitize_photo(complete[: len(complete) // 2])

    assert str(refused.value) == NOT_AN_IMAGE


def test_oversize_file_is_refused_with_its_size():
    with pytest.raises(PhotoError) as refused:
        sanitize_photo(b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024 - 3))

    assert str(refused.value) == "This file is 11.0 MB; the limit is 10 MB."


def test_oversize_uploaded_file_is_refused_before_reading_it():
    upload = SimpleUploadedFile("big.jpg", b"\0" * (MAX_FILE_BYTES + 1))

    with pytest.raises(PhotoError, match=r"^This file is 10\.1 MB; the limit is 10 MB\.$"):
        sanitize_photo(upload)
    assert upload.tell() == 0


def test_file_of_exactly_the_limit_is_judged_by_its_content():
    with pytest.raises(PhotoError) as refused:
        sanitize_photo(b"\0" * MAX_FILE_BYTES)

    assert str(refused.value) == NOT_AN_IMAGE


@pytest.mark.parametrize("size", [(8_000, 6_000), (10_000, 10_000)])
def test_image_over_the_pixel_limit_is_refused_with_its_size(size):
    width, height = size

    with pytest.raises(PhotoError) as refused:
        sanitize_photo(bilevel_png(width, height))

    assert str(refused.value) == (
        f"This image is {width:,} x {height:,} pixels; the limit is 40 megapixels. "
        "Please upload a smaller one."
    )


# Run in a fresh interpreter: peak RSS only ever rises, and Pillow's pixel memory is
# allocated in C, where tracemalloc does not see it; getrusage does.
MEASURE_BOMB = """
import json, resource, sys, tracemalloc
from podium.seminars.photos import PhotoError, sanitize_photo
bomb = open(sys.argv[1], "rb").read()
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
try:
    sanitize_photo(bomb)
    message = None
except PhotoError as error:
    message = str(error)
traced_peak = tracemalloc.get_traced_memory()[1]
rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
print(json.dumps({"message": message, "traced_peak": traced_peak, "rss_growth": rss_growth}))
"""


def test_decompression_bomb_is_refused_without_decoding(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(bilevel_png(20_000, 20_000))  # 400 megapixels in about 50 kB
    assert bomb.stat().st_size < 100_000

    result = subprocess.run(
        [sys.executable, "-c", MEASURE_BOMB, str(bomb)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    measured = json.loads(result.stdout)

    assert measured["message"] == (
        "This image is 20,000 x 20,000 pixels; the limit is 40 megapixels. "
        "Please upload a smaller one."
    )
    # Decoding would take 400 MB (one byte per pixel); the header alone needs next to nothing.
    assert measured["traced_peak"] < 50 * 1024 * 1024
    assert measured["rss_growth"] < 50 * 1024 * 1024
