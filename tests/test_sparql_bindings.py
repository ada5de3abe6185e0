"""Query text and results, engine-free: one rule for variable names (the SPARQL VARNAME
grammar) on every path, bound values serialised and never pasted, the shape of a query read
as Oxigraph reads it, and the W3C JSON results format parsed strictly.

Oxigraph is the oracle: what `query_shape` says a query projects, and what `bind_values`
makes of bindings, is checked against what pyoxigraph parses and answers for generated
queries, values and names.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dealgraph import DealGraph, QueryError
from dealgraph.sparql import QueryResult, Term, VARNAME, bind_values, query_shape, saved_queries, sparql_literal

XSD = "http://www.w3.org/2001/XMLSchema#"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def oxigraph_accepts_name(name: str) -> bool:
    """What Oxigraph's query parser reads as one variable of that name. (Its ``Variable()``
    constructor is laxer than its parser: it takes ``:``.)"""
    try:
        return [v.value for v in ox.Store().query(f"SELECT ?{name} WHERE {{}}").variables] == [name]
    except SyntaxError:
        return False


# -- variable names: one rule --------------------------------------------------------------

@pytest.mark.parametrize(("name", "ok"), [
    ("company", True), ("_", True), ("1a", True), ("é", True), ("a\u00b7b", True), ("a\u0301", True),
    ("", False), (":", False), ("a b", False), ("a-b", False), ("?a", False), ("a.b", False), ("\u00b7a", False),
    ('company ) { ( "x" ) } #', False),  # the crafted name that returned rows for two companies
    ("company) { (\"Nvidia\") (\"OpenAI\") }\n#", False), ("a\nb", False), ("a\x1b[31m", False),
])
def test_a_variable_name_follows_the_sparql_grammar(name, ok):
    assert bool(VARNAME.fullmatch(name)) is ok
    assert oxigraph_accepts_name(name) is ok


# Oxigraph's parser refuses the grammar's supplementary-plane letters ([#x10000-#xEFFFF]) in
# names; remote engines (Jena) take them, so the rule keeps them and the oracle skips them. A
# binding named so never reaches Oxigraph: no query it parses can select that name.
BMP = st.characters(max_codepoint=0xFFFF, blacklist_categories=["Cs"])  # surrogates are no text


@SETTINGS
@given(st.text(alphabet=BMP, max_size=12))
def test_the_rule_is_the_one_oxigraph_follows(name):
    assert bool(VARNAME.fullmatch(name)) is oxigraph_accepts_name(name)


@given(st.from_regex(VARNAME, fullmatch=True).filter(lambda n: max(map(ord, n)) <= 0xFFFF))
@SETTINGS
def test_every_name_the_rule_admits_oxigraph_takes(name):
    assert oxigraph_accepts_name(name)


@pytest.fixture(scope="module")
def graph():
    return DealGraph.memory()


CRAFTED = ['company ) { ( "Nvidia" ) ( "OpenAI" ) } #', "company\n", "", "a-b", "1 2"]


@pytest.mark.parametrize("name", CRAFTED)
def test_a_crafted_name_is_refused_before_the_engine_sees_it(graph, name):
    with pytest.raises(QueryError, match="cannot bind .*: a variable name is letters, digits and _"):
        graph.query("deals-of-company", **{name: "Nvidia"})


def test_a_name_the_query_does_not_select_is_refused_with_what_it_selects(graph):
    # Oxigraph itself raised a RuntimeError (a traceback) for this
    with pytest.raises(QueryError, match=r"cannot bind \?nope: the query does not select it \(it selects \?funder"):
        graph.query("who-funds-whom", nope="1")


def test_a_value_that_utf8_cannot_carry_is_refused(graph):
    with pytest.raises(QueryError, match=r"cannot bind \?company: its value is not valid Unicode text"):
        graph.query("deals-of-company", company="Nvidia\udcff")


# -- values are serialised, never pasted ---------------------------------------------------

@SETTINGS
@given(st.text())
def test_a_serialised_literal_reads_back_as_the_same_text(value):
    """Whatever the text (quotes, backslashes, `\\u0022`, newlines, braces), Oxigraph reads the
    literal back as exactly that text, and as one term."""
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in value))
    rows = list(ox.Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {sparql_literal(value)} }} }}"))
    assert len(rows) == 1 and rows[0]["v"] == ox.Literal(value)


@pytest.fixture(scope="module")
def tiny():
    """Three labelled things in a named graph: enough for bindings to keep some rows and drop others."""
    store = ox.Store()
    g = ox.NamedNode("urn:g")
    for i, label in enumerate(["Nvidia", "OpenAI", 'Nv"} }']):
        store.add(ox.Quad(ox.NamedNode(f"urn:c{i}"), ox.NamedNode("urn:label"), ox.Literal(label), g))
        store.add(ox.Quad(ox.NamedNode(f"urn:c{i}"), ox.NamedNode("urn:rank"), ox.Literal(i), g))
    return store


def rows(store, query, substitutions=None):
    result = store.query(query, substitutions=substitutions or {}, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return sorted(repr(sorted((k.value, str(s[k])) for k in result.variables if s[k] is not None)) for s in result)


# Queries whose bindings the embedded store pre-binds; inline data at the start of the WHERE
# group must give the same rows (an appended VALUES clause would not: COUNT, FILTER).
BOUND_QUERIES = [
    ("SELECT ?c ?l WHERE { ?c <urn:label> ?l }", "l"),
    ("SELECT ?l (COUNT(*) AS ?n) WHERE { ?c <urn:label> ?l } GROUP BY ?l", "l"),
    ("SELECT ?l WHERE { ?c <urn:label> ?x FILTER(?x = ?l) }", "l"),
    ("SELECT ?l WHERE { { SELECT ?l WHERE { ?c <urn:label> ?l } } }", "l"),
    ("SELECT ?l ?r WHERE { ?c <urn:label> ?l OPTIONAL { ?c <urn:rank> ?r FILTER(STR(?l) = \"OpenAI\") } }", "l"),
    ("SELECT * WHERE { ?c <urn:label> ?l }", "l"),
    ("ASK { ?c <urn:label> ?l }", "l"),
    ("PREFIX x: <urn:> # a comment with { and }\nSELECT DISTINCT ?l WHERE { ?c x:label ?l . FILTER(?l != \"}\") }", "l"),
]


@pytest.mark.parametrize(("query", "name"), BOUND_QUERIES)
@pytest.mark.parametrize("value", ["Nvidia", 'Nv"} }', "nobody", 'x" ) } ?c ?p ?o . { VALUES ?l { "Nvidia'])
def test_inline_values_bind_as_the_embedded_store_does(tiny, query, name, value):
    expected = rows(tiny, query, {ox.Variable(name): ox.Literal(value)})
    assert rows(tiny, bind_values(query, {name: value})) == expected


@SETTINGS
@given(st.text(), st.sampled_from(BOUND_QUERIES))
def test_any_value_binds_as_the_embedded_store_does(tiny, value, case):
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in value))
    query, name = case
    expected = rows(tiny, query, {ox.Variable(name): ox.Literal(value)})
    assert rows(tiny, bind_values(query, {name: value})) == expected


def test_a_query_ending_in_its_own_values_is_not_given_a_second(tiny):
    with pytest.raises(QueryError, match="ends with its own VALUES clause"):
        bind_values('SELECT ?l WHERE { ?c <urn:label> ?l } VALUES ?l { "x" }', {"l": "Nvidia"})


# -- the shape of a query ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_projects_what_oxigraph_says(name):
    text = saved_queries()[name].text
    assert list(query_shape(text).variables) == [v.value for v in ox.Store().query(text).variables]


@pytest.mark.parametrize(("query", "form", "variables"), [
    ("ASK {}", "ASK", None),
    ("select * { ?s ?p ?o }", "SELECT", None),
    ("BASE <urn:b#(> PREFIX a: <urn:a#)> SELECT ?x WHERE { ?x a:p '}' }", "SELECT", ("x",)),
    ("SELECT (CONCAT('(', ?a, \"AS ?no\") AS ?b) ?c WHERE { ?a ?p ?c }", "SELECT", ("b", "c")),
    ("SELECT (?a<?b && ?c>?d AS ?e) WHERE { ?a ?b ?c . ?c ?b ?d }", "SELECT", ("e",)),
    ("SELECT (EXISTS { ?a ?p '}' } AS ?e) WHERE { ?a ?p ?o }", "SELECT", ("e",)),
    ("SELECT $x WHERE { $x ?p '''a\n}'''\n}", "SELECT", ("x",)),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT", None),
    ("DESCRIBE <urn:x>", "DESCRIBE", None),
])
def test_a_query_shape_table(query, form, variables):
    shape = query_shape(query)
    assert (shape.form, shape.variables) == (form, variables)
    if variables is not None:
        assert [v.value for v in ox.Store().query(query).variables] == list(variables)


@pytest.mark.parametrize(("query", "message"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "not a SPARQL query: expected SELECT, ASK"),
    ("PREFIX a: <urn:a> who-funds-whom", "found 'who-funds-whom'"),
    ("SELECT WHERE { ?s ?p ?o }", "SELECT names no variables"),
    ("SELECT (STR(?s)) WHERE { ?s ?p ?o }", r"needs `AS \?name`"),
    ("SELECT ?s WHERE { ?s ?p ?o", "is never closed"),
    ("SELECT ?s WHERE { ?s ?p ?o } }", "closes nothing"),
    ("SELECT ?s", "has no WHERE"),
])
def test_a_query_that_cannot_be_read_says_where(query, message):
    with pytest.raises(QueryError, match=message):
        query_shape(query)


names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
awkward = st.text(alphabet="{}()#'\"?$<>\\ \nAS", max_size=12)


@st.composite
def expressions(draw, depth=2):
    leaf = st.one_of(st.sampled_from(["?s", "?o", "1", "<urn:x#y>"]), awkward.map(sparql_literal))
    if depth == 0:
        return draw(leaf)
    sub = expressions(depth=depth - 1)
    return draw(st.one_of(
        leaf,
        st.tuples(sub, sub).map(lambda ab: f"CONCAT(STR({ab[0]}), STR({ab[1]}))"),
        st.tuples(sub, sub).map(lambda ab: f"({ab[0]}<{ab[1]})"),
        st.tuples(sub, sub).map(lambda ab: f"IF({ab[0]} = {ab[1]}, {ab[0]}, {ab[1]})"),
        awkward.map(lambda t: f"EXISTS {{ ?s ?p {sparql_literal(t)} }}"),
    ))


@st.composite
def select_queries(draw):
    aliases = draw(st.lists(names.filter(lambda n: n not in ("s", "p", "o")), unique=True, max_size=4))
    items = [draw(st.sampled_from(["?s", "?p", "?o"])) for _ in range(draw(st.integers(0, 2)))]
    items = list(dict.fromkeys(items))
    items += [f"({draw(expressions())} AS ?{a})" for a in aliases]
    assume(items)
    items = draw(st.permutations(items))
    comment = draw(awkward.map(lambda t: "# " + t.replace("\n", " ") + "\n"))
    filt = draw(awkward.map(lambda t: f"FILTER(STR(?o) != {sparql_literal(t)})"))
    distinct = draw(st.sampled_from(["", "DISTINCT ", "REDUCED "]))
    tail = draw(st.sampled_from(["", "LIMIT 3", "ORDER BY ?s", "OFFSET 1"]))
    return f"{comment}SELECT {distinct}{' '.join(items)} WHERE {{ {comment}?s ?p ?o {filt} }} {tail}"


@SETTINGS
@given(select_queries())
def test_a_generated_query_projects_what_oxigraph_says(query):
    try:
        expected = [v.value for v in ox.Store().query(query).variables]
    except SyntaxError:
        assume(False)
    assert list(query_shape(query).variables) == expected


@SETTINGS
@given(select_queries(), st.text(max_size=20))
def test_a_generated_query_with_a_binding_answers_as_pre_binding_does(tiny, query, value):
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in value))
    shape = query_shape(query)
    bindable = [v for v in shape.variables if v in ("s", "p", "o")]
    assume(bindable)
    try:
        expected = rows(tiny, query, {ox.Variable(bindable[0]): ox.Literal(value)})
    except SyntaxError:
        assume(False)
    assert rows(tiny, bind_values(query, {bindable[0]: value})) == expected


# -- the W3C JSON results format, parsed strictly ------------------------------------------

def select_doc(vars_, *bindings):
    return {"head": {"vars": vars_}, "results": {"bindings": list(bindings)}}


@pytest.mark.parametrize(("term", "expected"), [
    ({"type": "uri", "value": "urn:a"}, Term("uri", "urn:a")),
    ({"type": "bnode", "value": "b0"}, Term("bnode", "b0")),
    ({"type": "literal", "value": "x"}, Term("literal", "x")),
    ({"type": "literal", "value": "x", "datatype": XSD + "string"}, Term("literal", "x")),
    ({"type": "literal", "value": "x", "xml:lang": "fr"}, Term("literal", "x", None, "fr")),
    ({"type": "typed-literal", "value": "5", "datatype": XSD + "integer"}, Term("literal", "5", XSD + "integer")),
])
def test_a_term_of_a_json_result(term, expected):
    result = QueryResult.from_json(select_doc(["a"], {"a": term}), "SELECT", ["a"])
    assert result.bindings == [{"a": expected}]


@pytest.mark.parametrize(("doc", "form", "variables", "message"), [
    ([], "SELECT", None, "not an object"),
    ({"hello": 1}, "SELECT", None, "no head.vars list"),
    ({"head": {}, "boolean": True}, "SELECT", ["funder"], "an ASK result"),  # once printed `ask True`
    (select_doc(["a"]), "ASK", None, "needs a boolean"),
    ({"head": {}, "boolean": "true"}, "ASK", None, "needs a boolean true or false, not 'true'"),
    ({"head": {}, "boolean": 1}, "ASK", None, "not 1"),
    (select_doc(["x"]), "SELECT", ["funder", "funded"], r"its variables are \?x, not the \?funder \?funded"),
    (select_doc(["a", "a"]), "SELECT", None, "names a variable twice"),
    (select_doc(["a b"]), "SELECT", None, "not a variable name"),
    (select_doc([1]), "SELECT", None, "not a variable name"),
    ({"head": {"vars": ["a"]}}, "SELECT", None, "no results.bindings list"),
    (select_doc(["a"], [1]), "SELECT", None, r"results.bindings\[0\] is not an object"),
    (select_doc(["a"], {"b": {"type": "uri", "value": "x"}}), "SELECT", None, "binds 'b', which head.vars lacks"),
    (select_doc(["a"], {"a": "x"}), "SELECT", None, "not an RDF term object"),
    (select_doc(["a"], {"a": {"type": "triple", "value": {}}}), "SELECT", None, "type 'triple', not uri"),
    (select_doc(["a"], {"a": {"type": "uri"}}), "SELECT", None, "has no value"),
    (select_doc(["a"], {"a": {"type": "uri", "value": 5}}), "SELECT", None, "value is 5, not text"),
    (select_doc(["a"], {"a": {"type": "literal", "value": "\ud800"}}), "SELECT", None, "not valid Unicode"),
    (select_doc(["a"], {"a": {"type": "literal", "value": "x", "datatype": []}}), "SELECT", None, "not text"),
])
def test_a_json_document_that_is_not_the_answer_asked_for(doc, form, variables, message):
    with pytest.raises(ValueError, match=message):
        QueryResult.from_json(doc, form, variables)


def test_columns_follow_the_query_not_the_server():
    result = QueryResult.from_json(select_doc(["b", "a"]), "SELECT", ["a", "b"])
    assert result.columns == ["a", "b"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["uri", "literal", "bnode", "typed-literal", "a", "head", "vars"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["head", "vars", "results", "bindings", "boolean", "type", "value",
                                       "datatype", "xml:lang", "a", "b"]) | st.text(max_size=4), inner, max_size=4),
    max_leaves=30)


@SETTINGS
@given(json_values, st.sampled_from(["SELECT", "ASK"]), st.sampled_from([None, ["a"], ["a", "b"]]))
def test_any_json_is_either_a_checked_result_or_a_value_error(doc, form, variables):
    """Never another exception, and what passes can be printed in every format."""
    try:
        result = QueryResult.from_json(doc, form, variables)
    except ValueError:
        return
    assert result.kind == form
    for b in result.bindings:
        assert set(b) <= set(result.columns) and all(isinstance(t, Term) and isinstance(t.value, str) for t in b.values())
    for fmt in ("json", "csv", "tsv"):
        result.serialize(fmt)
    assert len(result.rows) == len(result)
    json.loads(result.serialize("json"))
