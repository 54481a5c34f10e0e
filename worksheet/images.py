"""Raster illustrations (a clinic's photo, a user's drawing) made safe and print-sized through Pillow."""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import ImageError
from .limits import MAX_IMAGE_PIXELS

PRINT_DPI = 300
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PlacedImage:
    """An image ready for the page: a ``data:`` URI and its placed size in points."""

    src: str
    width: float
    height: float


def place_image(path: str | Path, max_width: float, max_height: float) -> PlacedImage:
    """Load an image, upright and in a printable mode, scaled to fit the box at print resolution."""
    from PIL import Image, ImageOps  # deferred: only sheets with photos pay for Pillow

    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # a FIFO would stall the read, a device never end
            raise ImageError(f"{path}: is not a regular file; give an image file saved on disk")
        with warnings.catch_warnings():
            # Pillow warns (raw, on stderr) between its limit and twice it; ours is lower and said in our words.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(path)
        with opened:
            pixels = opened.width * opened.height
            if pixels > MAX_IMAGE_PIXELS:
                raise ImageError(
                    f"{path}: image is {opened.width:,} × {opened.height:,} = {pixels:,} pixels, more than "
                    f"{MAX_IMAGE_PIXELS:,}; use a smaller image (300 dpi at the printed size is plenty)"
                )
            source_format = opened.format
            opened.seek(0)  # an animated image prints its first frame
            image = ImageOps.exif_transpose(opened)
            image.load()
    except FileNotFoundError:
        raise ImageError(f"{path}: image file not found; check the path") from None
    except Image.DecompressionBombError:
        raise ImageError(
            f"{path}: image has more than {MAX_IMAGE_PIXELS:,} pixels, too many to open safely; "
            "use a smaller image (300 dpi at the printed size is plenty)"
        ) from None
    except IsADirectoryError:
        raise ImageError(f"{path}: is a folder, expected an image file") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageError(f"{path}: not a readable image ({error}); use a PNG or JPEG file") from None

    image = _printable_mode(image)
    scale = min(max_width / image.width, max_height / image.height)
    width, height = image.width * scale, image.height * scale
    # More pixels than 300 dpi at the placed size only make the PDF bigger.
    target = (max(1, round(width / POINTS_PER_INCH * PRINT_DPI)), max(1, round(height / POINTS_PER_INCH * PRINT_DPI)))
    if image.width > target[0] or image.height > target[1]:
        image = image.resize(target, Image.Resampling.LANCZOS)

    buffer = io.BytesIO()
    if image.mode == "RGB" and source_format == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True)
        mime = "image/jpeg"
    else:
        image.save(buffer, "PNG", optimize=True)
        mime = "image/png"
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return PlacedImage(src=f"data:{mime};base64,{encoded}", width=round(width, 2), height=round(height, 2))


def _printable_mode(image):
    """RGB, greyscale, or RGBA where the image has transparency; never CMYK, 16-bit or palette."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("LA", "PA", "RGBa", "La"):
        return image.convert("RGBA")
    if image.mode in ("RGBA", "RGB", "L"):
        return image
    return image.convert("RGB")  # CMYK, YCbCr, LAB, 1, F …

