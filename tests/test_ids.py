"""Question ids: readable, unique, deterministic, and stable under renumbering and edits."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import dockerqa
from conftest import CORPUS
from dockerqa._load import metadata_path
from dockerqa._meta import read_meta
from dockerqa.identity import apply_renames, build_lock
from dockerqa.pipeline import refresh

META = read_meta(metadata_path(CORPUS))
T0 = 1_700_000_000


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


ANY_SCRIPT = """---
title: "Any Script"
---

## 1. Fundamentals

<AccordionGroup>
{questions}
</AccordionGroup>
"""


def _any_script_page(*titles: str) -> str:
    questions = "\n".join(
        f'  <Accordion title="{n}. {t}">\n**Answer**: {t} 的答案。\n  </Accordion>'
        for n, t in enumerate(titles, 1)
    )
    return ANY_SCRIPT.format(questions=questions)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("容器是什么", "容器是什么"),
        ("Docker 容器", "docker-容器"),
        ("Docker 镜像", "docker-镜像"),
        ("Что такое Docker", "что-такое-docker"),
        ("Контейнер и образ", "контейнер-и-образ"),  # й stays й
        ("컨테이너란", "컨테이너란"),  # composed Hangul, as typed (NFC)
        ("データとガ", "データとガ"),  # voiced kana keep their marks: ダ is not タ
        ("हिंदी क्या है", "हिंदी-क्या-है"),  # vowel signs belong to their word
        ("ภาษาไทย", "ภาษาไทย"),
        ("🐳", "spouting-whale"),
        ("Café Crème", "cafe-creme"),  # Latin letters fold to ASCII as before
        ("Docker’s Daemon — Deep Dive", "dockers-daemon"),  # unchanged
    ],
)
def test_a_title_in_any_script_gets_a_slug_of_its_own_characters(title: str, slug: str) -> None:
    (q,) = dockerqa.loads(_any_script_page(title)).questions
    assert q.id == f"fundamentals/{slug}"
    assert unicodedata.is_normalized("NFC", q.id)  # what a person types finds it


def test_titles_that_differ_only_in_marks_get_ids_of_their_own() -> None:
    titles = ("カ", "ガ", "हद", "हिंदी", "容器", "Docker 容器")
    library = dockerqa.loads(_any_script_page(*titles))
    slugs = [q.id.split("/")[1] for q in library]
    assert slugs == ["カ", "ガ", "हद", "हिंदी", "容器", "docker-容器"]
    assert [d for d in library.diagnostics if d.code in ("duplicate-id", "repeated-topic")] == []


def test_a_section_heading_in_any_script_gets_an_id_of_its_own(tmp_path: Path) -> None:
    """Not ``section``, ``section-2``…: inserting a section moves no question's id."""

    def page(*sections: str) -> str:
        return "".join(
            f'## {n}. {s}\n\n<Accordion title="1. {s}是什么">\n**Answer**: {s}。\n</Accordion>\n\n'
            for n, s in enumerate(sections, 1)
        )

    before = [q.id for q in dockerqa.loads(page("基础", "进阶"))]
    assert before == ["基础/基础是什么", "进阶/进阶是什么"]
    assert [q.id for q in dockerqa.loads(page("安全", "基础", "进阶"))][1:] == before
    assert dockerqa.loads(page("Basics")).questions[0].section == "basics"  # as before


def test_inserting_a_question_before_titles_without_latin_letters_moves_no_id(
    tmp_path: Path,
) -> None:
    titles = ("容器是什么", "🐳", "Docker 容器", "Docker 镜像")
    page = tmp_path / "p.mdx"
    page.write_text(_any_script_page(*titles), encoding="utf-8")
    before = [q.id for q in dockerqa.load(page)]
    assert len(set(before)) == 4
    refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0)
    page.write_text(_any_script_page("镜像是什么", *titles), encoding="utf-8")
    after = [q.id for q in dockerqa.load(page)]
    assert after[1:] == before
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0 + 10)
    assert lock.changes.describe() == "1 question added"
    assert lock.decisions() == ['new question fundamentals/镜像是什么: "镜像是什么"']


def test_ids_already_in_a_lock_are_kept(tmp_path: Path) -> None:
    """A lock made when such titles got positional ids keeps them: the same title in the same
    section is the same question."""
    titles = ("容器是什么", "🐳", "Docker 容器", "Docker 镜像")
    page = tmp_path / "p.mdx"
    page.write_text(_any_script_page(*titles), encoding="utf-8")
    library = dockerqa.load(page)
    legacy = ("question", "question-2", "docker", "docker-2")  # what the titles used to give
    old = library.model_copy(
        update={
            "questions": tuple(
                q.model_copy(update={"id": f"fundamentals/{slug}"})
                for q, slug in zip(library, legacy, strict=True)
            )
        }
    )
    page.with_suffix(".lock").write_text(build_lock(old, now=T0).dumps(), encoding="utf-8")
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0 + 10)
    assert lock.changes.added == () and lock.changes.retired == ()
    assert sorted(kept for _, kept in lock.changes.renamed) == sorted(
        f"fundamentals/{slug}" for slug in legacy
    )
    kept = [q.id for q in apply_renames(dockerqa.load(page), lock)]
    assert kept == [f"fundamentals/{slug}" for slug in legacy]
    assert (
        refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0 + 20).changes.describe()
        == ""
    )


@pytest.mark.parametrize(
    ("kept", "inserted"),
    [
        (("Docker 🐳", "C++"), ("Docker 🐋", "C#")),  # titles whose slugs are the same
        (("容器 🐳",), ("容器 🐋",)),
        (("Same",), ("Same!",)),
    ],
    ids=["emoji-and-symbols", "cjk-and-emoji", "punctuation"],
)
def test_a_question_whose_slug_another_title_shares_keeps_its_id(
    tmp_path: Path, kept: tuple[str, ...], inserted: tuple[str, ...]
) -> None:
    """Inserting a question whose title gives the same slug (so the page hands out ``-2``)
    before another leaves the other's id, notes and reviews where they were."""
    page = tmp_path / "p.mdx"
    page.write_text(_any_script_page(*kept), encoding="utf-8")
    lock_file = page.with_suffix(".lock")
    refresh(dockerqa.load(page), lock_file, now=T0)
    before = {q.title: q.id for q in dockerqa.load(page)}
    page.write_text(_any_script_page(*inserted, *kept), encoding="utf-8")
    lock = refresh(dockerqa.load(page), lock_file, now=T0 + 10)
    assert lock.changes.changed == () and lock.changes.retired == ()
    assert len(lock.changes.added) == len(inserted)
    after = {q.title: q.id for q in apply_renames(dockerqa.load(page), lock)}
    assert {t: after[t] for t in kept} == before
    assert len(set(after.values())) == len(after)
    assert refresh(dockerqa.load(page), lock_file, now=T0 + 20).changes.describe() == ""


def test_topic_keywords_in_any_script_tag_only_the_titles_that_hold_them(tmp_path: Path) -> None:
    # a keyword without Latin letters is one of the title's words, or part of a word in a
    # script written without spaces; it never tags every title that has no Latin letters
    titles = ("容器是什么", "🐳", "Docker 容器", "Docker 镜像", "Kubernetes")
    page = tmp_path / "p.mdx"
    page.write_text(_any_script_page(*titles), encoding="utf-8")
    page.with_suffix(".toml").write_text(
        '[topics]\ncontainers = ["容器"]\nimages = ["镜像"]\n'
        'whales = ["🐳"]\ndocker = ["docker"]\n',
        encoding="utf-8",
    )
    assert {q.title: q.tags for q in dockerqa.load(page)} == {
        "容器是什么": ("containers",),
        "🐳": ("whales",),
        "Docker 容器": ("containers", "docker"),
        "Docker 镜像": ("docker", "images"),
        "Kubernetes": (),
    }
