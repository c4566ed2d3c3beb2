"""The note type's contract with genanki and the ``.apkg`` writer's equivalence with genanki's."""

from __future__ import annotations

import genanki

from dockerqa.exporters.anki import _apkg, notetypes


def test_required_fields_given_to_genanki_are_what_it_would_compute() -> None:
    # The note type carries each card's required field (its gate) instead of letting genanki
    # render every template once per field to find it.
    computed = genanki.Model(**notetypes._note_type_arguments())._req
    assert notetypes._note_type()._req == computed
    assert len(computed) == len(notetypes._templates()) == len(notetypes.CARD_GATES)
    row = notetypes._row_note_type()
    computed = genanki.Model(
        model_id=row.model_id, name=row.name, fields=row.fields, templates=row.templates
    )._req
    assert row._req == computed == [[0, "all", [0]]]


def test_package_is_written_as_genanki_writes_it() -> None:
    # `_write_package` keeps genanki's statements and values (so the bytes stay the same) but
    # encodes each deck once; compared on a package of many decks sharing the note type.
    import sqlite3

    model = notetypes._note_type()
    decks = []
    for d in range(40):
        deck = genanki.Deck(2_000_000_000 + d, f"Root::Section {d} · “quoted”")
        for n in range(3):
            fields = [""] * len(notetypes.FIELDS)
            fields[0], fields[3] = f"id-{d}-{n}", f"Prompt {d}.{n} <b>é</b>"
            deck.add_note(genanki.Note(model=model, fields=fields, guid=f"g{d}-{n}"))
        decks.append(deck)
    package = genanki.Package(decks)
    databases = []
    for write in (genanki.Package.write_to_db, _apkg._write_package):
        conn = sqlite3.connect(":memory:")
        write(package, conn.cursor(), 1_700_000_000, iter(range(10**9, 10**10)))
        conn.commit()
        databases.append(conn.serialize())
        conn.close()
    assert databases[0] == databases[1]
