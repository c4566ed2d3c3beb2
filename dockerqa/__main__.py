"""``python -m dockerqa``: the same command as ``dockerqa``."""

from dockerqa.cli import run

run()
