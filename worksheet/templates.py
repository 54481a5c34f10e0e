"""Layouts found and carried: a layout resolves into the spec as the source text of its template and of every
partial it uses, so ``build(spec)`` needs no folder, in any process, on any machine.

A layout is ``NAME.rml.j2`` in a user's layout folder (looked up first) or the bundled ``layouts/``; it may use
partials from either (``{% extends "partials/document.rml.j2" %}``). ``digest`` names the set of sources by
content, so a worker can cache its compiled templates by it.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ._paths import bundled
from .errors import TemplateError

SUFFIX = ".rml.j2"


class TemplateFile(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    source: str
    path: str  # where it was read from: for messages only, never read again


class Layout(BaseModel):
    """A layout's template and every template it reaches, by the name templates use for each other."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    name: str
    files: dict[str, TemplateFile]

    @property
    def entry(self) -> str:
        return f"{self.name}{SUFFIX}"

    @property
    def digest(self) -> str:
        """The sha256 of every template name and source: the same layout anywhere has the same digest."""
        hasher = hashlib.sha256()
        for name in sorted(self.files):
            hasher.update(f"{name}\0{self.files[name].source}\0".encode())
        return hasher.hexdigest()


def layout_folders(extra_folders: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """Where layouts are looked up, in order: the user's folders, then the bundled one."""
    return (*(Path(folder) for folder in extra_folders), bundled("layouts"))


def available_layouts(extra_folders: tuple[Path, ...] = ()) -> list[str]:
    return sorted({path.name.removesuffix(SUFFIX) for folder in layout_folders(extra_folders) for path in folder.glob(f"*{SUFFIX}")})


def _find(name: str, folders: tuple[Path, ...]) -> Path | None:
    for folder in folders:
        path = folder / name
        if path.is_file():
            return path
    return None


_cache: dict[tuple[str, tuple[Path, ...]], tuple[tuple[tuple[str, int], ...], Layout]] = {}
_cache_lock = threading.Lock()


def _stamps(layout: Layout, folders: tuple[Path, ...]) -> tuple[tuple[str, int], ...]:
    """What must not have changed for a cached layout to stand: its files, and the folders a new file that
    would shadow one of them could appear in."""
    subfolders = {str(Path(name).parent) for name in layout.files}
    paths = [Path(file.path) for file in layout.files.values()]
    paths += [folder / sub for folder in folders for sub in subfolders]
    return tuple((str(path), path.stat().st_mtime_ns if path.exists() else -1) for path in paths)


def load_layout(name: str, extra_folders: tuple[Path, ...] = ()) -> Layout:
    """The layout and every template it extends, imports or includes; a missing one or a syntax error is a
    TemplateError naming the file and line. Read once per process while the files stay as they are (parsing to
    find the partials costs ≈20 ms, as much as the rest of resolving)."""
    folders = layout_folders(extra_folders)
    with _cache_lock:
        cached = _cache.get((name, folders))
    if cached is not None and cached[0] == _stamps(cached[1], folders):
        return cached[1]
    layout = _read_layout(name, extra_folders)
    with _cache_lock:
        _cache[(name, folders)] = (_stamps(layout, folders), layout)
    return layout


def _referenced(source: str, name: str, path: str) -> list[str | None]:
    """The templates a source extends, imports or includes (None for a name computed at render time); a syntax
    error is a TemplateError naming the file and line. A source that parsed before is not parsed again: its
    list comes from the disk cache (worksheet/_cache.py), named by the source."""
    import json

    from . import _cache

    entry = _cache.key("template-references", source)
    stored = _cache.load("layouts", entry)
    if stored is not None:
        try:
            found = json.loads(stored)
            if isinstance(found, list) and all(item is None or isinstance(item, str) for item in found):
                return found
        except ValueError:
            pass  # a damaged entry: parse again
    import jinja2
    from jinja2 import meta

    try:
        parsed = jinja2.Environment(extensions=["jinja2.ext.i18n"]).parse(source, name, path)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename or error.name}:{error.lineno}: {error.message}") from None
    referenced: list[str | None] = list(meta.find_referenced_templates(parsed))
    _cache.store("layouts", entry, json.dumps(referenced).encode())
    return referenced


def _read_layout(name: str, extra_folders: tuple[Path, ...]) -> Layout:
    folders = layout_folders(extra_folders)
    entry = f"{name}{SUFFIX}"
    if _find(entry, folders) is None:
        known = ", ".join(available_layouts(extra_folders))
        raise TemplateError(f"layout '{name}' not found; choose one of: {known}")
    files: dict[str, TemplateFile] = {}
    pending = [entry]
    while pending:
        template = pending.pop()
        if template in files:
            continue
        path = _find(template, folders)
        if path is None:
            raise TemplateError(f"layout '{name}' uses '{template}', which is in no layout folder")
        source = path.read_text(encoding="utf-8")
        files[template] = TemplateFile(source=source, path=str(path))
        referenced = _referenced(source, template, str(path))
        if None in referenced:  # a name computed at render time: carry every template there is
            referenced = [*sorted({str(p.relative_to(f)) for f in folders for p in f.rglob(f"*{SUFFIX}")})]
        pending.extend(name for name in referenced if name is not None)
    return Layout(name=name, files=files)
