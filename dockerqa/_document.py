"""Stage 4: the component tree of a page → a `Library`.

Sections, ids, numbers, levels and diagnostics. Ids are checked against sets kept as the walk
goes, so the work is linear in the size of the page; the tree is walked with an explicit stack.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dockerqa._blocks import split
from dockerqa._fields import CALLOUTS, FieldAssigner, callout_markdown
from dockerqa._mdx import Component, Run, scan
from dockerqa._meta import CorpusMeta
from dockerqa._text import decode_entities, decode_inline, page_key, title_slug
from dockerqa.errors import ParseError
from dockerqa.model import (
    SLOT_LIMIT,
    Diagnostic,
    Front,
    Kind,
    Level,
    Library,
    Metadata,
    Question,
    Section,
    SourceSpan,
)

_GROUPS = frozenset({"AccordionGroup"})


@dataclass(frozen=True)
class TitleForm:
    """How an accordion title carries its number and, for some forms, the question's kind."""

    name: str
    """What the row is for (the test id of its examples)."""
    pattern: re.Pattern[str]
    """Group 1 is the number (may be empty), group 2 the title without number or prefix."""
    kind: Kind | None
    """The kind the form implies, if any."""
    examples: tuple[tuple[str, int | None, str], ...]
    """``(title as written, number, title)``: titles this row, and no earlier one, takes."""

    def __post_init__(self) -> None:
        if self.pattern.groups < 2:  # `split_title` reads groups 1 and 2
            raise TypeError(f"title form {self.name!r} needs a number group and a title group")


#: Title forms, first match wins.
TITLE_FORMS: tuple[TitleForm, ...] = (
    TitleForm(
        "numbered",
        re.compile(r"^(\d+)\.\s+(.+)$"),
        None,
        (("1. What is Docker?", 1, "What is Docker?"), ("12.  OOMKilled", 12, "OOMKilled")),
    ),
    TitleForm(
        "scenario",
        re.compile(r"^Scenario\s+(\d+)\s*:\s*(.+)$", re.I),
        Kind.SCENARIO,
        (("Scenario 3: Disk Full", 3, "Disk Full"), ("scenario 10 : Slow build", 10, "Slow build")),
    ),
    TitleForm(
        "work sample",
        re.compile(r"^Work[- ]?Sample\s+(\d+)\s*:\s*(.+)$", re.I),
        Kind.WORK_SAMPLE,
        (("Work-Sample 2: Review a Dockerfile", 2, "Review a Dockerfile"),),
    ),
    TitleForm(
        "weak vs strong",
        re.compile(r"^()Weak\s+vs\.?\s+Strong\s*:\s*(.+)$", re.I),
        Kind.COMPARISON,
        (("Weak vs Strong: Image Layers", None, "Image Layers"),),
    ),
    TitleForm(
        "S-numbered scenario",
        re.compile(r"^S(\d+)[.:]\s+(.+)$"),
        Kind.SCENARIO,
        (("S4. Port Clash", 4, "Port Clash"), ("S5: Zombie Processes", 5, "Zombie Processes")),
    ),
    TitleForm(
        "Q-numbered",
        re.compile(r"^Q(\d+)[.:]\s+(.+)$"),
        None,
        (("Q7: Volumes vs Bind Mounts", 7, "Volumes vs Bind Mounts"), ("Q8. Tags", 8, "Tags")),
    ),
    TitleForm(
        "Staff Q-numbered",
        re.compile(r"^Staff\s+Q(\d+)[.:]\s+(.+)$", re.I),
        None,
        (("Staff Q1: Designing a Landing Zone", 1, "Designing a Landing Zone"),),
    ),
    TitleForm(
        "W-numbered work sample",
        re.compile(r"^W(\d+)[.:]\s+(.+)$"),
        Kind.WORK_SAMPLE,
        (("W1. The 60fps Jank Investigation", 1, "The 60fps Jank Investigation"),),
    ),
    TitleForm(
        "Q prefix, no number",
        re.compile(r"^()Q\s*[.:]\s+(.+)$"),
        None,
        (("Q: How do you handle database scaling?", None, "How do you handle database scaling?"),),
    ),
    TitleForm(
        "scenario, no number",
        re.compile(r"^()Scenario\s*:\s*(.+)$", re.I),
        Kind.SCENARIO,
        (("Scenario: Memory leak in production", None, "Memory leak in production"),),
    ),
    TitleForm(
        "numbered with a letter",
        re.compile(r"^()\d+[a-z]\.\s+(.+)$"),
        None,
        (("4b. Write Amplification", None, "Write Amplification"),),
    ),
)


def title_form(title: str) -> tuple[TitleForm, re.Match[str]] | None:
    """The first form a title matches, and the match."""
    for form in TITLE_FORMS:
        m = form.pattern.match(title)
        if m:
            return form, m
    return None


def split_title(title: str) -> tuple[int | None, str, Kind | None]:
    """The number, the title without its number or kind prefix, and the kind it implies."""
    found = title_form(title)
    if found is None:
        return None, title, None
    form, m = found
    return (int(m.group(1)) if m.group(1) else None), m.group(2).strip(), form.kind


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


def _topic(title: str) -> str:
    """What two titles must share to be on one topic: the title up to a dash-separated
    subtitle, in its own characters (``C++`` and ``C#`` differ, though both slug to ``c``),
    case, runs of spaces and hyphens, and sentence punctuation at its end aside."""
    base = unicodedata.normalize("NFKC", _topic_base(title)).casefold()
    base = re.sub(r"[\s\-‐]+", " ", base).strip()
    return base.rstrip("?!.:;,… ") or base  # a title of punctuation only is its own topic


def natural_id(section_id: str, title: str) -> str:
    """The id a title gives: ``section/slug`` of the title up to a dash-separated subtitle."""
    base = title_slug(_topic_base(title)) or title_slug(title) or "question"
    return f"{section_id}/{base}"


class _Ids:
    """Ids handed out so far; a repeated one gets ``-2``, ``-3``… (amortised constant time)."""

    def __init__(self) -> None:
        self.first_line: dict[str, int] = {}
        self.next_suffix: dict[str, int] = {}

    def take(self, wanted: str, line: int) -> tuple[str, int | None]:
        """The id to use and, when ``wanted`` was taken, the line that took it."""
        if wanted not in self.first_line:
            self.first_line[wanted] = line
            return wanted, None
        n = self.next_suffix.get(wanted, 2)
        while f"{wanted}-{n}" in self.first_line:
            n += 1
        self.next_suffix[wanted] = n + 1
        self.first_line[f"{wanted}-{n}"] = line
        return f"{wanted}-{n}", self.first_line[wanted]


@dataclass
class _SectionDraft:
    heading: str
    line: int
    id: str | None = None  # given when the section gets its first question or note
    notes: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    end_line: int = 0


class DocumentParser:
    """Walks the component tree of one page and builds its `Library`."""

    def __init__(
        self, text: str, file: str, meta: CorpusMeta, diagnostics: list[Diagnostic] | None = None
    ):
        self.file = file
        self.meta = meta
        self.lines = text.split("\n")
        self.diagnostics: list[Diagnostic] = list(diagnostics or ())
        self.notes: list[str] = []
        self.sections: list[_SectionDraft] = []
        self.doc_title: str | None = None
        self.fields = FieldAssigner(self.lines, file, self.diagnostics)
        self.section_ids = _Ids()
        self.question_ids = _Ids()

    def warn(self, line: int, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(file=self.file, line=line, code=code, message=message))

    def parse(self) -> Library:
        first = self._skip_front_matter()
        self._walk(scan(self.lines, first, self.file))
        questions = [q for s in self.sections for q in s.questions]
        if not questions:
            raise ParseError(
                'no questions found (expected <Accordion title="…"> items)', self.file, 1, 1
            )
        self._check_page(questions)
        self._check_metadata(questions)
        questions = self._with_fronts(questions)
        return Library(
            metadata=Metadata(
                key=self.meta.key or page_key(self.file),
                title=self.meta.title or self.doc_title or Path(self.file).stem,
                source_url=self.meta.source_url,
                provenance=self.meta.provenance,
                source_file=self.file,
            ),
            notes=tuple(self.notes),
            sections=tuple(self._section(s) for s in self.sections if s.id is not None),
            questions=tuple(questions),
            diagnostics=tuple(sorted(self.diagnostics, key=lambda d: (d.line, d.code, d.message))),
        )

    def _check_metadata(self, questions: list[Question]) -> None:
        """Metadata that names no section or question of the page (a typo, or a left-over),
        reported at its line in the metadata file."""
        unused: list[tuple[str, str, str]] = []
        headings = {s.heading for s in self.sections}
        for heading in self.meta.sections:
            if heading not in headings:
                message = f"[[sections]] heading {heading!r} matches no section heading"
                unused.append(("sections", heading, message))
        ids = {q.id for q in questions}
        for qid in self.meta.question_levels:
            if qid not in ids:
                unused.append(("levels", qid, f"[levels] id {qid!r} is no question of the page"))
        for table, name, message in unused:
            line = self.meta.lines.get((table, name), 1)
            file = self.meta.file or self.file
            self.diagnostics.append(
                Diagnostic(
                    file=file,
                    line=line,
                    code="unused-metadata",
                    message=f"the metadata's {message}",
                )
            )

    def _with_fronts(self, questions: list[Question]) -> list[Question]:
        """Questions with the fronts written for them; a front for no question of the page, or
        written for content that changed since, is reported (it still shows until rewritten)."""
        if not self.meta.fronts:
            return questions
        from dockerqa.study import front_fingerprint

        toml = str(Path(self.file).with_suffix(".toml"))
        ids = {q.id for q in questions}
        for qid, unused in self.meta.fronts.items():
            if qid not in ids:
                message = f"the metadata's [fronts] id {qid!r} is no question of the page"
                self.diagnostics.append(
                    Diagnostic(file=toml, line=unused.line, code="unused-metadata", message=message)
                )
        out = []
        for q in questions:
            written = self.meta.fronts.get(q.id)
            if written is None:
                out.append(q)
                continue
            now = front_fingerprint(q)
            if written.content != now:
                message = (
                    f"the front of {q.id!r} was written for other content ({written.content}); "
                    f'check it still fits the question, then set content = "{now}"'
                )
                self.diagnostics.append(
                    Diagnostic(file=toml, line=written.line, code="stale-front", message=message)
                )
            out.append(q.model_copy(update={"front": Front(ask=written.ask, lead=written.lead)}))
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

    # ----------------------------------------------------------------------- sections

    def _current(self, line: int) -> _SectionDraft:
        if not self.sections:
            self.sections.append(_SectionDraft(self.doc_title or "Questions", line))
        return self._identified(self.sections[-1])

    def _identified(self, s: _SectionDraft) -> _SectionDraft:
        """The section with its id, given on first use: a repeated id gets ``-2``, ``-3``…"""
        if s.id is None:
            wanted = self.meta.section_id(s.heading)
            s.id, first = self.section_ids.take(wanted, s.line)
            if first is not None:
                self.warn(
                    s.line,
                    "duplicate-section",
                    f"section id {wanted!r} is already used by the section at line {first}; "
                    f"this one is {s.id!r}",
                )
        return s

    def _note(self, text: str) -> None:
        if self.sections:
            self._identified(self.sections[-1]).notes.append(text)
        else:
            self.notes.append(text)

    # ----------------------------------------------------------------------- the walk

    def _walk(self, root: Component) -> None:
        stack: list[tuple[Iterator[Run | Component], bool]] = [(iter(root.children), True)]
        while stack:
            children, top = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
            elif isinstance(child, Run):
                if top:
                    self._top_run(child)
                else:
                    self._loose_run(child)
            elif child.name == "Accordion":
                self._question(child)
            elif child.name in _GROUPS or child.has_accordion:
                stack.append((iter(child.children), False))
            else:
                if child.name not in CALLOUTS:
                    self.warn(
                        child.open_line + 1,
                        "unknown-component",
                        f"<{child.name}> kept as a container named '{child.name.lower()}'",
                    )
                self._note(callout_markdown(self.lines, child))

    def _loose_run(self, run: Run) -> None:
        text = "\n".join(ln.strip() for ln in self.lines[run.start : run.end]).strip()
        if text:
            self._note(decode_inline(text))

    def _top_run(self, run: Run) -> None:
        tokens, _, found = split(list(self.lines[run.start : run.end]))
        for i, start, block_text in found:
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
                self._note(text)

    # ----------------------------------------------------------------------- questions

    def _question(self, comp: Component) -> None:
        line = comp.open_line + 1
        raw_title = comp.attrs.get("title")
        heading = decode_inline(decode_entities(raw_title or "")).strip()
        if not heading:
            what = "has no title attribute" if raw_title is None else "has an empty title"
            raise ParseError(f"<Accordion> {what}", self.file, line, comp.column)
        section = self._current(line)
        section_id = section.id or ""
        number, title, kind = split_title(heading)
        f = self.fields.fields(comp)
        wanted = natural_id(section_id, title)
        qid, first = self.question_ids.take(wanted, line)
        if first is not None:
            self.warn(
                line,
                "duplicate-id",
                f"{wanted!r} is already used in this section; this one is {qid}",
            )
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
            parts=f.part_models(),
            tags=self.meta.tags_for(title),
            source=SourceSpan(file=self.file, first_line=line, last_line=comp.close_line + 1),
            # only the texts present: pydantic keeps a set of the fields given, per question
            **{k: v for k, v in f.texts().items() if v is not None},
        )
        section.questions.append(question)

    def _section(self, s: _SectionDraft) -> Section:
        number, title, _ = split_title(s.heading)
        end = s.end_line or (s.questions[-1].source.last_line if s.questions else s.line)
        if s is self.sections[-1]:
            end = len(self.lines)
        return Section(
            id=s.id or "",
            number=number,
            title=title,
            heading=s.heading,
            level=self.meta.section_level(s.heading) or infer_level(s.heading),
            notes=tuple(s.notes),
            source=SourceSpan(file=self.file, first_line=s.line, last_line=max(end, s.line)),
        )

    def _check_page(self, questions: list[Question]) -> None:
        """Diagnostics about the page as a whole: numbers used twice (questions, sections),
        questions on one topic, follow-up chains longer than their slots."""
        self._check_question_numbers(questions)
        self._check_section_numbers()
        self._check_topics(questions)
        self._check_follow_up_counts(questions)

    def _check_question_numbers(self, questions: list[Question]) -> None:
        by_number: dict[tuple[Kind, int], list[Question]] = defaultdict(list)
        for q in questions:
            if q.number is not None:
                by_number[(q.kind, q.number)].append(q)
        for (_, number), qs in sorted(by_number.items(), key=lambda kv: kv[1][0].source.first_line):
            for q in qs[1:]:
                self.warn(
                    q.source.first_line,
                    "duplicate-number",
                    f"number {number} ({q.title}) was already used at line "
                    f"{qs[0].source.first_line} ({qs[0].title})",
                )

    def _check_section_numbers(self) -> None:
        heads: dict[int, _SectionDraft] = {}
        for s in self.sections:
            section_number = split_title(s.heading)[0]
            if section_number is None:
                continue
            if section_number in heads:
                self.warn(
                    s.line,
                    "duplicate-section-number",
                    f"section number {section_number} ({s.heading}) was already used "
                    f"at line {heads[section_number].line}",
                )
            else:
                heads[section_number] = s

    def _check_topics(self, questions: list[Question]) -> None:
        topics: dict[str, list[Question]] = defaultdict(list)
        for q in questions:
            topics[_topic(q.title)].append(q)
        for qs in topics.values():
            for q in qs[1:]:
                self.warn(
                    q.source.first_line,
                    "repeated-topic",
                    f"{q.title!r} repeats the topic of {qs[0].id} (line {qs[0].source.first_line})",
                )

    def _check_follow_up_counts(self, questions: list[Question]) -> None:
        for q in questions:
            if len(q.follow_ups) > SLOT_LIMIT:
                self.warn(
                    q.source.first_line,
                    "too-many-follow-ups",
                    f"{q.title!r} has {len(q.follow_ups)} follow-ups; only {SLOT_LIMIT} can "
                    "have cards of their own, the rest stay on the question's back",
                )


def _is_export_banner(text: str) -> bool:
    return "documentation index" in text.lower()
