"""Feedback on a typed answer: the key points of the strong answer, each covered or missed.

The key points of an answer are, in source order and each once: the heads of its list items
(a step, a bullet: its bold lead, else its words up to the first colon, dash or full stop), the
rows of its tables (the first cell), its bold terms (not bold labels such as ``**Why:**``) and
the commands in its code (inline code of two words or more that starts with a lower-case
command, lines of shell code blocks). Mermaid diagrams give none.

A prose point is covered when at least half of its words appear in the answer, case and
inflection aside (Snowball English stems; ``file system`` also matches ``filesystem``);
bracketed asides are left out, though an aside of one or two words (another name, as in
``Daemon (dockerd)``) covers the point too. A code point is covered when its first three
identifiers appear in the answer exactly, case included. The share covered suggests a rating
(`suggest`). Nothing here prints: front-ends show `Feedback`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from dockerqa._blocks import markdown

if TYPE_CHECKING:
    from markdown_it.token import Token

#: Share of key points covered from which each rating is suggested, best first.
SUGGESTIONS: tuple[tuple[float, int], ...] = ((0.9, 4), (0.6, 3), (0.3, 2), (0.0, 1))
#: A list head longer than this many words is cut (with "…").
HEAD_WORDS = 8
#: Code block languages whose lines are commands.
SHELL_LANGS = frozenset({"", "bash", "sh", "shell", "console", "zsh", "terminal"})

_md = markdown(MarkdownIt)
_WORD = re.compile(r"[^\W_]+")
_IDENT = re.compile(r"[A-Za-z_][\w.:/@+-]*[\w/]|[A-Za-z_]")
_COMMAND = re.compile(r"^[a-z][a-z0-9._-]*(?:\s+\S+)+$")
_PLACEHOLDER = re.compile(r"<[^>]*>")
#: A parenthesised aside, and what a cut head's last aside left open: not matched in prose.
_ASIDE = re.compile(r"\([^)]*(?:\)|$)")
_HEAD_END = re.compile(r":\s|\s--\s|\s—\s|\.\s|\.$|:$")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be but by can do does for from has have how if in into is it its "
        "no not of on or so than that the their them then there these they this to use used "
        "uses using via was what when where which while who why will with you your",
    )
)


@dataclass(frozen=True)
class KeyPoint:
    """One thing a strong answer says."""

    text: str
    """The point as shown (plain text; code as written)."""
    kind: str
    """Where it comes from: ``list``, ``table``, ``bold`` or ``code``."""

    @property
    def code(self) -> bool:
        """Whether it is matched as code (identifiers exactly)."""
        return self.kind == "code"


@dataclass(frozen=True)
class Feedback:
    """The key points of a strong answer, each covered or missed by a typed answer."""

    points: tuple[tuple[KeyPoint, bool], ...]
    """(point, covered) in source order."""

    @property
    def covered(self) -> int:
        """Points covered."""
        return sum(hit for _, hit in self.points)

    @property
    def share(self) -> float:
        """Share of points covered (0 when there are none)."""
        return self.covered / len(self.points) if self.points else 0.0

    @property
    def suggestion(self) -> int | None:
        """The rating the coverage suggests (1 Again … 4 Easy); None without key points."""
        return suggest(self.share) if self.points else None


def suggest(share: float) -> int:
    """The rating a share of key points covered suggests (see `SUGGESTIONS`)."""
    return next(rating for floor, rating in SUGGESTIONS if share >= floor)


def _plain(children: Sequence[Token] | None) -> str:
    """The text of an inline token's children, code kept as written."""
    return "".join(c.content for c in children or () if c.type in {"text", "code_inline"}).strip()


def _head(children: Sequence[Token] | None) -> KeyPoint:
    """A list item's head: its bold lead or leading command, else its words up to the first
    stop."""
    kids = list(children or ())
    if kids and kids[0].type == "strong_open":
        end = next(i for i, c in enumerate(kids) if c.type == "strong_close")
        return KeyPoint(_plain(kids[1:end]).rstrip(":").strip(), "list")
    if kids and kids[0].type == "code_inline" and _COMMAND.match(kids[0].content.strip()):
        return KeyPoint(kids[0].content.strip(), "code")
    text = _plain(kids)
    if m := _HEAD_END.search(text):
        text = text[: m.start()]
    words = text.split()
    cut = " ".join(words[:HEAD_WORDS]) + (" …" if len(words) > HEAD_WORDS else "")
    return KeyPoint(cut, "list")


def _bold_terms(children: Sequence[Token] | None, skip_lead: bool) -> Iterable[str]:
    """Bold runs that are terms, not labels (a label ends with, or is followed by, a colon)."""
    kids = list(children or ())
    for i, c in enumerate(kids):
        if c.type != "strong_open" or (skip_lead and i == 0):
            continue
        end = next(j for j in range(i, len(kids)) if kids[j].type == "strong_close")
        term = _plain(kids[i + 1 : end])
        after = kids[end + 1].content if end + 1 < len(kids) else ""
        if term and not term.endswith(":") and not after.startswith(":"):
            yield term


def key_points(markdown: str | None) -> tuple[KeyPoint, ...]:
    """The key points of an answer, in source order, each once (see the module's docstring)."""
    found: list[KeyPoint] = []
    seen: set[str] = set()

    def add(text: str, kind: str) -> None:
        key = text.casefold()
        if text and key not in seen:
            seen.add(key)
            found.append(KeyPoint(text, kind))

    tokens = _md.parse(markdown or "")
    in_item = in_body = False
    first_cell = False
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            in_item = True
        elif tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tbody_close":
            in_body = False
        elif tok.type == "tr_open":
            first_cell = True
        elif tok.type == "fence":
            lang = tok.info.strip().split(" ")[0].lower()
            if lang in SHELL_LANGS:
                for line in tok.content.splitlines():
                    line = line.strip().removeprefix("$ ").strip()
                    if line and not line.startswith("#") and _COMMAND.match(line):
                        add(line.rstrip("\\").strip(), "code")
        elif tok.type == "inline":
            lead = False
            if in_item and i > 0 and tokens[i - 1].type == "paragraph_open":
                head = _head(tok.children)
                add(head.text, head.kind)
                in_item, lead = False, True
            elif in_body and tokens[i - 1].type == "td_open" and first_cell:
                add(_plain(tok.children), "table")
                first_cell, lead = False, True
            for term in _bold_terms(tok.children, lead):
                add(term, "bold")
            for c in tok.children or ():
                if c.type == "code_inline" and _COMMAND.match(c.content.strip()):
                    add(c.content.strip(), "code")
    return tuple(found)


@cache
def _stemmer() -> Any:
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("english")


def _stems(words: Iterable[str]) -> list[str]:
    return list(_stemmer().stemWords(list(words)))


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _identifiers(text: str) -> list[str]:
    return _IDENT.findall(text)


class _Answer:
    """A typed answer, ready to be matched."""

    def __init__(self, text: str) -> None:
        words = _words(text)
        self.stems = set(_stems(words))
        self.joined = {a + b for a, b in itertools.pairwise(words)} | set(words)
        self.idents = set(_identifiers(text))

    def covers(self, point: KeyPoint) -> bool:
        if point.code:
            wanted = _identifiers(_PLACEHOLDER.sub(" ", point.text))[:3]
            return bool(wanted) and all(w in self.idents for w in wanted)
        text = point.text.removesuffix("…")
        aside = " ".join(_ASIDE.findall(text))
        main = _ASIDE.sub(" ", text)
        if self._said(main):
            return True
        # a short aside is another name: "Daemon (dockerd)" is covered by "dockerd"
        return 0 < len(_words(aside)) <= 2 and self._said(aside)

    def _said(self, text: str) -> bool:
        """Whether at least half of the words of ``text`` are in the answer."""
        words = [w for w in _words(text) if w not in _STOP] or _words(text)
        if not words:
            return False
        hit = [s in self.stems for s in _stems(words)]
        for n, (a, b) in enumerate(itertools.pairwise(words)):
            if a + b in self.joined:  # "file system" said as "filesystem"
                hit[n] = hit[n + 1] = True
        return sum(hit) >= math.ceil(len(words) / 2)


def feedback(points: Sequence[KeyPoint], answer: str) -> Feedback:
    """Which of ``points`` a typed ``answer`` covers."""
    said = _Answer(answer)
    return Feedback(tuple((p, said.covers(p)) for p in points))


__all__ = ["SUGGESTIONS", "Feedback", "KeyPoint", "feedback", "key_points", "suggest"]
