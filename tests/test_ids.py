"""Question ids: readable, unique, deterministic, and stable under renumbering and edits."""

from __future__ import annotations

import re

import dockerqa
from conftest import CORPUS
from dockerqa._load import metadata_path
from dockerqa._meta import read_meta

META = read_meta(metadata_path(CORPUS))


def _parse(text: str) -> dockerqa.Library:
    return dockerqa.loads(text, file="corpus/docker.mdx", meta=META)


def test_ids_are_unique_readable_and_deterministic(
    corpus: dockerqa.Library, corpus_text: str
) -> None:
    ids = [q.id for q in corpus]
    assert len(set(ids)) == 88
    assert all(re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", i) for i in ids)
    assert ids == [q.id for q in _parse(corpus_text)]
    assert "fundamentals/vm-vs-container" in ids
    # repeated topics and reused numbers still get distinct ids
    assert {"best-practices/health-checks", "medium/health-checks"} <= set(ids)
    assert {"security-ecosystem/docker-socket-security", "advanced/docker-socket-security"} <= set(
        ids
    )


def test_renumbering_every_question_keeps_every_id(
    corpus: dockerqa.Library, corpus_text: str
) -> None:
    renumbered = re.sub(
        r'<Accordion title="(\d+)\.',
        lambda m: f'<Accordion title="{int(m.group(1)) + 100}.',
        corpus_text,
    )
    renumbered = re.sub(r'title="Scenario (\d+):', r'title="Scenario 9\1:', renumbered)
    assert renumbered != corpus_text
    lib = _parse(renumbered)
    assert [q.id for q in lib] == [q.id for q in corpus]
    assert lib.questions[0].number == 101


def _accordion_spans(text: str) -> list[tuple[int, int]]:
    lines = text.split("\n")
    opens = [i for i, ln in enumerate(lines) if ln.strip().startswith("<Accordion ")]
    closes = [i for i, ln in enumerate(lines) if ln.strip() == "</Accordion>"]
    return list(zip(opens, closes, strict=True))


def test_removing_a_question_leaves_other_ids_unchanged(
    corpus: dockerqa.Library, corpus_text: str
) -> None:
    lines = corpus_text.split("\n")
    for index in (0, 25, 43, 87):  # first, a repeated topic's first occurrence, another, last
        start, end = _accordion_spans(corpus_text)[index]
        lib = _parse("\n".join(lines[:start] + lines[end + 1 :]))
        expected = [q.id for i, q in enumerate(corpus) if i != index]
        assert [q.id for q in lib] == expected


def test_inserting_a_question_leaves_other_ids_unchanged(
    corpus: dockerqa.Library, corpus_text: str
) -> None:
    lines = corpus_text.split("\n")
    start, _ = _accordion_spans(corpus_text)[5]
    new = [
        '  <Accordion title="6. Health Checks">',
        "    **Answer**: An inserted question repeating a topic of another section.",
        "  </Accordion>",
        "",
    ]
    lib = _parse("\n".join(lines[:start] + new + lines[start:]))
    ids = [q.id for q in lib]
    assert ids[5] == "fundamentals/health-checks"
    assert ids[:5] + ids[6:] == [q.id for q in corpus]


def test_editing_text_and_numbers_does_not_change_ids(
    corpus: dockerqa.Library, corpus_text: str
) -> None:
    edited = corpus_text.replace(
        "This is one of the most fundamental questions", "A fundamental question"
    )
    assert [q.id for q in _parse(edited)] == [q.id for q in corpus]


def test_same_title_twice_in_one_section_is_deterministic() -> None:
    page = "## S\n\n" + "".join(
        f'<Accordion title="{n}. Same">\n**Answer**: {n}\n</Accordion>\n' for n in (1, 2, 3)
    )
    lib = dockerqa.loads(page)
    assert [q.id for q in lib] == ["s/same", "s/same-2", "s/same-3"]
    assert [d.code for d in lib.diagnostics].count("duplicate-id") == 2
