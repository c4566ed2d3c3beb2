"""Page → library → lock → exporters → files: `export`, the one export path.

The command line's ``dockerqa export`` and ``dockerqa lock`` call these functions and nothing
else, so the Python API and the CLI build the same bytes and keep the same lock.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dockerqa._files import (
    STDOUT,
    Output,
    make_directory,
    remove_stale_temporaries,
    write_output,
    write_stdout,
)
from dockerqa._load import (
    BUNDLED_NAME,
    bundled_source,
    display_name,
    load,
    lock_path,
    metadata_path,
    resolve_source,
)
from dockerqa.errors import DockerQAError, ExportError, LockError, LookupFailed
from dockerqa.exporting import (
    DEFAULT_DIR,
    ExportContext,
    Exporter,
    available_exporters,
    get_exporter,
)
from dockerqa.identity import apply_renames, check, compute, keyed, with_page_key
from dockerqa.lock import Lock, current_time, lock_command, read_lock
from dockerqa.model import Library, Question

#: Filter names accepted by `Library.filter`.
FILTERS = ("level", "min_level", "section", "kind", "tag")
#: What ends a destination that names a directory (``--out newdir/``).
_SEPARATORS = tuple(sep for sep in (os.sep, os.altsep) if sep)

Source = Library | str | os.PathLike[str] | None


def refresh_lock(
    source: str | os.PathLike[str] | None = None,
    *,
    locked: bool = False,
    rename: Mapping[str, str] | None = None,
    new: Iterable[str] = (),
) -> Lock:
    """Bring the lock file beside ``source`` up to date (or check it, with ``locked``).

    Exporter state kept in the lock is carried over untouched. Raises `LockError` when
    ``locked`` and the lock is stale. ``rename`` overrules the rename detection: it maps an id
    the page gives now (NEW) to the lock's id that question keeps (OLD, retired or not);
    ``new`` lists ids the page gives that are new questions, whatever they were matched with
    being retired. Both are recorded in the lock, so later refreshes keep them; an unknown id
    is a `LockError` naming the valid ones. ``Lock.decisions()`` of the result says what was
    decided.
    """
    path = resolve_source(source)
    return refresh(load(source), lock_path(path), locked=locked, rename=rename, new=new)


#: How `open_page` treats the lock: refresh it (writing when the page changed), check it (fail
#: when stale, never write), read it (fail when damaged), or read it when it is readable.
LockUse = Literal["refresh", "check", "read", "if-readable"]


@dataclass(frozen=True)
class Page:
    """A page opened for a command: its questions with the ids the lock keeps, filtered."""

    library: Library
    """The questions selected, with the ids the lock keeps (renames applied before filters)."""
    lock: Lock | None
    """The lock as refreshed or read (None when there is none, or it was not readable)."""
    lock_file: Path | None
    """The lock file (None for a `Library` given without one)."""
    key: str
    """The key the page's notes and drill cards carry: its metadata's, else the one its lock
    recorded (see `dockerqa.identity.with_page_key`); the library keeps the key it was loaded
    with, which names the output files."""


def open_page(
    source: Source,
    *,
    lock: str | os.PathLike[str] | None = None,
    use: LockUse = "read",
    filters: Mapping[str, Any] | None = None,
    now: int | None = None,
    adjust: Callable[[Lock], Lock] | None = None,
    advise: str | None = None,
) -> Page:
    """Open a page the one way every command does: load, lock, renames, then filters.

    ``source`` is a page path (default: the bundled corpus) or a loaded `Library`; ``lock``
    the lock file (default: ``NAME.lock`` beside a page path). ``use`` says what to do with
    the lock (see `LockUse`; ``refresh`` and ``check`` as in `refresh`, with ``now``,
    ``adjust`` and ``advise``). The renames the lock keeps are applied to the whole page before
    ``filters`` (`Library.filter` keywords) select from it, so a filter sees the ids the deck
    carries and a filtered refresh checks the right entries.
    """
    if isinstance(source, Library):
        library, lock_file = source, Path(lock) if lock is not None else None
    else:
        library = load(source)
        lock_file = Path(lock) if lock is not None else lock_path(resolve_source(source))
    current: Lock | None = None
    if use in ("refresh", "check"):
        if lock_file is None:
            raise LockError("a library without its page needs lock= to keep identity")
        current = refresh(
            library, lock_file, now=now, locked=use == "check", adjust=adjust, advise=advise
        )
    elif lock_file is not None and lock_file.is_file():
        try:
            current = read_lock(lock_file)
        except LockError:
            if use == "read":
                raise
        foreign = current is not None and current.key not in (None, library.metadata.key)
        if use == "if-readable" and foreign and keyed(library):
            current = None  # another page's lock: its ids are not this page's
        if current is not None:  # the ids a refresh would keep now, whether or not it ran
            current = compute(library, current, now=now)
    key = library.metadata.key
    if current is not None:
        key = with_page_key(library, current).metadata.key
        library = apply_renames(library, current)
    return Page(apply_filters(library, filters or {}), current, lock_file, key)


def read_library(source: str | os.PathLike[str] | None = None) -> Library:
    """The page with the ids its lock keeps, for reading (what ``list``, ``show``, ``stats``
    and ``tags`` print): the ids match the deck, the JSON and the cheat sheet. The lock is
    read when it is there and readable, and never written; a damaged lock is ignored here."""
    return open_page(source, use="if-readable").library


def find_question(
    library: Library, id: str, source: str | os.PathLike[str] | None = None
) -> Question:
    """The question with ``id``: the id its lock keeps, or the one its title gives now."""
    try:
        return library.get(id)
    except LookupFailed as exc:
        lock_file = lock_path(resolve_source(source))
        try:
            known = read_lock(lock_file) if lock_file.is_file() else None
        except LockError:
            known = None
        renames = known.renames() if known is not None else {}
        if id in renames:
            return library.get(renames[id])
        listing = "dockerqa list" + (
            f" --source {display_name(source)}" if source is not None else ""
        )
        entry = known.entry(id) if known is not None else None
        if entry is not None and entry.retired is not None:
            raise LookupFailed(
                f"{display_name(source)}: {id!r} left the page (its lock keeps it as retired: "
                f'"{entry.title}"); `{listing}` lists every id'
            ) from None
        raise LookupFailed(f"{display_name(source)}: {exc}; `{listing}` lists every id") from None


def export(
    source: Source,
    format: str,
    destination: str | os.PathLike[str] | None = None,
    *,
    lock: str | os.PathLike[str] | None = None,
    locked: bool = False,
    filters: Mapping[str, Any] | None = None,
    now: int | None = None,
    report: Callable[[str], None] | None = None,
    progress: Callable[[str], None] | None = None,
    explain: Callable[[str], None] | None = None,
    **options: Any,
) -> list[Path]:
    """Export a page in ``format`` (or ``"all"`` formats into a directory); the paths written.

    ``source`` is a page path (default: the bundled corpus) or a `Library`. Exporters that
    need a lock get the page's lock (``NAME.lock`` beside a page path, or ``lock``), refreshed
    first — or only checked, with ``locked`` — exactly as ``dockerqa export`` does; a `Library`
    without ``lock`` cannot feed them. ``filters`` are `Library.filter` keywords; ``options``
    go to the exporter. ``destination`` defaults to ``dist/`` and the exporter's file name;
    ``-`` writes a text format to standard output. Each output is written as soon as it is
    built (so only one is held in memory); if one fails, the error says which were written.
    Any other exception an exporter raises (from its options, file name, state or output) is an
    `ExportError` naming the exporter and what was written, with the exception as its cause;
    the output it was writing is left as it was.
    ``report`` receives one line per change to the lock and per file written; ``progress`` one
    line per stage; ``explain`` one line per identity decision of the lock's refresh (each
    rename and why, each new and each retired question; see `Lock.decisions`).
    """
    note = progress or (lambda _msg: None)
    exporters = _exporters(format, options)
    if isinstance(source, Library):
        library, page, lock_file = source, None, Path(lock) if lock is not None else None
    else:
        page = resolve_source(source)
        note(f"reading {display_name(source)}")
        library = load(source)
        lock_file = Path(lock) if lock is not None else lock_path(page)
    targets = _targets(exporters, format, destination, page, lock_file, library.metadata.key)
    when = current_time() if now is None else int(now)

    current: Lock | None = None
    states: dict[str, Any] = {}
    if any(e.needs_lock for e in exporters):
        if lock_file is None:
            needing = [e.name for e in exporters if e.needs_lock]
            who = (
                f"the {needing[0]} exporter needs"
                if len(needing) == 1
                else f"the {', '.join(needing[:-1])} and {needing[-1]} exporters need"
            )
            raise ExportError(
                f"{who} the page's lock file to keep identity across updates: pass "
                "lock='PAGE.lock', or export the page by its path"
            )

        def record_states(computed: Lock) -> Lock:
            moved: list[str] = []
            # a state not recorded yet starts at the page's latest change, so a build right
            # after `dockerqa lock` is the same with or without --locked
            latest = max((q.mod for q in computed.questions), default=when)
            for e in exporters:
                before = computed.exporter_state(e.name)
                try:
                    with _exporter_code(type(e), "nothing written"):
                        after = e.next_state(before, when if before is not None else latest)
                except LockError as exc:
                    raise LockError(f"{lock_file}: {exc}") from None
                states[e.name] = after
                if before is None and locked:
                    continue  # derived from the lock itself: nothing is out of date
                if after != before:
                    computed = computed.with_exporter_state(e.name, after)
                    moved.append(e.name)
            if moved:
                changes = computed.changes.model_copy(update={"exporters": tuple(moved)})
                computed = computed.model_copy(update={"changes": changes})
            return computed

        note(f"checking {lock_file}" if locked else f"updating {lock_file}")
        shown = library.metadata.source_file if isinstance(source, Library) else source
        advise = f"dockerqa export {format}" + (f" --source {shown}" if shown is not None else "")
        if destination is not None:
            advise += f" --out {os.fspath(destination)}"
        opened = open_page(
            library,
            lock=lock_file,
            use="check" if locked else "refresh",
            filters=filters,
            now=when,
            adjust=record_states,
            advise=advise,
        )
        current = opened.lock
        assert current is not None  # refreshed or checked
        tell_refresh(opened, report, explain)
    else:  # the lock only for the ids it keeps through renames, checked with --locked
        checked = locked and lock_file is not None and os.path.lexists(lock_file)
        opened = open_page(
            library, lock=lock_file, use="check" if checked else "read", filters=filters, now=when
        )
        current = opened.lock
    selected = opened.library

    if targets and (format == "all" or destination is None):
        make_directory(targets[0].parent)  # an output directory of ours (dist/, export all's)
    written: list[Path] = []
    for e, target in zip(exporters, targets, strict=True):
        note(f"building {e.name}")
        context = ExportContext(
            key=opened.key,
            destination=target,
            lock=current,
            state=states.get(e.name),
        )
        try:
            with _exporter_code(type(e)):
                pieces = e.stream(selected, context)
            _write(target, pieces, e)
        except _ExporterFailed as exc:
            earlier = [lock_file] if current is not None and current.changes.written else []
            earlier += written
            done = ", ".join(str(p) for p in earlier)
            left = (
                "nothing was written to standard output"
                if str(target) == STDOUT
                else f"{target} is left as it was"
            )
            raise exc.ended(
                f"{left} ({f'already written: {done}' if done else 'nothing else written'})"
            ) from exc.__cause__
        except DockerQAError as exc:
            if written:
                done = ", ".join(str(p) for p in written)
                raise ExportError(f"{exc} (already written: {done})") from None
            raise
        written.append(target)
        if report is not None and str(target) != STDOUT:
            report(f"wrote {target}")
    return written


class _ExporterFailed(ExportError):
    """An exporter raised something else than a `DockerQAError`: a fault of the exporter (a
    third-party plugin, usually), not of the input. Its message is one line naming the exporter,
    the exception and where it was raised, then what became of the outputs."""

    def __init__(self, cls: type[Exporter], exc: Exception, outcome: str = "") -> None:
        self.failure = f"the {cls.name} exporter ({cls.__module__}:{cls.__qualname__}) failed: "
        self.failure += type(exc).__name__
        text = " ".join(str(exc).split())  # one line, whatever the exception says
        if text:
            self.failure += f": {text}"
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:
            self.failure += f" (at {frames[-1].filename}:{frames[-1].lineno})"
        super().__init__(f"{self.failure}; {outcome}" if outcome else self.failure)

    def ended(self, outcome: str) -> ExportError:
        """The same failure, saying what became of the outputs."""
        return ExportError(f"{self.failure}; {outcome}")


@contextlib.contextmanager
def _exporter_code(cls: type[Exporter], outcome: str = "") -> Iterator[None]:
    """Runs an exporter's own code: an exception other than a `DockerQAError` is a fault of
    the exporter (`_ExporterFailed`, saying ``outcome``)."""
    try:
        yield
    except DockerQAError:
        raise
    except Exception as exc:
        raise _ExporterFailed(cls, exc, outcome) from exc


def _made(cls: type[Exporter], options: Mapping[str, Any]) -> Exporter:
    with _exporter_code(cls, "nothing written"):
        return cls(**options)


def _filename(e: Exporter, key: str) -> str:
    with _exporter_code(type(e), "nothing written"):
        return e.filename(key)


def _exporters(format: str, options: Mapping[str, Any]) -> list[Exporter]:
    if format != "all":
        return [_made(get_exporter(format), options)]
    if options:
        raise ExportError(f"'all' takes no exporter options (given: {', '.join(sorted(options))})")
    return [_made(get_exporter(name), {}) for name in sorted(available_exporters())]


def _targets(
    exporters: list[Exporter],
    format: str,
    destination: str | os.PathLike[str] | None,
    page: Path | None,
    lock_file: Path | None,
    key: str,
) -> list[Path]:
    """Where each output goes; refuses to write over the page, its metadata or its lock."""
    if format == "all":
        if destination is not None and str(destination) == STDOUT:
            raise ExportError("'all' writes several files: give a directory, not '-'")
        folder = Path(destination) if destination is not None else DEFAULT_DIR
        targets = [folder / _filename(e, key) for e in exporters]
        claimed: dict[Path, str] = {}
        for e, target in zip(exporters, targets, strict=True):
            if target in claimed:
                raise ExportError(
                    f"the {claimed[target]} and {e.name} exporters would both write "
                    f"{target}; export them one at a time with --out"
                )
            claimed[target] = e.name
    elif destination is not None and str(destination) == STDOUT:
        if exporters[0].binary:
            raise ExportError(f"the {exporters[0].name} format is binary: give a file, not '-'")
        return [Path(STDOUT)]
    elif destination is None:
        targets = [DEFAULT_DIR / _filename(exporters[0], key)]
    else:
        dest = Path(destination)
        if os.path.isdir(dest):  # False, not an error, for a name too long
            targets = [dest / _filename(exporters[0], key)]
        elif os.fspath(destination).endswith(_SEPARATORS):  # ``newdir/`` names a directory
            shown = os.fspath(destination)
            if os.path.lexists(dest):  # worded as an output inside a file is
                raise ExportError(f"{shown}: cannot write: not a directory")
            # worded as a file in a missing directory is: the directory named, to create
            raise ExportError(
                f"{shown}: no such directory {shown.rstrip(''.join(_SEPARATORS))}; create it first"
            )
        else:
            targets = [dest]
    protected = {p for p in (page, lock_file) if p is not None}
    if page is not None:
        protected.add(metadata_path(page))
    for target in targets:
        for p in protected:
            if same_file(target, p):
                raise ExportError(f"{target}: refusing to write over the page's own file {p}")
    return targets


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (however spelled, through links, or hard-linked)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return False


def _write(target: Path, data: Output, exporter: Exporter) -> None:
    pieces = data if isinstance(data, bytes) else _checked(data, exporter)
    if str(target) == STDOUT:
        write_stdout(pieces if isinstance(pieces, bytes) else b"".join(pieces))
    else:
        write_output(target, pieces)


#: What `next` gives past a stream's last piece (``None`` is a piece: a wrong one).
_END = object()


def _checked(pieces: Iterable[bytes], e: Exporter) -> Iterator[bytes]:
    """An exporter's pieces, with a clear error for anything that is not bytes and for an
    exception the exporter raises while making them."""
    exporter = e.name
    if not isinstance(pieces, Iterable):
        raise ExportError(f"the {exporter} exporter's stream() gave {type(pieces).__name__}, "
                          "not an iterable of bytes")  # fmt: skip
    it: Iterator[bytes] | None = None
    while True:
        with _exporter_code(type(e)):
            it = iter(pieces) if it is None else it
            piece: object = next(it, _END)
        if piece is _END:
            return
        if not isinstance(piece, (bytes, bytearray)):
            raise ExportError(f"the {exporter} exporter's stream() gave a "
                              f"{type(piece).__name__}, not bytes")  # fmt: skip
        yield bytes(piece)


def tell_refresh(
    page: Page,
    report: Callable[[str], None] | None = None,
    explain: Callable[[str], None] | None = None,
) -> None:
    """Say what refreshing a page's lock did: ``report`` one line when the lock changed
    (``created``/``updated NAME: …``), ``explain`` one line per identity decision."""
    lock = page.lock
    if lock is None or page.lock_file is None:
        return
    if report is not None and lock.changes.describe():
        name = _names(page.library, page.lock_file)[0]  # as the page was given: a/ and b/ differ
        done = "created" if lock.changes.first else "updated"  # none before: created
        report(f"{done} {name}: {lock.changes.describe()}")
    if explain is not None:
        for line in lock.decisions():
            explain(line)


def _names(library: Library, path: Path) -> tuple[str, str]:
    """How to name the lock file and the command that refreshes it, in messages."""
    source = library.metadata.source_file
    if source == BUNDLED_NAME and path.resolve() == lock_path(bundled_source()).resolve():
        return "corpus/docker.lock", lock_command(path)
    return str(path), lock_command(path, source)


def refresh(
    library: Library,
    path: str | os.PathLike[str],
    *,
    now: int | None = None,
    locked: bool = False,
    adjust: Callable[[Lock], Lock] | None = None,
    advise: str | None = None,
    rename: Mapping[str, str] | None = None,
    new: Iterable[str] = (),
) -> Lock:
    """Bring the lock file at ``path`` up to date with ``library`` (the whole source).

    A filtered library (see `Library.is_whole`) only checks its questions against the lock.
    Returns the new lock; its ``changes`` say what moved. ``adjust`` may amend the computed
    lock before it is saved (the export pipeline records exporter state with it). The file is
    rewritten (atomically) only when what it records changes; ``advise`` is the command
    its messages recommend (default: ``dockerqa lock``). A lock that records the same thing in
    another layout (formatted by hand) is left as it is. With ``locked``, nothing is written
    and `LockError` is raised when the lock is missing or would change. ``now`` defaults to
    ``SOURCE_DATE_EPOCH`` when set, else the current time. ``rename`` and ``new`` are a
    person's decisions, as in `compute`.
    """
    path = Path(path)
    new = tuple(new)
    name, own_command = _names(library, path)
    command = advise or own_command
    # the text is dropped once parsed; a link to nowhere or a pipe is read (and reported)
    previous = read_lock(path) if os.path.lexists(path) else None
    if locked and previous is None:
        raise LockError(f"{name} does not exist; run `{command}`")
    adopts_key = previous is not None and previous.key is not None and not keyed(library)
    library = with_page_key(library, previous)
    key = library.metadata.key
    if previous is not None and previous.key is not None and previous.key != key:
        raise LockError(
            f"{name} belongs to the page with key {previous.key!r}, not to this one ({key!r}): "
            "give this page's own lock file (if you changed the page's key on purpose, delete "
            'the lock\'s "key" line)'
        )
    if (rename or new) and previous is None:
        raise LockError(
            f"{name} does not exist, so there is no decision to overrule; run `{command}`"
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
        if adopts_key and previous is not None and previous.active and not rename:
            # a title another page shares, taken as a move to another section, does not
            # make that page's lock this one's
            kept = {e.id for e in lock.active} & {e.id for e in previous.active}
            kept -= set(lock.changes.moved)
            if not kept:  # a page with no key of its own takes its lock's: not another page's
                raise LockError(
                    f"{name} belongs to another page (key {previous.key!r}): none of its "
                    "questions is on this page; give this page's own lock file, or delete "
                    "this one to start a new set of notes"
                )
    elif previous is None:
        raise LockError(
            f"{name} does not exist, and a filtered library cannot make one (it would retire "
            f"the questions left out); run `{command}` on the whole page first"
        )
    else:  # a selection: its questions must already be recorded; only ``adjust`` may write
        check(apply_renames(library, previous), previous, own_command)
        lock = previous
    if adjust is not None:
        lock = adjust(lock)
    if previous is not None and (
        lock is previous
        or lock.same_as(previous)
        # where questions stand alone: a renumbered or reordered page keeps its lock's bytes,
        # and `--locked` passes; a lock that records no place gains them when refreshed
        or (lock.same_as(previous, places=False) and (locked or previous.records_places))
    ):
        if not locked:  # a killed run's temporary lock goes even when the lock stays as it is
            remove_stale_temporaries(path)
        return lock  # the common case: the same record, nothing to write (nor to format)
    if locked:
        what = lock.changes.describe() or "recorded details differ"
        raise LockError(f"{name} is out of date: {what}; run `{command}`")
    if previous is not None and lock.same_as(previous, places=False):  # written for them alone
        lock = lock.model_copy(update={"changes": lock.changes.model_copy(update={"places": True})})
    try:
        write_output(path, lock.encoded())
    except DockerQAError as exc:
        raise LockError(str(exc)) from None
    return lock.model_copy(update={"changes": lock.changes.model_copy(update={"written": True})})


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
        wanted = active.get("tag")
        wanted_tags: list[str] = (
            [wanted] if isinstance(wanted, str) else [str(t) for t in wanted or ()]
        )
        topics = sorted({t for q in library for t in q.tags})
        untagged = [t for t in wanted_tags if not library.filter(tag=t).questions]
        retired = [t for t in untagged if t.strip().lower().startswith("dockerqa::retired")]
        if retired:
            raise ExportError(
                f"no question has the tag {retired[0]!r} (it marks the notes of questions that "
                "left the page, so no question of the page carries it; search for it in Anki)"
            )
        if untagged:
            known = ", ".join(topics) or "none: the page's metadata defines no topics"
            raise ExportError(
                f"no question has the tag {', '.join(map(repr, untagged))} (topics: {known}; "
                "full tags such as dockerqa::level::advanced work too, see `dockerqa tags`)"
            )
        raise ExportError("the filters match no question")
    return selected


__all__ = [
    "FILTERS",
    "LockError",
    "Page",
    "apply_filters",
    "export",
    "open_page",
    "refresh",
    "refresh_lock",
]
