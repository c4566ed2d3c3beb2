"""Feedback on a typed answer: the key points of the strong answer, each covered or missed.

The key points of an answer are, in source order and each once: the heads of its list items
(a step, a bullet: its bold lead, else its words up to the first colon, dash, full stop or
question mark in its prose; an item with bold terms has them instead), the rows of its tables
(the first cell; a command there is code), its bold terms (not bold labels such as
``**Why:**``) and the commands in its code (inline code of two words or more that starts with
a lower-case command, lines of shell code blocks without their comments). A ``Step N`` before
a head or bold term, and its full stop, are left out; a bold term or command already part of
an earlier point is not a point again. Mermaid diagrams give none.

A prose point is covered when at least half of its words appear in the answer, case and
inflection aside (Snowball English stems; ``file system`` also matches ``filesystem``);
bracketed asides are left out, though an aside of one or two words (another name, as in
``Daemon (dockerd)``) covers the point too. A command is covered when its first words (up to
`CODE_WORDS`: names, flags, paths, to the first placeholder, quote or pipe; of a pipeline,
the part with the most) appear together and in order in the answer, exactly as written, case
included; one with fewer than two such words is matched as prose. The share covered
suggests a rating (`suggest`). Nothing here prints: front-ends show `Feedback`.
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
#: A word of a command as matched: a name, a flag, a path or an address (not a placeholder,
#: a quoted template or a pipe, which end what is matched).
_CODE_WORD = re.compile(r"-{0,2}[A-Za-z0-9_][\w.:/@+=,%-]*")
#: A shell comment after a command.
_COMMENT = re.compile(r"\s+#.*$")
#: Words of a command that a typed answer must give, in order.
CODE_WORDS = 4
#: What is taken off the ends of a typed word: punctuation around it, Markdown's backticks.
_AROUND = "`'\".,;:!?()[]{}"
_COMMAND = re.compile(r"^[a-z][a-z0-9._-]*(?:\s+\S+)+$")
#: A parenthesised aside, and what a cut head's last aside left open: not matched in prose.
_ASIDE = re.compile(r"\([^)]*(?:\)|$)")
_HEAD_END = re.compile(r":\s|\s--\s|\s—\s|[.?]\s|[.?]$|:$")
#: A step's number before its bold lead: ``Step 1 — ``, ``Step 2: ``.
_STEP = re.compile(r"^Step\s+\d+\s*(?:[—:.-]+|--)\s*", re.I)
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


def _trimmed(children: Sequence[Token] | None) -> list[Token]:
    """An inline token's children without the empty text markdown-it may put first (before
    a bold run that ends in punctuation)."""
    kids = list(children or ())
    while kids and kids[0].type == "text" and not kids[0].content.strip():
        kids.pop(0)
    return kids


def _head(kids: Sequence[Token]) -> KeyPoint | None:
    """A list item's head: its bold lead (without a ``Step N`` before it) or leading command,
    else its words up to the first stop in its prose (code is taken whole); None for an item
    whose bold terms stand for it."""
    if kids and kids[0].type == "text" and (step := _STEP.match(kids[0].content)):
        rest = kids[0].content[step.end() :]
        kids = [kids[0].copy(content=rest)] * bool(rest.strip()) + list(kids[1:])
    if kids and kids[0].type == "strong_open":
        end = next(i for i, c in enumerate(kids) if c.type == "strong_close")
        text = _STEP.sub("", _plain(kids[1:end])).rstrip(":.").strip()
        return KeyPoint(text, "list")
    if kids and kids[0].type == "code_inline" and _COMMAND.match(kids[0].content.strip()):
        return KeyPoint(kids[0].content.strip(), "code")
    if any(c.type == "strong_open" for c in kids):
        return None
    text = ""
    for c in kids:
        if c.type == "code_inline":
            text += c.content
        elif c.type in {"text", "softbreak"}:
            prose = c.content if c.type == "text" else " "
            if m := _HEAD_END.search(prose):
                text += prose[: m.start()]
                break
            text += prose
    words = text.split()
    cut = " ".join(words[:HEAD_WORDS]) + (" …" if len(words) > HEAD_WORDS else "")
    return KeyPoint(cut, "list")


def _bold_terms(kids: Sequence[Token], skip_lead: bool) -> Iterable[str]:
    """Bold runs that are terms, not labels (a label ends with, or is followed by, a colon)."""
    for i, c in enumerate(kids):
        if c.type != "strong_open" or (skip_lead and i == 0):
            continue
        end = next(j for j in range(i, len(kids)) if kids[j].type == "strong_close")
        term = _plain(kids[i + 1 : end])
        after = kids[end + 1].content if end + 1 < len(kids) else ""
        if term and not term.endswith(":") and not after.startswith(":"):
            yield _STEP.sub("", term).rstrip(".").strip()


def key_points(markdown: str | None) -> tuple[KeyPoint, ...]:
    """The key points of an answer, in source order, each once (see the module's docstring)."""
    found: list[KeyPoint] = []
    seen: set[str] = set()

    def add(text: str, kind: str) -> None:
        key = text.casefold()
        if kind in {"bold", "code"} and any(_within(key, k) for k in seen):
            return  # a term or command the answer already gave as (part of) a point
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
                    line = _COMMENT.sub("", line.strip().removeprefix("$ ")).strip()
                    if line and not line.startswith("#") and _COMMAND.match(line):
                        add(line.rstrip("\\").strip(), "code")
        elif tok.type == "inline":
            kids = _trimmed(tok.children)
            lead = False
            if in_item and i > 0 and tokens[i - 1].type == "paragraph_open":
                head = _head(kids)
                if head is not None:
                    add(head.text, head.kind)
                in_item, lead = False, head is not None
            elif in_body and tokens[i - 1].type == "td_open" and first_cell:
                cell = _plain(kids)
                command = len(kids) == 1 and kids[0].type == "code_inline"
                add(cell, "code" if command and _COMMAND.match(cell) else "table")
                first_cell, lead = False, True
            for term in _bold_terms(kids, lead):
                add(term, "bold")
            for c in kids:
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


def _within(short: str, long: str) -> bool:
    """Whether ``short`` is in ``long`` as whole words."""
    return re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", long) is not None


def _command(text: str) -> list[str]:
    """The words of a command that are matched: up to `CODE_WORDS`, to the first that is not
    a name, flag, path or address; of a pipeline, those of the part with the most."""
    parts: list[list[str]] = []
    for part in text.split("|"):
        words: list[str] = []
        for word in part.split()[:CODE_WORDS]:
            if not _CODE_WORD.fullmatch(word):
                break
            words.append(word.strip(_AROUND))
        parts.append(words)
    return max(parts, key=len)


class _Answer:
    """A typed answer, ready to be matched."""

    def __init__(self, text: str) -> None:
        words = _words(text)
        self.stems = set(_stems(words))
        self.joined = {a + b for a, b in itertools.pairwise(words)} | set(words)
        self.tokens = " " + " ".join(w.strip(_AROUND) for w in text.split()) + " "

    def covers(self, point: KeyPoint) -> bool:
        wanted = _command(point.text) if point.code else []
        if len(wanted) >= 2:
            return f" {' '.join(wanted)} " in self.tokens
        text = point.text.removesuffix("…")  # prose, or a command too short to match exactly
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


__all__ = ["CODE_WORDS", "SUGGESTIONS", "Feedback", "KeyPoint", "feedback", "key_points", "suggest"]
