"""Stage 3: the blocks of one accordion → the fields of a `Question`.

Driven by two tables: `LABEL_RULES` (label pattern → the field it starts, or what it is) and
`FOLLOW_UP_FORMS` (how a follow-up item separates its question from its answer). A new label
or form is one row and one fixture page. Unlabelled text continues the field the last label
started; a label the tables do not know stays prose inside an answer or steps, opens the
answer (kept in it) when the question has none yet and the label comes first, after the
interviewer intent or after an empty ``**Answer**:``, goes back to the answer after an example
between the answer's paragraphs, and elsewhere becomes a part of its own with an
``unknown-label`` diagnostic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from dockerqa._blocks import LABEL_SOURCE, Block, blocks, reblock
from dockerqa._mdx import Component
from dockerqa._text import decode_entities, decode_inline
from dockerqa.model import TEXT_PARTS, Diagnostic, FollowUp, Part

#: Components whose content is kept as a callout container.
CALLOUTS = frozenset({"Note", "Tip", "Info", "Warning", "Check", "Danger", "Callout"})

#: The Markdown fields of a `Question`, each filled by labels or by the text after them.
TEXT_FIELDS = TEXT_PARTS
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

    name: str
    """What the row is for (the test id of its examples)."""
    pattern: re.Pattern[str]
    """Matched against the whole label, without case and without its colon."""
    target: str
    """A name from `TEXT_FIELDS`, or `FOLLOW_UPS`, `PART`, `WEAK_VS_STRONG`."""
    examples: tuple[str, ...]
    """Labels as written (without ``**`` and colon) that this row, and no earlier one, takes."""
    then: str | None = None
    """The field that unlabelled text after the label's own line continues, if not `target`."""
    keeps_label: bool = False
    """The label is part of the text (``**Situation**:`` in a STAR answer): it stays visible,
    in the text field being filled, or in `target` when that field is not one to continue."""


def _rule(
    name: str,
    head: str,
    target: str,
    examples: tuple[str, ...],
    then: str | None = None,
    keeps_label: bool = False,
) -> LabelRule:
    pattern = re.compile(f"(?:{head}){_QUALIFIER}", re.I | re.S)
    return LabelRule(name, pattern, target, examples, then, keeps_label)


#: Known labels, first match wins. Heads are matched whole (with an optional qualifier), so a
#: prose lead-in such as "Red flag in production" is not taken for "Red flag".
LABEL_RULES: tuple[LabelRule, ...] = (
    _rule("answer", r"answer", "answer", ("Answer", "ANSWER", "Answer (short)")),
    _rule(
        "interviewer intent",
        r"what (?:the )?interviewers? (?:is |are )?(?:really )?(?:testing|looking for)",
        "interviewer_intent",
        (
            "What interviewers are really testing",
            "What the interviewer is looking for",
            "What interviewers are testing -- depth",
        ),
    ),
    _rule(
        "red flag",
        r"red[- ]flags?(?: answers?)?",
        "red_flag",
        ("Red flag answer", "Red Flag", "Red-flag answers"),
    ),
    _rule(
        "follow-up chain",
        r"follow[- ]?ups?\b.*",
        FOLLOW_UPS,
        (
            "Follow-up chain",
            "Follow-up questions",
            "Follow-up Q&A Chain",
            "Follow-up chain -- probing deeper",
            "Follow-up chain (interviewer deep dive)",
            "Follow-up",
            "Followups",
        ),
    ),
    _rule(
        "weak vs strong",
        r"what weak candidates (?:say|do) vs\.? what strong candidates (?:say|do)",
        WEAK_VS_STRONG,
        ("What weak candidates say vs what strong candidates say",),
    ),
    _rule(
        "weak answer",
        r"what weak candidates (?:say|do)",
        "weak_answer",
        ("What weak candidates say", "What weak candidates do"),
    ),
    _rule(
        "strong answer",
        r"what strong candidates (?:say|do)",
        "strong_answer",
        ("What strong candidates say", "What Strong Candidates Do"),
    ),
    _rule(
        "work sample",
        r"work[- ]?sample (?:scenario|prompt)",
        "prompt",
        ("Work-sample scenario", "Work sample prompt"),
        then="steps",
    ),
    _rule(
        "prompt",
        r"scenario|prompt|how to present this",
        "prompt",
        ("Scenario", "Prompt", "How to present this"),
    ),
    _rule(
        "example",
        r"(?:real[- ]world |worked )?example",
        "example",
        ("Example", "Real-World Example", "Worked example: a cache miss"),
    ),
    _rule(
        "STAR answer",
        r"situation|task|action|result",
        "answer",
        ("Situation", "Task", "Action", "Result"),
        keeps_label=True,
    ),
    _rule("answer template", r"structured answer template", PART, ("Structured answer template",)),
    _rule("further reading", r"further reading", PART, ("Further reading",)),
    _rule("big word alert", r"big word alert", PART, ("Big word alert",)),
)


#: Roles inside a ``Senior vs Staff perspective`` note and inside a weak-vs-strong block.
@dataclass(frozen=True)
class Role:
    """A lead-in naming whose view an item gives (``**Senior:**``, ``Weak:``)."""

    name: str
    """What the row is for (the test id of its examples)."""
    pattern: re.Pattern[str]
    """Matched against the whole lead-in, without case and without its colon."""
    target: str
    """The field the item's text goes to."""
    examples: tuple[tuple[str, str], ...]
    """``(item, text)``: items this row, and no earlier one, takes, and the text they give."""


def _role(name: str, head: str, target: str, *examples: tuple[str, str]) -> Role:
    return Role(name, re.compile(head, re.I), target, examples)


#: Roles inside a ``Senior vs Staff perspective`` note.
SENIOR_STAFF_ROLES: tuple[Role, ...] = (
    _role("senior", r"senior(?: engineer)?", "senior_view",
          ("**Senior:** Owns the service.", "Owns the service."),
          ("Senior engineer: Owns it.", "Owns it.")),
    _role("staff", r"staff(?: engineer)?", "staff_view",
          ("**Staff engineer**: Sets the standard.", "Sets the standard.")),
)  # fmt: skip
#: Sides of a weak-vs-strong comparison.
WEAK_STRONG_ROLES: tuple[Role, ...] = (
    _role("weak", r"weak(?: candidates?)?(?: says?| do(?:es)?)?", "weak_answer",
          ("**Weak:** It is a VM.", "It is a VM."),
          ('Weak candidates say: "a VM."', '"a VM."')),
    _role("strong", r"strong(?: candidates?)?(?: says?| do(?:es)?)?", "strong_answer",
          ("**Strong**: It shares the kernel.", "It shares the kernel."),
          ("Strong: shares the kernel.", "shares the kernel.")),
)  # fmt: skip
_SENIOR_STAFF = "senior vs staff perspective"
#: Fields after which an unknown label starts a part of its own; elsewhere it is prose.
_PROSE_FIELDS = frozenset({"answer", "steps"})
#: Fields that a label kept in its text (`LabelRule.keeps_label`) continues; after any other,
#: it starts its rule's target.
_CONTINUED_BY_LABELLED_TEXT = frozenset(
    {"answer", "steps", "example", "weak_answer", "strong_answer", "senior_view", "staff_view"}
)

_DASH = r"(?:--|—|–)"
#: What may follow a labelled question: its answer after a dash, on the next line, or in
#: parentheses.
_AFTER_QUESTION = rf"\s*{_DASH}.*|[ \t]*\n.*|\s+\(.*\)"


@dataclass(frozen=True)
class FollowUpForm:
    """How one follow-up item separates its question from its answer."""

    name: str
    """What the row is for (the test id of its examples)."""
    pattern: re.Pattern[str]
    """Matched against the item's first paragraph; group ``q`` is the question, the optional
    group ``a`` whatever follows it (the answer, possibly in parentheses or after a dash), the
    optional group ``lead`` a label written before the question, kept (as written) before it."""
    examples: tuple[tuple[str, str, str | None], ...]
    """``(item, question, answer)``: items this row, and no earlier one, takes, and what
    `follow_up` makes of them."""
    paragraph: bool = False
    """The form also stands as a paragraph of its own in a chain (not only as a list item);
    the unlabelled paragraphs after it continue its answer."""

    def __post_init__(self) -> None:
        if "q" not in self.pattern.groupindex:  # `follow_up` reads group ``q`` (``a`` optional)
            raise TypeError(f"follow-up form {self.name!r} needs a 'q' group")


def _form(
    name: str,
    pattern: str,
    *examples: tuple[str, str, str | None],
    paragraph: bool = False,
    flags: int = 0,
) -> FollowUpForm:
    return FollowUpForm(name, re.compile(pattern, re.S | flags), examples, paragraph)


#: Follow-up item forms, first match wins.
FOLLOW_UP_FORMS: tuple[FollowUpForm, ...] = (
    _form(
        "Q and A labels",
        r"^(\*\*|__)Q:?\1:?\s*(?P<q>.*?)(?:\s*(\*\*|__)A:?\3:?\s*(?P<a>.*))?$",
        ("**Q:** What is a layer?", "What is a layer?", None),
        (
            "**Q:** What is a layer? **A:** A read-only diff.",
            "What is a layer?",
            "A read-only diff.",
        ),
        ("**Q**: Why?\n**A**: Because.", "Why?", "Because."),
        ("__Q:__ Why?\n__A:__ `RUN` adds one.", "Why?", "`RUN` adds one."),
        paragraph=True,
    ),
    _form(
        "Q label inside the bold question",
        r"^(\*\*|__)Q:\s*(?P<q>.+?)\1(?:\s+(?P<a>.*))?$",
        ("**Q: What is a layer?**", "What is a layer?", None),
        ("**Q: What is a layer?**\nA read-only diff.", "What is a layer?", "A read-only diff."),
        ("**Q: Why `COPY`?** It is explicit.", "Why `COPY`?", "It is explicit."),
        paragraph=True,
    ),
    _form(
        "quoted bold question",
        r'^(\*\*|__)\s*["“](?P<q>.+?)["”]\s*\1(?P<a>.*)$',
        ('**"Why?"** Because.', "Why?", "Because."),
        ('**"What is a layer?"**\nA read-only diff.', "What is a layer?", "A read-only diff."),
        ("**“Why?”** Because.", "Why?", "Because."),
    ),
    _form(
        "labelled quoted question",
        rf"^(?P<lead>(\*\*|__)[^*_\n]+?(?<!\?)(?::\2|\2:))\s*([*_]?)[\"“](?P<q>.+?)[\"”]\3"
        rf"(?P<a>{_AFTER_QUESTION})?\s*$",
        ('**Failure mode:** "Why?" -- Because.', "**Failure mode:** Why?", "Because."),
        ('**Cost**: "How much?" — A lot.', "**Cost**: How much?", "A lot."),
        ("**Scale:** “What changes?” – Batching.", "**Scale:** What changes?", "Batching."),
        ('__Safety:__ "Trust it?"\nNo.', "__Safety:__ Trust it?", "No."),
        ('**Production gotcha:** "Where?"', "**Production gotcha:** Where?", None),
        ('**Debugging:** "Is "lost" real?" -- Yes.', '**Debugging:** Is "lost" real?', "Yes."),
        ('**Cost:** "How much?" (A lot.)', "**Cost:** How much?", "A lot."),
        ('**Cost:** *"How much?"* -- A lot.', "**Cost:** How much?", "A lot."),
        ("**Cost**: _“How much?”_", "**Cost**: How much?", None),
    ),
    _form(
        "labelled question",
        rf"^(?P<lead>(\*\*|__)[^*_\n]+?(?<!\?)(?::\2|\2:))\s*(?P<q>[^\s\"“*_][^\n]*?\?)"
        rf"(?P<a>{_AFTER_QUESTION})?\s*$",
        ("**Cost:** How much? -- A lot.", "**Cost:** How much?", "A lot."),
        (
            "**Scale**: What changes at 10x? — Batching.",
            "**Scale**: What changes at 10x?",
            "Batching.",
        ),
        ("__Safety:__ Trust `attn`?\nNo.", "__Safety:__ Trust `attn`?", "No."),
        ("**Tradeoff:** Latency or cost?", "**Tradeoff:** Latency or cost?", None),
        ("**Cost:** How much? (A lot.)", "**Cost:** How much?", "A lot."),
    ),
    _form(
        "bold question",
        r"^(\*\*|__)(?P<q>[^*_\s].*?)\1(?:(?<=\?\*\*):|(?<=\?__):)?(?P<a>.*)$",
        ("**What is a layer?** A read-only diff.", "What is a layer?", "A read-only diff."),
        ("**Why?** -- Because.", "Why?", "Because."),
        ("**Why?**", "Why?", None),
        ("**Why does it fail?**: The cache.", "Why does it fail?", "The cache."),
    ),
    _form(
        "quoted emphasised question",
        r'^([*_])\s*["“](?P<q>.+?)["”]\s*\1(?P<a>.*)$',
        ('*"Why?"* (Because.)', "Why?", "Because."),
        ('*"Why?"* -- Because.', "Why?", "Because."),
        ('*"Why?"*\n- Because.', "Why?", "- Because."),
        ('*"Why?"*', "Why?", None),
        ("*“Why?”* (Because.)", "Why?", "Because."),
    ),
    _form(
        "quoted question, dash, answer",
        rf'^["“](?P<q>.+?)["”]\s*{_DASH}\s*(?P<a>.*)$',
        ('"What is a layer?" -- A read-only diff.', "What is a layer?", "A read-only diff."),
        ('"Why?" — Because.', "Why?", "Because."),
        ("“Why?” – Because.", "Why?", "Because."),
    ),
    _form(
        "quoted question, parenthesis",
        r'^["“](?P<q>.+?)["”]\s*\((?:answer:\s*)?(?P<a>.*)\)$',
        (
            '"What is a layer?" (Tests: whether you know layers are read-only)',
            "What is a layer?",
            "Tests: whether you know layers are read-only",
        ),
        ('"Why multi-stage?" (smaller images)', "Why multi-stage?", "smaller images"),
        ('"Why?" (Answer: because)', "Why?", "because"),
        ("“Why multi-stage?” (smaller images)", "Why multi-stage?", "smaller images"),
        flags=re.I,
    ),
    _form(
        "quoted question",
        r'^["“](?P<q>.+)["”]$',
        ('"What is a layer?"', "What is a layer?", None),
        ('"Can two containers share a port?"', "Can two containers share a port?", None),
        ("“What is a layer?”", "What is a layer?", None),
    ),
    _form(
        "question, answer in parentheses",
        r"^(?P<q>[^\n]*?\?)\s+\((?:answer:\s*)?(?P<a>[^\n]*)\)$",
        ("Why? (Answer: because.)", "Why?", "because."),
        ("Why `-p`? (Tests port publishing.)", "Why `-p`?", "Tests port publishing."),
        flags=re.I,
    ),
    _form(
        "question, code, answer in parentheses",
        r"^(?P<q>[^\n]*?\?[^\n]*?)\s+\(answer:\s*(?P<a>[^\n]*)\)$",
        (
            "What does this print? `echo $((1+1))` (Answer: `2`, from `$((...))`)",
            "What does this print? `echo $((1+1))`",
            "`2`, from `$((...))`",
        ),
        flags=re.I,
    ),
    _form(
        "question",
        r"^(?P<q>[^\n]+\?)$",
        ("What is a layer?", "What is a layer?", None),
    ),
)
_ANSWER_LABEL = re.compile(r"^(\*\*|__)A:?\1:?\s*", re.S)


def label_rule(label: str) -> LabelRule | None:
    """The rule a label (as written, without its colon) matches, if any."""
    norm = " ".join(decode_entities(label).split()).rstrip(":").strip()
    return next((r for r in LABEL_RULES if r.pattern.fullmatch(norm)), None)


def follow_up_form(item: str) -> tuple[FollowUpForm, dict[str, str | None]] | None:
    """The form of a follow-up item (its first paragraph decides) and the groups it gives."""
    first = item.partition("\n\n")[0]
    for form in FOLLOW_UP_FORMS:
        m = form.pattern.match(first)
        if m:
            return form, m.groupdict()
    return None


def follow_up(item: str) -> FollowUp:
    """One follow-up item (its list marker removed) as question and answer."""
    first, _, more = item.partition("\n\n")
    question, rest = first, ""
    found = follow_up_form(first)
    if found is not None:
        groups = found[1]
        question = " ".join(p for p in (groups.get("lead"), groups["q"]) if p)
        rest = (groups.get("a") or "").strip()
    rest = re.sub(rf"^{_DASH}\s*", "", rest)
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    answer = "\n\n".join(p for p in (rest, more.strip()) if p) or None
    return FollowUp(question=question.strip(), answer=answer)


#: A label that opens a follow-up's question (``**Cost:**``, ``__Scale__:``).
_LEAD_LABEL = re.compile(r"^(\*\*|__)[^*_\n]+?\1:?")


def only_label(item: FollowUp) -> bool:
    """Whether a follow-up's question is only a label (``Cost:``, or ``Scale`` with the colon
    opening its answer): a form the table doesn't know put the question somewhere else."""
    question = item.question.strip()
    if question.endswith(":"):
        return True
    if (item.answer or "").startswith(":"):  # ``**Scale**: …``, unless the bold is a question
        return not question.endswith("?")
    rest = _LEAD_LABEL.sub("", question, count=1)
    return rest != question and re.search(r"[^\W\d_]", rest) is None


def _item_lines(block: Block) -> list[int]:
    """The line each item of a list block starts on."""
    lines, at = [], 0
    for item in block.items:
        found = block.text.find(item, at)
        at = found if found >= 0 else at
        lines.append(block.line + block.text.count("\n", 0, at))
        at += len(item)
    return lines


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
    """The state of one accordion's walk: the field being filled, the open follow-up answer,
    the side of a weak-vs-strong comparison and an answer label waiting for its text."""

    def __init__(self, owner: FieldAssigner):
        self.owner = owner
        self.fields = Fields()
        self.answer_open = False  # the last block was a follow-up whose answer may go on
        self.role_field = "weak_answer"
        self.empty_answer = False  # the last block was an ``**Answer**:`` with no text
        self.after_empty_answer = False  # the block being read follows such a label
        self.intent_then_answer = False  # the next paragraph is the intent, then the answer
        self.answer_owed = False  # an ``**Answer**:`` with no text was read, no answer since
        self.example_in_answer = False  # the example being filled interrupted the answer

    def block(self, block: Block) -> None:
        f = self.fields
        opened, self.answer_open = self.answer_open, False
        self.after_empty_answer, self.empty_answer = self.empty_answer, False
        intent_then_answer, self.intent_then_answer = self.intent_then_answer, False
        if block.component is not None:
            self.component(block.component)
            return
        if f.current == FOLLOW_UPS and self.follow_up_block(block, opened):
            return
        if f.current == WEAK_VS_STRONG and self.roles(block):
            return
        if block.label is not None:
            rule = label_rule(block.label)
            if rule is not None:
                self.labelled(rule, block)
                return
            if self.opens_answer() or (f.current == "example" and self.example_in_answer):
                f.current = "answer"  # the label stays visible in the answer it opens or resumes
            elif f.current not in _PROSE_FIELDS:
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
        if intent_then_answer and f.current == "interviewer_intent":
            f.current = "answer"

    def opens_answer(self) -> bool:
        """Whether a label the tables don't know opens the model answer: the question has no
        answer yet, and the label comes first, after the interviewer intent or after an
        ``**Answer**:`` with no text (``**Code**:``, ``**Analysis:**``)."""
        f = self.fields
        if f.values.get("answer"):
            return False
        return f.current in (None, "interviewer_intent") or self.answer_owed

    def labelled(self, rule: LabelRule, block: Block) -> None:
        f = self.fields
        self.example_in_answer = False
        if rule.target == PART:
            f.start_part(block.label or "", block.rest)
        elif rule.target == FOLLOW_UPS:
            f.current = FOLLOW_UPS
            for inner in reblock(block.rest, block.line):  # a chain may start on the label's line
                if not self.follow_up_block(inner, opened=False):
                    self.add_follow_up(inner.text, inner.line)
        elif rule.target == WEAK_VS_STRONG:
            f.current = "weak_answer"
            f.add(block.rest)
            f.current = WEAK_VS_STRONG
        elif rule.keeps_label:
            f.current = f.current if f.current in _CONTINUED_BY_LABELLED_TEXT else rule.target
            f.add(block.text)
        else:
            interrupts_answer = f.current == "answer" or self.after_empty_answer
            f.current = rule.target
            f.add(block.rest)
            f.current = rule.then or rule.target
            if rule.target == "answer":
                self.empty_answer = not block.rest and not f.values.get("answer")
                self.answer_owed = self.empty_answer
            elif rule.target == "example":
                # an example between the answer's paragraphs: a label the tables don't know
                # after it goes back to the answer
                self.example_in_answer = interrupts_answer
            elif rule.target == "interviewer_intent" and interrupts_answer:
                # the intent inside an answer (``**Answer**:`` then the intent, or the intent
                # between the answer's paragraphs) is the one paragraph it labels, and the
                # answer goes on after it
                if block.rest:
                    f.current = "answer"
                else:
                    self.intent_then_answer = True

    def follow_up_block(self, block: Block, opened: bool) -> bool:
        """Take a block of a follow-up chain; False when it is not one."""
        f = self.fields
        if block.list_items:
            for item, line in zip(block.list_items, _item_lines(block), strict=True):
                m = _ANSWER_LABEL.match(item)
                if m and f.follow_ups:
                    self.answer_last(item[m.end() :].strip())
                else:
                    self.add_follow_up(item, line)
            return True
        m = _ANSWER_LABEL.match(block.text)
        if m is not None and f.follow_ups:  # **A:** answers the question before it
            self.answer_open = True
            self.answer_last(block.text[m.end() :].strip())
            return True
        found = follow_up_form(block.text)
        if found is not None and found[0].paragraph:
            self.add_follow_up(block.text, block.line)
            self.answer_open = True
            return True
        if opened and block.label is None:  # an answer's further paragraphs
            self.answer_open = True
            self.answer_last(block.text)
            return True
        return False

    def add_follow_up(self, item: str, line: int) -> None:
        """Add one follow-up item; report it when its question is only a label."""
        added = follow_up(item)
        self.fields.follow_ups.append(added)
        if only_label(added):
            self.owner.warn(
                line,
                "label-only-follow-up",
                f"the question of the follow-up {added.question!r} is only a label; the "
                "question went to its answer (a form the follow-up table doesn't know)",
            )

    def answer_last(self, text: str) -> None:
        last = self.fields.follow_ups[-1]
        joined = "\n\n".join(p for p in (last.answer, text) if p)
        self.fields.follow_ups[-1] = FollowUp(question=last.question, answer=joined or None)

    def roles(self, block: Block) -> bool:
        """Take a block of a weak-vs-strong comparison; False when it is not one."""
        f = self.fields
        if block.list_items:
            for item in block.list_items:
                target, text = _role_of(item, WEAK_STRONG_ROLES)
                self.role_field = target or self.role_field
                f.values[self.role_field].append(text if target else f"* {item}")
            return True
        target, text = _role_of(block.text, WEAK_STRONG_ROLES)
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
                f"<{comp.name}> kept as a container named '{comp.name.lower()}'",
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
                target, text = _role_of(item, SENIOR_STAFF_ROLES)
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


#: A lead-in without bold (``Weak: …``): a few words before a colon.
_PLAIN_LEAD_IN = re.compile(r"^([A-Za-z][\w ]{0,30}?)\s*:\s*")


def _role_of(item: str, roles: tuple[Role, ...]) -> tuple[str | None, str]:
    """The field a ``**Senior:**``-style lead-in names (bold or plain ``Weak:``), and the
    text after it."""
    found = role_of(item, roles)
    return (found[0].target, found[1]) if found is not None else (None, item)


def role_of(item: str, roles: tuple[Role, ...]) -> tuple[Role, str] | None:
    """The role an item's lead-in names, first match wins, and the text after the lead-in."""
    m = LABEL_SOURCE.match(item) or _PLAIN_LEAD_IN.match(item)
    if m is None:
        return None
    lead_in = decode_entities(m.group(m.lastindex or 1)).rstrip(":").strip()
    role = next((r for r in roles if r.pattern.fullmatch(lead_in)), None)
    return (role, item[m.end() :].strip()) if role is not None else None


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
