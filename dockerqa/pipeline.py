"""Source → library → lock → exporter: what ``dockerqa export`` does, as a Python function."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dockerqa._files import make_directory
from dockerqa._load import bundled_source, load, lock_path
from dockerqa.errors import ExportError
from dockerqa.exporting import DEFAULT_DIR, available_exporters, get_exporter
from dockerqa.model import Library

#: Filter names accepted by `Library.filter`.
FILTERS = ("level", "min_level", "section", "kind", "tag")


def resolve_source(source: str | os.PathLike[str] | None) -> Path:
    """The page to read: the given path, or the bundled corpus."""
    return Path(source) if source is not None else bundled_source()


def refresh_lock(source: str | os.PathLike[str] | None = None, *, locked: bool = False) -> Any:
    """Bring the lock file beside ``source`` up to date (or check it, with ``locked``).

    Returns the `dockerqa.lock.Lock`; raises `LockError` when ``locked`` and the lock is stale.
    """
    from dockerqa.lock import refresh

    path = resolve_source(source)
    library = load(path if source is not None else None)
    return refresh(library, lock_path(path), locked=locked)


def export_source(
    format: str,
    *,
    source: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    locked: bool = False,
    filters: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
    report: Callable[[str], None] | None = None,
) -> list[Path]:
    """Export a page in one format (or ``all`` formats into a directory); return the paths written.

    Exporters that take a ``lock`` option get the source's lock, refreshed first (checked only,
    with ``locked``). ``filters`` are `Library.filter` keywords; ``options`` go to the exporter.
    """
    names = sorted(available_exporters()) if format == "all" else [format]
    classes = [get_exporter(n) for n in names]
    path = resolve_source(source)
    library = load(path if source is not None else None)
    lock = None
    if any("lock" in cls.options for cls in classes):
        from dockerqa.lock import apply_renames, refresh

        lock = refresh(library, lock_path(path), locked=locked)
        library = apply_renames(library, lock)
        if report is not None and lock.changes.describe():
            report(f"updated {lock_path(path).name}: {lock.changes.describe()}")
    selected = apply_filters(library, filters or {})
    written: list[Path] = []
    for cls in classes:
        opts = dict(options or {})
        if lock is not None and "lock" in cls.options:
            opts["lock"] = lock
        if format == "all":
            opts = {k: v for k, v in opts.items() if k in cls.options}
            dest = Path(out or DEFAULT_DIR) / cls.default_filename
        else:
            dest = Path(out) if out is not None else DEFAULT_DIR / cls.default_filename
            if dest.is_dir():
                dest = dest / cls.default_filename
        exporter = cls(**opts)
        if format == "all" or out is None:
            make_directory(dest.parent)  # an output directory of ours (dist/, export all's)
        written.append(exporter.export(selected, dest))
    return written


def apply_filters(library: Library, filters: Mapping[str, Any]) -> Library:
    """`Library.filter` with ``filters``, as `ExportError` when a value is unknown or nothing
    matches (None and empty values are ignored)."""
    active = {k: v for k, v in filters.items() if v not in (None, (), [])}
    unknown = set(active) - set(FILTERS)
    if unknown:
        raise ExportError(
            f"unknown filter {', '.join(sorted(unknown))} (available: {', '.join(FILTERS)})"
        )
    if not active:
        return library
    sections = {s.id for s in library.sections}
    wanted = active.get("section")
    for sid in [wanted] if isinstance(wanted, str) else list(wanted or ()):
        if sid not in sections:
            raise ExportError(f"unknown section {sid!r} (available: {', '.join(sorted(sections))})")
    try:
        selected = library.filter(**active)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    if not selected.questions:
        raise ExportError("the filters match no question")
    return selected
