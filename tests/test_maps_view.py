"""Mermaid, SVG and HTML maps: exact structure, the real Mermaid parser, Graphviz, headless Chromium,
`simulate --diagram` and the committed county maps in docs/regions/maps."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kprocess.cli.common import UsageError
from kprocess.engine import run_case
from kprocess.maps import mermaid, svg
from kprocess.maps.flowmap import Kind, build_map, notes, other_lines
from kprocess.maps.layout import Box, route, route_around
from kprocess.maps.sheet import LANE_HEAD, PHASE_HEAD, arrange
from kprocess.maps.views import draw, draw_case
from kprocess.pack import RulePack, load_pack

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
PACKS = ["vasternorrland", "orebro", "blekinge"]
IN_CI = os.environ.get("CI", "") not in ("", "false", "0")

SMALL = """\
schema_version: 1
id: liten
county: Testlän
name: Liten rutin
parties: {region: Region Test, municipalities: [Alfa, Beta]}
sources: [{id: "001", title: Rutin}]
phases: [{id: fas, name: Fas}]
actors:
  - {id: lpo, name: Programområde, short: LPO, principal: gemensam}
  - {id: rvn, name: Regionen, short: RVN, principal: region}
  - {id: kom, name: Kommunen, principal: kommun}
  - {id: rss, name: Regionalt stöd, short: RSS, principal: sjukvardsregional}
questions:
  - {id: beror, text: "Berör det kommunerna?", type: yesno}
  - id: niva
    text: Vilken nivå?
    type: choice
    options: [{id: hel, label: Helt}, {id: delvis, label: Delvis}, {id: ingen, label: Inte alls}]
  - {id: infor, text: "Inför parten?", type: yesno, per_party: true}
flows:
  - {id: huvud, name: Huvudflöde, start: a}
  - {id: sido, name: Sidoflöde, start: x}
steps:
  - {id: a, name: Remiss kommer in, phase: fas, actor: rvn, source: "001 s. 1", jointly_with: [rss],
     actor_when: [{when: "niva == 'hel'", actor: lpo}],
     decision: {question: beror, by: lpo}, routes: [{when: beror, to: b}, {otherwise: slut_a}]}
  - {id: slut_a, name: Regionen tar över, phase: fas, actor: rvn, source: "001 s. 1", end: handed_over,
     handed_to: Intern rutin}
  - {id: b, name: Dela upp, phase: fas, actor: lpo, source: "001 s. 1",
     parallel: [c, {to: d, when: "niva == 'hel'"}]}
  - {id: c, name: Kör sidoflödet, phase: fas, actor: lpo, source: "001 s. 1", call: sido, next: e}
  - {id: d, name: Kommunerna tar del, phase: fas, actor: kom, source: "001 s. 1", next: e}
  - {id: e, name: Möts, phase: fas, actor: lpo, source: "001 s. 1", join: b, next: f}
  - {id: f, name: Varje kommun beslutar, phase: fas, actor: kom, source: "001 s. 1", for_each: municipalities,
     decision: {question: infor, by: kom}, next: g}
  - {id: g, name: Samlas, phase: fas, actor: lpo, source: "001 s. 1", join: f,
     routes: [{when: any(infor), to: h}, {otherwise: slut_g}]}
  - {id: h, name: Följs upp, phase: fas, actor: lpo, source: "001 s. 1", timing: {every: {years: 1}}, end: ongoing}
  - {id: slut_g, name: Ingen inför, phase: fas, actor: lpo, source: "001 s. 1", end: stopped}
  - {id: x, name: Sidosteg, phase: fas, actor: rvn, source: "001 s. 1", next: y}
  - {id: y, name: Sidoslut, phase: fas, actor: rvn, source: "001 s. 1", end: completed}
"""

ANSWERS = {"beror": "ja", "niva": "hel", "infor[Alfa]": "ja", "infor[Beta]": "nej"}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RulePack:
    path = tmp_path_factory.mktemp("pack") / "liten.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return load_pack(path)


def answers() -> dict[str, str]:
    return dict(ANSWERS)


def test_small_map_nodes_and_edges(small: RulePack) -> None:
    flow_map = build_map(small, small.model.flows[0])
    assert [(n.id, n.kind, n.principal) for n in flow_map.nodes] == [
        ("n_a", Kind.task, "region"),
        ("d_a", Kind.decision, "region"),
        ("n_slut_a", Kind.task, "region"),
        ("e_slut_a", Kind.end, "region"),
        ("n_b", Kind.task, "gemensam"),
        ("p_b", Kind.fork, "gemensam"),
        ("n_c", Kind.call, "gemensam"),
        ("n_d", Kind.task, "kommun"),
        ("j_e", Kind.merge, "gemensam"),
        ("n_e", Kind.task, "gemensam"),
        ("n_f", Kind.per_party, "kommun"),
        ("d_f", Kind.decision, "kommun"),
        ("n_g", Kind.task, "gemensam"),
        ("d_g", Kind.decision, "gemensam"),
        ("n_h", Kind.task, "gemensam"),
        ("e_h", Kind.end, "gemensam"),
        ("n_slut_g", Kind.task, "gemensam"),
        ("e_slut_g", Kind.end, "gemensam"),
    ]
    assert [(e.source, e.target, e.label) for e in flow_map.edges] == [
        ("n_a", "d_a", ""),
        ("d_a", "n_b", "ja"),
        ("d_a", "n_slut_a", "nej"),
        ("n_slut_a", "e_slut_a", ""),
        ("n_b", "p_b", ""),
        ("p_b", "n_c", ""),
        ("p_b", "n_d", "”Vilken nivå?” är Helt"),
        ("n_c", "j_e", ""),
        ("n_d", "j_e", ""),
        ("j_e", "n_e", ""),
        ("n_e", "n_f", ""),
        ("n_f", "d_f", ""),
        ("d_f", "n_g", ""),
        ("n_g", "d_g", ""),
        ("d_g", "n_h", "någon part ja"),
        ("d_g", "n_slut_g", "annars"),
        ("n_h", "e_h", ""),
        ("n_slut_g", "e_slut_g", ""),
    ]


def test_small_map_labels(small: RulePack) -> None:
    nodes = {n.id: n for n in build_map(small, small.model.flows[0]).nodes}
    assert nodes["n_a"].who == ["RVN + RSS"]
    assert nodes["d_a"].lines == ["Berör det kommunerna?"]
    assert nodes["n_f"].lines == ["Varje kommun beslutar", "(varje kommun)"]
    assert nodes["n_c"].lines == ["Kör sidoflödet", "→ delflöde: Sidoflöde"]
    assert nodes["e_slut_a"].lines == ["överlämnat till Intern", "rutin"]
    assert (nodes["e_h"].end, nodes["e_slut_g"].end) == ("ongoing", "stopped")


def test_mermaid_text(small: RulePack) -> None:
    text = mermaid.render([build_map(small, small.model.flows[1])])
    assert text == (
        '---\ntitle: "Sidoflöde"\n---\nflowchart LR\n'
        '    n_x["Sidosteg<br/><i>RVN</i>"]\n'
        '    n_y["Sidoslut<br/><i>RVN</i>"]\n'
        '    e_y((("slutfört")))\n'
        "    n_x --> n_y\n"
        "    n_y --> e_y\n"
        '    subgraph legend["Färger: huvudman"]\n'
        "        direction TB\n"
        '        legend_region["Region (Blå)"]:::region\n'
        "    end\n"
        "    classDef nationell fill:#eadcf2,stroke:#7b3f99,color:#111\n"
        "    classDef sjukvardsregional fill:#d5efef,stroke:#24807f,color:#111\n"
        "    classDef region fill:#d6e6f8,stroke:#2b63a8,color:#111\n"
        "    classDef gemensam fill:#e4e4e4,stroke:#6b6b6b,color:#111\n"
        "    classDef kommun fill:#d9efd2,stroke:#3a7f31,color:#111\n"
        "    classDef perparty stroke-width:3px,stroke-dasharray:6 3\n"
        "    classDef taken stroke:#d62728,stroke-width:4px,font-weight:bold\n"
        "    class n_x,n_y,e_y region\n"
    )


def test_mermaid_shapes_and_case(small: RulePack) -> None:
    result = run_case(small, answers())
    text = mermaid.render([build_map(small, small.model.flows[0], result)])
    lines = text.splitlines()
    assert '    d_a{"Berör det kommunerna?<br/>Svar: ja"}' in lines
    assert '    d_f{"Inför parten?<br/>Svar: ja: Alfa; nej: Beta"}' in lines
    assert '    n_c[["Kör sidoflödet<br/>→ delflöde: Sidoflöde<br/><i>LPO</i>"]]' in lines
    assert '    e_slut_g(("avslutat"))' in lines
    assert '    d_a -->|"ja"| n_b' in lines
    assert "    class n_f,d_f perparty" not in lines
    assert "    class n_f perparty" in lines
    taken = next(x for x in lines if x.endswith(" taken"))
    assert taken.split()[1].split(",") == [
        "n_a", "d_a", "n_b", "p_b", "n_c", "n_d", "j_e", "n_e", "n_f", "d_f", "n_g", "d_g", "n_h", "e_h"
    ]  # fmt: skip
    styled = [int(x.split()[1]) for x in lines if x.startswith("    linkStyle")]
    assert styled == [0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]


def test_svg_sheet_has_full_width_lanes_in_order(small: RulePack) -> None:
    flow_map = build_map(small, small.model.flows[0])
    sheet = arrange(flow_map, notes([flow_map]))
    assert [[c.name for c in row.columns] for row in sheet.rows] == [["Fas"], ["Fas (forts.)"]]
    for row in sheet.rows:
        assert list(row.lanes) == ["region", "gemensam", "kommun"]
        assert row.width == sheet.width
        tops = [top for top, _ in row.lanes.values()]
        assert tops == [row.top + PHASE_HEAD, *(top + height for top, height in list(row.lanes.values())[:-1])]
    row_of = {}
    for node in flow_map.nodes:
        box = sheet.boxes[node.id]
        [row_of[node.id]] = [
            k for k, row in enumerate(sheet.rows) if row.lanes[node.principal][0] <= box.y
            and box.bottom <= sum(row.lanes[node.principal])
        ]  # fmt: skip
        assert box.x >= LANE_HEAD
    boxes = list(sheet.boxes.values())
    overlapping = [
        (a.id, b.id) for a in boxes for b in boxes
        if a.id < b.id and a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom
    ]  # fmt: skip
    assert overlapping == []
    across = [(link.edge.source, link.edge.target, link.connector) for link in sheet.links if link.connector]
    expected = [(e.source, e.target) for e in flow_map.edges if row_of[e.source] != row_of[e.target]]
    assert across == [(s, t, k) for k, (s, t) in enumerate(expected, start=1)]


def test_route_around_goes_past_a_box_in_the_way() -> None:
    source, target = Box("a", 100, 40, x=0, y=0), Box("b", 100, 40, x=400, y=200)
    wall = Box("w", 60, 400, x=220, y=-100)
    plain = route(source, target)
    assert plain == [(100, 20), (250, 20), (250, 220), (400, 220)]
    assert route_around(source, target, [source, target], []) == plain
    around = route_around(source, target, [source, target, wall], [-150.0, 350.0])
    assert around == [(100, 20), (108, 20), (108, 350), (392, 350), (392, 220), (400, 220)]
    gap = Box("v", 60, 100, x=220, y=0)
    assert route_around(source, target, [source, target, gap], []) == [
        (100, 20), (164, 20), (164, 220), (400, 220)
    ]  # fmt: skip


def test_svg_draws_nodes_notes_and_digest(small: RulePack) -> None:
    flow_map = build_map(small, small.model.flows[0])
    drawn = svg.render([flow_map])
    assert drawn.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert f"<!-- kprocess-map-sha256: {svg.digest([flow_map])} -->" in drawn.splitlines()
    assert drawn.count("<g><title>") == 18
    assert re.findall(r">(eller [^<]+)</tspan>", drawn) == ["eller LPO [1]"]
    assert "[1] LPO när ”Vilken nivå?” är Helt" in drawn
    assert re.findall(r'font-weight="bold"><tspan[^>]*>(Fas[^<]*)<', drawn) == ["Fas", "Fas (forts.)"]
    heads = re.findall(r'font-weight="bold" text-anchor="middle">(.*?)</text>', drawn)
    lanes = [" ".join(re.findall(r">([^<]+)</tspan>", head)) for head in heads]
    assert lanes[:8] == ["Region (Blå)", "Gemensamt (Grå)", "Kommun (Grön)"] * 2 + ["1", "1"]  # connector 1
    assert sorted(lanes[8:]) == ["+", "+"]
    other = build_map(small, small.model.flows[0], run_case(small, answers()))
    assert svg.digest([other]) != svg.digest([flow_map])
    assert ">Svar: ja: Alfa; nej: Beta</tspan>" in svg.render([other])


def test_every_pack_draws_every_view() -> None:
    for name in PACKS:
        pack = load_pack(ROOT / "regions" / f"{name}.yaml")
        page = draw("html", pack)
        assert page.count("<svg") == len(pack.model.flows)
        assert re.findall(r'(?:src|href)="(?!#)[^"]*"', page) == []  # nothing fetched
        assert draw("mermaid", pack).count("    subgraph flow") == (
            len(pack.model.flows) if len(pack.model.flows) > 1 else 0
        )


@pytest.fixture(scope="module")
def node_modules() -> Path:
    if shutil.which("node") is None or not (JS / "node_modules" / "mermaid").is_dir():
        if IN_CI:
            pytest.fail("node and tests/js/node_modules are installed by .ci/run")
        pytest.skip("node or the npm packages in tests/js are not installed (`npm install --prefix tests/js`)")
    return JS / "node_modules"


def test_mermaid_parses_with_the_real_parser(node_modules: Path, tmp_path: Path, small: RulePack) -> None:
    files = []
    for name in PACKS:
        pack = load_pack(ROOT / "regions" / f"{name}.yaml")
        files.append(tmp_path / f"{name}.mmd")  # every flow of the pack, one subgraph each
        files[-1].write_text(draw("mermaid", pack), encoding="utf-8")
    files.append(tmp_path / "case.mmd")
    files[-1].write_text(draw_case(small, run_case(small, answers()), files[-1]), encoding="utf-8")
    (tmp_path / "broken.mmd").write_text('flowchart LR\n  a -->|"x| b\n', encoding="utf-8")
    done = subprocess.run(
        ["node", str(JS / "mermaid_parse.mjs"), *map(str, files), str(tmp_path / "broken.mmd")],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert {Path(f).name: r.get("type") for f, r in report.items()} == {
        **{f.name: "flowchart-v2" for f in files},
        "broken.mmd": None,
    }


def test_simulate_diagram_writes_the_case_map(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kprocess.cli.app import app

    case = ROOT / "regions/cases/vasternorrland/08_huvudman_beslutar_olika_sarskild_arbetsgrupp.yaml"
    target = tmp_path / "fall.md"
    pack = str(ROOT / "regions/vasternorrland.yaml")
    done = CliRunner().invoke(
        app, ["simulate", pack, "--case", str(case), "--no-input", "--compact", "--diagram", str(target)]
    )
    assert done.exit_code == 0, done.output
    text = target.read_text(encoding="utf-8").replace("<br/>", " ")
    assert text.startswith("```mermaid\n---\n") and text.endswith("```\n")
    assert "Svar: ja: Region Västernorrland, Härnösand, Kramfors, Sollefteå, Sundsvall, Örnsköldsvik; nej:" in text
    refused = CliRunner().invoke(app, ["simulate", pack, "--no-input", "--diagram", str(tmp_path / "fall.png")])
    assert isinstance(refused.exception, UsageError)
    assert str(refused.exception).endswith("okänd filändelse för en karta; använd en av .svg, .html, .htm, .mmd, .md")
    assert not (tmp_path / "fall.png").exists()


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if IN_CI:
            pytest.fail("chromium is installed by .ci/run")
        pytest.skip("chromium is not installed (`apt-get install -y chromium`)")
    return found


@pytest.mark.parametrize("name", PACKS)
def test_html_page_renders_in_chromium_without_console_errors(name: str, tmp_path: Path) -> None:
    chromium = _chromium()
    pack = load_pack(ROOT / "regions" / f"{name}.yaml")
    page = tmp_path / f"{name}.html"
    page.write_text(draw("html", pack), encoding="utf-8")
    done = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
            "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert [x for x in done.stderr.splitlines() if ":CONSOLE" in x] == []
    dom = done.stdout
    assert f"<h1>{pack.model.name}</h1>" in dom
    assert dom.count("<svg") == len(pack.model.flows)
    assert [h for h in re.findall(r'<h2 id="(\w+)"', dom)] == ["kallor", "karta", "steg", "fragor", "forum"]


@pytest.mark.parametrize("name", PACKS)
def test_committed_county_map_is_current(name: str) -> None:
    pack = load_pack(ROOT / "regions" / f"{name}.yaml")
    committed = (ROOT / "docs" / "regions" / "maps" / f"{name}.svg").read_text(encoding="utf-8")
    maps = [build_map(pack, f) for f in pack.model.flows]
    again = f"kprocess diagram regions/{name}.yaml --format svg -o docs/regions/maps/{name}.svg"
    assert f"<!-- kprocess-map-sha256: {svg.digest(maps)} -->" in committed, f"kartan är inaktuell: {again}"
    version = re.search(r"<!-- placed by graphviz ([^ ]+) -->", committed)
    assert version is not None
    if shutil.which("dot") is not None and svg.graphviz_version() == version.group(1):
        assert svg.render(maps) == committed, f"kartan är inaktuell: {again}"
    assert f"](maps/{name}.svg)" in (ROOT / "docs" / "regions" / f"{name}.md").read_text(encoding="utf-8")


def test_conditions_are_read_without_python_warnings(recwarn: pytest.WarningsRecorder) -> None:
    from kprocess.maps import bpmn_graph, flowmap

    assert (flowmap._names("1and x"), bpmn_graph._names("1and x")) == ({"x"}, {"x"})
    assert [str(w.message) for w in recwarn] == []


def test_joint_and_conditional_actors_are_on_the_step() -> None:
    pack = load_pack(ROOT / "regions" / "blekinge.yaml")
    flow_map = build_map(pack, next(f for f in pack.model.flows if f.id == "nominering_plats"))
    node = next(n for n in flow_map.nodes if n.id == "n_pl4_beredning")
    numbered = notes([flow_map])
    assert node.who == ["LPO + Samordnare KS"]
    assert other_lines(node, numbered) == ["eller Samordnare KS [2]", "beslutar: LPO + Samordnare KS [3]"]
    assert numbered[2].note(3) == (
        "[3] LPO + Samordnare KS beslutar när ”Gäller nomineringen en plats i LPO eller i LSG?” är Ledamot i "
        "lokalt programområde (LPO)"
    )
    drawn = mermaid.render([flow_map])
    assert "<i>LPO + Samordnare KS<br/>eller Samordnare KS [2]<br/>beslutar: LPO + Samordnare KS [3]</i>" in drawn
    assert ">beslutar: LPO + Samordnare KS [3]</tspan>" in svg.render([flow_map])


MEASURE = """<script>
const maps = [...document.querySelectorAll(".map svg")];
document.title = JSON.stringify({
  page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  maps: maps.map((svg) => [svg.getBoundingClientRect().width, svg.width.baseVal.value,
    svg.parentElement.getBoundingClientRect().width]),
});
</script>"""


def _measured(chromium: str, page: str, tmp_path: Path, name: str) -> dict[str, list[list[float]]]:
    """The page's widths in a 1366 × 768 window: [scroll, client] and per map [drawn, natural, box]."""
    path = tmp_path / f"{name}.html"
    path.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1366,768",
            "--hide-scrollbars", "--dump-dom", path.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    title = re.search(r"<title>(.*?)</title>", done.stdout)
    assert title is not None
    return json.loads(title.group(1).replace("&quot;", '"'))


@pytest.mark.parametrize("name", PACKS)
def test_html_map_fits_the_width_and_opens_full_size(name: str, tmp_path: Path) -> None:
    chromium = _chromium()
    pack = load_pack(ROOT / "regions" / f"{name}.yaml")
    page = draw("html", pack)
    fitted = _measured(chromium, page, tmp_path, "fitted")
    scroll, client = fitted["page"]
    assert scroll == client
    assert any(natural > box for _, natural, box in fitted["maps"])  # a map wider than the page
    for drawn, natural, box in fitted["maps"]:
        assert drawn == pytest.approx(min(natural, box - 2), abs=1)  # inside its 1px border
    full = _measured(chromium, page.replace('class="zoom" id=', 'class="zoom" checked id='), tmp_path, "full")
    assert full["page"][0] == full["page"][1]  # the map's own box scrolls, not the page
    assert [drawn for drawn, _, _ in full["maps"]] == [natural for _, natural, _ in full["maps"]]
