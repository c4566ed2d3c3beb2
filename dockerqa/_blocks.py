"""Stage 2: the Markdown runs of a component → top-level blocks, each with its label.

Runs are tokenized with markdown-it-py (whose own nesting is capped by its preset). A block
runs from its first line to the next block's first line, so no line is left out. A paragraph
that opens with ``**Label:**`` or ``**Label**:`` carries that label; list blocks carry the
source text of their items with the markers removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from dockerqa._mdx import FENCE, Component
from dockerqa._text import decode_inline

#: A list item's marker as the block stage reads it (group 2), with the blanks after it.
LIST_MARKER = re.compile(r"^(\s*)(\d{1,9}[.)]|[*+-])(\s+|$)")
#: A label as written at the start of a paragraph or list item: ``**Label:**``, ``**Label**:``.
LABEL_SOURCE = re.compile(r"^(\*\*|__)(.+?)\1\s*:?\s*")

_Parser = TypeVar("_Parser", bound=MarkdownIt)


def markdown(cls: type[_Parser], **options: Any) -> _Parser:
    """A ``cls`` (`MarkdownIt` or a subclass) reading the pages' Markdown dialect, the one the
    parser, the study rules and the renderer share: CommonMark with tables and strikethrough,
    raw HTML read as text. ``options`` go to ``cls`` (a renderer class, say)."""
    parser = cls("commonmark", {"html": False}, **options)
    parser.enable(["table", "strikethrough"])
    return parser


_md = markdown(MarkdownIt)
#: Block structure only: inline Markdown is parsed for the few paragraphs that may open with a
#: label (`_label_of`), not for every paragraph of the page (most of markdown-it's time).
_md_blocks = markdown(MarkdownIt).disable("inline")
#: A field's Markdown as the parser leaves it (callouts are ``:::`` containers): blocks only.
_md_text = (
    markdown(MarkdownIt)
    .use(container_plugin, name="callout", validate=lambda params, markup: True)
    .disable("inline")
)


@dataclass
class Block:
    """One top-level Markdown block (or component) of a region, already cleaned."""

    text: str
    line: int  # 1-based absolute line of its first source line
    label: str | None = None  # label as written, no colon
    rest: str = ""  # the paragraph text after its label
    list_items: list[str] = field(default_factory=list)  # a list's items, markers removed
    component: Component | None = None
    kind: str = ""  # markdown-it's name for it: paragraph, bullet_list, fence, table, …
    items: list[str] = field(default_factory=list)  # a list's items as written, with markers


def indent(line: str) -> int:
    """Width of a line's leading blanks."""
    return len(line) - len(line.lstrip(" \t"))


def _clean_lines(lines: list[str], tokens: list[Token]) -> list[str]:
    """Drop fence meta (``theme={null}``) and decode escapes outside fenced code."""
    code: set[int] = set()
    out = list(lines)
    for tok in tokens:
        if tok.type == "fence" and tok.map:
            start, end = tok.map
            fm = FENCE.match(out[start])
            if fm:
                lang = fm.group(3).strip().split(" ")[0] if fm.group(3).strip() else ""
                out[start] = f"{fm.group(1)}{fm.group(2)}{lang}"
            code.update(range(start, end))
        elif tok.type == "code_block" and tok.map:
            code.update(range(*tok.map))
    i = 0
    while i < len(out):
        if i in code:
            i += 1
            continue
        j = i
        while j < len(out) and j not in code:
            j += 1
        out[i:j] = decode_inline("\n".join(out[i:j])).split("\n")
        i = j
    return out


def _label_of(tokens: list[Token], first: int, env: dict[str, object]) -> str | None:
    """The label of a paragraph starting ``**Label:**`` or ``**Label**:``, if it has one."""
    if tokens[first].type != "paragraph_open":
        return None
    content = tokens[first + 1].content
    if not content.startswith(("**", "__")):
        return None
    head = _LABEL_HEAD.match(content)
    if head is not None:  # a plain label: its own text decides (see `_LABEL_HEAD`)
        children: list[Token] = []
        _md.inline.parse(head.group(0), _md, env, children)  # no escapes: text_join not needed
        label = _label_in(children)
        if label is not None:
            return label
    return _label_in(_md.parseInline(content, env)[0].children or [])


#: A paragraph's head that decides a label found in it on its own: ``**`` (or ``__``), text
#: with no character inline Markdown gives a meaning to, the closing run and one character.
#: Parsing only the head finds the same label as parsing the whole paragraph (nothing in it
#: can pair with anything after it); when it finds none, the whole paragraph is parsed.
_LABEL_HEAD = re.compile(r"(?:\*\*[^`\[\]<>*_!\\&~\n]+?\*\*+|__[^`\[\]<>*_!\\&~\n]+?__+).?", re.S)


def _label_in(tokens: list[Token]) -> str | None:
    children = [c for c in tokens if c.type != "text" or c.content]
    if len(children) < 3 or children[0].type != "strong_open":
        return None
    inner: list[str] = []
    k = 1
    while k < len(children) and children[k].type != "strong_close":
        if children[k].type not in ("text", "code_inline"):
            return None
        inner.append(children[k].content)
        k += 1
    if k >= len(children):
        return None
    label = "".join(inner).strip()
    after = children[k + 1].content if k + 1 < len(children) else ""
    if label.endswith(":"):
        return decode_inline(label[:-1].strip())
    if after.startswith(":") or (not after and k + 1 == len(children)):
        return decode_inline(label)
    return None


def strip_label(text: str) -> str:
    """The text after a leading ``**Label:**``."""
    m = LABEL_SOURCE.match(text)
    return text[m.end() :].strip() if m else text


def _item_lines(lines: list[str], tokens: list[Token], open_index: int) -> list[list[str]]:
    """Source lines of each item of the list opening at ``tokens[open_index]``."""
    found: list[list[str]] = []
    level = tokens[open_index].level + 1
    for k in range(open_index + 1, len(tokens)):
        tok = tokens[k]
        if tok.level < level:
            break
        if tok.type == "list_item_open" and tok.level == level and tok.map:
            found.append(lines[tok.map[0] : tok.map[1]])
    return found


def _list_items(lines: list[str], tokens: list[Token], open_index: int) -> list[str]:
    """Source text of each item of the list opening at ``tokens[open_index]``, markers removed."""
    items: list[str] = []
    for src in _item_lines(lines, tokens, open_index):
        if src:
            m = LIST_MARKER.match(src[0])
            width = m.end() if m and m.group(3) else (len(m.group(0)) + 1 if m else 0)
            body = [src[0][width:]] + [
                ln[width:] if indent(ln) >= width else ln.lstrip() for ln in src[1:]
            ]
            items.append("\n".join(body).strip())
    return items


def split(
    raw: list[str],
    env: dict[str, object] | None = None,
    *,
    clean: bool = True,
    md: MarkdownIt = _md_blocks,
) -> tuple[list[Token], list[str], list[tuple[int, int, str]]]:
    """Tokenize Markdown lines into blocks (inline tokens are not parsed); return the tokens,
    the cleaned lines and, for each top-level block, its opening token's index, its first line
    and its cleaned source text. ``env`` collects the link references defined; ``clean=False``
    reads lines that are clean already.

    A block runs to the next block's first line, so no line is left out.
    """
    tokens = md.parse("\n".join(raw), {} if env is None else env)
    lines = _clean_lines(raw, tokens) if clean else raw
    tops = [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting >= 0 and t.map]
    starts = [tokens[i].map[0] for i in tops]  # type: ignore[index]
    ends = [*starts[1:], len(lines)] if starts else []
    blocks = [
        (i, start, "\n".join(lines[start:end]).strip("\n"))
        for i, start, end in zip(tops, starts, ends, strict=True)
    ]
    return tokens, lines, blocks


def _found_blocks(
    raw: list[str], first_line: int, *, clean: bool = True, md: MarkdownIt = _md_blocks
) -> list[Block]:
    """The blocks of Markdown lines whose first line is ``first_line`` (1-based)."""
    env: dict[str, object] = {}
    tokens, lines, found = split(raw, env, clean=clean, md=md)
    out: list[Block] = []
    for i, start, text in found:
        block = Block(text, first_line + start, kind=tokens[i].type.removesuffix("_open"))
        block.label = _label_of(tokens, i, env)
        if block.label is not None:
            block.rest = strip_label(text)
        if tokens[i].type in ("bullet_list_open", "ordered_list_open"):
            block.list_items = _list_items(lines, tokens, i)
            block.items = ["\n".join(src).rstrip() for src in _item_lines(lines, tokens, i)]
        out.append(block)
    return out


def text_blocks(markdown: str) -> list[Block]:
    """The top-level blocks of a field's Markdown, read as the parser reads a page: each with
    its kind, its source text (to the next block; joined by blank lines they give the text
    back), its label, and a list's items. Callouts (``:::`` containers) are one block each."""
    return _found_blocks(markdown.strip("\n").split("\n"), 1, clean=False, md=_md_text)


_BOLD_ONLY = re.compile(r"^(\*\*|__)(?:(?!\1).)+\1\s*:?$", re.S)


def is_lead_in(block: Block) -> bool:
    """Whether a block only introduces what follows: a paragraph that ends with a colon (bold
    aside: ``**Key details:**``, ``Practical usage:``) or is bold text alone."""
    if block.kind != "paragraph":
        return False
    text = block.text.strip()
    return text.rstrip("*_ ").endswith(":") or bool(_BOLD_ONLY.match(text))


def reblock(text: str, line: int) -> list[Block]:
    """The blocks of a text read on its own: the rest of a labelled paragraph whose next lines
    are a list CommonMark can't start inside a paragraph (``**Label:**`` then ``4. item``)."""
    return _found_blocks(text.split("\n"), line, clean=False) if text else []


def blocks(lines: Sequence[str], region: Component) -> list[Block]:
    """The blocks of a component's content, dedented and cleaned; child components are
    blocks of their own."""
    first, last = region.open_line + 1, region.close_line
    body = [ln for ln in lines[first:last] if ln.strip()]
    width = min((indent(ln) for ln in body), default=0)
    out: list[Block] = []
    for child in region.children:
        if isinstance(child, Component):
            out.append(Block("", child.open_line + 1, component=child))
            continue
        raw = [
            ln[width:] if indent(ln) >= width else ln.lstrip()
            for ln in lines[child.start : child.end]
        ]
        out += _found_blocks(raw, child.start + 1)
    return out
