"""Give ontology.ttl the annotations of a published vocabulary, in place and idempotently.

- ``owl:versionIRI`` (``https://w3id.org/kzkg/ontology/<version>``) beside ``owl:versionInfo``,
  whose value it follows;
- ``vann:preferredNamespacePrefix "kzo"`` and ``vann:preferredNamespaceUri``;
- ``rdfs:isDefinedBy <https://w3id.org/kzkg/ontology>`` on every ``kzo:`` term.

A text edit, so comments, order and literals stay as the curators wrote
them; the result is parsed and compared with the input: nothing but the new
triples may differ. Run it again after editing the ontology:

    python scripts/annotate_ontology.py [ontology.ttl]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

ONTOLOGY = "https://w3id.org/kzkg/ontology"
NAMESPACE = ONTOLOGY + "#"
VANN = "http://purl.org/vocab/vann/"
IS_DEFINED_BY = "    rdfs:isDefinedBy <" + ONTOLOGY + "> ."
DECLARATION = re.compile(r"^kzo:\S+ a (owl|rdf|rdfs):")


def annotate(text: str) -> str:
    lines = text.split("\n")
    if not any(line.startswith("@prefix vann:") for line in lines):
        last_prefix = max(i for i, line in enumerate(lines) if line.startswith("@prefix "))
        lines.insert(last_prefix + 1, f"@prefix vann: <{VANN}> .")
    out: list[str] = []
    in_term = False
    for line in lines:
        if DECLARATION.match(line):  # a term's own block, not a later line that types it again
            in_term = True
            defined = False
        if in_term and "rdfs:isDefinedBy" in line:
            defined = True
        if in_term and line.rstrip().endswith(" .") and not line.startswith("@"):
            in_term = False
            if not defined:
                out.append(line.rstrip()[:-2] + " ;")
                out.append(IS_DEFINED_BY)
                continue
        out.append(line)
    text = "\n".join(out)
    version = re.search(r'owl:versionInfo "([^"]+)"', text).group(1)
    version_iri = f"owl:versionIRI <{ONTOLOGY}/{version}> ;"
    if "owl:versionIRI" in text:
        text = re.sub(r"owl:versionIRI <[^>]*> ;", version_iri, text)
    else:
        text = text.replace(
            f'owl:versionInfo "{version}" ;',
            f'owl:versionInfo "{version}" ;\n    {version_iri}\n'
            f'    vann:preferredNamespacePrefix "kzo" ;\n    vann:preferredNamespaceUri "{NAMESPACE}" ;',
            1,
        )
    return text


def main(path: str = "ontology.ttl") -> int:
    source = Path(path)
    before = source.read_text(encoding="utf-8")
    after = annotate(before)
    old, new = Graph().parse(data=before, format="turtle"), Graph().parse(data=after, format="turtle")
    _, removed, added = graph_diff(to_isomorphic(old), to_isomorphic(new))  # blank nodes compared by shape
    allowed = {URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy"), URIRef(VANN + "preferredNamespacePrefix"),
               URIRef(VANN + "preferredNamespaceUri"), URIRef("http://www.w3.org/2002/07/owl#versionIRI")}
    if removed - {t for t in old if t[1] == URIRef("http://www.w3.org/2002/07/owl#versionIRI")}:
        raise SystemExit(f"{path}: the edit would remove {len(removed)} triple(s); nothing written")
    if any(p not in allowed for _, p, _ in added):
        raise SystemExit(f"{path}: the edit would add unexpected triples; nothing written")
    terms = {s for s in new.subjects() if isinstance(s, URIRef) and str(s).startswith(NAMESPACE)}
    undefined = [t for t in terms if (t, URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy"), URIRef(ONTOLOGY)) not in new]
    if undefined:
        raise SystemExit(f"{path}: {len(undefined)} term(s) still lack rdfs:isDefinedBy, e.g. {sorted(undefined)[0]}")
    if after != before:
        source.write_text(after, encoding="utf-8")
    print(f"{path}: {len(added)} triple(s) added, {len(terms)} terms defined by <{ONTOLOGY}>")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
