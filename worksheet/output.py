"""Where output may go, and writing it there safely: every file the tool writes goes through here.

A patient's sheet is written whole or not at all (a temp file in the same folder, then a rename), only where it
was asked, never over an input or over anything that is not a regular file, and as private as the user's umask
says (an existing file keeps its mode). A symlink to a regular file is written through: the link stays and the
file it points to is replaced.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import WorksheetError

# Temp files are named `.worksheet-<host>-<pid>-<random>.tmp`, so a later build can tell its own leftovers (from a
# writer killed with SIGKILL) from a file another writer is still writing.
TEMP_PREFIX = ".worksheet-"
TEMP_SUFFIX = ".tmp"
_STALE_AFTER = 3600  # seconds; no write takes this long, so an older temp from another machine is abandoned


class OutputError(WorksheetError):
    """An output path is not somewhere the tool may write, or the write failed."""


_KINDS = (
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"),
)  # fmt: skip


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _identity(path: Path) -> tuple[str, tuple[int, int] | None]:
    """What a path names once links are followed: its real path, and (device, inode) if it exists."""
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except (OSError, ValueError):
        return real, None
    return real, (info.st_dev, info.st_ino)


def check_target(
    path: Path, inputs: Iterable[tuple[Path, str]] = (), resolved: dict[str, tuple[str, tuple[int, int] | None]] | None = None
) -> Path:
    """The real file to replace for an output path, or an OutputError saying why it may not be written.

    ``inputs`` are (path, what it is) pairs — the spec being read, images, library files — that must never be
    written over. Nothing is written here. ``resolved`` remembers what each input path names, for a caller
    checking many outputs against the same inputs in one go (a roster's rows all share the roster, the
    library's ≈ 100 files and the layouts: resolving them again for every row was most of reading a roster).
    """
    path = Path(path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except ValueError:  # a NUL in the name
        raise OutputError(f"{path!r}: a file name cannot contain a NUL character") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot be written: {error.strerror}") from None
    if link is not None and stat.S_ISLNK(link.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            raise OutputError(f"{path}: is a symlink to nothing ({os.readlink(path)}); remove it or choose another output path") from None
        if stat.S_ISDIR(target.st_mode):
            raise OutputError(f"{path}: is a folder; give a file name such as {path / 'worksheet.pdf'}")
        if not stat.S_ISREG(target.st_mode):
            raise OutputError(
                f"{path}: is a symlink to {_kind(target.st_mode)}, not a regular file; choose another output path"
            )
    elif link is not None and stat.S_ISDIR(link.st_mode):
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'worksheet.pdf'}")
    elif link is not None and not stat.S_ISREG(link.st_mode):
        raise OutputError(f"{path}: is {_kind(link.st_mode)}, not a regular file; choose another output path")
    real, identity = _identity(path)
    for input_path, what in inputs:
        if resolved is None:
            input_real, input_identity = _identity(Path(input_path))
        else:
            found = resolved.get(str(input_path))
            if found is None:
                found = resolved[str(input_path)] = _identity(Path(input_path))
            input_real, input_identity = found
        if real == input_real or (identity is not None and identity == input_identity):
            raise OutputError(f"{path}: is {what}; writing there would replace it, so choose another output path")
    folder = Path(real).parent
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {Path(path).parent} does not exist; create it or choose another output path")
    return Path(real)


def file_in_folder(folder: Path, name: str) -> Path:
    """A user-given file name (a roster's 'output' cell) as a path inside folder; never a path that leaves it."""
    if "\x00" in name:
        raise OutputError("a file name cannot contain a NUL character")
    if os.path.isabs(name) or "/" in name or "\\" in name or name in (".", ".."):
        raise OutputError(f"{name!r} is a path, not a file name; give just a name such as 'ana.pdf', written in {folder}")
    if name.startswith(TEMP_PREFIX):
        raise OutputError(f"{name!r} starts with {TEMP_PREFIX!r}, which names the tool's temp files; choose another name")
    path = folder / name
    if Path(os.path.realpath(path)).parent != Path(os.path.realpath(folder)):
        raise OutputError(f"{path} is a symlink that leads outside {folder}; remove it or choose another name")
    return path


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def _temp_name() -> str:
    return f"{TEMP_PREFIX}{_host_tag()}-{os.getpid()}-{secrets.token_hex(6)}{TEMP_SUFFIX}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temp files that a killed writer left in folder (its process is gone, or it is hours old)."""
    removed: list[Path] = []
    host = _host_tag()
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
            continue
        parts = entry.name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)].split("-")
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            stale = now - info.st_mtime > _STALE_AFTER
            if len(parts) == 3 and parts[0] == host and parts[1].isdigit():
                stale = stale or not _alive(int(parts[1]))
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def write_atomic(data: bytes, path: Path, inputs: Iterable[tuple[Path, str]] = ()) -> None:
    """Write all of data to path or nothing: a temp file in the same folder, then a rename.

    A new file gets the mode the umask gives (0600 under umask 077); a replaced file keeps its mode."""
    path = Path(path)
    real = check_target(path, inputs)
    folder = real.parent
    remove_stale_temps(folder)
    try:
        existing = os.stat(real)
    except OSError:
        existing = None
    temporary = folder / _temp_name()
    try:
        # 0o666 through the umask, as any new file; mkstemp would force 0600 and chmod 0644 would ignore the umask.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise OutputError(f"{path}: cannot write in {Path(path).parent}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            if existing is not None:
                os.fchmod(output.fileno(), stat.S_IMODE(existing.st_mode))
                if os.geteuid() == 0:  # root replacing a user's sheet: it stays theirs
                    os.fchown(output.fileno(), existing.st_uid, existing.st_gid)
        os.replace(temporary, real)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
    except BaseException:  # interrupted (Ctrl-C): leave no temporary file behind
        temporary.unlink(missing_ok=True)
        raise


def sheet_inputs(spec, library, source: str | None = None, layout_folders: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """Every file a worksheet is made from, each with what it is: none of them may be an output path."""
    inputs: list[tuple[Path, str]] = []
    if source is not None:
        inputs.append((Path(source), "the spec file being read"))
    return inputs + spec_inputs(spec) + library_inputs(library) + layout_inputs(layout_folders)


def spec_inputs(spec) -> list[tuple[Path, str]]:
    """The files a resolved spec names: its logo and its exercises' images."""
    inputs: list[tuple[Path, str]] = []
    if getattr(spec, "logo", None):
        inputs.append((Path(spec.logo), "the --logo image"))
    for item in getattr(spec, "exercises", ()):
        if item.image:
            inputs.append((Path(item.image), f"the image of '{item.exercise.id}'"))
    return inputs


def layout_inputs(layout_folders: Iterable[Path]) -> list[tuple[Path, str]]:
    """The layout files of the user's --layouts folders."""
    return [(path, "a layout") for folder in layout_folders for path in sorted(Path(folder).glob("**/*.rml.j2"))]


def library_inputs(library) -> list[tuple[Path, str]]:
    """The exercise, program and translation files of a library."""
    inputs = [(Path(path), "a library file") for path in library.sources.values()]
    for root in {Path(path).parent.parent for path in library.sources.values()}:
        inputs += [(path, "a library file") for path in sorted(root.glob("i18n/*/*/*.toml"))]
    return inputs
