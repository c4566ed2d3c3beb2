"""Reading sources: files, text and the bundled corpus."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from dockerqa._meta import CorpusMeta, read_meta
from dockerqa._parse import parse_document
from dockerqa.errors import ParseError
from dockerqa.model import Library


def bundled_source() -> Path:
    """Path of the bundled corpus page."""
    return Path(str(resources.files("dockerqa.corpus").joinpath("docker.mdx")))


def metadata_path(source: Path) -> Path:
    """The metadata file that belongs to a source (``NAME.toml`` beside ``NAME.mdx``)."""
    return source.with_suffix(".toml")


def lock_path(source: Path) -> Path:
    """The lock file that belongs to a source (``NAME.lock`` beside ``NAME.mdx``)."""
    return source.with_suffix(".lock")


def load_meta(source: Path) -> CorpusMeta:
    """Metadata beside a source, with renames from its lock file applied."""
    meta_file = metadata_path(source)
    meta = read_meta(meta_file) if meta_file.is_file() else CorpusMeta()
    lock_file = lock_path(source)
    if lock_file.is_file():
        from dockerqa.lock import read_renames

        renamed = read_renames(lock_file)
        if renamed:
            meta = CorpusMeta(**{**meta.__dict__, "renamed": renamed})
    return meta


def load(path: str | os.PathLike[str] | None = None) -> Library:
    """Load a page from a file (the bundled corpus when no path is given).

    Metadata (``NAME.toml``) and the lock file (``NAME.lock``) beside the page are used when
    present. Raises `ParseError` naming the file and line when the page cannot be read.
    """
    source = Path(path) if path is not None else bundled_source()
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", source, 1, 1) from None
    except IsADirectoryError:
        raise ParseError("is a directory, not a page", source, 1, 1) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror}", source, 1, 1) from None
    # The path as recorded in the library (and the JSON export): the same however it was typed
    # (``p.mdx``, ``./p.mdx``, ``sub/../p.mdx``); normalised as text, never resolved.
    display = os.path.normpath(os.fspath(path)) if path is not None else "corpus/docker.mdx"
    return parse_document(data, display, load_meta(source))


def loads(text: str | bytes, *, file: str = "<string>", meta: CorpusMeta | None = None) -> Library:
    """Parse page text (no metadata unless given)."""
    return parse_document(text, file, meta)
