"""Stage 3: the blocks of one accordion → the fields of a `Question`.

Driven by two tables: `LABEL_RULES` (label pattern → the field it starts, or what it is) and
`FOLLOW_UP_FORMS` (how a follow-up item separates its question from its answer). A new label
or form is one row and one fixture page. Unlabelled text continues the field the last label
started; a label the tables do not know stays prose inside an answer or steps, and elsewhere
becomes a part of its own with an ``unknown-label`` diagnostic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from dockerqa._blocks import LABEL_SOURCE, Block, blocks
from dockerqa._mdx import Component
from dockerqa._text import decode_entities, decode_inline
from dockerqa.model import Diagnostic, FollowUp, Part

#: Components whose content is kept as a callout container.
CALLOUTS = frozenset({"Note", "Tip", "Info", "Warning", "Check", "Danger", "Callout"})

#: The Markdown fields of a `Question`, each filled by labels or by the text after them.
TEXT_FIELDS = (
    "prompt",
    "steps",
    "answer",
    "example",
    "interviewer_intent",
    "red_flag",
    "weak_answer",
    "strong_answer",
    "senior_view",
    "staff_view",
)
FOLLOW_UPS = "follow_ups"
#: a part kept under its own label, known (so not reported)
PART = "part"
#: a block whose list items or paragraphs start with ``Weak:`` / ``Strong:``
WEAK_VS_STRONG = "weak_vs_strong"

#: A label may carry a qualifier after a dash, a parenthesis or a colon.
_QUALIFIER = r"(?:\s*(?:--|—|–|\(|:).*)?"


@dataclass(frozen=True)
class LabelRule:
    """A label pattern (matched against the whole label, lowercase) and what it starts."""

    pattern: re.Pattern[str]
    #: a name from `TEXT_FIELDS`, or `FOLLOW_UPS`, `PART`, `WEAK_VS_STRONG`
    target: str
    #: the field that unlabelled text after the label's own line continues, if not `target`
    then: str | None = None


def _rule(head: str, target: str, then: str | None = None) -> LabelRule:
    return LabelRule(re.compile(f"(?:{head}){_QUALIFIER}", re.I | re.S), target, then)


#: Known labels, first match wins. Heads are matched whole (with an optional qualifier), so a
#: prose lead-in such as "Red flag in production" is not taken for "Red flag".
LABEL_RULES: tuple[LabelRule, ...] = (
    _rule(r"answer", "answer"),
    _rule(
        r"what (?:the )?interviewers? (?:is |are )?(?:really )?(?:testing|looking for)",
        "interviewer_intent",
    ),
    _rule(r"red[- ]flags?(?: answers?)?", "red_flag"),
    _rule(r"follow[- ]?ups?\b.*", FOLLOW_UPS),
    _rule(
        r"what weak candidates (?:say|do) vs\.? what strong candidates (?:say|do)", WEAK_VS_STRONG
    ),
    _rule(r"what weak candidates (?:say|do)", "weak_answer"),
    _rule(r"what strong candidates (?:say|do)", "strong_answer"),
    _rule(r"work[- ]?sample (?:scenario|prompt)", "prompt", then="steps"),
    _rule(r"scenario|prompt|how to present this", "prompt"),
    _rule(r"(?:real[- ]world |worked )?example", "example"),
    _rule(r"structured answer template", PART),
    _rule(r"further reading", PART),
    _rule(r"big word alert", PART),
)

#: Roles inside a ``Senior vs Staff perspective`` note and inside a weak-vs-strong block.
_SENIOR_STAFF_ROLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"senior(?: engineer)?", re.I), "senior_view"),
    (re.compile(r"staff(?: engineer)?", re.I), "staff_view"),
)
_WEAK_STRONG: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"weak(?: candidates?)?(?: says?| do(?:es)?)?", re.I), "weak_answer"),
    (re.compile(r"strong(?: candidates?)?(?: says?| do(?:es)?)?", re.I), "strong_answer"),
)
_SENIOR_STAFF = "senior vs staff perspective"
#: Fields after which an unknown label starts a part of its own; elsewhere it is prose.
_PROSE_FIELDS = frozenset({"answer", "steps"})

_DASH = r"(?:--|—|–)"
#: Follow-up item forms, first match wins: each gives the question (``q``) and whatever
#: follows it (``a``: the answer, possibly in parentheses or after a dash).
FOLLOW_UP_FORMS: tuple[re.Pattern[str], ...] = (
    # **Q:** question  (an answer may follow as **A:** in the same item)
    re.compile(r"^(\*\*|__)Q:?\1:?\s*(?P<q>.*?)(?:\s*(\*\*|__)A:?\3:?\s*(?P<a>.*))?$", re.S),
    # **"question?"** with the answer on the same line or the lines below
    re.compile(r'^(\*\*|__)\s*"(?P<q>.+?)"\s*\1(?P<a>.*)$', re.S),
    # **Question?** answer
    re.compile(r"^(\*\*|__)(?P<q>[^*_\s].*?)\1(?P<a>.*)$", re.S),
    # *"question?"* (answer)  or  *"question?"* -- answer
    re.compile(r'^([*_])\s*"(?P<q>.+?)"\s*\1(?P<a>.*)$', re.S),
    # "question" -- answer
    re.compile(rf'^"(?P<q>.+?)"\s*{_DASH}\s*(?P<a>.*)$', re.S),
    # "question"
    re.compile(r'^"(?P<q>.+)"$', re.S),
    # Question? (Answer: answer)  or  Question? (Tests something)
    re.compile(r"^(?P<q>[^\n]*?\?)\s+\((?:answer:\s*)?(?P<a>[^\n]*)\)$", re.S | re.I),
)
_ANSWER_LABEL = re.compile(r"^(\*\*|__)A:?\1:?\s*", re.S)


def label_rule(label: str) -> LabelRule | None:
    """The rule a label (as written, without its colon) matches, if any."""
    norm = " ".join(decode_entities(label).split()).rstrip(":").strip()
    return next((r for r in LABEL_RULES if r.pattern.fullmatch(norm)), None)


def follow_up(item: str) -> FollowUp:
    """One follow-up item (its list marker removed) as question and answer."""
    first, _, more = item.partition("\n\n")
    question, rest = first, ""
    for form in FOLLOW_UP_FORMS:
        m = form.match(first)
        if m:
            question, rest = m.group("q"), (m.group("a") or "").strip()
            break
    rest = re.sub(rf"^{_DASH}\s*", "", rest)
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    answer = "\n\n".join(p for p in (rest, more.strip()) if p) or None
    return FollowUp(question=question.strip(), answer=answer)


@dataclass
class Fields:
    """What one accordion's blocks fill in, ready for the `Question` constructor."""

    values: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    follow_ups: list[FollowUp] = field(default_factory=list)
    parts: list[tuple[str, list[str]]] = field(default_factory=list)
    #: a name from TEXT_FIELDS, FOLLOW_UPS, PART or WEAK_VS_STRONG; None before any text
    current: str | None = None

    def add(self, text: str) -> None:
        if not text:
            return
        target = self.current or "answer"
        if target == PART:
            self.parts[-1][1].append(text)
        elif target in TEXT_FIELDS:
            self.values[target].append(text)
            self.current = target
        else:  # follow-ups and weak-vs-strong blocks hold no loose text: keep it apart
            self.start_part("Notes", text)

    def start_part(self, label: str, text: str) -> None:
        self.parts.append((label, [text] if text else []))
        self.current = PART

    def texts(self) -> dict[str, str | None]:
        """Each text field joined, None when empty."""
        return {n: "\n\n".join(self.values.get(n, ())).strip() or None for n in TEXT_FIELDS}

    def part_models(self) -> tuple[Part, ...]:
        return tuple(Part(label=label, text="\n\n".join(t).strip()) for label, t in self.parts)


class FieldAssigner:
    """Walks the blocks of accordions and fills their `Fields`; notes diagnostics."""

    def __init__(self, lines: Sequence[str], file: str, diagnostics: list[Diagnostic]):
        self.lines = lines
        self.file = file
        self.diagnostics = diagnostics

    def warn(self, line: int, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(file=self.file, line=line, code=code, message=message))

    def fields(self, comp: Component) -> Fields:
        walk = _Walk(self)
        for block in blocks(self.lines, comp):
            walk.block(block)
        return walk.fields


class _Walk:
    """The state of one accordion's walk: the field being filled, the open follow-up answer
    and the side of a weak-vs-strong comparison."""

    def __init__(self, owner: FieldAssigner):
        self.owner = owner
        self.fields = Fields()
        self.answer_open = False  # an **A:** paragraph was the last block
        self.role_field = "weak_answer"

    def block(self, block: Block) -> None:
        f = self.fields
        if block.component is not None:
            self.component(block.component)
            return
        opened, self.answer_open = self.answer_open, False
        if f.current == FOLLOW_UPS and self.follow_up_block(block, opened):
            return
        if f.current == WEAK_VS_STRONG and self.roles(block):
            return
        if block.label is not None:
            rule = label_rule(block.label)
            if rule is not None:
                self.labelled(rule, block)
                return
            if f.current not in _PROSE_FIELDS:
                self.owner.warn(
                    block.line, "unknown-label", f"label {block.label!r} kept as its own part"
                )
                f.start_part(block.label, block.rest)
                return
        if f.current == FOLLOW_UPS:
            self.owner.warn(
                block.line,
                "loose-follow-up-text",
                "text in a follow-up chain that is not a list item kept as its own part",
            )
            f.start_part("Follow-up notes", block.text)
            return
        f.add(block.text)

    def labelled(self, rule: LabelRule, block: Block) -> None:
        f = self.fields
        if rule.target == PART:
            f.start_part(block.label or "", block.rest)
        elif rule.target == FOLLOW_UPS:
            f.current = FOLLOW_UPS
            if block.rest:  # a follow-up on the label's own line
                f.follow_ups.append(follow_up(block.rest))
        elif rule.target == WEAK_VS_STRONG:
            f.current = "weak_answer"
            f.add(block.rest)
            f.current = WEAK_VS_STRONG
        else:
            f.current = rule.target
            f.add(block.rest)
            f.current = rule.then or rule.target

    def follow_up_block(self, block: Block, opened: bool) -> bool:
        """Take a block of a follow-up chain; False when it is not one."""
        f = self.fields
        if block.list_items:
            for item in block.list_items:
                m = _ANSWER_LABEL.match(item)
                if m and f.follow_ups:
                    self.answer_last(item[m.end() :].strip())
                else:
                    f.follow_ups.append(follow_up(item))
            return True
        if block.label is not None and block.label.strip(": ").upper() in ("Q", "A"):
            if block.label.strip(": ").upper() == "Q":
                f.follow_ups.append(FollowUp(question=block.rest))
                return True
            if f.follow_ups:
                self.answer_open = True
                self.answer_last(block.rest)
                return True
        if opened and block.label is None:  # an answer's further paragraphs
            self.answer_open = True
            self.answer_last(block.text)
            return True
        return False

    def answer_last(self, text: str) -> None:
        last = self.fields.follow_ups[-1]
        joined = "\n\n".join(p for p in (last.answer, text) if p)
        self.fields.follow_ups[-1] = FollowUp(question=last.question, answer=joined or None)

    def roles(self, block: Block) -> bool:
        """Take a block of a weak-vs-strong comparison; False when it is not one."""
        f = self.fields
        if block.list_items:
            for item in block.list_items:
                target, text = _role_of(item, _WEAK_STRONG)
                self.role_field = target or self.role_field
                f.values[self.role_field].append(text if target else f"* {item}")
            return True
        target, text = _role_of(block.text, _WEAK_STRONG)
        if target is not None:
            self.role_field = target
        elif block.label is not None:
            return False  # another label ends the comparison
        f.values[self.role_field].append(text)
        return True

    def component(self, comp: Component) -> None:
        f = self.fields
        inner = blocks(self.owner.lines, comp)
        if (
            comp.name == "Note"
            and inner
            and (inner[0].label or "").lower() == _SENIOR_STAFF
            and all(b.component is None for b in inner)
        ):
            self.senior_vs_staff(comp, inner)
            return
        if comp.name not in CALLOUTS:
            self.owner.warn(
                comp.open_line + 1,
                "unknown-component",
                f"<{comp.name}> kept as a '{comp.name.lower()}' container",
            )
        text = callout_markdown(self.owner.lines, comp)
        if f.current == FOLLOW_UPS:  # a chain holds no callouts: keep it beside the chain
            f.start_part(comp.name, text)
            f.current = FOLLOW_UPS
        elif f.current == WEAK_VS_STRONG:
            f.values[self.role_field].append(text)
        else:
            f.add(text)

    def senior_vs_staff(self, comp: Component, inner: list[Block]) -> None:
        f = self.fields
        leftovers: list[str] = []
        for b in inner[1:]:
            if not b.list_items:
                leftovers.append(b.text)
                continue
            for item in b.list_items:
                target, text = _role_of(item, _SENIOR_STAFF_ROLES)
                if target is not None:
                    f.values[target].append(text)
                else:
                    leftovers.append(f"* {item}")
        if inner[0].rest:
            leftovers.insert(0, inner[0].rest)
        if leftovers:
            self.owner.warn(
                comp.open_line + 1,
                "unknown-label",
                "text in a Senior vs Staff note that is neither view kept as its own part",
            )
            saved = f.current
            f.start_part(inner[0].label or _SENIOR_STAFF, "\n\n".join(leftovers))
            f.current = saved


def _role_of(item: str, roles: tuple[tuple[re.Pattern[str], str], ...]) -> tuple[str | None, str]:
    """The field a ``**Senior:**``-style lead-in names, and the text after it."""
    m = LABEL_SOURCE.match(item)
    if m is None:
        return None, item
    role = decode_entities(m.group(2)).rstrip(":").strip()
    for pattern, target in roles:
        if pattern.fullmatch(role):
            return target, item[m.end() :].strip()
    return None, item


def callout_markdown(lines: Sequence[str], comp: Component) -> str:
    """A component as a markdown-it container (``::: note`` … ``:::``).

    An outer container gets more colons than the ones nested in it. Depth is capped by the
    component scanner, so the recursion here is too.
    """
    fence = ":" * (3 + comp.height)
    parts: list[str] = []
    for block in blocks(lines, comp):
        if block.component is not None:
            parts.append(callout_markdown(lines, block.component))
        else:
            parts.append(block.text)
    title = comp.attrs.get("title")
    head = f"{fence} {comp.name.lower()}" + (f" {decode_inline(title)}" if title else "")
    return "\n\n".join([head, *parts, fence]) if parts else f"{head}\n{fence}"
