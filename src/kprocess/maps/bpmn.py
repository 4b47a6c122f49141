"""BPMN 2.0 XML of a pack: one pool per flow with a lane per principal (or actor), and BPMNDI.

The process graphs come from `bpmn_graph`, their placement from `layout`. The lanes carry the
documents' colours (Blå = Region, Grön = Kommun, Grå = Gemensamt) in the BPMN colour extension
that bpmn.io and Camunda Modeler read.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from kprocess.maps.bpmn_graph import PARTY_VARIABLE, Graph, Node, Process, Scope, build_graph
from kprocess.maps.colours import LANES, OTHER
from kprocess.maps.flowmap import wrap
from kprocess.maps.layout import LANE_HEADER, Box, Placement, place, route_around
from kprocess.pack import RulePack

NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'xmlns:color="http://www.omg.org/spec/BPMN/non-normative/color/1.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
TARGET_NAMESPACE = "https://kprocess.se/bpmn"
SIZES = {
    "startEvent": (36.0, 36.0),
    "endEvent": (36.0, 36.0),
    "boundaryEvent": (36.0, 36.0),
    "exclusiveGateway": (50.0, 50.0),
    "parallelGateway": (50.0, 50.0),
    "inclusiveGateway": (50.0, 50.0),
}
TASK_SIZE = (140.0, 90.0)
LABEL_WIDTH, LABEL_HEIGHT = 120.0, 45.0
SUB_PAD = 30.0
POOL_GAP = 40.0
GATEWAYS = ("exclusiveGateway", "parallelGateway", "inclusiveGateway")
NOTE_WIDTHS = (240.0, 400.0, 560.0)
"""A text annotation's width: the narrowest that keeps it to `NOTE_LINES` lines (or the widest)."""
NOTE_GAP, NOTE_LINE, NOTE_LINES, NOTE_CHAR = 12.0, 15.0, 10, 6.5


def to_bpmn(pack: RulePack, flow: str | None = None, lanes: str = "principal") -> str:
    """The pack (or one flow and the flows it calls) as BPMN 2.0 XML with diagram interchange."""
    graph = build_graph(pack, flow, lanes)
    return _Writer(pack, graph, lanes).xml()


class _Writer:
    def __init__(self, pack: RulePack, graph: Graph, lanes_by: str) -> None:
        self.pack, self.graph, self.lanes_by = pack, graph, lanes_by
        self.out: list[str] = []
        self.shapes: list[str] = []

    def xml(self) -> str:
        out = self.out
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
        out.append(
            f'<bpmn:definitions {NAMESPACES} id="kprocess_{self.pack.model.id}" targetNamespace="{TARGET_NAMESPACE}">'
        )
        for ref, name in sorted(self.graph.messages.items()):
            out.append(f"  <bpmn:message id={quoteattr(ref)} name={quoteattr(name)}/>")
        for ref, name in sorted(self.graph.escalations.items()):
            out.append(
                f"  <bpmn:escalation id={quoteattr(ref)} name={quoteattr(name)} escalationCode={quoteattr(ref)}/>"
            )
        for ref, name in sorted(self.graph.errors.items()):
            out.append(f"  <bpmn:error id={quoteattr(ref)} name={quoteattr(name)} errorCode={quoteattr(ref)}/>")
        out.append(f'  <bpmn:collaboration id="samverkan_{self.pack.model.id}">')
        for process in self.graph.processes:
            out.append(
                f"    <bpmn:participant id={quoteattr('pool_' + process.flow)} name={quoteattr(process.name)} "
                f"processRef={quoteattr(process.id)}/>"
            )
        out.append("  </bpmn:collaboration>")
        top = 0.0
        for process in self.graph.processes:
            self.process(process)
            top = self.diagram(process, top) + POOL_GAP
        out.append(f'  <bpmndi:BPMNDiagram id="karta_{self.pack.model.id}" name={quoteattr(self.pack.model.name)}>')
        out.append(
            f'    <bpmndi:BPMNPlane id="plan_{self.pack.model.id}" bpmnElement="samverkan_{self.pack.model.id}">'
        )
        out += self.shapes
        out.append("    </bpmndi:BPMNPlane>")
        out.append("  </bpmndi:BPMNDiagram>")
        out.append("</bpmn:definitions>")
        return "\n".join(out) + "\n"

    # -- semantics ------------------------------------------------------------------------

    def process(self, process: Process) -> None:
        out = self.out
        out.append(f'  <bpmn:process id={quoteattr(process.id)} name={quoteattr(process.name)} isExecutable="true">')
        out.append(f'    <bpmn:laneSet id="banor_{process.flow}">')
        for key, name in process.lanes:
            out.append(f"      <bpmn:lane id={quoteattr(self.lane_id(process, key))} name={quoteattr(name)}>")
            for node in process.scope.nodes.values():
                if node.lane == key:
                    out.append(f"        <bpmn:flowNodeRef>{node.id}</bpmn:flowNodeRef>")
            out.append("      </bpmn:lane>")
        out.append("    </bpmn:laneSet>")
        for name in process.data_objects:
            out.append(f"    <bpmn:dataObject id={quoteattr(name)} name={quoteattr(name)}/>")
        self.scope(process.scope, "    ")
        out.append("  </bpmn:process>")

    def lane_id(self, process: Process, key: str) -> str:
        return f"bana_{process.flow}_{key}"

    def scope(self, scope: Scope, indent: str) -> None:
        incoming: dict[str, list[str]] = {}
        outgoing: dict[str, list[str]] = {}
        for flow in scope.flows:
            outgoing.setdefault(flow.source, []).append(flow.id)
            incoming.setdefault(flow.target, []).append(flow.id)
        for node in scope.nodes.values():
            self.node(node, indent, incoming.get(node.id, []), outgoing.get(node.id, []))
        for flow in scope.flows:
            attrs = f"id={quoteattr(flow.id)} sourceRef={quoteattr(flow.source)} targetRef={quoteattr(flow.target)}"
            if flow.name:
                attrs += f" name={quoteattr(flow.name)}"
            if flow.condition is None:
                self.out.append(f"{indent}<bpmn:sequenceFlow {attrs}/>")
            else:
                self.out.append(
                    f"{indent}<bpmn:sequenceFlow {attrs}>"
                    f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(flow.condition)}'
                    "</bpmn:conditionExpression></bpmn:sequenceFlow>"
                )
        for node in scope.nodes.values():
            if node.annotation is not None:
                note = _note_id(node.id)
                self.out.append(
                    f"{indent}<bpmn:textAnnotation id={quoteattr(note)}><bpmn:text>{escape(node.annotation)}"
                    "</bpmn:text></bpmn:textAnnotation>"
                )
                self.out.append(
                    f"{indent}<bpmn:association id={quoteattr(note + '_koppling')} sourceRef={quoteattr(node.id)} "
                    f'targetRef={quoteattr(note)} associationDirection="None"/>'
                )

    def node(self, node: Node, indent: str, incoming: list[str], outgoing: list[str]) -> None:
        attrs = f"id={quoteattr(node.id)}"
        if node.name:
            attrs += f" name={quoteattr(node.name)}"
        if node.default:
            attrs += f" default={quoteattr(node.default)}"
        if node.called:
            attrs += f" calledElement={quoteattr(node.called)}"
        if node.attached_to:
            attrs += f' attachedToRef={quoteattr(node.attached_to)} cancelActivity="true"'
        if node.kind == "scriptTask":
            attrs += ' scriptFormat="python"'
        inner = []
        if node.documentation:
            inner.append(
                f'<bpmn:documentation textFormat="text/plain">{escape(node.documentation)}</bpmn:documentation>'
            )
        inner += [f"<bpmn:incoming>{f}</bpmn:incoming>" for f in incoming]
        inner += [f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing]
        if node.multi:
            parts = [f"<bpmn:loopDataInputRef>{node.multi}</bpmn:loopDataInputRef>"]
            if node.output:
                parts.append(f"<bpmn:loopDataOutputRef>{node.output}_per_part</bpmn:loopDataOutputRef>")
            # SpiffWorkflow names the variables by the items' ids (unique in the file).
            party = f"{PARTY_VARIABLE}_{node.id}"
            parts.append(f'<bpmn:inputDataItem id="{party}" name="{PARTY_VARIABLE}"/>')
            if node.output:
                item = node.output_item or node.output
                parts.append(f'<bpmn:outputDataItem id="{item}" name="{item}"/>')
            inner.append(
                f"<bpmn:multiInstanceLoopCharacteristics>{''.join(parts)}</bpmn:multiInstanceLoopCharacteristics>"
            )
        if node.event == "terminate":
            inner.append(f'<bpmn:terminateEventDefinition id="{node.id}_def"/>')
        elif node.event == "message":
            inner.append(
                f'<bpmn:messageEventDefinition id="{node.id}_def" messageRef={quoteattr(node.event_ref or "")}/>'
            )
        elif node.event == "escalation":
            inner.append(
                f'<bpmn:escalationEventDefinition id="{node.id}_def" escalationRef={quoteattr(node.event_ref or "")}/>'
            )
        elif node.event == "error":
            inner.append(f'<bpmn:errorEventDefinition id="{node.id}_def" errorRef={quoteattr(node.event_ref or "")}/>')
        if node.script is not None:
            inner.append(f"<bpmn:script>{escape(node.script)}</bpmn:script>")
        if node.body is not None:
            self.out.append(f"{indent}<bpmn:{node.kind} {attrs}>")
            self.out += [f"{indent}  {line}" for line in inner]
            self.scope(node.body, indent + "  ")
            self.out.append(f"{indent}</bpmn:{node.kind}>")
        elif inner:
            self.out.append(f"{indent}<bpmn:{node.kind} {attrs}>{''.join(inner)}</bpmn:{node.kind}>")
        else:
            self.out.append(f"{indent}<bpmn:{node.kind} {attrs}/>")

    # -- diagram interchange ----------------------------------------------------------------

    def diagram(self, process: Process, top: float) -> float:
        """Shapes and edges of one pool whose top is at `top`; return its bottom."""
        left = 2 * LANE_HEADER
        placement = self.placed(process.scope, [k for k, _ in process.lanes], left)
        width = placement.width + 2 * LANE_HEADER
        pool = f"pool_{process.flow}"
        self.shapes.append(self.shape(pool, 0, top, width, placement.height, ' isHorizontal="true"'))
        for key, _ in process.lanes:
            lane_top, lane_height = placement.lanes[key]
            lane = LANES.get(key, OTHER)
            colour = f' isHorizontal="true" color:background-color="{lane.fill}" color:border-color="{lane.line}"'
            self.shapes.append(
                self.shape(
                    self.lane_id(process, key), LANE_HEADER, top + lane_top, width - LANE_HEADER, lane_height, colour
                )
            )
        self.draw(process.scope, placement, 0, top)
        return top + placement.height

    def placed(self, scope: Scope, lanes: list[str], left: float) -> Placement:
        """Lay out a scope; sub-process bodies first, so the sub-process box fits its body."""
        boxes: list[Box] = []
        self.bodies: dict[str, Placement] = getattr(self, "bodies", {})
        for node in scope.nodes.values():
            if node.kind == "boundaryEvent":
                continue
            if node.body is not None:
                body = self.placed(node.body, [], 0)
                self.bodies[node.id] = body
                boxes.append(Box(node.id, body.width + 2 * SUB_PAD, body.height + 2 * SUB_PAD, node.lane))
            else:
                width, height = SIZES.get(node.kind, TASK_SIZE)
                if node.kind in SIZES and node.name:  # room for the label below (and as much above)
                    width, height = max(width, LABEL_WIDTH), height + 2 * LABEL_HEIGHT
                if node.annotation is not None:  # room for the annotation above (and as much below)
                    note_width, note_height = _note_size(node.annotation)
                    width, height = max(width, note_width), height + 2 * (note_height + NOTE_GAP)
                boxes.append(Box(node.id, width, height, node.lane))
        hosts = {n.id: n.attached_to for n in scope.nodes.values() if n.attached_to}
        edges = [(hosts.get(f.source, f.source), f.target) for f in scope.flows]
        placement = place(boxes, edges, lanes, left=left)
        for box in placement.boxes.values():  # back to the shape's own size, centred where it was placed
            node = scope.nodes[box.id]
            if node.kind in SIZES or node.annotation is not None:
                width, height = SIZES.get(node.kind, TASK_SIZE)
                box.x, box.y = box.cx - width / 2, box.cy - height / 2
                box.width, box.height = width, height
        return placement

    def draw(self, scope: Scope, placement: Placement, dx: float, dy: float) -> None:
        boxes = placement.boxes
        attached: dict[str, int] = {}
        for node in scope.nodes.values():
            if node.attached_to is not None:
                host = boxes[node.attached_to]
                n = attached[host.id] = attached.get(host.id, 0) + 1
                width, height = SIZES["boundaryEvent"]
                boxes[node.id] = Box(
                    node.id, width, height, node.lane, host.right - n * (width + 6), host.bottom - height / 2
                )
        for node in scope.nodes.values():
            box = boxes[node.id]
            extra = ' isExpanded="true"' if node.body is not None else ""
            outside = node.kind.endswith(("Event", "Gateway")) and bool(node.name)
            self.shapes.append(self.shape(node.id, box.x + dx, box.y + dy, box.width, box.height, extra, outside))
            if node.body is not None:
                self.draw(node.body, self.bodies[node.id], box.x + dx + SUB_PAD, box.y + dy + SUB_PAD)
            if node.annotation is not None:
                self.note(node.id, node.annotation, box.cx + dx, box.y + dy)
        kinds = {n.id: n.kind for n in scope.nodes.values()}
        obstacles = [b for k, b in boxes.items() if kinds[k] != "boundaryEvent"]
        corridors = [y for top, height in placement.lanes.values() for y in (top + 8, top + height - 8)]
        for flow in scope.flows:
            source, target = boxes[flow.source], boxes[flow.target]
            if kinds[flow.source] == "boundaryEvent":
                points = [(source.cx, source.bottom), (source.cx, target.cy), (target.x, target.cy)]
                if target.cx <= source.cx:
                    points = [(source.cx, source.bottom), (source.cx, target.y)]
            else:
                points = route_around(
                    source,
                    target,
                    obstacles,
                    corridors,
                    source_gateway=kinds[flow.source] in GATEWAYS,
                    target_gateway=kinds[flow.target] in GATEWAYS,
                )
            waypoints = "".join(f'<di:waypoint x="{x + dx:.0f}" y="{y + dy:.0f}"/>' for x, y in points)
            label = ""
            if flow.name:
                (x0, y0), (x1, y1) = points[0], points[1]
                lx = (x0 + x1) / 2 + dx + 4 if abs(y0 - y1) < 1 else x0 + dx + 4
                ly = y0 + dy - 18 if abs(y0 - y1) < 1 else (y0 + y1) / 2 + dy - 7
                width = min(160.0, 7.0 * len(flow.name) + 6)
                bounds = f'<dc:Bounds x="{lx:.0f}" y="{ly:.0f}" width="{width:.0f}" height="14"/>'
                label = f"<bpmndi:BPMNLabel>{bounds}</bpmndi:BPMNLabel>"
            self.shapes.append(
                f'      <bpmndi:BPMNEdge id="{flow.id}_di" bpmnElement="{flow.id}">{waypoints}{label}</bpmndi:BPMNEdge>'
            )

    def note(self, node_id: str, text: str, cx: float, top: float) -> None:
        """The annotation centred above the task whose top middle is (cx, top), and its association."""
        note = _note_id(node_id)
        width, height = _note_size(text)
        y = top - NOTE_GAP - height
        self.shapes.append(self.shape(note, cx - width / 2, y, width, height))
        points = f'<di:waypoint x="{cx:.0f}" y="{top:.0f}"/><di:waypoint x="{cx:.0f}" y="{y + height:.0f}"/>'
        edge = f'id="{note}_koppling_di" bpmnElement="{note}_koppling"'
        self.shapes.append(f"      <bpmndi:BPMNEdge {edge}>{points}</bpmndi:BPMNEdge>")

    def shape(
        self, element: str, x: float, y: float, width: float, height: float, extra: str = "", label: bool = False
    ) -> str:
        bounds = f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="{height:.0f}"/>'
        if label:
            bounds += (
                f'<bpmndi:BPMNLabel><dc:Bounds x="{x + width / 2 - LABEL_WIDTH / 2:.0f}" y="{y + height + 4:.0f}" '
                f'width="{LABEL_WIDTH:.0f}" height="{LABEL_HEIGHT - 8:.0f}"/></bpmndi:BPMNLabel>'
            )
        return f'      <bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"{extra}>{bounds}</bpmndi:BPMNShape>'


def _note_id(node_id: str) -> str:
    return f"ansvar_{node_id}"


def _note_size(text: str) -> tuple[float, float]:
    """Width and height of the annotation holding `text`, wrapped as bpmn.io wraps it."""
    for width in NOTE_WIDTHS:
        lines = sum(len(wrap(line, int((width - 10) / NOTE_CHAR))) for line in text.splitlines())
        if lines <= NOTE_LINES:
            break
    return width, lines * NOTE_LINE + 10
