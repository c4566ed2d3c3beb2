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


def test_a_paragraph_that_opens_with_talk_shows_the_facts_after_it() -> None:
    # only the sentences of talk fold: the facts of the same paragraph show first
    text = (
        "This is the most common networking mistake in Docker. Your app listens on\n"
        '`127.0.0.1:3000`, so the host gets "connection refused."\n\n'
        "**Fix**: Listen on `0.0.0.0`."
    )
    back = study_back(text)
    assert back.core.startswith("Your app listens on\n`127.0.0.1:3000`, so the host gets")
    assert back.rest == "This is the most common networking mistake in Docker."
    # why knowing it matters is talk too: a paragraph of only talk folds whole
    text = (
        "When you type `docker run nginx`, a surprisingly complex chain of events fires. "
        "Understanding this sequence is essential for debugging.\n\n**The sequence:**\n\n"
        "1. **Parse**\n2. **Pull**"
    )
    back = study_back(text)
    assert back.core.startswith("**The sequence:**")
    assert back.rest.startswith("When you type `docker run nginx`, a surprisingly complex")
    assert back.rest.endswith("Understanding this sequence is essential for debugging.")
    # and so is how to think about it, before the list that says it
    text = (
        "The class/object analogy is the simplest way to think about it, but it is nuanced:\n\n"
        "* **Image**: A read-only template.\n* **Container**: A running instance of an image."
    )
    assert study_back(text).core.startswith("* **Image**: A read-only template.")


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
    # after a lead-in that ends with a colon ("Three approaches: 1. … 2. … 3. …")
    text = "Three approaches: 1. Use `kompose`. 2. Keep both, checked in CI. 3. Share values."
    assert inline_steps_as_list(text) == (
        "Three approaches:\n\n1. Use `kompose`.\n2. Keep both, checked in CI.\n3. Share values."
    )
    # steps numbered (1), (2)… or lettered (a), (b)… become a list too, keeping their letters
    text = "(a) Switch to `slim`. (b) Rebuild for musl. (c) Use distroless."
    assert inline_steps_as_list(text) == (
        "* (a) Switch to `slim`.\n* (b) Rebuild for musl.\n* (c) Use distroless."
    )
    text = "Check: (1) Is caching broken? (2) Did a dependency update? (3) Is the runner slow?"
    assert inline_steps_as_list(text) == (
        "Check:\n\n1. Is caching broken?\n2. Did a dependency update?\n3. Is the runner slow?"
    )
    for unchanged in (
        "Prioritize by: (1) exploitability, (2) reachability, (3) impact.",  # one sentence
        "Two cases: (1) batch jobs, and (2) streaming.",
        "(a) Only one. Then (c) comes.",
        "1. Only one step. Then 3. comes early.",
        "Not a list. 2. no.",
        "1. a\n2. b",
        "Two steps: 1. only one here.",
        "It costs 1. 2. is the cap.",
        "Note: 1. first 2. second",  # no sentence ends before the 2
    ):
        assert inline_steps_as_list(unchanged) == unchanged


def test_a_folded_lead_in_to_code_gives_its_label_as_a_key_point() -> None:
    # "Approach 2" of two is a key point even when what it introduces is code; a lead-in to
    # a list whose items have heads gives those heads instead (a list without heads, nothing:
    # "Solutions" says no more than that there are some); a sentence that opens in bold after
    # a label is no lead-in
    text = (
        "Opening fact sentence. " + "word " * 95 + "\n\n"
        "**Approach 2 -- Rootless Docker (daemon runs as non-root user):**\n\n"
        "```bash\ndockerd-rootless-setuptool.sh install\n```\n\n"
        "**Limitations:**\n\n* **No host network**: it needs root.\n"
        "* **Ports**: none below 1024.\n\n"
        "**Solutions:**\n\n* Use `tini` " + "word " * 20 + "\n* Or `dumb-init`.\n\n"
        "**Alternative**: **Cosign** (from Sigstore) is preferred. It stores signatures."
    )
    back = study_back(text)
    assert back.key_points == (
        "**Approach 2 -- Rootless Docker (daemon runs as non-root user)**",
        "**No host network**",
        "**Ports**",
        "**Alternative**: **Cosign** (from Sigstore) is preferred.",
    )


def test_short_labels_shown_as_heads_keep_their_first_sentence() -> None:
    # "Image" and "Container" alone say nothing to grade against: when every item's first
    # sentence is short (and together they stay short), each head shows with its sentence
    detail = " ".join(["More about it."] * 20)
    text = (
        "The class/object analogy is the simplest way to think about it:\n\n"
        f"* **Image**: A read-only, layered filesystem template. {detail}\n"
        f"* **Container**: A running (or stopped) instance of an image. {detail}"
    )
    back = study_back(text)
    assert back.core.endswith(
        "* **Image**: A read-only, layered filesystem template.\n"
        "* **Container**: A running (or stopped) instance of an image."
    )
    # eight steps of 20 words each would be a second answer: the heads show alone
    long = " ".join(["word"] * 19) + "."
    items = [f"{n}. **Step {n}** -- {long} {detail}" for n in range(1, 9)]
    back = study_back("**The sequence:**\n\n" + "\n".join(items))
    assert back.core.endswith("\n".join(f"{n}. **Step {n}**" for n in range(1, 9)))


#: Titles of the kinds real pages have, each with the one short question its fallback front
#: asks: two questions in a title, a question in parentheses, an instruction, a final stop.
TRICKY_TITLES = {
    "What is a volume? When do you need one?": "What is a volume?",
    "How do you test a Dockerfile? Walk me through your strategy.": (
        "How do you test a Dockerfile?"
    ),
    "Single Host but Scalable? How?": "Single Host but Scalable?",
    "What is BuildKit? (Visualized)": "What is BuildKit?",
    "Overlay2 (Why 'Overlay'?)": "What is Overlay2?",
    "Volumes vs Bind Mounts (When to choose?)": "Volumes vs Bind Mounts: how do they differ?",
    "Explain the difference between CMD and ENTRYPOINT.": (
        "Can you explain the difference between CMD and ENTRYPOINT?"
    ),
    "Tell me about a time you fixed a broken build.": (
        "Can you tell me about a time you fixed a broken build?"
    ),
    "Explain when you would build on Compose vs use alternatives.": (
        "Can you explain when you would build on Compose vs use alternatives?"
    ),
    "Design a Registry Mirror": "Can you design a Registry Mirror?",
    "Design Patterns for Dockerfiles": "What are Design Patterns for Dockerfiles?",
    "List vs Set of Layers": "List vs Set of Layers: how do they differ?",
    "How to pin a base image.": "How to pin a base image?",
}


@pytest.mark.parametrize(("title", "front"), TRICKY_TITLES.items())
def test_a_fallback_front_is_one_question_whatever_the_title(
    corpus: dockerqa.Library, title: str, front: str
) -> None:
    q = corpus.get("fundamentals/image-vs-container")
    q = q.model_copy(update={"title": title, "front": None})
    assert ask(q, "Images") == front
    assert front.count("?") == 1 and ".?" not in front


def test_a_scenario_whose_title_is_its_prompt_asks_it_once(corpus: dockerqa.Library) -> None:
    q = corpus.get("scenarios/oomkill-debugging")
    title = "Disk Full — The disk filled overnight. What do you check first?"
    q = q.model_copy(update={"title": title, "front": None, "prompt": None})
    assert ask(q, "Scenarios") == f"Scenario: {title}"  # no "How do you handle it?" after it


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
