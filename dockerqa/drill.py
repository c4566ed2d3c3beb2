"""Mock interviews: which questions are due, what the interviewer asks and reveals, and FSRS
scheduling of the learner's ratings in a local SQLite store.

Every question and every answered follow-up is one FSRS card, keyed by the page key, the
question id and a slot (0 for the question, the lock's 1-based slot for a follow-up), so the
history follows a question through renames and edits exactly as its Anki notes do.

The store is one SQLite file (`default_store`): ``cards`` holds each card's FSRS state as
py-fsrs's own JSON, ``reviews`` one row per rating. Each rating is one transaction, so a crash
loses at most the rating in progress; WAL mode and a busy timeout let two sessions share it.
Nothing here imports click or rich: the command line and other front-ends build on `Drill`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from dockerqa.errors import DrillError
from dockerqa.feedback import KeyPoint, key_points
from dockerqa.lock import Lock
from dockerqa.model import FIELD_LABELS, FollowUp, Level, Library, Question
from dockerqa.study import REST_LABEL, ask, split_core, split_talk

#: Environment variable naming the store file (the ``--store`` option wins over it).
STORE_ENV = "DOCKERQA_DRILL_STORE"
#: File name of the store in the user's data directory.
STORE_NAME = "drill.sqlite3"
#: Version of the store's tables (SQLite ``user_version``): 2 added the time taken to answer.
SCHEMA_VERSION = 2
#: New questions a session adds after the due ones, unless told otherwise.
DEFAULT_NEW = 5
#: Days of reviews that retention is measured over.
RETENTION_DAYS = 30
#: Key points from which a question's reveal leads with them instead of the answer's core.
LEAD_POINTS = 3
#: Days the week ahead of ``--stats`` counts due cards for.
WEEK_DAYS = 7
#: How long a session waits for another session's write to finish, in seconds.
BUSY_SECONDS = 30
#: The ratings, by the key that gives them.
RATINGS: dict[int, str] = {r.value: r.name for r in Rating}

_SCHEMA = (
    """CREATE TABLE cards (
        page TEXT NOT NULL,
        question TEXT NOT NULL,
        slot INTEGER NOT NULL,
        due TEXT NOT NULL,
        card TEXT NOT NULL,
        PRIMARY KEY (page, question, slot)
    )""",
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        page TEXT NOT NULL,
        question TEXT NOT NULL,
        slot INTEGER NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed TEXT NOT NULL,
        state INTEGER NOT NULL,
        due TEXT NOT NULL,
        seconds REAL
    )""",
    "CREATE INDEX reviews_by_card ON reviews (page, question, slot)",
)
#: What brings a store of each older version to the next one, in place.
_UPGRADES: dict[int, tuple[str, ...]] = {1: ("ALTER TABLE reviews ADD COLUMN seconds REAL",)}


def default_store() -> Path:
    """Where the store lives: ``$DOCKERQA_DRILL_STORE``, else ``drill.sqlite3`` in
    ``$XDG_DATA_HOME/dockerqa`` (``~/.local/share/dockerqa`` when that is unset)."""
    named = os.environ.get(STORE_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(data_home) if Path(data_home).is_absolute() else Path.home() / ".local" / "share"
    return base / "dockerqa" / STORE_NAME


def scheduler() -> Scheduler:
    """The FSRS scheduler a drill uses: py-fsrs defaults, without interval fuzzing, so the
    same ratings at the same times always give the same due dates."""
    return Scheduler(enable_fuzzing=False)


def parse_time(text: str) -> datetime:
    """An ISO 8601 date-time as UTC (a time without a zone is taken as local time)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DrillError(f"{text!r} is not an ISO date-time (e.g. 2026-03-01T09:00:00Z)") from None
    return value.astimezone(UTC)


def _iso(moment: datetime) -> str:
    """One fixed-width UTC form, so stored times sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _card_id(page: str, question: str, slot: int) -> int:
    digest = hashlib.blake2b(f"{page}\0{question}\0{slot}".encode(), digest_size=8).digest()
    return int.from_bytes(digest) >> 1  # a positive 63-bit integer


@dataclass(frozen=True)
class Review:
    """One rating in the store's review log."""

    question: str
    """The question id."""
    slot: int
    """0 for the question, else the follow-up's slot."""
    rating: int
    """1 Again, 2 Hard, 3 Good, 4 Easy."""
    reviewed: datetime
    """When it was given (UTC)."""
    state: int
    """The card's FSRS state before the rating (0: a new card; 2: in review)."""
    seconds: float | None = None
    """Time taken to answer, in seconds (None: not measured, as in stores before version 2)."""


def _card(text: str) -> Card:
    """A card from its stored JSON; ValueError saying what is wrong with it."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        raise ValueError("its state is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError(f"its state is a JSON {type(data).__name__}, not an object")
    try:
        card = Card.from_dict(data)  # type: ignore[arg-type]
    except KeyError as exc:
        raise ValueError(f"its state has no {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"its state has a bad value ({exc})") from None
    moments = (card.due, card.last_review)
    if any(m is not None and m.tzinfo is None for m in moments):
        raise ValueError("its dates have no time zone")
    if card.step is not None and (not isinstance(card.step, int) or card.step < 0):
        raise ValueError(f"its step {card.step!r} is not a count")
    return card


def _damaged(path: Path, question: str, slot: int, why: str, what: str = "") -> str:
    """One line naming the store, the card (and the review) and what is wrong."""
    card = f"card {question}" + (f" (follow-up slot {slot})" if slot else "")
    return f"{path}: {card}{what} is damaged ({why}); left out"


def _nothing_there(path: Path) -> bool:
    """Whether ``path`` holds nothing to read: no file (nor a link's target), or an empty one."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:  # a link loop, a folder you may not search: opening it says so
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == 0


class Store:
    """The SQLite file that keeps every card's FSRS state and the review log.

    Opening a file that is not a store (or a damaged one) raises `DrillError` naming it; an
    older store is upgraded in place. A file you may not write is opened read-only: it can
    be read (``--stats``), not rated into. A damaged row is left out and described in
    `problems`, and the rest of the store keeps working. With ``create=False`` (for reading
    only) a store that does not exist yet, or an empty file, is read as an empty store and
    nothing is written.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_store()
        if self.path.is_dir():
            raise DrillError(f"{self.path}: is a directory, not a drill store; give a file name")
        if self.path.is_file() and not os.access(self.path, os.R_OK):
            raise DrillError(f"{self.path}: cannot read: permission denied")
        #: Whether nothing is there to read yet (read as an empty store, kept in memory).
        self.empty = not create and _nothing_there(self.path)
        if path is None:  # the data directory is ours to create; a folder you name is not
            try:
                if not self.empty:  # only to read: nothing to create
                    self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DrillError(
                    f"{self.path}: cannot create its folder ({exc.strerror})"
                ) from None
        elif not self.empty and not self.path.parent.is_dir():  # reading needs no folder
            raise DrillError(f"{self.path}: no such directory {self.path.parent}; create it first")
        self._db: sqlite3.Connection | None = None
        #: One line per damaged row met so far (see the class docstring), each once.
        self.problems: list[str] = []
        #: Whether the file is opened read-only (you may not write it or its folder).
        self.read_only = self.path.is_file() and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
        )
        with self._guard():
            if self.empty:
                self._db = sqlite3.connect(":memory:", isolation_level=None)
            elif self.read_only:
                self._db = self._read_only()
            else:
                self._db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
            self._setup()

    def _read_only(self) -> sqlite3.Connection:
        """The file opened read-only; as immutable when SQLite cannot make the shared-memory
        file a store in WAL mode needs beside it (a folder you may not write)."""
        uri = f"{self.path.absolute().as_uri()}?mode=ro"
        db = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            db.execute("PRAGMA user_version").fetchone()
        except sqlite3.OperationalError:
            db.close()
            db = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
        return db

    def _problem(self, line: str) -> None:
        if line not in self.problems:
            self.problems.append(line)

    def _setup(self) -> None:
        db = self._connection
        version = db.execute("PRAGMA user_version").fetchone()[0]
        #: The version of the tables as read (older than `SCHEMA_VERSION` only when read-only).
        self.version = version
        if version > SCHEMA_VERSION:
            raise DrillError(
                f"{self.path}: written by a newer dockerqa (store version {version}; "
                f"this one reads {SCHEMA_VERSION})"
            )
        if self.read_only:
            if version == 0:
                raise DrillError(f"{self.path}: read-only, and not a dockerqa drill store yet")
            return
        self._use_wal(db)
        if version == SCHEMA_VERSION:
            return
        with self._transaction():
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise DrillError(
                        f"{self.path}: not a dockerqa drill store (it has other tables)"
                    )
                for statement in _SCHEMA:
                    db.execute(statement)
            while version in _UPGRADES:  # another session may have done it meanwhile
                for statement in _UPGRADES[version]:
                    db.execute(statement)
                version += 1
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.version = SCHEMA_VERSION

    def _use_wal(self, db: sqlite3.Connection) -> None:
        """Write-ahead logging, set once for the file. Setting it needs the file to itself,
        and SQLite answers "locked" at once (no busy timeout) while another session opens it:
        wait for that as the busy timeout would."""
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise DrillError(f"{self.path}: the store is closed")
        return self._db

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite errors as one `DrillError` line naming the file."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            self.close()
            raise DrillError(f"{self.path}: not a usable drill store ({exc})") from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connection
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close the file (further use raises `DrillError`)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cards(self, page: str) -> dict[tuple[str, int], Card]:
        """Every card of a page by (question id, slot); a damaged one is left out (and
        described in `problems`)."""
        with self._guard():
            rows = self._connection.execute(
                "SELECT question, slot, card FROM cards WHERE page = ?", (page,)
            ).fetchall()
        out: dict[tuple[str, int], Card] = {}
        for q, s, text in rows:
            try:
                out[(q, s)] = _card(text)
            except ValueError as exc:
                self._problem(_damaged(self.path, q, s, str(exc)))
        return out

    def review(
        self,
        page: str,
        question: str,
        slot: int,
        rating: int,
        when: datetime,
        fsrs: Scheduler,
        seconds: float | None = None,
    ) -> Card:
        """Rate one card at ``when`` and save it with its log row (and the ``seconds`` taken
        to answer), in one transaction; the card as scheduled next. The card is read inside
        the transaction, so a session that rated it meanwhile is taken into account; a
        damaged card starts again as a new one."""
        grade = Rating(rating)
        if self.read_only:
            raise DrillError(f"{self.path}: read-only; ratings cannot be saved into it")
        with self._guard(), self._transaction() as db:
            row = db.execute(
                "SELECT card FROM cards WHERE page = ? AND question = ? AND slot = ?",
                (page, question, slot),
            ).fetchone()
            try:
                card = _card(row[0]) if row is not None else None
            except ValueError as exc:
                self._problem(_damaged(self.path, question, slot, str(exc)))
                card = None
            if card is None:
                card, before = Card(card_id=_card_id(page, question, slot), due=when), 0
            else:
                before = int(card.state)
            card, _log = fsrs.review_card(card, grade, when)
            db.execute(
                "INSERT OR REPLACE INTO cards (page, question, slot, due, card) "
                "VALUES (?, ?, ?, ?, ?)",
                (page, question, slot, _iso(card.due), json.dumps(card.to_dict())),
            )
            db.execute(
                "INSERT INTO reviews (page, question, slot, rating, reviewed, state, due, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (page, question, slot, int(grade), _iso(when), before, _iso(card.due), seconds),
            )
        return card

    def reviews(self, page: str, since: datetime | None = None) -> list[Review]:
        """The page's review log in order (from ``since`` on, when given); a damaged row is
        left out (and described in `problems`)."""
        seconds = "seconds" if self.version >= 2 else "NULL"
        query = (
            f"SELECT id, question, slot, rating, reviewed, state, {seconds} "
            "FROM reviews WHERE page = ?"
        )
        args: tuple[Any, ...] = (page,)
        if since is not None:
            query += " AND reviewed >= ?"
            args += (_iso(since),)
        with self._guard():
            rows = self._connection.execute(query + " ORDER BY id", args).fetchall()
        out: list[Review] = []
        for n, q, s, r, t, st, took in rows:
            try:
                moment = datetime.fromisoformat(t) if isinstance(t, str) else None
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                why = f"its date is {t!r}"
            elif st not in {0, *(int(x) for x in State)}:
                why = f"its state is {st!r}"
            elif r not in RATINGS:
                why = f"its rating is {r!r}"
            else:
                number = isinstance(took, int | float) and took >= 0
                out.append(Review(q, s, r, moment, st, float(took) if number else None))
                continue
            self._problem(_damaged(self.path, q, s, why, f", review {n},"))
        return out


# --- a session --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing the interviewer asks: a question (slot 0) or one of its follow-ups."""

    question: Question
    """The question (the follow-up's parent, for a follow-up)."""
    slot: int
    """0 for the question, else the follow-up's slot in the lock."""
    follow_up: FollowUp | None = None
    """The follow-up, for a follow-up."""
    number: int = 0
    """The follow-up's 1-based place in the chain (0 for the question)."""
    due: datetime | None = None
    """When its card is due (UTC); None for a card never rated."""


@dataclass(frozen=True)
class Turn:
    """One question of a session and the cards it asks, question first, then the chain."""

    question: Question
    """The question."""
    items: tuple[Item, ...]
    """What is asked and rated, in order; the question itself is left out when only some
    of its follow-ups are due."""
    due: datetime | None
    """When its earliest due card fell due; None for a new question."""

    @property
    def new(self) -> bool:
        """Whether the question has never been rated."""
        return self.due is None


@dataclass(frozen=True)
class Prompt:
    """What the interviewer asks, and what the reveal shows, as Markdown."""

    ask: str
    """The question (with its scenario or prompt text), or the follow-up question."""
    core: str
    """The core of the answer, as on the card back (talk about the interview that opens the
    answer comes last in `more`, under "Rest of the answer", never here)."""
    notes: tuple[tuple[str, str], ...]
    """(label, Markdown) shown with the core: what is really tested, the red flag, weak vs
    strong answers."""
    more: tuple[tuple[str, str], ...]
    """(label, Markdown) shown on request: the rest of the answer, steps, example, senior and
    staff views, other parts."""
    points: tuple[KeyPoint, ...] = ()
    """The key points of the strong answer (`dockerqa.feedback.key_points`), which a typed
    answer is checked against."""
    lead: bool = False
    """Whether the reveal leads with the key points instead of the core (a question with at
    least `LEAD_POINTS` of them); `more` then starts with the whole answer (its talk about the
    interview, if any, next)."""


@dataclass(frozen=True)
class StatsRow:
    """Counts of one section, level, or the whole selection."""

    name: str
    """Section id, level, or ``all``."""
    questions: int
    """Questions in it."""
    new: int
    """Questions never rated."""
    due: int
    """Questions with a card due by the end of the day."""
    reviews: int
    """Ratings given, all time."""
    recalled: int
    """Ratings of review cards in the last `RETENTION_DAYS` days that were not Again."""
    graded: int
    """Ratings of review cards in the last `RETENTION_DAYS` days."""

    @property
    def retention(self) -> float | None:
        """Share of review cards recalled in the last `RETENTION_DAYS` days (None: none)."""
        return self.recalled / self.graded if self.graded else None


@dataclass(frozen=True)
class Stats:
    """What ``dockerqa drill --stats`` shows."""

    sections: tuple[StatsRow, ...]
    """One row per section, in source order."""
    levels: tuple[StatsRow, ...]
    """One row per level present, easiest first."""
    total: StatsRow
    """The whole selection."""
    week: tuple[tuple[date, int], ...] = ()
    """Cards (questions and follow-ups) due on each of the next `WEEK_DAYS` local days,
    today first (with what is overdue)."""


#: Parts `Drill.ask` places itself: in the question, the answer's core, or the notes shown
#: with it. Every other part of `dockerqa.model.PARTS` is shown on request.
_ASKED_OR_NOTED = frozenset(
    ("prompt", "answer", "interviewer_intent", "red_flag", "weak_answer", "strong_answer")
)


class Drill:
    """A mock interview over a library and a store.

    ``library`` carries the ids the lock keeps (see `dockerqa.identity.apply_renames`); ``lock``
    gives each follow-up its slot (without one, a follow-up's slot is its place in the
    chain). ``now`` is the session's clock (default: the current time). Use `open` to read a
    page the way ``dockerqa drill`` does.
    """

    def __init__(
        self,
        library: Library,
        store: Store,
        *,
        lock: Lock | None = None,
        now: datetime | None = None,
        fsrs: Scheduler | None = None,
    ) -> None:
        self.library = library
        self.store = store
        self.lock = lock
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self._frozen = now is not None
        self.fsrs = fsrs or scheduler()
        self.key = library.metadata.key
        self._sections = {s.id: s.title for s in library.sections}

    @classmethod
    def open(
        cls,
        source: str | os.PathLike[str] | None = None,
        store: Store | str | os.PathLike[str] | None = None,
        *,
        filters: Mapping[str, Any] | None = None,
        now: datetime | None = None,
        create: bool = True,
        report: Callable[[str], None] | None = None,
        explain: Callable[[str], None] | None = None,
    ) -> Drill:
        """A drill over a page (default: the bundled corpus), as ``dockerqa drill`` makes it.

        The lock beside the page is brought up to date exactly as ``dockerqa export`` does
        (it is rewritten only when the page changed), so renames, follow-up slots and
        retired questions are the ones the Anki deck sees. ``filters`` are `Library.filter`
        keywords; ``store`` is a `Store` or its path (default: `default_store`), opened with
        ``create`` (False: only to read, as ``--stats`` does; see `Store`). ``report`` and
        ``explain`` hear what the refresh did to the lock, as an export's do
        (`dockerqa.pipeline.tell_refresh`).
        """
        from dockerqa._load import lock_path, metadata_path, resolve_source
        from dockerqa.pipeline import open_page, same_file, tell_refresh

        page_file = resolve_source(source)  # a directory is refused by open_page below
        if store is not None and not isinstance(store, Store) and not page_file.is_dir():
            for own in (page_file, metadata_path(page_file), lock_path(page_file)):
                if same_file(Path(store), own):
                    raise DrillError(
                        f"{store}: refusing to use the page's own file {own} as the drill "
                        "store; give another --store"
                    )
        page = open_page(source, use="refresh", filters=filters)
        tell_refresh(page, report, explain)
        opened = store if isinstance(store, Store) else Store(store, create=create)
        drill = cls(page.library, opened, lock=page.lock, now=now)
        drill.key = page.key  # the key the lock keeps for the page's cards
        return drill

    def slots(self, question: Question) -> list[tuple[int, int, FollowUp]]:
        """(slot, place in the chain, follow-up) of each answered follow-up."""
        entry = self.lock.entry(question.id) if self.lock is not None else None
        found = entry.slot_of(question) if entry is not None else []
        out: list[tuple[int, int, FollowUp]] = []
        for n, f in enumerate(question.follow_ups, 1):
            slot = found[n - 1] if n - 1 < len(found) else n
            if f.answer and slot is not None:
                out.append((slot, n, f))
        return out

    def items(self, question: Question) -> list[Item]:
        """Every card of a question: the question, then its answered follow-ups."""
        cards = self.store.cards(self.key)
        return self._items(question, cards)

    def _items(self, question: Question, cards: Mapping[tuple[str, int], Card]) -> list[Item]:
        def due(slot: int) -> datetime | None:
            card = cards.get((question.id, slot))
            return card.due if card is not None else None

        out = [Item(question, 0, due=due(0))]
        out += [Item(question, s, f, n, due(s)) for s, n, f in self.slots(question)]
        return out

    def plan(
        self, new: int = DEFAULT_NEW, limit: int | None = None, *, by_level: bool = False
    ) -> list[Turn]:
        """The session: due questions (most overdue first), then up to ``new`` new ones in
        source order (easiest first with ``by_level``); at most ``limit`` questions.

        A question is due when one of its cards is; its due cards are asked, with any
        follow-up never rated. A new question asks every card.
        """
        cards = self.store.cards(self.key)
        due: list[Turn] = []
        fresh: list[Turn] = []
        for q in self.library:
            items = self._items(q, cards)
            if all(i.due is None for i in items):
                fresh.append(Turn(q, tuple(items), None))
                continue
            asked = [i for i in items if i.due is None or i.due <= self.now]
            dates = [i.due for i in asked if i.due is not None]
            if dates:
                due.append(Turn(q, tuple(asked), min(dates)))
        due.sort(key=lambda t: t.due or self.now)
        if by_level:
            fresh.sort(key=lambda t: t.question.level.rank)
        turns = due + fresh[: max(new, 0)]
        return turns[:limit] if limit is not None else turns

    def ask(self, item: Item) -> Prompt:
        """What the interviewer asks for ``item``, and what the reveal shows."""
        q = item.question
        if item.follow_up is not None:
            answer = item.follow_up.answer or ""
            return Prompt(item.follow_up.question, answer, (), (), key_points(answer))
        text = ask(q, self._sections.get(q.section, ""))
        if q.prompt:
            text += f"\n\n**{q.kind.prompt_label}:** {q.prompt}"
        # talk about the interview is no part of what a strong answer holds: it folds, as
        # on the cards
        facts, talk = split_talk(q.answer)
        core, rest = split_core(facts)
        pairs = [("weak_answer", q.weak_answer), ("strong_answer", q.strong_answer)]
        notes = [(FIELD_LABELS[k], v) for k, v in pairs if v]
        if not core and notes:  # weak vs strong is the answer of a comparison
            core, notes = "\n\n".join(f"**{k}:** {v}" for k, v in notes), []
        notes = [
            *((FIELD_LABELS[k], v) for k, v in self._fields(q, "interviewer_intent", "red_flag")),
            *notes,
        ]
        points = key_points("\n\n".join(v for v in (q.answer, q.strong_answer, q.steps) if v))
        lead = len(points) >= LEAD_POINTS and bool(core)
        if lead:
            more = [("A strong answer holds", "\n\n".join(v for v in (core, rest) if v))]
            more += [(REST_LABEL, talk)] if talk else []
        else:
            folded = "\n\n".join(v for v in (talk, rest) if v)  # in the cards' order
            more = [(REST_LABEL, folded)] if folded else []
        more += [
            (label, text)
            for spec, label, text in q.study_parts()  # every other part, in the table's order
            if spec is None or spec.name not in _ASKED_OR_NOTED
        ]
        return Prompt(text, core, tuple(notes), tuple(more), points, lead)

    @staticmethod
    def _fields(q: Question, *names: str) -> list[tuple[str, str]]:
        return [(n, v) for n in names if (v := getattr(q, n))]

    def clock(self) -> datetime:
        """The time now: the ``now`` the drill was given (it stands still, for testing), else
        the current time."""
        return self.now if self._frozen else datetime.now(UTC)

    def rate(
        self,
        item: Item,
        rating: int,
        when: datetime | None = None,
        *,
        seconds: float | None = None,
    ) -> Card:
        """Record a rating (1 Again … 4 Easy) for ``item`` at ``when`` (default: `clock`),
        with the ``seconds`` taken to answer; the FSRS card as scheduled next, already saved."""
        if rating not in RATINGS:
            raise DrillError(
                f"unknown rating {rating!r} (available: 1 Again, 2 Hard, 3 Good, 4 Easy)"
            )
        moment = (when or self.clock()).astimezone(UTC)
        q = item.question.id
        return self.store.review(self.key, q, item.slot, rating, moment, self.fsrs, seconds)

    def stats(self) -> Stats:
        """Due today, new left, reviews done and recent retention, by section and by level,
        and the cards due on each day of the week ahead.

        "Today" ends at local midnight after the session's clock.
        """
        local = self.now.astimezone()
        end_of_day = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        cards = self.store.cards(self.key)
        since = self.now - timedelta(days=RETENTION_DAYS)
        log = self.store.reviews(self.key)
        by_question: dict[str, list[Review]] = {}
        for r in log:
            by_question.setdefault(r.question, []).append(r)

        def row(name: str, questions: list[Question]) -> StatsRow:
            new = due = reviews = recalled = graded = 0
            for q in questions:
                dates = [i.due for i in self._items(q, cards) if i.due is not None]
                new += not dates
                due += bool(dates) and min(dates) < end_of_day
                for r in by_question.get(q.id, ()):
                    reviews += 1
                    if r.reviewed >= since and r.state == State.Review:
                        graded += 1
                        recalled += r.rating > Rating.Again
            return StatsRow(name, len(questions), new, due, reviews, recalled, graded)

        qs = list(self.library)
        sections = tuple(
            row(s.id, [q for q in qs if q.section == s.id]) for s in self.library.sections
        )
        levels = tuple(
            row(lv.value, [q for q in qs if q.level == lv])
            for lv in Level
            if any(q.level == lv for q in qs)
        )
        week = {local.date() + timedelta(days=n): 0 for n in range(WEEK_DAYS)}
        for q in qs:
            for i in self._items(q, cards):
                if i.due is not None:
                    day = max(i.due.astimezone().date(), local.date())
                    if day in week:
                        week[day] += 1
        return Stats(sections, levels, row("all", qs), tuple(week.items()))


__all__ = [
    "DEFAULT_NEW",
    "RATINGS",
    "STORE_ENV",
    "Drill",
    "Item",
    "Prompt",
    "Review",
    "Stats",
    "StatsRow",
    "Store",
    "Turn",
    "default_store",
    "parse_time",
    "scheduler",
]
