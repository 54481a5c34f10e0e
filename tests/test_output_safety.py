"""Output goes only where it is asked, never over an input or anything that is not a regular file, as private
as the umask says; a temp file a killed writer left is cleaned up by the next build into that folder."""

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import assert_valid_pdf
from worksheet.cli import main
from worksheet.output import TEMP_PREFIX, TEMP_SUFFIX

BAD = Path(__file__).resolve().parent / "data" / "bad"
BUILD = ["build", "dont-crack-your-back", "--only", "bridge", "--date", "2026-11-26"]
VICTIM = b"someone else's file\n"


def refused(runner, args, line):
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {line}\n"


@pytest.fixture
def umask():
    """Set the process umask for one test (CliRunner builds in this process), and put it back."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield lambda mask: os.umask(mask)
    os.umask(saved)


def test_roster_output_cells_stay_inside_the_folder(runner, tmp_path):
    out = tmp_path / "clinic" / "out"
    out.mkdir(parents=True)
    victim = tmp_path / "victim.pdf"  # where out/../../victim.pdf points
    victim.write_bytes(VICTIM)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(VICTIM)
    (out / "escape.pdf").symlink_to(outside)
    absolute = Path("/tmp/worksheet-abs-test.pdf")
    absolute.unlink(missing_ok=True)
    roster = BAD / "rosters" / "escapes.csv"
    result = runner.invoke(main, ["batch", str(roster), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {roster} row 2: column 'output': '../../victim.pdf' is a path, not a file name; "
        f"give just a name such as 'ana.pdf', written in {out}",
        f"Error: {roster} row 3: column 'output': '{absolute}' is a path, not a file name; "
        f"give just a name such as 'ana.pdf', written in {out}",
        f"Error: {roster} row 4: column 'output': {out / 'escape.pdf'} is a symlink that leads outside {out}; "
        "remove it or choose another name",
    ]
    assert result.output.splitlines()[-1] == "Made 1, skipped 0, failed 3."
    assert victim.read_bytes() == VICTIM and outside.read_bytes() == VICTIM
    assert not absolute.exists()
    assert sorted(path.name for path in out.iterdir()) == ["escape.pdf", "fine.pdf"]
    assert_valid_pdf(out / "fine.pdf")


def _fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "fifo")
    return tmp / "fifo"


def _socket(tmp: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp / "sock"))
    server.close()  # the socket file stays
    return tmp / "sock"


def _link_to(target):
    def make(tmp: Path) -> Path:
        (tmp / "link.pdf").symlink_to(target(tmp))
        return tmp / "link.pdf"

    return make


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (_fifo, "is a FIFO (named pipe), not a regular file"),
        (_socket, "is a socket, not a regular file"),
        (lambda tmp: Path("/dev/null"), "is a character device, not a regular file"),
        (_link_to(_fifo), "is a symlink to a FIFO (named pipe), not a regular file"),
        (_link_to(lambda tmp: Path("/dev/full")), "is a symlink to a character device, not a regular file"),
    ],
    ids=["FIFO", "socket", "device", "symlink to a FIFO", "symlink to a device"],
)
def test_only_regular_files_are_replaced(runner, tmp_path, make, what):
    target = make(tmp_path)
    kind = stat.S_IFMT(os.stat(target).st_mode)
    refused(runner, BUILD + ["-o", str(target)], f"{target}: {what}; choose another output path")
    assert stat.S_IFMT(os.stat(target).st_mode) == kind  # the FIFO is still a FIFO, the device a device
    assert not any(path.name.startswith(TEMP_PREFIX) for path in tmp_path.iterdir())


def test_a_symlink_to_nothing_is_refused(runner, tmp_path):
    link = tmp_path / "dangling.pdf"
    link.symlink_to(tmp_path / "nowhere.pdf")
    refused(runner, BUILD + ["-o", str(link)],
            f"{link}: is a symlink to nothing ({tmp_path / 'nowhere.pdf'}); remove it or choose another output path")
    assert link.is_symlink() and not (tmp_path / "nowhere.pdf").exists()


def test_a_symlink_to_a_regular_file_is_written_through(runner, tmp_path):
    real = tmp_path / "real.pdf"
    real.write_bytes(VICTIM)
    real.chmod(0o640)
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    result = runner.invoke(main, BUILD + ["-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)  # the link stays
    assert_valid_pdf(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def _spec(tmp: Path) -> list[str]:
    spec = tmp / "ana.toml"
    spec.write_text('program = "dont-crack-your-back"\nonly = ["bridge"]\ndate = 2026-11-26\n')
    return ["build", str(spec), "-o", str(spec)]


def _image(tmp: Path) -> list[str]:
    image = BAD / "images" / "cmyk.jpg"
    copy = tmp / "photo.jpg"
    copy.write_bytes(image.read_bytes())
    return BUILD + ["--image", f"bridge={copy}", "-o", str(copy)]


def _logo(tmp: Path) -> list[str]:
    copy = tmp / "logo.png"
    copy.write_bytes((BAD / "images" / "palette-transparent.png").read_bytes())
    return BUILD + ["--logo", str(copy), "-o", str(copy)]


def _library_file(tmp: Path) -> list[str]:
    exercises = tmp / "lib" / "exercises"
    exercises.mkdir(parents=True)
    mine = exercises / "my-move.toml"
    mine.write_text('name = "My move"\nregion = ["hip"]\nposition = "standing"\nkind = "mobility"\n'
                    'purpose = "Moves you."\nsteps = ["Stand tall."]\n')
    return ["--library", str(tmp / "lib")] + BUILD + ["-o", str(mine)]


def _layout_file(tmp: Path) -> list[str]:
    layouts = tmp / "layouts"
    layouts.mkdir()
    (layouts / "mine.rml.j2").write_text('{% extends "cards.rml.j2" %}\n')
    return ["--layouts", str(layouts)] + BUILD + ["-o", str(layouts / "mine.rml.j2")]


def _layout_as_save_spec(tmp: Path) -> list[str]:
    args = _layout_file(tmp)
    return args[:-2] + ["-o", str(tmp / "sheet.pdf"), "--save-spec", args[-1]]


def _both_outputs(tmp: Path) -> list[str]:
    return BUILD + ["-o", str(tmp / "same.pdf"), "--save-spec", str(tmp / "same.pdf")]


def _spec_as_save_spec(tmp: Path) -> list[str]:
    args = _spec(tmp)
    return args[:2] + ["-o", str(tmp / "sheet.pdf"), "--save-spec", args[1]]


def _hard_link(tmp: Path) -> list[str]:
    args = _spec(tmp)
    os.link(args[1], tmp / "other-name.pdf")
    return args[:2] + ["-o", str(tmp / "other-name.pdf")]


@pytest.mark.parametrize(
    ("make", "victim", "what"),
    [
        (_spec, "ana.toml", "the spec file being read"),
        (_spec_as_save_spec, "ana.toml", "the spec file being read"),
        (_hard_link, "other-name.pdf", "the spec file being read"),
        (_image, "photo.jpg", "the image of 'bridge'"),
        (_logo, "logo.png", "the --logo image"),
        (_library_file, "lib/exercises/my-move.toml", "a library file"),
        (_layout_file, "layouts/mine.rml.j2", "a layout"),
        (_layout_as_save_spec, "layouts/mine.rml.j2", "a layout"),
        (_both_outputs, "same.pdf", "the -o output path"),
    ],
    ids=["-o is the spec", "--save-spec is the spec", "-o is a hard link to the spec", "-o is an --image",
         "-o is the --logo", "-o is a library file", "-o is a layout", "--save-spec is a layout", "--save-spec is -o"],
)
def test_an_input_is_never_written_over(runner, tmp_path, make, victim, what):
    args = make(tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    refused(runner, args, f"{tmp_path / victim}: is {what}; writing there would replace it, so choose another output path")
    after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert after == before  # nothing written, nothing changed, no temp left


@pytest.mark.parametrize(("mask", "mode"), [(0o077, 0o600), (0o027, 0o640), (0o022, 0o644)])
def test_new_files_follow_the_umask(runner, tmp_path, umask, mask, mode):
    umask(mask)
    out, spec = tmp_path / "sheet.pdf", tmp_path / "sheet.toml"
    result = runner.invoke(main, BUILD + ["-o", str(out), "--save-spec", str(spec)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == mode and stat.S_IMODE(spec.stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(runner, tmp_path, umask):
    umask(0o022)
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"last week's sheet")
    out.chmod(0o600)
    result = runner.invoke(main, BUILD + ["-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid_pdf(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def _roster_of_one(tmp: Path) -> Path:
    roster = tmp / "roster.csv"
    roster.write_text("program,only,date,output\ndont-crack-your-back,bridge,2026-11-26,sheet\n")
    return roster


@pytest.mark.parametrize(
    "command",
    [lambda tmp, out: BUILD + ["-o", str(out / "sheet.pdf")], lambda tmp, out: ["batch", str(_roster_of_one(tmp)), "-o", str(out), "-j", "1"]],
    ids=["build", "batch"],
)
def test_a_temp_file_left_by_kill_9_is_removed_by_the_next_build(runner, tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    # A real writer, killed with SIGKILL while its temp file exists.
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from worksheet.output import _temp_name\n"
        "path = Path(sys.argv[1]) / _temp_name()\n"
        "path.write_bytes(b'half a PDF')\n"
        "print(path, flush=True)\n"
        "time.sleep(60)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True)
    left = Path(writer.stdout.readline().strip())
    writer.kill()
    writer.wait()
    writer.stdout.close()
    assert left.exists() and left.name.startswith(TEMP_PREFIX) and left.name.endswith(TEMP_SUFFIX)
    live = out / f"{left.name.split('-')[0]}-{left.name.split('-')[1]}-{os.getpid()}-abc{TEMP_SUFFIX}"
    live.write_bytes(b"a live writer's temp")  # this process is alive: its temp is not touched
    result = runner.invoke(main, command(tmp_path, out))
    assert result.exit_code == 0, result.output
    assert not left.exists() and live.exists()
    assert sorted(path.name for path in out.iterdir()) == sorted(["sheet.pdf", live.name])


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can replace another user's file")
def test_root_replacing_a_users_sheet_leaves_it_theirs(runner, tmp_path):
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"last week's sheet")
    os.chown(out, 65534, 65534)  # nobody
    out.chmod(0o640)
    result = runner.invoke(main, BUILD + ["-o", str(out)])
    assert result.exit_code == 0, result.output
    info = out.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    assert_valid_pdf(out)


def test_a_roster_row_never_writes_over_an_input(runner, tmp_path):
    """A row's output that is (a hard link to) the roster, a layout, a library file, the row's image or the spec
    file it reads is refused for that row, naming it, before anything is written."""
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "mine.rml.j2").write_text('{% extends "cards.rml.j2" %}\n')
    library = tmp_path / "lib"
    (library / "exercises").mkdir(parents=True)
    (library / "exercises" / "my-move.toml").write_text(
        'name = "My move"\nregion = ["hip"]\nposition = "standing"\nkind = "mobility"\n'
        'purpose = "Moves you."\nsteps = ["Stand tall."]\n'
    )
    photo = tmp_path / "photo.jpg"
    photo.write_bytes((BAD / "images" / "cmyk.jpg").read_bytes())
    spec = tmp_path / "ana.toml"
    spec.write_text('program = "dont-crack-your-back"\nonly = ["bridge"]\ndate = 2026-11-26\n')
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "program,only,image,output\n"
        "dont-crack-your-back,bridge,,roster.pdf\n"
        "dont-crack-your-back,bridge,,layout.pdf\n"
        "dont-crack-your-back,bridge,,library.pdf\n"
        f"dont-crack-your-back,bridge,bridge={photo},photo.pdf\n"
        f"{spec},,,spec.pdf\n"
    )
    out = tmp_path / "out"
    out.mkdir()
    for name, target in [("roster.pdf", roster), ("layout.pdf", layouts / "mine.rml.j2"),
                         ("library.pdf", library / "exercises" / "my-move.toml"), ("photo.pdf", photo),
                         ("spec.pdf", spec)]:  # fmt: skip
        os.link(target, out / name)  # the same file under a name a row may give
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    result = runner.invoke(main, ["--layouts", str(layouts), "--library", str(library), "batch", str(roster),
                                  "-o", str(out), "-j", "1"])  # fmt: skip
    assert result.exit_code == 1
    reason = "writing there would replace it, so choose another output path"
    assert result.output.splitlines() == [
        f"Error: {roster} row 2: {out / 'roster.pdf'}: is the roster being read; {reason}",
        f"Error: {roster} row 3: {out / 'layout.pdf'}: is a layout; {reason}",
        f"Error: {roster} row 4: {out / 'library.pdf'}: is a library file; {reason}",
        f"Error: {roster} row 5: {out / 'photo.pdf'}: is the image of 'bridge'; {reason}",
        f"Error: {roster} row 6: {out / 'spec.pdf'}: is the spec file being read; {reason}",
        "Made 0, skipped 0, failed 5.",
    ]
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_a_save_spec_that_may_not_be_written_is_refused_before_the_pdf(runner, tmp_path):
    """Both outputs are checked before either is written: a refused --save-spec leaves no PDF behind either."""
    fifo = _fifo(tmp_path)
    out = tmp_path / "sheet.pdf"
    refused(runner, BUILD + ["-o", str(out), "--save-spec", str(fifo)],
            f"{fifo}: is a FIFO (named pipe), not a regular file; choose another output path")  # fmt: skip
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fifo"]
