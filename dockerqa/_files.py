"""Writing output files: atomically, so a failure never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from dockerqa.errors import ExportError


@contextlib.contextmanager
def atomic_output(destination: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``destination``; rename it into place only on success.

    A failure leaves neither a half-written destination nor a temporary file behind.
    """
    parent = destination.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ExportError(f"{destination}: cannot write here ({exc.strerror})") from None
    try:
        text_args: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with open(fd, mode, **text_args) as fh:
            yield fh
        os.chmod(tmp, 0o644)
        os.replace(tmp, destination)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"{destination}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(destination: Path, data: bytes) -> Path:
    """Write ``data`` to ``destination`` atomically and return it."""
    with atomic_output(destination) as fh:
        fh.write(data)
    return destination


def write_text_atomic(destination: Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``destination`` atomically and return it."""
    return write_bytes_atomic(destination, text.encode("utf-8"))
