"""Which compiled catalogue a process loads: the .mo the package build wrote for this very .po, else the .po
compiled on the spot (a checkout run without installing, or a .po edited since the install)."""

import shutil

import pytest

from worksheet import _compile_catalog, i18n
from worksheet._paths import bundled


@pytest.fixture
def catalogue(tmp_path, monkeypatch):
    """A copy of the Spanish catalogue that i18n reads instead of the bundled one, and no compiled file yet."""
    po = tmp_path / "es" / "worksheet.po"
    po.parent.mkdir()
    shutil.copy(bundled("assets") / "i18n" / "es" / "worksheet.po", po)
    monkeypatch.setattr(i18n, "_catalog_path", lambda lang: tmp_path / lang / "worksheet.po")
    i18n.translations.cache_clear()
    yield po
    i18n.translations.cache_clear()


def test_the_built_mo_is_loaded_without_compiling(catalogue, monkeypatch):
    mo = _compile_catalog.write_compiled(catalogue, catalogue.parent)
    assert mo.name == _compile_catalog.compiled_name(catalogue.read_bytes())

    def refuse(*args):
        raise AssertionError("compiled the .po although its .mo is there")

    monkeypatch.setattr(i18n, "compile_catalog", refuse)
    assert i18n.translations("es").gettext("Patient") == "Paciente"


def test_without_a_mo_the_po_is_compiled_on_the_spot(catalogue):
    assert list(catalogue.parent.glob("*.mo")) == []
    assert i18n.translations("es").gettext("Patient") == "Paciente"
    assert list(catalogue.parent.glob("*.mo")) == []  # nothing written at run time


def test_a_po_edited_after_the_build_wins_over_the_old_mo(catalogue):
    old = _compile_catalog.write_compiled(catalogue, catalogue.parent)
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace('msgstr "Paciente"', 'msgstr "Persona"'), encoding="utf-8")
    assert old.exists()
    assert i18n.translations("es").gettext("Patient") == "Persona"


def test_a_rebuild_leaves_one_mo_per_catalogue(catalogue):
    first = _compile_catalog.write_compiled(catalogue, catalogue.parent)
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + '\nmsgid "Extra"\nmsgstr "Más"\n', encoding="utf-8")
    second = _compile_catalog.write_compiled(catalogue, catalogue.parent)
    assert first != second and list(catalogue.parent.glob("*.mo")) == [second]
    assert _compile_catalog.compile_catalog(catalogue.read_bytes(), "es") == second.read_bytes()  # deterministic


def test_a_bilingual_block_is_labelled_with_its_language_in_that_language():
    from worksheet.i18n import language_name

    assert [language_name(lang) for lang in ("en", "es", "xx")] == ["English", "Español", "Xx"]
