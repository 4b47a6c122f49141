"""BPMN export: structure, diagram interchange, SpiffWorkflow runs every golden case along
kprocess's path, and bpmn-moddle and bpmnlint read every export clean."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kprocess.cli.app import app
from kprocess.engine import run_case
from kprocess.engine.run import RunError
from kprocess.golden import answers_for, case_files, load_case
from kprocess.maps.bpmn import to_bpmn
from kprocess.maps.bpmn_graph import condition_python
from kprocess.maps.responsible import annotation
from kprocess.pack import RulePack, load_pack
from tests.conftest import CONSTRUCTS, IN_CI, PACKS, ROOT

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
}
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
FLOW_NODES = {
    "task",
    "userTask",
    "scriptTask",
    "callActivity",
    "subProcess",
    "startEvent",
    "endEvent",
    "boundaryEvent",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
}
JS = ROOT / "tests" / "js"
SHARED = ROOT / "tests" / "data" / "shared_call.yaml"
"""The same steps in two pools (one goes on into them, one calls them as a flow of their own)."""


@cache
def pack_of(path: Path) -> RulePack:
    return load_pack(path)


@cache
def exported(path: Path, lanes: str = "principal") -> ET.Element:
    return ET.fromstring(to_bpmn(pack_of(path), lanes=lanes))


def local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[1]


def test_lanes_hold_the_steps_of_their_principal() -> None:
    pack = pack_of(ROOT / "regions" / "vasternorrland.yaml")
    root = exported(ROOT / "regions" / "vasternorrland.yaml")
    process = root.find("bpmn:process", NS)
    assert process is not None
    lanes = {
        lane.get("id"): {ref.text for ref in lane.findall("bpmn:flowNodeRef", NS) if ref.text in pack.steps}
        for lane in process.iter(f"{BPMN}lane")
    }
    expected: dict[str, set[str]] = {}
    for step in pack.model.steps:
        expected.setdefault(f"bana_huvudflode_{pack.actors[step.actor].principal.value}", set()).add(step.id)
    assert lanes == expected
    names = [lane.get("name") for lane in process.iter(f"{BPMN}lane")]
    assert names == ["Nationell nivå", "Region", "Gemensamt", "Kommun"]


def test_lanes_per_actor() -> None:
    pack = pack_of(ROOT / "regions" / "vasternorrland.yaml")
    root = exported(ROOT / "regions" / "vasternorrland.yaml", "actor")
    lanes = {
        lane.get("id"): {ref.text for ref in lane.findall("bpmn:flowNodeRef", NS) if ref.text in pack.steps}
        for lane in root.iter(f"{BPMN}lane")
    }
    expected: dict[str, set[str]] = {}
    for step in pack.model.steps:
        expected.setdefault(f"bana_huvudflode_{step.actor}", set()).add(step.id)
    assert lanes == expected


def test_routes_become_an_exclusive_gateway_with_the_conditions() -> None:
    pack = pack_of(ROOT / "regions" / "vasternorrland.yaml")
    root = exported(ROOT / "regions" / "vasternorrland.yaml")
    flows = {f.get("id"): f for f in root.iter(f"{BPMN}sequenceFlow")}
    gateways = {g.get("id"): g for g in root.iter(f"{BPMN}exclusiveGateway")}
    s4 = gateways["val_s4"]
    assert s4.get("name") == "Berör kunskapsstödet kommunerna?"
    out = [flows[o.text or ""] for o in s4.findall("bpmn:outgoing", NS)]
    assert [(f.get("targetRef"), f.findtext("bpmn:conditionExpression", None, NS)) for f in out] == [
        ("s4_kfvn", "beror_kommunerna"),
        ("s4_regionintern", None),
    ]
    assert s4.get("default") == out[1].get("id")
    checked = 0
    for step in pack.model.steps:
        if not step.routes or step.id not in {g.removeprefix("val_") for g in gateways}:
            continue
        out = [flows[o.text or ""] for o in gateways[f"val_{step.id}"].findall("bpmn:outgoing", NS)]
        conditions = [f.findtext("bpmn:conditionExpression", None, NS) for f in out]
        assert conditions == [condition_python(r.when) if r.when else None for r in step.routes]
        checked += 1
    assert checked == sum(1 for s in pack.model.steps if s.routes)


def test_constructs_have_their_bpmn_elements() -> None:
    root = exported(ROOT / "regions" / "blekinge.yaml")
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert local(by_id["p5_tillsatter_lag"]) == "callActivity"
    assert by_id["p5_tillsatter_lag"].get("calledElement") == "process_nominering"
    assert local(by_id["p4_huvudman_tar_emot"]) == "task"
    loop = by_id["p4_huvudman_tar_emot"].find("bpmn:multiInstanceLoopCharacteristics", NS)
    assert loop is not None and loop.findtext("bpmn:loopDataInputRef", None, NS) == "parter"
    body = by_id["varje_part_p5_linjechefer_beslutar"]
    assert local(body) == "subProcess"
    assert body.find("bpmn:multiInstanceLoopCharacteristics/bpmn:loopDataOutputRef", NS) is not None
    assert local(by_id["p5_linjechefer_beslutar"]) == "userTask"
    assert local(by_id["dela_nn2_spridning"]) == "inclusiveGateway"
    assert by_id["slut_p3_ej_faststallt"].find("bpmn:terminateEventDefinition", NS) is not None
    assert by_id["slut_p2_till_kunskapsradet"].find("bpmn:messageEventDefinition", NS) is not None
    assert by_id["slut_n1_ingen_lag"].find("bpmn:escalationEventDefinition", NS) is not None
    assert local(by_id["p5_tillsatter_lag_stopped"]) == "boundaryEvent"
    assert local(by_id["ateruppta_p4_lsvo_avvaktar"]) == "exclusiveGateway"
    doc = by_id["p2_inhamta_svar"].findtext("bpmn:documentation", None, NS) or ""
    assert doc.startswith("Källa: 004 ")
    assert [p.get("processRef") for p in root.iter(f"{BPMN}participant")] == [
        f"process_{f.id}" for f in pack_of(ROOT / "regions" / "blekinge.yaml").model.flows
    ]


@pytest.mark.parametrize("path", [*PACKS, CONSTRUCTS, SHARED], ids=lambda p: p.stem)
def test_every_flow_node_and_flow_is_drawn(path: Path) -> None:
    root = exported(path)
    semantic = {e.get("id") for e in root.iter() if local(e) in FLOW_NODES | {"participant", "lane", "textAnnotation"}}
    edges = {e.get("id") for e in root.iter() if local(e) in ("sequenceFlow", "association")}
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane is not None
    shapes = [s.get("bpmnElement") for s in plane.findall("bpmndi:BPMNShape", NS)]
    drawn_edges = [e.get("bpmnElement") for e in plane.findall("bpmndi:BPMNEdge", NS)]
    assert Counter(shapes) == Counter(semantic)
    assert Counter(drawn_edges) == Counter(edges)
    for edge in plane.findall("bpmndi:BPMNEdge", NS):
        assert len(edge.findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")) >= 2


def split_regions(pack: RulePack) -> set[str]:
    """Steps run inside a parallel branch or per party (their order between tokens may differ)."""
    joins = {s.join: s.id for s in pack.model.steps if s.join}
    inside: set[str] = set()

    def walk(first: str, join: str) -> None:
        todo = [first]
        while todo:
            step = pack.steps[todo.pop()]
            if step.id in inside:
                continue
            inside.add(step.id)
            targets = [t for t, _ in step.branches] + [r.target for r in step.routes]
            targets += [step.next] if step.next else []
            todo += [t for t in targets if t != join]

    for step in pack.model.steps:
        if step.for_each:
            walk(step.id, joins[step.id])
        for target, _ in step.branches:
            walk(target, joins[step.id])
    return inside


GOLDEN = [(pack, case) for pack in PACKS for case in case_files(pack, pack.stem)]


@pytest.mark.parametrize("pack_path", PACKS, ids=lambda p: p.stem)
def test_spiffworkflow_takes_the_steps_kprocess_takes(pack_path: Path) -> None:
    pytest.importorskip("SpiffWorkflow")
    from kprocess.maps.spiff import SpiffCase

    pack = pack_of(pack_path)
    inside = split_regions(pack)
    engines: dict[str | None, SpiffCase] = {}
    cases = case_files(pack_path, pack.model.id)
    assert cases
    for path in cases:
        case = load_case(path)
        answers = answers_for(pack, case)
        try:
            result = run_case(pack, answers, flow=case.flow)
        except RunError as error:
            assert error.partial is not None
            result = error.partial
        if case.flow not in engines:
            engines[case.flow] = SpiffCase(pack, case.flow)
        run = engines[case.flow].run(answers)
        expected = [(e.step, e.party) for e in result.trace]
        assert (path.name, run.status) == (path.name, result.status.value)
        assert (path.name, Counter(run.steps)) == (path.name, Counter(expected))
        outside = [s for s, _ in run.steps if s not in inside]
        assert (path.name, outside) == (path.name, [s for s, _ in expected if s not in inside])


def test_a_loop_past_its_bound_ends_at_the_error_event() -> None:
    pytest.importorskip("SpiffWorkflow")
    from kprocess.answers import Answers
    from kprocess.maps.spiff import SpiffCase

    pack = pack_of(ROOT / "regions" / "vasternorrland.yaml")
    case = load_case(ROOT / "regions" / "cases" / "vasternorrland" / "05_styrgrupp_komplettering_delvis.yaml")
    answers: Answers = answers_for(pack, case)
    answers.given[("underlag_behover_kompletteras", None)] = [True]
    with pytest.raises(RunError) as error:
        run_case(pack, answers)
    assert error.value.partial is not None
    run = SpiffCase(pack).run(answers)
    assert run.status == "failed"
    inside = split_regions(pack)
    # kprocess stops as the route past the bound is chosen; the BPMN counts after the step is done.
    expected = [e.step for e in error.value.partial.trace if e.step not in inside]
    assert [s for s, _ in run.steps if s not in inside] == [*expected, "s22"]
    assert expected.count("s22") == 5  # max_times: 5


def exports(tmp: Path) -> list[Path]:
    files = []
    for path in [*PACKS, CONSTRUCTS, SHARED]:
        pack = pack_of(path)
        for lanes in ("principal", "actor"):
            target = tmp / f"{path.stem}_{lanes}.bpmn"
            target.write_text(to_bpmn(pack, lanes=lanes), encoding="utf-8")
            files.append(target)
        for flow in pack.model.flows[1:]:
            target = tmp / f"{path.stem}_{flow.id}.bpmn"
            target.write_text(to_bpmn(pack, flow.id), encoding="utf-8")
            files.append(target)
    return files


def test_bpmn_moddle_and_bpmnlint_read_every_export_clean(tmp_path: Path) -> None:
    node = shutil.which("node")
    installed = (JS / "node_modules" / "bpmnlint").is_dir()
    if node is None or not installed:
        assert not IN_CI, "Node.js och `npm ci` i tests/js behövs (.ci/run gör det)"
        pytest.skip("Node.js eller npm-paketen i tests/js saknas (`npm ci --prefix tests/js`)")
    files = exports(tmp_path)
    done = subprocess.run([node, str(JS / "check.mjs"), *map(str, files)], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert sorted(report) == sorted(map(str, files))
    assert {name: (r["warnings"], r["problems"]) for name, r in report.items()} == {str(f): ([], []) for f in files}


def test_lint_configuration_switches_off_only_justified_rules() -> None:
    config = json.loads((JS / ".bpmnlintrc").read_text(encoding="utf-8"))
    assert config["extends"] == "bpmnlint:recommended"
    off = sorted(rule for rule, level in config.get("rules", {}).items() if level == "off")
    assert off == sorted(config["justification"])


def test_diagram_command_writes_the_export(tmp_path: Path) -> None:
    runner = CliRunner()
    pack = ROOT / "regions" / "orebro.yaml"
    printed = runner.invoke(app, ["diagram", str(pack), "--format", "bpmn", "--flow", "utse_kommunala_representanter"])
    assert printed.exit_code == 0
    assert printed.stdout == to_bpmn(pack_of(pack), "utse_kommunala_representanter")
    target = tmp_path / "karta.bpmn"
    written = runner.invoke(app, ["diagram", str(pack), "-o", str(target), "--lanes", "actor"])
    assert (written.exit_code, written.stdout) == (0, "")
    assert target.read_text(encoding="utf-8") == to_bpmn(pack_of(pack), lanes="actor")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "visio"], "okänt format `visio`"),
        (["--flow", "saknas"], "flödet `saknas` finns inte"),
        (["--lanes", "fas"], "okänd indelning i banor `--lanes fas`"),
    ],
)
def test_diagram_command_refuses_unknown_options(args: list[str], message: str) -> None:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "kprocess"), "diagram", str(ROOT / "regions" / "orebro.yaml"), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_conditional_and_joint_actors_are_annotated_beside_the_task() -> None:
    root = exported(ROOT / "regions" / "blekinge.yaml")
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    note = by_id["ansvar_pl4_beredning"]
    assert local(note) == "textAnnotation"
    assert (note.findtext("bpmn:text", None, NS) or "").splitlines() == [
        "Ansvarig: LPO + Samordnare KS",
        "Ansvarig när ”Gäller nomineringen en plats i LPO eller i LSG?” är Ledamot i lokal samverkansgrupp (LSG): "
        "Samordnare KS",
        "Beslutar när ”Gäller nomineringen en plats i LPO eller i LSG?” är Ledamot i lokalt programområde (LPO): "
        "LPO + Samordnare KS",
    ]
    link = by_id["ansvar_pl4_beredning_koppling"]
    assert (local(link), link.get("sourceRef"), link.get("targetRef")) == (
        "association",
        "pl4_beredning",
        "ansvar_pl4_beredning",
    )
    assert by_id["ansvar_p2_inom_overenskommelsen"].findtext("bpmn:text", None, NS) == "Ansvarig: Samordnare KS + RSS"
    assert "ansvar_p2_till_kunskapsradet" not in by_id  # its actor alone


@pytest.mark.parametrize("path", [*PACKS, CONSTRUCTS, SHARED], ids=lambda p: p.stem)
def test_annotations_sit_above_their_task_in_its_lane_clear_of_other_shapes(path: Path) -> None:
    pack = pack_of(path)
    root = exported(path)
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane is not None
    bounds = {}
    for shape in plane.findall("bpmndi:BPMNShape", NS):
        box = shape.find("dc:Bounds", {"dc": "http://www.omg.org/spec/DD/20100524/DC"})
        assert box is not None
        bounds[shape.get("bpmnElement")] = tuple(float(box.get(k) or 0) for k in ("x", "y", "width", "height"))
    kinds = {e.get("id"): local(e) for e in root.iter() if e.get("id")}
    links = [e for e in root.iter(f"{BPMN}association")]
    annotated = {_step(pack, link.get("sourceRef") or "") for link in links}
    assert annotated == {s.id for s in pack.model.steps if annotation(pack, s)}
    lanes = [bounds[i] for i, k in kinds.items() if k == "lane"]
    shapes = [(i, bounds[i]) for i, k in kinds.items() if k in FLOW_NODES - {"subProcess"} | {"textAnnotation"}]
    for link in links:
        task, note = bounds[link.get("sourceRef")], bounds[link.get("targetRef")]
        x, y, width, height = note
        assert (x + width / 2, y + height) == pytest.approx((task[0] + task[2] / 2, task[1] - 12), abs=1)
        [lane] = [lane for lane in lanes if _inside(task, lane)]
        assert _inside(note, lane), link.get("targetRef")
        crossing = [i for i, other in shapes if other != note and _overlap(note, other)]
        assert crossing == [], link.get("targetRef")


def _step(pack: RulePack, element: str) -> str:
    element = element.removeprefix("steg_")
    return element if element in pack.steps else element.partition("__")[2]


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[0] + inner[2] <= outer[0] + outer[2]
        and (inner[1] + inner[3] <= outer[1] + outer[3])
    )


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_steps_in_two_pools_get_ids_of_their_own() -> None:
    root = exported(SHARED)
    ids = Counter(e.get("id") for e in root.iter() if e.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []
    pools = {
        p.get("id"): sorted(e.get("id") or "" for e in p.iter() if local(e) in ("task", "userTask", "callActivity"))
        for p in root.iter(f"{BPMN}process")
    }
    assert pools == {
        "process_remiss": ["i1", "i2", "i3", "i4", "inget", "r1"],
        "process_lokalt": ["l1", "l2", "l3"],
        "process_inforande": ["inforande__i1", "inforande__i2", "inforande__i3", "inforande__i4", "inforande__inget"],
        "process_lag": ["g1"],
    }
    items = [e.get("id") for e in root.iter(f"{BPMN}outputDataItem")]
    assert items == ["infor", "svar_varje_part_inforande__i2"]
    copy = root.find(".//bpmn:scriptTask[@id='varje_part_inforande__i2_svar']", NS)
    assert copy is not None and copy.findtext("bpmn:script", None, NS) == "svar_varje_part_inforande__i2 = infor"


@pytest.mark.parametrize(
    ("flow", "infor", "status"),
    [
        ("remiss", [True, False], "completed"),
        ("lokalt", [False, True], "completed"),
        ("lokalt", [False, False], "stopped"),
    ],
)
def test_spiffworkflow_runs_steps_drawn_in_two_pools(flow: str, infor: list[bool], status: str) -> None:
    pytest.importorskip("SpiffWorkflow")
    from kprocess.answers import Answers
    from kprocess.enums import FanOut
    from kprocess.maps.spiff import SpiffCase

    pack = pack_of(SHARED)
    answers = Answers(pack.questions, pack.parties(FanOut.municipalities), memo={})
    for party, value in zip(pack.parties(FanOut.municipalities), infor, strict=True):
        answers.given[("infor", party)] = [value]
    result = run_case(pack, answers, flow=flow)
    run = SpiffCase(pack, flow, every_flow=True).run(answers)
    assert (run.status, Counter(run.steps)) == (status, Counter((e.step, e.party) for e in result.trace))
    assert result.status.value == status
