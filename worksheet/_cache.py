"""A content-addressed cache on disk, for work that is the same in every process: a figure's drawing
operators, the validated bundled library, compiled layout templates. It makes a cold command fast from its
second run on; it never changes what a command produces.

An entry is named by the sha256 of everything its value depends on: the inputs the caller passes (a figure's
parameters, the library's file contents, ...) and the fingerprint of the code that computes it — the source of
every module of this package and the installed files of the libraries it builds on. Changing any of them
names another entry, so a stale value is never read; it is only left behind, in a folder of its fingerprint.

Where: ``$WORKSHEET_CACHE_DIR`` if set, else the user's cache folder (``~/.cache/worksheet`` on Linux).
``WORKSHEET_NO_CACHE=1`` turns it off. A folder that cannot be written (read-only home, full disk) just means
no cache: every failure here falls back to doing the work. Nothing about a patient is ever stored: callers
pass only library data, layout sources and figure geometry.

Writes are atomic (a uniquely named temporary file, then a rename), so processes and threads building at once
share the cache safely and a reader never sees half an entry.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# The libraries whose code decides what a cached value is: their installed files are in the fingerprint.
_ENGINE_MODULES = ("reportlab", "z3c.rml", "jinja2", "markupsafe", "pydantic", "pydantic_core", "lxml", "babel", "zope.schema")

_lock = threading.Lock()
_fingerprint: str | None = None


def _enabled_folder() -> Path | None:
    if os.environ.get("WORKSHEET_NO_CACHE", "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get("WORKSHEET_CACHE_DIR", "").strip()
    if chosen:
        return Path(chosen)
    if sys.platform.startswith("linux"):  # platformdirs' answer on Linux, without its import (≈ 10 ms)
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(base if os.path.isabs(base) else os.path.expanduser("~/.cache")) / "worksheet"
    import platformdirs

    return Path(platformdirs.user_cache_dir("worksheet", appauthor=False))


def fingerprint() -> str:
    """The sha256 of this package's source and of where and when each engine library was installed: an
    upgrade of either names new entries. ≈ 2 ms, once per process."""
    global _fingerprint
    with _lock:
        if _fingerprint is None:
            import importlib.util

            hasher = hashlib.sha256(sys.version.encode())
            for path in sorted(_PACKAGE.rglob("*.py")):
                hasher.update(f"{path.relative_to(_PACKAGE)}\0".encode())
                hasher.update(path.read_bytes())
            for name in _ENGINE_MODULES:
                spec = importlib.util.find_spec(name)
                origin = spec.origin if spec is not None and spec.origin else ""
                stamp = os.stat(origin).st_mtime_ns if origin and os.path.exists(origin) else 0
                hasher.update(f"{name}\0{origin}\0{stamp}\0".encode())
            _fingerprint = hasher.hexdigest()
        return _fingerprint


def key(*parts: str | bytes) -> str:
    """The entry name for a value computed from parts (by this package's code, see fingerprint)."""
    hasher = hashlib.sha256(fingerprint().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def bundled_assets_key(kind: str) -> str:
    """The entry name for a value computed from the bundled assets folder by this code: every TOML file's
    content (exercises, programs, translations, caution rules), and the size and time of every other file
    (fonts: what prints decides what a load accepts). ≈ 3 ms."""
    from ._paths import bundled

    assets = bundled("assets")
    parts: list[str | bytes] = [kind, str(assets)]
    for path in sorted(assets.rglob("*")):
        if path.is_file():
            parts.append(str(path.relative_to(assets)))
            if path.suffix == ".toml":
                parts.append(path.read_bytes())
            else:
                stat = path.stat()
                parts.append(f"{stat.st_size}\0{stat.st_mtime_ns}")
    return key(*parts)


def _path(kind: str, name: str) -> Path | None:
    folder = _enabled_folder()
    if folder is None:
        return None
    return folder / fingerprint()[:16] / kind / name


def load(kind: str, name: str) -> bytes | None:
    """The stored value, or None (not stored, cache off or unreadable)."""
    path = _path(kind, name)
    if path is None:
        return None
    try:
        with open(path, "rb") as file:
            # Only what this user wrote: a value may be a pickle (the library), never to be taken from another.
            if hasattr(os, "geteuid") and os.fstat(file.fileno()).st_uid != os.geteuid():
                return None
            return file.read()
    except OSError:
        return None


def store(kind: str, name: str, value: bytes) -> None:
    """Keep value under name; quietly does nothing if the folder cannot be written."""
    path = _path(kind, name)
    if path is None:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{os.urandom(4).hex()}")
    try:
        path.parents[2].mkdir(mode=0o700, parents=True, exist_ok=True)  # the cache's own folder: the user's only
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(temporary, "xb") as file:
            file.write(value)
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass


def jinja_bytecode_cache():
    """A Jinja2 bytecode cache over this disk cache: a layout template compiles once per source, not once per
    process. An entry is named by the template's name, file and source (and, through the fingerprint, the
    environment's settings in compose.py and Jinja2's version); Jinja checks its own header on load too."""
    import jinja2

    class DiskBytecodeCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket) -> None:
            stored = load("jinja", key(bucket.key, bucket.checksum))
            if stored is not None:
                import io

                bucket.load_bytecode(io.BytesIO(stored))  # a wrong header or a damaged entry: Jinja compiles again

        def dump_bytecode(self, bucket) -> None:
            import io

            buffer = io.BytesIO()
            bucket.write_bytecode(buffer)
            store("jinja", key(bucket.key, bucket.checksum), buffer.getvalue())

    return DiskBytecodeCache()
