"""Every row of every rule table, run on its own examples.

Each example must be taken by its own row first (an earlier row can't shadow it) and give
exactly the expected result, both through the row's function and through the whole parser on
a page built around it. A row without examples fails here, so no row lands untested.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

import dockerqa
from dockerqa._document import TITLE_FORMS, TitleForm, split_title, title_form
from dockerqa._fields import (
    FOLLOW_UP_FORMS,
    FOLLOW_UPS,
    LABEL_RULES,
    PART,
    SENIOR_STAFF_ROLES,
    TEXT_FIELDS,
    WEAK_STRONG_ROLES,
    WEAK_VS_STRONG,
    FollowUpForm,
    follow_up,
    follow_up_form,
    label_rule,
    role_of,
)
from dockerqa.model import FollowUp, Question
from dockerqa.study import ASK_RULES, ask

TABLES: dict[str, Sequence[object]] = {
    "FOLLOW_UP_FORMS": FOLLOW_UP_FORMS,
    "LABEL_RULES": LABEL_RULES,
    "TITLE_FORMS": TITLE_FORMS,
    "ASK_RULES": ASK_RULES,
    "SENIOR_STAFF_ROLES": SENIOR_STAFF_ROLES,
    "WEAK_STRONG_ROLES": WEAK_STRONG_ROLES,
}


def page(body: str, title: str = "1. Layers") -> str:
    """A one-question page holding ``body`` (Markdown, unindented)."""
    inner = "\n".join(f"    {ln}" if ln else "" for ln in body.split("\n"))
    return (
        "# Interview\n\n## Basics\n\n<AccordionGroup>\n"
        f'  <Accordion title="{title}">\n{inner}\n  </Accordion>\n</AccordionGroup>\n'
    )


def only_question(text: str) -> Question:
    library = dockerqa.loads(text)
    assert len(library) == 1
    return next(iter(library))


@pytest.mark.parametrize("name", TABLES)
def test_every_row_has_examples(name: str) -> None:
    rows = TABLES[name]
    assert rows
    assert [r.name for r in rows if not r.examples] == []  # type: ignore[attr-defined]
    names = [r.name for r in rows]  # type: ignore[attr-defined]
    assert len(set(names)) == len(names), "row names are test ids: keep them unique"


# --------------------------------------------------------------------------- follow-up forms

FORM_EXAMPLES = [
    pytest.param(form, *example, id=f"{form.name}-{n}")
    for form in FOLLOW_UP_FORMS
    for n, example in enumerate(form.examples)
]


def _as_item(marker: str, item: str) -> str:
    pad = " " * (len(marker) + 1)
    first, *more = item.split("\n")
    return "\n".join([f"{marker} {first}", *(f"{pad}{ln}" if ln else "" for ln in more)])


@pytest.mark.parametrize(("form", "item", "question", "answer"), FORM_EXAMPLES)
def test_follow_up_forms(form: object, item: str, question: str, answer: str | None) -> None:
    found = follow_up_form(item)
    assert found is not None and found[0] is form
    assert follow_up(item) == FollowUp(question=question, answer=answer)
    # the same item in a chain, as a list item (and as a paragraph where the form may be one)
    chains = [_as_item("1.", item), _as_item("-", item)]
    if form.paragraph:  # type: ignore[attr-defined]
        chains.append(item)
    for chain in chains:
        q = only_question(page(f"**Answer:** Layers stack.\n\n**Follow-up questions:**\n\n{chain}"))
        assert q.follow_ups == (FollowUp(question=question, answer=answer),), chain
        assert q.answer == "Layers stack."
        assert q.parts == ()


# --------------------------------------------------------------------------- labels

LABEL_EXAMPLES = [
    pytest.param(rule, label, id=f"{rule.name}-{label}")
    for rule in LABEL_RULES
    for label in rule.examples
]


@pytest.mark.parametrize(("rule", "label"), LABEL_EXAMPLES)
def test_label_rules(rule: object, label: str) -> None:
    assert label_rule(label) is rule
    assert label_rule(f"{label}:") is rule
    target = rule.target  # type: ignore[attr-defined]
    written = f"**{label}:** w1 w2"
    q = only_question(page(f"{written}\n\nw3 w4"))
    if target == FOLLOW_UPS:
        assert q.follow_ups == (FollowUp(question="w1 w2"),)  # on the label's own line
        q = only_question(page(f"**{label}:**\n\n1. **Why?** Because."))
        assert q.follow_ups == (FollowUp(question="Why?", answer="Because."),)
    elif target == PART:
        assert [(p.label, p.text) for p in q.parts] == [(label, "w1 w2\n\nw3 w4")]
    elif target == WEAK_VS_STRONG:
        q = only_question(page(f"**{label}:**\n\n* **Weak:** w1\n* **Strong:** w2"))
        assert (q.weak_answer, q.strong_answer) == ("w1", "w2")
    elif rule.keeps_label:  # type: ignore[attr-defined]
        assert getattr(q, target) == f"{written}\n\nw3 w4"
    else:
        assert target in TEXT_FIELDS
        then = rule.then or target  # type: ignore[attr-defined]
        if then == target:
            assert getattr(q, target) == "w1 w2\n\nw3 w4"
        else:
            assert (getattr(q, target), getattr(q, then)) == ("w1 w2", "w3 w4")


# --------------------------------------------------------------------------- titles

TITLE_EXAMPLES = [
    pytest.param(form, *example, id=f"{form.name}-{n}")
    for form in TITLE_FORMS
    for n, example in enumerate(form.examples)
]


@pytest.mark.parametrize(("form", "written", "number", "title"), TITLE_EXAMPLES)
def test_title_forms(form: object, written: str, number: int | None, title: str) -> None:
    found = title_form(written)
    assert found is not None and found[0] is form
    assert split_title(written) == (number, title, form.kind)  # type: ignore[attr-defined]
    q = only_question(page("**Answer:** w1", title=written))
    assert (q.number, q.title) == (number, title)
    if form.kind is not None:  # type: ignore[attr-defined]
        assert q.kind is form.kind  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- what a card asks

ASK_EXAMPLES = [
    pytest.param(rule, *example, id=f"{rule.name}-{n}")
    for rule in ASK_RULES
    for n, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "title", "kind", "section", "prompt"), ASK_EXAMPLES)
def test_ask_rules(
    rule: object, title: str, kind: dockerqa.Kind, section: str, prompt: str
) -> None:
    base = only_question(page("**Answer:** w1"))
    scenario = "Production is down." if rule.needs_prompt else None  # type: ignore[attr-defined]
    q = base.model_copy(update={"title": title, "kind": kind, "prompt": scenario})
    first = next(r for r in ASK_RULES if r.matches(q, section))
    assert first is rule
    assert ask(q, section) == prompt


# --------------------------------------------------------------------------- roles

ROLE_EXAMPLES = [
    pytest.param(table, role, *example, id=f"{role.name}-{n}")
    for table in (SENIOR_STAFF_ROLES, WEAK_STRONG_ROLES)
    for role in table
    for n, example in enumerate(role.examples)
]


@pytest.mark.parametrize(("table", "role", "item", "text"), ROLE_EXAMPLES)
def test_roles(table: tuple[object, ...], role: object, item: str, text: str) -> None:
    found = role_of(item, table)  # type: ignore[arg-type]
    assert found is not None and found[0] is role and found[1] == text
    target = role.target  # type: ignore[attr-defined]
    if table is WEAK_STRONG_ROLES:
        body = f"**What weak candidates say vs what strong candidates say:**\n\n* {item}"
    else:
        body = f"**Answer:** a\n\n<Note>\n**Senior vs Staff perspective**\n\n* {item}\n</Note>"
    assert getattr(only_question(page(body)), target) == text


def test_a_row_without_the_groups_its_code_reads_is_refused_when_made() -> None:
    with pytest.raises(TypeError, match="group"):
        TitleForm("no title group", re.compile(r"^(\d+)\. .+$"), None, ())
    with pytest.raises(TypeError, match="group"):
        FollowUpForm("no question group", re.compile(r"^(?P<a>.+)\?$"), ())
