"""The exporter registry: entry points, lazy loading, third-party plugins, safe writes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import dockerqa
from conftest import run_cli
from dockerqa import ExportError
from dockerqa.exporting import atomic_output


def _python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    return result.stdout.strip()


def test_builtins_are_registered_through_entry_points() -> None:
    assert dockerqa.available_exporters() == {
        "anki": "dockerqa.exporters.anki:AnkiExporter",
        "csv": "dockerqa.exporters.csv:CSVExporter",
        "html": "dockerqa.exporters.html:HTMLExporter",
        "json": "dockerqa.exporters.json:JSONExporter",
    }


def test_import_and_listing_load_no_exporter_and_no_click() -> None:
    out = _python(
        "import sys, dockerqa; dockerqa.available_exporters(); lib = dockerqa.load();"
        "print(sorted(m for m in sys.modules if m.startswith(('dockerqa.exporters.', 'click',"
        " 'genanki', 'jinja2', 'anki'))))"
    )
    assert out == "[]"


def test_unknown_exporter_names_the_choices() -> None:
    with pytest.raises(
        ExportError, match=r"unknown exporter 'ankii' \(available: anki, csv, html, json\)"
    ):
        dockerqa.get_exporter("ankii")


def test_exporter_rejects_options_it_does_not_take(
    corpus: dockerqa.Library, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="takes no option plain"):
        dockerqa.export(corpus, "json", tmp_path / "x.json", plain=True)


PLUGIN = """
from pathlib import Path
from dockerqa import Exporter, Library
from dockerqa.exporting import write_bytes_atomic

class TitlesExporter(Exporter):
    name = "titles"
    description = "one title per line"
    suffix = ".txt"
    default_filename = "titles.txt"

    def export(self, library: Library, destination: Path) -> Path:
        text = "".join(f"{q.id}\\t{q.title}\\n" for q in library)
        return write_bytes_atomic(destination, text.encode())
"""


def _install_plugin(root: Path, entry_points: str, name: str = "titles_plugin") -> dict[str, str]:
    """A throwaway distribution (module + dist-info with entry points) on PYTHONPATH."""
    (root / f"{name}.py").write_text(PLUGIN)
    info = root / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[dockerqa.exporters]\n" + textwrap.dedent(entry_points))
    return {"PYTHONPATH": str(root)}


def test_third_party_exporter_installed_through_an_entry_point(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path, "titles = titles_plugin:TitlesExporter\n")
    listed = run_cli("exporters", env=env)
    assert "titles   titles_plugin:TitlesExporter" in listed.stdout
    out = tmp_path / "out" / "t.txt"
    out.parent.mkdir()  # an explicit --out names a file in an existing directory
    result = run_cli("export", "titles", "--level", "basic", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 20
    assert lines[0] == "fundamentals/vm-vs-container\tVM vs Container"


def test_duplicate_exporter_name_names_both_owners(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path, "json = titles_plugin:TitlesExporter\n")
    result = run_cli("exporters", env=env)
    assert result.returncode == 1
    assert "exporter 'json' is declared twice" in result.stderr
    assert "dockerqa 0.1.0" in result.stderr and "titles_plugin 1.0" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_plugin_warns_when_listing_and_fails_only_when_chosen(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path, "broken = no_such_module:Nothing\n")
    listed = run_cli("exporters", "--verbose", env=env)
    assert listed.returncode == 0
    assert "json" in listed.stdout
    assert "warning: exporter 'broken'" in listed.stderr
    chosen = run_cli("export", "broken", "--out", str(tmp_path / "x"), env=env)
    assert chosen.returncode == 1
    assert chosen.stderr.count("\n") == 1 and "cannot be loaded" in chosen.stderr
    assert not (tmp_path / "x").exists()


def test_atomic_output_leaves_nothing_behind_on_failure(tmp_path: Path) -> None:
    dest = tmp_path / "out.bin"
    dest.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(dest) as fh:
        fh.write(b"half")
        raise RuntimeError("boom")
    assert dest.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_unwritable_destination_is_an_export_error(
    corpus: dockerqa.Library, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ExportError, match="cannot write"):
        dockerqa.export(corpus, "json", blocker / "sub" / "x.json")
