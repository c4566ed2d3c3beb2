"""Print README's table of the forms the parser understands, generated from its rule tables.

    python scripts/grammar.py            # the Markdown README shows
    python scripts/grammar.py --write    # rewrite that part of README.md

Every row of `LABEL_RULES`, `FOLLOW_UP_FORMS`, the role tables (`SENIOR_STAFF_ROLES`,
`WEAK_STRONG_ROLES`) and `TITLE_FORMS` appears with its first example,
so the documentation can't drift from what the parser does (tests/test_docs.py checks it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dockerqa._document import TITLE_FORMS
from dockerqa._fields import FOLLOW_UP_FORMS, LABEL_RULES, SENIOR_STAFF_ROLES, WEAK_STRONG_ROLES

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- grammar: start -->", "<!-- grammar: end -->"


def _code(text: str) -> str:
    """Inline code for a table cell (line breaks shown as ⏎, pipes escaped)."""
    shown = text.replace("\n", " ⏎ ").replace("|", "\\|")
    fence = "``" if "`" in shown else "`"
    pad = " " if "`" in shown else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def markdown() -> str:
    rows = ["| label (first match wins) | example | goes to |", "|---|---|---|"]
    for rule in LABEL_RULES:
        where = rule.target.replace("_", " ") + (" (label kept)" if rule.keeps_label else "")
        if rule.then:
            where += f", then {rule.then}"
        rows.append(f"| {rule.name} | {_code(f'**{rule.examples[0]}:**')} | {where} |")
    rows += ["", "| follow-up form (first match wins) | example | question / answer |"]
    rows.append("|---|---|---|")
    for form in FOLLOW_UP_FORMS:
        item, question, answer = next((e for e in form.examples if e[2]), form.examples[0])
        shown = f"{_code(question)} / {_code(answer) if answer else '—'}"
        rows.append(f"| {form.name} | {_code(item)} | {shown} |")
    rows += ["", "| lead-in of an item (first match wins) | example | goes to |", "|---|---|---|"]
    for where, roles in (
        ("in a `Senior vs Staff perspective` note", SENIOR_STAFF_ROLES),
        ("after the weak vs strong label", WEAK_STRONG_ROLES),
    ):
        for role in roles:
            item, text = role.examples[0]
            goes = f"{role.target.replace('_', ' ')}: {_code(text)}"
            rows.append(f"| {role.name}, {where} | {_code(f'* {item}')} | {goes} |")
    rows += ["", "| title form (first match wins) | example | number, title |", "|---|---|---|"]
    for title in TITLE_FORMS:
        written, number, rest = title.examples[0]
        rows.append(f"| {title.name} | {_code(written)} | {number or '—'}, {_code(rest)} |")
    return "\n".join(rows) + "\n"


def readme_part(text: str) -> str:
    """What README holds between the grammar markers."""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def main() -> int:
    table = markdown()
    if "--write" not in sys.argv[1:]:
        print(table, end="")
        return 0
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    README.write_text(f"{head}{START}\n{table}{END}{rest.split(END, 1)[1]}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
