"""Every term reaches the store through pyoxigraph's own checks, never as pasted text (issue 11,
class 2): an IRI holding ``>`` and a newline once added a fake loan through the staging
N-Quads file. The quads are made by hand here, so the store is tested on its own, whatever the
stages before it let through."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from dealgraph.errors import StoreError
from dealgraph.store import COMPLETE, memory_store, open_store, ox_quads, to_ox_quad, write_store

EX = "http://example.org/"
S, P, G = URIRef(EX + "s"), URIRef(EX + "p"), URIRef(EX + "g")
LEGIT = (S, P, Literal("legit"), G)

# What the document id did: close the IRI, finish the quad, write a whole fake one.
INJECTION = (EX + "doc/x> <" + EX + "p> \"x\" <" + EX + "g> .\n"
             "<" + EX + "apple> <" + EX + "lends-to> <" + EX + "nvidia> <" + EX + "g> .\n<" + EX + "y")

HOSTILE_IRIS = {
    "injection": INJECTION,
    "angle": EX + "a>b",
    "newline": EX + "a\nb",
    "carriage-return": EX + "a\rb",
    "space": EX + "a b",
    "quote": EX + 'a"b',
    "backslash": EX + "a\\u0020b",
    "brace": EX + "{a}",
    "nul": EX + "a\x00b",
    "escape-sequence": EX + "\x1b]0;owned\x07",
    "relative": "doc/x",
    "empty": "",
}


def with_iri(position: str, iri: str) -> tuple:
    s, p, o, g = LEGIT
    bad = URIRef(iri)
    return {"subject": (bad, p, o, g), "predicate": (s, bad, o, g), "object": (s, p, bad, g),
            "graph": (s, p, o, bad), "datatype": (s, p, Literal("1", datatype=bad), g)}[position]


def stored(root: Path) -> set[ox.Quad]:
    db = open_store(root, read_only=True)
    try:
        return set(db.ox.quads_for_pattern(None, None, None))
    finally:
        db.close()
        del db
        gc.collect()


@pytest.fixture
def store(tmp_path) -> Path:
    root = tmp_path / "store"
    write_store([LEGIT], root)
    return root


@pytest.mark.parametrize("position", ["subject", "predicate", "object", "graph", "datatype"])
@pytest.mark.parametrize("iri", HOSTILE_IRIS.values(), ids=HOSTILE_IRIS.keys())
def test_an_iri_that_is_not_one_is_refused_in_one_line_and_the_store_is_untouched(store, position, iri):
    if position == "datatype" and not iri:
        pytest.skip("rdflib reads an empty datatype as none: a plain literal, rightly stored")
    link, before = os.readlink(store / "current"), stored(store)
    with pytest.raises(StoreError) as exc:
        write_store([LEGIT, with_iri(position, iri)], store)
    message = str(exc.value)
    assert message.startswith("cannot store the IRI ")
    assert message.isprintable() and len(message) < 400  # one line, bounded, control characters shown escaped
    assert os.readlink(store / "current") == link and stored(store) == before
    assert sorted(p.name for p in store.glob("v-*")) == [link]  # nothing half-written left behind
    with pytest.raises(StoreError, match="cannot store the IRI"):
        memory_store([with_iri(position, iri)])


def test_the_injected_loan_never_reaches_the_store(tmp_path):
    """The attack of the issue, end to end: refused, and no build of it leaves a single quad."""
    root = tmp_path / "store"
    with pytest.raises(StoreError, match=r"cannot store the IRI '.*\\n"):  # the newline shown escaped
        write_store([LEGIT, (URIRef(INJECTION), P, Literal("t"), G)], root)
    with pytest.raises(StoreError, match="no store"):
        open_store(root)


@pytest.mark.parametrize(
    ("tag", "accepted"),
    [("en", True), ("fr-CA", True), ("en\n<x>", False), ("e n", False), ("en>", False), ("x" * 200, False)],
    ids=["en", "region", "newline", "space", "angle", "overlong"],
)
def test_a_language_tag_is_checked_by_the_store_itself(tag, accepted):
    """rdflib refuses most bad tags when a Literal is made (not an overlong one); the store
    must not rely on whoever made the term."""
    literal = Literal("bonjour")
    literal._language = tag  # as a term made some other way could carry it
    if accepted:
        assert to_ox_quad(S, P, literal, G).object.language.lower() == tag.lower()
        return
    with pytest.raises(StoreError, match="cannot store the language tag") as exc:
        to_ox_quad(S, P, literal, G)
    assert str(exc.value).isprintable()


@pytest.mark.parametrize(
    "quad",
    [(Literal("s"), P, Literal("o"), G), (S, Literal("p"), Literal("o"), G), (S, P, Literal("o"), Literal("g")),
     (S, P, 42, G), (S, P, None, G)],
    ids=["literal-subject", "literal-predicate", "literal-graph", "int", "none"],
)
def test_a_term_in_a_place_rdf_does_not_allow_is_refused(tmp_path, quad):
    with pytest.raises(StoreError, match="cannot store"):
        write_store([quad], tmp_path / "store")
    assert not list((tmp_path / "store").glob("v-*"))


HOSTILE_TEXT = [
    '> .\n<http://example.org/apple> <http://example.org/p> "x" <http://example.org/g> .\n',
    'a "quoted" \\ backslash',
    "line\nbreak\r\n and tab\t",
    "\x00\x1b[2J\x07",
    "ünïcödé 😀 \u2028\u2029",
    "\\u003e \\n",  # escapes as text, not to be unescaped
    "",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_literal_text_is_stored_verbatim(tmp_path, text):
    quads = [LEGIT, (S, P, Literal(text), G), (S, P, Literal(text, lang="en"), G),
             (S, P, Literal(text, datatype=URIRef(EX + "type")), G)]
    root = tmp_path / "store"
    write_store(quads, root)
    assert stored(root) == {to_ox_quad(*q) for q in quads}
    assert {q.object.value for q in stored(root)} == {"legit", text}


def test_pyoxigraph_quads_are_stored_as_they_are_beside_rdflib_ones(tmp_path):
    """The build hands in pyoxigraph quads (checked when they were made), read once from an
    iterator; rdflib quads are still converted and checked."""
    made = ox.Quad(ox.NamedNode(EX + "s2"), ox.NamedNode(EX + "p"), ox.Literal("bonjour", language="fr"),
                   ox.NamedNode(EX + "g"))
    root = tmp_path / "store"
    write_store(iter([LEGIT, made]), root)
    assert stored(root) == {to_ox_quad(*LEGIT), made}
    assert set(memory_store([made, LEGIT]).ox.quads_for_pattern(None, None, None)) == {to_ox_quad(*LEGIT), made}
    with pytest.raises(StoreError, match="cannot store the IRI"):  # a bad rdflib quad after a good one
        write_store(iter([made, with_iri("subject", INJECTION)]), root)
    assert stored(root) == {to_ox_quad(*LEGIT), made}


# ---------------------------------------------------------------------------------------------
# Generated: whatever the text, a quad is either refused or stored exactly as given

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
# Weighted towards what N-Quads gives meaning to, so generated IRIs often hold it.
SYNTAX = st.text(st.sampled_from(list('<>"\\ \n\r\t.@^#_:/{}|`') + ["\x00", "\x1b", "ü", "😀"]), max_size=12)
SUFFIX = st.one_of(TEXT, SYNTAX, st.tuples(TEXT, SYNTAX, TEXT).map("".join))


def roundtrip(quads: list[tuple]) -> set[ox.Quad] | None:
    """What pyoxigraph's serializer writes for the quads, parsed back; None if refused."""
    try:
        converted = list(ox_quads(quads))
    except StoreError as exc:
        assert str(exc).isprintable()
        return None
    text = ox.serialize(converted, format=ox.RdfFormat.N_QUADS)
    assert text.count(b"\n") == len(converted)  # one line per quad, whatever the text held
    return set(ox.parse(text, format=ox.RdfFormat.N_QUADS))


@settings(max_examples=400, deadline=None)
@given(iri=SUFFIX, text=TEXT, position=st.sampled_from(["subject", "predicate", "object", "graph", "datatype"]))
def test_generated_terms_are_refused_or_kept_exactly(iri, text, position):
    quads = [(S, P, Literal(text), G), with_iri(position, EX + iri)]
    back = roundtrip(quads)
    if back is None:
        with pytest.raises(StoreError):
            memory_store(quads)
        return
    assert back == {to_ox_quad(*q) for q in quads}  # nothing added, nothing changed
    assert EX + iri in {t.value for q in back for t in (q.subject, q.predicate, q.object, q.graph_name)} | {
        q.object.datatype.value for q in back if isinstance(q.object, ox.Literal)}
    assert memory_store(quads).quad_count() == len(back)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(iri=SUFFIX, text=TEXT)
def test_generated_quads_written_to_disk_are_refused_or_kept_exactly(tmp_path, iri, text):
    """The same through the real build path, each example a new version of one store."""
    root = tmp_path / "store"
    quads = [LEGIT, (URIRef(EX + iri), P, Literal(text), G), (S, URIRef(EX + iri), Literal(text, lang="en"), G)]
    before = stored(root) if (root / "current").exists() else None
    try:
        version = write_store(quads, root)
    except StoreError as exc:
        assert str(exc).startswith("cannot store the IRI") and str(exc).isprintable()
        assert (stored(root) if before is not None else None) == before
        return
    assert (version / COMPLETE).is_file()
    assert stored(root) == {to_ox_quad(*q) for q in quads}
