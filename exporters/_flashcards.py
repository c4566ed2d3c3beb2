"""What the flashcard exporters (Anki deck and CSV) share: deck names, tags and what a card
asks.

Both write the same decks and tags, so a learner sees one scheme whichever they import.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dockerqa.model import Kind, Library, Question, Section, question_tags
from dockerqa.study import ask

if TYPE_CHECKING:
    from dockerqa.lock import Lock


#: What a red-flag card asks, under its question card's question.
RED_FLAG_ASK = "What would be a red flag in an answer to this question, and why?"


def prompt_on_front(q: Question) -> bool:
    """A scenario's or work sample's prompt is its question; a question's prompt shows on the
    front only when no front was written for it (a written front asks what the back answers)."""
    return bool(q.prompt) and (q.kind in (Kind.SCENARIO, Kind.WORK_SAMPLE) or q.front is None)


def front_question(q: Question, section_title: str) -> str | None:
    """The one question a card asks, as Markdown (`dockerqa.study.ask`); None when the
    question's prompt is what it asks (a prompt with no front written for it)."""
    if q.prompt and q.front is None and q.kind is Kind.QUESTION:
        return None
    return ask(q, section_title)


def deck_part(text: str) -> str:
    """A deck name component: ``::`` would nest decks, so it becomes ``:``."""
    return re.sub(r"\s*::\s*", ": ", text).strip() or "Untitled"


def deck_name(library: Library, section: Section, lock: Lock | None = None) -> str:
    """``Title::NN Section``, NN being the section's place in the whole source.

    The place comes from the lock when there is one, so filtered exports keep the same names.
    """
    position = lock.section_position(section.id) if lock is not None else None
    position = position or library.sections.index(section) + 1
    return f"{deck_part(library.metadata.title)}::{position:02d} {deck_part(section.title)}"


def card_tags(question: Question, card_type: str, *, retired: bool = False) -> list[str]:
    """Sorted hierarchical tags of one card's note (Anki splits tags on spaces)."""
    tags = {*question_tags(question), f"dockerqa::type::{card_type}"}
    if retired:
        tags.add("dockerqa::retired")
    return sorted(tags)
