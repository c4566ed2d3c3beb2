"""The entry-point reader agrees with importlib.metadata, over every group of this
environment and the layouts a plugin can come in."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from test_exporting import _install_plugin, _python

#: Every group's entry points, by the registry and by importlib.metadata, as sorted lists.
_BOTH_WAYS = """
import importlib.metadata as md, json
from dockerqa._entry_points import entry_points
groups = sorted(md.entry_points().groups)
print(json.dumps({
    g: [sorted([e.name, e.value] for e in entry_points(g)),
        sorted([e.name, e.value] for e in md.entry_points(group=g))]
    for g in groups
}))
"""


@pytest.mark.parametrize("zipped", [False, True], ids=["directories", "with-a-zip"])
def test_registry_finds_what_importlib_metadata_finds(tmp_path: Path, zipped: bool) -> None:
    # The registry reads entry_points.txt itself (importlib.metadata costs too much to import
    # for ``dockerqa exporters``); over every group of this environment, plus a plugin on
    # PYTHONPATH with an entry point that has extras, a second copy of it that must not count
    # twice, an egg directory and (read through importlib.metadata) a zip archive.
    env = _install_plugin(
        tmp_path,
        "titles = titles_plugin:TitlesExporter\nextra = titles_plugin:TitlesExporter [fancy]\n",
    )
    shadow = tmp_path / "later"
    info = shadow / "titles_plugin-0.9.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: titles-plugin\nVersion: 0.9\n")
    (info / "entry_points.txt").write_text("[dockerqa.exporters]\nold = titles_plugin:Old\n")
    egg = tmp_path / "eggy-1.0-py3.11.egg"
    (egg / "EGG-INFO").mkdir(parents=True)
    (egg / "EGG-INFO" / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: eggy\nVersion: 1.0\n")
    (egg / "EGG-INFO" / "entry_points.txt").write_text("[dockerqa.exporters]\negged = eggy:E\n")
    paths = [env["PYTHONPATH"], str(shadow), str(egg)]
    if zipped:
        archive = tmp_path / "zipped.zip"
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("zipped_plugin-1.0.dist-info/METADATA", "Name: zipped-plugin\nVersion: 1\n")
            z.writestr(
                "zipped_plugin-1.0.dist-info/entry_points.txt",
                "[dockerqa.exporters]\nzipped = zipped_plugin:Z\n",
            )
        paths.append(str(archive))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    both = json.loads(_python(_BOTH_WAYS, **env))
    assert "dockerqa.exporters" in both and "console_scripts" in both
    for group, (ours, theirs) in both.items():
        assert ours == theirs, group
    found = dict(map(tuple, both["dockerqa.exporters"][0]))
    assert found["titles"] == "titles_plugin:TitlesExporter" and found["egged"] == "eggy:E"
    assert "old" not in found and ("zipped" in found) == zipped
    loaded = _python(
        "import dockerqa; print(dockerqa.get_exporter('extra').__name__)", **env
    )  # extras are not part of the target
    assert loaded == "TitlesExporter"
