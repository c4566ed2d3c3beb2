"""Anki: a ``.apkg`` deck that updates in place and never loses a learner's work.

Deck layout
    One root deck named by ``library.metadata.title`` and one subdeck per section, numbered
    by the section's position in the source (from the lock, so filtered exports use the same
    names): ``Docker Interview Questions::01 Fundamentals & Architecture``. Anki matches decks
    by name; an import never moves existing cards.

Tags (hierarchical, on every note)
    ``dockerqa::level::<level>``, ``dockerqa::section::<section id>``, ``dockerqa::kind::<kind>``,
    ``dockerqa::type::<main|follow-up|red-flag>``, ``dockerqa::topic::<tag>`` per topic tag,
    and ``dockerqa::retired`` on notes of questions that left the source.

Note types — IDs hard-coded forever, field lists frozen
    Anki matches note types by ID, and any change to the field or template list makes it
    create a copy and leave every existing note unchanged. The lists below are therefore
    frozen: never add, remove, rename or reorder a field or template. CSS and template HTML may
    change (the lock gives the note types a newer ``mod`` when they do). ``Extra`` is a
    reserved slot (shown on the back when not empty) for anything later releases add.

    ========================  ==========  ====================================================
    note type                 model ID    fields (frozen, in this order)
    ========================  ==========  ====================================================
    ``dockerqa Question``     1773346606  Id, Context, Title, Prompt, Answer, Details, Source,
                                          Banner, Extra
    ``dockerqa Follow-up``    1565439761  Id, Context, Question, Answer, Source, Banner, Extra
    ``dockerqa Red flag``     2064244844  Id, Context, Title, RedFlag, Source, Banner, Extra
    ========================  ==========  ====================================================

    Each has one card template (``Card``). Field meanings: ``Id`` the question id (plain
    text); ``Context`` a line naming section, level and kind (a follow-up's also shows its
    parent question); ``Title`` the question title; ``Prompt`` the scenario or prompt;
    ``Answer`` the answer (a work sample's steps first); ``Details`` the labelled blocks —
    what interviewers are testing, red flag, weak vs strong answers, senior vs staff views,
    the follow-up chain and any other labelled part, long ones folded in ``<details>``;
    ``RedFlag`` the red-flag answer and why it fails; ``Source`` where the question comes from;
    ``Banner`` the retirement notice, empty otherwise.

Identity
    GUIDs come from question ids only: ``guid_for("dockerqa", id)`` for a question,
    ``guid_for("dockerqa", id, "follow-up", n)`` for its ``n``-th follow-up (1-based position
    in the whole chain, answered or not, so answering an earlier follow-up later does not
    shift the others; inserting or removing a follow-up in the middle of a chain does shift
    them, which updates those notes in place rather than duplicating them) and
    ``guid_for("dockerqa", id, "red-flag")`` for its red flag. A renamed question keeps its id
    through the lock (`dockerqa.lock`), hence its notes.

Update rule
    Every note's ``mod`` is the lock's ``mod`` for its question (when its content last
    changed, or when it was retired); the note types' ``mod`` is the lock's note-type time.
    Re-importing an unchanged question leaves the learner's copy (and personal edits) alone;
    a changed one is newer, so Anki's default "update if newer" import updates it. Review
    history stays with the cards either way.

Retirement
    A question that left the source stays in the deck from its lock snapshot, tagged
    ``dockerqa::retired`` and with a banner, in exports that include its whole section.

Safety and reproducibility
    Fields hold only `dockerqa.render` output and this module's own HTML, with every text from
    the source escaped; templates have no JavaScript. The collection is built with genanki in
    memory and zipped here with fixed entry dates, modes and order, then written through
    `atomic_output`: the same library and lock give the same bytes, and nothing is left behind.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import re
import sqlite3
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki

from dockerqa.cards import card_tags, deck_name, deck_part
from dockerqa.errors import ExportError
from dockerqa.exporting import Exporter, atomic_output
from dockerqa.lock import Lock, LockEntry, apply_renames, build_lock, check, source_date_epoch
from dockerqa.model import Kind, Library, Question
from dockerqa.render import BASE_CSS, escape_text, pygments_css, render_inline, render_markdown

#: Namespace of every GUID of the deck.
GUID_NAMESPACE = "dockerqa"
#: Card types that can be chosen with ``cards``.
CARD_TYPES = ("main", "follow-ups", "red-flags")
#: Time used when no lock is given and ``SOURCE_DATE_EPOCH`` is unset (2024-01-01 UTC).
FIXED_EPOCH = 1_704_067_200

QUESTION_MODEL_ID = 1773346606
FOLLOW_UP_MODEL_ID = 1565439761
RED_FLAG_MODEL_ID = 2064244844
ROOT_DECK_ID = 1760227828

QUESTION_FIELDS = (
    "Id", "Context", "Title", "Prompt", "Answer", "Details", "Source", "Banner", "Extra",
)  # fmt: skip
FOLLOW_UP_FIELDS = ("Id", "Context", "Question", "Answer", "Source", "Banner", "Extra")
RED_FLAG_FIELDS = ("Id", "Context", "Title", "RedFlag", "Source", "Banner", "Extra")

#: Blocks whose Markdown is longer than this fold into ``<details>``.
FOLD_AT = 600

_KIND_LABELS = {
    Kind.QUESTION: "Question",
    Kind.SCENARIO: "Scenario",
    Kind.WORK_SAMPLE: "Work sample",
    Kind.COMPARISON: "Candidate comparison",
}
_PROMPT_LABELS = {Kind.SCENARIO: "Scenario", Kind.WORK_SAMPLE: "Work-sample prompt"}

# --- note types ------------------------------------------------------------------------------

_BANNER = "{{#Banner}}<div class=dq-banner>{{Banner}}</div>{{/Banner}}"
_TAIL = (
    "{{#Extra}}<div class=dq-extra>{{Extra}}</div>{{/Extra}}\n<div class=dq-source>{{Source}}</div>"
)

_QUESTION_FRONT = f"""<div class="dq dq-front">
{_BANNER}
<div class=dq-context>{{{{Context}}}}</div>
<div class=dq-title>{{{{Title}}}}</div>
{{{{#Prompt}}}}<div class=dq-prompt>{{{{Prompt}}}}</div>{{{{/Prompt}}}}
</div>"""
_QUESTION_BACK = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
{{{{#Answer}}}}<div class=dq-answer>{{{{Answer}}}}</div>{{{{/Answer}}}}
{{{{#Details}}}}<div class=dq-details>{{{{Details}}}}</div>{{{{/Details}}}}
{_TAIL}
</div>"""

_FOLLOW_UP_FRONT = f"""<div class="dq dq-front">
{_BANNER}
<div class=dq-context>{{{{Context}}}}</div>
<div class=dq-ask>Follow-up</div>
<div class=dq-follow-up>{{{{Question}}}}</div>
</div>"""
_FOLLOW_UP_BACK = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
<div class=dq-answer>{{{{Answer}}}}</div>
{_TAIL}
</div>"""

_RED_FLAG_FRONT = f"""<div class="dq dq-front">
{_BANNER}
<div class=dq-context>{{{{Context}}}}</div>
<div class=dq-ask>What answer is a red flag for:</div>
<div class=dq-title>{{{{Title}}}}</div>
</div>"""
_RED_FLAG_BACK = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
<div class="dq-answer dq-red-flag">{{{{RedFlag}}}}</div>
{_TAIL}
</div>"""

CARD_CSS = """
/* cards: colours come from the renderer's custom properties (day, and night under
   .nightMode/.night_mode), so both palettes follow Anki's night mode */
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left;
  color: var(--fg); background: var(--bg);
  margin: 0; padding: 0; overflow-x: hidden;
}
.dq {
  max-width: 46rem; margin: 0 auto; padding: 0.75rem 1rem; box-sizing: border-box;
  min-width: 0; overflow-wrap: break-word;
}
.dq pre, .dq .table-wrap, .dq .code-block, .dq details { max-width: 100%; box-sizing: border-box; }
.dq pre { overflow-x: auto; white-space: pre; overflow-wrap: normal; }
.dq a { color: var(--accent); }
.dq-context { color: var(--muted); font-size: 0.8em; margin-bottom: 0.4em; }
.dq-parent { color: var(--fg); font-weight: 600; font-size: 1.1rem; margin-top: 0.2em; }
.dq-title { font-size: 1.3em; font-weight: 700; line-height: 1.3; margin: 0.2em 0 0.6em; }
.dq-ask { color: var(--muted); font-size: 0.9em; margin-top: 0.6em; }
.dq-follow-up { font-size: 1.1em; font-weight: 600; }
.dq-prompt { border-left: 4px solid var(--accent); padding: 0.1em 0 0.1em 0.8em; }
.dq-label { font-size: 0.95em; font-weight: 700; margin: 0.8em 0 0.3em; color: var(--accent); }
.dq-block { margin: 0.9em 0; }
details.dq-block > summary.dq-label { display: list-item; margin: 0; }
details.dq-block[open] > summary.dq-label { margin-bottom: 0.4em; }
.dq-red-flag-block, .dq-red-flag { border-left: 4px solid var(--danger); padding-left: 0.8em; }
.dq-red-flag-block > .dq-label, .dq-red-flag-block > summary { color: var(--danger); }
.dq-chain { padding-left: 1.4em; }
.dq-chain > li { margin: 0.5em 0; }
.dq-chain-question > p { font-weight: 600; margin-bottom: 0.2em; }
.dq-chain-answer { border-left: 2px solid var(--border); padding-left: 0.6em; }
.dq-banner {
  border-left: 4px solid var(--warning); background: var(--callout-bg); border-radius: 0 6px 6px 0;
  padding: 0.5em 0.8em; margin-bottom: 0.8em; font-size: 0.9em;
}
.dq-source { color: var(--muted); font-size: 0.75em; margin-top: 1.2em; }
.dq-source a { color: var(--muted); }
.dq-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
hr#answer { border: 0; border-top: 1px solid var(--border); margin: 0.8em 0; }
@media (max-width: 480px) {
  .card { font-size: 16px; }
  .dq { padding: 0.5rem 0.6rem; }
  .dq-chain { padding-left: 1.1em; }
}
"""


def _css() -> str:
    return f"{BASE_CSS}\n{pygments_css()}\n{CARD_CSS}"


def _model(model_id: int, name: str, fields: Iterable[str], front: str, back: str) -> Any:
    return genanki.Model(
        model_id,
        name,
        fields=[{"name": f} for f in fields],
        templates=[{"name": "Card", "qfmt": front, "afmt": back}],
        css=_css(),
        sort_field_index=0,
    )


def _models() -> tuple[Any, Any, Any]:
    return (
        _model(
            QUESTION_MODEL_ID, "dockerqa Question", QUESTION_FIELDS, _QUESTION_FRONT, _QUESTION_BACK
        ),
        _model(
            FOLLOW_UP_MODEL_ID,
            "dockerqa Follow-up",
            FOLLOW_UP_FIELDS,
            _FOLLOW_UP_FRONT,
            _FOLLOW_UP_BACK,
        ),
        _model(
            RED_FLAG_MODEL_ID, "dockerqa Red flag", RED_FLAG_FIELDS, _RED_FLAG_FRONT, _RED_FLAG_BACK
        ),
    )


@functools.cache
def note_type_fingerprint() -> str:
    """Fingerprint of the three note types: names, fields, templates and CSS."""
    definition = [
        {
            "id": m.model_id,
            "name": m.name,
            "fields": m.fields,
            "templates": m.templates,
            "css": m.css,
        }
        for m in _models()
    ]
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- fields ----------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return escape_text(text)  # Anki's own markup ([sound:…], [latex]…) stays text too


def _md(text: str | None) -> str:
    return render_markdown(text) if text else ""


def _block(css: str, label: str, body_html: str, size: int, *, fold: bool | None = None) -> str:
    """A labelled block; folded into ``<details>`` when long (or when ``fold`` says so)."""
    folded = size > FOLD_AT if fold is None else fold
    label_html = _esc(label)
    if folded:
        return (
            f'<details class="dq-block {css}"><summary class=dq-label>{label_html}</summary>\n'
            f"{body_html}\n</details>"
        )
    return (
        f'<section class="dq-block {css}"><div class=dq-label>{label_html}</div>\n'
        f"{body_html}\n</section>"
    )


def _pair(first: tuple[str, str | None], second: tuple[str, str | None]) -> tuple[str, int]:
    """Two labelled halves of one block (weak vs strong, senior vs staff)."""
    parts: list[str] = []
    size = 0
    for label, text in (first, second):
        if text:
            parts.append(f"<div class=dq-label>{_esc(label)}</div>\n{_md(text)}")
            size += len(text)
    return "\n".join(parts), size


def _details(q: Question) -> str:
    """The labelled blocks of a question's back, in study order."""
    blocks: list[str] = []
    if q.interviewer_intent:
        blocks.append(
            _block(
                "dq-intent",
                "What interviewers are really testing",
                _md(q.interviewer_intent),
                len(q.interviewer_intent),
            )
        )
    if q.red_flag:
        blocks.append(
            _block("dq-red-flag-block", "Red flag answer", _md(q.red_flag), len(q.red_flag))
        )
    if q.weak_answer or q.strong_answer:
        body, size = _pair(
            ("What weak candidates say", q.weak_answer),
            ("What strong candidates say", q.strong_answer),
        )
        # without an answer of its own, weak vs strong is the answer: never folded then
        fold = None if q.answer else False
        blocks.append(_block("dq-weak-strong", "Weak vs strong answers", body, size, fold=fold))
    if q.senior_view or q.staff_view:
        body, size = _pair(("Senior engineer", q.senior_view), ("Staff engineer", q.staff_view))
        blocks.append(_block("dq-senior-staff", "Senior vs staff perspective", body, size))
    if q.follow_ups:
        items = []
        for f in q.follow_ups:
            answer = f"\n<div class=dq-chain-answer>{_md(f.answer)}</div>" if f.answer else ""
            items.append(f"<li><div class=dq-chain-question>{_md(f.question)}</div>{answer}</li>")
        body = "<ol class=dq-chain>\n" + "\n".join(items) + "\n</ol>"
        label = f"Follow-up chain ({len(q.follow_ups)})"
        blocks.append(_block("dq-follow-ups", label, body, 0, fold=True))
    for part in q.parts:
        blocks.append(_block("dq-part", part.label, _md(part.text), len(part.text)))
    return "\n".join(blocks)


def _answer(q: Question) -> str:
    steps = _block("dq-steps", "Steps", _md(q.steps), len(q.steps)) if q.steps else ""
    return "\n".join(x for x in (steps, _md(q.answer)) if x)


def _prompt(q: Question) -> str:
    if not q.prompt:
        return ""
    label = _PROMPT_LABELS.get(q.kind, "Prompt")
    return f"<div class=dq-label>{_esc(label)}</div>\n{_md(q.prompt)}"


def _context(q: Question, section_title: str, extra: str = "") -> str:
    bits = [section_title, q.level.value.capitalize(), _KIND_LABELS[q.kind]]
    if extra:
        bits.append(extra)
    return " · ".join(_esc(b) for b in bits)


def _source(library: Library, q: Question) -> str:
    title = _esc(library.metadata.title)
    url = library.metadata.source_url
    where = (
        f'<a href="{_esc(url)}">{title}</a>'
        if url and re.match(r"https?://[^\s\"'<>]+$", url)
        else title
    )
    return f"{where} · <span class=dq-id>{_esc(q.id)}</span>"


def _banner(library: Library, entry: LockEntry) -> str:
    if entry.retired is None:
        return ""
    day = time.strftime("%Y-%m-%d", time.gmtime(entry.retired))
    return (
        f"<strong>Retired</strong> — this question left <em>{_esc(library.metadata.title)}</em> "
        f"on {day}. Suspend or delete this card: new releases no longer update it."
    )


# --- building --------------------------------------------------------------------------------


class _Note(genanki.Note):  # type: ignore[misc]
    """A genanki note whose ``mod`` (and its cards') comes from the lock, not the build time."""

    def __init__(self, *, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


@dataclass(frozen=True)
class _Item:
    """A question to put in the deck, with its lock entry and its deck."""

    question: Question
    entry: LockEntry
    deck: str
    section_title: str


def _deck_id(name: str) -> int:
    digest = hashlib.sha256(f"dockerqa deck {name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4]) % (1 << 30)


class AnkiExporter(Exporter):
    """An Anki package: question, follow-up and red-flag cards, updatable in place."""

    name = "anki"
    description = "an Anki deck (.apkg) that updates in place and keeps review history"
    suffix = ".apkg"
    default_filename = "dockerqa.apkg"
    options = frozenset({"cards", "lock"})

    def __init__(
        self,
        *,
        cards: Iterable[str] | str | None = None,
        lock: Lock | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        if cards is None:
            chosen: tuple[str, ...] = CARD_TYPES
        else:
            items = cards.split(",") if isinstance(cards, str) else list(cards)
            chosen = tuple(c.strip() for c in items if c.strip())
            bad = [c for c in chosen if c not in CARD_TYPES]
            if bad or not chosen:
                raise ExportError(
                    f"unknown card type {', '.join(map(repr, bad)) or 'none chosen'} "
                    f"(choose from {', '.join(CARD_TYPES)})"
                )
        if lock is not None and not isinstance(lock, Lock):
            raise ExportError(
                f"the anki exporter's lock must be a dockerqa.lock.Lock, not {lock!r}"
            )
        self.cards = frozenset(chosen)
        self.lock = lock

    # The deck, step by step ------------------------------------------------------------------

    def _lock_for(self, library: Library) -> Lock:
        if self.lock is not None:
            return self.lock
        sde = source_date_epoch()
        return build_lock(library, now=sde if sde is not None else FIXED_EPOCH)

    def _items(self, library: Library, lock: Lock) -> Iterator[_Item]:
        """Questions in deck order: each section's questions, then its retired ones."""
        present = {q.id for q in library}
        active_by_section: dict[str, list[str]] = {}
        for e in lock.active:
            active_by_section.setdefault(e.section, []).append(e.id)
        complete = {
            s.id
            for s in library.sections
            if all(i in present for i in active_by_section.get(s.id, []))
        }
        whole = all(e.id in present for e in lock.active)
        retired = [
            e
            for e in lock.retired
            if e.section in complete or (whole and lock.section_position(e.section) is None)
        ]

        for section in library.sections:
            name = deck_name(library, section, lock)
            for q in library.in_section(section.id):
                entry = lock.entry(q.id)
                assert entry is not None  # guaranteed by check()
                yield _Item(q, entry, name, section.title)
            for e in retired:
                if e.section == section.id:
                    yield _Item(e.question(library.metadata.source_file), e, name, section.title)
        for e in retired:
            if e.section not in {s.id for s in library.sections}:
                title = next((s.title for s in lock.sections if s.id == e.section), e.section)
                root = deck_part(library.metadata.title)
                yield _Item(e.question(library.metadata.source_file), e, root, title)

    def _notes(self, library: Library, item: _Item, models: tuple[Any, Any, Any]) -> Iterator[Any]:
        q, entry = item.question, item.entry
        question_model, follow_up_model, red_flag_model = models
        retired = entry.retired is not None
        banner = _banner(library, entry)
        source = _source(library, q)
        title = render_inline(q.title)
        if "main" in self.cards:
            yield _Note(
                mod=entry.mod,
                model=question_model,
                guid=genanki.guid_for(GUID_NAMESPACE, q.id),
                tags=card_tags(q, "main", retired=retired),
                fields=[
                    _esc(q.id),
                    _context(q, item.section_title),
                    title,
                    _prompt(q),
                    _answer(q),
                    _details(q),
                    source,
                    banner,
                    "",
                ],
            )
        if "follow-ups" in self.cards:
            total = len(q.follow_ups)
            for n, f in enumerate(q.follow_ups, 1):
                if not f.answer:
                    continue
                parent = f"<div class=dq-parent>{title}</div>"
                if q.prompt:
                    parent += _block(
                        "dq-parent-prompt",
                        _PROMPT_LABELS.get(q.kind, "Prompt"),
                        _md(q.prompt),
                        0,
                        fold=True,
                    )
                context = _context(q, item.section_title, f"follow-up {n} of {total}")
                yield _Note(
                    mod=entry.mod,
                    model=follow_up_model,
                    guid=genanki.guid_for(GUID_NAMESPACE, q.id, "follow-up", n),
                    tags=card_tags(q, "follow-up", retired=retired),
                    fields=[
                        _esc(f"{q.id}#follow-up-{n}"),
                        f"{context}\n{parent}",
                        _md(f.question),
                        _md(f.answer),
                        source,
                        banner,
                        "",
                    ],
                )
        if "red-flags" in self.cards and q.red_flag:
            yield _Note(
                mod=entry.mod,
                model=red_flag_model,
                guid=genanki.guid_for(GUID_NAMESPACE, q.id, "red-flag"),
                tags=card_tags(q, "red-flag", retired=retired),
                fields=[
                    _esc(f"{q.id}#red-flag"),
                    _context(q, item.section_title),
                    title,
                    _md(q.red_flag),
                    source,
                    banner,
                    "",
                ],
            )

    def build(self, library: Library) -> bytes:
        """The ``.apkg`` bytes for ``library`` (deterministic for a given library and lock)."""
        lock = self._lock_for(library)
        library = apply_renames(library, lock)
        check(library, lock)
        models = _models()
        root_name = deck_part(library.metadata.title)
        root = genanki.Deck(ROOT_DECK_ID, root_name, _esc(library.metadata.provenance or ""))
        decks: dict[str, Any] = {root_name: root}
        due = itertools.count(1)
        for item in self._items(library, lock):
            if item.deck not in decks:
                decks[item.deck] = genanki.Deck(_deck_id(item.deck), item.deck)
            for note in self._notes(library, item, models):
                note.due = next(due)
                decks[item.deck].add_note(note)
        if next(due) == 1:
            raise ExportError("nothing to export: no card of the chosen types")
        timestamp = lock.note_type.changed
        return _apkg(genanki.Package(list(decks.values())), timestamp)

    def export(self, library: Library, destination: Path) -> Path:
        """Write the deck to ``destination`` atomically and return it."""
        data = self.build(library)
        with atomic_output(destination) as fh:
            fh.write(data)
        return destination


def _apkg(package: Any, timestamp: int) -> bytes:
    """The package as a zip with fixed dates, modes and entry order."""
    conn = sqlite3.connect(":memory:")
    try:
        cursor = conn.cursor()
        package.write_to_db(cursor, timestamp, itertools.count(timestamp * 1000))
        conn.commit()
        database = conn.serialize()
    finally:
        conn.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in (("collection.anki2", database), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data, compresslevel=6)
    return out.getvalue()
