"""The command line: parse, call one API function, print. The library does the work."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from .errors import WorksheetError, describe_bug


class _Group(click.Group):
    """Turns any WorksheetError into one `Error: …` line (exit 1); --debug shows the traceback instead."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorksheetError as error:
            if ctx.params.get("debug"):
                raise
            raise click.ClickException(str(error)) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # a bug of ours: said as one, never dressed up as the user's mistake
            if ctx.params.get("debug"):
                raise
            raise click.ClickException(describe_bug(error)) from None


def _library(ctx: click.Context):
    """The bundled library plus any --library folders; an override of a bundled id is said, on stderr."""
    from .library import load_library

    library = load_library(ctx.obj["library"], ctx.obj["layouts"])
    for line in library.overridden:
        click.echo(f"Note: {line}", err=True)
    return library


@click.group(cls=_Group)
@click.option("--library", "library", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="A folder with exercises/ and programs/ to add to the bundled library (repeatable).")
@click.option("--layouts", "layouts", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="A folder of your own *.rml.j2 layouts, looked up before the bundled ones (repeatable).")
@click.option("--debug", is_flag=True, help="Show the full traceback for an error.")
@click.version_option(package_name="worksheet")
@click.pass_context
def main(ctx: click.Context, library: tuple[Path, ...], layouts: tuple[Path, ...], debug: bool) -> None:
    """Printable home-exercise worksheets, dosed for one patient.

    Example:

        worksheet build dont-crack-your-back --patient "Ana Lopez"
    """
    for folder in layouts:  # a folder with no layout in it would be silently ignored
        if not folder.is_dir():
            raise click.BadParameter(f"{folder}: folder not found", param_hint="--layouts")
        if not any(folder.glob("*.rml.j2")):
            raise click.BadParameter(f"{folder} has no *.rml.j2 layouts in it", param_hint="--layouts")
    ctx.obj = {"library": library, "layouts": layouts}


class _Vocabulary(click.Choice):
    """The values of a tag type or the caution tags of the schema (worksheet.models), read when first needed:
    defining the commands must not import the schema library, so that `worksheet --help` starts quickly."""

    def __init__(self, type_name: str) -> None:
        super().__init__(())
        self._type_name = type_name

    @property
    def choices(self):
        from .catalogue import vocabulary

        return vocabulary(self._type_name)

    @choices.setter
    def choices(self, value) -> None:
        pass  # set by click.Choice.__init__; the schema is the only source


def _list_options(function):
    """The tag filters `list` offers, each taking a value from the schema's vocabulary (repeatable)."""
    for name, type_name in reversed((
        ("region", "Region"), ("position", "Position"), ("kind", "Kind"), ("equipment", "Equipment"), ("level", "Level"),
    )):  # fmt: skip
        function = click.option(f"--{name}", multiple=True, type=_Vocabulary(type_name),
                                help=f"Only exercises with this {name} (repeatable: any of them).")(function)
    return click.option("--caution", multiple=True, type=_Vocabulary("CAUTIONS"),
                        help="Only exercises with this caution tag, as the rules in assets/cautions.toml give it "
                             "or the exercise adds it (repeatable: any of them).")(function)


@main.command("list")
@_list_options
@click.option("--search", default="", help="Words to find in the name, other names and tags.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def list_exercises(ctx: click.Context, search: str, output_format: str, **tags: tuple[str, ...]) -> None:
    """List the exercises, one line each, filtered by tags or words.

    Example:

        worksheet list --region neck --position sitting --search stretch

        worksheet list --caution hip-replacement
    """
    import json

    from .catalogue import ExerciseFilter, find, listed, summary

    found = find(listed(ctx.obj["library"], lambda: _library(ctx)), ExerciseFilter(search=search, **tags))
    if output_format == "json":
        click.echo(json.dumps([summary(exercise) for exercise in found], indent=2, ensure_ascii=False))
        return
    for exercise in found:
        click.echo(f"{exercise.id:<36} {exercise.name}  ({exercise.position}, {exercise.kind}, {exercise.level})")
    if not found:
        click.echo("No exercise matches; try fewer filters.", err=True)


@main.command()
@click.argument("exercise_id")
@click.pass_context
def show(ctx: click.Context, exercise_id: str) -> None:
    """Show everything about one exercise.

    Example:

        worksheet show bridge
    """
    from .describe import describe_exercise

    library = _library(ctx)
    click.echo(describe_exercise(library.exercise(exercise_id), library.sources[f"exercises/{exercise_id}"]))


@main.command()
@click.pass_context
def programs(ctx: click.Context) -> None:
    """List the programs, one line each.

    Example:

        worksheet programs
    """
    for program in sorted(_library(ctx).programs.values(), key=lambda item: item.id):
        offered = f"; add with --include: {', '.join(option.id for option in program.options)}" if program.options else ""
        click.echo(f"{program.id:<36} {program.title}  ({len(program.exercises)} exercises{offered})")


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.pass_context
def check(ctx: click.Context, folder: Path | None) -> None:
    """Check a folder of your own exercises and programs (the bundled library if none is given).

    Every problem is listed, one line each, naming the file and field; the exit status is 1 if any.

    Example:

        worksheet check my-clinic-library/
    """
    from ._paths import bundled
    from .library import Library, check_folder, load_library

    base = load_library(ctx.obj["library"]) if folder else Library()
    report = check_folder(folder or bundled("assets"), base)
    for note in report.notes:
        click.echo(f"Note: {note}")
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for problem in report.problems:
        click.echo(f"Error: {problem}", err=True)
    warned = f", {len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}" if report.warnings else ""
    translated = f", {report.translations} translations" if report.translations else ""
    click.echo(f"Checked {report.exercises} exercises and {report.programs} programs{translated}: "
               f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}{warned}.")
    if report.problems:
        ctx.exit(1)


@main.command()
@click.pass_context
def layouts(ctx: click.Context) -> None:
    """List the page layouts, bundled and your own.

    Example:

        worksheet --layouts my-layouts/ layouts
    """
    from .templates import available_layouts

    for name in available_layouts(ctx.obj["layouts"]):
        click.echo(name)


def _read_option(field):
    """A callback reading one customisation option into request data; a bad value is a usage error (exit 2)."""

    def read(ctx: click.Context, param: click.Parameter, typed):
        from .customisation import is_empty
        from .library import OPTIONS
        from .request import FieldValueError, read_field

        if field.kind == "ids" and typed and not "".join(typed).replace(",", "").replace(";", "").strip():
            # `--only ''` would otherwise read as no filter at all: every exercise, silently.
            raise click.BadParameter(f"{typed[0]!r} names nothing; give at least one id, e.g. {field.option} bridge",
                                     ctx, param, param_hint=f"'{field.option}'")
        if is_empty(typed):
            return None
        try:
            return read_field(field, typed, OPTIONS, Path.cwd(), ctx.find_root().obj["layouts"])
        except FieldValueError as error:
            hint = f"'{field.option}{' ' + error.item if error.item else ''}'"
            raise click.BadParameter(error.detail, ctx, param, param_hint=hint) from None

    return read


def _customisation_options(function):
    """The build options that customise the sheet: one per field in customisation.FIELDS, the declaration the
    spec-file keys and roster columns come from too. Each arrives in the command as request data."""
    from .customisation import OPTION_FIELDS

    for field in reversed(OPTION_FIELDS):
        kind = {"type": click.Choice(field.choices)} if field.choices else {}
        flag = {"is_flag": True, "default": None} if field.kind == "flag" else {}
        function = click.option(field.option, field.key, multiple=field.repeatable, metavar=field.metavar,
                                help=field.help, callback=_read_option(field), **kind, **flag)(function)
    return function


@main.command()
@click.argument("program_or_spec")
@_customisation_options
@click.option("--max-minutes", type=click.IntRange(1, 240), default=20, show_default=True,
              help="Warn when one session takes longer than this.")
@click.option("--max-exercises", type=click.IntRange(1, 200), default=6, show_default=True,
              help="Warn when the sheet has more exercises than this.")
@click.option("--quiet", is_flag=True, help="Do not print warnings.")
@click.option("--print", "send_to_printer", is_flag=True, help="Also send the PDF to a printer (CUPS 'lp').")
@click.option("--printer", help="The CUPS printer for --print (default: the system's default printer).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write the PDF.")
@click.option("--save-spec", type=click.Path(path_type=Path), help="Also write the resolved spec as TOML.")
@click.pass_context
def build(
    ctx: click.Context, program_or_spec: str, output: Path | None, save_spec: Path | None, send_to_printer: bool,
    printer: str | None, quiet: bool, max_minutes: int, max_exercises: int, **overrides,
) -> None:  # fmt: skip
    """Build a worksheet PDF from a program id or a spec file.

    Example:

        worksheet build dont-crack-your-back --patient "Ana Lopez" --exclude isometric-hip-abduction --set bridge.reps=12
    """
    from .workflow import build_worksheet

    if printer and not send_to_printer:
        raise click.BadParameter("names a printer but nothing is printed without --print; add --print", param_hint="--printer")
    limits = {"max_minutes": max_minutes, "max_exercises": max_exercises}
    written, size, notes, warnings = build_worksheet(_library(ctx), program_or_spec, overrides, output, save_spec, limits)
    for note in notes:
        click.echo(note)
    for warning in [] if quiet else warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Wrote {written} ({size / 1024:.0f} KB)")
    if save_spec:
        click.echo(f"Wrote {save_spec}")
    if send_to_printer:
        from .printing import send_to_printer as print_pdf

        click.echo(print_pdf(written, printer))


@main.command()
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the PDFs (created if missing).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Processes to use (default: one per core).")
@click.option("--skip-existing", is_flag=True, help="Leave PDFs that already exist: a rerun makes only what is missing.")
@click.option("--quiet", is_flag=True, help="Do not print warnings (they are still counted).")
@click.option("--scheduler", metavar="ADDRESS|local:N",
              help="Build on a Dask cluster (pip install 'worksheet[dask]'): a scheduler address such as "
                   "tcp://10.0.0.5:8786, or local:N for N worker processes on this machine.")
@click.option("--write-on-workers", is_flag=True,
              help="With --scheduler: workers write the PDFs themselves; the output folder must be shared by all.")
@click.pass_context
def batch(
    ctx: click.Context, roster: Path, output_dir: Path, jobs: int | None, skip_existing: bool, quiet: bool,
    scheduler: str | None, write_on_workers: bool,
) -> None:  # fmt: skip
    """Build one worksheet per row of a CSV roster, in parallel.

    Columns: program (required), any of build's options by name (only, include, exclude, order, avoid: ids
    separated by ';'; set: 'bridge.reps=12; prone-props.side=left'; language for --lang; image, video: ID=VALUE),
    and output (a file name in the output folder). The README's table lists every column.

    Example:

        worksheet batch clinic-monday.csv -o printed/ -j 2

        worksheet batch hospital.csv -o /shared/sheets --scheduler tcp://10.0.0.5:8786 --write-on-workers
    """
    import contextlib

    from .batch import Interrupted, Job, Outcome, read_roster, run_jobs, stopping_on_signals

    if write_on_workers and not scheduler:
        raise click.BadParameter("needs --scheduler (workers write only on a Dask cluster)", param_hint="--write-on-workers")
    if scheduler and jobs:
        raise click.BadParameter("the cluster decides how many run at once; give -j or --scheduler, not both", param_hint="-j")

    def report(outcome) -> None:
        if outcome.status == "failed":
            click.echo(f"Error: {roster} row {outcome.row}: {outcome.message}", err=True)
        elif not interactive:
            click.echo(f"{outcome.status} {outcome.output}")

    interactive = sys.stdout.isatty()
    planned: list[Job] | None = None
    failures: list[Outcome] = []
    outcomes: list[Outcome] = []
    interrupted: Interrupted | None = None
    with stopping_on_signals():  # from reading the roster to the last row: SIGINT, SIGTERM stop cleanly (130, 143)
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
            planned, failures = read_roster(roster, _library(ctx), output_dir)
            for failure in failures:
                report(failure)
            for job in planned:
                for note in job.notes:
                    click.echo(f"Note: {roster} row {job.row}: {note}", err=True)
            for job in [] if quiet else planned:
                for warning in job.warnings:
                    click.echo(f"Warning: {roster} row {job.row}: {warning}", err=True)
            with contextlib.ExitStack() as stack:
                client = None
                if scheduler:
                    from ._dask import connect

                    client = stack.enter_context(connect(scheduler))
                on_outcome = report
                if interactive:
                    bar = stack.enter_context(click.progressbar(length=len(planned), label="Building worksheets"))

                    def on_outcome(outcome) -> None:
                        bar.update(1)
                        report(outcome)

                outcomes = run_jobs(planned, jobs, skip_existing, on_outcome, client=client, write_on_workers=write_on_workers)
        except Interrupted as stop:  # finished PDFs are kept; the summary says how far it got
            outcomes, interrupted = stop.outcomes, stop
    if planned is None and interrupted is not None:
        click.echo(f"Stopped by {interrupted} while reading the roster; no row was built", err=True)
        ctx.exit(interrupted.exit_status)
    planned = planned or []
    counts = {status: sum(o.status == status for o in outcomes + failures) for status in ("made", "skipped", "failed")}
    made_rows = {o.row for o in outcomes if o.status == "made"}
    warned = sum(1 for job in planned if job.warnings and job.row in made_rows)
    with_warnings = f" {warned} with warnings." if warned else ""
    click.echo(f"Made {counts['made']}, skipped {counts['skipped']}, failed {counts['failed']}.{with_warnings}")
    if interrupted is not None:
        left = len(planned) - len(outcomes)
        click.echo(f"Stopped by {interrupted}: {left} row{'s' if left != 1 else ''} not built; "
                   "rerun with --skip-existing to build only those", err=True)
        ctx.exit(interrupted.exit_status)
    if counts["failed"]:
        ctx.exit(1)


@main.command()
@click.argument("exercise_ids", nargs=-1, metavar="[ID]...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("output/figures.png"),
              show_default=True, help="Where to write the PNG.")
@click.option("--style", type=click.Choice(["line", "tint"]), default="line", show_default=True,
              help="'line': black on white, for any printer; 'tint': soft fills.")
@click.option("--columns", type=click.IntRange(1, 12), default=4, show_default=True)
@click.option("--print-size", "print_size", metavar="WxH",
              help="Show each figure as it prints in a picture box of W x H points (e.g. 240x110, a cards "
                   "picture), at --dpi, inside the box's outline.")
@click.option("--dpi", type=click.IntRange(36, 600), default=144, show_default=True, help="Pixels per inch with --print-size.")
@click.pass_context
def figures(ctx: click.Context, exercise_ids: tuple[str, ...], output: Path, style: str, columns: int,
            print_size: str | None, dpi: int) -> None:
    """Draw a labelled contact sheet of exercise figures (all of them if no ID is given).

    Example:

        worksheet figures bridge prone-props -o figures.png --style tint
        worksheet figures --print-size 240x110 --dpi 144 -o as-printed.png
    """
    from .previews import write_contact_sheet

    box = _print_size(print_size) if print_size else None
    output.parent.mkdir(parents=True, exist_ok=True)
    drawn = write_contact_sheet(_library(ctx), list(exercise_ids), output, style, columns, box, dpi)
    click.echo(f"Wrote {output} ({drawn} figure{'s' if drawn != 1 else ''})")


def _print_size(text: str) -> tuple[float, float]:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*", text)
    if not match or not all(20 <= float(side) <= 1000 for side in match.groups()):
        raise click.BadParameter(f"expected WIDTHxHEIGHT in points, each 20 to 1000 (e.g. 240x110), got {text!r}",
                                 param_hint="'--print-size'")
    return float(match.group(1)), float(match.group(2))


@main.command()
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PNG pages (default: beside the PDF).")
@click.option("--dpi", type=click.IntRange(20, 600), default=100, show_default=True)
def preview(pdf: Path, output_dir: Path | None, dpi: int) -> None:
    """Write each page of a PDF as a PNG, for a quick look.

    Example:

        worksheet preview output/dont-crack-your-back-2026-11-26.pdf --dpi 150
    """
    from .previews import write_page_previews

    if output_dir:
        output_dir.mkdir(parents=True, exist_ok=True)
    for path in write_page_previews(pdf, output_dir, dpi):
        click.echo(f"Wrote {path}")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on (default: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --allow-remote.")
@click.option("--allow-remote", is_flag=True, help="Allow a --host other than loopback (patient data on the network).")
@click.option("--no-browser", is_flag=True, help="Print the address but do not open a browser.")
@click.option("--workers", type=click.IntRange(1, 16), help="Processes that render sheets (default: 2, or 1 on one core).")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, allow_remote: bool, no_browser: bool, workers: int | None) -> None:
    """Open a local web page to pick, dose, preview and print a sheet (Ctrl-C stops it).

    The address it prints carries an access token: only this computer's browser, with that address, can use it.

    Example:

        worksheet serve --port 8765
    """
    from .serve import is_loopback
    from .serve import serve as run

    if not is_loopback(host) and not allow_remote:
        raise click.BadParameter(f"{host!r} is not loopback; add --allow-remote to serve other machines", param_hint="--host")
    if not is_loopback(host):
        click.echo(f"Warning: serving on {host}: anyone who can reach this machine and has the address with its token "
                   "can see and change patient sheets; the connection is not encrypted.", err=True)

    def ready(url: str) -> None:
        click.echo(f"Serving worksheet on {url}  (Ctrl-C to stop)")
        if not no_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        run(_library(ctx), host, port, workers=workers, on_ready=ready)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
    click.echo("Stopped.")
