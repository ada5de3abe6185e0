"""SHACL validation of a built dataset against ``ontology/shapes.ttl``, with pySHACL.

pySHACL is much slower over the Oxigraph store than over rdflib's in-memory graph, so the
dataset is validated in memory, as one graph (the union of its named graphs) with the ontology
mixed in, so sh:class follows rdfs:subClassOf (a dg:Company is a dg:Agent). No RDFS inference:
it would turn each property's rdfs:range into a type for any value, and every sh:class check on
such a property would pass whatever the value.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import SH

__all__ = ["check_shapes", "default_shapes_path"]


def default_shapes_path() -> Path:
    from .rdf import default_ontology_path

    return default_ontology_path().with_name("shapes.ttl")


def check_shapes(ds: Dataset, shapes: Path | None = None) -> tuple[bool, list[str]]:
    """(conforms, one readable line per violation: focus node, path, message)."""
    import pyshacl

    from .rdf import default_ontology_path

    data = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        data.add((s, p, o))
    shapes_graph = Graph().parse(shapes or default_shapes_path(), format="turtle")
    ontology = Graph().parse(default_ontology_path(), format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, ont_graph=ontology,
                                           inference="none", allow_warnings=True)
    lines = []
    for result in report.subjects(SH.focusNode, None):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        where = f" {path.n3(data.namespace_manager)}" if path is not None else ""
        lines.append(f"{focus.n3(data.namespace_manager)}{where}: {message}")
    return bool(conforms), sorted(lines)
