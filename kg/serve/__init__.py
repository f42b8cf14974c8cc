"""``kg serve``: the built graph as a SPARQL 1.1 endpoint, a query page and Linked Data pages.

* ``engine`` — the one adapter to the rest of ``kg`` (query checks and writers, the store) and the
  pool of query workers;
* ``protocol`` — the SPARQL 1.1 Protocol's rules: which query a request carries, which format answers;
* ``pages`` — the entity, ontology and text pages (HTML and RDF);
* ``app`` — the Starlette application; ``server`` — uvicorn, start and stop;
* ``site`` — the same pages as static files (``kg export site``).
"""
