"""The parser on the bundled corpus, on each dialect and label variant, and on bad input."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

import dockerqa
from conftest import CORPUS, FIXTURES, run_cli
from dockerqa import FollowUp, Kind, Level, ParseError
from dockerqa._fields import only_label
from dockerqa._mdx import js_string
from dockerqa._parse import iter_body_texts
from dockerqa._text import words
from dockerqa.lock import SLOT_LIMIT

#: Set to regenerate the goldens after a deliberate change (then read the diff).
REGENERATE = bool(os.environ.get("DOCKERQA_REGENERATE_GOLDENS"))
PAGES = sorted((FIXTURES / "pages").glob("*.mdx"))
INVALID = sorted((FIXTURES / "invalid").glob("*.mdx"))


def test_fixture_globs_match_files() -> None:
    assert len(PAGES) >= 3
    assert len(INVALID) >= 6


# --------------------------------------------------------------------------- corpus figures


def test_corpus_figures(corpus: dockerqa.Library) -> None:
    qs = list(corpus)
    follow_ups = [f for q in qs for f in q.follow_ups]
    assert len(qs) == 88
    assert len(corpus.sections) == 10
    assert sum(1 for q in qs if q.answer) == 72
    assert sum(1 for q in qs if q.interviewer_intent) == 27
    assert sum(1 for q in qs if q.red_flag) == 20
    assert len(follow_ups) == 100
    assert sum(1 for f in follow_ups if f.answer) == 77
    assert sum(1 for q in qs if q.weak_answer) == 20
    assert sum(1 for q in qs if q.strong_answer) == 20
    assert sum(1 for q in qs if q.senior_view and q.staff_view) == 4


def test_corpus_sections_kinds_and_levels(corpus: dockerqa.Library) -> None:
    assert [len(corpus.in_section(s.id)) for s in corpus.sections] == [10] * 6 + [12, 8, 4, 4]
    assert Counter(q.kind for q in corpus) == {
        Kind.QUESTION: 72,
        Kind.SCENARIO: 8,
        Kind.WORK_SAMPLE: 4,
        Kind.COMPARISON: 4,
    }
    assert Counter(q.level for q in corpus) == {
        Level.BASIC: 20,
        Level.INTERMEDIATE: 40,
        Level.ADVANCED: 28,
    }


def test_corpus_document_notes(corpus: dockerqa.Library) -> None:
    notes = "\n".join(corpus.notes)
    assert "Senior vs Staff -- What This Section Tests At Each Level" in notes
    assert "Documentation Index" not in notes  # the export banner is not page content
    comparisons = corpus.section("comparisons")
    assert "What separates Senior from Staff" in comparisons.notes[0]


def test_corpus_text_is_clean(corpus: dockerqa.Library) -> None:
    for q in corpus:
        for name, text in q.text_fields().items():
            for raw in ("\\~", "\\$", "\\<", "\\_", "\\&", "&#123;", "&gt;", "theme={null}"):
                assert raw not in text, (q.id, name, raw)
    oom = corpus.get("troubleshooting/oomkilled-exit-code-137")
    assert "`docker inspect -f '{{.State.OOMKilled}}' <id>`" in (oom.answer or "")
    assert "container_spec_memory_limit_bytes > 0.85`" in (oom.staff_view or "")
    arch = corpus.get("fundamentals/docker-architecture-components")
    assert "```mermaid\ngraph TD" in (arch.answer or "")


def test_corpus_code_nested_in_lists_is_kept(corpus: dockerqa.Library) -> None:
    q = corpus.get("best-practices/minimize-image-size")
    assert "3. **Combine RUN commands**" in (q.answer or "")
    assert "   ```dockerfile\n   # BAD: apt cache exists" in (q.answer or "")


def test_corpus_prompts_and_steps(corpus: dockerqa.Library) -> None:
    q = corpus.get("best-practices/minimize-image-size")
    assert q.prompt == (
        "Your team's Node.js service Docker image is 2GB. Walk through reducing it to under 200MB."
    )
    assert (q.steps or "").startswith("* Step 1:")
    ws = corpus.get("work-samples/your-docker-image-is-3gb")
    assert ws.kind is Kind.WORK_SAMPLE and ws.number == 1
    assert "```dockerfile\nFROM ubuntu:22.04" in (ws.prompt or "")
    assert [p.label for p in ws.parts] == ["Staff-level bonus"]


# --------------------------------------------------------------------------- nothing lost


def _component_free_words(text: str, markers: bool = True) -> list[str]:
    """Words of a text, markup aside: component tags (``<Note>``), container fences (``:::``),
    list markers and fence meta (``theme={null}``) are not content."""
    kept = []
    for ln in text.split("\n"):
        if re.match(r"^\s*(</?[A-Z][A-Za-z]*(\s[^>]*)?>|:{3,}.*)\s*$", ln):
            continue
        ln = re.sub(r"^(\s*)(`{3,}|~{3,})(\S*).*$", r"\1\2\3", ln)
        kept.append(re.sub(r"^\s*(\d+[.)]|[*+-])\s+", "", ln) if markers else ln)
    return words("\n".join(kept))


#: A bold label opening a line: with its colon (``**Answer:**``, ``**Answer**:``) or alone on
#: it (``**Answer**``). Bold text that opens a sentence (``**Layer caching** makes…``) is content.
_LEAD_LABEL = re.compile(r"^\*\*([^*]+?)(?::\*\*|\*\*(?::|$))")


def _markup_words(body: str) -> Counter[str]:
    """Words that may be markup rather than content, read from the page alone (never from the
    parser's tables): those of a lead label (``**Answer:**``, ``- **Q:**``, ``- Weak:``; see
    `_LEAD_LABEL`),
    ``Q:`` in a bold question, ``(Answer:`` — outside code fences."""
    found: Counter[str] = Counter()
    in_fence = False
    for line in body.split("\n"):
        s = line.strip()
        if s.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        found.update(w for _ in re.finditer(r"\(Answer:", s) for w in words("answer"))
        found.update(words("q") if re.match(r"^(\*\*|__)Q:\s", s) else [])
        item = re.sub(r"^([*+-]|\d+[.)])\s+", "", s)
        m = _LEAD_LABEL.match(item) or re.match(r"^([A-Za-z][\w ]{0,30}?)\s*:", item)
        if m is not None:
            found.update(words(m.group(1)))
    return found


@pytest.mark.parametrize("page", [CORPUS, *PAGES], ids=lambda p: p.name)
def test_every_word_of_every_body_is_in_exactly_one_field(page: Path) -> None:
    """No word is lost, invented or doubled: what the fields miss are markup words only."""
    library = dockerqa.load(page)
    bodies = list(iter_body_texts(str(page), page.read_text(encoding="utf-8")))
    assert len(bodies) == len(library)
    for (first, _last, body), q in zip(bodies, library, strict=True):
        assert q.source.first_line == first
        expected = Counter(_component_free_words(body))
        got: Counter[str] = Counter()
        for name, text in q.text_fields().items():
            # A follow-up is the inside of a list item: its own text has no markers to drop.
            got.update(_component_free_words(text, markers=not name.startswith("follow_up")))
        for part in q.parts:  # an unknown label is kept as the part's label
            if not part.text.startswith(":::"):  # a component's name is markup
                got.update(words(part.label))
        assert got - expected == Counter(), (q.id, "invented or doubled", got - expected)
        missing = expected - got
        assert missing - _markup_words(body) == Counter(), (q.id, "lost", missing)


# --------------------------------------------------------------------------- fixtures


def _expected_errors() -> dict[str, str]:
    lines = (FIXTURES / "invalid" / "expected_errors.txt").read_text(encoding="utf-8").splitlines()
    return dict(ln.split(": ", 1) for ln in lines if ln and not ln.startswith("#"))


def test_every_invalid_page_has_an_expected_error() -> None:
    assert sorted(_expected_errors()) == [p.name for p in INVALID]


@pytest.mark.parametrize("page", INVALID, ids=lambda p: p.name)
def test_invalid_pages_raise_parse_error_with_location(page: Path) -> None:
    where, message = _expected_errors()[page.name].split(": ", 1)
    line, column = (int(n) for n in where.rstrip(":").split(":"))
    with pytest.raises(ParseError) as info:
        dockerqa.load(page)
    err = info.value
    assert (err.file, err.line, err.column) == (str(page), line, column)
    assert message in err.message
    assert str(err).startswith(f"{page}:{line}:{column}: ")


def _golden_view(library: dockerqa.Library) -> dict[str, object]:
    return json.loads(library.model_dump_json())  # type: ignore[no-any-return]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_match_their_golden_json(page: Path) -> None:
    library = dockerqa.loads(page.read_bytes(), file=page.name)
    golden = page.with_suffix(".json")
    if REGENERATE:
        data = json.dumps(library.model_dump(mode="json"), indent=2, ensure_ascii=False)
        golden.write_text(data + "\n", encoding="utf-8")
    assert _golden_view(library) == json.loads(golden.read_text(encoding="utf-8"))
    # The page key comes from the file name when no metadata sets one.
    assert library.metadata.key == page.stem.replace("_", "-")


def test_served_export_and_source_dialect_give_the_same_questions() -> None:
    a = dockerqa.load(FIXTURES / "pages" / "served_export.mdx")
    b = dockerqa.load(FIXTURES / "pages" / "source_dialect.mdx")

    def content(lib: dockerqa.Library) -> list[dict[str, object]]:
        return [q.model_dump(exclude={"source"}) for q in lib]

    assert content(a) == content(b)
    assert a.notes == b.notes


def test_structure_inside_code_fences_is_code() -> None:
    lib = dockerqa.load(FIXTURES / "pages" / "served_export.mdx")
    q = lib.get("basics-setup/first-foremost")
    assert '   echo "**Answer**: not a label"' in (q.answer or "")
    assert "   # ## not a heading" in (q.answer or "")
    assert [s.id for s in lib.sections] == ["basics-setup", "advanced-scenario-based-questions"]


def test_follow_up_forms() -> None:
    lib = dockerqa.load(FIXTURES / "pages" / "label_variants.mdx")
    q = lib.get("mixed-labels/what-is-a-layer")
    assert [(f.question, f.answer) for f in q.follow_ups] == [
        ("Emphasised question with dash?", "dash answer with `code`."),
        ("Quoted question?", "quoted answer."),
        ("Question only?", None),
    ]
    served = dockerqa.load(FIXTURES / "pages" / "served_export.mdx")
    assert [
        (f.question, f.answer) for f in served.get("basics-setup/first-foremost").follow_ups
    ] == [
        ("Why does it work?", "Because of (nested) reasons."),
        ("What breaks it?", "A broken config."),
        ("What happens at scale?", None),
    ]


def test_unknown_labels_and_components_are_kept_and_reported() -> None:
    lib = dockerqa.load(FIXTURES / "pages" / "label_variants.mdx")
    q = lib.get("mixed-labels/what-is-a-layer")
    assert "**The deeper story**: bold lead-ins" in (q.answer or "")
    assert [(p.label, p.text) for p in q.parts] == [
        ("Production tip", "kept as a part of its own after the strong answer.")
    ]
    framed = lib.get("mixed-labels/work-sample-within-a-question")
    assert "::: frame\n\nFramed text.\n\n:::" in (framed.answer or "")
    assert "::: warning\n\nA warning with a list:" in (framed.answer or "")
    codes = Counter(d.code for d in lib.diagnostics)
    assert codes == {"unknown-label": 2, "unknown-component": 1}


#: MDX attribute expressions and the text they read as (None: not a string, not evaluated).
JS_STRINGS = [
    ('{"X?"}', "X?"),
    ("{ 'X?' }", "X?"),
    ("{`X?`}", "X?"),
    (r'{"say \"hi\" \\ there"}', 'say "hi" \\ there'),
    (r"{'it\'s'}", "it's"),
    (r"{`a \` b \${c}`}", "a ` b ${c}"),
    ("{`$5 and {braces}`}", "$5 and {braces}"),
    (r'{"\x41\u0042\u{43}\q"}', "ABCq"),
    (r'{"\uD83D\uDC33 \u{1F433}"}', "\U0001f433 \U0001f433"),
    (r'{"\uD800!"}', "\ufffd!"),
    (r'{"a\nb\tc\x1fd\0e"}', "a b c d e"),  # controls become spaces (U+001F splits Anki fields)
    ("{`${name}`}", None),
    ("{props.title}", None),
    ('{"a" + "b"}', None),
    ("{true}", None),
    (r'{"\u12"}', None),  # not a valid escape: not a string literal
    ('{"open}', None),
]


@pytest.mark.parametrize(("expression", "text"), JS_STRINGS)
def test_a_string_in_braces_reads_as_its_text(expression: str, text: str | None) -> None:
    assert js_string(expression) == text


def test_attribute_expressions_in_a_page() -> None:
    page = (
        "## S\n\n"
        '<Accordion title={"1. Why \\"}\\"?"} defaultOpen={true} icon={{a: 1}}>\n'
        "**Answer**: a\n\n<Note title={'Mind {this}'}>\nx\n</Note>\n</Accordion>\n"
    )
    q = dockerqa.loads(page).questions[0]
    assert q.heading == '1. Why "}"?' and q.title == 'Why "}"?'
    assert "::: note Mind {this}" in (q.answer or "")
    with pytest.raises(ParseError, match=r"^<string>:3:12: <Accordion> title=\{`\$\{x\}`\}: MDX"):
        dockerqa.loads(page.replace('{"1. Why \\"}\\"?"}', "{`${x}`}"))


def test_levels_and_kinds_are_inferred_without_metadata() -> None:
    lib = dockerqa.load(FIXTURES / "pages" / "label_variants.mdx")
    ws = lib.get("docker-medium-level-questions/debug-it")
    assert (ws.kind, ws.level, ws.number, ws.title) == (
        Kind.WORK_SAMPLE,
        Level.INTERMEDIATE,
        2,
        "Debug it — fast",
    )
    served = dockerqa.load(FIXTURES / "pages" / "served_export.mdx")
    assert served.get("advanced-scenario-based-questions/broken-build").level is Level.ADVANCED


def test_corpus_validate_reports_number_collision_and_repeated_topics(
    corpus: dockerqa.Library,
) -> None:
    by_code: dict[str, list[str]] = {}
    for d in corpus.diagnostics:
        by_code.setdefault(d.code, []).append(d.message)
    assert len(by_code["duplicate-number"]) == 10  # 41-50 are used twice
    assert len(by_code["duplicate-section-number"]) == 1  # "5." twice
    repeated = " ".join(by_code["repeated-topic"])
    for topic in ("Health Checks", "Docker Socket Security", "Multi-Architecture Builds"):
        assert topic in repeated
    assert all(d.file == "corpus/docker.mdx" for d in corpus.diagnostics)


def test_component_tags_allow_any_attribute_values() -> None:
    page = (
        "## S\n\n<AccordionGroup>\n"
        '<Accordion title="a &gt; b > c" icon="box" defaultOpen>\n**Answer**: y\n</Accordion>\n'
        "</AccordionGroup>\n<Tip/>\n"
    )
    lib = dockerqa.loads(page)
    assert [q.heading for q in lib] == ["a > b > c"]


# --------------------------------------------------------------------------- robustness


def _page(*body: str, heading: str = "## 1. B") -> str:
    return "\n\n".join([heading, '<Accordion title="1. Q">', *body, "</Accordion>"]) + "\n"


def test_component_after_a_follow_up_chain_is_kept() -> None:
    lib = dockerqa.loads(
        _page("**Answer**: a", "**Follow-up chain:**", '1. *"Why?"* (Because.)', "<Tip>\nx\n</Tip>")
    )
    q = lib.get("b/q")
    assert [(f.question, f.answer) for f in q.follow_ups] == [("Why?", "Because.")]
    assert [(p.label, p.text) for p in q.parts] == [("Tip", "::: tip\n\nx\n\n:::")]


@pytest.mark.parametrize("depth", [40, 1000])
def test_deep_nesting_is_a_parse_error_not_a_crash(depth: int) -> None:
    page = _page("**Answer**: a", "<Note>\n" * depth + "x" + "\n</Note>" * depth)
    with pytest.raises(ParseError) as info:
        dockerqa.loads(page, file="deep.mdx")
    assert "nested" in info.value.message
    assert info.value.line > 3


def test_nesting_up_to_the_limit_parses() -> None:
    depth = 20
    page = _page("**Answer**: a", "<Note>\n" * depth + "x" + "\n</Note>" * depth)
    answer = dockerqa.loads(page).get("b/q").answer or ""
    assert answer.startswith("a\n\n" + ":" * (3 + depth - 1) + " note")


def test_repeated_section_headings_get_distinct_ids() -> None:
    page = _page("**Answer**: a", heading="## Basics") + _page("**Answer**: b", heading="## Basics")
    lib = dockerqa.loads(page, file="twice.mdx")
    assert [s.id for s in lib.sections] == ["basics", "basics-2"]
    assert [q.id for q in lib] == ["basics/q", "basics-2/q"]
    assert [q.section for q in lib] == ["basics", "basics-2"]
    dup = [d for d in lib.diagnostics if d.code == "duplicate-section"]
    assert [(d.file, d.line) for d in dup] == [("twice.mdx", 8)]
    assert "'basics'" in dup[0].message and "basics-2" in dup[0].message


@pytest.mark.parametrize("char", ["\x1f", "\x00", "\x07", "\x0b", "\x0c", "\x1b"])
def test_control_characters_are_removed_and_reported(char: str) -> None:
    page = _page(f"**Answer**: a{char}b", heading=f"## 1. B{char}")
    lib = dockerqa.loads(page.replace('"1. Q"', f'"1. Q{char}R"'), file="ctl.mdx")
    q = lib.questions[0]
    for text in (q.title, q.heading, q.answer or "", lib.sections[0].heading):
        assert not any(ord(c) < 32 and c not in "\t\n" for c in text)
    assert (q.title, q.answer) == ("QR", "ab")
    found = [(d.line, d.code) for d in lib.diagnostics]
    assert found == [(1, "control-character"), (3, "control-character"), (5, "control-character")]
    assert f"U+{ord(char):04X}" in lib.diagnostics[0].message


def test_tabs_and_carriage_returns_are_not_control_problems() -> None:
    page = _page("**Answer**:\ta").replace("\n", "\r\n")
    lib = dockerqa.loads(page)
    assert lib.questions[0].answer == "a"
    assert not lib.diagnostics


# --------------------------------------------------------------------------- template layouts


def _page_of(name: str) -> dockerqa.Library:
    return dockerqa.load(FIXTURES / "pages" / f"{name}.mdx")


def test_labels_in_any_order_land_in_their_fields() -> None:
    lib = _page_of("labels_any_order")
    pod, taints, limits = lib
    assert (pod.interviewer_intent or "").startswith("Whether you see the pod")
    assert (pod.red_flag or "").startswith('"A pod is just a container."')
    assert (pod.answer or "").endswith("* Sidecars run beside the main container.")
    assert (taints.follow_ups[0].answer or "").startswith("No, it only allows it")
    assert (taints.answer or "").endswith('effect: "NoSchedule"\n```')
    assert (limits.answer or "").count("\n\n") == 1
    assert limits.weak_answer and limits.strong_answer
    assert not lib.diagnostics


def test_follow_up_item_forms_split_question_from_answer() -> None:
    q, block = _page_of("follow_up_forms")
    assert all("(" not in f.question and "\n" not in f.question for f in q.follow_ups)
    assert [f.answer is None for f in q.follow_ups] == [False] * 6 + [True]
    assert q.follow_ups[3].answer == "It moves or deletes objects by age or by prefix."
    assert q.follow_ups[5].answer == "- The rate per prefix.\n- Hot keys on one partition."
    assert [p.label for p in q.parts] == ["Tip"]  # a callout after the chain
    assert [(f.question, f.answer) for f in block.follow_ups][1:] == [
        ("Can two hosts mount one block volume?", "Tests knowledge of multi-attach."),
        ("What breaks with NFS locking?", None),
    ]


def test_follow_up_q_and_a_pairs_are_follow_ups() -> None:
    lib = _page_of("follow_up_qa_chain")
    paragraphs, items = lib
    assert [f.answer is not None for f in paragraphs.follow_ups] == [True, True, False]
    assert (paragraphs.follow_ups[1].answer or "").endswith("writes to the other rows.")
    assert [f.question for f in items.follow_ups] == [
        "Are hash indexes crash-safe today?",
        "Can a hash index back a unique constraint?",
    ]
    assert not paragraphs.parts and not items.parts and not lib.diagnostics


def test_label_qualifiers_and_weak_vs_strong_block() -> None:
    lib = _page_of("label_qualifiers")
    leaks = lib.get("concurrency/goroutine-leaks")
    assert len(leaks.follow_ups) == 1
    assert leaks.weak_answer == '"The garbage collector frees them."'
    assert (leaks.strong_answer or "").startswith('"Every goroutine needs an owner')
    assert len(lib.get("concurrency/channels-versus-mutexes").follow_ups) == 2
    limiter = lib.get("work-sample-patterns/rate-limiter")
    assert (limiter.kind, limiter.prompt) == (
        Kind.WORK_SAMPLE,
        "Write a rate limiter that allows ten requests a second per client.",
    )
    assert (limiter.steps or "").startswith("* Step 1:")
    shutdown = lib.get("work-sample-patterns/graceful-shutdown")
    assert shutdown.prompt and shutdown.answer
    assert not lib.diagnostics


def test_labelled_parts_examples_and_callouts() -> None:
    lib = _page_of("labelled_parts")
    q, herd = lib
    assert (q.example or "").startswith("A product page caches prices")
    assert (herd.example or "").startswith("A key expires at midnight")
    assert [p.label for p in q.parts] == [
        "Structured Answer Template",
        "Further Reading",
        "Interview trap",
    ]
    assert [p.label for p in herd.parts] == ["Big Word Alert"]
    assert (q.answer or "").startswith("::: info\n\nThis question comes up")
    assert "::: note\n\n**Big Word Alert -- Idempotent.**" in (q.answer or "")
    assert q.parts[2].text.endswith(
        "::: tip\n\nDraw the read and write paths before naming a policy.\n\n:::"
    )
    assert [(d.code, d.line) for d in lib.diagnostics] == [("unknown-label", 29)]
    assert "example" in q.text_fields()


def test_title_forms_and_headings() -> None:
    lib = _page_of("title_forms")
    assert [(q.number, q.title, q.kind) for q in lib] == [
        (1, "Find the Biggest Files", Kind.QUESTION),
        (2, "Follow a Log File", Kind.QUESTION),
        (None, "Count Lines Without a Number", Kind.QUESTION),
        (1, "Disk Full — but df Disagrees", Kind.SCENARIO),
        (2, "Load Average Without CPU Use", Kind.SCENARIO),
    ]
    assert [(s.id, s.level) for s in lib.sections] == [
        ("shell-basics-with-cli-examples", Level.BASIC),
        ("staff-level-deep-dives", Level.ADVANCED),
    ]
    assert lib.questions[3].id == "staff-level-deep-dives/disk-full"
    assert "written as \\u2192 stays" in (lib.questions[0].answer or "")
    assert not lib.diagnostics


def test_example_is_left_out_of_json_when_absent(corpus: dockerqa.Library) -> None:
    assert all(q.example is None for q in corpus)
    assert '"example"' not in corpus.model_dump_json()
    with_example = _page_of("labelled_parts")
    assert dockerqa.Library.model_validate_json(with_example.model_dump_json()) == with_example


def test_a_follow_up_on_the_label_line_is_a_follow_up() -> None:
    lib = dockerqa.loads(
        _page("**Answer**: a", '**Follow-up:** *"Why?"* (Because.)', '2. *"And then?"*')
    )
    q = lib.get("b/q")
    assert [(f.question, f.answer) for f in q.follow_ups] == [
        ("Why?", "Because."),
        ("And then?", None),
    ]
    assert not q.parts and not lib.diagnostics


def test_more_follow_ups_than_slots_is_reported() -> None:
    # Flashcard exports give at most SLOT_LIMIT follow-ups a card; validate says so.
    page = FIXTURES / "pages" / "many_follow_ups.mdx"
    lib = dockerqa.load(page)
    assert [len(q.follow_ups) for q in lib] == [SLOT_LIMIT + 1, SLOT_LIMIT]
    found = [(d.line, d.code) for d in lib.diagnostics]
    assert found == [(6, "too-many-follow-ups")]
    assert f"has {SLOT_LIMIT + 1} follow-ups; only {SLOT_LIMIT} can" in lib.diagnostics[0].message
    result = run_cli("validate", str(page), "--strict")
    assert result.returncode == 1
    assert "many_follow_ups.mdx:6: too-many-follow-ups: 'Message Ordering' has 9" in result.stdout


#: Questions whose model answer opens with a label the tables don't know (``**Code**:``,
#: ``**Analysis:**``), at the top of the question, after the interviewer intent, or after an
#: ``**Answer**:`` with no text: (body, answer, other fields).
OPENING_LABELS = [
    pytest.param(
        "**Code**:\n```js\nlet a = 1;\n```\n**Output**: `1`\n\n**Why**: It is 1.",
        "**Code**:\n\n```js\nlet a = 1;\n```\n\n**Output**: `1`\n\n**Why**: It is 1.",
        {},
        id="code, output, why",
    ),
    pytest.param(
        "**Pattern**: Two pointers.\n\n```py\ni, j = 0, n\n```",
        "**Pattern**: Two pointers.\n\n```py\ni, j = 0, n\n```",
        {},
        id="one label, then code",
    ),
    pytest.param(
        "**What interviewers are really testing:** Judgement.\n\n**Analysis:**\n\n- Option A.\n"
        "- Option B.\n\n**Red flag answer:** Option A only.",
        "**Analysis:**\n\n- Option A.\n- Option B.",
        {"interviewer_intent": "Judgement.", "red_flag": "Option A only."},
        id="after the intent",
    ),
    pytest.param(
        "**Answer**:\n\n**Scenario**: 10k users.\n\n**What interviewers are really testing:** "
        "Design.\n\n**High-Level Architecture**:\n\nA gateway.\n\n**Cost**: Cache prompts.",
        "**High-Level Architecture**:\n\nA gateway.\n\n**Cost**: Cache prompts.",
        {"prompt": "10k users.", "interviewer_intent": "Design."},
        id="after an empty answer label",
    ),
]


@pytest.mark.parametrize(("body", "answer", "others"), OPENING_LABELS)
def test_an_unknown_label_opening_the_model_answer_is_the_answer(
    body: str, answer: str, others: dict[str, str]
) -> None:
    page = f'## S\n\n<Accordion title="1. T">\n{body}\n</Accordion>\n'
    lib = dockerqa.loads(page)
    (q,) = lib
    assert q.answer == answer
    assert {k: getattr(q, k) for k in others} == others
    assert q.parts == () and lib.diagnostics == ()


def test_an_unknown_label_after_the_answer_and_its_chain_is_still_a_part() -> None:
    page = (
        '## S\n\n<Accordion title="1. T">\n**What interviewers are really testing:** X.\n\n'
        "**Answer:** Y.\n\n**Follow-up:**\n1. Why?\n\n**Trade-off**: Z.\n</Accordion>\n"
    )
    lib = dockerqa.loads(page)
    (q,) = lib
    assert q.answer == "Y." and [(p.label, p.text) for p in q.parts] == [("Trade-off", "Z.")]
    assert [d.code for d in lib.diagnostics] == ["unknown-label"]


#: An ``**Example:**`` between an answer's paragraphs holds what follows it, up to the next
#: label; a label the tables don't know there goes back to the answer and stays visible in it.
EXAMPLE_INSIDE_ANSWER = [
    pytest.param(
        "**Answer:** Links drive the client.\n\n**Example:**\n```json\n{}\n```\n\nNo cancel link"
        " once shipped.\n\n**Why it matters:**\n- Decoupling.\n\n**Red flag answer:** URLs only.",
        "Links drive the client.\n\n**Why it matters:**\n\n- Decoupling.",
        "```json\n{}\n```\n\nNo cancel link once shipped.",
        id="label after the example's text",
    ),
    pytest.param(
        "**Answer**:\n\n**What interviewers are really testing:** Trade-offs.\n\nBeams keep the"
        " best B.\n\n**Example (B=2)**: Two beams.\n\n**When to use it**: Translation.\n\n"
        "**Length normalization**: Divide by length.",
        "Beams keep the best B.\n\n**When to use it**: Translation.\n\n**Length normalization**:"
        " Divide by length.",
        "Two beams.",
        id="after the intent inside the answer",
    ),
]


@pytest.mark.parametrize(("body", "answer", "example"), EXAMPLE_INSIDE_ANSWER)
def test_an_unknown_label_after_an_example_inside_the_answer_goes_back_to_it(
    body: str, answer: str, example: str
) -> None:
    page = f'## S\n\n<Accordion title="1. T">\n{body}\n</Accordion>\n'
    lib = dockerqa.loads(page)
    (q,) = lib
    assert (q.answer, q.example) == (answer, example)
    assert q.parts == () and lib.diagnostics == ()


def test_an_unknown_label_after_an_example_of_its_own_is_still_a_part() -> None:
    page = (
        '## S\n\n<Accordion title="1. T">\n**Answer:** Y.\n\n**Red flag answer:** Z.\n\n'
        "**Example:** E.\n\n**Production gotcha:** G.\n</Accordion>\n"
    )
    lib = dockerqa.loads(page)
    (q,) = lib
    assert (q.answer, q.example) == ("Y.", "E.")
    assert [(p.label, p.text) for p in q.parts] == [("Production gotcha", "G.")]


@pytest.mark.parametrize(("between", "lines"), [("\n", (9, 10, 12, 13)), ("\n\n", (9, 11, 15, 17))])
def test_a_follow_up_whose_question_is_only_a_label_is_reported(
    tmp_path: Path, between: str, lines: tuple[int, ...]
) -> None:
    # A form the parser doesn't know leaves the label as the question and the question in the
    # answer: validate names the item's line (tight or loose list), so such a form can't pass
    # unnoticed.
    chain = between.join(
        [
            "- **Cost:** 'How much?' -- A lot.",  # colon inside the bold
            "- **Scale**: 'What changes' -- Batching.",  # colon outside: the answer opens with it
            "- **Why?** Because.",
            "- **Tradeoff:** 42",  # nothing with letters after the label
            "- __Pitfall__: *'Which one?'*",
        ]
    )
    page = tmp_path / "labels.mdx"
    page.write_text(_page("**Answer**: a", "**Follow-up chain:**", chain), encoding="utf-8")
    lib = dockerqa.load(page)
    assert len(lib.get("b/q").follow_ups) == 5
    found = [(d.line, d.code) for d in lib.diagnostics]
    assert found == [(n, "label-only-follow-up") for n in lines]
    result = run_cli("validate", str(page))
    assert f"{page}:9: label-only-follow-up: the question of the follow-up 'Cost:' is only " in (
        result.stdout
    )
    # a label that keeps its question beside it is no such thing, nor a bold question with
    # the colon after it
    for item in ('- **Cost:** "How much?" -- A lot.', "- **Why does it fail?**: Is it the cache?"):
        ok = dockerqa.loads(_page("**Answer**: a", "**Follow-up chain:**", item))
        assert not ok.diagnostics, item
    (why,) = ok.get("b/q").follow_ups
    assert why.question == "Why does it fail?"


@pytest.mark.parametrize(
    ("first", "second", "repeated"),
    [
        ("C++", "C#", False),  # both slug to "c": the symbols are the topic
        (".NET", "NET", False),
        ("F#", "F", False),
        ("C#", "c#", True),  # case aside
        ("Go", "Go!", True),  # sentence punctuation at the end is not part of the topic
        ("What is Docker?", "What is Docker", True),
        ("Health Checks", "health  checks", True),
        ("Multi-Stage Builds", "Multi Stage Builds", True),  # a hyphen joins words like a space
        ("Distroless Images", "Distroless Images — Deep Dive", True),  # a subtitle aside
        ("Service Mesh (Istio)", "Service Mesh (Linkerd)", False),
        ("?", "!", False),  # a title of punctuation only is its own topic
        ("🐳", "🐋", False),
        ("容器", "容器", True),
    ],
)
def test_repeated_topic_compares_the_titles_own_characters(
    first: str, second: str, repeated: bool
) -> None:
    page = "\n\n".join(
        [
            "## 1. A",
            f'<Accordion title="1. {first}">',
            "**Answer**: a",
            "</Accordion>",
            "## 2. B",
            f'<Accordion title="2. {second}">',
            "**Answer**: b",
            "</Accordion>",
        ]
    )
    found = [d.message for d in dockerqa.loads(page).diagnostics if d.code == "repeated-topic"]
    assert found == (
        [f"{second!r} repeats the topic of {dockerqa.loads(page).questions[0].id} (line 3)"]
        if repeated
        else []
    )


@pytest.mark.parametrize(
    ("question", "answer", "label_only"),
    [
        ("Cost:", '"How much?" -- A lot.', True),
        ("Scale", ": 'What changes' -- Batching.", True),
        ("**Budget:** 42", None, True),  # nothing with letters after the label it keeps
        ("__Budget__: ?", None, True),
        ("**Cost:** How much?", "A lot.", False),
        ("Why?", ": Because.", False),
        ("What is a layer?", None, False),
        ("**Kubernetes** or Nomad?", None, False),
    ],
)
def test_only_label(question: str, answer: str | None, label_only: bool) -> None:
    assert only_label(FollowUp(question=question, answer=answer)) is label_only


def test_a_labelled_quote_without_a_question_is_reported() -> None:
    page = _page("**Answer**: a", "**Follow-up chain:**", '- **Budget:** "42"')
    lib = dockerqa.loads(page)
    assert lib.get("b/q").follow_ups == (FollowUp(question="**Budget:** 42"),)
    assert [(d.line, d.code) for d in lib.diagnostics] == [(9, "label-only-follow-up")]
