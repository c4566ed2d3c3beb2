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
    the follow-up questions only and leaves the red flag to its own card.

Tags (hierarchical, on every note)
    ``dockerqa::level::<level>``, ``dockerqa::section::<section id>``, ``dockerqa::kind::<kind>``,
    ``dockerqa::type::main``, ``dockerqa::topic::<tag>`` per topic tag, and ``dockerqa::retired``
    on notes of questions that left the source.

The note type — its ID hard-coded forever, its fields frozen
    Anki matches note types by ID; any change to the field or template list makes it create a
    copy and leave existing notes unchanged unless the learner ticks "Merge note types". The
    lists below were published with dockerqa 0.2 (the one change since 0.1, which had three
    note types); never add, remove, rename or reorder a field or template. CSS and template
    HTML may change (this exporter's state in the lock gives the note type a newer ``mod``).

    ``dockerqa Question`` (ID 1773346606), fields: Id, Context, Title, Prompt, Answer,
    Details, Source, Banner, Chain, RedFlag, then FollowUp1, FollowUp1Answer … FollowUp8,
    FollowUp8Answer. Templates: Card (the question), Follow-up 1 … Follow-up 8, Red flag.
    Anki's "Merge note types" joins fields and templates by name, so 0.1's names are kept
    where their place is the same (``Card``, ``Prompt``, ``Details``) and an upgraded note
    type gains the new ones without a second question card.

    ``Id`` the question id; ``Context`` section, level and kind; ``Title`` the question title;
    ``Prompt`` what the card asks (`dockerqa.study.ask`) with the scenario or prompt;
    ``Answer`` the answer's core (`dockerqa.study.split_core`; without an answer, the weak
    answer and the strong answer's core); ``Details`` the rest, every part
    folded in ``<details>`` under its label; ``Chain`` the follow-up chain, folded; ``RedFlag``
    the red flag (filled only when red-flag cards are chosen); ``Source`` where the question
    comes from; ``Banner`` the retirement notice; ``FollowUpN``/``FollowUpNAnswer`` the
    follow-up in slot N (filled only for answered follow-ups when follow-up cards are chosen).
    0.1's ``Extra`` field is gone: Anki overwrites every field of a note whose source changed,
    so a field "for the learner" could not keep their text (an upgraded collection keeps the
    empty field; no template shows it).

Identity
    GUIDs come from the page key and the question id only: ``guid_for(key, id)``; deck ids
    from the page key and the deck name. Two pages (different keys) never share a note or a
    deck; the bundled corpus's key ``dockerqa`` keeps the GUIDs of earlier releases.

Update rule
    Every note's ``mod`` is the later of the lock's time for its question (when its content
    last changed, or when it was retired) and the time this exporter's field layout last
    changed (its state in the lock); the note type's ``mod`` is when its CSS or templates last
    changed. Re-importing an unchanged question leaves the learner's copy alone; a changed one
    is newer, so Anki's default "update if newer" import updates it. Review history stays with
    the cards either way.

Retirement
    A question that left the source stays in the deck from its lock snapshot, tagged
    ``dockerqa::retired`` and with a banner, in exports that include its whole section.

Safety and reproducibility
    Fields hold only `dockerqa.render` output and this module's own HTML, with every text from
    the source escaped; templates have no JavaScript. The collection is built with genanki in
    memory and zipped here with fixed entry dates, modes and order: the same library, lock and
    state give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import genanki
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dockerqa.errors import ExportError, LockError
from dockerqa.exporting import ExportContext, Exporter, Option
from dockerqa.identity import check
from dockerqa.lock import MAX_TIME, SLOT_LIMIT, Lock, LockEntry
from dockerqa.model import CARD_TYPES, FIELD_LABELS, Library, Question
from dockerqa.render import BASE_CSS, escape_text, pygments_css, render_inline, render_markdown
from dockerqa.study import ask, split_core

from ._flashcards import card_tags, deck_name, deck_part

#: The note type's id: hard-coded forever (Anki matches note types by id).
QUESTION_MODEL_ID = 1773346606
NOTE_TYPE_NAME = "dockerqa Question"
#: Follow-up slots with a card template of their own.
FOLLOW_UP_SLOTS = SLOT_LIMIT
#: The note type's fields, frozen since 0.2 (see the module docstring).
FIELDS: tuple[str, ...] = (
    "Id", "Context", "Title", "Prompt", "Answer", "Details", "Source", "Banner", "Chain", "RedFlag",
    *itertools.chain.from_iterable(
        (f"FollowUp{n}", f"FollowUp{n}Answer") for n in range(1, FOLLOW_UP_SLOTS + 1)
    ),
)  # fmt: skip
#: Version of how fields are filled: raise it when the same question gives other field HTML
#: on purpose, so every note gets a newer ``mod`` and existing learners receive the change.
FIELDS_VERSION = 2
#: Parts of a question's back that can be chosen with ``back`` (all by default).
BACK_PARTS = ("answer", "intent", "weak-strong", "senior-staff", "follow-ups", "red-flag", "other")

# --- note type --------------------------------------------------------------------------------

_BANNER = "{{#Banner}}<div class=dq-banner>{{Banner}}</div>{{/Banner}}"
_SOURCE = "<div class=dq-source>{{Source}}</div>"

_QUESTION_FRONT = f"""{{{{#Prompt}}}}<div class="dq dq-front">
{_BANNER}
<div class=dq-context>{{{{Context}}}}</div>
<div class=dq-front-ask>{{{{Prompt}}}}</div>
</div>{{{{/Prompt}}}}"""
_QUESTION_BACK = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
{{{{#Answer}}}}<div class=dq-answer>{{{{Answer}}}}</div>{{{{/Answer}}}}
{{{{#Details}}}}<div class=dq-details>{{{{Details}}}}</div>{{{{/Details}}}}
{{{{#Chain}}}}<div class=dq-details>{{{{Chain}}}}</div>{{{{/Chain}}}}
{_SOURCE}
</div>"""


def _follow_up_templates(n: int) -> dict[str, str]:
    q, a = f"FollowUp{n}", f"FollowUp{n}Answer"
    front = f"""{{{{#{q}}}}}<div class="dq dq-front">
{_BANNER}
<div class=dq-context>{{{{Context}}}} · {CARD_TYPES["follow-up"]} {n}</div>
<div class=dq-parent>{{{{Title}}}}</div>
<div class=dq-ask>{CARD_TYPES["follow-up"]}</div>
<div class=dq-follow-up>{{{{{q}}}}}</div>
</div>{{{{/{q}}}}}"""
    back = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
<div class=dq-answer>{{{{{a}}}}}</div>
{_SOURCE}
</div>"""
    return {"name": f"{CARD_TYPES['follow-up']} {n}", "qfmt": front, "afmt": back}


_RED_FLAG_FRONT = f"""{{{{#RedFlag}}}}<div class="dq dq-front">
{_BANNER}
<div class=dq-context>{{{{Context}}}} · {CARD_TYPES["red-flag"]}</div>
<div class=dq-ask>Which answer to this question is a red flag, and why?</div>
<div class=dq-title>{{{{Title}}}}</div>
</div>{{{{/RedFlag}}}}"""
_RED_FLAG_BACK = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
<div class="dq-answer dq-red-flag">{{{{RedFlag}}}}</div>
{_SOURCE}
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
.dq-front-ask { font-size: 1.15em; font-weight: 600; line-height: 1.35; margin: 0.2em 0 0.6em; }
.dq-front-ask .dq-prompt { font-size: 0.87em; font-weight: 400; margin-top: 0.6em; }
.dq-answer > :first-child { margin-top: 0; }
hr#answer { border: 0; border-top: 1px solid var(--border); margin: 0.8em 0; }
@media (max-width: 480px) {
  .card { font-size: 16px; }
  .dq { padding: 0.5rem 0.6rem; }
  .dq-chain { padding-left: 1.1em; }
}
"""


def _templates() -> list[dict[str, str]]:
    return [
        # "Card" is the question card's template name since 0.1: Anki merges templates by name
        {"name": "Card", "qfmt": _QUESTION_FRONT, "afmt": _QUESTION_BACK},
        *(_follow_up_templates(n) for n in range(1, FOLLOW_UP_SLOTS + 1)),
        {"name": CARD_TYPES["red-flag"], "qfmt": _RED_FLAG_FRONT, "afmt": _RED_FLAG_BACK},
    ]


#: The field each template's front is wrapped in (``{{#Field}}…{{/Field}}``), in template
#: order: a note has that card when the field is filled.
CARD_GATES = ("Prompt", *(f"FollowUp{n}" for n in range(1, FOLLOW_UP_SLOTS + 1)), "RedFlag")


def _note_type_arguments() -> dict[str, Any]:
    return {
        "model_id": QUESTION_MODEL_ID,
        "name": NOTE_TYPE_NAME,
        "fields": [{"name": f} for f in FIELDS],
        "templates": _templates(),
        "css": f"{BASE_CSS}\n{pygments_css()}\n{CARD_CSS}",
        "sort_field_index": 0,
    }


@functools.cache
def _note_type() -> Any:
    model = genanki.Model(**_note_type_arguments())
    # genanki finds each template's required fields by rendering it once per field (a third of
    # its time here); they are the gates, known in advance (a test checks genanki agrees).
    model.__dict__["_req"] = [[i, "all", [FIELDS.index(g)]] for i, g in enumerate(CARD_GATES)]
    return model


@functools.cache
def note_type_fingerprint() -> str:
    """Fingerprint of the note type: name, fields, templates and CSS."""
    m = _note_type()
    definition = {
        "id": m.model_id,
        "name": m.name,
        "fields": m.fields,
        "templates": m.templates,
        "css": m.css,
    }
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- this exporter's state in the lock ------------------------------------------------------


class _Versioned(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    changed: int = Field(ge=0, le=MAX_TIME)
    """When it last changed (UTC seconds)."""


class _NoteTypeState(_Versioned):
    fingerprint: str
    """`note_type_fingerprint` when it was recorded."""


class _FieldsState(_Versioned):
    version: int
    """`FIELDS_VERSION` when it was recorded."""


class AnkiState(BaseModel):
    """What the Anki exporter keeps in the lock, under ``exporters.anki``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    note_types: _NoteTypeState
    """The note type's definition and the ``mod`` it carries."""
    fields: _FieldsState | None = None
    """How fields are filled, and the earliest ``mod`` every note carries."""


def _after(previous: _Versioned | None, now: int) -> int:
    """When something changes now: ``now``, but always later than its previous change."""
    return now if previous is None else max(now, previous.changed + 1)


# --- fields ----------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return escape_text(text)  # Anki's own markup ([sound:…], [latex]…) stays text too


def _md(text: str | None) -> str:
    return render_markdown(text) if text else ""


def _fold(css: str, label: str, body_html: str) -> str:
    """A labelled block folded into ``<details>``."""
    return (
        f'<details class="dq-block {css}"><summary class=dq-label>{_esc(label)}</summary>\n'
        f"{body_html}\n</details>"
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
    html_ = render_markdown(ask(q, section_title))
    if q.prompt:
        label = f"<div class=dq-label>{_esc(q.kind.prompt_label)}</div>"
        html_ += f"\n<div class=dq-prompt>{label}\n{_md(q.prompt)}</div>"
    return html_


def _answer_and_more(q: Question, choice: _Choice) -> tuple[str, str]:
    """The answer's core (shown) and every other chosen part, each folded under its label."""
    core, rest = split_core(q.answer) if "answer" in choice.back else ("", "")
    core_html = _md(core)
    blocks: list[str] = []
    if "answer" in choice.back:
        if q.steps:
            blocks.append(_fold("dq-steps", FIELD_LABELS["steps"], _md(q.steps)))
        if rest:
            blocks.append(_fold("dq-rest", "Rest of the answer", _md(rest)))
        if q.example:
            blocks.append(_fold("dq-example", FIELD_LABELS["example"], _md(q.example)))
    if "intent" in choice.back and q.interviewer_intent:
        blocks.append(
            _fold("dq-intent", FIELD_LABELS["interviewer_intent"], _md(q.interviewer_intent))
        )
    if "red-flag" in choice.back and q.red_flag and "red-flag" not in choice.cards:
        blocks.append(_fold("dq-red-flag-block", FIELD_LABELS["red_flag"], _md(q.red_flag)))
    if "weak-strong" in choice.back and (q.weak_answer or q.strong_answer):
        if not q.answer:
            # Without an answer of its own, weak vs strong is the answer: the weak answer and
            # the strong answer's core show, the rest of the strong answer folds first.
            strong, rest = split_core(q.strong_answer)
            core_html = _pair(
                (FIELD_LABELS["weak_answer"], q.weak_answer),
                (FIELD_LABELS["strong_answer"], strong),
            )
            if rest:
                blocks.insert(0, _fold("dq-rest", "Rest of the strong answer", _md(rest)))
        else:
            body = _pair(
                (FIELD_LABELS["weak_answer"], q.weak_answer),
                (FIELD_LABELS["strong_answer"], q.strong_answer),
            )
            blocks.append(_fold("dq-weak-strong", "Weak vs strong answers", body))
    if "senior-staff" in choice.back and (q.senior_view or q.staff_view):
        body = _pair(
            (FIELD_LABELS["senior_view"], q.senior_view), (FIELD_LABELS["staff_view"], q.staff_view)
        )
        blocks.append(_fold("dq-senior-staff", "Senior vs staff perspective", body))
    if "other" in choice.back:
        blocks += [_fold("dq-part", p.label, _md(p.text)) for p in q.parts]
    return core_html, "\n".join(blocks)


def _chain(q: Question, choice: _Choice, carded: set[int]) -> str:
    """The follow-up chain, folded: questions only where a follow-up has its own card."""
    if "follow-ups" not in choice.back or not q.follow_ups:
        return ""
    items = []
    for i, f in enumerate(q.follow_ups):
        answer = ""
        if f.answer and i not in carded:
            answer = f"\n<div class=dq-chain-answer>{_md(f.answer)}</div>"
        items.append(f"<li><div class=dq-chain-question>{_md(f.question)}</div>{answer}</li>")
    body = "<ol class=dq-chain>\n" + "\n".join(items) + "\n</ol>"
    return _fold("dq-follow-ups", f"{FIELD_LABELS['follow_ups']} ({len(q.follow_ups)})", body)


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
            "Card types to generate, comma-separated.",
            choices=tuple(CARD_TYPES),
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

    def _fields(self, library: Library, item: _Item) -> tuple[list[str], bool] | None:
        """The note's fields, or None when the chosen card types give it no card."""
        q, entry, choice = item.question, item.entry, self.choice
        slots = entry.slot_of(q)
        carded: set[int] = set()
        follow_ups = [""] * (2 * FOLLOW_UP_SLOTS)
        if "follow-up" in choice.cards:
            for i, (f, slot) in enumerate(zip(q.follow_ups, slots, strict=True)):
                if f.answer and slot is not None and slot <= FOLLOW_UP_SLOTS:
                    follow_ups[2 * slot - 2] = _md(f.question)
                    follow_ups[2 * slot - 1] = _md(f.answer)
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
        return fields, bool(front)

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
        root_name = deck_part(library.metadata.title)
        decks: dict[str, Any] = {
            root_name: genanki.Deck(
                _deck_id(context.key, root_name), root_name, _esc(library.metadata.provenance or "")
            )
        }
        due = itertools.count(1)
        for item in _items(library, lock):
            made = self._fields(library, item)
            if made is None:
                continue
            fields, _ = made
            if item.deck not in decks:
                decks[item.deck] = genanki.Deck(_deck_id(context.key, item.deck), item.deck)
            note = _Note(
                mod=max(item.entry.mod, floor),
                model=model,
                guid=genanki.guid_for(context.key, item.question.id),
                tags=card_tags(item.question, "main", retired=item.entry.retired is not None),
                fields=fields,
            )
            note.due = next(due)
            decks[item.deck].add_note(note)
        if next(due) == 1:
            raise ExportError("nothing to export: no card of the chosen types")
        return _apkg(genanki.Package(list(decks.values())), state.note_types.changed)


def _read_state(state: Mapping[str, Any] | None) -> AnkiState | None:
    if state is None:
        return None
    try:
        return AnkiState.model_validate(state)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise LockError(
            f'exporters.anki.{where}: {err["msg"]}; delete the lock\'s "anki" entry under '
            '"exporters" (it is rebuilt by the next export; imported notes then update once)'
        ) from None


def _apkg(package: Any, timestamp: int) -> bytes:
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
