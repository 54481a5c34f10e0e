"""Regenerate the image corpus: `python tests/data/bad/images/make_images.py` (files are committed)."""

import io
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent


def main() -> None:
    # Must be refused with one clear line.
    (HERE / "zero-bytes.png").write_bytes(b"")
    (HERE / "not-an-image.jpg").write_text("This is a text file with a picture's name.\n")
    buffer = io.BytesIO()
    Image.effect_noise((120, 120), 60).convert("RGB").save(buffer, "PNG")
    (HERE / "truncated.png").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    Image.new("1", (20_000, 20_000)).save(HERE / "decompression-bomb.png")  # 400 Mpx in a few KB
    # 177 Mpx: between Pillow's warning and its error, it once decoded to 1.1 GB and printed a raw warning.
    Image.new("1", (13_300, 13_300)).save(HERE / "bomb-warning-zone.png")
    Image.new("1", (5_478, 5_477)).save(HERE / "just-over-the-pixel-limit.png")  # 30,003,006 px > 30,000,000
    # Awkward but valid: must print, upright and in a printable mode.
    Image.new("CMYK", (120, 90), (0, 120, 200, 0)).save(HERE / "cmyk.jpg")
    Image.linear_gradient("L").resize((120, 90)).convert("I").point(lambda v: v * 256).convert("I;16").save(
        HERE / "sixteen-bit.png"
    )
    palette = Image.new("P", (120, 90), 1)
    palette.putpalette([255, 255, 255, 200, 40, 40] + [0] * 762)
    palette.paste(0, (0, 0, 60, 90))
    palette.save(HERE / "palette-transparent.png", transparency=0)
    frames = [Image.new("RGB", (120, 90), colour) for colour in ("orange", "blue", "green")]
    frames[0].save(HERE / "animated.gif", save_all=True, append_images=frames[1:], duration=200, loop=0)
    rotated = Image.new("RGB", (120, 60), "white")
    rotated.paste((30, 30, 30), (0, 0, 30, 60))
    exif = rotated.getexif()
    exif[0x0112] = 6  # stored landscape, displayed portrait
    rotated.save(HERE / "exif-rotated.jpg", exif=exif)


if __name__ == "__main__":
    main()
