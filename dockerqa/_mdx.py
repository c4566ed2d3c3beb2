"""Stage 1: page bytes → text → a tree of MDX components and Markdown runs.

The only place that matches component tags by pattern. Fenced code is skipped, so tags inside
code stay code. The scan is one pass over the lines with an explicit stack; nesting deeper than
`MAX_NESTING` is a `ParseError` (as markdown-it caps ``maxNesting``), so no later stage can
recurse deeper than that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from dockerqa.errors import ParseError
from dockerqa.model import Diagnostic

#: How deep components may nest (``<AccordionGroup>`` → ``<Accordion>`` → ``<Note>`` is 3).
MAX_NESTING = 32

_TAG_OPEN = re.compile(
    r"""^(\s*)<([A-Z][A-Za-z0-9]*)((?:\s+[A-Za-z_][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}]*\}))?)*)"""
    r"\s*(/?)>\s*$"
)
_TAG_CLOSE = re.compile(r"^(\s*)</([A-Z][A-Za-z0-9]*)\s*>\s*$")
_ATTR = re.compile(r"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^}]*)\})""")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
#: C0 controls other than tab and newline (CR is a line ending and is gone by then).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


@dataclass
class Run:
    """Markdown lines ``[start, end)`` (0-based, absolute)."""

    start: int
    end: int


@dataclass
class Component:
    """An MDX component: its tag, attributes, lines and children in source order."""

    name: str
    attrs: dict[str, str]
    open_line: int
    column: int
    close_line: int = -1
    children: list[Run | Component] = field(default_factory=list)
    #: how many component levels it holds below itself (0 when it holds none)
    height: int = 0
    #: whether an ``<Accordion>`` stands anywhere inside it
    has_accordion: bool = False


def decode(data: bytes | str, file: str) -> tuple[str, list[Diagnostic]]:
    """The page as text with ``\\n`` line ends, without a BOM or C0 control characters.

    Each line that had control characters gets a ``control-character`` diagnostic (Anki uses
    U+001F to separate fields, so such a character would break a deck).
    """
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            raise ParseError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", file, line, column
            ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    diagnostics: list[Diagnostic] = []
    if _CONTROL.search(text) is None:
        return text, diagnostics
    lines = text.split("\n")
    for i, row in enumerate(lines):
        m = _CONTROL.search(row)
        if m is not None:
            names = ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(row)}))
            message = f"control character {names} removed (first at column {m.start() + 1})"
            diagnostics.append(
                Diagnostic(file=file, line=i + 1, code="control-character", message=message)
            )
            lines[i] = _CONTROL.sub("", row)
    return "\n".join(lines), diagnostics


def _parse_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(raw or ""):
        value = next(v for v in m.groups()[1:] if v is not None)
        attrs[m.group(1)] = value
    return attrs


def _close(parent: Component, child: Component) -> None:
    parent.height = max(parent.height, child.height + 1)
    parent.has_accordion = parent.has_accordion or child.has_accordion or child.name == "Accordion"


def scan(lines: Sequence[str], first: int, file: str) -> Component:
    """The component tree of ``lines[first:]``; its root spans the whole page."""
    root = Component("#root", {}, first - 1, 1, close_line=len(lines))
    stack = [root]
    fence: tuple[str, int] | None = None
    run_start: int | None = None

    def flush(upto: int) -> None:
        nonlocal run_start
        if run_start is not None and upto > run_start:
            stack[-1].children.append(Run(run_start, upto))
        run_start = None

    for i in range(first, len(lines)):
        line = lines[i]
        fm = FENCE.match(line)
        if fence is not None:
            closes = fm and fm.group(2)[0] == fence[0] and len(fm.group(2)) >= fence[1]
            if closes and fm and not fm.group(3).strip():
                fence = None
        elif fm and not (fm.group(2)[0] == "`" and "`" in fm.group(3)):
            fence = (fm.group(2)[0], len(fm.group(2)))
        else:
            om, cm = _TAG_OPEN.match(line), _TAG_CLOSE.match(line)
            if om:
                flush(i)
                comp = Component(om.group(2), _parse_attrs(om.group(3)), i, len(om.group(1)) + 1)
                stack[-1].children.append(comp)
                if om.group(4):  # self-closing
                    comp.close_line = i
                    _close(stack[-1], comp)
                elif len(stack) > MAX_NESTING:
                    raise ParseError(
                        f"<{comp.name}> is nested more than {MAX_NESTING} components deep",
                        file,
                        i + 1,
                        comp.column,
                    )
                else:
                    stack.append(comp)
                continue
            if cm:
                flush(i)
                name = cm.group(2)
                if stack[-1] is root:
                    raise ParseError(f"</{name}> closes nothing", file, i + 1, len(cm.group(1)) + 1)
                top = stack[-1]
                if top.name != name:
                    raise ParseError(
                        f"<{top.name}> (line {top.open_line + 1}) is not closed before </{name}>",
                        file,
                        i + 1,
                        len(cm.group(1)) + 1,
                    )
                top.close_line = i
                stack.pop()
                _close(stack[-1], top)
                continue
        if run_start is None:
            run_start = i
    flush(len(lines))
    if len(stack) > 1:
        top = stack[-1]
        raise ParseError(f"<{top.name}> is never closed", file, top.open_line + 1, top.column)
    return root


def accordions(root: Component) -> Iterator[Component]:
    """Every ``<Accordion>`` of the tree in source order (not those inside an accordion)."""
    pending: list[Run | Component] = list(reversed(root.children))
    while pending:
        node = pending.pop()
        if isinstance(node, Component):
            if node.name == "Accordion":
                yield node
            else:
                pending.extend(reversed(node.children))
