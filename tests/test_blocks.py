"""Stage 2 (`dockerqa._blocks`): labels found from a paragraph's head are the labels the
whole paragraph gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerqa._blocks import _label_in, _label_of, _md, split

#: Pieces of label paragraphs, and the inline Markdown that could change where a label ends.
PIECES = ["**", "__", "*", "_", ":", " ", "  ", "\n", "`", "``", "[", "]", "(x)", "\\", "\\*",
          "&amp;", "&#42;", "~~", "<", ">", "!", "Answer", "Why `x`", "Follow-up", "a", "b c",
          ":**", "**:", "***", "___", "é", "-", "."]  # fmt: skip


def _reference(content: str, env: dict[str, object]) -> str | None:
    """The label the whole paragraph gives (what `_label_of` must agree with)."""
    return _label_in(_md.parseInline(content, env)[0].children or [])


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
