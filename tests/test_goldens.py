"""Golden pages: page 1 and the last page of every layout (seed program, Letter, English), compared by pixels.

A change that moves the printed page fails here with a diff image (tests/goldens/diff/NAME.png: changed pixels
in red over the new page). When the change is meant, regenerate deliberately:

    UPDATE_GOLDENS=1 python -m pytest tests/test_goldens.py

which rewrites tests/goldens/*.png and, from the same renders, the README's layout pictures (assets/readme/).
Look at the new pages before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import worksheet
from helpers import DATE
from worksheet.templates import available_layouts

GOLDENS = Path(__file__).parent / "goldens"
README_PICTURES = Path(__file__).parent.parent / "assets" / "readme"
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"
SCALE = 0.5  # 36 dpi: enough to see a moved card, small enough to commit
README_SCALE = 0.9  # the README pictures are 551 × 713
# A pixel counts as changed past this grey-level difference; a page fails past this share of changed pixels
# (anti-aliasing differences between pdfium builds stay well under it).
PIXEL_TOLERANCE = 48
SHARE_TOLERANCE = 0.002


def _pages(library, layout: str):
    import pypdfium2 as pdfium

    spec = worksheet.resolve(
        worksheet.Request(program="dont-crack-your-back", layout=layout, date=DATE, patient="Ana López",
                          clinician="Dr. Sam Lee", clinic="Riverside Physio"),  # fmt: skip
        library,
    )
    document = pdfium.PdfDocument(worksheet.build(spec))
    return document[0], document[len(document) - 1]


def _compare(name: str, image) -> None:
    from PIL import Image, ImageChops

    golden_path = GOLDENS / f"{name}.png"
    if UPDATE:
        GOLDENS.mkdir(exist_ok=True)
        image.save(golden_path, optimize=True)
        return
    assert golden_path.exists(), f"no golden page {golden_path}; make it with UPDATE_GOLDENS=1"
    golden = Image.open(golden_path).convert("L")
    assert golden.size == image.size, f"{name}: page size {image.size}, golden {golden.size}"
    changed = ImageChops.difference(golden, image).point(lambda value: 255 if value > PIXEL_TOLERANCE else 0)
    share = sum(1 for value in changed.getdata() if value) / (image.width * image.height)
    if share > SHARE_TOLERANCE:
        diff_folder = GOLDENS / "diff"
        diff_folder.mkdir(exist_ok=True)
        overlay = Image.merge("RGB", (Image.new("L", image.size, 255), image, image))
        Image.composite(overlay, image.convert("RGB"), changed).save(diff_folder / f"{name}.png")
        pytest.fail(f"{name}: {share:.2%} of pixels changed (tolerance {SHARE_TOLERANCE:.2%}); "
                    f"see {diff_folder / name}.png, or regenerate with UPDATE_GOLDENS=1")  # fmt: skip


@pytest.mark.parametrize("layout", available_layouts())
def test_first_and_last_page_match_the_golden(library, layout):
    first, last = _pages(library, layout)
    _compare(f"{layout}-letter-en-page1", first.render(scale=SCALE, grayscale=True).to_pil().convert("L"))
    _compare(f"{layout}-letter-en-last", last.render(scale=SCALE, grayscale=True).to_pil().convert("L"))
    if UPDATE:  # the README shows the same page 1, larger
        first.render(scale=README_SCALE).to_pil().save(README_PICTURES / f"{layout}-letter-page1.png", optimize=True)


@pytest.mark.skipif(not UPDATE, reason="regenerates the README's Spanish picture only with UPDATE_GOLDENS=1")
def test_readme_spanish_picture(library):
    import pypdfium2 as pdfium

    spec = worksheet.resolve(worksheet.Request(program="dont-crack-your-back", layout="list", lang="es", date=DATE,
                                               patient="Ana López"), library)  # fmt: skip
    page = pdfium.PdfDocument(worksheet.build(spec))[0]
    page.render(scale=README_SCALE).to_pil().save(README_PICTURES / "list-es-page1.png", optimize=True)
