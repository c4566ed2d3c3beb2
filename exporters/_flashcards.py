"""What the flashcard exporters (Anki deck and CSV) share: deck names and tags.

Both write the same decks and tags, so a learner sees one scheme whichever they import.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dockerqa.model import Library, Question, Section, question_tags

if TYPE_CHECKING:
    from dockerqa.lock import Lock


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
