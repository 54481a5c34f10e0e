"""The clinic's settings, saved once in the user's config folder and prefilled on every new sheet.

Only the clinic's own details live here (name, address, phone, logo, colour, default layout, paper, language):
nothing about a patient.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from ..errors import SpecError, WorksheetError

CLINIC_FIELDS = ("clinic", "clinic_address", "clinic_phone", "accent", "layout", "paper", "lang")
LOGO_NAME = "clinic-logo"


def config_folder() -> Path:
    """The user's config folder for worksheet (e.g. ~/.config/worksheet), through platformdirs."""
    import platformdirs

    return Path(platformdirs.user_config_dir("worksheet", appauthor=False))


def settings_path() -> Path:
    return config_folder() / "clinic.toml"


def load_settings() -> dict[str, str]:
    """The saved settings; an unreadable file is ignored (the page then starts from the defaults)."""
    try:
        data = tomllib.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    settings = {key: str(data[key]) for key in CLINIC_FIELDS if isinstance(data.get(key), str)}
    logo = data.get("logo")
    if isinstance(logo, str) and Path(logo).is_file():
        settings["logo"] = logo
    return settings


def save_settings(values: dict[str, str], logo: tuple[str, bytes] | None, keep_logo: bool) -> dict[str, str]:
    """Check the values the way `worksheet build` checks the same options, then write them (and the logo)."""
    from ..images import place_image
    from ..output import write_atomic
    from ._sheetform import request_for

    chosen = {key: values[key].strip() for key in CLINIC_FIELDS if values.get(key, "").strip()}
    request_for("clinic-settings", chosen)  # raises the CLI's SpecError for a bad value
    folder = config_folder()
    folder.mkdir(parents=True, exist_ok=True)
    previous = load_settings().get("logo")
    if logo is not None:
        name, content = logo
        suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp") else ".img"
        target = folder / f"{LOGO_NAME}{suffix}"
        staging = folder / f".{LOGO_NAME}-new{suffix}"
        write_atomic(content, staging)
        try:
            place_image(staging, 200, 80)  # the same Pillow path as --logo: refuse what would not print
        except WorksheetError as error:
            staging.unlink(missing_ok=True)
            raise SpecError(f"logo {name!r}: {str(error).split(': ', 1)[-1]}") from None
        staging.replace(target)
        chosen["logo"] = str(target)
    elif keep_logo and previous:
        chosen["logo"] = previous
    write_atomic(tomli_w.dumps(chosen).encode("utf-8"), settings_path())
    return chosen
