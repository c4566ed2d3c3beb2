"""The typed content model: a `Library` of `Section`s and `Question`s.

Every model is frozen and rejects unknown fields. Text fields hold clean Markdown: MDX escapes
and HTML entities decoded, code fences with their language only, Mintlify callouts written as
``::: note`` containers.
"""

from __future__ import annotations

import enum
import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from dockerqa.errors import LookupFailed

_Item = TypeVar("_Item")


def grouped_by(
    owner: BaseModel, name: str, items: tuple[_Item, ...], key: Callable[[_Item], str]
) -> dict[str, tuple[_Item, ...]]:
    """``items`` grouped by ``key``, kept on ``owner`` under ``name`` (outside its fields, so
    equality and dumps ignore it) until the owner carries other items (a copy)."""
    kept = vars(owner).get(name)
    if kept is None or kept[0] is not items:
        grouped: dict[str, list[_Item]] = {}
        for item in items:
            grouped.setdefault(key(item), []).append(item)
        kept = (items, {k: tuple(v) for k, v in grouped.items()})
        vars(owner)[name] = kept
    return kept[1]


class FrozenModel(BaseModel):
    """The base of every record dockerqa reads or writes: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _Frozen(FrozenModel):
    # Field docstrings become descriptions when a schema is first asked for (`document_fields`):
    # pydantic's use_attribute_docstrings reads and parses this file's source at import, which
    # cost every command ~40 ms.

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema, with every field's docstring as its description."""
        document_fields()
        return super().model_json_schema(*args, **kwargs)


class Level(enum.StrEnum):
    """How hard a question is; ordered ``basic < intermediate < advanced``."""

    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        """Position in the order, 0 for basic."""
        return list(Level).index(self)

    def __lt__(self, other: str) -> bool:
        return self.rank < Level(other).rank

    def __le__(self, other: str) -> bool:
        return self.rank <= Level(other).rank

    def __gt__(self, other: str) -> bool:
        return self.rank > Level(other).rank

    def __ge__(self, other: str) -> bool:
        return self.rank >= Level(other).rank

    def __hash__(self) -> int:
        return hash(self.value)


class Kind(enum.StrEnum):
    """What sort of item a question is."""

    QUESTION = "question"
    SCENARIO = "scenario"
    WORK_SAMPLE = "work_sample"
    COMPARISON = "comparison"

    @property
    def label(self) -> str:
        """How the kind is named to people (``Work sample``)."""
        return KIND_LABELS[self]

    @property
    def prompt_label(self) -> str:
        """What this kind's prompt is called (``Scenario``, ``Work-sample prompt``)."""
        return PROMPT_LABELS.get(self, FIELD_LABELS["prompt"])

    @classmethod
    def parse(cls, value: str) -> Kind:
        """A kind as a person types it: its value or with hyphens (``work-sample``), any case."""
        return cls(str(value).strip().lower().replace("-", "_"))


# --- the one vocabulary: every exporter and the command line name things with these ----------

#: Kind names as shown to people.
KIND_LABELS: dict[Kind, str] = {
    Kind.QUESTION: "Question",
    Kind.SCENARIO: "Scenario",
    Kind.WORK_SAMPLE: "Work sample",
    Kind.COMPARISON: "Candidate comparison",
}
#: What the prompt of a kind is called, where it differs from ``Prompt``.
PROMPT_LABELS: dict[Kind, str] = {
    Kind.SCENARIO: "Scenario",
    Kind.WORK_SAMPLE: "Work-sample prompt",
}


@dataclass(frozen=True)
class PartSpec:
    """One part of a question: its field, how it is named and styled, and where it shows."""

    name: str
    """The `Question` field."""
    label: str
    """How the part is named to people (``Red flag answer``)."""
    css_class: str
    """The class an exporter gives the part's block (``red-flag``)."""
    folds: bool
    """On a card's back, the part is folded below what shows first (a prompt is on the front
    unless a written front asks the question; the answer's substance shows, its rest folds)."""
    counted_as: str
    """What `Library.counts` calls the questions that have the part."""


#: A question's parts in study order: the parser fills them, and every exporter, ``show`` and
#: ``stats`` present them in this order with these labels. A new part is one row here and one
#: `Question` field.
PARTS: tuple[PartSpec, ...] = (
    PartSpec("prompt", "Prompt", "prompt", True, "with a prompt"),
    PartSpec("steps", "Steps", "steps", True, "with steps"),
    PartSpec("answer", "Answer", "answer", False, "with an answer"),
    PartSpec("example", "Real-world example", "example", True, "with an example"),
    PartSpec(
        "interviewer_intent",
        "What interviewers are really testing",
        "intent",
        True,
        "with interviewer intent",
    ),
    PartSpec("red_flag", "Red flag answer", "red-flag", True, "with a red flag"),
    PartSpec("weak_answer", "What weak candidates say", "weak-answer", True, "weak answers"),
    PartSpec(
        "strong_answer", "What strong candidates say", "strong-answer", True, "strong answers"
    ),
    PartSpec("senior_view", "Senior perspective", "senior-view", True, "senior views"),
    PartSpec("staff_view", "Staff perspective", "staff-view", True, "staff views"),
    PartSpec("follow_ups", "Follow-up chain", "follow-ups", True, "with follow-ups"),
)
#: The parts by field name.
PARTS_BY_NAME: dict[str, PartSpec] = {p.name: p for p in PARTS}
#: The Markdown parts (every part but the follow-up chain), in study order.
TEXT_PARTS: tuple[str, ...] = tuple(p.name for p in PARTS if p.name != "follow_ups")
#: Labels of the parts, in study order.
FIELD_LABELS: dict[str, str] = {p.name: p.label for p in PARTS}
#: Flashcard types a question can give, with their names as shown to people.
CARD_TYPES: dict[str, str] = {
    "main": "Question",
    "follow-up": "Follow-up",
    "red-flag": "Red flag",
}
#: Follow-ups of one question that can have a slot (a card) of their own; the lock keeps the
#: slots (`dockerqa.lock.SLOT_LIMIT`) and ``validate`` reports a question with more.
SLOT_LIMIT = 8


class SourceSpan(_Frozen):
    """Where something stands in its source file."""

    file: str
    """Path of the source file as given to the parser (``<string>`` for text)."""
    first_line: int
    """1-based line of the first source line (the ``<Accordion`` tag for a question)."""
    last_line: int
    """1-based line of the last source line (the ``</Accordion>`` tag for a question)."""

    def __str__(self) -> str:
        return f"{self.file}:{self.first_line}"


class FollowUp(_Frozen):
    """One step of a follow-up chain."""

    question: str
    """The follow-up question, Markdown, without its surrounding quotes."""
    answer: str | None = None
    """The expected answer, Markdown, or None where the source gives none."""


class Part(_Frozen):
    """A labelled part of a question that has no field of its own (kept, never dropped)."""

    label: str
    """The label as written, without the trailing colon (e.g. ``Staff-level bonus``)."""
    text: str
    """The part's Markdown."""


class Section(_Frozen):
    """A ``##`` section of the page."""

    id: str
    """Stable key: from the corpus metadata, else a slug of the heading without its number."""
    number: int | None = None
    """The number printed in the heading, if any (may repeat)."""
    title: str
    """The heading text without its number."""
    heading: str
    """The heading exactly as printed, entities and escapes decoded."""
    level: Level
    """Default level of the section's questions."""
    notes: tuple[str, ...] = ()
    """Markdown that belongs to the section but to no question (intros, callouts)."""
    source: SourceSpan
    """Where the section starts and ends."""


class Front(_Frozen):
    """A card front written for a question in the page's metadata (``[fronts]``)."""

    ask: str
    """The one question the card asks."""
    lead: str | None = Field(default=None, exclude_if=lambda v: v is None)
    """The sentence that introduces an answer that is only code."""


class Question(_Frozen):
    """One interview question (or scenario, work sample, comparison) with all its parts."""

    id: str
    """Stable, readable id (``section/slug``); unaffected by renumbering or other questions."""
    number: int | None = None
    """The number printed in the title, if any (numbers may repeat in the source)."""
    heading: str
    """The accordion title exactly as printed, entities decoded."""
    title: str
    """The title without its number or kind prefix (``Scenario 1:`` and the like)."""
    section: str
    """Id of the section the question stands in."""
    kind: Kind
    """Question, scenario, work sample or candidate comparison."""
    level: Level
    """Difficulty, from the metadata's level rules or inferred from the section heading."""
    prompt: str | None = None
    """The scenario or work-sample prompt (``Scenario:``, ``How to present this:``,
    ``Work-sample scenario:``)."""
    steps: str | None = None
    """Steps that follow a work-sample prompt, when they are not the answer itself."""
    answer: str | None = None
    """The answer (the ``Answer`` label, or unlabelled body text)."""
    example: str | None = Field(default=None, exclude_if=lambda v: v is None)
    """A worked example (``Real-World Example``, ``Worked example``, ``Example``). Left out of
    the serialised form when absent, so pages without one serialise as before it existed."""
    interviewer_intent: str | None = None
    """``What interviewers are really testing``."""
    red_flag: str | None = None
    """``Red flag answer``: what a weak candidate says and why it is wrong."""
    follow_ups: tuple[FollowUp, ...] = ()
    """The follow-up chain in source order."""
    weak_answer: str | None = None
    """``What weak candidates say/do``."""
    strong_answer: str | None = None
    """``What strong candidates say/do``."""
    senior_view: str | None = None
    """The senior engineer's view from a ``Senior vs Staff perspective`` note."""
    staff_view: str | None = None
    """The staff engineer's view from a ``Senior vs Staff perspective`` note."""
    parts: tuple[Part, ...] = ()
    """Other labelled parts, kept under their own label (a callout that follows a follow-up
    chain under its component's name, e.g. ``Tip``)."""
    front: Front | None = Field(default=None, exclude_if=lambda v: v is None)
    """The card front written for it in the page's metadata (``[fronts]``), if any; without
    one, `dockerqa.study.ask` makes a question from the title. Part of what the question
    shows (a changed front updates its cards); left out of the serialised form when absent."""
    tags: tuple[str, ...] = ()
    """Topic tags (sorted), from the metadata's topic rules."""
    source: SourceSpan
    """Where the accordion stands in the source."""

    @property
    def answered_follow_ups(self) -> tuple[FollowUp, ...]:
        """Follow-ups that carry an answer."""
        return tuple(f for f in self.follow_ups if f.answer)

    def text_fields(self) -> dict[str, str]:
        """Every non-empty Markdown field of the question by name, in study order."""
        out = {n: v for n in TEXT_PARTS if (v := getattr(self, n))}
        for i, f in enumerate(self.follow_ups, 1):
            out[f"follow_up_{i}_question"] = f.question
            if f.answer:
                out[f"follow_up_{i}_answer"] = f.answer
        for i, p in enumerate(self.parts, 1):
            out[f"part_{i}:{p.label}"] = p.text
        return out

    def study_parts(self) -> Iterator[tuple[PartSpec | None, str, str]]:
        """Each non-empty Markdown part in study order as ``(spec, label, text)``, then the
        labelled parts the page names itself (spec None); the follow-up chain is not one."""
        for spec in PARTS:
            if spec.name != "follow_ups" and (text := getattr(self, spec.name)):
                label = self.kind.prompt_label if spec.name == "prompt" else spec.label
                yield spec, label, text
        for part in self.parts:
            yield None, part.label, part.text

    def to_markdown(self) -> str:
        """The whole question as one Markdown document, every part under its label."""
        out = [f"# {self.heading}", ""]
        out.append(f"id: {self.id} · level: {self.level.value} · kind: {self.kind.value}")
        out.append(f"source: {self.source}")
        for _spec, label, text in self.study_parts():
            out += ["", f"## {label}", "", text]
        if self.follow_ups:
            out += ["", f"## {PARTS_BY_NAME['follow_ups'].label}", ""]
            for i, f in enumerate(self.follow_ups, 1):
                out.append(f"{i}. {f.question}")
                if f.answer:  # under its question, every line of it
                    answer = f.answer.replace("\n", "\n     ").replace("\n     \n", "\n\n")
                    out.append(f"   → {answer}")
        return "\n".join(out)


class Metadata(_Frozen):
    """Facts about the source that are not in its text (from the corpus metadata file)."""

    key: str
    """The page's stable key (``key`` in the metadata, else from the file name): part of every
    note GUID and deck id the page gives, so two pages never share a note or a deck."""
    title: str
    """Deck and document title."""
    source_url: str | None = None
    """Where the source page was published."""
    provenance: str | None = None
    """Where the text comes from and how it is kept."""
    source_file: str
    """The source file the library was read from."""


class Diagnostic(_Frozen):
    """Something the parser kept but could not place exactly, or a content problem."""

    file: str
    """Source file."""
    line: int
    """1-based line."""
    code: str
    """Short machine-readable kind, e.g. ``unknown-label``, ``duplicate-number``."""
    message: str
    """Plain-language description."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code}: {self.message}"


#: How Anki shows a topic tag; ``--tag`` accepts it as well as the bare tag.
TOPIC_TAG_PREFIX = "dockerqa::topic::"


#: How Anki shows a card-type tag (``dockerqa::type::main``).
TYPE_TAG_PREFIX = "dockerqa::type::"
_KIND_TAG_PREFIX = "dockerqa::kind::"


def _has_tag(have: list[str], wanted: str) -> bool:
    return any(t == wanted or t.startswith(f"{wanted}::") for t in have)


def card_types(question: Question) -> list[str]:
    """The types of card a question gives in a deck or CSV (what its ``dockerqa::type::``
    tags say): ``main``, and ``follow-up``, ``red-flag`` and ``table-row`` when it has what
    those cards ask."""
    from dockerqa.tables import table_rows  # tables reads questions: imported when asked

    types = ["main"]
    if any(f.answer for f in question.follow_ups):
        types.append("follow-up")
    if question.red_flag:
        types.append("red-flag")
    if table_rows(question):
        types.append("table-row")
    return types


def _card_tag(wanted: str) -> str:
    """A full tag as typed, as the cards spell it: any case, a kind with hyphens
    (``dockerqa::kind::work-sample``) as its value (``work_sample``)."""
    tag = wanted.strip().lower()
    if tag.startswith(_KIND_TAG_PREFIX):
        return _KIND_TAG_PREFIX + tag.removeprefix(_KIND_TAG_PREFIX).replace("-", "_")
    return tag


def _matches(q: Question, key: str, wanted: Any) -> bool:
    if wanted is None:
        return True
    values = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else (wanted,)
    if key == "tag":
        # a bare tag is a topic; a full tag, as Anki shows it, may be any of the card tags
        for value in values:
            tag = _card_tag(str(value))
            if tag.startswith("dockerqa::"):
                have = [t.lower() for t in question_tags(q)]
                if tag.startswith(TYPE_TAG_PREFIX.removesuffix("::")):  # what its cards are
                    have += [f"{TYPE_TAG_PREFIX}{t}" for t in card_types(q)]
                if _has_tag(have, tag):
                    return True
            elif _has_tag([t.lower() for t in q.tags], tag):
                return True
        return False
    return any(getattr(q, key) == (Kind.parse(v) if key == "kind" else v) for v in values)


class Counts(_Frozen):
    """How many questions, sections and parts a library has (what ``dockerqa stats`` prints)."""

    questions: int
    """Questions in the library."""
    by_section: dict[str, int]
    """Questions per section id, in source order."""
    by_level: dict[str, int]
    """Questions per level, in order of first appearance."""
    by_kind: dict[str, int]
    """Questions per kind, in order of first appearance."""
    parts: dict[str, int]
    """How many questions have each part (and how many follow-ups there are)."""


class Library(_Frozen):
    """All questions of one source page, in source order."""

    metadata: Metadata
    """Title, source address and provenance."""
    notes: tuple[str, ...] = ()
    """Document-level Markdown outside any section (e.g. the opening Senior vs Staff note)."""
    sections: tuple[Section, ...]
    """Sections in source order."""
    questions: tuple[Question, ...]
    """Questions in source order."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Problems found while parsing (unknown labels and components, repeated numbers...)."""

    _whole: bool = PrivateAttr(True)
    # False for a library made by `filter`: it is not the whole page, so it cannot refresh a lock
    _by_section: tuple[tuple[Question, ...], dict[str, tuple[Question, ...]]] | None = PrivateAttr(
        None
    )
    # (the questions indexed, their sections): exporters ask for every section, and a scan of
    # all questions per section is quadratic in a long page; rebuilt when a copy carries others

    @property
    def is_whole(self) -> bool:
        """Whether this is the whole page (not the result of `filter`)."""
        return self._whole

    def __iter__(self) -> Iterator[Question]:  # type: ignore[override]
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, id: str) -> Question:
        """The question with this id; `LookupFailed` (a `KeyError`) naming close matches
        otherwise."""
        for q in self.questions:
            if q.id == id:
                return q
        import difflib

        close = difflib.get_close_matches(id, [q.id for q in self.questions], n=3)
        hint = f" (did you mean: {', '.join(close)})" if close else ""
        raise LookupFailed(f"no question with id {id!r}{hint}")

    def section(self, id: str) -> Section:
        """The section with this id."""
        for s in self.sections:
            if s.id == id:
                return s
        available = ", ".join(s.id for s in self.sections)
        raise LookupFailed(f"no section {id!r} (available: {available})")

    def filter(
        self,
        *,
        level: Level | str | None = None,
        min_level: Level | str | None = None,
        section: str | list[str] | None = None,
        kind: Kind | str | list[str] | None = None,
        tag: str | list[str] | None = None,
    ) -> Library:
        """A library with only the matching questions (and the sections that still have some).

        ``level`` matches exactly; ``min_level`` keeps that level and above. List values match
        any of their items. A kind may be written with hyphens (``work-sample``). A tag is a
        topic (any case), or any card tag in the form Anki shows (``dockerqa::level::advanced``,
        ``dockerqa::type::red-flag``: the questions that give such a card); it also matches its
        ``tag::child`` tags.
        """
        lv = Level(level) if level is not None else None
        mlv = Level(min_level) if min_level is not None else None
        kept = tuple(
            q
            for q in self.questions
            if (lv is None or q.level == lv)
            and (mlv is None or q.level >= mlv)
            and _matches(q, "section", section)
            and _matches(q, "kind", kind)
            and _matches(q, "tag", tag)
        )
        used = {q.section for q in kept}
        selected = self.model_copy(
            update={
                "questions": kept,
                "sections": tuple(s for s in self.sections if s.id in used),
            }
        )
        selected._whole = False
        return selected

    def counts(self) -> Counts:
        """Counts by section, level and kind, and how many questions have each part."""
        follow_ups = [f for q in self for f in q.follow_ups]
        by_section = {s.id: 0 for s in self.sections}
        by_level: dict[str, int] = {}
        by_kind: dict[str, int] = {}
        for q in self:
            by_section[q.section] = by_section.get(q.section, 0) + 1
            by_level[q.level.value] = by_level.get(q.level.value, 0) + 1
            by_kind[q.kind.value] = by_kind.get(q.kind.value, 0) + 1
        return Counts(
            questions=len(self),
            by_section=by_section,
            by_level=by_level,
            by_kind=by_kind,
            parts={
                **{p.counted_as: sum(1 for q in self if getattr(q, p.name)) for p in PARTS},
                "follow-ups": len(follow_ups),
                "follow-ups with an answer": sum(1 for f in follow_ups if f.answer),
            },
        )

    def tag_counts(self) -> dict[str, int]:
        """Every card tag the questions carry (topic, level, section, kind), with counts."""
        counts: dict[str, int] = {}
        for q in self:
            for tag in question_tags(q):
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))

    def in_section(self, section_id: str) -> tuple[Question, ...]:
        """The questions of one section, in source order."""
        # exporters ask for every section: a scan per section is quadratic in a long page
        return grouped_by(self, "_by_section", self.questions, lambda q: q.section).get(
            section_id, ()
        )


def _tag_part(value: str) -> str:
    return "_".join(value.split())


def question_tags(question: Question) -> list[str]:
    """A question's hierarchical tags, sorted: level, section, kind and topics (``::`` nests,
    as in Anki; spaces become ``_``)."""
    return sorted(
        {
            f"dockerqa::level::{question.level.value}",
            f"dockerqa::section::{_tag_part(question.section)}",
            f"dockerqa::kind::{question.kind.value}",
            *(f"{TOPIC_TAG_PREFIX}{_tag_part(t)}" for t in question.tags if t.strip()),
        }
    )


def _field_docstrings() -> dict[str, dict[str, str]]:
    """Each class's field docstrings (the string just below a field), read from this file."""
    import ast
    import inspect

    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = found.setdefault(node.name, {})
        for field, doc in itertools.pairwise(node.body):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                docs[field.target.id] = inspect.cleandoc(doc.value.value)
    return found


@functools.cache
def document_fields() -> None:
    """Give every model's fields their docstrings as descriptions, once (a schema does it
    first; ``model_fields[name].description`` is None until then)."""
    models = {m.__name__: m for m in _Frozen.__subclasses__()}
    for name, docs in _field_docstrings().items():  # in source order: used models come first
        model = models.get(name)
        if model is None:
            continue
        for field, info in model.model_fields.items():
            if info.description is None and field in docs:
                info.description = docs[field]
        model.model_rebuild(force=True)


def library_schema() -> dict[str, Any]:
    """The JSON Schema of a `Library` as the JSON exporter writes it."""
    return Library.model_json_schema(mode="serialization")
