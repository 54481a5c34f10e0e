"""`python -m worksheet` runs the command line."""

from .cli import main

main()
