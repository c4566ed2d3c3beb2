"""Renames: which question that left the page is which new one, and why.

When a refresh finds ids that left the page and new ids on it, each pair is weighed on what a
person would look at:

* **title** — the words of the two titles, without case, punctuation and small words: the
  share of the shorter title's words found in the other (1.0 when one title contains the other);
* **body** — the share of the old body's distinct words still in the new body (containment:
  an answer that grew tenfold still keeps most of what it said), and the estimated Jaccard
  similarity of the two bodies' shingle sketches (an unchanged body under a new title);
* **place** — whether the question is in the same section.

A pair can be a rename when its title and body both hold (`TITLE_MATCH` and `BODY_KEPT`), or
when its body alone is nearly the same (`RENAME_SIMILARITY`, a rewritten title over the same
answer, or a question moved to another section). Among the pairs that can, one assignment is
chosen that gives the best total score (title + body + place; see `assign`), so no question is
taken twice and none is taken first-come. A question whose old title is still on the page (a
reorder, a duplicate) is never taken as renamed.

The thresholds come from the page's published history (``tests/fixtures/history/docker``):

* the five retitles there keep 70–100% of the old body's words (``OOMKilled`` → ``OOMKilled
  (Exit Code 137)`` is the lowest, 70%), and 67–100% of the old title's words
  (``Docker Content Trust`` → ``Image Signing — Content Trust, Cosign, and Notation``: 2 of 3);
* among all other pairs of questions of consecutive versions whose titles share at least half
  their words, the most old body words another question of the same section repeats is 62%
  (``Image Layers & Union File System`` → ``Image vs Container``, title 1 of 2) and, for a title
  fully contained, 50% (``Docker Secrets`` → ``BuildKit Deep Dive — Cache Mounts, Secrets, and
  SSH``). `BODY_KEPT` sits between 62% and 70%, `TITLE_MATCH` between 50% and 67%.
* an unrelated question put in place of another shares almost no title words (at most one of
  two), so the title gate keeps it a new question even when common words fill both bodies
  (up to 83% of a short old body's words appear in an unrelated neighbour's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dockerqa._text import words

#: Smallest share of the shorter title's words found in the other title for a rename.
TITLE_MATCH = 0.6
#: Smallest share of the old body's distinct words still in the new body for a rename.
BODY_KEPT = 0.65
#: Smallest estimated body similarity at which a new id is taken for a renamed question
#: whatever its title (the body is nearly unchanged).
RENAME_SIMILARITY = 0.6
#: Words a title comparison ignores.
_SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "how", "in", "into", "is", "it", "of",
    "on", "or", "the", "to", "vs", "what", "when", "where", "which", "who", "why", "with",
})  # fmt: skip


@dataclass(frozen=True)
class Signals:
    """What a candidate rename looks like to a person."""

    title: float
    """Share of the shorter title's words in the other (0 to 1)."""
    contains: str
    """``new`` when the new title holds every word of the old one, ``old`` for the reverse,
    ``same`` when they are the same words, else empty."""
    kept: float
    """Share of the old body's distinct words still in the new body (0 to 1)."""
    alike: float
    """Estimated Jaccard similarity of the two bodies (0 to 1)."""
    same_section: bool
    """Whether both are in the same section."""

    @property
    def eligible(self) -> bool:
        """Whether the pair can be a rename at all."""
        return (self.title >= TITLE_MATCH and self.kept >= BODY_KEPT) or (
            self.alike >= RENAME_SIMILARITY
        )

    @property
    def score(self) -> float:
        """What `assign` maximises: title + body + place, each from 0 to 1."""
        return self.title + max(self.kept, self.alike) + (1.0 if self.same_section else 0.0)

    def describe(self) -> str:
        """``title contains the old one, same section, 70% of the old answer kept``."""
        if self.contains == "same":
            title = "same title words"
        elif self.contains == "new":
            title = "title contains the old one"
        elif self.contains == "old":
            title = "old title contains the new one"
        elif self.title > 0:
            title = f"title shares {self.title:.0%} of its words"
        else:
            title = "new title"
        parts = [
            title,
            "same section" if self.same_section else "other section",
            f"{self.kept:.0%} of the old answer kept",
        ]
        if self.alike >= RENAME_SIMILARITY:
            parts.append(f"body {self.alike:.0%} alike")
        return ", ".join(parts)


def title_words(title: str) -> frozenset[str]:
    """The words a title comparison looks at (all of them when every word is small)."""
    ws = set(words(title))
    return frozenset(ws - _SMALL_WORDS or ws)


def signals(
    old_title: str,
    old_body: str,
    old_section: str,
    new_title: str,
    new_body: str,
    new_section: str,
    alike: float,
) -> Signals:
    """The signals of one candidate pair; ``alike`` is the bodies' sketch similarity."""
    a, b = title_words(old_title), title_words(new_title)
    shared = len(a & b)
    title = shared / min(len(a), len(b)) if a and b else 0.0
    contains = "same" if a == b and a else "new" if a and a <= b else "old" if b and b <= a else ""
    old_words = set(words(old_body))
    kept = len(old_words & set(words(new_body))) / len(old_words) if old_words else 0.0
    return Signals(title, contains, kept, alike, old_section == new_section)


def assign(weights: Sequence[Sequence[float | None]]) -> list[tuple[int, int]]:
    """The (row, column) pairs of a one-to-one assignment with the largest total weight.

    ``None`` marks a pair that may not be chosen; rows and columns may stay unassigned. The
    Hungarian method on the padded square matrix, O(n³) for n rows and columns.
    """
    rows = len(weights)
    cols = max((len(r) for r in weights), default=0)
    n = max(rows, cols)
    if n == 0:
        return []
    top = max((w for r in weights for w in r if w is not None), default=0.0)
    # costs to minimise: a forbidden or padded pair costs what a pair of weight 0 would
    cost = [
        [
            top - w
            if i < rows and j < len(weights[i]) and (w := weights[i][j]) is not None
            else top
            for j in range(n)
        ]
        for i in range(n)
    ]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    match = [0] * (n + 1)  # column → row (1-based; 0: none)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    pairs = []
    for j in range(1, n + 1):
        i = match[j] - 1
        if i < rows and j - 1 < len(weights[i]) and weights[i][j - 1] is not None:
            pairs.append((i, j - 1))
    return sorted(pairs)
