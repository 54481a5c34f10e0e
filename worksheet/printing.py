"""Send a PDF to a printer through CUPS (`lp`), with a clear error where there is none."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import PrintError


def send_to_printer(pdf: Path, printer: str | None = None) -> str:
    """Queue the PDF on a CUPS printer (the default one if none is named); returns CUPS's confirmation line."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError(f"{pdf} was written, but CUPS's 'lp' command is not installed; install cups-client to print")
    command = [lp, *(["-d", printer] if printer else []), "-o", "print-scaling=none", "--", str(pdf)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise PrintError(f"{pdf} was written, but 'lp' did not answer within 60 seconds; is CUPS running?") from None
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        detail = reason[-1] if reason else f"exit status {result.returncode}"
        where = f"printer '{printer}'" if printer else "the default printer"
        raise PrintError(f"{pdf} was written, but printing on {where} failed: {detail}")
    return result.stdout.strip() or f"Sent {pdf} to {printer or 'the default printer'}"
