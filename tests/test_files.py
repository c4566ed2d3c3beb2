"""Writing outputs: devices, pipes, links, modes, stale temporary files, missing directories.

Device cases make private nodes with ``os.mknod`` in a temporary directory (root only); nothing
here touches ``/dev``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerqa import ExportError
from dockerqa._files import write_output

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="making device nodes needs root")
#: (major, minor) of the kernel's null and full devices.
NULL, FULL = (1, 3), (1, 7)


def _device(path: Path, numbers: tuple[int, int]) -> Path:
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*numbers))
    return path


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@ROOT_ONLY
def test_a_device_gets_the_bytes_and_stays_a_device(tmp_path: Path) -> None:
    null = _device(tmp_path / "null", NULL)
    assert write_output(null, b"data") == null
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert _listing(tmp_path) == ["null"]


@ROOT_ONLY
def test_a_full_device_is_one_clear_error(tmp_path: Path) -> None:
    full = _device(tmp_path / "full", FULL)
    with pytest.raises(ExportError) as err:
        write_output(full, b"data")
    assert str(err.value) == f"{full}: cannot write: no space left on device"
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert _listing(tmp_path) == ["full"]


@ROOT_ONLY
def test_a_device_through_a_link_keeps_both(tmp_path: Path) -> None:
    null = _device(tmp_path / "null", NULL)
    link = tmp_path / "out.json"
    link.symlink_to(null)
    write_output(link, b"data")
    assert link.is_symlink() and stat.S_ISCHR(null.lstat().st_mode)


def test_a_fifo_gets_the_bytes_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(fifo, b"through the pipe")
    reader.join(timeout=30)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert _listing(tmp_path) == ["pipe"]


def test_a_link_is_kept_and_its_target_written(tmp_path: Path) -> None:
    target = tmp_path / "real" / "deck.json"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "deck.json"
    link.symlink_to(Path("real") / "deck.json")
    chain = tmp_path / "chain.json"
    chain.symlink_to(link.name)
    write_output(chain, b"new")
    assert chain.is_symlink() and link.is_symlink()
    assert target.read_bytes() == b"new"
    assert _listing(target.parent) == ["deck.json"]
    dangling = tmp_path / "later.json"
    dangling.symlink_to(Path("real") / "later.json")
    write_output(dangling, b"made")
    assert dangling.is_symlink() and (target.parent / "later.json").read_bytes() == b"made"


def test_a_regular_file_is_always_0644(tmp_path: Path) -> None:
    dest = tmp_path / "x.csv"
    dest.write_bytes(b"old")
    dest.chmod(0o600)
    old = os.umask(0o077)
    try:
        write_output(dest, b"new")
        write_output(tmp_path / "fresh.csv", b"new")
    finally:
        os.umask(old)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "fresh.csv").stat().st_mode) == 0o644


def _gone_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)


def test_stale_temporary_files_of_killed_runs_are_removed(tmp_path: Path) -> None:
    dest = tmp_path / "deck.apkg"
    old = time.time() - 3600
    stale = tmp_path / f".deck.apkg.{_gone_pid()}-0123456789abcdef.tmp"
    running = tmp_path / f".deck.apkg.{os.getppid()}-0123456789abcdef.tmp"
    fresh = tmp_path / f".deck.apkg.{_gone_pid()}-fedcba9876543210.tmp"
    foreign = tmp_path / ".deck.apkg.notours.tmp"
    other = tmp_path / f".other.apkg.{_gone_pid()}-0123456789abcdef.tmp"
    for p in (stale, running, fresh, foreign, other):
        p.write_bytes(b"half")
        if p is not fresh:
            os.utime(p, (old, old))
    write_output(dest, b"deck")
    assert not stale.exists() and not other.exists()  # a temporary of another file too
    assert running.exists() and fresh.exists() and foreign.exists()
    assert dest.read_bytes() == b"deck"


def test_a_missing_directory_is_not_created(tmp_path: Path) -> None:
    dest = tmp_path / "no" / "such" / "x.json"
    with pytest.raises(ExportError, match=r"x\.json: no such directory .*; create it first$"):
        write_output(dest, b"{}")
    assert _listing(tmp_path) == []
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ExportError, match=r"x\.json: cannot write: not a directory$"):
        write_output(blocker / "x.json", b"{}")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        ExportError, match=r": cannot write: is a directory; give a file name inside it$"
    ):
        write_output(tmp_path, b"{}")


@contextlib.contextmanager
def _small_tmpfs(directory: Path) -> Iterator[Path]:
    directory.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(directory)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", str(directory)], check=True)


def test_a_full_file_system_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    with _small_tmpfs(tmp_path / "small") as small:
        dest = small / "deck.apkg"
        dest.write_bytes(b"old deck")
        with pytest.raises(ExportError, match=r"deck\.apkg: cannot write: no space left on device"):
            write_output(dest, b"x" * (1 << 20))
        assert dest.read_bytes() == b"old deck"
        assert _listing(small) == ["deck.apkg"]


def test_standard_output_takes_text_and_refuses_binary(capfd: pytest.CaptureFixture[str]) -> None:
    from dockerqa._files import write_stdout

    write_stdout(b"text\n")
    assert capfd.readouterr().out == "text\n"
    with pytest.raises(ExportError, match=r"^-: the anki format is binary .*give a file name"):
        write_stdout(b"PK", binary=True, what="the anki format")


def _failing(*pieces: bytes) -> Iterator[bytes]:
    """An output that breaks after ``pieces`` (an exporter failing half-way)."""
    yield from pieces
    raise ExportError("half-way: the exporter failed")


def test_pieces_are_written_in_order_and_a_failure_leaves_the_file_as_it_was(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "deck.csv"
    write_output(dest, iter([b"first,", b"second\r\n"]))
    assert dest.read_bytes() == b"first,second\r\n"
    with pytest.raises(ExportError, match="half-way"):
        write_output(dest, _failing(b"new,", b"half"))
    assert dest.read_bytes() == b"first,second\r\n"
    assert _listing(tmp_path) == ["deck.csv"]


def test_a_pipe_gets_a_failing_output_not_at_all(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader that never blocks
    try:
        with pytest.raises(ExportError, match="half-way"):
            write_output(fifo, _failing(b"half of ", b"the output"))
        assert os.read(reader, 1024) == b""  # nothing reached the pipe
        write_output(fifo, iter([b"the whole ", b"output"]))
        assert os.read(reader, 1024) == b"the whole output"
    finally:
        os.close(reader)
