"""The deterministic ``.apkg`` writer: genanki's collection, zipped with fixed dates, modes
and order, with note ``mod`` times from the lock."""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from typing import Any

import genanki

from dockerqa.errors import ExportError


class _Note(genanki.Note):  # type: ignore[misc]
    """A genanki note whose ``mod`` (and its cards') comes from the lock, not the build time."""

    def __init__(self, *, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def apkg_bytes(package: Any, timestamp: int) -> bytes:
    """The package as a zip with fixed dates, modes and entry order.

    The collection is built in a temporary file rather than in memory (a large page's would be
    held three times over) and copied into the zip in pieces. SQLite stamps a file's header
    with a change counter and its own version (offsets 24–27 and 92–99) where an in-memory
    database has zeros; they are zeroed, so the bytes do not depend on SQLite's version.
    """
    out = io.BytesIO()
    try:
        with tempfile.TemporaryDirectory(prefix="dockerqa-") as tmp:
            path = os.path.join(tmp, "collection.anki2")
            conn = sqlite3.connect(path)
            try:
                conn.execute("PRAGMA journal_mode = MEMORY")  # a scratch file: no journal,
                conn.execute("PRAGMA synchronous = OFF")  # no sync (the format is the same)
                _write_package(package, conn.cursor(), timestamp, itertools.count(timestamp * 1000))
                conn.commit()
            finally:
                conn.close()
            with open(path, "r+b") as db, zipfile.ZipFile(out, "w") as zf:
                for offset, width in _SQLITE_STAMPS:
                    db.seek(offset)
                    db.write(bytes(width))
                size = db.seek(0, os.SEEK_END)
                db.seek(0)
                for name, source, length in (
                    ("collection.anki2", db, size),
                    ("media", io.BytesIO(b"{}"), 2),
                ):
                    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED  # zlib's default level, 6
                    info.create_system = 3
                    info.external_attr = 0o100644 << 16
                    info.file_size = length
                    with zf.open(info, "w") as dest:
                        shutil.copyfileobj(source, dest, 1 << 20)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        try:
            where = tempfile.gettempdir()
        except OSError:  # none of the usual places can be written
            where = os.environ.get("TMPDIR") or "the temporary directory"
        raise ExportError(
            f"{where}: cannot build the Anki collection in a temporary file: "
            f"{reason} (TMPDIR chooses another directory)"
        ) from None
    return out.getvalue()


def _write_package(package: Any, cursor: Any, timestamp: int, id_gen: Iterator[int]) -> None:
    """`genanki.Package.write_to_db`, the same statements with the same values, without
    decoding and re-encoding the collection's deck list for every deck (which made a page of
    hundreds of sections quadratic): each deck's JSON is encoded once and the list joined."""
    cursor.executescript(genanki.package.APKG_SCHEMA)
    cursor.executescript(genanki.package.APKG_COL)
    (text,) = cursor.execute("SELECT decks FROM col").fetchone()
    items = {key: _json_item(key, value) for key, value in json.loads(text).items()}
    for deck in package.decks:
        key = str(deck.deck_id)
        items[key] = _json_item(key, deck.to_json())
        cursor.execute("UPDATE col SET decks = ?", ("{" + ", ".join(items.values()) + "}",))
        (text,) = cursor.execute("SELECT models FROM col").fetchone()  # as genanki does
        models = json.loads(text)
        for note in deck.notes:
            deck.add_model(note.model)
        models.update(
            {m.model_id: m.to_json(timestamp, deck.deck_id) for m in deck.models.values()}
        )
        cursor.execute("UPDATE col SET models = ?", (json.dumps(models),))
        for note in deck.notes:
            note.write_to_db(cursor, timestamp, deck.deck_id, id_gen)


def _json_item(key: str, value: Any) -> str:
    """One ``"key": value`` of a JSON object as `json.dumps` writes it."""
    return f"{json.dumps(key)}: {json.dumps(value)}"


#: (offset, width) of the header fields SQLite stamps in a database file: the file change
#: counter, and the change counter and library version it was last written with.
_SQLITE_STAMPS = ((24, 4), (92, 8))
