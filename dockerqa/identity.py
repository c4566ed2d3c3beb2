"""Question identity: what makes a question the same one across edits of its page.

Everything the lock records about a question is computed here, and only here:

* its **content fingerprint** (`content_fingerprint`: every field it shows, never its line
  numbers or printed number) and its **body sketch** (`sketch`: a bottom-k MinHash of word
  shingles, one implementation for bodies and follow-ups, compared with `similarity`);
* its **follow-up slots** (`follow_up_slots`): a follow-up keeps its slot when others are
  inserted, removed or reordered, and when its own wording is edited;
* its **table rows' keys** (`row_aliases`): a comparison-table row whose feature is reworded
  keeps its card when the rest of the row says it is the same row, as an edited follow-up
  keeps its slot (recorded only then);
* its **renames** (`apply_renames` maps a loaded library to the ids the lock keeps, `compute`
  decides new ones): the one owner of renames. `dockerqa.load` never reads the lock; every
  command opens a page through `dockerqa.pipeline.open_page`, which applies the renames before
  any filter.

`compute` gives the next lock from a whole library and the previous lock:

* an unchanged question keeps ``changed``; a changed one gets ``max(now, changed + 1)``;
* a new question gets ``now`` (``SOURCE_DATE_EPOCH`` when set, else the clock);
* a question gone from the source stays, marked ``retired`` at ``max(now, changed + 1)``;
  a retired question that comes back is active again with a newer ``changed``;
* a question that left and a new one that came in the same refresh are the same question
  when what a person would look at says so (see *Renames* below); it keeps the old id.

Renames
-------
When a refresh finds ids that left the page and new ids on it, each pair is weighed on what a
person would look at:

* **title** — the words of the two titles, without case, punctuation and small words, a plural
  as its singular (``Proxies`` is ``Proxy``): the share of the shorter title's words found in
  the other (1.0 when one title contains the other);
* **body** — the share of the old body's distinct words still in the new body (containment:
  an answer that grew tenfold still keeps most of what it said), and the estimated Jaccard
  similarity of the two bodies' shingle sketches (an unchanged body under a new title);
* **place** — whether the question is in the same section and, where the lock records it
  (``number`` and ``after``, see `dockerqa.lock`), whether it prints the same number and stands
  between the same questions (its neighbours; on one side a question that left and one that
  came, two neighbours retitled together, counts when the other side is the same). A lock
  made before places were recorded gives the section only.

Words are compared in any script (`dockerqa._text.tokens`: a Chinese, Japanese or Korean
character is a word). A question with the same title words in the same section whose id
changed anyway (ids of titles without Latin letters used to be positional) is the same
question: ids already in a lock are kept.

A pair can be a rename when its title and body both hold (`TITLE_MATCH` and `BODY_KEPT`), when
its body alone is nearly the same (`RENAME_SIMILARITY`, a rewritten title over the same answer,
or a question moved to another section), or when it stays in its section and one title holds
every word of the other, small words included (a retitle in place: words added or dropped, case
and punctuation changed), or when its title has the same words in any section (a move),
whatever became of its answer, or when it stands at the old one's place (same section, and same
number or same neighbours) and one of title and body holds while the other nearly does
(`PLACE_TITLE` with `BODY_KEPT`, or `TITLE_MATCH` with `PLACE_KEPT`). Among the pairs that
can, one assignment is chosen that gives the best total score (title + body + place, the
number and the neighbours adding a quarter each to the section; see `assign`), so no question
is taken twice and none is taken first-come. A question whose old title is still on the page,
held by a question the lock does not know yet (a reorder, a duplicate), goes to a question that
holds it, never to one under another title (of two that hold it, the best total decides); a
namesake the lock already knows keeps its own id and holds no other's.

The place lowers one bar, never both, and never alone: a question removed and an unrelated one
put at its number, between the same neighbours, differs in title and answer, so it stays new.

The thresholds come from the page's published history (``tests/fixtures/history/docker``) and
the published histories of 23 other interview pages of the same site (73 consecutive pairs):

* the five retitles of the Docker page keep 70–100% of the old body's words (``OOMKilled`` →
  ``OOMKilled (Exit Code 137)`` is the lowest, 70%), and 67–100% of the old title's words
  (``Docker Content Trust`` → ``Image Signing — Content Trust, Cosign, and Notation``: 2 of 3);
* among all other pairs of questions of consecutive Docker versions in one section whose titles
  share at least half their words, the most old body words another question repeats is 62%
  (``Image Layers (Union File System)`` → ``Image vs Container``, title 1 of 2). On the other
  pages, a pair of unrelated questions with 60% of title words in common keeps up to 54%
  (``How do you handle errors in Express?`` → ``How do you test an Express application?…``).
  `BODY_KEPT` sits above both and at or below 70%, `TITLE_MATCH` between 50% and 67%.
* at the old question's place, real retitles come in between: at the same number,
  ``Regular Expressions Basics`` → ``Regular Expressions (Practical Patterns)`` keeps 61% of
  the old answer and ``Annotation vs XML Config`` → ``Annotation vs XML Configuration`` 58%
  (titles 2 of 3); ``Testing A11y`` → ``Testing Accessibility``, ``CORS details`` → ``CORS
  (Cross-Origin Resource Sharing)`` and seven more share half their title words and keep
  67–100% of the old answer. The unrelated pairs above are the other bound: 54% at title 60%
  (``PLACE_KEPT``, 56%, between 54% and 58%) and 62% at title 50% (so half the title's words
  still needs `BODY_KEPT`). Measured on the 24 real histories, the lock carried along version
  to version: with the place, 248 renames instead of 237, the 11 new ones each read and each
  a retitle at the same number; none decided before changed. Retitles that share less than
  half their title words stay new questions even in place (``Security (Pickle vs YAML)`` →
  ``Security: Serialization Dangers``, 92% of the answer kept, 1 title word of 3): a short
  old answer's words are often all in an unrelated one (below), so the body alone does not
  decide there. A missed rename is one `dockerqa lock --rename`, a wrong one gives a
  learner's reviews to another question.
* an unrelated question shares few title words with the one it replaces, so the title keeps it
  a new question even when common words fill both bodies: 83% of a short old body's words are
  in an unrelated neighbour's (``Exposing Ports (`-p`)`` → ``How Bridge Network works
  (Internals)``, no title word in common).
* a retitle in place often rewrites the answer: on the other pages, of the titles that gained
  words at the same number in the same section, the old answer kept as little as 21% of its
  words (``Race Conditions`` → ``Race Conditions in Asyncio?``); 16 of those 131 were under
  `BODY_KEPT`. Every pair of questions of one section whose titles are one inside the other is
  a retitle, or one of two old questions merged into one new, on the Docker page and the
  others; across sections such pairs are often unrelated (``Decorators`` → ``Property
  Decorators (Getters/Setters)``), so containment alone holds only in the same section. Small
  words count there: ``What is Docker Swarm?`` and ``Docker Swarm Networking`` share every word
  a title comparison looks at and ask different things. One real retitle misses for it
  (``Precision vs Recall (and F1 Score)`` → ``Precision, Recall, and F1 Score (With Code)``,
  46% of the old answer kept); ``dockerqa lock --rename`` keeps such a one.
* a page reorganised into new sections moves questions under their titles and rewrites them on
  the way: 22 such moves on the other pages, the old answer keeping 20–65% of its words
  (``Symbol Type``, 20%); of the questions that left and came in one refresh, every pair with
  the same title words in two sections was such a move (namesakes that stay on the page keep
  their own ids and are never weighed).
* the synthetic cases of ``tests/test_renames.py`` hold them: ``Docker Swarm Basics`` replaced
  by ``Docker Compose Basics`` (title 2 of 3 words, so past `TITLE_MATCH`, but an unrelated
  body) stays a new question; an answer grown fourfold around the old one under a longer title
  is a rename, and so is a title that gained or lost words over an answer written anew; two
  retitled questions that swap places each keep their own id; at the same number, half the
  title with the answer grown around the old one, or two thirds of the title with 59% of the
  answer, is a rename, and a title sharing half or two thirds of its words over another answer
  is not; a question moved away under a new title leaves its number to a new question; without
  numbers, the neighbours alone give the place.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dockerqa._load import BUNDLED_NAME, bundled_source, lock_path, metadata_path
from dockerqa._meta import read_meta
from dockerqa._parse import natural_id
from dockerqa._text import fingerprint, page_key, tokens, words, words_fingerprint
from dockerqa.errors import LockError
from dockerqa.lock import (
    FORMAT_VERSION,
    NOT_IN_SNAPSHOT,
    Lock,
    LockChanges,
    LockEntry,
    SectionEntry,
    current_time,
    lock_command,
)
from dockerqa.model import SLOT_LIMIT, Library, Question
from dockerqa.tables import TableRow, table_rows

#: Smallest share of the shorter title's words found in the other title for a rename.
TITLE_MATCH = 0.6
#: Smallest share of the old body's distinct words still in the new body for a rename.
BODY_KEPT = 0.65
#: Smallest estimated body similarity at which a new id is taken for a renamed question
#: whatever its title (the body is nearly unchanged).
RENAME_SIMILARITY = 0.6
#: At the old question's place (same section, and same number or neighbours), the smallest
#: share of the shorter title's words for a rename whose body holds (`BODY_KEPT`)...
PLACE_TITLE = 0.5
#: ...and the smallest share of the old body's words kept for one whose title holds
#: (`TITLE_MATCH`): the place lowers one of the two bars, never both.
PLACE_KEPT = 0.56
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
    whole: bool = False
    """Whether one title holds every word of the other, small words included (for titles
    without words: whether they are the same)."""
    number: bool | None = None
    """Whether both print the same number (None: neither prints one, or the lock did not
    record it)."""
    neighbours: bool = False
    """Whether the questions before and after it in its section are the same ones (see
    `_neighbours`)."""

    @property
    def at_place(self) -> bool:
        """Whether it stands where the old one stood: same section, and same number or same
        neighbours."""
        return self.same_section and (self.number is True or self.neighbours)

    @property
    def eligible(self) -> bool:
        """Whether the pair can be a rename at all."""
        return (
            (self.title >= TITLE_MATCH and self.kept >= BODY_KEPT)
            or self.alike >= RENAME_SIMILARITY
            or (bool(self.contains) and self.whole and self.same_section)  # retitled in place
            or (self.contains == "same" and self.whole)  # moved under its title
            or (
                self.at_place
                and (
                    (self.title >= PLACE_TITLE and self.kept >= BODY_KEPT)
                    or (self.title >= TITLE_MATCH and self.kept >= PLACE_KEPT)
                )
            )
        )

    @property
    def moved_only(self) -> bool:
        """Whether only its title words say so, in another section (a move; its answer alone
        would not say so)."""
        return (
            self.eligible
            and not self.same_section
            and not (self.title >= TITLE_MATCH and self.kept >= BODY_KEPT)
            and self.alike < RENAME_SIMILARITY
        )

    @property
    def score(self) -> float:
        """What `assign` maximises: title + body + place (1 for the same section, a quarter
        more each for the same number and the same neighbours)."""
        place = 1.0 + 0.25 * (self.number is True) + 0.25 * self.neighbours
        return self.title + max(self.kept, self.alike) + (place if self.same_section else 0.0)

    def where(self) -> str:
        """``same place`` (section, number and neighbours), else what of it held."""
        if not self.same_section:
            return "other section"
        if self.neighbours and self.number is not False:
            return "same place"
        if self.number is True:
            return "same section and number"
        if self.neighbours:
            return "same section and neighbours"
        return "same section"

    def describe(self) -> str:
        """``title contains the old one, same place, 70% of the old answer kept``."""
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
            self.where(),
            f"{self.kept:.0%} of the old answer kept",
        ]
        if self.alike >= RENAME_SIMILARITY:
            parts.append(f"body {self.alike:.0%} alike")
        return ", ".join(parts)


def title_words(title: str) -> frozenset[str]:
    """The words a title comparison looks at (all of them when every word is small), one or
    many alike (``Volumes`` and ``Volume``)."""
    ws = {_one(w) for w in tokens(title)}
    return frozenset(ws - _SMALL_WORDS or ws)


def _one(word: str) -> str:
    """A title word with an English plural's ending taken off: ``proxies`` → ``proxy``,
    ``mounts`` → ``mount`` (never ``class``, ``status`` or ``analysis``)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _title_key(title: str) -> tuple[str, ...]:
    """What makes two titles the same title: their words, else their characters."""
    return tuple(_one(w) for w in tokens(title)) or tuple(title.casefold().split())


def signals(
    old_title: str,
    old_body: str,
    old_section: str,
    new_title: str,
    new_body: str,
    new_section: str,
    alike: float,
    *,
    number: bool | None = None,
    neighbours: bool = False,
) -> Signals:
    """The signals of one candidate pair; ``alike`` is the bodies' sketch similarity,
    ``number`` and ``neighbours`` whether it prints the same number (None: neither prints one)
    and stands between the same questions."""
    old, new = (
        _Side.of(old_title, old_body, old_section),
        _Side.of(new_title, new_body, new_section),
    )
    return replace(_weigh(old, new, alike), number=number, neighbours=neighbours)


@dataclass(frozen=True)
class _Side:
    """What the signals look at in one question, computed once per refresh."""

    title: str
    title_words: frozenset[str]
    all_title_words: frozenset[str]
    body_words: frozenset[str]
    section: str

    @classmethod
    def of(cls, title: str, body: str, section: str) -> _Side:
        words = frozenset(_title_key(title))
        return cls(title, title_words(title), words, frozenset(tokens(body)), section)


def _weigh(old: _Side, new: _Side, alike: float) -> Signals:
    a, b = old.title_words, new.title_words
    title = len(a & b) / min(len(a), len(b)) if a and b else 0.0
    same = a == b and bool(a or old.title.casefold().split() == new.title.casefold().split())
    contains = "same" if same else "new" if a and a <= b else "old" if b and b <= a else ""
    ws = old.body_words
    kept = len(ws & new.body_words) / len(ws) if ws else 0.0
    c, d = old.all_title_words, new.all_title_words
    whole = bool(c and d) and (c <= d or d <= c)
    return Signals(title, contains, kept, alike, old.section == new.section, whole)


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


# --- fingerprints, sketches and follow-up slots ---------------------------------------------


#: Smallest estimated similarity at which an edited follow-up keeps its slot.
FOLLOW_UP_SIMILARITY = 0.5
#: Number of hashes kept in a body sketch.
SKETCH_SIZE = 32
#: Fields of a question that are not part of its content: identity, numbering and position.
_NOT_CONTENT = frozenset({"id", "number", "heading", "source"})
#: Content fields stored beside the snapshot rather than in it (``title``, ``section``).
_BESIDE_SNAPSHOT = NOT_IN_SNAPSHOT - _NOT_CONTENT
_SHINGLE = 3
#: Question fields of format 1, whose content fingerprints included empty values.
_V1_FIELDS = (
    "kind", "level", "prompt", "steps", "answer", "interviewer_intent", "red_flag", "follow_ups",
    "weak_answer", "strong_answer", "senior_view", "staff_view", "parts", "tags", "title",
    "section",
)  # fmt: skip


def body_text(question: Question) -> str:
    """The question's body: every text field except the title, in study order."""
    return "\n\n".join(question.text_fields().values())


def sketch(text: str, shingle: int = _SHINGLE, size: int = SKETCH_SIZE) -> str:
    """Bottom-k MinHash of a text's word shingles (see `similarity`): the ``size`` smallest
    4-byte hashes of its ``shingle``-word runs, as sorted 8-digit hex words."""
    ws = words(text)
    if not ws:
        return ""
    runs = {" ".join(ws[i : i + shingle]) for i in range(max(1, len(ws) - shingle + 1))}
    hashes = sorted(
        {int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest()) for s in runs}
    )
    return " ".join(f"{h:08x}" for h in hashes[:size])


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of the shingle sets two sketches stand for (0 to 1)."""
    sa, sb = set(a.split()), set(b.split())
    if not sa or not sb:
        return 0.0
    union = sorted(sa | sb, key=lambda h: int(h, 16))[:SKETCH_SIZE]
    return sum(1 for h in union if h in sa and h in sb) / len(union)


def _content(question: Question) -> dict[str, Any]:
    """What a question shows, without empty values (so a new optional field changes nothing)."""
    data = question.model_dump(mode="json", exclude=set(_NOT_CONTENT))
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def _v1_content(question: Question) -> dict[str, Any]:
    """What format 1 fingerprinted: every field of its time, empty ones included."""
    data = question.model_dump(mode="json", include=set(_V1_FIELDS))
    return {k: data.get(k) for k in _V1_FIELDS}


def content_fingerprint(question: Question) -> str:
    """Fingerprint of everything the question shows."""
    return fingerprint(_canonical(_content(question)))


def _follow_up_slot(text: str) -> str:
    """A slot: the follow-up's fingerprint, then a sketch of its word pairs (8 hashes)."""
    return " ".join(filter(None, [words_fingerprint(text), sketch(text, shingle=2, size=8)]))


def follow_up_slots(question: Question, previous: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The question's follow-up slots after ``previous``.

    A follow-up whose question is unchanged keeps its slot; an edited one keeps the vacated
    slot it is most similar to (at least `FOLLOW_UP_SIMILARITY`); a new one takes a new slot,
    or once `SLOT_LIMIT` slots exist, the first vacated one. Vacated slots are kept, so a
    follow-up that comes back finds its slot again.
    """
    slots = list(previous)
    current = [_follow_up_slot(f.question) for f in question.follow_ups]
    by_fingerprint = {slot.split(" ", 1)[0]: i for i, slot in enumerate(slots)}
    placed: dict[int, int] = {}  # follow-up index → slot index
    for j, slot in enumerate(current):
        i = by_fingerprint.get(slot.split(" ", 1)[0])
        if i is not None and i not in placed.values():
            placed[j] = i
    vacated = [i for i in range(len(slots)) if i not in placed.values()]
    candidates = sorted(
        (-similarity(_sketch_of(current[j]), _sketch_of(slots[i])), i, j)
        for j in range(len(current))
        if j not in placed
        for i in vacated
    )
    for score, i, j in candidates:
        if -score >= FOLLOW_UP_SIMILARITY and j not in placed and i not in placed.values():
            placed[j] = i
    for j in range(len(current)):
        if j in placed:
            slots[placed[j]] = current[j]
            continue
        free = [i for i in range(len(slots)) if i not in placed.values()]
        if len(slots) < SLOT_LIMIT or not free:
            slots.append(current[j])
            placed[j] = len(slots) - 1
        else:
            slots[free[0]] = current[j]
            placed[j] = free[0]
    return tuple(slots)


def _row_sketch(row: TableRow) -> str:
    """A row's words (its feature and cells) as a follow-up's are sketched."""
    return sketch(" ".join((row.feature, *row.cells)), shingle=2, size=8)


def row_aliases(
    question: Question, before: Question | None, previous: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The aliases of the question's table rows after ``before`` (the question as the lock last
    saw it) with the aliases it had then (`LockEntry.rows`).

    A row is known by its feature (`TableRow.key`). A row whose feature was there before keeps
    the key it had; a row with a new feature keeps the key of a row that left, when the two
    rows' words are alike as an edited follow-up's must be (`FOLLOW_UP_SIMILARITY`, most alike
    first); any other row is new. Only rows whose key differs from their feature's are listed.
    """
    previous = previous or {}
    now = table_rows(question)
    earlier = table_rows(before) if before is not None else ()
    kept = {r.key: previous.get(r.key, r.key) for r in earlier}  # feature key → card key
    sketches = {kept[r.key]: _row_sketch(r) for r in earlier}
    identity: dict[int, str] = {j: kept[r.key] for j, r in enumerate(now) if r.key in kept}
    vacated = [k for k in sketches if k not in identity.values()]
    candidates = sorted(
        (-similarity(_row_sketch(now[j]), sketches[k]), i, j)
        for j in range(len(now))
        if j not in identity
        for i, k in enumerate(vacated)
    )
    for score, i, j in candidates:
        if (
            -score >= FOLLOW_UP_SIMILARITY
            and j not in identity
            and vacated[i] not in identity.values()
        ):
            identity[j] = vacated[i]
    for j, row in enumerate(now):
        if j not in identity:  # a new row: its own key, unless a kept row holds it
            key, n = row.key, 1
            while key in identity.values():
                n += 1
                key = f"{row.key}+{n}"
            identity[j] = key
    return {now[j].key: k for j, k in sorted(identity.items()) if k != now[j].key}


def _sketch_of(slot: str) -> str:
    return slot.split(" ", 1)[1] if " " in slot else ""


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def keyed(library: Library) -> bool:
    """Whether the page names its own key (its metadata, or ``loads(key=...)``)."""
    source = library.metadata.source_file
    if library.metadata.key != page_key(source):
        return True
    meta = None if source.startswith("<") else metadata_path(Path(source))
    return meta is not None and meta.is_file() and read_meta(meta).key is not None


def with_page_key(library: Library, lock: Lock | None) -> Library:
    """The library with the key its notes carry.

    A page whose metadata names a key keeps it. Any other page gets its key once, when its
    lock is first made (`dockerqa.identity.mint_key`: its file name and a digest of its
    content then), and from then on the key the lock records, never its file name or folder:
    a page renamed or moved with its lock keeps every note, and two pages of one file name
    never share one. A lock without a key (format 1) keeps the file name's.
    """
    if keyed(library):
        return library
    key = (lock.key or library.metadata.key) if lock is not None else mint_key(library)
    if key == library.metadata.key:
        return library
    return library.model_copy(update={"metadata": library.metadata.model_copy(update={"key": key})})


def mint_key(library: Library) -> str:
    """A key for a page whose metadata names none, made when its first lock is: the key its
    file name gives and a digest of its questions' content, so two fresh builds of one page
    agree and two pages of one file name differ."""
    content = "\n".join(content_fingerprint(q) for q in library)
    digest = hashlib.blake2b(content.encode(), digest_size=4).hexdigest()
    return f"{library.metadata.key}-{digest}"


def _is_natural(question: Question) -> bool:
    """Whether the question's id is the one its title gives (possibly with a ``-N`` suffix)."""
    natural = natural_id(question.section, question.title)
    return (
        question.id == natural
        or re.fullmatch(re.escape(natural) + r"-\d+", question.id) is not None
    )


def _snapshot(content: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in content.items() if k not in _BESIDE_SNAPSHOT and v not in (None, [])}


def entry_for(
    question: Question,
    *,
    changed: int,
    alias: str | None = None,
    retired: int | None = None,
    follow_ups: tuple[str, ...] = (),
    rows: Mapping[str, str] | None = None,
    number: int | None = None,
    after: str | None = None,
) -> LockEntry:
    """A lock entry describing ``question`` as it is now (``rows``: its table rows' aliases;
    ``number`` and ``after``: where it stands, see `dockerqa.lock.LockEntry`)."""
    content = _content(question)
    return LockEntry(
        id=question.id,
        title=question.title,
        section=question.section,
        content=fingerprint(_canonical(content)),
        follow_ups=follow_up_slots(question, follow_ups),
        title_hash=fingerprint(question.title),
        sketch=sketch(body_text(question)),
        changed=changed,
        retired=retired,
        alias=alias,
        rows=dict(rows or {}),
        number=number,
        after=after,
        snapshot=_snapshot(content),
    )


def _unrenamed(library: Library, lock: Lock | None) -> Library:
    """The library with the ids its titles give (the lock's renames undone)."""
    if lock is None:
        return library
    aliases = {e.id: e.alias for e in lock.active if e.alias}
    if not any(q.id in aliases for q in library):
        return library
    questions = tuple(
        q.model_copy(update={"id": aliases[q.id]}) if q.id in aliases and not _is_natural(q)
        else q
        for q in library
    )  # fmt: skip
    return library.model_copy(update={"questions": questions})


def _numbered_by_title(library: Library, lock: Lock) -> Library:
    """The library with each question keeping the numbered id (``docker``, ``docker-2``…) the
    lock records for its exact title.

    Titles that give the same slug (``Docker 🐳`` and ``Docker 🐋``, ``C++`` and ``C#``) are
    numbered in page order, so a question inserted before another takes its id; here the
    question the lock knows by that title gets it back and the inserted one takes the number
    it was given. Only ids of one slug are exchanged, and only for a title one question has.
    """
    recorded = Counter(e.title for e in lock.active)
    wanted = {e.title: e.id for e in lock.active if e.alias is None and recorded[e.title] == 1}
    on_page = Counter(q.title for q in library)
    moves = [q for q in library if wanted.get(q.title, q.id) != q.id and on_page[q.title] == 1]
    if not moves:
        return library
    questions = list(library)
    at = {q.id: i for i, q in enumerate(questions)}  # kept up to date as ids are exchanged
    place = {q.title: i for i, q in enumerate(questions)}  # for the movers' unique titles
    for mover in moves:
        i, want = place[mover.title], wanted[mover.title]
        q = questions[i]
        j = at.get(want)
        if j is None or q.id == want:
            continue
        holder = questions[j]
        base = natural_id(q.section, q.title)
        if natural_id(holder.section, holder.title) != base or not (
            want == base or re.fullmatch(re.escape(base) + r"-\d+", want)
        ):
            continue
        questions[i], questions[j] = (
            q.model_copy(update={"id": want}),
            holder.model_copy(update={"id": q.id}),
        )
        at[want], at[q.id] = i, j
    return library.model_copy(update={"questions": tuple(questions)})


def apply_renames(library: Library, lock: Lock) -> Library:
    """The library with renamed questions carrying the ids the lock keeps for them.

    A question the lock knows by its exact title keeps its numbered id first (see
    `_numbered_by_title`). A mapping applies only where its kept id is not already used in the
    library, so applying it twice, or to a library loaded with the renames, changes nothing.
    """
    library = _numbered_by_title(library, lock)
    renames = lock.renames()
    ids = {q.id for q in library}
    if not any(q.id in renames and renames[q.id] not in ids for q in library):
        return library
    questions = tuple(
        q.model_copy(update={"id": renames[q.id]})
        if q.id in renames and renames[q.id] not in ids
        else q
        for q in library
    )
    return library.model_copy(update={"questions": questions})


def _detect_renames(
    library: Library,
    previous: Lock | None,
    skip: frozenset[str] | set[str] = frozenset(),
) -> tuple[list[tuple[str, str]], dict[str, Signals]]:
    """(new id, kept id) pairs of the questions taken as renamed, and why (by kept id).

    See `dockerqa.identity` for the signals, the thresholds and the assignment.
    """
    if previous is None:
        return [], {}
    current = {q.id for q in library}
    known = {e.id for e in previous.questions}
    vanished = [e for e in previous.active if e.id not in current]
    fresh = [q for q in library if q.id not in known and q.id not in skip]
    if not vanished or not fresh:
        return [], {}
    olds = [_Side.of(e.title, body_text(e.question()), e.section) for e in vanished]
    news = [_Side.of(q.title, body_text(q), q.section) for q in fresh]
    recorded = any(e.number is not None or e.after is not None for e in previous.active)
    before, after = _order(library)
    following = {e.after: e.id for e in previous.active if e.after is not None}
    in_flux = ({e.id for e in vanished}, {q.id for q in fresh})
    sketches = [sketch(body_text(q)) for q in fresh]
    weights: list[list[float | None]] = []
    found: dict[tuple[int, int], Signals] = {}
    on_page: dict[tuple[str, ...], set[str]] = {}  # title words → ids of questions with them
    for q in library:  # a question the lock knows keeps its own id: it holds no other's title
        if q.id not in known:
            on_page.setdefault(_title_key(q.title), set()).add(q.id)
    for i, e in enumerate(vanished):
        holders = on_page.get(_title_key(e.title), set())
        row: list[float | None] = []
        for j, q in enumerate(fresh):
            s = _weigh(olds[i], news[j], similarity(sketches[j], e.sketch))
            if recorded and s.same_section:
                sides = ((e.after, before[q.id]), (following.get(e.id), after[q.id]))
                numbers = (e.number, q.number)
                s = replace(
                    s,
                    number=None if numbers == (None, None) else numbers[0] == numbers[1],
                    neighbours=_neighbours(sides, in_flux),
                )
            taken = bool(holders) and q.id not in holders  # the old title is on the page
            row.append(s.score if s.eligible and not taken else None)
            found[i, j] = s
        weights.append(row)
    rows = [i for i, row in enumerate(weights) if any(w is not None for w in row)]
    cols = [j for j in range(len(fresh)) if any(weights[i][j] is not None for i in rows)]
    small = [[weights[i][j] for j in cols] for i in rows]  # only questions that can pair
    pairs = [(rows[i], cols[j]) for i, j in assign(small)]
    renames = sorted((fresh[j].id, vanished[i].id) for i, j in pairs)
    why = {vanished[i].id: found[i, j] for i, j in pairs}
    return renames, why


def _order(library: Library) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The id of the question before and after each one in its section (None: none)."""
    before: dict[str, str | None] = {}
    after: dict[str, str | None] = {}
    last: dict[str, str] = {}
    for q in library:
        prev = last.get(q.section)
        before[q.id], after[q.id] = prev, None
        if prev is not None:
            after[prev] = q.id
        last[q.section] = q.id
    return before, after


def _neighbours(
    sides: Iterable[tuple[str | None, str | None]], in_flux: tuple[set[str], set[str]]
) -> bool:
    """Whether a question stands between the same questions as the old one: on each side
    (old neighbour, new neighbour) the same question (or none, at an end of the section), or
    on one side a question that left and one that came in this refresh (two neighbours
    retitled together) while the other side is the same."""
    same = 0
    for old, new in sides:
        if old == new:
            same += 1
        elif not (old in in_flux[0] and new in in_flux[1]):
            return False
    return same >= 1


def _overrule(
    library: Library,
    previous: Lock | None,
    rename: Mapping[str, str],
    new: Iterable[str],
) -> tuple[Library, Lock | None, dict[str, str], tuple[str, ...]]:
    """The library and previous lock with a person's decisions applied, the renames they
    force (new id → kept id) and the new questions, each named by the id the page gives (a
    renamed question may be named by the id it keeps); `LockError` naming the valid choices
    for an unknown id.

    ``library`` comes with its own ids (the previous lock's renames not applied).
    """
    new = tuple(new)
    if not rename and not new:
        return library, previous, {}, ()
    if previous is None:
        raise LockError("there is no lock yet, so no question to keep or retire")
    ids = {q.id for q in library}
    renamed_now = {a: k for a, k in previous.renames().items() if a in ids}
    # a renamed question is also named by the id it keeps (the one `dockerqa list` shows)
    page_id = {k: a for a, k in renamed_now.items()}
    rename = {(n if n in ids else page_id.get(n, n)): o for n, o in rename.items()}
    new = tuple(n if n in ids else page_id.get(n, n) for n in new)
    twice = sorted({o for o in rename.values() if list(rename.values()).count(o) > 1})
    both = sorted(set(rename) & set(new))
    if twice or both:
        what = f"{twice[0]!r} is kept by two questions" if twice else f"{both[0]!r} is renamed"
        raise LockError(f"{what}: decide one thing per question")
    choices = sorted(
        (ids - {e.id for e in previous.questions if e.alias is None}) | set(renamed_now)
    )
    for id in (*rename, *new):
        if id not in ids:
            raise LockError(
                f"{id!r} is not a question on the page (new or retitled: "
                f"{', '.join(choices) or 'none'}; any id the page's titles give works)"
            )
    own = {e.id for e in previous.questions if e.retired is None and e.alias is None}
    for id in new:
        if id in own:
            renamed = ", ".join(sorted(renamed_now)) or "none"
            raise LockError(
                f"{id!r} is a question of its own in the lock, not one it took as renamed: "
                f"nothing to make new (taken as renamed: {renamed})"
            )
    kept = {e.id for e in previous.questions}
    # the id each question on the page is kept under (its own, or the one a rename keeps)
    holder = {renamed_now.get(i, i): i for i in ids}
    for new_id, old in rename.items():
        if old == new_id:
            raise LockError(f"{old!r}={new_id!r} keeps a question's own id: nothing to decide")
        if old not in kept or holder.get(old, new_id) != new_id:
            free = sorted(kept - set(holder) - ids)  # an id the page gives is no free one
            what = (
                "is not in the lock"
                if old not in kept
                else f"is still on the page (as {holder[old]!r})"
            )
            raise LockError(
                f"{old!r} {what} (ids the lock keeps for no question on the page: "
                f"{', '.join(free) or 'none'})"
            )
    taken = set(rename) | set(new)
    olds = set(rename.values())
    questions = tuple(
        e.model_copy(update={"alias": None})
        if e.alias is not None and (e.alias in taken or e.id in olds)
        else e
        for e in previous.questions
    )
    previous = previous.model_copy(update={"questions": questions})
    return library, previous, dict(rename), new


def compute(
    library: Library,
    previous: Lock | None = None,
    *,
    now: int | None = None,
    rename: Mapping[str, str] | None = None,
    new_ids: Iterable[str] = (),
) -> Lock:
    """The lock that records ``library`` (the whole source) after ``previous``; writes nothing.

    ``library`` may be loaded with or without the previous lock's renames. ``rename`` maps
    ids the page gives now to ids of the lock they keep, ``new_ids`` lists ids the page gives that
    are new questions (whatever they were matched with is retired): a person's decisions,
    which the next refreshes keep (a rename is the entry's ``alias``, a new question an entry
    of its own).
    """
    now = current_time() if now is None else int(now)
    library = with_page_key(library, previous)
    forced: dict[str, str] = {}
    new_ids = tuple(new_ids)
    if rename or new_ids:
        library, previous, forced, new_ids = _overrule(
            _unrenamed(library, previous), previous, rename or {}, new_ids
        )
    if previous is not None:
        library = apply_renames(library, previous)
    if forced:
        questions = tuple(
            q.model_copy(update={"id": forced[q.id]}) if q.id in forced else q for q in library
        )
        library = library.model_copy(update={"questions": questions})
    renames, why = _detect_renames(library, previous, skip=set(new_ids))
    forced_pairs = [(alias, kept) for alias, kept in forced.items()]
    renames = sorted(renames + forced_pairs)
    mapping = dict(renames)
    prev = {e.id: e for e in previous.questions} if previous is not None else {}
    upgraded = (
        previous.version if previous is not None and previous.version != FORMAT_VERSION else None
    )

    changed: list[str] = []
    added: list[str] = []
    revived: list[str] = []
    retired: list[str] = []
    entries: dict[str, LockEntry] = {}
    by_hand = {kept: alias for alias, kept in forced.items()}
    before, _ = _order(library)
    for q in library:
        place: dict[str, Any] = {
            "number": q.number,
            "after": mapping.get(b, b) if (b := before[q.id]) is not None else None,
        }
        alias: str | None = by_hand.get(q.id)
        if q.id in mapping:
            alias, q = q.id, q.model_copy(update={"id": mapping[q.id]})
        p = prev.get(q.id)
        if alias is None and p is not None and p.alias and not _is_natural(q):
            alias = p.alias  # still renamed
        slots = p.follow_ups if p is not None else ()
        shown = _content(q)
        content = fingerprint(_canonical(shown))
        if p is None:
            added.append(q.id)
            new = entry_for(q, changed=now, alias=alias, **place)
        elif p.retired is not None:
            revived.append(q.id)
            rows = row_aliases(q, p.question(), p.rows)
            new = entry_for(
                q, changed=max(now, p.mod + 1), alias=alias, follow_ups=slots, rows=rows, **place
            )
        elif p.content == content and upgraded is None:
            # unchanged: keep the entry (and its sketch, the costly part)
            # unchanged content means unchanged follow-ups: their slots stand as they are
            if len(slots) < len(q.follow_ups):
                slots = follow_up_slots(q, slots)
            update: dict[str, Any] = {"alias": alias, "follow_ups": slots, **place}
            snapshot = _snapshot(shown)
            if snapshot == p.snapshot:  # the same texts: hold the page's strings, not copies
                update["snapshot"] = snapshot
            new = p.model_copy(update=update)
        elif upgraded is not None and p.content == fingerprint(_canonical(_v1_content(q))):
            new = entry_for(
                q, changed=p.changed, alias=alias, follow_ups=slots, rows=p.rows, **place
            )
        else:
            rows = row_aliases(q, p.question(), p.rows)
            new = entry_for(
                q,
                changed=max(now, p.changed + 1),
                alias=alias,
                follow_ups=slots,
                rows=rows,
                **place,
            )
            if q.id not in mapping.values():
                changed.append(q.id)
        entries[q.id] = new
    for p in prev.values():
        if p.id in entries:
            continue
        if p.retired is None:
            retired.append(p.id)
            p = p.model_copy(
                update={"retired": max(now, p.changed + 1), "alias": None, "number": None,
                        "after": None}
            )  # fmt: skip
        entries[p.id] = p

    sections = tuple(SectionEntry(id=s.id, title=s.title) for s in library.sections)

    return Lock(
        key=library.metadata.key,
        exporters=previous.exporters if previous is not None else {},
        sections=sections,
        questions=tuple(entries[k] for k in sorted(entries)),
        changes=LockChanges(
            changed=tuple(sorted(changed)),
            added=tuple(sorted(added)),
            renamed=tuple(renames),
            why=tuple(sorted((k, s.describe()) for k, s in why.items())),
            moved=tuple(sorted(k for k, s in why.items() if s.moved_only)),
            retired=tuple(sorted(retired)),
            revived=tuple(sorted(revived)),
            sections=previous is not None and previous.sections != sections,
            first=previous is None,
            upgraded=upgraded is not None,
        ),
    )


def build_lock(library: Library, *, now: int | None = None) -> Lock:
    """A first lock for ``library``, in memory (``now`` defaults as in `refresh`)."""
    return compute(library, None, now=now)


def check(library: Library, lock: Lock, command: str | None = None) -> None:
    """`LockError` unless every question of ``library`` is in ``lock`` with the same content;
    its message advises ``command`` (default: the one that refreshes the library's page's lock,
    see `dockerqa.lock.lock_command`)."""
    if command is None:
        source = library.metadata.source_file
        page = bundled_source() if source == BUNDLED_NAME else Path(source)
        command = lock_command(lock_path(page), source)
    stale: list[str] = []
    for q in library:
        entry = lock.entry(q.id)
        if entry is None or entry.retired is not None:
            stale.append(f"{q.id} (not in the lock)")
        elif entry.content != content_fingerprint(q):
            stale.append(f"{q.id} (content changed)")
    if stale:
        more = f" and {len(stale) - 3} more" if len(stale) > 3 else ""
        raise LockError(
            f"the lock does not match the library: {', '.join(stale[:3])}{more}; run `{command}`"
        )
