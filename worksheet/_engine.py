"""Speed-ups of the PDF engine that leave its output byte-identical; installed once per process.

1. Attributes. For each element, z3c.rml binds every field its directive declares — a paragraph has over 40,
   nearly all absent — to read the few the element has (≈ 490 directives and 20 % of a sheet's render).
   An absent attribute whose field reads it the plain way (``RMLAttribute.get``) has its default for a value,
   which needs no binding; only attributes the element has, and fields that read elsewhere (text content,
   deprecated names), are bound and read as z3c.rml does.

2. Line breaks. ReportLab lays a card out several times: a table measures each cell's paragraphs to size its rows, a
``keepTogether`` measures the whole table to see if it fits, the frame measures it again to place it, and the
table wraps each cell once more before drawing. Each ``Paragraph.wrap`` breaks the paragraph into lines
afresh, although nothing has changed but the call: 337 wraps for 127 paragraphs on a 7-card sheet, the largest
part of the render. The paragraphs z3c.rml makes here remember each width's result and hand it back.

3. Paragraphs the same in every document. A roster's sheets share most of their paragraphs (the steps, tips and
   headings of the same exercises; only the patient's name or a dose differs), and the page planner parses and
   wraps each paragraph of a sheet before the render does it again. A paragraph's parse (its fragments) and its
   line breaks at a width depend only on its text and its style's values, so paragraphs with the same text and
   style values share one parse and one memo of line breaks, in a bounded store (``_PARSED_LIMIT``), across
   the documents of a process. Only text with static markup (bold, italic, fonts, links, line breaks) is
   shared: tags that read the document (page numbers, names, sequences, styled spans) are parsed afresh.

4. Styles. z3c.rml deep-copied a parent paragraph style (and its ancestors) for each ``<paraStyle>``, and a
   table style for each ``<blockTable>``: ≈ 9 % of a sheet. ReportLab copies a parent style's values into the
   new style anyway (``PropertySet.refresh``), and nothing changes the values they share (colours, strings,
   numbers), so a shallow copy gives the same style; a table style's copy gets its own command list.

5. Import. ReportLab compiles two regular expressions at import that our sheets never or rarely use, and
that cost ≈ 50 ms of a cold start together: a case-insensitive URL pattern over the whole Basic
Multilingual Plane (``platypus.paragraph.uri_pat``, for splitting long links) and a CJK pattern for
``textsplit.cjkwrap``. ``import_reportlab`` imports ReportLab with those two compiled on first use instead.
"""

from __future__ import annotations

import collections
import copy
import re
import sys
import threading

_lock = threading.Lock()
_installed = False
# Shared paragraph parses (3. above): at most this many, the least recently used dropped first. A 7-exercise
# sheet has ≈ 120 paragraphs, most the same on every sheet of a roster (those stay recent); a roster adds about two
# of its own a sheet (the patient's name, a dose), which this bound keeps from growing a long batch's workers.
_PARSED_LIMIT = 1024
_parsed: collections.OrderedDict = collections.OrderedDict()
_parsed_lock = threading.Lock()
# Markup inside a paragraph that reads nothing but the text: a paragraph using only these may be shared.
_STATIC_TAGS = frozenset({"b", "i", "u", "strike", "strong", "em", "font", "super", "sup", "sub", "br", "a", "link"})
_TAG = re.compile(r"<\s*/?\s*([A-Za-z_][\w:.-]*)")
# The attributes Paragraph.wrap and Paragraph.breakLines assign (reportlab 5.1, platypus/paragraph.py).
_SET_BY_WRAP = frozenset({"width", "height", "_wrapWidths", "blPara", "_width_max", "_splitLongWordCount", "_hyphenations"})


def _memo_paragraph_class():
    from reportlab.platypus.paragraph import cleanBlockQuotedText
    from z3c.rml.paraparser import Z3CParagraph

    class MemoParagraph(Z3CParagraph):
        """A paragraph that breaks its lines once per width: a wrap at a width seen before restores what that
        wrap set (its lines, width, height) instead of breaking the lines again. Line breaking depends only on
        the width, the style and the text, and the last two never change once a paragraph is made; so
        paragraphs of the same text and style values share their parse and that memo (3. above)."""

        def _setup(self, text, style, bulletText, frags, cleaner, manager):
            key = _shared_key(text, style, bulletText, frags, cleaner is cleanBlockQuotedText, self.caseSensitive)
            if key is None:
                return super()._setup(text, style, bulletText, frags, cleaner, manager)
            with _parsed_lock:
                found = _parsed.get(key)
                if found is not None:
                    _parsed.move_to_end(key)
            if found is None:
                super()._setup(text, style, bulletText, frags, cleaner, manager)
                if self.style is not style:  # the markup changed the style: this parse is its own
                    return
                found = (self.text, self.frags, self.bulletText, {})
                with _parsed_lock:
                    _parsed[key] = found
                    if len(_parsed) > _PARSED_LIMIT:
                        _parsed.popitem(last=False)
            else:
                self.text, frags, self.bulletText, _ = found
                self.frags = list(frags)
                self.style = style
                self.debug = 0
            self.__dict__["_wrap_memo"] = found[3]

        def wrap(self, availWidth, availHeight):
            memo = self.__dict__.get("_wrap_memo")
            if memo is None:
                memo = self.__dict__["_wrap_memo"] = {}
            found = memo.get(availWidth)
            if found is not None:
                result, state = found
                self.__dict__.update(state)
                return result
            before = dict(self.__dict__)
            result = super().wrap(availWidth, availHeight)
            # What this wrap set: the attributes ReportLab's wrap and breakLines assign, and any other it changed.
            changed = {key for key, value in self.__dict__.items() if key not in before or before[key] is not value}
            memo[availWidth] = (result, {key: self.__dict__[key] for key in changed | _SET_BY_WRAP if key in self.__dict__})
            return result

    MemoParagraph.__name__ = MemoParagraph.__qualname__ = "MemoParagraph"
    return MemoParagraph


def forget_shared_paragraphs() -> None:
    """Drop the paragraphs shared across documents (3. above), so the next sheet parses its own (bench/ times a
    sheet as the first of its kind)."""
    with _parsed_lock:
        _parsed.clear()


def _shared_key(text, style, bulletText, frags, plain_cleaner: bool, case_sensitive) -> tuple | None:
    """What a paragraph's parse and line breaks depend on, or None where they may depend on more: markup that
    reads the document, ready-made fragments, right-to-left text (whose lines are reversed as they are drawn)."""
    if frags is not None or not plain_cleaner or not isinstance(text, str) or not isinstance(bulletText, str | None):
        return None
    if getattr(style, "wordWrap", None) == "RTL" or not _STATIC_TAGS.issuperset(_TAG.findall(text)):
        return None
    try:  # the style's values (ReportLab copies a parent's into the style), not the parent itself
        values = frozenset((name, value) for name, value in vars(style).items() if name != "parent")
        return (text, bulletText, case_sensitive, type(style), values)
    except TypeError:  # a value that cannot be compared safely
        return None


class _Signature:
    """A directive's declared fields, sorted for reading: which must always be looked at, which only when the
    element has the attribute."""

    def __init__(self, signature) -> None:
        import zope.schema
        from z3c.rml import attr, interfaces

        self.fields = zope.schema.getFieldsInOrder(signature)
        self.position = {name: index for index, (name, _) in enumerate(self.fields)}
        # (field, whether an absent attribute simply means the field's default) by position
        self.plain = [type(field).get is attr.RMLAttribute.get and not interfaces.IDeprecated.providedBy(field)
                      for _, field in self.fields]  # fmt: skip
        # Absent, a plain field gives its default, and one without a default (and not required) gives nothing:
        # only the others need a look whatever the element holds.
        self.always = frozenset(
            index for index, (_, field) in enumerate(self.fields)
            if not self.plain[index] or field.required
            or (field.default is not None and field.default is not field.missing_value)
        )  # fmt: skip

    def candidates(self, attributes) -> list[int]:
        present = {self.position[name] for name in attributes if name in self.position}
        return sorted(self.always | present)


_signatures: dict = {}


def _signature(signature) -> _Signature:
    found = _signatures.get(signature)
    if found is None:
        found = _signatures[signature] = _Signature(signature)
    return found


def _get_attribute_values(self, ignore=None, select=None, attrMapping=None, includeMissing=False, valuesOnly=False):
    """z3c.rml's RMLDirective.getAttributeValues (5.2): the same result, looking only at the fields that can
    give a value (all of them when includeMissing asks for every field), and binding none that is absent."""
    from z3c.rml.directive import getFileInfo

    attributes = self.element.attrib
    signature = _signature(self.signature)
    indexes = range(len(signature.fields)) if includeMissing else signature.candidates(attributes)
    items = []
    for index in indexes:
        name, field = signature.fields[index]
        if (ignore is not None and name in ignore) or (select is not None and name not in select):
            continue
        if signature.plain[index] and name not in attributes:
            value = field.default if field.default is not None else field.missing_value
        else:
            value = field.bind(self).get()
        if field.required and value is field.missing_value:
            raise ValueError(
                f'No value for required attribute "{name}" in directive "{self.element.tag}" {getFileInfo(self)}.'
            )
        if value is not field.missing_value or includeMissing:
            items.append((name, value))
    if select is not None:
        select = list(select)
        items = sorted(items, key=lambda item: select.index(item[0]))
    if attrMapping:
        items = [(attrMapping.get(name, name), value) for name, value in items]
    if valuesOnly:
        return [value for _, value in items]
    return items


def _process_style(self, style):
    """z3c.rml's Paragraph.processStyle (5.2) with a shallow copy of the style where it made a deep one: a
    ``<para bulletText=…>`` deep-copied its style and every parent style (≈ 4,000 copy calls a sheet), and
    nothing mutates what the copies share (the parents, colours)."""
    import copy

    present = [name for name in self.styleAttributes if self.element.get(name) is not None]
    values = self.getAttributeValues(select=present)
    if values:
        style = copy.copy(style)
        for name, value in values:
            setattr(style, name, value)
    return style


def _paragraph_style_process(self):
    """z3c.rml's stylesheet.ParagraphStyle.process (5.2) with a shallow copy of the parent style (4. above)."""
    from z3c.rml import attr, stylesheet

    kwargs = dict(self.getAttributeValues())
    parent = kwargs.pop("parent", stylesheet.SampleStyleSheet["Normal"])
    name = kwargs.pop("name")
    style = copy.copy(parent)
    style.name = name[6:] if name.startswith("style.") else name
    for key, value in kwargs.items():
        setattr(style, key, value)
    attr.getManager(self).styles[style.name] = style


def _copied_table_style(style):
    """A table style to add commands to, leaving the original as it was: its own command list and options."""
    copied = copy.copy(style)
    copied._cmds = list(style._cmds)
    copied._opts = dict(style._opts)
    return copied


def _block_table_style_process(self):
    """z3c.rml's flowable.BlockTableStyle.process (5.2): a table's own style, on a copy of the table's."""
    self.style = _copied_table_style(self.parent.style)
    for name, value in self.getAttributeValues():
        setattr(self.style, name, value)
    self.processSubDirectives()
    self.parent.style = self.style


def _block_table_process(self):
    """z3c.rml's flowable.BlockTable.process (5.2), copying the named table style as _copied_table_style does."""
    import reportlab.platypus.tables

    attrs = dict(self.getAttributeValues())
    style = attrs.pop("style", None)
    self.style = reportlab.platypus.tables.TableStyle() if style is None else _copied_table_style(style)
    hAlign = attrs.pop("alignment", None)
    self.rows = []
    self.processSubDirectives(None)
    repeatRows = attrs.pop("repeatRows", None)
    table = self.klass(self.rows, style=self.style, **attrs)
    if repeatRows:
        table.repeatRows = repeatRows
    if hAlign:
        table.hAlign = hAlign
    if hasattr(self.style, "keepWithNext"):  # as z3c.rml: keepWithNext is kept on the table
        table.keepWithNext = self.style.keepWithNext
    self.parent.flow.append(table)


# (module, how the pattern starts) of the expressions compiled on first use; every other compile is untouched.
_DEFERRED_PATTERNS = (
    ("reportlab.platypus.paragraph", "(^(?:[a-z0-9\\.\\-\\+]*)://)"),
    ("reportlab.lib.textsplit", "([\u2e80-\uffff])"),
)


class _PatternOnFirstUse:
    """Stands in for a compiled pattern: compiles it (once) when first used, then behaves exactly as it."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def import_reportlab() -> None:
    """Import ReportLab's platypus (and so all z3c.rml needs of it) with the two costly patterns above compiled
    on first use. Behaviour is unchanged: a pattern compiles the moment anything uses it. Only the patterns
    listed, only inside those modules, and only while they are first imported."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    with _lock:
        plain_compile = re.compile

        def compile_deferring(pattern, flags=0):
            module = sys._getframe(1).f_globals.get("__name__")
            if isinstance(pattern, str) and any(module == name and pattern.startswith(start) for name, start in _DEFERRED_PATTERNS):
                return _PatternOnFirstUse(pattern, flags)
            return plain_compile(pattern, flags)

        re.compile = compile_deferring  # type: ignore[assignment]
        try:
            import reportlab.platypus.paragraph  # noqa: F401
        finally:
            re.compile = plain_compile


def install() -> None:
    """Put the speed-ups (see above) in place in z3c.rml, once per process."""
    global _installed
    with _lock:
        if _installed:
            return
        from z3c.rml import directive, flowable, stylesheet

        directive.RMLDirective.getAttributeValues = _get_attribute_values
        flowable.Paragraph.processStyle = _process_style
        stylesheet.ParagraphStyle.process = _paragraph_style_process
        flowable.BlockTableStyle.process = _block_table_style_process
        flowable.BlockTable.process = _block_table_process
        flowable.Paragraph.klass = _memo_paragraph_class()
        _installed = True
