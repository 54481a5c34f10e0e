"""Where the bundled assets and layouts live, in a source checkout and in an installed wheel."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled ``assets`` or ``layouts`` folder.

    The wheel installs them inside the package; a source checkout (and an editable install) keeps them at the
    top of the repository, as the product brief fixes.
    """
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
