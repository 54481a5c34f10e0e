"""The one build step pyproject.toml cannot declare: compile the gettext catalogues (assets/i18n/*/worksheet.po)
into .mo files when the package is built, so an installed worksheet loads them instead of compiling every .po
in every process. Everything else about the package is in pyproject.toml.

A wheel (`pip install .`) carries them beside their .po; an editable install (`pip install -e .`, as CI does)
writes them in place, beside the .po in assets/ (ignored by git). How a .po compiles, and the .mo's name, is
worksheet/_compile_catalog.py, shared with the run-time fallback; it is loaded by path, since the package's own
dependencies are not installed while it builds (Babel is, from [build-system] requires).
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
CATALOGS = HERE / "assets" / "i18n"


def _compiler():
    spec = importlib.util.spec_from_file_location("_compile_catalog", HERE / "worksheet" / "_compile_catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogs(build_py):
    """build_py, then every .po compiled into the build (or, editable, beside the .po)."""

    def run(self):
        super().run()
        compiler = _compiler()
        for po in sorted(CATALOGS.glob("*/worksheet.po")):
            compiler.write_compiled(po, self._target_folder(po))

    def _target_folder(self, po: Path) -> Path:
        if self.editable_mode:
            return po.parent
        return Path(self.build_lib, "worksheet", "assets", po.parent.relative_to(HERE / "assets"))

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs  # written into the source tree, not the build
        compiler = _compiler()
        return outputs + [str(self._target_folder(po) / compiler.compiled_name(po.read_bytes())) for po in sorted(CATALOGS.glob("*/worksheet.po"))]

setup(cmdclass={"build_py": BuildWithCatalogs})
