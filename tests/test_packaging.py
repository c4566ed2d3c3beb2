"""Packaging: a built wheel installs under ``dockerqa.`` only and works in a fresh venv."""

from __future__ import annotations

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
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
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
        "dockerqa/exporters/json.py",
        "dockerqa/exporters/anki.py",
    ):
        assert expected in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "json = dockerqa.exporters.json:JSONExporter" in text
    assert "dockerqa = dockerqa.cli:main" in text


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
        "print(len(lib), dockerqa.exporters.json.__file__.count('site-packages'),"
        " sorted(dockerqa.available_exporters()))"
    )
    out = subprocess.run(
        [str(py), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "88 1 ['anki', 'csv', 'html', 'json']"
    probe = subprocess.run(
        [str(py), "-c", "import exporters"], capture_output=True, text=True, cwd=tmp_path
    )
    assert probe.returncode != 0  # no top-level module leaks into site-packages
    probe = subprocess.run([str(py), "-c", "import corpus"], capture_output=True, cwd=tmp_path)
    assert probe.returncode != 0
