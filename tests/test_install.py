"""The wheel carries its assets and layouts: installed outside the repo, it builds a worksheet."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from shared_builds import shared

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


def test_installed_wheel_builds_outside_the_repo(wheel, tmp_path):
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
        "import worksheet, worksheet._paths as p; "
        "print(p.bundled('assets')); "
        "from worksheet.cli import main; main(['build', 'dont-crack-your-back', '--patient', 'Ana', '--lang', 'es'])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(target / "worksheet" / "assets")
    pdfs = list((elsewhere / "output").glob("dont-crack-your-back-ana-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")
    from helpers import pdf_text

    assert "Puente" in pdf_text(pdfs[0])  # the Spanish catalog and texts travel in the wheel
