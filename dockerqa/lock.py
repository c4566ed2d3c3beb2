"""The lock file: question identity and change times, kept outside the Markdown.

``NAME.lock`` sits beside ``NAME.mdx`` and is committed with it. It is JSON written in one
canonical form (keys sorted, questions sorted by id, two-space indent, a final newline), so it
diffs line by line and two refreshes of the same source give the same bytes.

For every question it records:

* ``id`` — the id the question keeps, even after its title is edited (see `dockerqa.identity`);
* ``title``, ``section`` — as printed now, for people reading the diff;
* ``content`` — a fingerprint of everything the question shows (title, section, kind, level,
  topic tags and every text field), never of line numbers or the printed number;
* ``title_hash`` — a fingerprint of the title alone;
* ``sketch`` — a bottom-k MinHash of the body's word 3-shingles, enough to estimate how much
  two bodies share (`similarity`) when a title changes;
* ``changed`` — when the content last changed (UTC seconds); it is the ``mod`` time of the
  question's Anki notes, so an unchanged question keeps its time and a re-import leaves the
  learner's copy alone, while a changed one gets a newer time and is updated;
* ``retired`` — when the question left the source (absent while it is in the source);
* ``alias`` — for a renamed question, the id its new title would give it; `apply_renames`
  maps it back, so the question keeps its old id;
* ``number``, ``after`` — where the question stood when the lock was last written: the number
  printed in its title, and the id of the question before it in its section (the one after it
  is the entry whose ``after`` is this id). Rename detection weighs them (the *place*, see
  `dockerqa.identity`). Written only when there is one, and optional when read: a lock made
  before they were recorded reads, checks (``--locked``) and works as it did, the section
  standing for the place, and gains them at its next refresh. They alone never make a lock
  out of date nor rewrite it: a page renumbered or reordered keeps its lock's bytes (the
  places are brought up to date with the next change).
* ``snapshot`` — the question's own JSON (without id, title, section, printed number and
  source position), so a retired question can still be exported.

* ``follow_ups`` — one slot per follow-up the question ever had, in the order they first
  appeared: a fingerprint and a small sketch of the follow-up's question. A follow-up keeps
  its slot when others are inserted, removed or reordered, and when its own wording is edited
  (sketch similarity), so a flashcard made for slot 3 stays with the same follow-up.
* ``rows`` — written only for a question whose comparison table had a row's feature reworded
  (`dockerqa.tables`): the key the row's feature gives now → the key its card keeps, so the
  row keeps its card as an edited follow-up keeps its slot. Absent otherwise (a row is known
  by its feature), so locks made before table-row cards existed read, and write, unchanged.

The lock also records the sections in source order (deck names number them from it, also in
filtered exports), the page key, and under ``exporters`` the state an exporter keeps for
itself (the Anki exporter's note-type versions, say). The core never reads that state.

What goes into an entry (fingerprints, sketches, follow-up slots, renames) is computed by
`dockerqa.identity`; `dockerqa.pipeline.refresh` reads, computes and writes the file. This
module is the file: its models, reading (every message names the file and line) and its
canonical text.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from dockerqa._files import json_chunks, read_input, reason
from dockerqa._load import bundled_source, lock_path
from dockerqa._meta import read_meta
from dockerqa._text import not_utf8, words_fingerprint
from dockerqa.errors import DockerQAError, LockError
from dockerqa.model import SLOT_LIMIT as SLOT_LIMIT  # follow-up slots before reuse
from dockerqa.model import FrozenModel, Question, SourceSpan, grouped_by

#: Version of the lock file format (1 is read and upgraded on the next refresh).
FORMAT_VERSION = 2
#: Times in a lock file and ``SOURCE_DATE_EPOCH`` are whole UTC seconds from 0 to this value,
#: the last second of year 9999: every date library can show it, and an Anki package built from
#: it (note ids are times in milliseconds) stays within SQLite's 64-bit integers.
MAX_TIME = 253_402_300_799
#: Snapshot keys that `LockEntry.question` sets itself (or that a snapshot never holds).
NOT_IN_SNAPSHOT = frozenset({"id", "title", "heading", "section", "source", "number"})
#: Entry fields that record where a question stood (optional: older locks lack them).
_PLACE = ("number", "after")
#: The line every lock file starts with (the ``about`` key), for people who open it.
ABOUT = (
    "dockerqa lock file: keeps question ids and change times across edits. "
    "Commit it with its source; refresh it with `dockerqa lock`, never by hand."
)


def _valid_time(value: int) -> int:
    if not 0 <= value <= MAX_TIME:
        raise ValueError(f"a time must be whole UTC seconds from 0 to {MAX_TIME}, not {value}")
    return value


class SectionEntry(FrozenModel):
    """A section of the source, listed in source order."""

    id: str
    """The section id."""
    title: str
    """The heading without its number."""


class LockEntry(FrozenModel):
    """What the lock keeps for one question."""

    id: str
    """The id the question keeps."""
    title: str
    """Its title as last seen."""
    section: str
    """Its section id as last seen."""
    content: str = Field(pattern=r"^[0-9a-f]{16}$")
    """Fingerprint of its content fields (16 hex digits)."""
    title_hash: str = Field(pattern=r"^[0-9a-f]{16}$")
    """Fingerprint of its title."""
    sketch: str
    """Bottom-k MinHash of the body's word shingles: sorted 8-digit hex hashes, space-separated."""
    changed: int
    """When its content last changed (UTC seconds)."""
    retired: int | None = None
    """When it left the source (UTC seconds); None while it is in the source."""
    alias: str | None = None
    """The id its current title would give it, when that differs from ``id`` (a rename)."""
    follow_ups: tuple[str, ...] = ()
    """Follow-up slots in the order they were first taken: ``fingerprint sketch…`` of each
    slot's follow-up question (see `follow_up_slots`)."""
    rows: dict[str, str] = Field(default_factory=dict)
    """Table rows whose feature was reworded: the key the feature gives now → the key the
    row's card keeps (`dockerqa.identity.row_aliases`); not written when empty."""
    number: int | None = None
    """The number printed in its title as last seen (None: none, or not recorded)."""
    after: str | None = None
    """The id of the question before it in its section as last seen (None: the first, or not
    recorded); not written when None."""
    snapshot: dict[str, Any]
    """The question's JSON without id, title, section, printed number, source position and
    empty fields."""

    @field_validator("changed", "retired")
    @classmethod
    def _time(cls, value: int | None) -> int | None:
        return None if value is None else _valid_time(value)

    @field_validator("snapshot")
    @classmethod
    def _own_keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        reserved = sorted(NOT_IN_SNAPSHOT & set(value))
        if reserved:
            raise ValueError(
                f"a snapshot does not hold {', '.join(map(repr, reserved))} "
                "(kept beside it or not kept)"
            )
        return value

    @field_validator("sketch")
    @classmethod
    def _hex_words(cls, value: str) -> str:
        if value and not re.fullmatch(r"[0-9a-f]{8}( [0-9a-f]{8})*", value):
            raise ValueError("sketch must be space-separated 8-digit lowercase hex hashes")
        return value

    @field_validator("follow_ups")
    @classmethod
    def _slot_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for slot in value:
            if not re.fullmatch(r"[0-9a-f]{16}( [0-9a-f]{8})*", slot):
                raise ValueError("follow-up slots must be a fingerprint and sketch hashes")
        return value

    @field_validator("rows")
    @classmethod
    def _row_keys(cls, value: dict[str, str]) -> dict[str, str]:
        for key, kept in value.items():
            if not (re.fullmatch(r"\S+", key) and re.fullmatch(r"\S+", kept)) or key == kept:
                raise ValueError("a row alias maps one row key to another (words without spaces)")
        if len(set(value.values())) != len(value):
            raise ValueError("two rows keep the same key")
        return value

    def row_key(self, key: str) -> str:
        """The key a table row's card keeps (`dockerqa.tables.TableRow.key` → its identity)."""
        return self.rows.get(key, key)

    def slot_of(self, question: Question) -> list[int | None]:
        """1-based slot of each of the question's follow-ups, in chain order (None: no slot)."""
        where = {slot.split(" ", 1)[0]: n for n, slot in enumerate(self.follow_ups, 1)}
        return [where.get(words_fingerprint(f.question)) for f in question.follow_ups]

    @property
    def mod(self) -> int:
        """The time its notes carry: the later of ``changed`` and ``retired``."""
        return max(self.changed, self.retired or 0)

    def question(self, file: str = "<lock>") -> Question:
        """The question as last seen, rebuilt from the snapshot (heading = title, no number)."""
        return Question(
            id=self.id,
            title=self.title,
            heading=self.title,
            section=self.section,
            source=SourceSpan(file=file, first_line=1, last_line=1),
            **self.snapshot,
        )


class LockChanges(FrozenModel):
    """What a refresh changed, for messages (never written to the file)."""

    changed: tuple[str, ...] = ()
    """Ids whose content changed (renamed ones excluded)."""
    added: tuple[str, ...] = ()
    """Ids new in the source."""
    renamed: tuple[tuple[str, str], ...] = ()
    """(id the new title gives, id kept) pairs."""
    why: tuple[tuple[str, str], ...] = ()
    """(id kept, the signals behind the rename) pairs, sorted by id."""
    moved: tuple[str, ...] = ()
    """Ids kept by a question moved to another section under the same title words, its
    answer not saying so (such moves alone never make another page's lock this one's)."""
    first: bool = False
    """Whether there was no lock before (every question is new; nothing was decided)."""
    retired: tuple[str, ...] = ()
    """Ids that left the source."""
    revived: tuple[str, ...] = ()
    """Retired ids back in the source."""
    sections: bool = False
    """Whether the section list changed."""
    upgraded: bool = False
    """Whether the lock was written in an older format."""
    places: bool = False
    """Whether the lock was written only to record where its questions stand (a lock made
    before places were recorded)."""
    exporters: tuple[str, ...] = ()
    """Exporters whose own state changed."""
    written: bool = False
    """Whether the refresh wrote the lock file (it does only when the record changed)."""

    def describe(self) -> str:
        """``1 question changed, 1 added`` and so on; empty when nothing changed."""
        counts = [
            (len(self.changed), "changed"),
            (len(self.added), "added"),
            (len(self.renamed), "renamed"),
            (len(self.retired), "retired"),
            (len(self.revived), "back in the source"),
        ]
        parts: list[str] = []
        for n, what in counts:
            if n:
                noun = "" if parts else (" question" if n == 1 else " questions")
                parts.append(f"{n}{noun} {what}")
        if self.sections:
            parts.append("sections changed")
        if self.upgraded:
            parts.append(f"upgraded to lock format {FORMAT_VERSION}")
        if self.places:
            parts.append("where each question stands recorded")
        parts += [f"{name} exporter state changed" for name in self.exporters]
        return ", ".join(parts)


class Lock(FrozenModel):
    """The whole lock: sections, questions (active and retired) and note types."""

    about: str = ABOUT
    """A line for people who open the file."""
    version: int = FORMAT_VERSION
    """Format version."""
    key: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    """The key of the page the lock belongs to, a lowercase slug (absent in format 1)."""
    exporters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """State each exporter keeps for itself, by exporter name; the core never reads it."""
    sections: tuple[SectionEntry, ...] = ()
    """Sections in source order."""
    questions: tuple[LockEntry, ...] = ()
    """Questions sorted by id."""
    changes: LockChanges = Field(default_factory=LockChanges, exclude=True)
    """What the refresh that made this lock changed (not written)."""

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value not in (1, FORMAT_VERSION):
            raise ValueError(f"unsupported lock version {value} (this dockerqa reads 1 and 2)")
        return value

    def exporter_state(self, name: str) -> dict[str, Any] | None:
        """The state exporter ``name`` keeps in this lock, or None."""
        return self.exporters.get(name)

    def with_exporter_state(self, name: str, state: Mapping[str, Any] | None) -> Lock:
        """A copy with exporter ``name``'s state replaced (removed when None)."""
        exporters = {k: v for k, v in self.exporters.items() if k != name}
        if state is not None:
            exporters[name] = dict(state)
        return self.model_copy(update={"exporters": dict(sorted(exporters.items()))})

    @field_validator("questions")
    @classmethod
    def _unique_ids(cls, value: tuple[LockEntry, ...]) -> tuple[LockEntry, ...]:
        seen: set[str] = set()
        for entry in value:
            if entry.id in seen:
                raise ValueError(f"question id {entry.id!r} is listed twice")
            seen.add(entry.id)
        return value

    def entry(self, id: str) -> LockEntry | None:
        """The entry of a question id, or None."""
        found = grouped_by(self, "_by_id", self.questions, lambda e: e.id).get(id)
        return found[0] if found else None

    @property
    def active(self) -> tuple[LockEntry, ...]:
        """Entries of questions in the source."""
        return tuple(e for e in self.questions if e.retired is None)

    @property
    def retired(self) -> tuple[LockEntry, ...]:
        """Entries of questions that left the source."""
        return tuple(e for e in self.questions if e.retired is not None)

    def renames(self) -> dict[str, str]:
        """Renamed questions: the id the source now gives → the id kept."""
        return {e.alias: e.id for e in self.active if e.alias}

    def section_position(self, section_id: str) -> int | None:
        """1-based position of a section in the source, or None if the lock does not list it."""
        for i, s in enumerate(self.sections, 1):
            if s.id == section_id:
                return i
        return None

    def decisions(self) -> list[str]:
        """One line per identity decision of the refresh that made this lock: each rename with
        the signals behind it, each new question, each question retired or back, by id and
        title."""
        c = self.changes
        if c.first:
            return []

        def title(id: str) -> str:
            entry = self.entry(id)
            return json.dumps(entry.title if entry is not None else "", ensure_ascii=False)

        why = dict(c.why)
        lines = [
            f"kept {kept} for {title(kept)}: {why.get(kept) or 'decided by hand'}"
            for kept in sorted(k for _, k in c.renamed)
        ]
        lines += [f"new question {id}: {title(id)}" for id in c.added]
        lines += [f"retired {id}: {title(id)}" for id in c.retired]
        kept = {k for _, k in c.renamed}
        lines += [f"back in the source {id}: {title(id)}" for id in c.revived if id not in kept]
        return lines

    def summary(self) -> str:
        """One line: how many questions, how many retired, and what the refresh changed."""
        n, r = len(self.active), len(self.retired)
        what = self.changes.describe() or "no change"
        return f"{n} questions, {r} retired; {what}"

    def dumps(self) -> str:
        """The lock in its canonical text form."""
        return b"".join(self.encoded()).decode("utf-8")

    def encoded(self) -> Iterator[bytes]:
        """The canonical text as UTF-8, in pieces (a large lock is never held whole)."""
        data = self.model_dump(mode="json")
        for entry in data["questions"]:
            if not entry["rows"]:  # written only when a row's feature was reworded
                del entry["rows"]
            for name in _PLACE:  # written only when there is one
                if entry[name] is None:
                    del entry[name]
        return json_chunks(data, indent=2, ensure_ascii=False, sort_keys=True)

    def same_as(self, other: Lock, *, places: bool = True) -> bool:
        """Whether two locks record the same thing (what changed in the last refresh aside);
        without ``places``, where the questions stand (``number``, ``after``) aside too."""
        if not places:
            return self.without_places().same_as(other.without_places())
        return all(
            getattr(self, name) == getattr(other, name)
            for name in type(self).model_fields
            if name != "changes"
        )

    @property
    def records_places(self) -> bool:
        """Whether it records where its questions stand (a lock made before it did does not)."""
        return any(e.number is not None or e.after is not None for e in self.questions)

    def without_places(self) -> Lock:
        """A copy whose entries record no place (as a lock made before places were)."""
        questions = tuple(e.model_copy(update=dict.fromkeys(_PLACE)) for e in self.questions)
        return self.model_copy(update={"questions": questions})


# --- reading ---------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        data = read_input(path)
    except FileNotFoundError:
        raise LockError(f"{path}: no such lock file") from None
    except OSError as exc:
        raise LockError(f"{path}: cannot read: {reason(exc)}; {_rebuild(path)}") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # a BOM, as Windows editors write
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = 1 if data.startswith((b"\xff\xfe", b"\xfe\xff")) else before.count(b"\n") + 1
        raise LockError(f"{path}:{line}: {not_utf8(data, exc.start)}; {_rebuild(path)}") from None


def read_lock(path: str | os.PathLike[str]) -> Lock:
    """Read a lock file; `LockError` naming the file and line when it is not a valid lock.

    Every message of a damaged lock ends with how to rebuild it.
    """
    path = Path(path)
    return parse_lock(_read_text(path), path)


def parse_lock(text: str, path: str | os.PathLike[str] = "<lock>") -> Lock:
    """Parse lock file text; `LockError` naming the file and line when it is not a valid lock."""
    path = Path(path)
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _Twice as exc:
        line = _line_of_second(text, exc.key)
        raise LockError(
            f"{path}:{line}: {exc.key}: given twice in one object; {_rebuild(path)}"
        ) from None
    except json.JSONDecodeError as exc:
        line, problem = _json_problem(exc)
        raise LockError(f"{path}:{line}: not valid JSON: {problem}; {_rebuild(path)}") from None
    except RecursionError:
        raise LockError(
            f"{path}:1: nested too deeply to be a lock file; {_rebuild(path)}"
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise LockError(f"{path}:1: not valid JSON: {exc}; {_rebuild(path)}") from None
    if not isinstance(data, dict):
        raise LockError(f"{path}:1: a lock file holds one JSON object; {_rebuild(path)}")
    data = _upgrade(data)
    try:
        lock = Lock.model_validate(data)
        for i, entry in enumerate(lock.questions):  # every snapshot, as the question it holds
            try:
                entry.question(str(path))
            except ValidationError as exc:
                err = exc.errors()[0]
                loc: tuple[Any, ...] = ("questions", i, "snapshot", *err["loc"])
                raise _Invalid(loc, str(err["msg"])) from None
    except (ValidationError, _Invalid) as exc:
        if isinstance(exc, _Invalid):
            loc, msg = exc.loc, exc.msg
        else:
            err = exc.errors()[0]
            loc, msg = tuple(err["loc"]), str(err["msg"])
        line = _json_line_of(text, loc)
        where = ".".join(str(p) for p in loc) or "lock"
        message = msg.removeprefix("Value error, ")
        raise LockError(f"{path}:{line}: {where}: {message}; {_rebuild(path)}") from None
    return lock


class _Twice(Exception):
    """A key given twice in one JSON object (JSON would keep the last silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _Twice(key)
        data[key] = value
    return data


def _line_of_second(text: str, key: str) -> int:
    """The line where ``key`` is given the second time in one object (the key json gave up
    on; 1 if the text can't be followed)."""
    try:
        _, found = _repeated(text, _skip_space(text, 0), key)
    except (IndexError, ValueError, RecursionError):
        found = None
    return text.count("\n", 0, found) + 1 if found is not None else 1


def _repeated(text: str, at: int, key: str) -> tuple[int, int | None]:
    """Where the value at ``at`` ends, and where ``key`` is first written a second time in one
    of its objects (None if never)."""
    if text[at] not in "{[":
        return _SCAN(text, at)[1], None
    close = "}" if text[at] == "{" else "]"
    seen: set[str] = set()
    at = _skip_space(text, at + 1)
    while text[at] != close:
        if close == "}":
            name, end = _SCAN(text, at)
            if name == key and name in seen:
                return end, at
            seen.add(name)
            at = _skip_space(text, text.index(":", end) + 1)
        at, found = _repeated(text, at, key)
        if found is not None:
            return at, found
        at = _skip_space(text, at)
        if text[at] == ",":
            at = _skip_space(text, at + 1)
    return at + 1, None


class _Invalid(Exception):
    """A snapshot value that is not valid for its question (where, and why)."""

    def __init__(self, loc: tuple[Any, ...], msg: str) -> None:
        super().__init__(msg)
        self.loc, self.msg = loc, msg


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 → the current model: the Anki note-type entry becomes that exporter's state."""
    if data.get("version") != 1 or "note_type" not in data:
        return data
    data = dict(data)
    note_type = data.pop("note_type")
    data["exporters"] = {"anki": {"note_types": note_type}}
    return data


def lock_command(path: Path, page: str | os.PathLike[str] | None = None) -> str:
    """The command that refreshes the lock file at ``path`` (of ``page``, default: the page
    beside it): the one way every message phrases the advice."""
    if os.path.realpath(path) == os.path.realpath(lock_path(bundled_source())):  # loops too
        return "dockerqa lock"
    return f"dockerqa lock --source {page if page is not None else path.with_suffix('.mdx')}"


def _rebuild(path: Path) -> str:
    """The end of every damaged-lock message: how to get a good lock file back (and, for a
    page whose metadata names no key, what a rebuilt lock costs: the key is in the lock)."""
    advice = (
        "restore it from version control, or delete it and run "
        f"`{lock_command(path)}` to rebuild it"
    )
    meta = path.with_suffix(".toml")
    try:
        keyed = os.path.realpath(path) == os.path.realpath(lock_path(bundled_source())) or (
            meta.is_file() and read_meta(meta).key is not None
        )
    except DockerQAError:  # a damaged NAME.toml is reported when the page is read
        keyed = True
    if keyed:
        return advice
    whose = f"{meta.name} names no key" if meta.is_file() else f"no {meta.name} names a key"
    return (
        f"{advice} ({whose}, so a rebuilt lock may mint a new one: new notes, reviews left behind)"
    )


def _json_problem(exc: json.JSONDecodeError) -> tuple[int, str]:
    """The line of a JSON syntax error and what is wrong there, as a whole phrase with its
    column (json's own messages end in "at" and leave the position to a line of their own)."""
    before = exc.doc[: exc.pos].rstrip(" \t\r\n")
    if before.endswith(",") and exc.doc[exc.pos : exc.pos + 1] in ("}", "]"):
        comma = len(before) - 1
        column = comma - exc.doc.rfind("\n", 0, comma)
        line = exc.doc.count("\n", 0, comma) + 1
        return line, f"a comma before {exc.doc[exc.pos]} (column {column})"
    message = exc.msg[:1].lower() + exc.msg[1:]
    if message.endswith(" at"):
        return exc.lineno, f"{message} column {exc.colno}"
    return exc.lineno, f"{message} (column {exc.colno})"


def _json_line_of(text: str, loc: tuple[Any, ...]) -> int:
    """The line of the value a validation error names: ``loc`` followed through the text, key
    by key and item by item, to the deepest part of it the text holds (an object's key where
    it is written, an array's item where it starts); 1 for the whole file."""
    at, found = 0, 0
    try:
        at = _skip_space(text, 0)
        for part in loc:
            if text[at] == "{" and isinstance(part, str):
                at = _member(text, at, part)
            elif text[at] == "[" and isinstance(part, int) and not isinstance(part, bool):
                at = _item(text, at, part)
            else:
                break
            if at < 0:
                break
            found = at
            if text[at] == '"':  # a key: its value follows the colon
                _, at = _SCAN(text, at)
                at = _skip_space(text, text.index(":", at) + 1)
    except (IndexError, ValueError):  # not the text of the data: no better guess
        pass
    return text.count("\n", 0, found) + 1


_SPACE = re.compile(r"[ \t\n\r]*")
_SCAN = json.JSONDecoder().raw_decode  # one value at an index, and where it ends


def _skip_space(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    return match.end() if match else at


def _member(text: str, at: int, key: str) -> int:
    """Where ``"key"`` of the object starting at ``at`` is written (-1 when absent)."""
    at = _skip_space(text, at + 1)
    while text[at] == '"':
        start = at
        name, at = _SCAN(text, at)
        if name == key:
            return start
        at = _skip_space(text, text.index(":", at) + 1)
        _, at = _SCAN(text, at)
        at = _skip_space(text, at)
        if text[at] != ",":
            break
        at = _skip_space(text, at + 1)
    return -1


def _item(text: str, at: int, index: int) -> int:
    """Where item ``index`` of the array starting at ``at`` starts (-1 when it has fewer)."""
    at = _skip_space(text, at + 1)
    if text[at] == "]":
        return -1
    for _ in range(index):
        _, at = _SCAN(text, at)
        at = _skip_space(text, at)
        if text[at] != ",":
            return -1
        at = _skip_space(text, at + 1)
    return at


# --- the clock -------------------------------------------------------------------------------


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int, None when unset.

    `LockError` unless it is whole seconds (digits only) from 0 to `MAX_TIME` (year 9999).
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not (re.fullmatch(r"[0-9]{1,12}", raw) and int(raw) <= MAX_TIME):
        raise LockError(
            f"SOURCE_DATE_EPOCH must be whole seconds from 0 to {MAX_TIME} (the end of year "
            f"9999), not {raw[:40]!r}; set it to a time in that range or unset it"
        )
    return int(raw)


def current_time() -> int:
    """Now, in UTC seconds: ``SOURCE_DATE_EPOCH`` when set, else the clock."""
    sde = source_date_epoch()
    return sde if sde is not None else int(time.time())


def retired_questions(lock: Lock, file: str = "<lock>") -> tuple[Question, ...]:
    """The retired questions, rebuilt from their snapshots, sorted by id."""
    return tuple(e.question(file) for e in lock.retired)
