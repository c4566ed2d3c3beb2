"""Study presentation: what a card's front asks (`ask`) over the whole corpus."""

from __future__ import annotations

import re

import pytest

import dockerqa
from dockerqa import Kind
from dockerqa.model import FIELD_LABELS
from dockerqa.study import ASK_RULES, CORE_MAX_WORDS, ask, ends_with_lead_in, split_core

#: Fronts that must read as questions (one per rule the corpus uses, and the tricky titles).
FRONTS = {
    "networking-storage/how-bridge-network-works-internals": (
        "How does Bridge Network work (Internals)?"
    ),
    "troubleshooting/docker-exec": (
        "Troubleshooting — Docker Exec: what is it for, and how do you use it in practice?"
    ),
    "troubleshooting/oomkilled-exit-code-137": (
        "Troubleshooting — OOMKilled (Exit Code 137): what do you check first, and what do you do?"
    ),
    "best-practices/minimize-image-size": (
        "Best practice: Minimize Image Size. What do you do, and why?"
    ),
    "advanced/buildkit-deep-dive": (
        "Interview topic: BuildKit Deep Dive — Cache Mounts, Secrets, and SSH. Explain the "
        "purpose, the mechanics and the trade-offs."
    ),
    "scenarios/oomkill-debugging": (
        "Scenario: OOMKill Debugging — The Memory Leak at 3 AM. How do you diagnose and resolve it?"
    ),
    "fundamentals/vm-vs-container": (
        "Compare VM and Container. How do they differ, and when would you use each?"
    ),
    "fundamentals/what-happens-when-you-run-docker-run": "What happens when you run `docker run`?",
}

#: Fields whose text answers the question (the front may show none of it): every text field
#: but the prompt (question text) and the follow-up chain (checked item by item).
ANSWER_FIELDS = tuple(f for f in FIELD_LABELS if f not in ("prompt", "follow_ups"))
RUN = 5  # words in a row that count as text taken from an answer


def _fronts(corpus: dockerqa.Library) -> dict[str, str]:
    titles = {s.id: s.title for s in corpus.sections}
    return {q.id: ask(q, titles[q.section]) for q in corpus}


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w'’-]+", text.lower())
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.parametrize(("qid", "front"), sorted(FRONTS.items()))
def test_fronts_read_as_questions(corpus: dockerqa.Library, qid: str, front: str) -> None:
    assert _fronts(corpus)[qid] == front


def test_every_front_asks_and_is_the_title_in_a_rule(corpus: dockerqa.Library) -> None:
    for q, front in zip(corpus, _fronts(corpus).values(), strict=True):
        assert front.endswith(("?", ".")) or q.kind is Kind.WORK_SAMPLE, front
        assert "  " not in front and not re.search(r"\w\(", front), front
        # Apart from the title's words, only a rule's own words.
        words = set(re.findall(r"[a-z']+", front.lower())) - set(
            re.findall(r"[a-z']+", q.title.lower())
        )
        templates = " ".join(r.template for r in ASK_RULES).lower()
        assert words <= set(re.findall(r"[a-z']+", templates)), front


def test_no_front_contains_answer_text(corpus: dockerqa.Library) -> None:
    fronts = _fronts(corpus)
    leaked = []
    for q in corpus:
        own = _runs(q.title) | _runs(q.prompt or "")  # question text may repeat in an answer
        answers = [getattr(q, f) or "" for f in ANSWER_FIELDS]
        answers += [p.text for p in q.parts] + [f.answer or "" for f in q.follow_ups]
        answer_runs = set().union(*(_runs(a) for a in answers))
        leaked += [(q.id, " ".join(r)) for r in (_runs(fronts[q.id]) - own) & answer_runs]
    assert leaked == []


def _item(n: int, words: int) -> str:
    return f"{n}. " + " ".join(f"w{n}x{i}" for i in range(words))


def test_a_list_too_long_for_the_core_is_cut_between_items() -> None:
    items = [_item(n, 120) for n in range(1, 4)]
    text = "Lead-in:\n\n" + "\n".join(items) + "\n\nAfter."
    core, rest = split_core(text)
    assert core == "Lead-in:\n\n" + items[0]
    assert rest == "\n".join(items[1:]) + "\n\nAfter."  # numbered as they were: 2., 3.
    assert sorted((core + "\n\n" + rest).split()) == sorted(text.split())
    # a list that fits under CORE_MAX_WORDS stays whole
    short = "\n".join(_item(n, 40) for n in range(1, 4))
    assert split_core(short) == (short, "")


def test_a_bold_lead_in_stays_with_its_block() -> None:
    text = "Intro words.\n\n**Key details:**\n\n" + "\n".join(_item(n, 60) for n in (1, 2, 3, 4))
    core, rest = split_core(text)
    assert core == "Intro words.\n\n**Key details:**\n\n" + _item(1, 60)
    assert rest.startswith("2. ")
    huge = "Intro words.\n\n**Key details:**\n\n```\n" + "x " * 300 + "\n```"
    assert split_core(huge) == ("Intro words.", huge.split("\n\n", 1)[1])


def test_every_answer_core_keeps_every_word(corpus: dockerqa.Library) -> None:
    for q in corpus:
        for text in (q.answer, q.strong_answer):
            if text:
                core, rest = split_core(text)
                assert sorted(f"{core}\n\n{rest}".split()) == sorted(text.split()), q.id
                assert len(re.findall(r"[\w'’-]+", core)) <= CORE_MAX_WORDS, q.id
                assert not ends_with_lead_in(core), q.id  # "**Key details:**" goes with its block
