"""The frozen note types ``dockerqa Question`` and ``dockerqa Table row``: their ids, fields,
templates and CSS, the question type's fingerprint, and the Anki exporter's state in the lock
(see the package docstring for the contract these names keep).
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import genanki
from pydantic import Field, ValidationError

from dockerqa._text import fingerprint
from dockerqa.errors import LockError
from dockerqa.lock import MAX_TIME, SLOT_LIMIT
from dockerqa.model import CARD_TYPES, FrozenModel
from dockerqa.render import BASE_CSS, pygments_css

from .._flashcards import RED_FLAG_ASK

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
FIELDS_VERSION = 4

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
{{{{#Prompt}}}}<div class=dq-front-ask>{{{{Prompt}}}}</div>{{{{/Prompt}}}}
{{{{^Prompt}}}}<div class=dq-title>{{{{Title}}}}</div>{{{{/Prompt}}}}
<div class=dq-ask>{RED_FLAG_ASK}</div>
</div>{{{{/RedFlag}}}}"""
_RED_FLAG_BACK = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
<div class="dq-answer dq-red-flag">{{{{RedFlag}}}}</div>
{_SOURCE}
</div>"""

#: The card style sheet (package data, after the renderer's and pygments' rules).
CARD_CSS = (
    resources.files("dockerqa.exporters.anki").joinpath("card.css").read_text(encoding="utf-8")
)


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


# --- the table-row note type (opt-in cards, separate so adding it changes no existing note) ---

#: The table-row note type's id: hard-coded forever, like `QUESTION_MODEL_ID`.
ROW_MODEL_ID = 1786019412
ROW_NOTE_TYPE_NAME = "dockerqa Table row"
#: Its fields, frozen since they were published (never add, remove, rename or reorder one).
ROW_FIELDS: tuple[str, ...] = (
    "Front", "Back", "Context", "Parent", "Question id", "Source", "Banner",
)  # fmt: skip
#: What a table-row card is called (its template, its ``--cards`` choice and its type tag).
ROW_CARD = "Table row"

_ROW_FRONT = f"""{{{{#Front}}}}<div class="dq dq-front">
{_BANNER}
<div class=dq-context>{{{{Context}}}} · {ROW_CARD}</div>
<div class=dq-parent>{{{{Parent}}}}</div>
<div class=dq-front-ask>{{{{Front}}}}</div>
</div>{{{{/Front}}}}"""
_ROW_BACK = f"""{{{{FrontSide}}}}
<hr id=answer>
<div class="dq dq-back">
<div class="dq-answer dq-row">{{{{Back}}}}</div>
{_SOURCE}
</div>"""
#: The table-row cards' own rules, after the question type's style sheet (which stays as it
#: is: its fingerprint is in every lock).
ROW_CSS = """
.dq-row-cell { margin: 0 0 0.6em; overflow-wrap: anywhere; }
.dq-row-cell > .dq-label { margin-bottom: 0.1em; }
"""


#: When the table-row note type's own definition (`ROW_FIELDS`, its template, `ROW_CSS`) last
#: changed, in UTC seconds. Raise it with every change to them: its ``mod`` is the later of
#: this and the question type's, so Anki's "update note types: if newer" takes the change (a
#: test pins the definition this time stands for).
ROW_NOTE_TYPE_CHANGED = 1_796_559_894


class _RowModel(genanki.Model):  # type: ignore[misc]
    """The table-row note type, stamped no earlier than `ROW_NOTE_TYPE_CHANGED`."""

    def to_json(self, timestamp: float, deck_id: int) -> Any:
        return super().to_json(max(timestamp, ROW_NOTE_TYPE_CHANGED), deck_id)


def _fingerprint(model_id: int, name: str, fields: Any, templates: Any, css: str) -> str:
    """The fingerprint of a note type's definition (a stored format: the lock keeps it)."""
    definition = dict(id=model_id, name=name, fields=fields, templates=templates, css=css)
    return fingerprint(json.dumps(definition, sort_keys=True, ensure_ascii=False))


@functools.cache
def row_note_type_fingerprint() -> str:
    """Fingerprint of the table-row note type's own definition (not the shared CSS)."""
    templates = [ROW_CARD, _ROW_FRONT, _ROW_BACK]
    return _fingerprint(ROW_MODEL_ID, ROW_NOTE_TYPE_NAME, ROW_FIELDS, templates, ROW_CSS)


@functools.cache
def _row_note_type() -> Any:
    model = _RowModel(
        model_id=ROW_MODEL_ID,
        name=ROW_NOTE_TYPE_NAME,
        fields=[{"name": f} for f in ROW_FIELDS],
        templates=[{"name": ROW_CARD, "qfmt": _ROW_FRONT, "afmt": _ROW_BACK}],
        css=f"{BASE_CSS}\n{pygments_css()}\n{CARD_CSS}\n{ROW_CSS}",
        sort_field_index=0,
    )
    model.__dict__["_req"] = [[0, "all", [0]]]  # the card exists when Front is filled
    return model


@functools.cache
def note_type_fingerprint() -> str:
    """Fingerprint of the note type: name, fields, templates and CSS."""
    m = _note_type()
    return _fingerprint(m.model_id, m.name, m.fields, m.templates, m.css)


# --- this exporter's state in the lock ------------------------------------------------------


class _Versioned(FrozenModel):
    changed: int = Field(ge=0, le=MAX_TIME)
    """When it last changed (UTC seconds)."""


class _NoteTypeState(_Versioned):
    fingerprint: str
    """`note_type_fingerprint` when it was recorded."""


class _FieldsState(_Versioned):
    version: int
    """`FIELDS_VERSION` when it was recorded."""


class AnkiState(FrozenModel):
    """What the Anki exporter keeps in the lock, under ``exporters.anki``."""

    note_types: _NoteTypeState
    """The note type's definition and the ``mod`` it carries."""
    fields: _FieldsState | None = None
    """How fields are filled, and the earliest ``mod`` every note carries."""


def _after(previous: _Versioned | None, now: int) -> int:
    """When something changes now: ``now``, but always later than its previous change."""
    return now if previous is None else max(now, previous.changed + 1)


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
