"""Helpers the feature tests share: a spec on a fixed date, and the PDF readers that look at real output."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import worksheet

DATE = dt.date(2026, 11, 26)
PROGRAM = "dont-crack-your-back"


def make_spec(library: worksheet.Library, **fields) -> worksheet.Spec:
    """A spec from request fields, on a fixed date so output is comparable."""
    fields.setdefault("program", PROGRAM)
    fields.setdefault("date", DATE)
    return worksheet.resolve(worksheet.Request.from_data(fields, "test"), library)


def pdf_pages_text(pdf: bytes | Path) -> list[str]:
    """The text of each page, as pdfium (the renderer Chrome uses) extracts it: ≈7 ms a PDF against pypdf's
    ≈200 ms. pdfium also renders the first and last pages (a page that draws nothing fails here); pypdf in strict
    mode and qpdf check the file itself in assert_valid_pdf, which the tests call on a sample of what they build."""
    import pypdfium2 as pdfium

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    document = pdfium.PdfDocument(data)
    pages = []
    for index in range(len(document)):
        text_page = document[index].get_textpage()
        pages.append(plain_lines(text_page.get_text_range()))
        text_page.close()
    for index in {0, len(document) - 1}:
        assert document[index].render(scale=0.15).to_pil().getbbox() is not None
    return pages


def plain_lines(text: str) -> str:
    """pdfium's text of a page with its line breaks as "\n" and its soft-hyphen marks dropped."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "")


def pdf_text(pdf: bytes | Path) -> str:
    return "\n".join(pdf_pages_text(pdf))


def flat(text: str) -> str:
    """Text with line breaks folded to spaces, so wrapped sentences can be found whole."""
    return " ".join(text.split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [(round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) for page in reader.pages]


def image_xobjects(pdf: bytes) -> list:
    """Every raster image on every page."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [image for page in reader.pages for image in page.images]


def render_page(pdf: bytes, index: int = 0, scale: float = 1.0):
    """A page rasterised by pdfium (a second, independent reader) as a Pillow image."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return document[index].render(scale=scale).to_pil()


def text_left_edge(pdf: bytes, needle: str, page: int = 0) -> float:
    """Where (in points from the left) a piece of text starts on a page, as pdfium lays it out."""
    import pypdfium2 as pdfium

    text_page = pdfium.PdfDocument(pdf)[page].get_textpage()
    found = text_page.search(needle).get_next()
    assert found is not None, f"{needle!r} not on page {page + 1}"
    return text_page.get_charbox(found[0])[0]


def text_box(pdf: bytes, needle: str, page: int = 0) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top; points, from the page's bottom left) of a piece of text's first
    character, as pdfium lays it out."""
    import pypdfium2 as pdfium

    text_page = pdfium.PdfDocument(pdf)[page].get_textpage()
    found = text_page.search(needle).get_next()
    assert found is not None, f"{needle!r} not on page {page + 1}"
    return text_page.get_charbox(found[0])


def assert_valid_pdf(pdf: bytes | Path) -> None:
    """More than one reader agrees the PDF is sound: pypdf (strict) reads its structure, every page and every
    content stream's bytes (decoded); qpdf --check tokenizes every content stream, where it is installed (CI
    installs it, so there it is required); pdfium renders every page.

    pypdf's text extraction parses the content streams too, but at ≈200 ms a PDF, and it passes streams qpdf
    refuses (an unterminated string, a bad hex string, a stray `]`: tests/test_pdf_checks.py), so it runs only
    where qpdf is missing."""
    import os
    import shutil
    import subprocess
    import tempfile

    import pypdfium2 as pdfium
    from pypdf import PdfReader

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    qpdf = shutil.which("qpdf")
    if os.environ.get("CI") == "true":
        assert qpdf, "CI must install qpdf (see .ci/run)"
    reader = PdfReader(io.BytesIO(data), strict=True)
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()  # decoded: a broken Flate stream fails here
        if not qpdf:
            page.extract_text()
    document = pdfium.PdfDocument(data)
    assert len(document) == len(reader.pages)
    for index in range(len(document)):
        document[index].render(scale=0.3)
    if qpdf:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            result = subprocess.run([qpdf, "--check", handle.name], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
