// Parses each Mermaid file with the real Mermaid parser. Prints one JSON report on stdout:
// file -> {"type": diagram type} or {"error": parser message}.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// Mermaid sanitises HTML labels with DOMPurify, which needs a DOM.
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

const report = {};
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, "utf8"));
    report[file] = { type: result.diagramType };
  } catch (error) {
    report[file] = { error: String(error.message || error) };
  }
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
