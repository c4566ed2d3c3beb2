"""Study presentation: what a card's front asks (`ask`) over the whole corpus."""

from __future__ import annotations

import re
from collections import Counter

import pytest

import dockerqa
from dockerqa import Kind
from dockerqa.model import FIELD_LABELS
from dockerqa.study import (
    ASK_RULES,
    CORE_MAX_WORDS,
    ask,
    ends_with_lead_in,
    inline_steps_as_list,
    is_meta_talk,
    list_heads,
    split_core,
    study_back,
)

#: Fronts built from the title when no front was written (one per rule the corpus uses, and
#: the tricky titles): one short question each, never a template paragraph.
FALLBACKS = {
    "networking-storage/how-bridge-network-works-internals": (
        "How does Bridge Network work (Internals)?"
    ),
    "troubleshooting/docker-exec": "How do you use Docker Exec when troubleshooting?",
    "troubleshooting/oomkilled-exit-code-137": "OOMKilled (Exit Code 137): how do you diagnose it?",
    "best-practices/minimize-image-size": "Minimize Image Size: what is the best practice?",
    "advanced/buildkit-deep-dive": "What is BuildKit Deep Dive — Cache Mounts, Secrets, and SSH?",
    "scenarios/oomkill-debugging": "Scenario: OOMKill Debugging — The Memory Leak at 3 AM",
    "fundamentals/vm-vs-container": "VM vs Container: how do they differ?",
    "fundamentals/dockerfile-copy-vs-add": "Dockerfile: COPY vs ADD: how do they differ?",
    "fundamentals/what-happens-when-you-run-docker-run": "What happens when you run `docker run`?",
    "comparisons/image-optimization": (
        "Image Optimization: what does a strong answer cover that a weak one misses?"
    ),
}
#: Fronts written for the corpus (corpus/docker.toml), as the cards ask them.
WRITTEN = {
    "fundamentals/vm-vs-container": "How does a container differ from a virtual machine?",
    "medium/docker-compose-networks": (
        "In Compose, how do you let the backend reach both the frontend and the database, but "
        "not the frontend the database?"
    ),
    "comparisons/docker-networking": (
        "Asked how they network containers together, what does a strong candidate answer?"
    ),
}
#: Words of a written front, at most.
FRONT_WORDS = 25

#: Fields whose text answers the question (the front may show none of it): every text field
#: but the prompt (question text) and the follow-up chain (checked item by item).
ANSWER_FIELDS = tuple(f for f in FIELD_LABELS if f not in ("prompt", "follow_ups"))
RUN = 5  # words in a row that count as text taken from an answer


def _fronts(corpus: dockerqa.Library, *, written: bool = True) -> dict[str, str]:
    titles = {s.id: s.title for s in corpus.sections}
    return {
        q.id: ask(q if written else q.model_copy(update={"front": None}), titles[q.section])
        for q in corpus
    }


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w'’-]+", text.lower())
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.parametrize(("qid", "front"), sorted(FALLBACKS.items()))
def test_fallback_fronts_are_one_short_question(
    corpus: dockerqa.Library, qid: str, front: str
) -> None:
    assert _fronts(corpus, written=False)[qid] == front


@pytest.mark.parametrize(("qid", "front"), sorted(WRITTEN.items()))
def test_written_fronts_are_asked(corpus: dockerqa.Library, qid: str, front: str) -> None:
    assert _fronts(corpus)[qid] == front


def test_every_question_of_the_corpus_has_a_written_front(corpus: dockerqa.Library) -> None:
    for q in corpus:
        assert q.front is not None, q.id
        words = re.findall(r"[\w'’-]+", q.front.ask)
        assert len(words) <= FRONT_WORDS, q.id
        if q.kind in (Kind.SCENARIO, Kind.WORK_SAMPLE):
            assert "?" not in q.front.ask and q.prompt, q.id  # a label: the prompt asks
        else:
            assert q.front.ask.count("?") == 1 and q.front.ask.endswith("?"), q.id
            assert re.search(r"[.!?]\s", q.front.ask) is None, q.id  # one sentence
        if q.front.lead is not None:
            assert (q.answer or "").lstrip().startswith("```"), q.id  # only code-only answers


def test_every_fallback_asks_and_is_the_title_in_a_rule(corpus: dockerqa.Library) -> None:
    for q, front in zip(corpus, _fronts(corpus, written=False).values(), strict=True):
        if q.kind in (Kind.SCENARIO, Kind.WORK_SAMPLE):
            assert "?" not in front or q.title.endswith("?"), front  # the prompt asks
        else:
            assert front.endswith("?") and front.count("?") == 1, front
        assert "  " not in front and not re.search(r"\w\(", front), front
        # Apart from the title's words, only a rule's own words.
        words = set(re.findall(r"[a-z']+", front.lower())) - set(
            re.findall(r"[a-z']+", q.title.lower())
        )
        templates = " ".join(r.template for r in ASK_RULES).lower()
        assert words <= set(re.findall(r"[a-z']+", templates)), front


@pytest.mark.parametrize("written", [True, False])
def test_no_front_contains_answer_text(corpus: dockerqa.Library, written: bool) -> None:
    fronts = _fronts(corpus, written=written)
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


# --- what a back shows first (study_back) ------------------------------------------------------


def test_talk_about_the_interview_folds_below_the_substance() -> None:
    text = (
        "This is one of the most fundamental questions in Docker interviews.\n\n"
        "A container shares the host kernel.\n\nMore detail."
    )
    back = study_back(text)
    assert back.core.startswith("A container shares the host kernel.")
    assert back.rest.startswith("This is one of the most fundamental questions")
    # an answer that is only such talk still shows it (there is nothing else)
    assert study_back("Interviewers love this one.").core == "Interviewers love this one."


def test_a_long_list_shows_every_items_head_and_folds_whole() -> None:
    items = [f"{n}. **Step {n} head** -- " + " ".join(["detail"] * 40) for n in range(1, 9)]
    text = "**The sequence:**\n\n" + "\n".join(items)
    back = study_back(text)
    assert back.core == "**The sequence:**\n\n" + "\n".join(
        f"{n}. **Step {n} head**" for n in range(1, 9)
    )
    assert "\n".join(items) in back.rest  # the detail folds, whole and numbered as it was


def test_a_list_whose_items_have_no_heads_stays_as_it_was() -> None:
    items = "\n".join(f"* item {n} " + " ".join(["word"] * 30) for n in range(4))
    assert study_back(items).core == split_core(items)[0]


def test_folded_labelled_paragraphs_give_their_key_points() -> None:
    text = (
        "Opening fact sentence. " + "word " * 95 + "\n\n"
        "**Fix**: Listen on `0.0.0.0` instead. More words after.\n\n"
        "**AppArmor (MAC):**\nAppArmor restricts files. Then more."
    )
    back = study_back(text)
    assert back.key_points == (
        "**Fix**: Listen on `0.0.0.0` instead.",
        "**AppArmor (MAC)**: AppArmor restricts files.",
    )


def test_every_corpus_answer_keeps_every_word_on_its_back(corpus: dockerqa.Library) -> None:
    for q in corpus:
        for text in (q.answer, q.strong_answer):
            if text:
                back = study_back(text)
                shown_or_folded = Counter(f"{back.core}\n\n{back.rest}".split())
                assert Counter(text.split()) <= shown_or_folded, q.id
                assert not is_meta_talk(back.core.split("\n\n")[0]), q.id


def test_numbered_steps_written_on_one_line_become_a_list() -> None:
    text = "1. Use a proxy. 2. Use TLS instead of the socket. 3. Read `/proc` directly."
    assert inline_steps_as_list(text) == (
        "1. Use a proxy.\n2. Use TLS instead of the socket.\n3. Read `/proc` directly."
    )
    for unchanged in ("1. Only one step. Then 3. comes early.", "Not a list. 2. no.", "1. a\n2. b"):
        assert inline_steps_as_list(unchanged) == unchanged


#: Lists whose items the block stage reads differently from a marker followed by a space: an
#: empty item, a marker alone on its line: (list, heads shown or None when it stays whole).
ODD_ITEMS = [
    pytest.param("- **A**: one\n-\n- **B**: two", None, id="an empty item has no head"),
    pytest.param("1. **A**: one\n2.\n   **B**: two", "1. **A**\n2. **B**", id="marker alone"),
    pytest.param("1.\t**A**: one\n2.\t**B**: two", "1. **A**\n2. **B**", id="marker, tab"),
]


@pytest.mark.parametrize(("items", "heads"), ODD_ITEMS)
def test_a_lists_heads_come_from_the_items_the_block_stage_reads(
    items: str, heads: str | None
) -> None:
    assert list_heads(items) == heads
    long = "Opening fact sentence.\n\n**The steps:**\n\n" + items + " word" * 120
    back = study_back(long)  # the list folds, with its heads shown when it has them
    assert ("**The steps:**" in back.core) and (heads is None or heads in back.core)
