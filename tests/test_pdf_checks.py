"""The PDF checks the other tests trust (tests/helpers.py) refuse what they say they refuse."""

import io
import os
import shutil

import pytest

from helpers import assert_valid_pdf

BROKEN_CONTENT = {
    "unterminated string": b"BT /F1 12 Tf 10 10 Td (abc Tj ET",
    "bad hex string": b"BT /F1 12 Tf 10 10 Td <zz> Tj ET",
    "dictionary never closed": b"q << /A 1 BDC Q",
    "stray closing tokens": b"\x00\xff ] ] >> )",
}


def _one_page_pdf(content: bytes) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.skipif(shutil.which("qpdf") is None and os.environ.get("CI") != "true", reason="qpdf is not installed")
@pytest.mark.parametrize("content", BROKEN_CONTENT.values(), ids=BROKEN_CONTENT.keys())
def test_a_broken_content_stream_is_refused(content):
    assert_valid_pdf(_one_page_pdf(b"q 1 0 0 1 10 10 cm 0 0 5 5 re f Q"))  # the same file, sound, passes
    with pytest.raises(AssertionError, match="content"):
        assert_valid_pdf(_one_page_pdf(content))
