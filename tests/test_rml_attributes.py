"""Every element every layout generates is a directive z3c.rml knows, with only attributes its signature declares.

z3c.rml ignores a misspelt attribute silently, even in strict mode (`keepInFrame mode=` did nothing for months:
the attribute is `onOverflow`). Each directive class declares its attributes as a zope.schema `signature` and
its children in `factories`; this walks the generated RML against those declarations.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect

import pytest
import zope.schema
from lxml import etree
from z3c.rml import canvas, document, flowable

import worksheet
from helpers import DATE
from worksheet.compose import compose
from worksheet.templates import available_layouts


@functools.cache  # reading a class's source is slow, and the walk asks for each element
def _content_class(directive_class):
    """The class that reads a directive's children when it has no factories of its own (a table cell holds a
    story, a header a placed story, page graphics a drawing)."""
    try:
        source = inspect.getsource(directive_class.process)
    except (TypeError, OSError):
        return None
    for marker, content in (("Flow(self.element", flowable.Flow), ("Place(self.element", canvas.Place),
                            ("Drawing(self.element", canvas.Drawing)):  # fmt: skip
        if marker in source:
            return content
    return None


def _problems(element, directive_class, path="") -> list[str]:
    here = f"{path}/{element.tag}"
    classes = [directive_class]
    while (content := _content_class(classes[-1])) is not None and content not in classes:
        classes.append(content)  # a header places a story: Header → Place → Flow
    declared = {name for cls in classes if cls.signature for name in zope.schema.getFieldNames(cls.signature)}
    problems = [
        f"{here} (RML line {element.sourceline}): attribute {name!r} is not one of {sorted(declared)}"
        for name in element.attrib
        if name not in declared
    ]
    if issubclass(directive_class, flowable.Paragraph):
        return problems  # its children are inline markup (<b>, <font>, <br/>), not directives
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments
        child_class = next((cls.factories[child.tag] for cls in classes if child.tag in cls.factories), None)
        if child_class is None:
            problems.append(f"{here}: <{child.tag}> is not a directive z3c.rml reads here")
            continue
        problems += _problems(child, child_class, here)
    return problems


@pytest.fixture(scope="module")
def logo(tmp_path_factory):
    from PIL import Image

    path = tmp_path_factory.mktemp("logo") / "logo.png"
    Image.new("RGB", (300, 120), "#2060a0").save(path)
    return str(path)


@pytest.mark.parametrize("layout", available_layouts())
@pytest.mark.parametrize("features", ["plain", "everything"])
def test_every_element_and_attribute_is_declared(library, logo, layout, features):
    extra = {}
    if features == "everything":
        extra = dict(
            patient="Ana", clinician="Dr. Lee", clinic="Riverside", clinic_address="1 Main St", clinic_phone="555",
            note="Slowly.", next_visit=DATE + dt.timedelta(days=7), also="es", logo=logo, duplex=True,
            videos={"bridge": "https://example.org/bridge"},
        )  # fmt: skip
    spec = worksheet.resolve(worksheet.Request(program="dont-crack-your-back", layout=layout, date=DATE, **extra), library)
    rml = compose(spec, pad_to_even=features == "everything")
    root = etree.fromstring(rml.split("\n", 1)[1] if rml.startswith("<?xml") else rml)
    assert _problems(root, document.Document) == []


def test_the_walk_finds_a_misspelt_attribute():
    root = etree.fromstring('<document><story><para fontSzie="12">x</para><keepInFrame mode="shrink"/></story></document>')
    found = _problems(root, document.Document)
    assert len(found) == 2 and "'fontSzie'" in found[0] and "'mode'" in found[1]
