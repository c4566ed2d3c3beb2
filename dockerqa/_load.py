"""Reading sources: files, text and the bundled corpus (never the lock: see `dockerqa.lock`)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from dockerqa._files import read_input, reason
from dockerqa._meta import CorpusMeta, read_meta
from dockerqa._parse import parse_document
from dockerqa.errors import ParseError
from dockerqa.model import Library

#: How the bundled corpus is named in messages and in the JSON export.
BUNDLED_NAME = "corpus/docker.mdx"


def bundled_source() -> Path:
    """Path of the bundled corpus page."""
    return Path(str(resources.files("dockerqa.corpus").joinpath("docker.mdx")))


def metadata_path(source: Path) -> Path:
    """The metadata file that belongs to a source (``NAME.toml`` beside ``NAME.mdx``)."""
    return source.with_suffix(".toml")


def has_metadata(source: Path) -> bool:
    """Whether a page has a metadata file: anything named ``NAME.toml`` beside a page that is
    a file, even a directory or a broken link (reading it then says what is wrong)."""
    return source.is_file() and os.path.lexists(metadata_path(source))


def lock_path(source: Path) -> Path:
    """The lock file that belongs to a source (``NAME.lock`` beside ``NAME.mdx``)."""
    return source.with_suffix(".lock")


def resolve_source(source: str | os.PathLike[str] | None) -> Path:
    """The page to read: the given path, or the bundled corpus."""
    return Path(source) if source is not None else bundled_source()


def display_name(source: str | os.PathLike[str] | None) -> str:
    """How a source is named in messages and exports: the same however it was typed
    (``p.mdx``, ``./p.mdx``, ``sub/../p.mdx``; normalised as text, never resolved), or
    ``corpus/docker.mdx``."""
    return os.path.normpath(os.fspath(source)) if source is not None else BUNDLED_NAME


def load(path: str | os.PathLike[str] | None = None) -> Library:
    """Load a page from a file (the bundled corpus when no path is given).

    Metadata (``NAME.toml``) beside the page is used when present; the lock file is not read
    (exports apply it). Raises `ParseError` naming the file and line when the page cannot be
    read.
    """
    if path is not None and not os.fspath(path):  # Path("") would be the current directory
        raise ParseError("an empty path names no page", "''", None, None)
    source = resolve_source(path)
    if source.is_dir():  # before its NAME.toml is looked for: '.' and '/' have no NAME
        raise ParseError("is a directory, not a page", source, None, None)
    meta = read_meta(metadata_path(source)) if has_metadata(source) else CorpusMeta()
    # the bytes go straight to the parser, which lets go of them once decoded
    return parse_document(_read_page(source), display_name(path), meta)


def _read_page(source: Path) -> bytes:
    try:
        return read_input(source)
    except FileNotFoundError:
        raise ParseError("no such file", source, None, None) from None
    except IsADirectoryError:
        raise ParseError("is a directory, not a page", source, None, None) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {reason(exc)}", source, None, None) from None


def loads(
    text: str | bytes,
    *,
    file: str = "<string>",
    meta: CorpusMeta | None = None,
    key: str | None = None,
) -> Library:
    """Parse page text (no metadata unless given). ``key`` sets the page key (default: from
    ``file``, ``page`` for ``<string>``)."""
    if key is not None:
        meta = CorpusMeta(**{**(meta or CorpusMeta()).__dict__, "key": key})
    return parse_document(text, file, meta)
