""""Page N of M" in one layout pass.

The RML idiom (a ``namedString`` at the end of the story read back by ``getName``) makes ReportLab lay the
whole document out twice. Instead, pages are held until ``save()`` (the usual platypus idiom), and the
template's ``<plugInGraphic module="worksheet.pagecount" function="page_of">`` asks for the page number to be
drawn then, when the total is known. Position, font and wording stay in the template.
"""

from __future__ import annotations

import json

from reportlab.pdfgen.canvas import Canvas


class PageCountCanvas(Canvas):
    """A canvas that holds finished pages until save(), then runs each page's deferred drawing with the total."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []
        self._deferred: list = []

    def defer(self, draw) -> None:
        """Call ``draw(canvas, page_number, page_count)`` on this page once the page count is known."""
        self._deferred.append(draw)

    def showPage(self) -> None:
        self._held_pages.append({**self.__dict__, "_deferred": self._deferred})
        self._deferred = []
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            for draw in self._deferred:
                draw(self, number, total)
            super().showPage()
        super().save()


def page_of(canvas, params: str) -> None:
    """plugInGraphic: params is JSON {"x", "y", "font", "size", "text" with {page} and {pages}, "align"}."""
    options = json.loads(params)
    if not hasattr(canvas, "defer"):  # rendered by plain z3c.rml: no total available, show the page alone
        return

    def draw(target, number: int, total: int) -> None:
        target.saveState()
        target.setFont(options.get("font", "Sans"), float(options.get("size", 10)))
        text = options["text"].format(page=number, pages=total)
        {"right": target.drawRightString, "center": target.drawCentredString}.get(
            options.get("align", "left"), target.drawString
        )(float(options["x"]), float(options["y"]), text)
        target.restoreState()

    canvas.defer(draw)
