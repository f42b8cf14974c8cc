"""The release: its version and date, named once.

The package version (``pyproject.toml`` reads it from here), the ontology's
``owl:versionIRI``, and the dataset description's ``dcterms:issued`` and
``dcterms:modified`` all come from these two constants, never from the
clock, so the same release always gives the same bytes.
"""

VERSION = "0.1.0"
#: The day this version of the data was released (ISO 8601).
RELEASE_DATE = "2026-12-06"
