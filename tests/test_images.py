"""Images a user brings are loaded safely: upright, printable, print-sized, or refused with a clear line."""

import base64
import io

import pytest
from PIL import Image

from worksheet import ImageError
from worksheet.images import place_image


def decoded(placed) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(placed.src.split(",", 1)[1])))


def test_exif_rotated_photo_is_placed_upright(tmp_path):
    path = tmp_path / "rotated.jpg"
    image = Image.new("RGB", (300, 100), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    image.save(path, exif=exif)
    placed = place_image(path, 150, 150)
    assert placed.height > placed.width  # 300×100 stored, shown 100×300
    assert decoded(placed).height > decoded(placed).width


@pytest.mark.parametrize(
    ("mode", "fmt", "expected_mode"),
    [("CMYK", "JPEG", "RGB"), ("I;16", "PNG", "L"), ("RGBA", "PNG", "RGBA"), ("P", "GIF", "RGB")],
    ids=["CMYK JPEG becomes RGB", "16-bit PNG becomes 8-bit grey", "alpha is kept", "palette becomes RGB"],
)
def test_modes_become_printable(tmp_path, mode, fmt, expected_mode):
    path = tmp_path / f"image.{fmt.lower()}"
    Image.new(mode, (64, 64)).save(path, fmt)
    assert decoded(place_image(path, 100, 100)).mode == expected_mode


def test_palette_with_transparency_keeps_it(tmp_path):
    path = tmp_path / "transparent.png"
    image = Image.new("P", (32, 32), 0)
    image.info["transparency"] = 0
    image.save(path, transparency=0)
    assert decoded(place_image(path, 50, 50)).mode == "RGBA"


def test_animated_gif_prints_its_first_frame(tmp_path):
    path = tmp_path / "moving.gif"
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue")]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    pixel = decoded(place_image(path, 40, 40)).convert("RGB").getpixel((20, 20))
    assert pixel[0] > 200 and pixel[2] < 50


def test_large_image_is_downscaled_to_300_dpi_at_placed_size(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("RGB", (5000, 2500), "green").save(path)
    placed = place_image(path, 144, 144)  # 2 inches wide → 600 px at 300 dpi
    assert (placed.width, placed.height) == (144, 72)
    assert decoded(placed).size == (600, 300)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "not a readable image"),
        (b"this is a text file, not a picture", "not a readable image"),
        (None, "image file not found"),
    ],
    ids=["zero bytes", "not an image", "missing"],
)
def test_unreadable_files_are_refused_with_the_file_named(tmp_path, content, expected):
    path = tmp_path / "picture.png"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImageError) as error:
        place_image(path, 100, 100)
    assert str(error.value).startswith(f"{path}: {expected}")


def test_truncated_image_is_refused(tmp_path):
    path = tmp_path / "cut.png"
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 50).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue()[:-2000])
    with pytest.raises(ImageError, match="not a readable image"):
        place_image(path, 100, 100)


def test_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(path)  # 400 Mpx: over Pillow's safety limit, a few KB on disk
    with pytest.raises(ImageError, match="too many to open safely"):
        place_image(path, 100, 100)
