"""Reading `source:` texts into cited sections, and which listed sections they account for."""

from __future__ import annotations

import pytest

from kprocess.citations import Citation, CitationError, key, lineage, parse
from kprocess.model import Pack, Section, SourceDocument
from kprocess.sections import Kind, Status, coverage, sites

DOCUMENTS = ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("003 §10; 001 §3.3", [("003", "§10"), ("001", "§3.3")]),
        (
            "003 §4, §6, §7, §10; 001 §3.3–3.5",
            [
                ("003", "§4"),
                ("003", "§6"),
                ("003", "§7"),
                ("003", "§10"),
                ("001", "§3.3"),
                ("001", "§3.4"),
                ("001", "§3.5"),
            ],
        ),
        ("002 steg 13", [("002", "steg 13")]),
        ("002 steg 13a", [("002", "steg 13a")]),
        ("002 steg 31–32", [("002", "steg 31"), ("002", "steg 32")]),
        ("002 s.4-6", [("002", "s. 4"), ("002", "s. 5"), ("002", "s. 6")]),
        ("004 §4.4.1 p.4", [("004", "§4.4.1 p.4")]),
        ("004 § 4.4.1 p. 4", [("004", "§4.4.1 p.4")]),
        ("003 §5, titelsida", [("003", "§5"), ("003", "titelsida")]),
        ("002 s. 4", [("002", "s. 4")]),
        ("004 bilaga 2", [("004", "bilaga 2")]),
        (
            "004 §4.5.1 steg 3 och 4, bilaga 3",
            [("004", "§4.5.1 steg 3"), ("004", "§4.5.1 steg 4"), ("004", "bilaga 3")],
        ),
        (
            "002 Begrepp, LPO; Lokala programområden (LPO) i RVN",
            [("002", "Begrepp, LPO"), ("002", "Lokala programområden (LPO) i RVN")],
        ),
        ("002 HälSam - samverkanstruktur i Västernorrland", [("002", "HälSam - samverkanstruktur i Västernorrland")]),
    ],
)
def test_parse_reads_every_form_the_packs_use(text: str, expected: list[tuple[str, str]]) -> None:
    assert parse(text, DOCUMENTS) == [Citation(d, s) for d, s in expected]


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            "099 §3",
            "källan `099 §3` börjar inte med ett känt dokument",
            "skriv ett av dokument-id:na under `sources:` först: 000, 001, 002, 003, 004",
        ),
        (
            "003 §4; 099 §3",
            "källan `003 §4; 099 §3` nämner okänt dokument `099`",
            "skriv ett av dokument-id:na under `sources:` först: 000, 001, 002, 003, 004",
        ),
        ("002", "källan `002` anger inget avsnitt i dokument 002", "skriv avsnittet efter dokumentet, t.ex. `002 §3`"),
        (
            "003 §4;",
            "källan `003 §4;` anger inget avsnitt i dokument 003",
            "skriv avsnittet efter dokumentet, t.ex. `003 §3`",
        ),
        (
            "002 steg 5–3",
            "intervallet `steg 5–3` i källan `002 steg 5–3` går inte att läsa",
            "skriv intervallet från lägre till högre på samma nivå, t.ex. `§3.3–3.5` eller `steg 31–32`",
        ),
    ],
)
def test_parse_explains_what_it_cannot_read(text: str, message: str, hint: str) -> None:
    with pytest.raises(CitationError) as caught:
        parse(text, DOCUMENTS)
    assert (str(caught.value), caught.value.hint) == (message, hint)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("§4.4.1 p.4", ["§4.4.1 p.4", "§4.4.1", "§4.4", "§4"]),
        ("steg 13a", ["steg 13a", "steg 13"]),
        ("§4.5.1 steg 2", ["§4.5.1 steg 2", "§4.5.1", "§4.5", "§4"]),
        ("Begrepp, LSG", ["Begrepp, LSG", "Begrepp"]),
        ("bilaga 2", ["bilaga 2"]),
        ("s. 4", ["s. 4"]),
        ("titelsida", ["titelsida"]),
    ],
)
def test_lineage_goes_from_the_section_to_the_top(section: str, expected: list[str]) -> None:
    assert list(lineage(section)) == expected


def test_key_ignores_spacing_and_case() -> None:
    assert [key("§ 4.4.1  P. 4"), key("Inledning"), key("S.4")] == ["§4.4.1 p.4", "inledning", "s. 4"]


def _pack(sections: list[Section], sources: list[str]) -> Pack:
    return Pack.model_validate(
        {
            "schema_version": 1,
            "id": "t",
            "county": "Testlän",
            "name": "Test",
            "parties": {"region": "Region Test", "municipalities": ["Alfa"]},
            "sources": [SourceDocument(id="004", title="Överenskommelsen", sections=sections)],
            "phases": [{"id": "p", "name": "P"}],
            "actors": [{"id": "a", "name": "A", "principal": "region", "source": "004 bilaga 2"}],
            "flows": [{"id": "f", "name": "F", "start": "s0"}],
            "steps": [
                {"id": f"s{i}", "name": "S", "phase": "p", "actor": "a", "source": source, "end": "completed"}
                for i, source in enumerate(sources)
            ],
        }
    )


def _status(pack: Pack) -> dict[str, tuple[Status, list[str]]]:
    [report] = coverage(pack)
    return {s.section.id: (s.status, [site.id for site in s.cited_by]) for s in report.sections}


def test_citation_counts_for_the_most_specific_listed_section() -> None:
    sections = [Section(id=i, title=i) for i in ("§4.4", "§4.4.1", "§4.4.2", "steg 13", "bilaga 2")]
    pack = _pack(sections, ["004 §4.4.1 p.4", "004 steg 13a", "004 §4.4"])
    assert _status(pack) == {
        "§4.4": (Status.cited, ["s2"]),
        "§4.4.1": (Status.cited, ["s0"]),
        "§4.4.2": (Status.missing, []),
        "steg 13": (Status.cited, ["s1"]),
        "bilaga 2": (Status.cited, ["a"]),
    }


def test_parent_is_accounted_for_by_its_parts() -> None:
    sections = [
        Section(id="§4.5", title="Nominering"),
        Section(id="§4.5.1", title="Steg"),
        Section(id="§4.5.2", title="Bakgrund", out_of_scope="Bakgrund till processen"),
        Section(id="bilaga 2", title="Ledamöter"),
    ]
    assert _status(_pack(sections, ["004 §4.5.1"]))["§4.5"] == (Status.by_parts, [])
    assert _status(_pack(sections[:1] + sections[2:], ["004 bilaga 2"]))["§4.5"] == (Status.by_parts, [])
    sections[2] = Section(id="§4.5.2", title="Bakgrund")
    assert _status(_pack(sections, ["004 §4.5.1"]))["§4.5"] == (Status.missing, [])


def test_citation_below_a_section_with_listed_parts_is_unlisted() -> None:
    sections = [Section(id=i, title=i) for i in ("§4.5.1", "§4.5.1 steg 1", "§4.5.1 steg 2", "bilaga 2")]
    [report] = coverage(_pack(sections, ["004 §4.5.1 steg 1", "004 §4.5.1 steg 5", "004 bilaga 9"]))
    unlisted = [(u.site.id, u.citation.section, u.suggestion) for u in report.unlisted]
    assert unlisted == [("s1", "§4.5.1 steg 5", "§4.5.1 steg 2"), ("s2", "bilaga 9", "bilaga 2")]
    assert (report.accounted, [s.section.id for s in report.missing]) == (2, ["§4.5.1", "§4.5.1 steg 2"])


def test_sites_name_every_kind_of_citation() -> None:
    pack = _pack([], ["004 §1"])
    assert [(s.kind, s.id, s.path) for s in sites(pack)] == [
        (Kind.step, "s0", ("steps", 0, "source")),
        (Kind.actor, "a", ("actors", 0, "source")),
    ]
