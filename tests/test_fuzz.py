"""Random edits of the corpus raise nothing but ParseError."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockerqa
from conftest import CORPUS

TEXT = CORPUS.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
TOKENS = ["<Accordion", "</Accordion>", "<AccordionGroup>", "</AccordionGroup>", "<Note>",
          "</Note>", "**Answer**:", "```", "~~~", "## ", "1. ", "* ", '"', "&#123;", "\\", "\t",
          "**Follow-up chain:**", '*"', "(", ")", "---", "<", ">", "\ufeff", "\r"]  # fmt: skip


@st.composite
def edited_corpus(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=20)))
        if op == "delete":
            del lines[i]
        elif op == "insert":
            lines.insert(i, piece)
        elif op == "replace":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + piece + lines[i][at:]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines = lines[: max(i, 1)]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_corpus())
def test_random_edits_raise_only_parse_error(text: str) -> None:
    try:
        library = dockerqa.loads(text, file="corpus/docker.mdx")
    except dockerqa.ParseError as exc:
        assert exc.line >= 1 and exc.column >= 1
    else:
        assert len(library) >= 1


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_parse_error(data: bytes) -> None:
    with contextlib.suppress(dockerqa.ParseError):
        dockerqa.loads(data)
