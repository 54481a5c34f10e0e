"""The README's reference tables, made from the code: `build`'s options (its --help), the dosage fields (the
model) and the roster columns (the customisation declaration). ``python -m worksheet._reference`` rewrites them
in README.md; tests/test_readme.py fails when the README is stale.

A table sits between ``<!-- reference:NAME -->`` and ``<!-- /reference -->`` in the README.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
_KIND_WORDS = {
    "text": "text", "ids": "ids separated by `;`", "dosage": "`ID.FIELD=VALUE` separated by `;`",
    "paths_by_id": "`ID=PATH` separated by `;` (relative to the roster)", "links_by_id": "`ID=URL` separated by `;`",
    "date": "`YYYY-MM-DD`", "path": "a path (relative to the roster)", "flag": "`yes` or `no`",
}  # fmt: skip


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def build_options() -> str:
    import click

    from .cli import main

    command = main.commands["build"]
    context = click.Context(command, info_name="build")
    rows = ["| option | meaning |", "| --- | --- |"]
    for parameter in command.get_params(context):
        record = parameter.get_help_record(context)
        if record is None or not isinstance(parameter, click.Option) or parameter.name == "help":
            continue
        rows.append(f"| `{_cell(record[0])}` | {_cell(record[1])} |")
    return "\n".join(rows)


def dosage_fields() -> str:
    from .models import Dosage

    rows = ["| field | meaning and form | default |", "| --- | --- | --- |"]
    for name, field in Dosage.model_fields.items():
        default = "" if field.default is None else f"`{field.default}`"
        rows.append(f"| `{name}` | {_cell(field.description or '')} | {default} |")
    return "\n".join(rows)


def roster_columns() -> str:
    from .batch import OUTPUT_COLUMN
    from .customisation import COLUMN_FIELDS

    rows = ["| column | as the option | a cell holds |", "| --- | --- | --- |"]
    for field in COLUMN_FIELDS:
        option = f"`{field.option}`" if field.option else "the program id or spec file argument"
        rows.append(f"| `{field.column}` | {option} | {_KIND_WORDS[field.kind]} |")
    rows.append(f"| `{OUTPUT_COLUMN}` | `-o` | the PDF's file name, inside the batch's output folder |")
    return "\n".join(rows)


TABLES = {"build-options": build_options, "dosage-fields": dosage_fields, "roster-columns": roster_columns}
_BLOCK = re.compile(r"(<!-- reference:(?P<name>[a-z-]+) -->\n)(?:[^<]|<(?!!-- /reference -->))*(<!-- /reference -->)")


def updated(readme: str) -> str:
    """The README text with every reference table made again from the code."""
    return _BLOCK.sub(lambda match: match.group(1) + TABLES[match.group("name")]() + "\n" + match.group(3), readme)


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    README.write_text(updated(text), encoding="utf-8")
    sys.stdout.write(f"Wrote {README}\n")
