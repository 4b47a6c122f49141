"""Process maps: the step graph as BPMN 2.0, Mermaid, SVG and HTML."""
