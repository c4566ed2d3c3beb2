"""The lock file: question identity and change times, kept outside the Markdown.

``NAME.lock`` sits beside ``NAME.mdx`` and is committed with it. It is JSON written in one
canonical form (keys sorted, questions sorted by id, two-space indent, a final newline), so it
diffs line by line and two refreshes of the same source give the same bytes.

For every question it records:

* ``id`` — the id the question keeps, even after its title is edited (see *renames*);
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
* ``snapshot`` — the question's own JSON (without id, title, section, printed number and
  source position), so a retired question can still be exported.

* ``follow_ups`` — one slot per follow-up the question ever had, in the order they first
  appeared: a fingerprint and a small sketch of the follow-up's question. A follow-up keeps
  its slot when others are inserted, removed or reordered, and when its own wording is edited
  (sketch similarity), so a flashcard made for slot 3 stays with the same follow-up.

The lock also records the sections in source order (deck names number them from it, also in
filtered exports), the page key, and under ``exporters`` the state an exporter keeps for
itself (the Anki exporter's note-type versions, say). The core never reads that state.

`refresh` computes the next lock from a whole library and the current lock file:

* an unchanged question keeps ``changed``; a changed one gets ``max(now, changed + 1)``;
* a new question gets ``now`` (``SOURCE_DATE_EPOCH`` when set, else the clock);
* a question gone from the source stays, marked ``retired`` at ``max(now, changed + 1)``;
  a retired question that comes back is active again with a newer ``changed``;
* a new id whose body shares at least `RENAME_SIMILARITY` with a question that disappeared in
  the same refresh is a rename: it keeps the old id (the section may differ).

Renames have one owner, this module: `dockerqa.load` never reads the lock, and the export
pipeline applies `apply_renames` once to the library it exports.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from dockerqa import identity
from dockerqa._files import json_chunks, write_output
from dockerqa._load import BUNDLED_NAME, bundled_source, lock_path
from dockerqa._parse import natural_id
from dockerqa._text import fingerprint, words
from dockerqa.errors import DockerQAError, LockError
from dockerqa.identity import RENAME_SIMILARITY as RENAME_SIMILARITY
from dockerqa.model import SLOT_LIMIT as SLOT_LIMIT  # follow-up slots before reuse
from dockerqa.model import Library, Question, SourceSpan

#: Version of the lock file format (1 is read and upgraded on the next refresh).
FORMAT_VERSION = 2
#: Smallest estimated similarity at which an edited follow-up keeps its slot.
FOLLOW_UP_SIMILARITY = 0.5
#: Number of hashes kept in a body sketch.
SKETCH_SIZE = 32
#: Times in a lock file and ``SOURCE_DATE_EPOCH`` are whole UTC seconds from 0 to this value,
#: the last second of year 9999: every date library can show it, and an Anki package built from
#: it (note ids are times in milliseconds) stays within SQLite's 64-bit integers.
MAX_TIME = 253_402_300_799
#: Snapshot keys that `LockEntry.question` sets itself (or that a snapshot never holds).
_NOT_IN_SNAPSHOT = frozenset({"id", "title", "heading", "section", "source", "number"})
#: The line every lock file starts with (the ``about`` key), for people who open it.
ABOUT = (
    "dockerqa lock file: keeps question ids and change times across edits. "
    "Commit it with its source; refresh it with `dockerqa lock`, never by hand."
)

# Fields of a question that are not part of its content: identity, numbering and position.
_NOT_CONTENT = frozenset({"id", "number", "heading", "source"})
# Content fields stored beside the snapshot rather than in it.
_BESIDE_SNAPSHOT = frozenset({"title", "section"})
_SHINGLE = 3
# Question fields of format 1, whose content fingerprints included empty values.
_V1_FIELDS = (
    "kind", "level", "prompt", "steps", "answer", "interviewer_intent", "red_flag", "follow_ups",
    "weak_answer", "strong_answer", "senior_view", "staff_view", "parts", "tags", "title",
    "section",
)  # fmt: skip


def _valid_time(value: int) -> int:
    if not 0 <= value <= MAX_TIME:
        raise ValueError(f"a time must be whole UTC seconds from 0 to {MAX_TIME}, not {value}")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SectionEntry(_Frozen):
    """A section of the source, listed in source order."""

    id: str
    """The section id."""
    title: str
    """The heading without its number."""


class LockEntry(_Frozen):
    """What the lock keeps for one question."""

    id: str
    """The id the question keeps."""
    title: str
    """Its title as last seen."""
    section: str
    """Its section id as last seen."""
    content: str
    """Fingerprint of its content fields."""
    title_hash: str
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
        reserved = sorted(_NOT_IN_SNAPSHOT & set(value))
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

    def slot_of(self, question: Question) -> list[int | None]:
        """1-based slot of each of the question's follow-ups, in chain order (None: no slot)."""
        where = {slot.split(" ", 1)[0]: n for n, slot in enumerate(self.follow_ups, 1)}
        return [where.get(_follow_up_fingerprint(f.question)) for f in question.follow_ups]

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


class LockChanges(_Frozen):
    """What a refresh changed, for messages (never written to the file)."""

    changed: tuple[str, ...] = ()
    """Ids whose content changed (renamed ones excluded)."""
    added: tuple[str, ...] = ()
    """Ids new in the source."""
    renamed: tuple[tuple[str, str], ...] = ()
    """(id the new title gives, id kept) pairs."""
    why: tuple[tuple[str, str], ...] = ()
    """(id kept, the signals behind the rename) pairs, sorted by id."""
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
        parts += [f"{name} exporter state changed" for name in self.exporters]
        return ", ".join(parts)


class Lock(_Frozen):
    """The whole lock: sections, questions (active and retired) and note types."""

    about: str = ABOUT
    """A line for people who open the file."""
    version: int = FORMAT_VERSION
    """Format version."""
    key: str | None = None
    """The key of the page the lock belongs to (absent in format 1)."""
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

    # (the entries indexed, the index): rebuilt when a copy carries other entries
    _index: tuple[tuple[LockEntry, ...], dict[str, LockEntry]] | None = PrivateAttr(None)

    def entry(self, id: str) -> LockEntry | None:
        """The entry of a question id, or None."""
        if self._index is None or self._index[0] is not self.questions:
            self._index = (self.questions, {e.id: e for e in self.questions})
        return self._index[1].get(id)

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
        return json_chunks(data, indent=2, ensure_ascii=False, sort_keys=True)

    def same_as(self, other: Lock) -> bool:
        """Whether two locks record the same thing (what changed in the last refresh aside)."""
        return all(
            getattr(self, name) == getattr(other, name)
            for name in type(self).model_fields
            if name != "changes"
        )


# --- sketches --------------------------------------------------------------------------------


def body_text(question: Question) -> str:
    """The question's body: every text field except the title, in study order."""
    return "\n\n".join(question.text_fields().values())


def sketch(text: str) -> str:
    """Bottom-k MinHash of a text's word 3-shingles (see `similarity`)."""
    ws = words(text)
    if not ws:
        return ""
    shingles = {" ".join(ws[i : i + _SHINGLE]) for i in range(max(1, len(ws) - _SHINGLE + 1))}
    hashes = sorted(
        {int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest()) for s in shingles}
    )
    return " ".join(f"{h:08x}" for h in hashes[:SKETCH_SIZE])


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of the shingle sets two sketches stand for (0 to 1)."""
    sa, sb = set(a.split()), set(b.split())
    if not sa or not sb:
        return 0.0
    union = sorted(sa | sb, key=lambda h: int(h, 16))[:SKETCH_SIZE]
    return sum(1 for h in union if h in sa and h in sb) / len(union)


# --- reading ---------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LockError(f"{path}: no such lock file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LockError(f"{path}: cannot read the lock file ({exc}); {_rebuild(path)}") from None


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
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LockError(
            f"{path}:{exc.lineno}: not valid JSON: {exc.msg}; {_rebuild(path)}"
        ) from None
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
        for entry in lock.retired:  # the snapshots that are rebuilt into questions
            entry.question(str(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = _line_of(text, data, loc)
        where = ".".join(str(p) for p in loc) or "lock"
        message = str(err["msg"]).removeprefix("Value error, ")
        raise LockError(f"{path}:{line}: {where}: {message}; {_rebuild(path)}") from None
    return lock


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 → the current model: the Anki note-type entry becomes that exporter's state."""
    if data.get("version") != 1 or "note_type" not in data:
        return data
    data = dict(data)
    note_type = data.pop("note_type")
    data["exporters"] = {"anki": {"note_types": note_type}}
    return data


def _rebuild(path: Path) -> str:
    """The end of every damaged-lock message: how to get a good lock file back."""
    from dockerqa._load import bundled_source, lock_path

    if path.resolve() == lock_path(bundled_source()).resolve():
        command = "dockerqa lock"
    else:
        command = f"dockerqa lock --source {path.with_suffix('.mdx')}"
    return f"restore it from version control, or delete it and run `{command}` to rebuild it"


def _line_of(text: str, data: Mapping[str, Any], loc: tuple[Any, ...]) -> int:
    """Best guess at the line of a validation error: the entry's id, else the key's first use."""
    needle: str | None = None
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        items = data.get("questions")
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            qid = items[loc[1]].get("id")
            if isinstance(qid, str):
                needle = f'"id": {json.dumps(qid, ensure_ascii=False)}'
    if needle is None and loc and isinstance(loc[-1], str):
        needle = f'"{loc[-1]}"'
    if needle is None or needle not in text:
        return 1
    return text[: text.index(needle)].count("\n") + 1


# --- computing -------------------------------------------------------------------------------


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


def _content(question: Question) -> dict[str, Any]:
    """What a question shows, without empty values (so a new optional field changes nothing)."""
    data = question.model_dump(mode="json", exclude=set(_NOT_CONTENT))
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def _v1_content(question: Question) -> dict[str, Any]:
    """What format 1 fingerprinted: every field of its time, empty ones included."""
    data = question.model_dump(mode="json", include=set(_V1_FIELDS))
    return {k: data.get(k) for k in _V1_FIELDS}


def content_fingerprint(question: Question) -> str:
    """Fingerprint of everything the question shows."""
    return fingerprint(_canonical(_content(question)))


def _follow_up_fingerprint(text: str) -> str:
    return hashlib.blake2b(" ".join(words(text)).encode(), digest_size=8).hexdigest()


def _follow_up_slot(text: str) -> str:
    ws = words(text)
    pairs = {" ".join(ws[i : i + 2]) for i in range(max(1, len(ws) - 1))} if ws else set()
    hashes = sorted(
        {int.from_bytes(hashlib.blake2b(p.encode(), digest_size=4).digest()) for p in pairs}
    )
    return " ".join([_follow_up_fingerprint(text), *(f"{h:08x}" for h in hashes[:8])])


def follow_up_slots(question: Question, previous: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The question's follow-up slots after ``previous``.

    A follow-up whose question is unchanged keeps its slot; an edited one keeps the vacated
    slot it is most similar to (at least `FOLLOW_UP_SIMILARITY`); a new one takes a new slot,
    or once `SLOT_LIMIT` slots exist, the first vacated one. Vacated slots are kept, so a
    follow-up that comes back finds its slot again.
    """
    slots = list(previous)
    current = [_follow_up_slot(f.question) for f in question.follow_ups]
    by_fingerprint = {slot.split(" ", 1)[0]: i for i, slot in enumerate(slots)}
    placed: dict[int, int] = {}  # follow-up index → slot index
    for j, slot in enumerate(current):
        i = by_fingerprint.get(slot.split(" ", 1)[0])
        if i is not None and i not in placed.values():
            placed[j] = i
    vacated = [i for i in range(len(slots)) if i not in placed.values()]
    candidates = sorted(
        (-similarity(_sketch_of(current[j]), _sketch_of(slots[i])), i, j)
        for j in range(len(current))
        if j not in placed
        for i in vacated
    )
    for score, i, j in candidates:
        if -score >= FOLLOW_UP_SIMILARITY and j not in placed and i not in placed.values():
            placed[j] = i
    for j in range(len(current)):
        if j in placed:
            slots[placed[j]] = current[j]
            continue
        free = [i for i in range(len(slots)) if i not in placed.values()]
        if len(slots) < SLOT_LIMIT or not free:
            slots.append(current[j])
            placed[j] = len(slots) - 1
        else:
            slots[free[0]] = current[j]
            placed[j] = free[0]
    return tuple(slots)


def _sketch_of(slot: str) -> str:
    return slot.split(" ", 1)[1] if " " in slot else ""


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _is_natural(question: Question) -> bool:
    """Whether the question's id is the one its title gives (possibly with a ``-N`` suffix)."""
    natural = natural_id(question.section, question.title)
    return (
        question.id == natural
        or re.fullmatch(re.escape(natural) + r"-\d+", question.id) is not None
    )


def _snapshot(content: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in content.items() if k not in _BESIDE_SNAPSHOT and v not in (None, [])}


def entry_for(
    question: Question,
    *,
    changed: int,
    alias: str | None = None,
    retired: int | None = None,
    follow_ups: tuple[str, ...] = (),
) -> LockEntry:
    """A lock entry describing ``question`` as it is now."""
    content = _content(question)
    return LockEntry(
        id=question.id,
        title=question.title,
        section=question.section,
        content=fingerprint(_canonical(content)),
        follow_ups=follow_up_slots(question, follow_ups),
        title_hash=fingerprint(question.title),
        sketch=sketch(body_text(question)),
        changed=changed,
        retired=retired,
        alias=alias,
        snapshot=_snapshot(content),
    )


def _unrenamed(library: Library, lock: Lock | None) -> Library:
    """The library with the ids its titles give (the lock's renames undone)."""
    if lock is None:
        return library
    aliases = {e.id: e.alias for e in lock.active if e.alias}
    if not any(q.id in aliases for q in library):
        return library
    questions = tuple(
        q.model_copy(update={"id": aliases[q.id]}) if q.id in aliases and not _is_natural(q)
        else q
        for q in library
    )  # fmt: skip
    return library.model_copy(update={"questions": questions})


def apply_renames(library: Library, lock: Lock) -> Library:
    """The library with renamed questions carrying the ids the lock keeps for them.

    A mapping applies only where its kept id is not already used in the library, so applying
    it twice, or to a library loaded with the renames, changes nothing.
    """
    renames = lock.renames()
    ids = {q.id for q in library}
    if not any(q.id in renames and renames[q.id] not in ids for q in library):
        return library
    questions = tuple(
        q.model_copy(update={"id": renames[q.id]})
        if q.id in renames and renames[q.id] not in ids
        else q
        for q in library
    )
    return library.model_copy(update={"questions": questions})


def _detect_renames(
    library: Library,
    previous: Lock | None,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(new id, kept id) pairs of the questions taken as renamed, and why (by kept id).

    See `dockerqa.identity` for the signals, the thresholds and the assignment.
    """
    if previous is None:
        return [], {}
    current = {q.id for q in library}
    known = {e.id for e in previous.questions}
    vanished = [e for e in previous.active if e.id not in current]
    fresh = [q for q in library if q.id not in known and q.id not in skip]
    if not vanished or not fresh:
        return [], {}
    bodies = [body_text(e.question()) for e in vanished]
    weights: list[list[float | None]] = []
    found: dict[tuple[int, int], identity.Signals] = {}
    on_page: dict[tuple[str, ...], set[str]] = {}  # title words → ids of questions with them
    for q in library:
        on_page.setdefault(tuple(words(q.title)), set()).add(q.id)
    for i, e in enumerate(vanished):
        holders = on_page.get(tuple(words(e.title)), set())
        row: list[float | None] = []
        for j, q in enumerate(fresh):
            body = body_text(q)
            s = identity.signals(
                e.title, bodies[i], e.section, q.title, body, q.section,
                similarity(sketch(body), e.sketch),
            )  # fmt: skip
            taken = bool(holders - {q.id})  # the old title is still on the page
            row.append(s.score if s.eligible and not taken else None)
            found[i, j] = s
        weights.append(row)
    pairs = identity.assign(weights)
    renames = sorted((fresh[j].id, vanished[i].id) for i, j in pairs)
    why = {vanished[i].id: found[i, j].describe() for i, j in pairs}
    return renames, why


def _overrule(
    library: Library,
    previous: Lock | None,
    rename: Mapping[str, str],
    new: Iterable[str],
) -> tuple[Library, Lock | None, dict[str, str]]:
    """The library and previous lock with a person's decisions applied, and the renames they
    force (new id → kept id); `LockError` naming the valid choices for an unknown id.

    ``library`` comes with its own ids (the previous lock's renames not applied).
    """
    new = tuple(new)
    if not rename and not new:
        return library, previous, {}
    if previous is None:
        raise LockError("there is no lock yet, so no question to keep: run `dockerqa lock` first")
    ids = {q.id for q in library}
    renamed_now = {a: k for a, k in previous.renames().items() if a in ids}
    choices = sorted(
        (ids - {e.id for e in previous.questions if e.alias is None}) | set(renamed_now)
    )
    for id in (*rename, *new):
        if id not in ids:
            raise LockError(
                f"{id!r} is not a question on the page (new or retitled: "
                f"{', '.join(choices) or 'none'}; any id the page's titles give works)"
            )
    kept = {e.id for e in previous.questions}
    for new_id, old in rename.items():
        if old not in kept or (old in ids and old != new_id):
            free = sorted(kept - ids)
            what = "is not in the lock" if old not in kept else "is still on the page"
            raise LockError(
                f"{old!r} {what} (ids the lock keeps for no question on the page: "
                f"{', '.join(free) or 'none'})"
            )
    taken = set(rename) | set(new)
    olds = set(rename.values())
    questions = tuple(
        e.model_copy(update={"alias": None})
        if e.alias is not None and (e.alias in taken or e.id in olds)
        else e
        for e in previous.questions
    )
    previous = previous.model_copy(update={"questions": questions})
    return library, previous, dict(rename)


def compute(
    library: Library,
    previous: Lock | None = None,
    *,
    now: int | None = None,
    rename: Mapping[str, str] | None = None,
    new_ids: Iterable[str] = (),
) -> Lock:
    """The lock that records ``library`` (the whole source) after ``previous``; writes nothing.

    ``library`` may be loaded with or without the previous lock's renames. ``rename`` maps
    ids the page gives now to ids of the lock they keep, ``new_ids`` lists ids the page gives that
    are new questions (whatever they were matched with is retired): a person's decisions,
    which the next refreshes keep (a rename is the entry's ``alias``, a new question an entry
    of its own).
    """
    now = current_time() if now is None else int(now)
    forced: dict[str, str] = {}
    new_ids = tuple(new_ids)
    if rename or new_ids:
        library, previous, forced = _overrule(
            _unrenamed(library, previous), previous, rename or {}, new_ids
        )
    if previous is not None:
        library = apply_renames(library, previous)
    if forced:
        questions = tuple(
            q.model_copy(update={"id": forced[q.id]}) if q.id in forced else q for q in library
        )
        library = library.model_copy(update={"questions": questions})
    renames, why = _detect_renames(library, previous, skip=set(new_ids))
    forced_pairs = [(alias, kept) for alias, kept in forced.items()]
    renames = sorted(renames + forced_pairs)
    mapping = dict(renames)
    prev = {e.id: e for e in previous.questions} if previous is not None else {}
    upgraded = (
        previous.version if previous is not None and previous.version != FORMAT_VERSION else None
    )

    changed: list[str] = []
    added: list[str] = []
    revived: list[str] = []
    retired: list[str] = []
    entries: dict[str, LockEntry] = {}
    by_hand = {kept: alias for alias, kept in forced.items()}
    for q in library:
        alias: str | None = by_hand.get(q.id)
        if q.id in mapping:
            alias, q = q.id, q.model_copy(update={"id": mapping[q.id]})
        p = prev.get(q.id)
        if alias is None and p is not None and p.alias and not _is_natural(q):
            alias = p.alias  # still renamed
        slots = p.follow_ups if p is not None else ()
        shown = _content(q)
        content = fingerprint(_canonical(shown))
        if p is None:
            added.append(q.id)
            new = entry_for(q, changed=now, alias=alias)
        elif p.retired is not None:
            revived.append(q.id)
            new = entry_for(q, changed=max(now, p.mod + 1), alias=alias, follow_ups=slots)
        elif p.content == content and upgraded is None:
            # unchanged: keep the entry (and its sketch, the costly part)
            # unchanged content means unchanged follow-ups: their slots stand as they are
            if len(slots) < len(q.follow_ups):
                slots = follow_up_slots(q, slots)
            update: dict[str, Any] = {"alias": alias, "follow_ups": slots}
            snapshot = _snapshot(shown)
            if snapshot == p.snapshot:  # the same texts: hold the page's strings, not copies
                update["snapshot"] = snapshot
            new = p.model_copy(update=update)
        elif upgraded is not None and p.content == fingerprint(_canonical(_v1_content(q))):
            new = entry_for(q, changed=p.changed, alias=alias, follow_ups=slots)
        else:
            new = entry_for(q, changed=max(now, p.changed + 1), alias=alias, follow_ups=slots)
            if q.id not in mapping.values():
                changed.append(q.id)
        entries[q.id] = new
    for p in prev.values():
        if p.id in entries:
            continue
        if p.retired is None:
            retired.append(p.id)
            p = p.model_copy(update={"retired": max(now, p.changed + 1), "alias": None})
        entries[p.id] = p

    sections = tuple(SectionEntry(id=s.id, title=s.title) for s in library.sections)

    return Lock(
        key=library.metadata.key,
        exporters=previous.exporters if previous is not None else {},
        sections=sections,
        questions=tuple(entries[k] for k in sorted(entries)),
        changes=LockChanges(
            changed=tuple(sorted(changed)),
            added=tuple(sorted(added)),
            renamed=tuple(renames),
            why=tuple(sorted(why.items())),
            retired=tuple(sorted(retired)),
            revived=tuple(sorted(revived)),
            sections=previous is not None and previous.sections != sections,
            first=previous is None,
            upgraded=upgraded is not None,
        ),
    )


def build_lock(library: Library, *, now: int | None = None) -> Lock:
    """A first lock for ``library``, in memory (``now`` defaults as in `refresh`)."""
    return compute(library, None, now=now)


def _names(library: Library, path: Path) -> tuple[str, str]:
    """How to name the lock file and the command that refreshes it, in messages."""
    source = library.metadata.source_file
    if source == BUNDLED_NAME and path.resolve() == lock_path(bundled_source()).resolve():
        return "corpus/docker.lock", "dockerqa lock"
    return str(path), f"dockerqa lock --source {source}"


def refresh(
    library: Library,
    path: str | os.PathLike[str],
    *,
    now: int | None = None,
    locked: bool = False,
    adjust: Callable[[Lock], Lock] | None = None,
    fix: str | None = None,
    rename: Mapping[str, str] | None = None,
    new: Iterable[str] = (),
) -> Lock:
    """Bring the lock file at ``path`` up to date with ``library`` (the whole source).

    A filtered library (see `Library.is_whole`) only checks its questions against the lock.
    Returns the new lock; its ``changes`` say what moved. ``adjust`` may amend the computed
    lock before it is saved (the export pipeline records exporter state with it). The file is
    rewritten (atomically) only when what it records changes; ``fix`` is the command that
    messages recommend (default: ``dockerqa lock``). A lock that records the same thing in
    another layout (formatted by hand) is left as it is. With ``locked``, nothing is written
    and `LockError` is raised when the lock is missing or would change. ``now`` defaults to
    ``SOURCE_DATE_EPOCH`` when set, else the current time. ``rename`` and ``new`` are a
    person's decisions, as in `compute`.
    """
    path = Path(path)
    new = tuple(new)
    name, lock_command = _names(library, path)
    command = fix or lock_command
    previous = read_lock(path) if path.exists() else None  # the text is dropped once parsed
    if locked and previous is None:
        raise LockError(f"{name} does not exist; run `{command}`")
    key = library.metadata.key
    if previous is not None and previous.key is not None and previous.key != key:
        raise LockError(
            f"{name} belongs to the page with key {previous.key!r}, not to this one ({key!r}): "
            "give this page's own lock file (if you changed the page's key on purpose, delete "
            'the lock\'s "key" line)'
        )
    if (rename or new) and (locked or not library.is_whole):
        raise LockError(
            f"{name}: a rename or new question decided by hand changes the lock: refresh it "
            "from the whole page, not a selection or a check"
        )
    if library.is_whole:
        try:
            lock = compute(library, previous, now=now, rename=rename, new_ids=new)
        except LockError as exc:
            if not (rename or new):
                raise
            raise LockError(f"{name}: {exc}") from None  # a decision names an unknown id
    elif previous is None:
        raise LockError(
            f"{name} does not exist, and a filtered library cannot make one (it would retire "
            f"the questions left out); run `{command}` on the whole page first"
        )
    else:  # a selection: its questions must already be recorded; only ``adjust`` may write
        check(apply_renames(library, previous), previous, lock_command)
        lock = previous
    if adjust is not None:
        lock = adjust(lock)
    if previous is not None and (lock is previous or lock.same_as(previous)):
        return lock  # the common case: the same record, nothing to write (nor to format)
    if locked:
        what = lock.changes.describe() or "recorded details differ"
        raise LockError(f"{name} is out of date: {what}; run `{command}`")
    try:
        write_output(path, lock.encoded())
    except DockerQAError as exc:
        raise LockError(str(exc)) from None
    return lock.model_copy(update={"changes": lock.changes.model_copy(update={"written": True})})


def retired_questions(lock: Lock, file: str = "<lock>") -> tuple[Question, ...]:
    """The retired questions, rebuilt from their snapshots, sorted by id."""
    return tuple(e.question(file) for e in lock.retired)


def check(library: Library, lock: Lock, command: str = "dockerqa lock") -> None:
    """`LockError` unless every question of ``library`` is in ``lock`` with the same content."""
    stale: list[str] = []
    for q in library:
        entry = lock.entry(q.id)
        if entry is None or entry.retired is not None:
            stale.append(f"{q.id} (not in the lock)")
        elif entry.content != content_fingerprint(q):
            stale.append(f"{q.id} (content changed)")
    if stale:
        more = f" and {len(stale) - 3} more" if len(stale) > 3 else ""
        raise LockError(
            f"the lock does not match the library: {', '.join(stale[:3])}{more}; "
            f"refresh it first (`{command}`)"
        )
