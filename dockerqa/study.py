"""Study presentation shared by every front-end: what a card asks, and an answer's core.

Nothing here edits the source text: `ask` adds a question around a title, and `split_core`
cuts an answer at a block boundary into what shows first and what folds below it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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


def _versus_with_topic(title: str) -> re.Match[str] | None:
    m = _VERSUS.match(title)
    return m if m is not None and m.group("topic") else None


#: Title → prompt rules, in order (a new case is one row and one test).
ASK_RULES: tuple[AskRule, ...] = (
    AskRule(
        "comparison pattern",
        lambda q, s: q.kind is Kind.COMPARISON,
        "Two candidates answer a question on {title}. What separates the strong answer from "
        "the weak one?",
        (
            (
                "Image Layers",
                Kind.COMPARISON,
                "Weak vs Strong",
                "Two candidates answer a question on Image Layers. What separates the strong "
                "answer from the weak one?",
            ),
        ),
    ),
    AskRule(
        "scenario",
        lambda q, s: q.kind is Kind.SCENARIO,
        "Scenario: {title}. How do you diagnose and resolve it?",
        (
            (
                "Disk Full",
                Kind.SCENARIO,
                "Scenarios",
                "Scenario: Disk Full. How do you diagnose and resolve it?",
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
        "{topic}: compare {a} and {b}. How do they differ, and when would you use each?",
        (
            (
                "Storage: Volumes vs Bind Mounts",
                Kind.QUESTION,
                "Storage",
                "Storage: compare Volumes and Bind Mounts. How do they differ, and when would "
                "you use each?",
            ),
        ),
    ),
    AskRule(
        "versus",
        lambda q, s: _VERSUS.match(q.title),
        "Compare {a} and {b}. How do they differ, and when would you use each?",
        (
            (
                "CMD vs ENTRYPOINT",
                Kind.QUESTION,
                "Dockerfile",
                "Compare CMD and ENTRYPOINT. How do they differ, and when would you use each?",
            ),
        ),
    ),
    AskRule(
        "troubleshooting a symptom",
        lambda q, s: _TROUBLE.search(s) and _SYMPTOM.search(q.title),
        "Troubleshooting — {title}: what do you check first, and what do you do?",
        (
            (
                "Container Exits Immediately",
                Kind.QUESTION,
                "Troubleshooting & Operations",
                "Troubleshooting — Container Exits Immediately: what do you check first, and "
                "what do you do?",
            ),
        ),
    ),
    AskRule(
        "troubleshooting tool",
        lambda q, s: _TROUBLE.search(s),
        "Troubleshooting — {title}: what is it for, and how do you use it in practice?",
        (
            (
                "Docker Exec",
                Kind.QUESTION,
                "Troubleshooting & Operations",
                "Troubleshooting — Docker Exec: what is it for, and how do you use it in practice?",
            ),
        ),
    ),
    AskRule(
        "best practice",
        lambda q, s: _BEST_PRACTICE.search(s),
        "Best practice: {title}. What do you do, and why?",
        (
            (
                "Pin Base Images",
                Kind.QUESTION,
                "Best Practices",
                "Best practice: Pin Base Images. What do you do, and why?",
            ),
        ),
    ),
    AskRule(
        "topic",
        lambda q, s: True,
        "Interview topic: {title}. Explain the purpose, the mechanics and the trade-offs.",
        (
            (
                "Docker Compose Networks",
                Kind.QUESTION,
                "Orchestration",
                "Interview topic: Docker Compose Networks. Explain the purpose, the mechanics "
                "and the trade-offs.",
            ),
        ),
    ),
)


def ask(question: Question, section_title: str = "") -> str:
    """What the card asks, as Markdown (the title stays as written; never answer text)."""
    for rule in ASK_RULES:
        found = rule.matches(question, section_title)
        if found:
            groups = found.groupdict() if isinstance(found, re.Match) else {}
            values = {k: (v or "").rstrip() for k, v in groups.items()}  # rest keeps its space
            return rule.template.format(
                title=question.title.strip(), section=section_title, **values
            )
    return question.title  # pragma: no cover - the last rule always matches


_BLOCK_START = re.compile(r"^(```|~~~|:::|\|)")
_LIST_ITEM = re.compile(r"^(\s*)([*+-]|\d{1,9}[.)])\s")


def _blocks(markdown: str) -> list[str]:
    """Top-level blocks: paragraphs, lists, tables, fences and containers, blank-line split
    except inside fences and containers."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        stripped = line.strip()
        if fence is not None:
            current.append(line)
            if stripped.startswith(fence) and stripped.strip("`~:") == "":
                fence = None
            continue
        m = re.match(r"^\s*(`{3,}|~{3,}|:{3,})", line)
        if m:
            fence = m.group(1)
            current.append(line)
            continue
        if not stripped:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    # a list item that continues after a blank line belongs to the list before it
    merged: list[list[str]] = []
    for block in blocks:
        first = block[0]
        if merged and (first.startswith((" ", "\t")) or _same_list(merged[-1], first)):
            merged[-1] = [*merged[-1], "", *block]
        else:
            merged.append(block)
    return ["\n".join(b) for b in merged]


def _same_list(previous: list[str], first: str) -> bool:
    return bool(_LIST_ITEM.match(first) and _LIST_ITEM.match(previous[0]))


def words(markdown: str) -> int:
    """How many words a Markdown text has (markup characters are not words)."""
    return len(re.findall(r"[\w'’-]+", markdown))


def _list_items(block: str) -> list[str]:
    """A list block's top-level items (one string each), or [] when the block is no list."""
    lines = block.split("\n")
    first = _LIST_ITEM.match(lines[0])
    if first is None:
        return []
    indent = first.group(1)
    items: list[list[str]] = []
    for line in lines:
        m = _LIST_ITEM.match(line)
        if m is not None and m.group(1) == indent:
            items.append([line])
        else:
            items[-1].append(line)
    return ["\n".join(item).rstrip("\n") for item in items]


def _cut_list(items: list[str], room: int) -> tuple[str, str]:
    """The first items that fit in ``room`` words (at least one), and the others."""
    count, n = 0, 0
    for n, item in enumerate(items):
        count += words(item)
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
        n = words(block)
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
    """Whether the text ends with a colon (``**Key details:**`` too): it introduces what follows."""
    return markdown.rstrip().rstrip("*_").rstrip().endswith(":")
