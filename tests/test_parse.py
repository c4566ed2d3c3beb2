"""The parser on the bundled corpus, on each dialect and label variant, and on bad input."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

import dockerqa
from conftest import CORPUS, FIXTURES
from dockerqa import Kind, Level, ParseError
from dockerqa._parse import LABELS, iter_body_texts
from dockerqa._text import words

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


_STRUCTURE_LABELS = [*LABELS, "Senior vs Staff perspective", "Senior", "Staff"]


def _label_words(body: str) -> list[str]:
    """Words of the structural labels of a body (outside code fences): markup, not content."""
    found: list[str] = []
    in_fence = False
    for line in body.split("\n"):
        s = line.strip()
        if s.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        s = re.sub(r"^[*+-]\s+", "", s)
        if in_fence or not s.startswith("**"):
            continue
        for label in _STRUCTURE_LABELS:
            forms = (f"**{label}:**", f"**{label}**:", f"**{label}**")
            if any(s.lower().startswith(f.lower()) for f in forms):
                found.extend(words(label))
                break
    return found


@pytest.mark.parametrize("page", [CORPUS, *PAGES], ids=lambda p: p.name)
def test_every_word_of_every_body_is_in_exactly_one_field(page: Path) -> None:
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
            got.update(words(part.label))
        got.update(_label_words(body))
        assert got == expected, (q.id, expected - got, got - expected)


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
