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

from dockerqa._text import not_utf8
from dockerqa.errors import ParseError
from dockerqa.model import Diagnostic

#: How deep components may nest (``<AccordionGroup>`` → ``<Accordion>`` → ``<Note>`` is 3).
MAX_NESTING = 32

#: A JavaScript string literal's escape (``\n``, ``\x41``, ``\u0041``, ``\u{1F433}``, ``\"``).
_JS_ESCAPE = r"\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[^ux\n])"
#: A JavaScript string literal: in double or single quotes, or in backticks without ``${…}``.
_JS_STRING = (
    rf"""(?:"(?:[^"\\\n]|{_JS_ESCAPE})*"|'(?:[^'\\\n]|{_JS_ESCAPE})*'"""
    rf"""|`(?:[^`\\$]|\$(?!\{{)|{_JS_ESCAPE})*`)"""
)
#: A template literal with substitutions (``${x}``, one level of braces in each).
_JS_TEMPLATE = rf"`(?:[^`\\$]|\$(?!\{{)|\$\{{[^{{}}]*\}}|{_JS_ESCAPE})*`"
#: An attribute value in braces (an MDX expression); braces inside its strings and templates,
#: and one level of braces inside it (``{{a: 1}}``), don't end it; a quote that nothing closes
#: is a character (``{it's}``). Atomic, and a quote is either one or the other, so a hostile
#: line costs linear time.
_BRACED = (
    rf"""\{{(?>[^{{}}"'`]+|{_JS_STRING}|{_JS_TEMPLATE}|\{{[^{{}}]*\}}"""
    r"""|"(?![^"]*")|'(?![^']*')|`(?![^`]*`))*\}"""
)
_TAG_OPEN = re.compile(
    rf"""^(\s*)<([A-Z][A-Za-z0-9]*)((?:\s+[A-Za-z_][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|{_BRACED}))?)*)"""
    r"\s*(/?)>\s*$"
)
_TAG_CLOSE = re.compile(r"^(\s*)</([A-Z][A-Za-z0-9]*)\s*>\s*$")
_ATTR = re.compile(rf"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|({_BRACED}))""")
#: An expression that is only a string literal, with the literal's text between its quotes.
_LITERAL = re.compile(rf"\{{\s*({_JS_STRING})\s*\}}")
_ESCAPE = re.compile(_JS_ESCAPE)
#: What a one-character escape stands for (any other character stands for itself).
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
#: Attributes read as text (the rest are kept as written and never used).
TEXT_ATTRIBUTES = frozenset({"title"})
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
            why = not_utf8(data, exc.start)
            if why.endswith("UTF-16)"):
                raise ParseError(f"{why}; save it as UTF-8", file, 1, 1) from None
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            raise ParseError(why, file, line, column) from None
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


def _unescape(m: re.Match[str]) -> str:
    escape = m.group()[1:]
    if escape[0] == "u":
        code = int(escape[1:].strip("{}"), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    if escape[0] == "x":
        return chr(int(escape[1:], 16))
    return _ESCAPED.get(escape, escape)


def js_string(expression: str) -> str | None:
    """The text of an MDX attribute expression that is one JavaScript string literal
    (``{"X?"}``, ``{'it\\'s'}``, ``{`X`}``), or None for any other expression.

    Escapes are decoded (a surrogate pair gives its character, a lone surrogate U+FFFD); a
    control character the escapes make becomes a space, as decoding the page removes them.
    """
    m = _LITERAL.fullmatch(expression)
    if m is None:
        return None
    text = _ESCAPE.sub(_unescape, m.group(1)[1:-1])
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _CONTROL.sub(" ", text.replace("\n", " ").replace("\t", " ").replace("\x7f", " "))


def _parse_attrs(raw: str, component: str, file: str, line: int, column: int) -> dict[str, str]:
    """The attributes of a tag; ``raw`` starts at ``column`` (1-based) of ``line``.

    A value in braces is an MDX expression: one string literal reads as its text; anything
    else is kept as written, and is a `ParseError` for an attribute read as text.
    """
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(raw or ""):
        name, braced = m.group(1), m.group(4)
        if braced is None:
            attrs[name] = m.group(2) if m.group(2) is not None else m.group(3)
            continue
        text = js_string(braced)
        if text is None and name in TEXT_ATTRIBUTES:
            raise ParseError(
                f"<{component}> {name}={braced}: MDX expressions are not evaluated; "
                f'write the text itself: {name}="…" (or {name}={{"…"}})',
                file,
                line,
                column + m.start(),
            )
        attrs[name] = text if text is not None else braced[1:-1]
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
                attrs = _parse_attrs(om.group(3), om.group(2), file, i + 1, om.start(3) + 1)
                comp = Component(om.group(2), attrs, i, len(om.group(1)) + 1)
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
