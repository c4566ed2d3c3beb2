"""README's example exporter, installed through an entry point and run with its option."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import ROOT, run_cli


def _readme_plugin() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Adding an exporter") :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def _install(site: Path) -> dict[str, str]:
    """Install the plugin the way pip would leave it: a module and its dist-info."""
    site.mkdir()
    (site / "titles_plugin.py").write_text(_readme_plugin(), encoding="utf-8")
    info = site / "titles_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: titles-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[dockerqa.exporters]\ntitles = titles_plugin:TitlesExporter\n", encoding="utf-8"
    )
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path}


def test_a_plugin_with_an_option_runs_from_the_cli(tmp_path: Path) -> None:
    env = _install(tmp_path / "site")
    page = tmp_path / "docker.mdx"
    shutil.copyfile(ROOT / "corpus" / "docker.mdx", page)
    shutil.copyfile(ROOT / "corpus" / "docker.toml", page.with_suffix(".toml"))

    listed = run_cli("exporters", env=env)
    assert "titles   titles_plugin:TitlesExporter" in listed.stdout
    helped = run_cli("export", "titles", "--help", env=env)
    assert "--ids" in helped.stdout and "Start each line with the question id." in helped.stdout

    plain = run_cli("export", "titles", "--source", str(page), "--out", "-", env=env)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[0] == "VM vs Container"
    with_ids = run_cli("export", "titles", "--ids", "--source", str(page), "--out", "-", env=env)
    assert with_ids.stdout.splitlines()[0] == "fundamentals/vm-vs-container\tVM vs Container"
    by_name = run_cli(
        "export", "titles", "-o", "ids=yes", "--source", str(page), "--out", "-", env=env
    )
    assert by_name.stdout == with_ids.stdout
    bad = run_cli("export", "titles", "-o", "ids=maybe", "--source", str(page), env=env)
    assert bad.returncode == 1
    assert bad.stderr == "dockerqa: error: option ids: expected true or false, not 'maybe'\n"
    # installed or not, the built-in four are there
    assert {"anki", "csv", "html", "json"} <= {
        line.split()[0] for line in listed.stdout.splitlines()
    }
