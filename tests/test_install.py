"""The wheel carries its assets and layouts: installed outside the repo, it builds a worksheet."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from shared_builds import shared

import worksheet

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    def build() -> Path:
        folder = tmp_path_factory.mktemp("wheel")
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(REPO)],
            check=True, capture_output=True,
        )  # fmt: skip
        return next(folder.glob("worksheet-*.whl"))

    return shared("wheel", build)  # once a run, whichever xdist worker asks first


def test_wheel_contains_assets_layouts_and_fonts(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "worksheet/assets/exercises/bridge.toml",
        "worksheet/assets/programs/dont-crack-your-back.toml",
        "worksheet/assets/fonts/LiberationSans-Regular.ttf",
        "worksheet/assets/fonts/LICENSE-Liberation.txt",
        "worksheet/assets/fonts/DroidSansFallback.ttf",
        "worksheet/assets/i18n/es/worksheet.po",
        "worksheet/assets/i18n/es/exercises/bridge.toml",
        "worksheet/layouts/cards.rml.j2",
        "worksheet/layouts/list.rml.j2",
        "worksheet/layouts/partials/header.rml.j2",
    ):
        assert expected in names


def test_wheel_carries_each_catalogue_compiled(wheel):
    """setup.py compiles every .po as the package builds, to the same bytes the run-time fallback would make."""
    from worksheet._compile_catalog import compile_catalog, compiled_name

    catalogues = sorted((REPO / "assets" / "i18n").glob("*/worksheet.po"))
    assert catalogues
    with zipfile.ZipFile(wheel) as archive:
        for po in catalogues:
            source = po.read_bytes()
            name = f"worksheet/assets/i18n/{po.parent.name}/{compiled_name(source)}"
            assert name in archive.namelist()
            assert archive.read(name) == compile_catalog(source, po.parent.name)


def test_installed_wheel_builds_outside_the_repo(wheel, tmp_path, library):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Only the installed copy is importable: the repo is neither the working folder nor on the path.
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}
    code = (
        "import sys, worksheet, worksheet._paths as p\n"
        "print(p.bundled('assets'))\n"
        "from worksheet.cli import main\n"
        "try:\n"
        "    main(['build', 'dont-crack-your-back', '--patient', 'Ana', '--lang', 'es', '--date', '2026-11-26'])\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        # Babel's .po reader is imported only to compile a catalogue: the installed one was compiled by the build.
        "print('compiled a catalogue:', 'babel.messages.pofile' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(target / "worksheet" / "assets")
    assert result.stdout.splitlines()[-1] == "compiled a catalogue: False"
    pdfs = list((elsewhere / "output").glob("dont-crack-your-back-ana-*.pdf"))
    assert len(pdfs) == 1
    from helpers import make_spec, pdf_text

    assert "Puente" in pdf_text(pdfs[0])  # the Spanish catalog and texts travel in the wheel
    # The same bytes as this checkout builds (the installed .mo against the .po here).
    assert pdfs[0].read_bytes() == worksheet.build(make_spec(library, patient="Ana", lang="es"))
