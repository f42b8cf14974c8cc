"""Vocabulary of the project, checked: a misspelt term raises.

``KZO`` lists every term of ``ontology.ttl``; ``tests/content/test_ontology.py`` fails
when the two drift apart. ``KZ`` is the namespace of entities, statements and
sources.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.core.prefixes import KZ_IRI, KZO_IRI, ONTOLOGY_IRI, PREFIXES  # noqa: F401  (re-exported)


class KZO(DefinedNamespace):
    """Classes and properties defined in ontology.ttl."""

    _NS = Namespace(KZO_IRI)
    _fail = True

    Agreement: URIRef
    Charter: URIRef
    City: URIRef
    Company: URIRef
    Conflict: URIRef
    Convention: URIRef
    Cosmodrome: URIRef
    Declaration: URIRef
    Event: URIRef
    Initiative: URIRef
    InternationalOrganization: URIRef
    Memorandum: URIRef
    NationalAct: URIRef
    NonFactProperty: URIRef
    Person: URIRef
    Pipeline: URIRef
    Place: URIRef
    Programme: URIRef
    Protocol: URIRef
    Reference: URIRef
    Region: URIRef
    Session: URIRef
    Source: URIRef
    State: URIRef
    StateGroup: URIRef
    Summit: URIRef
    TestSite: URIRef
    Topic: URIRef
    Treaty: URIRef
    Visit: URIRef
    Weapon: URIRef

    acceded: URIRef
    accessed: URIRef
    addressed: URIRef
    adopted: URIRef
    advocates: URIRef
    amount: URIRef
    atEvent: URIRef
    borders: URIRef
    callsFor: URIRef
    chaired: URIRef
    closed: URIRef
    concerns: URIRef
    cooperatesWith: URIRef
    count: URIRef
    date: URIRef
    developed: URIRef
    diplomaticRelationsCount: URIRef
    diplomaticRelationsWith: URIRef
    disagreesWith: URIRef
    discussed: URIRef
    embassiesAbroadCount: URIRef
    endDate: URIRef
    exportDestinationsCount: URIRef
    fileName: URIRef
    foreignCompanyOfficesCount: URIRef
    foreignMissionsCount: URIRef
    founded: URIRef
    foundingDocumentOf: URIRef
    foundingMemberOf: URIRef
    guaranteesSecurityOf: URIRef
    hasMember: URIRef
    headOf: URIRef
    heldIn: URIRef
    hosted: URIRef
    intends: URIRef
    interestedInRelationsWith: URIRef
    investedIn: URIRef
    iso3166Alpha3: URIRef
    iso3166Part3Code: URIRef
    issued: URIRef
    leasedTo: URIRef
    leases: URIRef
    locatedIn: URIRef
    memberOf: URIRef
    membershipsCount: URIRef
    negotiatesOn: URIRef
    note: URIRef
    observerOf: URIRef
    operatesIn: URIRef
    opposes: URIRef
    organizationRepresentationsCount: URIRef
    partOf: URIRef
    participatedIn: URIRef
    partyTo: URIRef
    partyToConflict: URIRef
    periodBasis: URIRef
    periodEnd: URIRef
    periodStart: URIRef
    possessed: URIRef
    prioritizes: URIRef
    proposed: URIRef
    proposedAt: URIRef
    providedAidTo: URIRef
    quote: URIRef
    quoteEnglish: URIRef
    ratificationsCount: URIRef
    ratified: URIRef
    recognized: URIRef
    recognizedByCount: URIRef
    renounced: URIRef
    seeksMembershipOf: URIRef
    sharePercent: URIRef
    showedInterestIn: URIRef
    signatoriesCount: URIRef
    signed: URIRef
    signedBy: URIRef
    signedIn: URIRef
    soughtInfluenceIn: URIRef
    startDate: URIRef
    strategicPartnerOf: URIRef
    supported: URIRef
    surfaceForm: URIRef
    tradesWith: URIRef
    transferredTo: URIRef
    treatiesCount: URIRef
    unit: URIRef
    visited: URIRef
    visitsCount: URIRef


KZ = Namespace(KZ_IRI)
