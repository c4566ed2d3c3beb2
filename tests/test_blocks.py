"""Stage 2 (`dockerqa._blocks`): labels found from a paragraph's head are the labels the
whole paragraph gives."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dockerqa
from dockerqa._blocks import _label_of, _md, split, text_blocks
from dockerqa._text import decode_inline

#: Pieces of label paragraphs, and the inline Markdown that could change where a label ends.
PIECES = ["**", "__", "*", "_", ":", " ", "  ", "\n", "`", "``", "[", "]", "(x)", "\\", "\\*",
          "&amp;", "&#42;", "~~", "<", ">", "!", "Answer", "Why `x`", "Follow-up", "a", "b c",
          ":**", "**:", "***", "___", "é", "-", "."]  # fmt: skip


_OPENING_BOLD = re.compile(
    r"<p><strong>(?P<label>(?:(?!</strong>).)*)</strong>(?P<after>.*)</p>\n", re.S
)


def _reference(content: str, env: dict[str, object]) -> str | None:
    """The label the whole paragraph gives, read from markdown-it's HTML of it (what
    `_label_of` must agree with): bold text, plain or code only, that opens the paragraph and
    ends with a colon or is followed by one (or by nothing)."""
    m = _OPENING_BOLD.fullmatch(_md.render(content, env))
    if m is None:
        return None
    inner = m.group("label").replace("<code>", "").replace("</code>", "")
    if "<" in inner or "\n" in inner:  # other markup, or a line break, inside the bold
        return None
    label = html.unescape(inner).strip()  # labels are text: entities decoded, as the parser does
    if label.endswith(":"):
        return decode_inline(label[:-1].strip())
    if m.group("after").startswith(":") or not m.group("after"):
        return decode_inline(label)
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14))
def test_label_from_the_head_is_the_label_of_the_whole_paragraph(pieces: list[str]) -> None:
    text = "".join(pieces)
    for opener in ("**", "__"):
        env: dict[str, object] = {}
        tokens, _, found = split((opener + text).split("\n"), env)
        for i, _, _ in found:
            if tokens[i].type == "paragraph_open":
                assert _label_of(tokens, i, env) == _reference(tokens[i + 1].content, env)


def test_labels_the_corpus_uses() -> None:
    cases = {
        "**Answer:** Containers share the host kernel.": "Answer",
        "**Answer**: Containers share the host kernel.": "Answer",
        "**Why `COPY` is preferred**: the docs say so.": "Why COPY is preferred",
        "**Follow-up chain:**": "Follow-up chain",
        "**Bold** opening, no label.": None,
        "**Answer**\nnext line": None,
        "**Answer:**text": None,
    }
    for text, expected in cases.items():
        env: dict[str, object] = {}
        tokens, _, found = split(text.split("\n"), env)
        assert _label_of(tokens, found[0][0], env) == expected, text


def test_field_blocks_are_the_blocks_the_renderer_sees(corpus: dockerqa.Library) -> None:
    """One Markdown reading: the blocks the study rules and the cheat sheet cut fields into
    (`text_blocks`) are the top-level blocks the renderer draws, for every corpus field."""
    from dockerqa.render import _MD

    checked = 0
    for q in corpus:
        for text in q.text_fields().values():
            drawn = [t.type for t in _MD.parse(text) if t.level == 0 and t.nesting >= 0]
            assert [b.kind for b in text_blocks(text)] == [
                k.removesuffix("_open") for k in drawn
            ], (q.id, text[:80])
            checked += 1
    assert checked > 300


@pytest.mark.parametrize(
    ("markdown", "kinds"),
    [
        ("- a\n\n1. b", ["bullet_list", "ordered_list"]),  # two lists, not one
        ("1. a\n\n   ```sh\n   ls\n\n   ```\n2. b", ["ordered_list"]),  # a fence in an item
        ("::: note\n- a\n\n```\nx\n```\n:::\n\nAfter.", ["container_callout", "paragraph"]),
        ("**Label:**\n4. not a list", ["paragraph"]),  # 4. cannot interrupt a paragraph
        ("| a |\n|---|\n| b |\n\nText.", ["table", "paragraph"]),
    ],
)
def test_field_block_kinds(markdown: str, kinds: list[str]) -> None:
    blocks = text_blocks(markdown)
    assert [b.kind for b in blocks] == kinds
    assert "\n\n".join(b.text for b in blocks).split() == markdown.split()
