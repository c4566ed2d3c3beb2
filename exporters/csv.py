"""CSV: one row per card-worthy note, for Anki's text import or (``plain``) for spreadsheets.

Rows follow the deck: every question, every follow-up that has an answer, every red flag.

By default the file starts with Anki's header lines, so it imports into any collection
without the ``.apkg``: rows target the stock *Basic* note type (Front, Back), fields hold
rendered HTML, and each row carries a GUID of this file's own, derived from the question id
and never from the text, so importing a newer CSV updates the notes an older one created.

The stock note type has none of dockerqa's CSS, so a field that holds a table, code or a
callout starts with a ``<style>`` block of its own (`dockerqa.render.embedded_css`, scoped to
the field's ``dq-csv`` wrapper): table borders, code blocks and highlighting in a day palette
and a night one under Anki's ``.nightMode``/``.night_mode`` body classes. The colours are not
inline styles, which night mode could not override.

The header deliberately has no ``#columns:`` line. With column names, Anki maps columns to
fields by name, and a non-English collection, whose Basic note type has translated field
names, would get a wrong mapping; without names, the two field columns map by position.
``#if matches:update current`` pins the update rule, which otherwise is whatever the user
chose in their last import.

Every field is quoted: Anki's reader skips records that start with ``#`` (its comment
character), and a GUID may begin with one.

``plain`` writes a header row and Markdown text instead, for spreadsheets and other tools.
Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and
carriage return can smuggle one in), so in the plain variant such a cell gets a leading ``'``
(the OWASP rule against CSV injection); a spreadsheet shows the text without running it. The
Anki variant is left as is: Anki shows fields, it never evaluates them, and a ``'`` would
show on the card.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import genanki

from dockerqa.exporting import ExportContext, Exporter, Option, file_name
from dockerqa.model import PARTS_BY_NAME, Library, Question, Section
from dockerqa.render import embedded_css, render_inline, render_markdown
from dockerqa.study import KEY_POINTS_LABEL, REST_LABEL, study_back

from ._flashcards import RED_FLAG_ASK, card_tags, deck_name, front_question, prompt_on_front

if TYPE_CHECKING:
    from dockerqa.lock import Lock

#: Added to the page key to make this file's GUID namespace: distinct from the deck's, so the
#: two never collide (``dockerqa-csv`` for the bundled corpus).
GUID_SUFFIX = "-csv"
#: The stock note type the rows target (its English name; see the module docstring).
NOTETYPE = "Basic"

#: Class of the wrapper around each field's HTML; the field's own style sheet is scoped to it.
FIELD_CLASS = "dq-csv"

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Header row of the ``plain`` variant.
PLAIN_COLUMNS = ("id", "type", "section", "level", "kind", "front", "back", "tags")

# Column order of the Anki variant (1-based positions in the header lines).
_GUID_COLUMN, _DECK_COLUMN, _TAGS_COLUMN = 1, 2, 3


@dataclass(frozen=True)
class _Card:
    """One card-worthy note, before it is written in either variant."""

    id: str
    type: str
    question: Question
    section: Section
    follow_up: int = 0
    """1-based position in the follow-up chain, for follow-up notes."""


def _cards(library: Library) -> Iterator[_Card]:
    sections = {s.id: s for s in library.sections}
    for q in library:
        section = sections[q.section]
        yield _Card(q.id, "main", q, section)
        for i, f in enumerate(q.follow_ups, 1):
            if f.answer:
                yield _Card(f"{q.id}#follow-up-{i}", "follow-up", q, section, i)
        if q.red_flag:
            yield _Card(f"{q.id}#red-flag", "red-flag", q, section)


# --- Anki variant: rendered HTML -------------------------------------------------------------


def _back(q: Question) -> list[tuple[str | None, str]]:
    """A question's back before its follow-ups, in study order: ``(label, Markdown)`` per
    part. The answer opens it without a label, its substance first as on the deck's cards
    (`dockerqa.study.study_back`: key points, then the rest of the answer); a prompt that is
    not on the front comes first."""
    out: list[tuple[str | None, str]] = []
    for spec, label, text in q.study_parts():
        name = spec.name if spec is not None else None
        if name == "prompt":
            if not prompt_on_front(q):
                out.append((label, text))
        elif name == "answer":
            back = study_back(text)
            lead = q.front.lead if q.front is not None and back.core else None
            out.append((None, "\n\n".join(p for p in (lead, back.core) if p)))
            if back.key_points:
                out.append((KEY_POINTS_LABEL, "\n".join(f"* {p}" for p in back.key_points)))
            if back.rest:
                out.append((REST_LABEL, back.rest))
        else:
            out.append((label, text))
    return out


def _front_markdown(note: _Card) -> str:
    """What a question or red-flag card asks (as the deck's cards do), and the prompt when
    it is the question."""
    q = note.question
    asked = front_question(q, note.section.title)
    parts = [asked or f"**{q.title}**"]
    if prompt_on_front(q) and q.prompt:
        parts.append(q.prompt)
    if note.type == "red-flag":
        parts.append(f"*{RED_FLAG_ASK}*")
    return "\n\n".join(parts)


def _html(markdown: str) -> str:
    return render_markdown(markdown).strip()


def _html_block(label: str, markdown: str) -> str:
    return f"<p><b>{label}</b></p>\n{_html(markdown)}"


def _field(body: str, *, always: bool = True) -> str:
    """A field's HTML: the body in a left-aligned wrapper, after the style sheet it needs
    (`embedded_css`; the stock note type has none of ours). ``always=False`` leaves a body
    that needs no style sheet as it is."""
    css = embedded_css(body, f".{FIELD_CLASS}")
    if not (css or always):
        return body
    style = f"<style>\n{css}</style>\n" if css else ""
    return f'{style}<div class="{FIELD_CLASS}" style="text-align: left">\n{body}\n</div>'


def _html_front(note: _Card) -> str:
    q = note.question
    if note.type == "follow-up":
        f = q.follow_ups[note.follow_up - 1]
        context = f"<p><small>{render_inline(q.title)} · follow-up {note.follow_up}</small></p>"
        return context + "\n" + _html(f.question)
    context = f"<p><small>{render_inline(q.title)}</small></p>\n"
    return context + _html(_front_markdown(note))


def _html_back(note: _Card) -> str:
    q = note.question
    if note.type == "follow-up":
        body = _html(q.follow_ups[note.follow_up - 1].answer or "")
    elif note.type == "red-flag":
        body = _html(q.red_flag or "")
    else:
        blocks = [
            _html(text) if label is None else _html_block(label, text) for label, text in _back(q)
        ]
        if q.follow_ups:
            items = "".join(
                f"<li>{_html(f.question)}"
                + (f"\n{_html(f.answer)}" if f.answer else "")
                + "</li>\n"
                for f in q.follow_ups
            )
            label = PARTS_BY_NAME["follow_ups"].label
            blocks.append(f"<p><b>{label}</b></p>\n<ol>\n{items}</ol>")
        body = "\n".join(blocks)
    return body


def _anki_header() -> str:
    lines = (
        "#separator:Comma",
        "#html:true",
        f"#notetype:{NOTETYPE}",
        f"#guid column:{_GUID_COLUMN}",
        f"#deck column:{_DECK_COLUMN}",
        f"#tags column:{_TAGS_COLUMN}",
        "#if matches:update current",
    )
    return "".join(f"{line}\r\n" for line in lines)


def _anki_row(library: Library, note: _Card, key: str, lock: Lock | None) -> list[str]:
    return [
        genanki.guid_for(f"{key}{GUID_SUFFIX}", note.id),
        deck_name(library, note.section, lock),
        " ".join(card_tags(note.question, note.type)),
        _field(_html_front(note), always=False),
        _field(_html_back(note)),
    ]


# --- plain variant: Markdown ------------------------------------------------------------------


def _md_block(label: str, markdown: str) -> str:
    return f"**{label}**\n\n{markdown}"


def _plain_front(note: _Card) -> str:
    q = note.question
    if note.type == "follow-up":
        return (
            f"{q.title} (follow-up {note.follow_up})\n\n{q.follow_ups[note.follow_up - 1].question}"
        )
    return _front_markdown(note)


def _plain_back(note: _Card) -> str:
    q = note.question
    if note.type == "follow-up":
        return q.follow_ups[note.follow_up - 1].answer or ""
    if note.type == "red-flag":
        return q.red_flag or ""
    blocks = [text if label is None else _md_block(label, text) for label, text in _back(q)]
    for i, f in enumerate(q.follow_ups, 1):
        blocks.append(
            _md_block(f"Follow-up {i}", f.question + (f"\n\n{f.answer}" if f.answer else ""))
        )
    return "\n\n".join(blocks)


def plain_cell(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _plain_row(note: _Card) -> list[str]:
    q = note.question
    cells = [
        note.id,
        note.type,
        q.section,
        q.level.value,
        q.kind.value,
        _plain_front(note),
        _plain_back(note),
        " ".join(card_tags(note.question, note.type)),
    ]
    return [plain_cell(c) for c in cells]


class CSVExporter(Exporter):
    """One CSV row per card-worthy note: Anki text import by default, Markdown with ``plain``."""

    name = "csv"
    description = (
        "one row per card for Anki's text import (HTML), or --plain Markdown with a header"
    )
    default_filename = "{key}.csv"
    needs_lock = True
    options = (
        Option(
            "plain",
            "Markdown with a header row and no Anki header lines, for spreadsheets.",
            type=bool,
            default=False,
        ),
    )

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.plain: bool = self.settings["plain"]

    def filename(self, key: str = "dockerqa") -> str:
        """``KEY-plain.csv`` for the plain variant."""
        name = "{key}-plain.csv" if self.plain else self.default_filename
        return file_name(name, key)

    def render(self, library: Library, context: ExportContext | None = None) -> str:
        """The file's text (RFC 4180, CRLF line ends). The context's lock numbers the decks
        by section position in the whole page, so filtered exports keep the deck's names."""
        return b"".join(self._chunks(library, context)).decode("utf-8")

    def _chunks(self, library: Library, context: ExportContext | None) -> Iterator[bytes]:
        key = context.key if context is not None else library.metadata.key
        lock = context.lock if context is not None else None
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        if self.plain:
            writer.writerow(PLAIN_COLUMNS)
            rows: Iterator[list[str]] = (_plain_row(n) for n in _cards(library))
        else:
            out.write(_anki_header())
            rows = (_anki_row(library, n, key, lock) for n in _cards(library))
        for row in rows:
            writer.writerow(row)
            if raw.tell() >= 1 << 16:
                yield raw.getvalue()
                raw.seek(0)
                raw.truncate()
        out.flush()
        yield raw.getvalue()

    def stream(self, library: Library, context: ExportContext) -> Iterator[bytes]:
        """The CSV as UTF-8, in pieces as the rows are written."""
        return self._chunks(library, context)

    def build(self, library: Library, context: ExportContext) -> bytes:
        """The CSV as UTF-8 (no byte-order mark)."""
        return b"".join(self._chunks(library, context))
