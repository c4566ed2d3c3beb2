"""The command's manners with its own streams: full disks, closed pipes and Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, corpus_copy

DOCKERQA = str(Path(sys.executable).with_name("dockerqa"))
FULL = os.makedev(1, 7)  # the major and minor numbers of /dev/full, on a private node


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize(
    "args",
    [("schema",), ("list",), ("show", "fundamentals/vm-vs-container"), ("tags",), ("stats",)],
    ids=lambda a: a[0],
)
def test_a_full_stdout_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    full = tmp_path / "full"
    os.mknod(full, 0o600 | 0o020000, FULL)
    with open(full, "wb") as out:
        result = subprocess.run(
            [DOCKERQA, *args], stdout=out, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert result.returncode == 1
    assert result.stderr == (
        "dockerqa: error: standard output: cannot write: no space left on device\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (("list",), 1, "dockerqa: error: standard output: cannot write: bad file descriptor\n"),
        (("validate", "--help"), 1, "dockerqa: error: standard output: cannot write: "),
        # the file is written, then its report line cannot be
        (("export", "json", "--out", "{tmp}/o.json"), 1, "dockerqa: error: standard output: "),
    ],
    ids=["list", "help", "export-to-a-file"],
)
def test_a_closed_stdout_is_one_line(
    tmp_path: Path, args: tuple[str, ...], code: int, stderr: str
) -> None:
    """Started with standard output closed (``dockerqa list >&-``)."""
    argv = [a.format(tmp=tmp_path) for a in args]
    result = subprocess.run(
        [DOCKERQA, *argv],
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert (result.returncode, result.stderr[: len(stderr)]) == (code, stderr), result.stderr
    assert result.stderr.count("\n") == 1
    if args[0] == "export":
        assert (tmp_path / "o.json").stat().st_size > 1000


@pytest.mark.parametrize("args", [("list",), ("schema",), ("tags",)], ids=lambda a: a[0])
def test_a_closed_pipe_is_silent(args: tuple[str, ...]) -> None:
    process = subprocess.Popen(
        [DOCKERQA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)  # the reader takes a little, then goes away (`| head -c10`)
    process.stdout.close()
    stderr = process.stderr.read()
    # quiet, status 1 as Python and click advise (0 when the output fitted in the pipe first)
    assert process.wait(timeout=60) in (0, 1)
    assert stderr == b""


def test_ctrl_c_is_one_line_and_leaves_nothing_behind(tmp_path: Path) -> None:
    page = tmp_path / "big.mdx"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_page.py"), "10", str(page)],
        check=True,
        timeout=120,
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "out"
    process = subprocess.Popen(
        [DOCKERQA, "export", "all", "--source", str(page), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # well into reading, locking or building a ×10 page
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, (stdout, stderr)
    assert stderr == "dockerqa: interrupted\n"
    assert not out.exists() or not any(out.iterdir())
    left = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("out", "big.lock"))
    assert left == [n for n in before if n != "big.lock"]
    assert not [p for p in tmp_path.rglob("*.tmp")]
    shutil.rmtree(tmp_path)


HEAVY = ("pydantic", "markdown_it", "mdit_py_plugins", "pygments", "genanki", "jinja2")


@pytest.mark.parametrize(
    "args", [("--help",), ("--version",), ("exporters",), ("export", "--help")]
)
def test_quick_commands_import_nothing_heavy(args: tuple[str, ...]) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dockerqa", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "click" in imported  # the measurement itself works
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert heavy == []


def test_progress_goes_to_a_terminal_only(tmp_path: Path) -> None:
    import pty

    page = corpus_copy(tmp_path)
    args = [DOCKERQA, "export", "all", "--source", str(page), "--out", str(tmp_path / "out")]
    piped = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""  # nothing extra in pipes and CI
    wrote = [line.split()[0] for line in piped.stdout.splitlines()]
    assert wrote == ["wrote"] * len(wrote) and len(wrote) >= 4  # plugins may add more

    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(leader)
    text = seen.decode()
    for stage in ("reading", "updating", "building anki", "building json"):
        assert f"dockerqa: {stage}" in text, text
