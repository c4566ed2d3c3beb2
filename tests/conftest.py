"""Shared fixtures: the bundled corpus, fixture pages, a helper to run the real CLI, and a
headless Chromium (``browser``, ``tab``; see `engines`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import Browser, Tab, find_chromium

import dockerqa

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT / "corpus" / "docker.mdx"


@pytest.fixture(scope="session")
def corpus() -> dockerqa.Library:
    """The bundled corpus, parsed once per test session."""
    return dockerqa.load()


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return CORPUS.read_text(encoding="utf-8")


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``dockerqa`` command in a real subprocess (at most ``timeout``
    seconds: a command that waits for ever fails its test)."""
    exe = Path(sys.executable).with_name("dockerqa")
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )


def corpus_copy(directory: Path) -> Path:
    """A copy of the bundled page with its metadata and lock in ``directory`` (exporting a
    page writes its lock beside it); the copy's page."""
    directory.mkdir(parents=True, exist_ok=True)
    for suffix in ("mdx", "toml", "lock"):
        shutil.copyfile(ROOT / "corpus" / f"docker.{suffix}", directory / f"docker.{suffix}")
    return directory / "docker.mdx"


def fresh_export(format: str, out: Path, seed: str, *flags: str) -> bytes:
    """The bytes ``dockerqa export FORMAT`` writes for the bundled corpus (with its committed
    lock) in a fresh process with hash seed ``seed`` and a far-away time zone."""
    done = run_cli(
        "export", format, "--locked", "--out", str(out), *flags,
        env={"PYTHONHASHSEED": seed, "TZ": "Pacific/Kiritimati"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        message = "headless Chromium not found (apt-get install chromium, or set DOCKERQA_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; browser tests must run in CI")
        pytest.skip(message)
    b = Browser(executable)
    yield b
    b.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    t = browser.new_page()
    yield t
    t.close()
