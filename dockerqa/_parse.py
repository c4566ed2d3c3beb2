"""Parser for Mintlify interview pages: MDX components around Markdown bodies.

Pipeline: bytes → text → a tree of MDX components and Markdown runs (the only place that
matches tags by pattern; fences are skipped so tags inside code stay code) → Markdown runs
tokenized with markdown-it-py → labelled blocks → `Question` fields.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from dockerqa._meta import CorpusMeta
from dockerqa._text import decode_entities, decode_inline, page_key, slugify
from dockerqa.errors import ParseError
from dockerqa.model import (
    Diagnostic,
    FollowUp,
    Kind,
    Level,
    Library,
    Metadata,
    Part,
    Question,
    Section,
    SourceSpan,
)

_TAG_OPEN = re.compile(
    r"""^(\s*)<([A-Z][A-Za-z0-9]*)((?:\s+[A-Za-z_][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}]*\}))?)*)"""
    r"\s*(/?)>\s*$"
)
_TAG_CLOSE = re.compile(r"^(\s*)</([A-Z][A-Za-z0-9]*)\s*>\s*$")
_ATTR = re.compile(r"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^}]*)\})""")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_LIST_MARKER = re.compile(r"^(\s*)(\d{1,9}[.)]|[*+-])(\s+|$)")
_LABEL_SOURCE = re.compile(r"^(\*\*|__)(.+?)\1\s*:?\s*")

#: Components whose content is kept as a callout container.
CALLOUTS = frozenset({"Note", "Tip", "Info", "Warning", "Check", "Danger", "Callout"})
_GROUPS = frozenset({"AccordionGroup"})

#: Known labels (normalised: lowercase, no trailing colon) and the field they start.
LABELS: dict[str, str] = {
    "answer": "answer",
    "what interviewers are really testing": "interviewer_intent",
    "what interviewers are testing": "interviewer_intent",
    "red flag answer": "red_flag",
    "red flag": "red_flag",
    "follow-up chain": "follow_ups",
    "follow-up": "follow_ups",
    "follow-ups": "follow_ups",
    "follow-up questions": "follow_ups",
    "what weak candidates say": "weak_answer",
    "what weak candidates do": "weak_answer",
    "what strong candidates say": "strong_answer",
    "what strong candidates do": "strong_answer",
    "scenario": "prompt",
    "how to present this": "prompt",
    "work-sample scenario": "work_sample",
}
_SENIOR_STAFF = "senior vs staff perspective"
#: Fields after which an unknown label starts a part of its own; elsewhere it is prose.
_PROSE_FIELDS = frozenset({"answer", "steps"})

_TITLE_FORMS: tuple[tuple[re.Pattern[str], Kind | None], ...] = (
    (re.compile(r"^(\d+)\.\s+(.+)$"), None),
    (re.compile(r"^Scenario\s+(\d+)\s*:\s*(.+)$", re.I), Kind.SCENARIO),
    (re.compile(r"^Work[- ]?Sample\s+(\d+)\s*:\s*(.+)$", re.I), Kind.WORK_SAMPLE),
    (re.compile(r"^()Weak\s+vs\.?\s+Strong\s*:\s*(.+)$", re.I), Kind.COMPARISON),
)

_md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


# --------------------------------------------------------------------------- MDX layer


@dataclass
class _Run:
    """Markdown lines ``[start, end)`` (0-based, absolute)."""

    start: int
    end: int


@dataclass
class _Component:
    name: str
    attrs: dict[str, str]
    open_line: int
    column: int
    close_line: int = -1
    children: list[_Run | _Component] = field(default_factory=list)


def _decode(data: bytes | str, file: str) -> str:
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            raise ParseError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", file, line, column
            ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(raw or ""):
        value = next(v for v in m.groups()[1:] if v is not None)
        attrs[m.group(1)] = value
    return attrs


def _scan(lines: Sequence[str], first: int, file: str) -> _Component:
    """Build the component tree of ``lines[first:]``, skipping fenced code."""
    root = _Component("#root", {}, first - 1, 1)
    stack = [root]
    fence: tuple[str, int] | None = None
    run_start: int | None = None

    def flush(upto: int) -> None:
        nonlocal run_start
        if run_start is not None and upto > run_start:
            stack[-1].children.append(_Run(run_start, upto))
        run_start = None

    for i in range(first, len(lines)):
        line = lines[i]
        fm = _FENCE.match(line)
        if fence is not None:
            closes = fm and fm.group(2)[0] == fence[0] and len(fm.group(2)) >= fence[1]
            if closes and fm and not fm.group(3).strip():
                fence = None
        elif fm and not (fm.group(2)[0] == "`" and "`" in fm.group(3)):
            fence = (fm.group(2)[0], len(fm.group(2)))
        else:
            om, cm = _TAG_OPEN.match(line), _TAG_CLOSE.match(line)
            if om:
                flush(i)
                comp = _Component(om.group(2), _parse_attrs(om.group(3)), i, len(om.group(1)) + 1)
                stack[-1].children.append(comp)
                if om.group(4):  # self-closing
                    comp.close_line = i
                else:
                    stack.append(comp)
                continue
            if cm:
                flush(i)
                name = cm.group(2)
                if stack[-1] is root:
                    raise ParseError(f"</{name}> closes nothing", file, i + 1, len(cm.group(1)) + 1)
                top = stack[-1]
                if top.name != name:
                    raise ParseError(
                        f"<{top.name}> (line {top.open_line + 1}) is not closed before </{name}>",
                        file,
                        i + 1,
                        len(cm.group(1)) + 1,
                    )
                top.close_line = i
                stack.pop()
                continue
        if run_start is None:
            run_start = i
    flush(len(lines))
    if len(stack) > 1:
        top = stack[-1]
        raise ParseError(f"<{top.name}> is never closed", file, top.open_line + 1, top.column)
    return root


# --------------------------------------------------------------------------- Markdown layer


@dataclass
class _Block:
    """One top-level Markdown block (or callout) of a region, already cleaned."""

    text: str
    line: int  # 1-based absolute line of its first source line
    label: str | None = None  # label as written, no colon
    rest: str = ""  # the paragraph text after its label
    list_items: list[str] = field(default_factory=list)
    component: _Component | None = None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _clean_lines(lines: list[str], tokens: list[Token]) -> list[str]:
    """Drop fence meta (``theme={null}``) and decode escapes outside fenced code."""
    code: set[int] = set()
    out = list(lines)
    for tok in tokens:
        if tok.type == "fence" and tok.map:
            start, end = tok.map
            fm = _FENCE.match(out[start])
            if fm:
                lang = fm.group(3).strip().split(" ")[0] if fm.group(3).strip() else ""
                out[start] = f"{fm.group(1)}{fm.group(2)}{lang}"
            code.update(range(start, end))
        elif tok.type == "code_block" and tok.map:
            code.update(range(*tok.map))
    i = 0
    while i < len(out):
        if i in code:
            i += 1
            continue
        j = i
        while j < len(out) and j not in code:
            j += 1
        out[i:j] = decode_inline("\n".join(out[i:j])).split("\n")
        i = j
    return out


def _label_of(tokens: list[Token], first: int) -> str | None:
    """The label of a paragraph starting ``**Label:**`` or ``**Label**:``, if it has one."""
    if tokens[first].type != "paragraph_open":
        return None
    children = [c for c in tokens[first + 1].children or [] if c.type != "text" or c.content]
    if len(children) < 3 or children[0].type != "strong_open":
        return None
    inner: list[str] = []
    k = 1
    while k < len(children) and children[k].type != "strong_close":
        if children[k].type not in ("text", "code_inline"):
            return None
        inner.append(children[k].content)
        k += 1
    if k >= len(children):
        return None
    label = "".join(inner).strip()
    after = children[k + 1].content if k + 1 < len(children) else ""
    if label.endswith(":"):
        return decode_inline(label[:-1].strip())
    if after.startswith(":") or (not after and k + 1 == len(children)):
        return decode_inline(label)
    return None


def _strip_label(text: str) -> str:
    m = _LABEL_SOURCE.match(text)
    return text[m.end() :].strip() if m else text


def _list_items(lines: list[str], tokens: list[Token], open_index: int) -> list[str]:
    """Source text of each item of the list opening at ``tokens[open_index]``, markers removed."""
    items: list[str] = []
    level = tokens[open_index].level + 1
    for tok in tokens[open_index + 1 :]:
        if tok.level < level:
            break
        if tok.type == "list_item_open" and tok.level == level and tok.map:
            src = lines[tok.map[0] : tok.map[1]]
            m = _LIST_MARKER.match(src[0])
            width = m.end() if m and m.group(3) else (len(m.group(0)) + 1 if m else 0)
            body = [src[0][width:]] + [
                ln[width:] if _indent(ln) >= width else ln.lstrip() for ln in src[1:]
            ]
            items.append("\n".join(body).strip())
    return items


def _split(raw: list[str]) -> tuple[list[Token], list[str], list[tuple[int, int, str]]]:
    """Tokenize Markdown lines; return the tokens, the cleaned lines and, for each top-level
    block, its opening token's index, its first line and its cleaned source text.

    A block runs to the next block's first line, so no line is left out.
    """
    tokens = _md.parse("\n".join(raw))
    clean = _clean_lines(raw, tokens)
    tops = [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting >= 0 and t.map]
    starts = [tokens[i].map[0] for i in tops]  # type: ignore[index]
    ends = [*starts[1:], len(clean)] if starts else []
    blocks = [
        (i, start, "\n".join(clean[start:end]).strip("\n"))
        for i, start, end in zip(tops, starts, ends, strict=True)
    ]
    return tokens, clean, blocks


def _blocks(lines: Sequence[str], region: _Component, file: str) -> list[_Block]:
    """The blocks of a component's content, dedented and cleaned."""
    first, last = region.open_line + 1, region.close_line
    body = [ln for ln in lines[first:last] if ln.strip()]
    indent = min((_indent(ln) for ln in body), default=0)
    blocks: list[_Block] = []
    for child in region.children:
        if isinstance(child, _Component):
            blocks.append(_Block("", child.open_line + 1, component=child))
            continue
        raw = [
            ln[indent:] if _indent(ln) >= indent else ln.lstrip()
            for ln in lines[child.start : child.end]
        ]
        tokens, clean, split = _split(raw)
        for i, start, text in split:
            block = _Block(text, child.start + start + 1)
            block.label = _label_of(tokens, i)
            if block.label is not None:
                block.rest = _strip_label(text)
            if tokens[i].type in ("bullet_list_open", "ordered_list_open"):
                block.list_items = _list_items(clean, tokens, i)
            blocks.append(block)
    return blocks


# --------------------------------------------------------------------------- questions


_FOLLOW_EMPH = re.compile(r'^([*_])\s*"(.+?)"\s*\1(.*)$', re.S)
_FOLLOW_QUOTED = re.compile(r'^"(.+?)"\s*(?:--|—|–)\s*(.*)$', re.S)
_FOLLOW_QUOTED_ONLY = re.compile(r'^"(.+)"$', re.S)


def _follow_up(item: str) -> FollowUp:
    """``*"q?"* (answer)``, ``"q" -- answer``, ``*"q"* -- answer`` or a bare question."""
    first, _, more = item.partition("\n\n")
    m = _FOLLOW_EMPH.match(first)
    if m:
        question, rest = m.group(2), m.group(3).strip()
    elif (m := _FOLLOW_QUOTED.match(first)) is not None:
        question, rest = m.group(1), m.group(2).strip()
    elif (m := _FOLLOW_QUOTED_ONLY.match(first)) is not None:
        question, rest = m.group(1), ""
    else:
        question, rest = first, ""
    rest = re.sub(r"^(?:--|—|–)\s*", "", rest)
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    answer = "\n\n".join(p for p in (rest, more.strip()) if p) or None
    return FollowUp(question=question.strip(), answer=answer)


@dataclass
class _Fields:
    values: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    follow_ups: list[FollowUp] = field(default_factory=list)
    parts: list[tuple[str, list[str]]] = field(default_factory=list)
    current: str | None = None

    def add(self, text: str) -> None:
        if not text:
            return
        target = self.current or "answer"
        if target == "part":
            self.parts[-1][1].append(text)
        else:
            self.values[target].append(text)
            self.current = target

    def start_part(self, label: str, text: str) -> None:
        self.parts.append((label, [text] if text else []))
        self.current = "part"


class _QuestionParser:
    def __init__(self, lines: Sequence[str], file: str, diagnostics: list[Diagnostic]):
        self.lines = lines
        self.file = file
        self.diagnostics = diagnostics

    def warn(self, line: int, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(file=self.file, line=line, code=code, message=message))

    def fields(self, comp: _Component) -> _Fields:
        f = _Fields()
        for block in _blocks(self.lines, comp, self.file):
            if block.component is not None:
                self.component(block.component, f)
                continue
            if block.label is not None:
                target = LABELS.get(block.label.lower().strip())
                if target == "work_sample":
                    f.current = "prompt"
                    f.add(block.rest)
                    f.current = "steps"
                    continue
                if target is not None:
                    f.current = target
                    if target == "follow_ups":
                        if block.rest:
                            f.start_part(block.label, block.rest)
                    else:
                        f.add(block.rest)
                    continue
                if f.current not in _PROSE_FIELDS:
                    self.warn(
                        block.line, "unknown-label", f"label {block.label!r} kept as its own part"
                    )
                    f.start_part(block.label, block.rest)
                    continue
            if f.current == "follow_ups":
                if block.list_items:
                    f.follow_ups.extend(_follow_up(item) for item in block.list_items)
                    continue
                self.warn(
                    block.line,
                    "loose-follow-up-text",
                    "text in a follow-up chain that is not a list item kept as its own part",
                )
                f.start_part("Follow-up notes", block.text)
                continue
            f.add(block.text)
        return f

    def component(self, comp: _Component, f: _Fields) -> None:
        blocks = _blocks(self.lines, comp, self.file)
        if (
            comp.name == "Note"
            and blocks
            and (blocks[0].label or "").lower() == _SENIOR_STAFF
            and all(b.component is None for b in blocks)
        ):
            leftovers: list[str] = []
            for b in blocks[1:]:
                if not b.list_items:
                    leftovers.append(b.text)
                    continue
                for item in b.list_items:
                    m = _LABEL_SOURCE.match(item)
                    role = decode_entities(m.group(2)).rstrip(":").strip().lower() if m else ""
                    if role in ("senior", "senior engineer"):
                        f.values["senior_view"].append(item[m.end() :].strip())  # type: ignore[union-attr]
                    elif role in ("staff", "staff engineer"):
                        f.values["staff_view"].append(item[m.end() :].strip())  # type: ignore[union-attr]
                    else:
                        leftovers.append(f"* {item}")
            if blocks[0].rest:
                leftovers.insert(0, blocks[0].rest)
            if leftovers:
                self.warn(
                    comp.open_line + 1,
                    "unknown-label",
                    "text in a Senior vs Staff note that is neither view kept as its own part",
                )
                saved = f.current
                f.start_part(blocks[0].label or _SENIOR_STAFF, "\n\n".join(leftovers))
                f.current = saved
            return
        if comp.name not in CALLOUTS:
            self.warn(
                comp.open_line + 1,
                "unknown-component",
                f"<{comp.name}> kept as a '{comp.name.lower()}' container",
            )
        f.add(callout_markdown(self.lines, comp, self.file))


def callout_markdown(lines: Sequence[str], comp: _Component, file: str) -> str:
    """A component as a markdown-it container (``::: note`` … ``:::``).

    An outer container gets more colons than the ones nested in it.
    """
    fence = ":" * (3 + _nesting(comp))
    parts: list[str] = []
    for block in _blocks(lines, comp, file):
        if block.component is not None:
            parts.append(callout_markdown(lines, block.component, file))
        else:
            parts.append(block.text)
    title = comp.attrs.get("title")
    head = f"{fence} {comp.name.lower()}" + (f" {decode_inline(title)}" if title else "")
    return "\n\n".join([head, *parts, fence]) if parts else f"{head}\n{fence}"


def _nesting(comp: _Component) -> int:
    return max((1 + _nesting(c) for c in comp.children if isinstance(c, _Component)), default=0)


# --------------------------------------------------------------------------- document


def _split_title(title: str) -> tuple[int | None, str, Kind | None]:
    for pattern, kind in _TITLE_FORMS:
        m = pattern.match(title)
        if m:
            number = int(m.group(1)) if m.group(1) else None
            return number, m.group(2).strip(), kind
    return None, title, None


def _kind_from_heading(heading: str) -> Kind:
    h = heading.lower()
    if "scenario" in h:
        return Kind.SCENARIO
    if "work-sample" in h or "work sample" in h:
        return Kind.WORK_SAMPLE
    if "comparison" in h or "weak vs" in h:
        return Kind.COMPARISON
    return Kind.QUESTION


def infer_level(heading: str) -> Level:
    """The level a section heading implies when no metadata names one."""
    h = heading.lower()
    if any(w in h for w in ("advanced", "scenario", "staff")):
        return Level.ADVANCED
    if any(w in h for w in ("medium", "intermediate")):
        return Level.INTERMEDIATE
    return Level.BASIC


def _topic_base(title: str) -> str:
    return re.split(r"\s+(?:—|--|–)\s+", title, maxsplit=1)[0]


def natural_id(section_id: str, title: str) -> str:
    """The id a title gives: ``section/slug`` of the title up to a dash-separated subtitle."""
    base = slugify(_topic_base(title)) or slugify(title) or "question"
    return f"{section_id}/{base}"


@dataclass
class _SectionDraft:
    heading: str
    line: int
    notes: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    end_line: int = 0


class _DocumentParser:
    def __init__(self, text: str, file: str, meta: CorpusMeta):
        self.file = file
        self.meta = meta
        self.lines = text.split("\n")
        self.diagnostics: list[Diagnostic] = []
        self.notes: list[str] = []
        self.sections: list[_SectionDraft] = []
        self.doc_title: str | None = None
        self.question_parser = _QuestionParser(self.lines, file, self.diagnostics)

    def parse(self) -> Library:
        first = self._skip_front_matter()
        root = _scan(self.lines, first, self.file)
        root.close_line = len(self.lines)
        self._walk(root, top=True)
        questions = self._apply_renames([q for s in self.sections for q in s.questions])
        if not questions:
            raise ParseError(
                'no questions found (expected <Accordion title="…"> items)', self.file, 1, 1
            )
        self._check_numbers(questions)
        return Library(
            metadata=Metadata(
                key=self.meta.key or page_key(self.file),
                title=self.meta.title or self.doc_title or Path(self.file).stem,
                source_url=self.meta.source_url,
                provenance=self.meta.provenance,
                source_file=self.file,
            ),
            notes=tuple(self.notes),
            sections=tuple(self._section(s) for s in self.sections if s.questions or s.notes),
            questions=tuple(questions),
            diagnostics=tuple(sorted(self.diagnostics, key=lambda d: (d.line, d.code, d.message))),
        )

    def _apply_renames(self, questions: list[Question]) -> list[Question]:
        """Give renamed questions the id the lock file keeps for them.

        A rename is skipped when its kept id belongs to another question of the page.
        """
        natural = {q.id for q in questions}
        out = []
        for q in questions:
            kept = self.meta.renamed.get(q.id)
            if kept and kept != q.id and kept not in natural:
                level = self.meta.question_levels.get(kept, q.level)
                q = q.model_copy(update={"id": kept, "level": level})
            out.append(q)
        return out

    def _skip_front_matter(self) -> int:
        if self.lines and self.lines[0].strip() == "---":
            for i in range(1, len(self.lines)):
                if self.lines[i].strip() in ("---", "..."):
                    for ln in self.lines[1:i]:
                        key, _, value = ln.partition(":")
                        if key.strip() == "title" and value.strip():
                            self.doc_title = value.strip().strip("\"'")
                    return i + 1
            raise ParseError("front matter opened with '---' is never closed", self.file, 1, 1)
        return 0

    def _current(self, line: int) -> _SectionDraft:
        if not self.sections:
            self.sections.append(_SectionDraft(self.doc_title or "Questions", line))
        return self.sections[-1]

    def _walk(self, comp: _Component, top: bool = False) -> None:
        for child in comp.children:
            if isinstance(child, _Run):
                if top:
                    self._top_run(child)
                else:
                    self._loose_run(child)
            elif child.name == "Accordion":
                self._question(child)
            elif child.name in _GROUPS or _contains_accordion(child):
                self._walk(child)
            else:
                if child.name not in CALLOUTS:
                    self.diagnostics.append(
                        Diagnostic(
                            file=self.file,
                            line=child.open_line + 1,
                            code="unknown-component",
                            message=f"<{child.name}> kept as a '{child.name.lower()}' container",
                        )
                    )
                note = callout_markdown(self.lines, child, self.file)
                (self.sections[-1].notes if self.sections else self.notes).append(note)

    def _loose_run(self, run: _Run) -> None:
        text = "\n".join(ln.strip() for ln in self.lines[run.start : run.end]).strip()
        if text:
            (self.sections[-1].notes if self.sections else self.notes).append(decode_inline(text))

    def _top_run(self, run: _Run) -> None:
        tokens, _, split = _split(list(self.lines[run.start : run.end]))
        for i, start, block_text in split:
            tok = tokens[i]
            text = block_text.strip()
            line = run.start + start + 1
            if tok.type == "heading_open" and tok.tag == "h2":
                heading = decode_inline((tokens[i + 1].content or "").strip())
                if self.sections:
                    self.sections[-1].end_line = line - 1
                self.sections.append(_SectionDraft(heading, line))
                continue
            if tok.type == "heading_open" and tok.tag == "h1" and self.doc_title is None:
                self.doc_title = decode_inline((tokens[i + 1].content or "").strip())
            if (
                not self.sections
                and not self.notes
                and tok.type == "blockquote_open"
                and _is_export_banner(text)
            ):
                continue  # the export's "Documentation Index" banner, not page content
            if text:
                (self.sections[-1].notes if self.sections else self.notes).append(text)

    def _question(self, comp: _Component) -> None:
        line = comp.open_line + 1
        raw_title = comp.attrs.get("title", "")
        heading = decode_inline(decode_entities(raw_title)).strip()
        if not heading:
            raise ParseError("<Accordion> has no title attribute", self.file, line, comp.column)
        section = self._current(line)
        number, title, kind = _split_title(heading)
        f = self.question_parser.fields(comp)
        section_id = self.meta.section_id(section.heading)
        qid = natural_id(section_id, title)
        taken = {q.id for s in self.sections for q in s.questions}
        if qid in taken:
            n = 2
            while f"{qid}-{n}" in taken:
                n += 1
            self.diagnostics.append(
                Diagnostic(
                    file=self.file,
                    line=line,
                    code="duplicate-id",
                    message=f"{qid!r} is already used in this section; this one is {qid}-{n}",
                )
            )
            qid = f"{qid}-{n}"
        joined = {k: "\n\n".join(v).strip() or None for k, v in f.values.items()}
        level = (
            self.meta.question_levels.get(qid)
            or self.meta.section_level(section.heading)
            or infer_level(section.heading)
        )
        question = Question(
            id=qid,
            number=number,
            heading=heading,
            title=title,
            section=section_id,
            kind=kind or _kind_from_heading(section.heading),
            level=level,
            follow_ups=tuple(f.follow_ups),
            parts=tuple(Part(label=label, text="\n\n".join(t).strip()) for label, t in f.parts),
            tags=self.meta.tags_for(title),
            source=SourceSpan(file=self.file, first_line=line, last_line=comp.close_line + 1),
            **joined,
        )
        section.questions.append(question)

    def _section(self, s: _SectionDraft) -> Section:
        number, title, _ = _split_title(s.heading)
        end = s.end_line or (s.questions[-1].source.last_line if s.questions else s.line)
        if s is self.sections[-1]:
            end = len(self.lines)
        return Section(
            id=self.meta.section_id(s.heading),
            number=number,
            title=title,
            heading=s.heading,
            level=self.meta.section_level(s.heading) or infer_level(s.heading),
            notes=tuple(s.notes),
            source=SourceSpan(file=self.file, first_line=s.line, last_line=max(end, s.line)),
        )

    def _check_numbers(self, questions: list[Question]) -> None:
        def add(line: int, code: str, message: str) -> None:
            self.diagnostics.append(
                Diagnostic(file=self.file, line=line, code=code, message=message)
            )

        by_number: dict[tuple[Kind, int], list[Question]] = defaultdict(list)
        for q in questions:
            if q.number is not None:
                by_number[(q.kind, q.number)].append(q)
        for (_, number), qs in sorted(by_number.items(), key=lambda kv: kv[1][0].source.first_line):
            for q in qs[1:]:
                add(
                    q.source.first_line,
                    "duplicate-number",
                    f"number {number} ({q.title}) was already used at line "
                    f"{qs[0].source.first_line} ({qs[0].title})",
                )
        heads: dict[int, _SectionDraft] = {}
        for s in self.sections:
            section_number = _split_title(s.heading)[0]
            if section_number is not None:
                if section_number in heads:
                    first = heads[section_number]
                    add(
                        s.line,
                        "duplicate-section-number",
                        f"section number {section_number} ({s.heading}) was already used "
                        f"at line {first.line}",
                    )
                else:
                    heads[section_number] = s
        topics: dict[str, list[Question]] = defaultdict(list)
        for q in questions:
            topics[slugify(_topic_base(q.title))].append(q)
        for qs in topics.values():
            for q in qs[1:]:
                add(
                    q.source.first_line,
                    "repeated-topic",
                    f"{q.title!r} repeats the topic of {qs[0].id} (line {qs[0].source.first_line})",
                )
        ids = Counter(q.id for q in questions)
        for qid, count in ids.items():
            if count > 1:  # only possible through a bad rename map
                raise ParseError(f"question id {qid!r} is used {count} times", self.file, 1, 1)


def _contains_accordion(comp: _Component) -> bool:
    return any(
        isinstance(c, _Component) and (c.name == "Accordion" or _contains_accordion(c))
        for c in comp.children
    )


def _is_export_banner(text: str) -> bool:
    return "documentation index" in text.lower()


def parse_document(
    data: bytes | str, file: str = "<string>", meta: CorpusMeta | None = None
) -> Library:
    """Parse one interview page into a `Library`; raises `ParseError` on malformed input."""
    text = _decode(data, file)
    return _DocumentParser(text, file, meta or CorpusMeta()).parse()


def iter_body_texts(lib_file: str, data: str) -> Iterable[tuple[int, int, str]]:
    """Each accordion's (first line, last line, raw body) — used by the nothing-lost check."""
    lines = _decode(data, lib_file).split("\n")
    root = _scan(lines, 0, lib_file)

    def walk(comp: _Component) -> Iterable[tuple[int, int, str]]:
        for child in comp.children:
            if isinstance(child, _Component):
                if child.name == "Accordion":
                    yield (
                        child.open_line + 1,
                        child.close_line + 1,
                        "\n".join(lines[child.open_line + 1 : child.close_line]),
                    )
                else:
                    yield from walk(child)

    return list(walk(root))
