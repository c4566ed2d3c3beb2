"""Comparison tables in a question's answer, one row at a time (the Anki table-row cards).

A table qualifies when its header's first cell names what the rows compare — empty, or one of
`FEATURE_HEADERS` (``Feature``, ``Aspect``…) — and two or more other columns name the things
compared::

    | Feature       | Virtual Machine               | Container                    |
    | **Boot time** | 30 seconds to several minutes | Milliseconds to a few seconds |

Each of its rows with a named feature and at least one filled cell is a `TableRow`: "Boot
time: Virtual Machine vs Container?", answered by the row's other cells under their column
names. Tables listing things by their attributes (``| Driver | Scope | Use case |``) do not
qualify: their rows are not one fact about two candidates.

Identity. A row's `TableRow.key` is the slug of its first cell (`dockerqa._text.title_slug`:
case, markup and punctuation aside), numbered when the feature repeats in the question's
answer; with the question's id, which the lock keeps across renames, it identifies the row's
card. It is the row's counterpart of a follow-up's question: rewording, filling or emptying
the other cells (its answer), moving the row or the table, and adding or removing other rows
or columns keep it. A reworded feature keeps the row's key when the rest of the row says it
is the same row (`dockerqa.identity.row_aliases`, the follow-ups' rule); only then does the
lock record anything for rows (`dockerqa.lock.LockEntry.rows`), so locks made before these
cards existed read, and write, as they are.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from dockerqa._blocks import markdown
from dockerqa._text import title_slug, tokens
from dockerqa.model import Question

__all__ = ["FEATURE_HEADERS", "TableRow", "table_rows"]

#: Header words of a first column that names the features compared (an empty header too).
FEATURE_HEADERS = frozenset(
    {
        "aspect",
        "attribute",
        "category",
        "characteristic",
        "criterion",
        "dimension",
        "factor",
        "feature",
        "property",
    }
)

_BOLD = re.compile(r"^(\*\*|__)(.+)\1$", re.S)


@functools.cache
def _parser() -> MarkdownIt:
    return markdown(MarkdownIt)


@dataclass(frozen=True)
class TableRow:
    """One row of a comparison table: a feature and what each compared thing has."""

    key: str
    """The row's identity within its question: its feature's slug (``boot-time``), with
    ``-2``, ``-3``… when the feature repeats in the answer."""
    feature: str
    """The first cell (Markdown), without bold around the whole cell."""
    compared: tuple[str, ...]
    """The other columns' headers (Markdown): the things compared."""
    cells: tuple[str, ...]
    """The row's other cells (Markdown), one per compared thing ("" when empty)."""


def _unbold(cell: str) -> str:
    m = _BOLD.match(cell.strip())
    return m.group(2).strip() if m else cell.strip()


def _tables(tokens_: list[Token]) -> list[list[list[str]]]:
    """Each table's rows (header first) as lists of cell Markdown."""
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    for t in tokens_:
        if t.type == "table_open":
            tables.append([])
        elif t.type == "tr_open":
            row = []
        elif t.type == "inline" and row is not None:
            row.append(t.content)
        elif t.type == "tr_close" and row is not None:
            tables[-1].append(row)
            row = None
    return tables


def qualifies(header: list[str]) -> bool:
    """Whether a table's header is a comparison's: a first cell naming the features (empty or
    one of `FEATURE_HEADERS`, singular or plural) and two or more columns after it."""
    if len(header) < 3:
        return False
    words = tokens(_unbold(header[0]))
    return not words or (len(words) == 1 and words[0].removesuffix("s") in FEATURE_HEADERS)


def table_rows(question: Question) -> tuple[TableRow, ...]:
    """The rows of the comparison tables in the question's answer, in page order."""
    if not question.answer or "|" not in question.answer:
        return ()
    rows: list[TableRow] = []
    seen: dict[str, int] = {}
    for table in _tables(_parser().parse(question.answer)):
        if not table or not qualifies(table[0]):
            continue
        compared = tuple(_unbold(h) for h in table[0][1:])
        for cells in table[1:]:
            feature = _unbold(cells[0]) if cells else ""
            values = tuple(c.strip() for c in cells[1:])
            if not tokens(feature) or not any(values):
                continue
            slug = title_slug(feature)
            seen[slug] = seen.get(slug, 0) + 1
            key = slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"
            rows.append(TableRow(key, feature, compared, values))
    return tuple(rows)
