"""Study presentation shared by every front-end: what a card asks, and an answer's core.

Nothing here edits the source text: `ask` gives the front written for a question (or a short
question around its title), `split_core` cuts an answer at a block boundary into what shows
first and what folds below it, and `study_back` builds on it for a card's back: talk about the
interview folds, a long list shows its items' heads, and what folds gives its key points.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from dockerqa._blocks import LIST_MARKER, Block, is_lead_in, text_blocks
from dockerqa._text import fingerprint
from dockerqa.model import Kind, Question

#: About how many words of an answer show before the rest folds away.
CORE_WORDS = 100
#: A block that would take the core past this many words is cut: a list between its items.
CORE_MAX_WORDS = 200


@dataclass(frozen=True)
class AskRule:
    """One way of turning a title into a question: the first rule that matches is used."""

    name: str
    """What the rule is for."""
    matches: Callable[[Question, str], re.Match[str] | bool | None]
    """Test on the question and its section title."""
    template: str
    """The prompt; ``{title}``, ``{section}`` and the match's named groups are filled in."""
    examples: tuple[tuple[str, Kind, str, str], ...]
    """``(title, kind, section title, prompt)``: questions this rule, and no earlier one,
    asks, and the prompt it gives."""
    needs_prompt: bool = False
    """The rule is for questions with a prompt of their own (its examples have one)."""


_QUESTION_WORD = re.compile(
    r"^(how|why|what|when|where|which|who|is|are|can|could|should|would|do|does|did)\b", re.I
)
_VERSUS = re.compile(r"^(?:(?P<topic>[^:]+):\s*)?(?P<a>.+?)\s+(?:vs\.?|versus)\s+(?P<b>.+)$", re.I)
_TROUBLE = re.compile(r"troubleshoot|debug|operations", re.I)
#: A title that names a symptom ("Container Exits Immediately"), not a tool ("Docker Exec").
_SYMPTOM = re.compile(
    r"\b(exits?|exit code|refused|killed|oom\w*|errors?|fail\w*|crash\w*|hangs?|slow|cannot|"
    r"can't|not|leaks?|timeouts?|denied|stuck|missing)\b",
    re.I,
)
#: "How Bridge Network works (Internals)": a statement that needs "does".
_HOW_WORKS = re.compile(r"^how\s+(?P<subject>.+?)\s+works\b(?P<rest>.*)$", re.I)
_BEST_PRACTICE = re.compile(r"best practice", re.I)
#: A title of two or more words whose last word is a regular plural ("Index Types"); a single
#: word ("Kubernetes") and words in -ss, -us, -is ("Redis") are not taken for plurals.
_PLURAL_TOPIC = re.compile(r"\S\s+[A-Za-z]*[a-rt-z]s$(?<!us)(?<!is)")


def _versus_with_topic(title: str) -> re.Match[str] | None:
    m = _VERSUS.match(title)
    return m if m is not None and m.group("topic") else None


#: Title → prompt rules, in order (a new case is one row and one test). Each gives one short
#: question; a scenario's or work sample's prompt is shown with it and is the question.
ASK_RULES: tuple[AskRule, ...] = (
    AskRule(
        "comparison pattern",
        lambda q, s: q.kind is Kind.COMPARISON,
        "{title}: what does a strong answer cover that a weak one misses?",
        (
            (
                "Image Layers",
                Kind.COMPARISON,
                "Weak vs Strong",
                "Image Layers: what does a strong answer cover that a weak one misses?",
            ),
        ),
    ),
    AskRule(
        "scenario",
        lambda q, s: q.kind is Kind.SCENARIO and bool(q.prompt),
        "Scenario: {title}",
        (("Disk Full", Kind.SCENARIO, "Scenarios", "Scenario: Disk Full"),),
        needs_prompt=True,
    ),
    AskRule(
        "scenario without its prompt",
        lambda q, s: q.kind is Kind.SCENARIO,
        "Scenario: {title}. How do you handle it?",
        (
            (
                "WAL and Checkpoints",
                Kind.SCENARIO,
                "Behavioural Scenarios",
                "Scenario: WAL and Checkpoints. How do you handle it?",
            ),
        ),
    ),
    AskRule(
        "work sample",
        lambda q, s: q.kind is Kind.WORK_SAMPLE,
        "Work sample: {title}",
        (
            (
                "Review a Dockerfile",
                Kind.WORK_SAMPLE,
                "Work samples",
                "Work sample: Review a Dockerfile",
            ),
        ),
    ),
    AskRule(
        "already a question",
        lambda q, s: q.title.rstrip().endswith("?"),
        "{title}",
        (("What is Docker?", Kind.QUESTION, "Basics", "What is Docker?"),),
    ),
    AskRule(
        "how … works",
        lambda q, s: _HOW_WORKS.match(q.title),
        "How does {subject} work{rest}?",
        (
            (
                "How Bridge Network works",
                Kind.QUESTION,
                "Networking",
                "How does Bridge Network work?",
            ),
            (
                "How the build cache works (Internals)",
                Kind.QUESTION,
                "Images",
                "How does the build cache work (Internals)?",
            ),
        ),
    ),
    AskRule(
        "question word",
        lambda q, s: _QUESTION_WORD.match(q.title),
        "{title}?",
        (
            ("Why containers are not VMs", Kind.QUESTION, "Basics", "Why containers are not VMs?"),
            ("When to use tmpfs", Kind.QUESTION, "Storage", "When to use tmpfs?"),
        ),
    ),
    AskRule(
        "versus, with a topic",
        lambda q, s: _versus_with_topic(q.title),
        "{topic}: {a} vs {b}: how do they differ?",
        (
            (
                "Storage: Volumes vs Bind Mounts",
                Kind.QUESTION,
                "Storage",
                "Storage: Volumes vs Bind Mounts: how do they differ?",
            ),
        ),
    ),
    AskRule(
        "versus",
        lambda q, s: _VERSUS.match(q.title),
        "{a} vs {b}: how do they differ?",
        (
            (
                "CMD versus ENTRYPOINT",
                Kind.QUESTION,
                "Dockerfile",
                "CMD vs ENTRYPOINT: how do they differ?",
            ),
        ),
    ),
    AskRule(
        "troubleshooting a symptom",
        lambda q, s: _TROUBLE.search(s) and _SYMPTOM.search(q.title),
        "{title}: how do you diagnose it?",
        (
            (
                "Container Exits Immediately",
                Kind.QUESTION,
                "Troubleshooting & Operations",
                "Container Exits Immediately: how do you diagnose it?",
            ),
        ),
    ),
    AskRule(
        "troubleshooting tool",
        lambda q, s: _TROUBLE.search(s),
        "How do you use {title} when troubleshooting?",
        (
            (
                "Docker Exec",
                Kind.QUESTION,
                "Troubleshooting & Operations",
                "How do you use Docker Exec when troubleshooting?",
            ),
        ),
    ),
    AskRule(
        "best practice",
        lambda q, s: _BEST_PRACTICE.search(s),
        "{title}: what is the best practice?",
        (
            (
                "Pin Base Images",
                Kind.QUESTION,
                "Best Practices",
                "Pin Base Images: what is the best practice?",
            ),
        ),
    ),
    AskRule(
        "topic, plural",
        lambda q, s: _PLURAL_TOPIC.search(q.title),
        "What are {title}?",
        (
            ("Index Types", Kind.QUESTION, "Core Concepts", "What are Index Types?"),
            ("Environment Variables", Kind.QUESTION, "Config", "What are Environment Variables?"),
        ),
    ),
    AskRule(
        "topic",
        lambda q, s: True,
        "What is {title}?",
        (
            ("Docker Compose", Kind.QUESTION, "Orchestration", "What is Docker Compose?"),
            ("Kubernetes", Kind.QUESTION, "Orchestration", "What is Kubernetes?"),
        ),
    ),
)


def ask(question: Question, section_title: str = "") -> str:
    """What the card asks, as Markdown: the front written for the question in the page's
    metadata, else a short question made from the title (which stays as written; never answer
    text)."""
    if question.front is not None:
        return question.front.ask
    for rule in ASK_RULES:
        found = rule.matches(question, section_title)
        if found:
            groups = found.groupdict() if isinstance(found, re.Match) else {}
            values = {k: (v or "").rstrip() for k, v in groups.items()}  # rest keeps its space
            return rule.template.format(
                title=question.title.strip(), section=section_title, **values
            )
    return question.title  # pragma: no cover - the last rule always matches


def front_fingerprint(question: Question) -> str:
    """What a written front is checked against: 8 hex digits of the question's kind, title,
    prompt and answers (a front whose question changed since it was written is reported)."""
    parts = (question.kind.value, question.title, question.prompt, question.steps,
             question.answer, question.weak_answer, question.strong_answer)  # fmt: skip
    return fingerprint(json.dumps(parts, ensure_ascii=False))[:8]


def _blocks(markdown: str) -> list[str]:
    """Top-level blocks (paragraphs, lists, tables, fences, callouts) as the parser reads them."""
    return [b.text for b in text_blocks(markdown)] if markdown.strip() else []


def word_count(markdown: str) -> int:
    """How many words a Markdown text has (markup characters are not words)."""
    return len(re.findall(r"[\w'’-]+", markdown))


def _list(block: str) -> Block | None:
    """A list block as the block stage reads it, or None when the text is not one list."""
    found = text_blocks(block)
    return found[0] if len(found) == 1 and found[0].items else None


def _list_items(block: str) -> list[str]:
    """A list block's top-level items, as written (markers kept), or [] when it is no list."""
    found = _list(block)
    return found.items if found is not None else []


def _cut_list(items: list[str], room: int) -> tuple[str, str]:
    """The first items that fit in ``room`` words (at least one), and the others."""
    count, n = 0, 0
    for n, item in enumerate(items):
        count += word_count(item)
        if n and count > room:
            break
    else:
        n = len(items)
    return "\n".join(items[:n]).strip(), "\n".join(items[n:]).strip()


def split_core(markdown: str | None, limit: int = CORE_WORDS) -> tuple[str, str]:
    """``(core, rest)``: the answer's opening blocks up to about ``limit`` words, and the rest.

    The cut falls between blocks (paragraph, list, table, code block); the core holds at least
    one block, and a lead-in that ends with a colon stays with the block it introduces. A list
    that would take the core past `CORE_MAX_WORDS` is cut between its top-level items instead:
    its first items (at least one) show and the others fold, numbered as they were.
    Joining ``core`` and ``rest`` with a blank line gives the text back (a list cut between
    items gains a blank line there).
    """
    if not markdown:
        return "", ""
    blocks = _blocks(markdown)
    taken: list[str] = []
    count = 0
    for i, block in enumerate(blocks):
        n = word_count(block)
        if taken and count + n > limit and not ends_with_lead_in(taken[-1]):
            break
        if count + n > CORE_MAX_WORDS:
            items = _list_items(block)
            head, tail = _cut_list(items, max(limit - count, 0)) if len(items) > 1 else ("", "")
            if tail:
                rest = "\n\n".join([tail, *blocks[i + 1 :]])
                return "\n\n".join([*taken, head]).strip(), rest.strip()
            if taken:
                break  # too long to show: it folds, with the lead-in before it (below)
        taken.append(block)
        count += n
        if count >= limit and not ends_with_lead_in(block):
            break
    else:
        return markdown.strip(), ""
    while len(taken) > 1 and ends_with_lead_in(taken[-1]):
        taken.pop()  # a lead-in goes with the block it introduces
    return "\n\n".join(taken).strip(), "\n\n".join(blocks[len(taken) :]).strip()


def ends_with_lead_in(markdown: str) -> bool:
    """Whether a block only introduces what follows (`dockerqa._blocks.is_lead_in`)."""
    found = text_blocks(markdown)
    return bool(found) and is_lead_in(found[-1])


#: Opening sentences that talk about the interview or the topic's fame rather than state a
#: fact: a leading paragraph that opens with one folds below the answer's substance.
META_TALK = re.compile(
    r"\binterview|\bcandidates?\b|\bwhat separates\b|\bseparates (?:someone|those)\b|"
    r"\bone of the most (?:fundamental|common|important)\b|\bsurprisingly (?:complex|simple)\b|"
    r"\bthe most common (?:\w+ )?(?:mistake|confusion|question)\b|\bnot a niche concern\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”)]?\s+(?=[A-Z`*\"“(])")
_HEAD = re.compile(r"^\*\*(?P<label>[^*\n]+?)\*\*\s*(?P<after>[:.—–-]+)?\s*", re.S)


def first_sentence(markdown: str) -> str:
    """The first sentence of a paragraph (the whole paragraph when it has one sentence)."""
    text = " ".join(line.strip() for line in markdown.strip().split("\n"))
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def is_meta_talk(block: str) -> bool:
    """Whether a paragraph opens with talk about the interview rather than a fact."""
    found = text_blocks(block)
    if not found or found[0].kind != "paragraph":
        return False
    return bool(META_TALK.search(first_sentence(block)))


def _item_head(item: str) -> str | None:
    """A list item's key point (``item`` without its marker): its bold label, or its first
    sentence when short; else None."""
    body = item.split("\n", 1)[0].strip()
    if not body:
        return None
    m = _HEAD.match(body)
    if m is not None:
        return f"**{m.group('label').strip().rstrip(':')}**"
    sentence = first_sentence(body)
    return sentence if word_count(sentence) <= 16 and "```" not in sentence else None


def _numbered(items: list[str], heads: list[str]) -> str:
    """The heads as a list, numbered as the source's list was (or bulleted)."""
    out = []
    for item, head in zip(items, heads, strict=True):
        marker = LIST_MARKER.match(item)
        out.append(f"{marker.group(2) if marker else '-'} {head}")
    return "\n".join(out)


def list_heads(block: str) -> str | None:
    """A list block as its items' heads only (every item must have one), or None."""
    found = _list(block)
    if found is None or len(found.items) < 2:
        return None
    heads = [_item_head(i) for i in found.list_items]
    if any(h is None for h in heads):
        return None
    return _numbered(found.items, [h for h in heads if h is not None])


def _block_head(block: str) -> str | None:
    """A labelled paragraph's key point: its bold label and first sentence (``**Fix**: …``)."""
    m = _HEAD.match(block.strip())
    if m is None or _list_items(block):
        return None
    label = m.group("label").strip().rstrip(":")
    rest = block.strip()[m.end() :]
    if not rest.strip() or rest.lstrip().startswith(("```", "|", "*", "-", "1.")):
        return None  # a lead-in: the block it introduces carries the point
    sentence = first_sentence(rest)
    if word_count(sentence) > 30 or "```" in sentence:
        return f"**{label}**"
    return f"**{label}**: {sentence}"


@dataclass(frozen=True)
class Back:
    """What a card's back shows of an answer: the substance first, the key points of what
    folds, and the rest folded (every block of the answer is in ``core`` or ``rest``)."""

    core: str
    """Shown first: the answer's opening blocks (meta talk moved out), lists as their heads
    when they are too long to show whole."""
    key_points: tuple[str, ...]
    """Heads of the folded parts (labelled paragraphs, list items), to grade against."""
    rest: str
    """Folded: everything not shown whole in ``core``, in the source's order."""


#: A list longer than this many words shows as its items' heads (when every item has one).
LIST_HEADS_WORDS = 80


def study_back(markdown: str | None, limit: int = CORE_WORDS) -> Back:
    """`split_core` made for studying: a leading paragraph of meta talk (`is_meta_talk`) folds,
    a list in the core that is long or cut shows as its items' heads (the list folds whole),
    and the labelled paragraphs that fold give their heads as key points."""
    if not markdown:
        return Back("", (), "")
    blocks = _blocks(markdown)
    moved: list[str] = []
    while len(blocks) > 1 and is_meta_talk(blocks[0]):
        moved.append(blocks.pop(0))
    core, rest = split_core("\n\n".join(blocks), limit)
    core_blocks = _blocks(core)
    rest_blocks = _blocks(rest) if rest else []
    joined = f"{core_blocks[-1]}\n{rest_blocks[0]}" if rest_blocks else ""
    if rest_blocks and _list_items(rest_blocks[0]) and _list_items(joined):
        # a list cut between its items: whole again, then as heads below
        core_blocks[-1] = joined
        rest_blocks.pop(0)
    if rest_blocks and ends_with_lead_in(core_blocks[-1]) and list_heads(rest_blocks[0]):
        core_blocks.append(rest_blocks.pop(0))  # a lead-in's list, folded whole: its heads show
    shown: list[str] = []
    folded: list[str] = []
    for block in core_blocks:
        heads = list_heads(block)
        if heads is not None and (word_count(block) > LIST_HEADS_WORDS or block not in blocks):
            shown.append(heads)
            folded.append(block)
        else:
            shown.append(block)
    folded += rest_blocks
    points: list[str] = []
    for block in rest_blocks:
        head = _block_head(block)
        if head is not None:
            points.append(head)
        elif (heads := list_heads(block)) is not None:
            points += [LIST_MARKER.sub("", h, count=1) for h in heads.split("\n")]
    rest = "\n\n".join([*moved, *folded]).strip()
    return Back("\n\n".join(shown).strip(), tuple(points), rest)


_INLINE_STEP = re.compile(r"(?<=[.!?)`])[ \t]+(\d{1,2})\.[ \t]+")


def inline_steps_as_list(markdown: str) -> str:
    """A paragraph written as ``1. … 2. … 3. …`` on one line, as the numbered list it is (one
    step per line); any other text comes back unchanged. Only a run numbered 1, 2, 3… splits."""
    text = markdown.strip()
    if not re.match(r"^1\.[ \t]", text) or "\n" in text:
        return markdown
    expected = 2
    pieces: list[str] = []
    last = 0
    for m in _INLINE_STEP.finditer(text):
        if int(m.group(1)) != expected:
            continue
        pieces.append(text[last : m.start()])
        last = m.start(1)
        expected += 1
    if expected == 2:
        return markdown
    pieces.append(text[last:])
    return "\n".join(p.strip() for p in pieces)
