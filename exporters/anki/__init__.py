"""Anki: a ``.apkg`` deck that updates in place and never loses a learner's work.

Deck layout
    One root deck named by ``library.metadata.title`` and one subdeck per section, numbered
    by the section's position in the source (from the lock, so filtered exports use the same
    names): ``Docker Interview Questions::01 Fundamentals & Architecture``. Anki matches decks
    by name; an import never moves existing cards.

One note per question, sibling cards
    Each question is one note of the note type ``dockerqa Question``, which generates up to
    ten sibling cards from conditional templates: the question card, one card per answered
    follow-up (slots 1–8, kept by the lock, so inserting or reordering follow-ups never moves a
    learner's history onto another follow-up's card) and a red-flag card. Anki buries siblings
    together and a learner suspends or deletes a question as one unit. A sibling's answer is
    never on another card: where follow-up or red-flag cards exist, the question's back lists
    the follow-up questions only and leaves the red flag to its own card. A red-flag card's
    front is its question card's front (``Prompt``) with `RED_FLAG_ASK` under it.

Table-row cards (opt-in: ``cards`` includes ``table-row``)
    One note of the note type ``dockerqa Table row`` per row of a comparison table in a
    question's answer (`dockerqa.tables`): "Boot time: Virtual Machine vs Container?", answered
    by the row's cells under their column names. A note type of its own, so the question notes
    and their note type are untouched whether these cards are chosen or not: importing them is
    additive (a new note type, new notes), with Anki's default options.

Tags (hierarchical, on every note)
    ``dockerqa::level::<level>``, ``dockerqa::section::<section id>``, ``dockerqa::kind::<kind>``,
    ``dockerqa::type::main`` (``dockerqa::type::table-row`` on table-row notes),
    ``dockerqa::topic::<tag>`` per topic tag, and ``dockerqa::retired`` on notes of questions
    that left the source.

The note type — its ID hard-coded forever, its fields frozen
    Anki matches note types by ID; any change to the field or template list makes it create a
    copy and leave existing notes unchanged unless the learner ticks "Merge note types". The
    lists below were published with dockerqa 0.2 (the one change since 0.1, which had three
    note types); never add, remove, rename or reorder a field or template. CSS and template
    HTML may change (this exporter's state in the lock gives the note type a newer ``mod``).

    ``dockerqa Table row`` (ID 1786019412), fields: Front, Back, Context, Parent, Question id,
    Source, Banner; template: Table row. ``Front`` the row's question (feature: the compared
    columns), ``Back`` each compared column's cell under its name, ``Parent`` the question's
    title, ``Question id`` its id; the others as below.

    ``dockerqa Question`` (ID 1773346606), fields: Id, Context, Title, Prompt, Answer,
    Details, Source, Banner, Chain, RedFlag, then FollowUp1, FollowUp1Answer … FollowUp8,
    FollowUp8Answer. Templates: Card (the question), Follow-up 1 … Follow-up 8, Red flag.
    Anki's "Merge note types" joins fields and templates by name, so 0.1's names are kept
    where their place is the same (``Card``, ``Prompt``, ``Details``) and an upgraded note
    type gains the new ones without a second question card.

    ``Id`` the question id; ``Context`` section, level and kind; ``Title`` the question title;
    ``Prompt`` what the card asks (`dockerqa.study.ask`: the front written for it in the
    page's metadata, else a short question from the title), with a scenario's or work sample's
    prompt (a question's own prompt shows there only without a written front, else it folds);
    ``Answer`` what the back shows first (`dockerqa.study.study_back`: the substance, list
    heads, the key points of what folds; a code-only answer's written lead; without an answer,
    the strong answer's); ``Details`` the rest, every part folded in ``<details>`` under its
    label; ``Chain`` the follow-up chain, folded; ``RedFlag``
    the red flag (filled only when red-flag cards are chosen); ``Source`` where the question
    comes from; ``Banner`` the retirement notice; ``FollowUpN``/``FollowUpNAnswer`` the
    follow-up in slot N (filled only for answered follow-ups when follow-up cards are chosen).
    0.1's ``Extra`` field is gone: Anki overwrites every field of a note whose source changed,
    so a field "for the learner" could not keep their text (an upgraded collection keeps the
    empty field; no template shows it).

Identity
    GUIDs come from the page key and the question id only: ``guid_for(key, id)``; deck ids
    from the page key and the deck name. Two pages (different keys) never share a note or a
    deck; the bundled corpus's key ``dockerqa`` keeps the GUIDs of earlier releases. A
    table-row note's GUID is ``guid_for(key, id, "row", row key)``: the row key is its
    feature's slug (`dockerqa.tables.TableRow.key`), or the key the lock keeps for a row whose
    feature was reworded (`dockerqa.lock.LockEntry.row_key`), so a row keeps its note when its
    cells or its feature are reworded or it moves, and with the question when the lock keeps
    its id.

Update rule
    Every note's ``mod`` is the later of the lock's time for its question (when its content
    last changed, or when it was retired) and the time this exporter's field layout last
    changed (its state in the lock); the note type's ``mod`` is when its CSS or templates last
    changed (the table-row note type's, the later of that and
    `notetypes.ROW_NOTE_TYPE_CHANGED`; a table-row note carries its question's ``mod``).
    Re-importing an unchanged question leaves the learner's copy alone; a changed one
    is newer, so Anki's default "update if newer" import updates it. Review history stays with
    the cards either way.

Retirement
    A question that left the source stays in the deck from its lock snapshot, tagged
    ``dockerqa::retired`` and with a banner, in exports that include its whole section.

Safety and reproducibility
    Fields hold only `dockerqa.render` output and this module's own HTML, with every text from
    the source escaped; templates have no JavaScript. The collection is built with genanki in
    memory and zipped by `_apkg` with fixed entry dates, modes and order: the same library, lock and
    state give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import genanki

from dockerqa.errors import ExportError
from dockerqa.exporting import ExportContext, Exporter, Option
from dockerqa.identity import check
from dockerqa.lock import Lock, LockEntry
from dockerqa.model import CARD_TYPES, PARTS, PARTS_BY_NAME, Library, Question
from dockerqa.render import escape_text, render_inline, render_markdown
from dockerqa.study import (
    KEY_POINTS_LABEL,
    REST_LABEL,
    Back,
    inline_steps_as_list,
    study_back,
)
from dockerqa.tables import TableRow, table_rows

from .._flashcards import (
    RED_FLAG_ASK,
    card_tags,
    deck_name,
    deck_part,
    front_question,
    prompt_on_front,
)
from ._apkg import _Note, apkg_bytes
from .notetypes import (
    CARD_CSS,
    CARD_GATES,
    FIELDS,
    FIELDS_VERSION,
    FOLLOW_UP_SLOTS,
    NOTE_TYPE_NAME,
    QUESTION_MODEL_ID,
    ROW_CARD,
    ROW_FIELDS,
    ROW_MODEL_ID,
    ROW_NOTE_TYPE_NAME,
    AnkiState,
    _after,
    _FieldsState,
    _note_type,
    _NoteTypeState,
    _read_state,
    _row_note_type,
    note_type_fingerprint,
)

__all__ = [
    "BACK_PARTS",
    "CARD_CSS",
    "CARD_GATES",
    "FIELDS",
    "FIELDS_VERSION",
    "FOLLOW_UP_SLOTS",
    "NOTE_TYPE_NAME",
    "QUESTION_MODEL_ID",
    "RED_FLAG_ASK",
    "ROW_CARD",
    "ROW_FIELDS",
    "ROW_MODEL_ID",
    "ROW_NOTE_TYPE_NAME",
    "TABLE_ROW",
    "AnkiExporter",
    "AnkiState",
    "note_type_fingerprint",
]

#: The opt-in card type: one card per comparison-table row (not in the default ``cards``).
TABLE_ROW = "table-row"
#: Parts of a question's back that can be chosen with ``back`` (all by default).
BACK_PARTS = ("answer", "intent", "weak-strong", "senior-staff", "follow-ups", "red-flag", "other")


# --- fields ----------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return escape_text(text)  # Anki's own markup ([sound:…], [latex]…) stays text too


def _md(text: str | None) -> str:
    return _unbroken_code(render_markdown(text)) if text else ""


#: Inline code (not a code block's ``<pre><code>``) with no markup inside.
_INLINE_CODE = re.compile(r"(?<!<pre>)<code>([^<]*)</code>")
#: A run of inline code a browser may break inside (at ``-``, ``/``…), short enough to keep.
_BREAKABLE_RUN = re.compile(r"[^\s<>]*[^\w\s<>][^\s<>]*")
#: Longer runs may break: kept whole they would run off a phone's screen.
UNBROKEN_CODE_CHARS = 40
#: Where a longer run may wrap: after ``/``, ``,`` or ``=`` (a path, an option's value), and
#: after ``-`` or ``.`` between two letters or digits (``x86_64-linux``, ``ghcr.io``).
_CODE_BREAK = re.compile(r"(?<=[/,=])|(?<=\w[-.])(?=\w)")


def _unbroken_code(html_: str) -> str:
    """Inline code keeps each of its words whole (``--cpus``, ``distroless/static`` never
    split across lines): every short run that holds a break opportunity is kept together, and
    a longer one (a path) may wrap only at `_CODE_BREAK`, its pieces kept together."""

    def whole(text: str) -> str:
        if not 1 < len(html.unescape(text)) <= UNBROKEN_CODE_CHARS:
            return text
        return f"<span class=dq-nobr>{text}</span>"

    def run(m: re.Match[str]) -> str:
        text = m.group(0)
        if len(html.unescape(text)) <= UNBROKEN_CODE_CHARS:
            return whole(text)
        return "<wbr>".join(whole(piece) for piece in _CODE_BREAK.split(text) if piece)

    return _INLINE_CODE.sub(lambda m: f"<code>{_BREAKABLE_RUN.sub(run, m.group(1))}</code>", html_)


def _fold(css: str, label: str, body_html: str) -> str:
    """A labelled block folded into ``<details>``."""
    return (
        f'<details class="dq-block {css}"><summary class=dq-label>{_esc(label)}</summary>\n'
        f"{body_html}\n</details>"
    )


def _shown_block(css: str, label: str, body_html: str) -> str:
    """A labelled block shown as it is (a part the parts table does not fold)."""
    return (
        f'<div class="dq-block {css}"><div class=dq-label>{_esc(label)}</div>\n{body_html}\n</div>'
    )


def _pair(first: tuple[str, str | None], second: tuple[str, str | None]) -> str:
    """Two labelled halves of one block (weak vs strong, senior vs staff)."""
    return "\n".join(
        f"<div class=dq-label>{_esc(label)}</div>\n{_md(text)}"
        for label, text in (first, second)
        if text
    )


@dataclass(frozen=True)
class _Choice:
    """What goes on the cards (the exporter's ``cards`` and ``back`` options)."""

    cards: frozenset[str]
    back: frozenset[str]


def _front(q: Question, section_title: str) -> str:
    asked = front_question(q, section_title)
    # without a question of its own, the title heads the prompt, which is the question
    html_ = f"<p>{render_inline(q.title)}</p>" if asked is None else render_markdown(asked)
    if prompt_on_front(q):
        label = f"<div class=dq-label>{_esc(q.kind.prompt_label)}</div>"
        html_ += f"\n<div class=dq-prompt>{label}\n{_md(q.prompt)}</div>"
    return html_


def _shown(back: Back, lead: str | None = None) -> str:
    """What shows of an answer: its lead sentence (a code-only answer's), its substance, and
    the key points of what folds."""
    html_ = f"<div class=dq-lead>{_md(lead)}</div>\n" if lead and back.core else ""
    html_ += _md(back.core)
    if back.key_points:
        points = _md("\n".join(f"* {p}" for p in back.key_points))
        label = f"<div class=dq-label>{KEY_POINTS_LABEL}</div>"
        html_ += f"\n<div class=dq-key-points>{label}\n{points}</div>"
    return html_


#: Which ``back`` option shows a part (`dockerqa.model.PARTS`); a part not named is "other".
_BACK_OPTION = {
    "prompt": "answer",
    "steps": "answer",
    "answer": "answer",
    "example": "answer",
    "interviewer_intent": "intent",
    "red_flag": "red-flag",
    "weak_answer": "weak-strong",
    "strong_answer": "weak-strong",
    "senior_view": "senior-staff",
    "staff_view": "senior-staff",
    "follow_ups": "follow-ups",
}
#: Parts folded together under one label, as (first, second): the second has no fold of its own.
_PAIRS = {
    "weak_answer": ("strong_answer", "dq-weak-strong", "Weak vs strong answers"),
    "senior_view": ("staff_view", "dq-senior-staff", "Senior vs staff perspective"),
}
_SECONDS = frozenset(second for second, _, _ in _PAIRS.values())


def _answer_and_more(q: Question, choice: _Choice) -> tuple[str, str]:
    """The answer's substance (shown) and every other chosen part under its label, in the
    order of `dockerqa.model.PARTS`, folded where the table says (`dockerqa.study.study_back`
    decides what of the answer shows)."""
    back = study_back(q.answer) if "answer" in choice.back else Back("", (), "")
    core_html = _shown(back, q.front.lead if q.front is not None else None)
    first: list[str] = []  # folds that go before all others
    blocks: list[str] = []
    for spec in PARTS:
        name = spec.name
        if _BACK_OPTION.get(name, "other") not in choice.back or name in _SECONDS:
            continue
        text = getattr(q, name)
        if name == "follow_ups":
            continue  # a field of its own (`_chain`)
        if name == "prompt":
            if text and not prompt_on_front(q):
                blocks.append(_fold("dq-prompt-block", q.kind.prompt_label, _md(text)))
        elif name == "answer":
            if back.rest:
                blocks.append(_fold("dq-rest", REST_LABEL, _md(back.rest)))
        elif name == "red_flag":
            if text and "red-flag" not in choice.cards:
                blocks.append(_fold("dq-red-flag-block", spec.label, _md(text)))
        elif name == "weak_answer" and not q.answer and (q.weak_answer or q.strong_answer):
            # Without an answer of its own, the strong answer is the answer: its substance
            # shows first, the rest of it and the weak answer fold before all else.
            strong = study_back(q.strong_answer)
            if strong.core:
                core_html = _shown(strong)  # the front asks for it: no label needed
            if strong.rest:
                first.append(_fold("dq-rest", "Rest of the strong answer", _md(strong.rest)))
            if q.weak_answer:
                first.append(_fold("dq-weak", spec.label, _md(q.weak_answer)))
        elif name in _PAIRS:
            other, css, label = _PAIRS[name]
            if text or getattr(q, other):
                pair = ((spec.label, text), (PARTS_BY_NAME[other].label, getattr(q, other)))
                blocks.append(_fold(css, label, _pair(*pair)))
        elif text:
            block = _fold if spec.folds else _shown_block
            blocks.append(block(f"dq-{spec.css_class}", spec.label, _md(text)))
    if "other" in choice.back:
        blocks += [_fold("dq-part", p.label, _md(p.text)) for p in q.parts]
    return core_html, "\n".join([*first, *blocks])


def _chain(q: Question, choice: _Choice, carded: set[int]) -> str:
    """The follow-up chain, folded: questions only where a follow-up has its own card."""
    if "follow-ups" not in choice.back or not q.follow_ups:
        return ""
    items = []
    for i, f in enumerate(q.follow_ups):
        answer = ""
        if f.answer and i not in carded:
            answer = f"\n<div class=dq-chain-answer>{_md(inline_steps_as_list(f.answer))}</div>"
        items.append(f"<li><div class=dq-chain-question>{_md(f.question)}</div>{answer}</li>")
    body = "<ol class=dq-chain>\n" + "\n".join(items) + "\n</ol>"
    label = PARTS_BY_NAME["follow_ups"].label
    return _fold("dq-follow-ups", f"{label} ({len(q.follow_ups)})", body)


def _context(q: Question, section_title: str) -> str:
    return " · ".join(_esc(b) for b in (section_title, q.level.value.capitalize(), q.kind.label))


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


def _row_fields(library: Library, item: _Item, row: TableRow) -> list[str]:
    """A table-row note's fields (`ROW_FIELDS`)."""
    q = item.question

    def inline(text: str) -> str:
        return _unbroken_code(render_inline(text))

    front = f"{inline(row.feature)}: {' vs '.join(inline(c) for c in row.compared)}?"
    back = "\n".join(
        f"<div class=dq-row-cell><div class=dq-label>{inline(name)}</div>"
        f"{inline(cell) if cell else '—'}</div>"
        for name, cell in zip(row.compared, row.cells, strict=False)
    )
    return [
        front,
        back,
        _context(q, item.section_title),
        render_inline(q.title),
        _esc(q.id),
        _source(library, q),
        _banner(library, item.entry),
    ]


# --- building --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """A question to put in the deck, with its lock entry and its deck."""

    question: Question
    entry: LockEntry
    deck: str
    section_title: str


def _deck_id(key: str, name: str) -> int:
    digest = hashlib.sha256(f"{key} deck {name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4]) % (1 << 30)


def _items(library: Library, lock: Lock) -> Iterator[_Item]:
    """Questions in deck order: each section's questions, then its retired ones."""
    present = {q.id for q in library}
    active_by_section: dict[str, list[str]] = {}
    for e in lock.active:
        active_by_section.setdefault(e.section, []).append(e.id)
    complete = {
        s.id for s in library.sections if all(i in present for i in active_by_section.get(s.id, []))
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
    section_ids = {s.id for s in library.sections}
    for e in retired:
        if e.section not in section_ids:
            title = next((s.title for s in lock.sections if s.id == e.section), e.section)
            root = deck_part(library.metadata.title)
            yield _Item(e.question(library.metadata.source_file), e, root, title)


class AnkiExporter(Exporter):
    """An Anki package: one note per question with question, follow-up and red-flag cards."""

    name = "anki"
    description = "an Anki deck (.apkg) that updates in place and keeps review history"
    default_filename = "{key}.apkg"
    needs_lock = True
    binary = True
    options = (
        Option(
            "cards",
            "Card types to generate, comma-separated; table-row (a card per row of a "
            "comparison table) is off unless named.",
            choices=(*CARD_TYPES, TABLE_ROW),
            multiple=True,
            default=tuple(CARD_TYPES),
        ),
        Option(
            "back",
            "Parts shown on the question's back, comma-separated.",
            choices=BACK_PARTS,
            multiple=True,
            default=BACK_PARTS,
        ),
    )

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.choice = _Choice(frozenset(self.settings["cards"]), frozenset(self.settings["back"]))

    def next_state(self, previous: Mapping[str, Any] | None, now: int) -> dict[str, Any]:
        """Note-type and field-layout versions with the times they last changed."""
        old = _read_state(previous)
        fp = note_type_fingerprint()
        note_types = old.note_types if old is not None else None
        if note_types is None or note_types.fingerprint != fp:
            note_types = _NoteTypeState(fingerprint=fp, changed=_after(note_types, now))
        fields = old.fields if old is not None else None
        if fields is None or fields.version != FIELDS_VERSION:
            fields = _FieldsState(version=FIELDS_VERSION, changed=_after(fields, now))
        state = AnkiState(note_types=note_types, fields=fields).model_dump(mode="json")
        return dict(previous) if previous is not None and state == dict(previous) else state

    def _fields(self, library: Library, item: _Item) -> list[str] | None:
        """The note's fields, or None when the chosen card types give it no card."""
        q, entry, choice = item.question, item.entry, self.choice
        slots = entry.slot_of(q)
        carded: set[int] = set()
        follow_ups = [""] * (2 * FOLLOW_UP_SLOTS)
        if "follow-up" in choice.cards:
            for i, (f, slot) in enumerate(zip(q.follow_ups, slots, strict=True)):
                if f.answer and slot is not None and slot <= FOLLOW_UP_SLOTS:
                    follow_ups[2 * slot - 2] = _md(f.question)
                    follow_ups[2 * slot - 1] = _md(inline_steps_as_list(f.answer))
                    carded.add(i)
        red_flag = _md(q.red_flag) if "red-flag" in choice.cards and q.red_flag else ""
        front = _front(q, item.section_title) if "main" in choice.cards else ""
        if not (front or red_flag or carded):
            return None
        answer, more = _answer_and_more(q, choice)
        fields = [
            _esc(q.id),
            _context(q, item.section_title),
            render_inline(q.title),
            front,
            answer,
            more,
            _source(library, q),
            _banner(library, entry),
            _chain(q, choice, carded),
            red_flag,
            *follow_ups,
        ]
        return fields

    def build(self, library: Library, context: ExportContext) -> bytes:
        """The ``.apkg`` bytes (deterministic for a given library, lock and state)."""
        lock = context.lock
        if lock is None:
            raise ExportError(
                "the anki exporter needs the page's lock (export with dockerqa.export)"
            )
        check(library, lock)
        state = _read_state(context.state) or AnkiState.model_validate(self.next_state(None, 0))
        floor = state.fields.changed if state.fields is not None else 0
        model = _note_type()
        rows = TABLE_ROW in self.choice.cards
        root_name = deck_part(library.metadata.title)
        decks: dict[str, Any] = {
            root_name: genanki.Deck(
                _deck_id(context.key, root_name), root_name, _esc(library.metadata.provenance or "")
            )
        }
        due = itertools.count(1)
        for item in _items(library, lock):
            fields = self._fields(library, item)
            row_notes = table_rows(item.question) if rows else ()
            if fields is None and not row_notes:
                continue
            if item.deck not in decks:
                decks[item.deck] = genanki.Deck(_deck_id(context.key, item.deck), item.deck)
            retired = item.entry.retired is not None
            if fields is not None:
                note = _Note(
                    mod=max(item.entry.mod, floor),
                    model=model,
                    guid=genanki.guid_for(context.key, item.question.id),
                    tags=card_tags(item.question, "main", retired=retired),
                    fields=fields,
                )
                note.due = next(due)
                decks[item.deck].add_note(note)
            for row in row_notes:
                note = _Note(
                    mod=max(item.entry.mod, floor),
                    model=_row_note_type(),
                    guid=genanki.guid_for(
                        context.key, item.question.id, "row", item.entry.row_key(row.key)
                    ),
                    tags=card_tags(item.question, TABLE_ROW, retired=retired),
                    fields=_row_fields(library, item, row),
                )
                note.due = next(due)
                decks[item.deck].add_note(note)
        if next(due) == 1:
            raise ExportError("nothing to export: no card of the chosen types")
        return apkg_bytes(genanki.Package(list(decks.values())), state.note_types.changed)
