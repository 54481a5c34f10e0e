"""The web page's routes (Starlette): the sheet form, the library, previews, downloads, printing and settings.

Every sheet is made by the CLI's own path (``_sheetform.check`` → ``build`` in a worker). Patient data lives in
memory only: uploads go to a private temporary folder removed when the server stops.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
import tempfile
import tomllib
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import models
from ..errors import WorksheetError
from ..i18n import available_languages
from ..library import Library
from ..request import Origin, Request
from ..spec import output_name, resolve_with_notes, spec_to_toml
from ..templates import available_layouts
from . import _settings
from ._renderer import Renderer, Stale
from ._security import CSRF_FIELD, UPLOAD_LIMIT, Guard, Secrets, allowed_hosts
from ._sheetform import (
    HEADER_FIELDS,
    MAX_EXERCISES,
    MAX_MINUTES,
    SheetForm,
    check,
    default_dosage,
    dosage_text,
    parse_form,
    position_rank,
)  # fmt: skip

THUMBNAIL = (180, 120)
FILTERS = (
    ("region", models.Region), ("position", models.Position), ("kind", models.Kind),
    ("equipment", models.Equipment), ("level", models.Level),
)  # fmt: skip
SIDES = get_args(models.Side)


@dataclass
class _State:
    """What the server holds while it runs: all in memory, apart from uploads in a private temp folder."""

    library: Library
    renderer: Renderer
    secret: Secrets
    uploads_folder: Path
    uploads: dict[str, str] = field(default_factory=dict)  # handle -> file
    opened: dict[str, SheetForm] = field(default_factory=dict)  # handle -> a saved spec's sheet
    thumbnails: dict[str, bytes] = field(default_factory=dict)


def create_app(library: Library, host: str, port: int, secret: Secrets | None = None, workers: int | None = None,
               prefetch: bool = True):
    """The ASGI app behind its guard. Renders start in worker processes when the app starts (prefetch: see
    Renderer)."""
    secret = secret or Secrets()
    templates = Environment(
        loader=PackageLoader("worksheet.serve", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    holder: dict[str, _State] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        renderer = Renderer(workers, prefetch=prefetch)
        renderer.start()
        uploads = Path(tempfile.mkdtemp(prefix="worksheet-serve-"))  # mode 0700: this user only
        holder["state"] = _State(library, renderer, secret, uploads)
        try:
            yield
        finally:
            renderer.close()
            shutil.rmtree(uploads, ignore_errors=True)

    def state() -> _State:
        return holder["state"]

    def page_context(sheet: SheetForm, rows: list[dict], **extra) -> dict:
        settings = _settings.load_settings()
        exercises = sorted(library.exercises.values(), key=lambda item: item.name.casefold())
        return {
            "csrf": secret.csrf,
            "csrf_field": CSRF_FIELD,
            "sheet": sheet,
            "rows": rows,
            "programs": sorted(library.programs.values(), key=lambda item: item.title.casefold()),
            "exercises": exercises,
            "filters": [(name, get_args(literal)) for name, literal in FILTERS],
            "cautions": list(models.CAUTIONS),
            "layouts": available_layouts(library.layout_folders),
            "languages": available_languages(),
            "names": {**_language_names(available_languages()), "letter": "Letter (US)", "a4": "A4"},
            "settings": settings,
            "printers": _printers(),
            "sides": SIDES,
            "header_fields": HEADER_FIELDS,
            "upload_limit_mb": UPLOAD_LIMIT // (1024 * 1024),
            **extra,
        }

    def row(sheet_program: str, exercise_id: str, dosage: dict[str, str] | None = None, video: str = "",
            image: str = "") -> dict:
        exercise = library.exercise(exercise_id)
        return {
            "id": exercise.id,
            "name": exercise.name,
            "position": exercise.position.replace("-", " "),
            "rank": position_rank(exercise.position),
            "has_figure": exercise.figure is not None,
            "dosage": dosage or dosage_text(default_dosage(library, sheet_program, exercise_id)),
            "defaults": dosage_text(exercise.dosage),
            "video": video,
            "image": image,
            "image_name": Path(state().uploads.get(image, "")).name.split("-", 1)[-1] if image else "",
        }

    async def page(request: HttpRequest) -> HTMLResponse:
        settings = _settings.load_settings()
        params = request.query_params
        opened = state().opened.get(params.get("opened", ""))
        if opened is not None:
            sheet = opened
            rows = [row(sheet.program, i, {name: value for (j, name), value in sheet.dosage.items() if j == i},
                        sheet.videos.get(i, ""), _handle_for(state(), sheet.images.get(i, "")))
                    for i in sheet.exercises]
            rows = [{**item, "dosage": {**dosage_text(default_dosage(library, sheet.program, item["id"])),
                                        **item["dosage"]}} for item in rows]
        else:
            program = params.get("program", "")
            if program not in library.programs:
                program = ""
            # From nothing: the title and introduction of the program the Start list shows first (by title).
            first = min(library.programs.values(), key=lambda item: item.title.casefold()).id
            sheet = SheetForm(program=program or first)
            sheet.header = {key: settings[key] for key in _settings.CLINIC_FIELDS if key in settings}
            if settings.get("logo"):
                sheet.logo = settings["logo"]
            ids = [entry.id for entry in library.program(program).exercises] if program else []
            rows = [row(sheet.program, i) for i in ids]
        return HTMLResponse(templates.get_template("page.html.j2").render(
            page_context(sheet, rows, started=bool(opened is not None or params.get("program") or params.get("blank")),
                         page_id=secrets.token_urlsafe(8), logo_handle=_handle_for(state(), sheet.logo))
        ))

    async def row_fragment(request: HttpRequest) -> HTMLResponse:
        exercise_id = request.path_params["exercise_id"]
        if exercise_id not in library.exercises:
            return HTMLResponse("Unknown exercise", status_code=404)
        program = request.query_params.get("program", "")
        html = templates.get_template("_row.html.j2").render(row=row(program, exercise_id), sides=SIDES)
        return HTMLResponse(html)

    async def figure(request: HttpRequest) -> Response:
        from starlette.concurrency import run_in_threadpool

        exercise_id = request.path_params["exercise_id"]
        exercise = library.exercises.get(exercise_id)
        if exercise is None or exercise.figure is None:
            return Response("No figure", status_code=404, media_type="text/plain")
        cached = state().thumbnails.get(exercise_id)
        if cached is None:
            cached = await run_in_threadpool(_thumbnail, exercise.figure)
            state().thumbnails[exercise_id] = cached
        return Response(cached, media_type="image/png", headers={"cache-control": "private, max-age=3600"})

    async def preview(request: HttpRequest) -> JSONResponse:
        form = await request.form()
        items = [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
        sheet = parse_form(items, state().uploads)
        checked = check(sheet, library)
        answer = {"errors": checked.errors, "problems": checked.problems, "notes": checked.notes,
                  "warnings": checked.warnings, "minutes": checked.minutes, "key": None, "pages": 0,
                  "empty": not sheet.exercises}
        if checked.spec is None:
            return JSONResponse(answer)
        spec = checked.spec
        edit, in_view = _number(form.get("edit")), _number(form.get("in_view"), 1)
        try:
            key = await state().renderer.render(spec, spec_to_toml(spec), output_name(spec),
                                                page=str(form.get("page_id", "")), edit=edit, in_view=in_view)
        except Stale:
            return JSONResponse({**answer, "stale": True})
        except WorksheetError as error:
            return JSONResponse({**answer, "problems": [str(error)]})
        rendered = state().renderer.get(key)
        assert rendered is not None  # render() has just stored it
        return JSONResponse({**answer, "key": key, "pages": rendered.page_count, "filename": rendered.filename})

    def rendered_or_404(request: HttpRequest):
        return state().renderer.get(request.path_params["key"])

    async def pdf(request: HttpRequest) -> Response:
        rendered = rendered_or_404(request)
        if rendered is None:
            return Response("This sheet is no longer in memory; change anything to render it again.",
                            status_code=404, media_type="text/plain")
        how = "inline" if request.query_params.get("inline") else "attachment"
        return Response(rendered.pdf, media_type="application/pdf",
                        headers={"content-disposition": f'{how}; filename="{rendered.filename}"'})

    async def page_png(request: HttpRequest) -> Response:
        try:
            png = await state().renderer.page(request.path_params["key"], request.path_params["number"])
        except BrokenProcessPool:
            png = None
        if png is None:
            return Response("No such page", status_code=404, media_type="text/plain")
        return Response(png, media_type="image/png")

    async def spec_file(request: HttpRequest) -> Response:
        rendered = rendered_or_404(request)
        if rendered is None:
            return Response("No such sheet", status_code=404, media_type="text/plain")
        name = rendered.filename.removesuffix(".pdf") + ".toml"
        return Response(rendered.spec_toml, media_type="application/toml",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    async def upload(request: HttpRequest) -> JSONResponse:
        """An image for an exercise or a logo: checked through the same Pillow path as --image and --logo."""
        from ..images import place_image

        form = await request.form(max_files=1, max_fields=4, max_part_size=UPLOAD_LIMIT)
        file = form.get("file")
        if file is None or isinstance(file, str):
            return JSONResponse({"error": "Choose an image file to upload"}, status_code=400)
        content = await file.read()
        name = Path(file.filename or "image").name
        handle = secrets.token_urlsafe(12)
        path = state().uploads_folder / f"{handle}-{_safe_name(name)}"
        path.write_bytes(content)
        path.chmod(0o600)
        try:
            place_image(path, 300, 300)
        except WorksheetError as error:
            path.unlink(missing_ok=True)
            return JSONResponse({"error": str(error).replace(str(path), name)}, status_code=422)
        state().uploads[handle] = str(path)
        return JSONResponse({"handle": handle, "name": name})

    async def open_spec(request: HttpRequest) -> JSONResponse:
        """A saved spec file, resolved exactly as `worksheet build SPEC.toml` would, shown as a sheet to edit."""
        form = await request.form(max_files=1, max_fields=4, max_part_size=UPLOAD_LIMIT)
        file = form.get("file")
        if file is None or isinstance(file, str):
            return JSONResponse({"error": "Choose a spec file (.toml) to open"}, status_code=400)
        name = Path(file.filename or "spec.toml").name
        try:
            data = tomllib.loads((await file.read()).decode("utf-8"))
            spec, _ = resolve_with_notes(Request.from_data(data, name), library, origin=Origin(name))
        except UnicodeDecodeError:
            return JSONResponse({"error": f"{name}: not UTF-8 text; save it as UTF-8"}, status_code=422)
        except tomllib.TOMLDecodeError as error:
            return JSONResponse({"error": f"{name}: not valid TOML: {error}"}, status_code=422)
        except WorksheetError as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        handle = secrets.token_urlsafe(12)
        state().opened[handle] = _sheet_from_spec(spec)
        return JSONResponse({"location": f"/?opened={handle}"})

    async def save_settings(request: HttpRequest) -> JSONResponse:
        form = await request.form(max_files=1, max_fields=20, max_part_size=UPLOAD_LIMIT)
        values = {key: value for key, value in form.multi_items() if isinstance(value, str)}
        file = form.get("logo_file")
        logo = None
        if file is not None and not isinstance(file, str) and file.filename:
            logo = (Path(file.filename).name, await file.read())
        try:
            saved = _settings.save_settings(values, logo, keep_logo=values.get("keep_logo") == "on")
        except WorksheetError as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        return JSONResponse({"saved": saved, "message": f"Saved in {_settings.settings_path()}; every new sheet "
                                                         "starts with these."})

    async def print_sheet(request: HttpRequest) -> JSONResponse:
        """Send a rendered sheet to a CUPS printer through the tool's own printing code."""
        from starlette.concurrency import run_in_threadpool

        from ..printing import send_to_printer

        form = await request.form()
        rendered = state().renderer.get(str(form.get("key", "")))
        if rendered is None:
            return JSONResponse({"error": "Nothing to print yet: fix the sheet's problems first"}, status_code=404)
        printer = str(form.get("printer", "")) or None
        folder = Path(tempfile.mkdtemp(prefix="worksheet-print-"))
        pdf_path = folder / rendered.filename
        try:
            pdf_path.write_bytes(rendered.pdf)
            message = await run_in_threadpool(send_to_printer, pdf_path, printer)
        except WorksheetError as error:
            return JSONResponse({"error": str(error).replace(f"{pdf_path} was written, but ", "")}, status_code=422)
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # lp has handed the job to CUPS: no copy stays here
        where = f"printer '{printer}'" if printer else "the default printer"
        return JSONResponse({"message": f"Sent to {where}. {message.replace(str(pdf_path), rendered.filename)}"})

    static = Path(__file__).parent / "static"
    app = Starlette(
        routes=[
            Route("/", page),
            Route("/row/{exercise_id}", row_fragment),
            Route("/figure/{exercise_id}.png", figure),
            Route("/preview", preview, methods=["POST"]),
            Route("/pdf/{key}", pdf),
            Route("/page/{key}/{number:int}.png", page_png),
            Route("/spec/{key}.toml", spec_file),
            Route("/upload", upload, methods=["POST"]),
            Route("/open", open_spec, methods=["POST"]),
            Route("/settings", save_settings, methods=["POST"]),
            Route("/print", print_sheet, methods=["POST"]),
            Mount("/static", StaticFiles(directory=static), name="static"),
        ],
        lifespan=lifespan,
    )
    return Guard(app, secret, allowed_hosts(host, port), port)


def _language_names(codes: list[str]) -> dict[str, str]:
    """Each language as a clinician reads it: 'Spanish (español)', by Babel (already a dependency)."""
    from babel import Locale

    names = {}
    for code in codes:
        locale = Locale.parse(code)
        english, own = locale.get_display_name("en") or code, locale.get_display_name(code) or code
        names[code] = english if english.casefold() == own.casefold() else f"{english} ({own})"
    return names


def _number(value, default: int = 0) -> int:
    """A small whole number the page's script sends (an edit's number, the page in view); default if not one."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else default


def _thumbnail(figure) -> bytes:
    import io

    from ..figures import figure_image

    buffer = io.BytesIO()
    figure_image(figure, *THUMBNAIL).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _safe_name(name: str) -> str:
    import re

    return re.sub(r"[^\w.]+", "_", name)[-80:] or "upload"


def _handle_for(state: _State, path: str) -> str:
    """The upload handle for a file the page uses (a saved spec's image, the clinic's logo)."""
    if not path:
        return ""
    for handle, known in state.uploads.items():
        if known == path:
            return handle
    handle = secrets.token_urlsafe(12)
    state.uploads[handle] = path
    return handle


def _sheet_from_spec(spec) -> SheetForm:
    """A resolved spec as the form that resolves to it again: every dosage field written out."""
    sheet = SheetForm(program=spec.program)
    sheet.exercises = [item.exercise.id for item in spec.exercises]
    for item in spec.exercises:
        for name, value in dosage_text(item.dosage).items():
            if value:
                sheet.dosage[item.exercise.id, name] = value
        if item.video_from_user and item.video:
            sheet.videos[item.exercise.id] = item.video
        if item.image_from_user and item.image:
            sheet.images[item.exercise.id] = item.image
    options = spec.model_dump(include=set(HEADER_FIELDS) | {"logo", "duplex"})
    for name in HEADER_FIELDS:
        value = options.get(name)
        if value not in (None, ""):
            sheet.header[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    sheet.logo = options.get("logo") or ""
    sheet.duplex = bool(options.get("duplex"))
    return sheet


def _printers() -> list[str]:
    """The CUPS printers on this machine (none when CUPS is not installed or not running)."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return []
    try:
        result = subprocess.run([lpstat, "-e"], capture_output=True, text=True, timeout=5)
    except (subprocess.TimeoutExpired, OSError):
        return []
    return [line.strip() for line in result.stdout.splitlines() if line.strip()] if result.returncode == 0 else []


__all__ = ["MAX_EXERCISES", "MAX_MINUTES", "create_app"]
