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


#: A title that asks for something ("Explain X", "Tell me about a time…"), not a topic; a verb
#: that is also a noun ("Design Patterns", "List Comprehensions") only before a small word.
_INSTRUCTION = re.compile(
    r"^(?P<instruction>(?:(?:explain|describe|tell|walk|compare|discuss|define|outline)\s|"
    r"(?:design|write|implement|give|list|name|show|contrast)\s+(?=(?-i:[a-z]))(?!vs\b)).*)$",
    re.I,
)
#: A scenario whose title is its prompt: sentences of its own, or a question.
_TITLE_IS_PROMPT = re.compile(r"[.?!]\s+\S|\?$")
#: A title that asks a question and then says more ("What is X? When do you need it?"):
#: its first question (a "?" in parentheses is not its end).
_QUESTION_FIRST = re.compile(r"^(?P<first>(?:[^?()]|\([^()]*\))+\?)\s+\S")
#: A question in parentheses at the end of a title ("Naive Bayes (Why 'Naive'?)"), left out
#: of the question a fallback front asks (it would be a second question).
_PAREN_QUESTION = re.compile(r"\s*\([^()]*\?\)$")


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
        "scenario whose title is its prompt",
        lambda q, s: q.kind is Kind.SCENARIO and _TITLE_IS_PROMPT.search(q.title),
        "Scenario: {title}",
        (
            (
                "Disk Full — The node's disk filled overnight. What do you check first?",
                Kind.SCENARIO,
                "Scenarios",
                "Scenario: Disk Full — The node's disk filled overnight. What do you check first?",
            ),
            (
                "Your monolith is hard to deploy. Do you split it?",
                Kind.SCENARIO,
                "Decisions",
                "Scenario: Your monolith is hard to deploy. Do you split it?",
            ),
        ),
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
        "a question, then more",
        lambda q, s: _QUESTION_FIRST.match(q.title),
        "{first}",
        (
            (
                "What is a volume? When do you need one?",
                Kind.QUESTION,
                "Storage",
                "What is a volume?",
            ),
            (
                "How do you debug a container? Walk me through it.",
                Kind.QUESTION,
                "Troubleshooting",
                "How do you debug a container?",
            ),
            ("What is Compose? (Visualized)", Kind.QUESTION, "Tools", "What is Compose?"),
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
        "an instruction",
        lambda q, s: _INSTRUCTION.match(q.title),
        "Can you {instruction}?",
        (
            (
                "Explain the difference between COPY and ADD",
                Kind.QUESTION,
                "Dockerfile",
                "Can you explain the difference between COPY and ADD?",
            ),
            (
                "Tell me about a time you fixed a broken build.",
                Kind.QUESTION,
                "Behavioural",
                "Can you tell me about a time you fixed a broken build?",
            ),
            (
                "Explain when you would use a bind mount vs a volume",
                Kind.QUESTION,
                "Storage",
                "Can you explain when you would use a bind mount vs a volume?",
            ),
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
    metadata, else a short question made from the title (which stays as written, but for a
    question in parentheses at its end and a final full stop; never answer text)."""
    if question.front is not None:
        return question.front.ask
    title = _PAREN_QUESTION.sub("", question.title.strip())
    if title.endswith(".") and not title.endswith("..") and question.kind is Kind.QUESTION:
        title = title[:-1]  # "How to pin images." asks "How to pin images?"
    if title and title != question.title:
        question = question.model_copy(update={"title": title})
    for rule in ASK_RULES:
        found = rule.matches(question, section_title)
        if found:
            groups = found.groupdict() if isinstance(found, re.Match) else {}
            values = {k: (v or "").rstrip() for k, v in groups.items()}  # rest keeps its space
            if "instruction" in values:  # "Explain X" → "Can you explain X?"
                said = values["instruction"]
                values["instruction"] = said[:1].lower() + said[1:]
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
    r"\bthe most common (?:\w+ )?(?:mistake|confusion|question)\b|\bnot a niche concern\b|"
    r"^understanding\b.{0,60}\b(?:is|are) (?:essential|critical|crucial|key|important)\b|"
    r"^if you can (?:explain|answer)\b|\bthe simplest way to think about (?:it|this)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”)]?\s+(?=[A-Z`*\"“(])")
_HEAD = re.compile(r"^\*\*(?P<label>[^*\n]+?)\*\*\s*(?P<after>[:.—–-]+)?\s*", re.S)


def first_sentence(markdown: str) -> str:
    """The first sentence of a paragraph (the whole paragraph when it has one sentence)."""
    text = " ".join(line.strip() for line in markdown.strip().split("\n"))
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _talk_and_facts(block: str) -> tuple[str, str]:
    """A paragraph cut after its opening sentences of talk (`META_TALK`): ``(talk, facts)``,
    both as written (``facts`` empty when the paragraph is all talk)."""
    text = block.strip()
    at = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        if not META_TALK.search(" ".join(text[at:end].split())):
            break
        at = m.end() if m is not None else len(text)
    if at == 0:
        return "", text
    return text[:at].rstrip(), text[at:].strip()


def is_meta_talk(block: str) -> bool:
    """Whether a paragraph opens with talk about the interview rather than a fact."""
    found = text_blocks(block)
    if not found or found[0].kind != "paragraph":
        return False
    return bool(META_TALK.search(first_sentence(block)))


def _move_talk(blocks: list[str]) -> list[str]:
    """Take a leading paragraph of meta talk (`is_meta_talk`) out of ``blocks`` (only its
    sentences of talk when facts follow them in the paragraph); what was taken."""
    moved: list[str] = []
    while len(blocks) > 1 and is_meta_talk(blocks[0]):
        talk, facts = _talk_and_facts(blocks[0])
        moved.append(talk or blocks[0])
        if talk and facts:
            blocks[0] = facts  # the facts after the talk show first
            break
        blocks.pop(0)
    return moved


def split_talk(markdown: str | None) -> tuple[str, str]:
    """``(facts, talk)``: an answer without its leading meta talk, and that talk ("" when
    none), as a card's back moves it (`study_back`)."""
    if not markdown:
        return "", ""
    blocks = _blocks(markdown)
    moved = _move_talk(blocks)
    if not moved:
        return markdown.strip(), ""
    return "\n\n".join(blocks).strip(), "\n\n".join(moved).strip()


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


#: Shown as heads, a list's items keep their first sentences when each has at most this many
#: words and all together at most `HEAD_SENTENCES_WORDS` ("**Image**: A read-only template.").
HEAD_SENTENCE_WORDS = 20
HEAD_SENTENCES_WORDS = 40


def _item_sentence(item: str) -> str:
    """The first sentence after a list item's bold label (``item`` without its marker; "" when
    none, or when it is code)."""
    body = " ".join(line.strip() for line in item.split("\n"))
    m = _HEAD.match(body)
    if m is None or not body[m.end() :].strip() or _BLOCK_START.match(body[m.end() :]):
        return ""
    sentence = first_sentence(body[m.end() :])
    return "" if "```" in sentence else sentence


def list_heads(block: str, sentences: bool = False) -> str | None:
    """A list block as its items' heads only (every item must have one), or None; with
    ``sentences``, each label with its first sentence when every label has one and they are
    all short."""
    found = _list(block)
    if found is None or len(found.items) < 2:
        return None
    heads = [_item_head(i) for i in found.list_items]
    if any(h is None for h in heads):
        return None
    shown = [h for h in heads if h is not None]
    if sentences:
        said = [_item_sentence(i) for i in found.list_items]
        counts = [word_count(s) for s in said]
        pairs = list(zip(shown, said, strict=True))
        whole = all(s and s.count('"') % 2 == 0 and h.startswith("**") for h, s in pairs)
        if whole and max(counts) <= HEAD_SENTENCE_WORDS and sum(counts) <= HEAD_SENTENCES_WORDS:
            shown = [f"{h}: {s}" for h, s in pairs]
    return _numbered(found.items, shown)


#: What opens a block rather than a sentence: a fence, a table row, a list item.
_BLOCK_START = re.compile(r"```|\||[*+-]\s|\d{1,9}[.)]\s")


def _lead_in_label(block: str) -> str | None:
    """A paragraph that is only a bold label introducing what follows (``**Approach 2:**``),
    as its label; else None."""
    m = _HEAD.match(block.strip())
    if m is None or block.strip()[m.end() :].strip() or _list_items(block):
        return None
    return f"**{m.group('label').strip().rstrip(':')}**"


def _block_head(block: str) -> str | None:
    """A labelled paragraph's key point: its bold label and first sentence (``**Fix**: …``)."""
    m = _HEAD.match(block.strip())
    if m is None or _list_items(block):
        return None
    label = m.group("label").strip().rstrip(":")
    rest = block.strip()[m.end() :]
    if not rest.strip() or _BLOCK_START.match(rest.lstrip()):
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


#: How the formats label the key points of a back (`Back.key_points`) and its rest.
KEY_POINTS_LABEL = "Also in the answer"
REST_LABEL = "Rest of the answer"


#: A list longer than this many words shows as its items' heads (when every item has one).
LIST_HEADS_WORDS = 80


def study_back(markdown: str | None, limit: int = CORE_WORDS) -> Back:
    """`split_core` made for studying: a leading paragraph of meta talk (`is_meta_talk`) folds
    (only its sentences of talk when facts follow them in the paragraph),
    a list in the core that is long or cut shows as its items' heads (the list folds whole),
    and the labelled paragraphs that fold give their heads as key points (a label that only
    introduces code gives the label)."""
    if not markdown:
        return Back("", (), "")
    blocks = _blocks(markdown)
    moved = _move_talk(blocks)
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
        heads = list_heads(block, sentences=True)
        if heads is not None and (word_count(block) > LIST_HEADS_WORDS or block not in blocks):
            shown.append(heads)
            folded.append(block)
        else:
            shown.append(block)
    folded += rest_blocks
    points: list[str] = []
    for i, block in enumerate(rest_blocks):
        head = _block_head(block)
        after = rest_blocks[i + 1] if i + 1 < len(rest_blocks) else ""
        if head is not None:
            points.append(head)
        elif (heads := list_heads(block)) is not None:
            points += [LIST_MARKER.sub("", h, count=1) for h in heads.split("\n")]
        elif (label := _lead_in_label(block)) is not None and after.lstrip().startswith("```"):
            points.append(label)  # the code it introduces has no head of its own
    rest = "\n\n".join([*moved, *folded]).strip()
    return Back("\n\n".join(shown).strip(), tuple(points), rest)


#: How a step written on its line is marked (the first step's marker, the pattern of any
#: marker with its number or letter as group 1, and how that step is written in the list).
_STEP_FORMS: tuple[tuple[str, str, Callable[[int, str], str]], ...] = (
    ("1.", r"(\d{1,2})\.", lambda n, step: f"{n}. {step}"),
    ("(1)", r"\((\d{1,2})\)", lambda n, step: f"{n}. {step}"),
    ("(a)", r"\(([a-h])\)", lambda n, step: f"* ({'abcdefgh'[n - 1]}) {step}"),
)
#: A lead-in before steps written on its line: ``Three approaches: 1. …``.
_STEPS_LEAD = re.compile(r"^(?P<lead>[^\n]*?:)[ \t]+(?=(?:1\.|\(1\)|\(a\))[ \t])")


def inline_steps_as_list(markdown: str) -> str:
    """A paragraph written as ``1. … 2. … 3. …`` (or ``(1) … (2) …``, ``(a) … (b) …``) on one
    line, as the list it is (one step per line; lettered steps keep their letters), after its
    lead-in when one ending with a colon comes first (``Three approaches: 1. …``); any other
    text comes back unchanged. Only a run in order from the first step splits, and only where
    a sentence ends (``(1) x, (2) y`` is one sentence, and stays one)."""
    text = markdown.strip()
    if "\n" in text:
        return markdown
    lead = _STEPS_LEAD.match(text)
    if lead is not None:
        steps = inline_steps_as_list(text[lead.end() :])
        return markdown if steps == text[lead.end() :] else f"{lead.group('lead')}\n\n{steps}"
    for first, marker, write in _STEP_FORMS:
        if not text.startswith(f"{first} "):
            continue
        keys = "abcdefgh" if first == "(a)" else [str(n) for n in range(1, 100)]
        starts = [0]
        for m in re.finditer(rf"(?<=[.!?)`])[ \t]+{marker}[ \t]+", text):
            if m.group(1) == keys[len(starts)]:
                starts.append(m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
        if len(starts) == 1:
            return markdown
        pieces = [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
        bodies = [re.sub(rf"^{marker}[ \t]+", "", p) for p in pieces]
        return "\n".join(write(n, body) for n, body in enumerate(bodies, 1))
    return markdown
