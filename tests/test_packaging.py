"""Packaging: a built wheel installs under ``dockerqa.`` only and works in a fresh venv."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a clean copy of the sources: a stale build/ in the working tree (setuptools
    # reuses it) could ship deleted modules, and the build must not write into the tree.
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    for name in ("dockerqa", "exporters", "corpus"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(src)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    (found,) = out.glob("dockerqa-*.whl")
    return found


def test_wheel_holds_only_the_dockerqa_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"dockerqa", next(t for t in tops if t.endswith(".dist-info"))}
    for expected in (
        "dockerqa/py.typed",
        "dockerqa/corpus/docker.mdx",
        "dockerqa/corpus/docker.toml",
        "dockerqa/__main__.py",
        "dockerqa/_files.py",
        "dockerqa/study.py",
        "dockerqa/exporters/json.py",
        "dockerqa/exporters/anki/__init__.py",
        "dockerqa/exporters/anki/notetypes.py",
        "dockerqa/exporters/anki/_apkg.py",
        "dockerqa/exporters/anki/card.css",
        "dockerqa/exporters/_flashcards.py",
        "dockerqa/exporters/templates/cheatsheet.html.j2",
    ):
        assert expected in names, expected
    assert "dockerqa/cards.py" not in names, "moved to dockerqa/exporters/_flashcards.py"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "json = dockerqa.exporters.json:JSONExporter" in text
    assert "dockerqa = dockerqa.cli:run" in text


def test_wheel_works_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)  # fmt: skip
    # Dependencies come from the test environment, after the fresh venv's own site-packages.
    deps = sysconfig.get_paths()["purelib"]
    code = (
        f"import sys; sys.path.append({deps!r}); import dockerqa, dockerqa.exporters.json;"
        "lib = dockerqa.load();"
        "print(len(lib), lib.metadata.key, dockerqa.exporters.json.__file__.count('site-packages'),"
        " ','.join(sorted(dockerqa.available_exporters())))"
    )
    out = subprocess.run(
        [str(py), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    count, key, in_site_packages, exporters = out.stdout.split()
    assert (count, key, in_site_packages) == ("88", "dockerqa", "1")
    # Plugins in the test environment may add names; the built-ins come with the wheel.
    assert {"anki", "csv", "html", "json"} <= set(exporters.split(","))
    # The console script (dockerqa.cli:run) and ``python -m dockerqa`` are the same command.
    runner = (
        f"import sys, runpy; sys.path.append({deps!r});"
        "runpy.run_module('dockerqa', run_name='__main__', alter_sys=True)"
    )
    script = (
        f"import sys; sys.path.append({deps!r}); sys.argv[0] = 'dockerqa';"
        "from dockerqa.cli import run; run()"
    )
    outputs = []
    for code in (runner, script):
        listed = subprocess.run(
            [str(py), "-c", code, "list", "--section", "scenarios"],
            capture_output=True, text=True, cwd=tmp_path,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == 8
        outputs.append(listed.stdout)
    assert outputs[0] == outputs[1]
    console = (env_dir / "bin" / "dockerqa").read_text()
    assert "from dockerqa.cli import run" in console
    probe = subprocess.run(
        [str(py), "-c", "import exporters"], capture_output=True, text=True, cwd=tmp_path
    )
    assert probe.returncode != 0  # no top-level module leaks into site-packages
    probe = subprocess.run(
        [str(py), "-c", "import corpus"], capture_output=True, text=True, cwd=tmp_path
    )
    assert probe.returncode != 0
