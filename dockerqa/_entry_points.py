"""Entry points of a group, read from the ``entry_points.txt`` of the distributions on
``sys.path`` as `importlib.metadata` reads them (first distribution of a name wins).

Importing `importlib.metadata` costs as much as starting click, and ``dockerqa exporters``
should cost little more than that, so the exporter registry (`dockerqa.exporting`) reads the
files itself; a zip archive on ``sys.path`` is left to `importlib.metadata`. A test keeps the
two in agreement over every group of the environment.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EntryPoint", "entry_points"]

_METADATA_DIRS = (".dist-info", ".egg-info")


@dataclass(frozen=True)
class EntryPoint:
    """One ``name = module:attribute`` line of a distribution's ``entry_points.txt``."""

    name: str
    value: str
    metadata_dir: Path | None
    """The distribution's ``*.dist-info`` (or ``*.egg-info``) directory, when on disk."""
    distribution: str | None = None
    """``name version`` when known without reading the metadata directory."""

    def load(self) -> Any:
        """Import the module and return the attribute the entry point names (extras aside)."""
        m = _ENTRY_POINT_VALUE.match(self.value)
        if m is None:
            raise ValueError(f"{self.value!r} is not MODULE[:ATTRIBUTE] [EXTRAS]")
        target: Any = importlib.import_module(m["module"])
        for part in filter(None, (m["attr"] or "").split(".")):
            target = getattr(target, part)
        return target

    @property
    def owner(self) -> str:
        """``name version`` of the distribution that declares it (from its metadata)."""
        if self.distribution is not None or self.metadata_dir is None:
            return self.distribution or "an unknown package"
        fields: dict[str, str] = {}
        for name in ("METADATA", "PKG-INFO"):
            try:
                text = (self.metadata_dir / name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for line in text.split("\n\n", 1)[0].splitlines():
                key, sep, value = line.partition(":")
                if sep and key in ("Name", "Version"):
                    fields.setdefault(key, value.strip())
            break
        return f"{fields.get('Name', self.metadata_dir.name)} {fields.get('Version', '')}".strip()


#: An entry point's value, as the entry-point specification writes it.
_ENTRY_POINT_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?(\[.*\]\s*)?$")


def _project(stem: str) -> str:
    """The normalised project name of ``pkg_name-1.0`` (as importlib.metadata compares them)."""
    return re.sub(r"[-_.]+", "_", stem.partition("-")[0]).lower()


def _distributions() -> Iterator[Path]:
    """Metadata directories on ``sys.path``, the first of each project name only."""
    seen: set[str] = set()
    for entry in sys.path:
        base = entry or "."
        try:
            names = sorted(os.listdir(base))
        except OSError:  # missing (a zip archive is read by `_from_importlib_metadata`)
            continue
        found = [(n[: n.rindex(".")], n) for n in names if n.endswith(_METADATA_DIRS)]
        if base.endswith(".egg") and "EGG-INFO" in names:  # an egg directory on the path
            found.append((os.path.basename(base)[:-4], "EGG-INFO"))
        for stem, name in found:
            project = _project(stem)
            if project not in seen:
                seen.add(project)
                yield Path(base, name)


def _from_importlib_metadata(group: str) -> list[EntryPoint]:
    """The slow, complete way (zip archives on ``sys.path``)."""
    import importlib.metadata

    return [
        EntryPoint(
            ep.name,
            ep.value,
            None,
            f"{ep.dist.name} {ep.dist.version}" if ep.dist is not None else None,
        )
        for ep in importlib.metadata.entry_points(group=group)
    ]


def _group(metadata_dir: Path, group: str) -> Iterator[tuple[str, str]]:
    try:
        text = (metadata_dir / "entry_points.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def entry_points(group: str) -> list[EntryPoint]:
    """Entry points of ``group`` from the distributions on ``sys.path``."""
    if any(os.path.isfile(entry) for entry in sys.path if entry):
        return _from_importlib_metadata(group)
    return [
        EntryPoint(name, value, metadata_dir)
        for metadata_dir in _distributions()
        for name, value in _group(metadata_dir, group)
    ]
