"""Writing output files: atomic for regular files, direct for devices and pipes.

Every exporter's output and the lock go through `write_output`. The
rules, in the order they are applied:

* **A symbolic link** is followed (a chain too) and its final target written by the rules
  below; the link itself is kept.
* **A character or block device, or a FIFO** (``/dev/null``, ``/dev/stdout``, a named pipe)
  is opened for writing and gets the bytes directly: it is never replaced by a regular file.
  A FIFO without a reader is given `PIPE_WAIT` seconds to get one, then refused (``no
  process reads this pipe``) rather than waited for for ever.
* **A regular file, or nothing yet**: the bytes go to a temporary file beside the destination,
  named ``.NAME.<pid>-<random>.tmp``; it is flushed to disk (``fsync``), renamed over the
  destination and the directory is flushed too, so a crash leaves either the old file or the
  new one, never a mix. The new file's mode is always 0644, whatever the old file's mode or the
  umask.
* **Stale temporary files** of that pattern in the destination's directory (whatever file they
  were for), left by a run that was killed, are removed before writing (and `dockerqa.lock`
  removes those beside a lock it leaves as it is). A file counts as stale only when all of these
  hold: it is a regular file owned by the current user, the process whose pid its name carries
  no longer runs on this machine, and it was last modified more than `STALE_AFTER` seconds ago
  (so a writer on another machine sharing the directory is not disturbed mid-write).
* **A missing parent directory** is an error; only callers that own an output directory (the
  default ``dist/``, the directory of ``export all``) create it, with `make_directory`.
* Anything else (a directory, a socket) is refused.

Files dockerqa reads (the page, its metadata, its lock) go through `read_input`: a named pipe
nothing writes to, or a device that never ends (``/dev/zero``), is an error rather than a wait
for ever; so is a named pipe nothing reads when it is written (after `PIPE_WAIT` seconds).

``-`` is not a file name here: callers that accept it for standard output use `write_stdout`,
which refuses binary data.

Every failure is one `ExportError` naming the file and the reason, and leaves the destination
as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import re
import secrets
import select
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dockerqa.errors import ExportError

__all__ = [
    "STALE_AFTER",
    "STDOUT",
    "Output",
    "encoded",
    "json_chunks",
    "make_directory",
    "read_input",
    "reason",
    "remove_stale_temporaries",
    "write_output",
    "write_stdout",
]

#: The destination name that means standard output, for callers that accept it.
STDOUT = "-"
#: Seconds after which a temporary file of a process that no longer runs counts as stale.
STALE_AFTER = 10.0
#: Seconds a named pipe may take to get a writer (when read) or a reader (when written).
PIPE_WAIT = 2.0
#: The most bytes read from one input file: far more than any page, metadata or lock.
INPUT_LIMIT = 64 << 20
#: Mode of every regular file written (``rw-r--r--``), independent of the umask.
FILE_MODE = 0o644


def reason(exc: OSError) -> str:
    """The system's description of an error, in lowercase (``no space left on device``)."""
    text = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    return text[:1].lower() + text[1:]


def _fail(destination: Path | str, exc: OSError) -> ExportError:
    return ExportError(f"{destination}: cannot write: {reason(exc)}")


def make_directory(directory: Path) -> None:
    """Create an output directory (and its parents) if needed; `ExportError` when impossible."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ExportError(
            f"{directory}: cannot create the directory: a file is in the way"
        ) from None
    except OSError as exc:
        raise ExportError(f"{directory}: cannot create the directory: {reason(exc)}") from None


def write_stdout(data: bytes, *, binary: bool = False, what: str = "this format") -> None:
    """Write ``data`` to standard output (the destination ``-``).

    ``binary`` data is refused: it would garble a terminal and there is no file to keep it in.
    A closed pipe (`BrokenPipeError`) is passed on for the command line to handle quietly.
    """
    if binary:
        raise ExportError(
            f"{STDOUT}: {what} is binary and is not written to standard output; "
            "give a file name instead"
        )
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _fail("standard output", exc) from None


# --- the rules --------------------------------------------------------------------------------


def _target(destination: Path) -> Path:
    """Where the bytes go: the destination, or the final target of a symbolic link."""
    if not destination.is_symlink():
        return destination
    return Path(os.path.realpath(destination))


#: A temporary file of `_write_regular`: ``.NAME.<pid>-<16 hex>.tmp``.
_TEMPORARY = re.compile(r"\..+\.(\d+)-[0-9a-f]{16}\.tmp")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def remove_stale_temporaries(destination: Path, *, now: float | None = None) -> list[Path]:
    """Remove temporary files left beside ``destination`` by killed runs; return them.

    Only files of our own pattern (``.NAME.<pid>-<16 hex>.tmp``, for any ``NAME``: the
    temporary file of another output or of a lock in the same directory too) that are regular
    files owned by the current user, whose pid no longer runs and that are older than
    `STALE_AFTER`.
    """
    pattern = _TEMPORARY
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(destination.parent)
    except OSError:
        return removed
    for name in names:
        m = pattern.fullmatch(name)
        if m is None or int(m.group(1)) == os.getpid():
            continue
        path = destination.parent / name
        try:
            st = path.lstat()
        except OSError:
            continue
        if (
            stat.S_ISREG(st.st_mode)
            and st.st_uid == os.geteuid()
            and now - st.st_mtime > STALE_AFTER
            and not _running(int(m.group(1)))
        ):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


#: An output: its bytes, or its pieces in order (written as they come, never held whole).
Output = bytes | Iterable[bytes]


def _open_for_writing(path: Path) -> int:
    """A blocking descriptor open for writing; a named pipe that no process reads gets
    `PIPE_WAIT` seconds to get a reader (`OSError` then) instead of a wait for ever."""
    deadline = time.monotonic() + PIPE_WAIT
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as exc:  # ENXIO: a named pipe that no process reads (yet)
            if exc.errno != errno.ENXIO:
                raise
            if time.monotonic() >= deadline:
                raise OSError(errno.ENXIO, "No process reads this pipe") from None
            time.sleep(0.05)
            continue
        os.set_blocking(fd, True)
        return fd


def read_input(path: Path, limit: int = INPUT_LIMIT) -> bytes:
    """The bytes of an input file; `OSError` when it cannot be read, and also when it is a
    named pipe that no process writes to within `PIPE_WAIT` seconds (``no process writes to
    this pipe``) or holds more than ``limit`` bytes (``larger than 64 MiB``: ``/dev/zero``)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            if not poller.poll(int(PIPE_WAIT * 1000)):
                raise OSError(errno.EAGAIN, "No process writes to this pipe")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise OSError(errno.EFBIG, f"Larger than {limit >> 20} MiB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _write_special(destination: Path, shown: Path, data: bytes) -> None:
    """Write to a device or FIFO as it is: no temporary file, no truncation, no rename."""
    try:
        fd = _open_for_writing(destination)
    except OSError as exc:
        raise _fail(shown, exc) from None
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise _fail(shown, exc) from None
    finally:
        os.close(fd)


def _write_all(fd: int, data: Output) -> None:
    """Write the bytes, or each piece of them in turn."""
    for chunk in [data] if isinstance(data, bytes) else data:
        view = memoryview(chunk)
        while view:
            written = os.write(fd, view)
            view = view[written:]


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot sync a directory; the rename is done
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _write_regular(destination: Path, shown: Path, data: Output) -> None:
    """Temporary file beside ``destination``, fsync, rename, fsync the directory."""
    parent = destination.parent
    remove_stale_temporaries(destination)
    tmp = parent / f".{destination.name}.{os.getpid()}-{secrets.token_hex(8)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise _fail(shown, exc) from None
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, destination)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _fail(shown, exc) from None
        raise
    try:
        _fsync_directory(parent)
    except OSError as exc:
        raise _fail(shown, exc) from None


def write_output(destination: Path, data: Output) -> Path:
    """Write ``data`` to ``destination`` by the rules of this module and return ``destination``.

    Pieces are written to the temporary file as they come; a device or pipe gets the whole
    output once it is complete (an error on the way leaves nothing written anywhere).

    Raises `ExportError` (``PATH: cannot write: REASON``, ``PATH: no such directory …``) on
    any failure, leaving the destination as it was.
    """
    destination = Path(destination)
    try:  # through links as the kernel follows them: /dev/stdout to a pipe has no path
        st: os.stat_result | None = os.stat(destination)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _fail(destination, exc) from None
    if st is not None and (
        stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) or stat.S_ISFIFO(st.st_mode)
    ):
        whole = data if isinstance(data, bytes) else b"".join(data)
        _write_special(destination, destination, whole)
        return destination
    target = _target(destination)
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise ExportError(
                f"{destination}: cannot write: is a directory; give a file name inside it"
            )
        if not stat.S_ISREG(st.st_mode):
            raise ExportError(f"{destination}: cannot write: not a regular file, device or pipe")
    parent = target.parent
    if not parent.is_dir():
        if parent.exists() or parent.is_symlink():
            raise ExportError(f"{destination}: {parent} is not a directory")
        raise ExportError(f"{destination}: no such directory {parent}; create it first")
    _write_regular(target, destination, data)
    return destination


def encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    """Text pieces as UTF-8, in batches of about 64 KiB (the bytes of ``"".join(pieces)``)."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            yield "".join(batch).encode("utf-8")
            batch.clear()
            size = 0
    yield "".join(batch).encode("utf-8")


def json_chunks(data: object, **options: Any) -> Iterator[bytes]:
    """``(json.dumps(data, **options) + "\\n").encode("utf-8")`` in pieces, byte for byte."""
    return encoded(itertools.chain(json.JSONEncoder(**options).iterencode(data), ["\n"]))
