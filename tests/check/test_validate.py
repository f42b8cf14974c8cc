"""Validation catches each kind of bad data, names the file and subject, and blocks the build.

The real data conforms; each broken case breaks a private copy of the small data
(tests/fixtures/small), which has no exports: a refused build must create none."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.paths import DataPaths

from tests.helpers.broken import TEXT_002, _add_seed, _replace  # noqa: E402


def _assert_build_refused(kg_small, before: dict[str, bytes]) -> None:
    result = kg_small("build")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    after = {p.name: p.read_bytes() for p in kg_small.paths.exports.glob("*") if p.is_file()}
    assert after == before, "kg build wrote to exports/ although the data is invalid"


def _exports(paths: DataPaths) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths.exports.glob("*") if p.is_file()}


def test_real_data_conforms(kg):
    result = kg("validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: the data conforms")


def test_missing_english_label(kg_small):
    states = kg_small.paths.seeds / "entities" / "states.ttl"
    _replace(states, '"Russia"@en', '"Russia"@de')
    before = _exports(kg_small.paths)
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "seeds/entities/states.ttl:" in result.output
    assert "kz:Russia: has no English (@en) rdfs:label" in result.output
    _assert_build_refused(kg_small, before)


def test_bad_iso_code(kg_small):
    states = kg_small.paths.seeds / "entities" / "states.ttl"
    _replace(states, '"RUS"', '"RUX"')
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "kz:Russia: has a kzo:iso3166Alpha3 that is not a valid ISO 3166-1 alpha-3 code (RUX)" in result.output


def test_unreified_fact(kg_small):
    path = _add_seed(kg_small.paths, "kz:Kazakhstan kzo:borders kz:Japan .\n")
    before = _exports(kg_small.paths)
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "kz:Kazakhstan: fact kzo:borders kz:Japan has no statement node with its evidence" in result.output
    _assert_build_refused(kg_small, before)
    assert path.exists()


def test_misspelt_kzo_term(kg_small):
    _add_seed(kg_small.paths, "kz:Kazakhstan kzo:memberof kz:UN .\n")
    before = _exports(kg_small.paths)
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "seeds/facts/zz-test.ttl" in result.output
    assert "unknown term kzo:memberof (not defined in ontology.ttl)" in result.output
    _assert_build_refused(kg_small, before)


def test_quote_not_in_text(kg_small):
    body = (
        "kz:Kazakhstan kzo:borders kz:Japan .\n"
        "kz:st-test a rdf:Statement ; rdf:subject kz:Kazakhstan ; rdf:predicate kzo:borders ; rdf:object kz:Japan ;\n"
        '    prov:wasDerivedFrom kz:source-002 ; kzo:quote "Қазақстан Жапониямен шекаралас"@kk ;\n'
        '    kzo:quoteEnglish "Kazakhstan borders Japan"@en .\n'
    )
    _add_seed(kg_small.paths, body)
    before = _exports(kg_small.paths)
    result = kg_small("validate")
    assert result.exit_code == 1
    assert f"kz:st-test: quote is not in {TEXT_002} verbatim" in result.output
    _assert_build_refused(kg_small, before)


def test_near_miss_quote_is_fixed_by_fix_quotes(kg_small):
    # The text has "мүше болып"; a retyped quote with a Latin ə in place of ә
    # and a doubled space differs only invisibly.
    exact = "1992 жылдың 2 наурызында Біріккен Ұлттар Ұйымының 46-шы сессиясында"
    typed = exact.replace("  ", " ").replace("Ұлттар Ұйымының", "Ұлттар  Ұйымының")
    body = (
        "kz:Kazakhstan kzo:memberOf kz:UN .\n"
        "kz:st-test a rdf:Statement ; rdf:subject kz:Kazakhstan ; rdf:predicate kzo:memberOf ; rdf:object kz:UN ;\n"
        f'    prov:wasDerivedFrom kz:source-002 ; kzo:quote "{typed}"@kk ;\n'
        '    kzo:quoteEnglish "on 2 March 1992 at the 46th session of the United Nations"@en .\n'
    )
    _add_seed(kg_small.paths, body)
    assert kg_small("validate").exit_code == 1
    assert "run `kg fix-quotes`" in kg_small("validate").output
    result = kg_small("fix-quotes")
    assert result.exit_code == 0, result.output
    assert "kz:st-test: quote copied from the text" in result.output
    assert kg_small("validate").exit_code == 0


def test_turtle_syntax_error_names_file_and_line(kg_small):
    _add_seed(kg_small.paths, "kz:Kazakhstan kzo:memberOf kz:UN ;\n    kzo:memberOf .\n")
    before = _exports(kg_small.paths)
    result = kg_small("validate")
    assert result.exit_code == 2
    assert "zz-test.ttl:7" in result.output
    assert "Turtle syntax error" in result.output
    assert "Traceback" not in result.output
    _assert_build_refused(kg_small, before)


def test_undefined_entity(kg_small):
    body = (
        "kz:Kazakhstan kzo:memberOf kz:Atlantis .\n"
        "kz:st-test a rdf:Statement ; rdf:subject kz:Kazakhstan ; rdf:predicate kzo:memberOf ; rdf:object kz:Atlantis ;\n"
        '    prov:wasDerivedFrom kz:source-002 ; kzo:quote "Қазақстан"@kk ; kzo:quoteEnglish "Kazakhstan"@en .\n'
    )
    _add_seed(kg_small.paths, body)
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "refers to kz:Atlantis, which has no rdf:type" in result.output


@pytest.mark.parametrize(
    "literal, message",
    [('"abc"^^xsd:integer', "does not fit its datatype"), ('"1992-13-45"^^xsd:date', "does not fit its datatype")],
)
def test_ill_typed_literal(kg_small, literal, message):
    body = (
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "kz:Kazakhstan kzo:memberOf kz:UN .\n"
        "kz:st-test a rdf:Statement ; rdf:subject kz:Kazakhstan ; rdf:predicate kzo:memberOf ; rdf:object kz:UN ;\n"
        f"    kzo:startDate {literal} ;\n"
        '    prov:wasDerivedFrom kz:source-002 ; kzo:quote "Қазақстан"@kk ; kzo:quoteEnglish "Kazakhstan"@en .\n'
    )
    _add_seed(kg_small.paths, body)
    result = kg_small("validate")
    assert result.exit_code == 1
    assert message in result.output


def test_invalid_utf8_reports_byte_offset(kg_small):
    path = kg_small.paths.seeds / "facts" / "zz-test.ttl"
    path.write_bytes(b"@prefix kz: <https://w3id.org/kzkg/id/> .\n# caf\xe9\n")
    result = kg_small("validate")
    assert result.exit_code == 2
    assert "invalid UTF-8 at byte offset 47" in result.output


def test_relative_iri_is_refused(kg_small):
    path = kg_small.paths.seeds / "facts" / "zz-test.ttl"
    path.write_text("<Kazakhstan> <memberOf> <UN> .\n", encoding="utf-8")
    result = kg_small("validate")
    assert result.exit_code == 2
    assert "zz-test.ttl" in result.output


def test_fact_with_wrong_class_of_subject(kg_small):
    body = (
        "kz:UN kzo:memberOf kz:Russia .\n"
        "kz:st-test a rdf:Statement ; rdf:subject kz:UN ; rdf:predicate kzo:memberOf ; rdf:object kz:Russia ;\n"
        '    prov:wasDerivedFrom kz:source-002 ; kzo:quote "Қазақстан"@kk ; kzo:quoteEnglish "Kazakhstan"@en .\n'
    )
    _add_seed(kg_small.paths, body)
    result = kg_small("validate")
    assert result.exit_code == 1
    assert "zz-test.ttl:6: kz:UN: kzo:memberOf needs a subject of class kzo:State; kz:UN is not one" in result.output
    assert "kzo:memberOf needs an object of class kzo:InternationalOrganization; kz:Russia is not one" in result.output
