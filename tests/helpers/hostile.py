"""A state whose names, quotes and notes are markup: what the HTML tests (and the browser tests) feed the views."""

from __future__ import annotations

from rdflib import Literal

from kg.core.paths import DataPaths

HOSTILE_ID = "Hostile-Entity"
HOSTILE_EN = "<img src=x onerror=alert(1)>"
HOSTILE_KK = '</script><img src=x onerror="window.__pwned=1"> Зиянды ел 🇰🇿'
HOSTILE_ALT = [
    '"><svg onload=window.__pwned=2>',
    "javascript:window.__pwned=3",
    '<a href="javascript:window.__pwned=4">href</a>',
    "\u202eRTL\u200f override \u200e",
    "🚀 эмодзи",
]
HOSTILE_NOTE = "<script>window.__pwned=5</script> & \"quotes\" 'too' __DATA__"
HOSTILE_ENGLISH = "</script><img src=x onerror=window.__pwned=6>"
HOSTILE_CLASS = "<b onmouseover=window.__pwned=7>State</b>"
HOSTILE_RELATION = "<i>strategic</i> partner <img src=x onerror=window.__pwned=8>"
#: Every hostile string: none may appear raw in a page's HTML outside its JSON data.
HOSTILE_TEXTS = [HOSTILE_EN, HOSTILE_KK, *HOSTILE_ALT, HOSTILE_NOTE, HOSTILE_ENGLISH, HOSTILE_CLASS, HOSTILE_RELATION]


def add_hostile_entity(paths: DataPaths) -> None:
    """Add a state whose names, quote rendering and note are markup, as a strategic partner
    of Kazakhstan (so `kg build` writes a view titled with its name), with a valid quote.

    It has no Russian label, so a --lang ru page must fall back to another language.
    The State class and kzo:strategicPartnerOf get hostile English labels too (legend, menus).
    """
    text_file = sorted(paths.texts.glob("000_*.txt"))[0]
    quote = text_file.read_text(encoding="utf-8").split("\n", 1)[0][:40]
    alt = " , ".join(Literal(a, lang="kk").n3() for a in HOSTILE_ALT)
    entity = f"""
@prefix kz: <https://w3id.org/kzkg/id/> .
@prefix kzo: <https://w3id.org/kzkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

kz:{HOSTILE_ID} a kzo:State ;
    rdfs:label {Literal(HOSTILE_EN, lang="en").n3()} , {Literal(HOSTILE_KK, lang="kk").n3()} ;
    skos:altLabel {alt} ;
    kzo:iso3166Alpha3 "TUV" .
"""
    (paths.seeds / "entities" / "zz-hostile.ttl").write_text(entity, encoding="utf-8")
    fact = f"""
kz:Kazakhstan kzo:strategicPartnerOf kz:{HOSTILE_ID} .
kz:st-Kazakhstan-strategicPartnerOf-{HOSTILE_ID}-000 a rdf:Statement ;
    rdf:subject kz:Kazakhstan ;
    rdf:predicate kzo:strategicPartnerOf ;
    rdf:object kz:{HOSTILE_ID} ;
    kzo:date "2001"^^xsd:gYear ;
    prov:wasDerivedFrom kz:source-000 ;
    kzo:quote {Literal(quote, lang="kk").n3()} ;
    kzo:quoteEnglish {Literal(HOSTILE_ENGLISH, lang="en").n3()} ;
    kzo:note {Literal(HOSTILE_NOTE, lang="en").n3()} .
"""
    facts = paths.seeds / "facts" / "source-000.ttl"
    facts.write_text(facts.read_text(encoding="utf-8") + fact, encoding="utf-8")
    ontology = paths.ontology.read_text(encoding="utf-8")
    for old, new in (('"State"@en', HOSTILE_CLASS), ('"strategic partner of"@en', HOSTILE_RELATION)):
        assert ontology.count(old) == 1, old
        ontology = ontology.replace(old, Literal(new, lang="en").n3())
    paths.ontology.write_text(ontology, encoding="utf-8")
