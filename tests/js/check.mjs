// Reads each BPMN file with bpmn-moddle (every warning is a failure) and lints it with bpmnlint
// using the configuration in .bpmnlintrc beside this script. Prints one JSON report on stdout.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BpmnModdle } from "bpmn-moddle";
import { Linter } from "bpmnlint";
import NodeResolver from "bpmnlint/lib/resolver/node-resolver.js";

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(readFileSync(join(here, ".bpmnlintrc"), "utf8"));
const moddle = new BpmnModdle();
const report = {};

for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, "utf8");
  const { rootElement, warnings } = await moddle.fromXML(xml, "bpmn:Definitions");
  // A rule keeps state between calls (seen flows), so each file gets its own linter.
  const linter = new Linter({ config, resolver: new NodeResolver() });
  const lint = await linter.lint(rootElement);
  const problems = [];
  for (const [rule, reports] of Object.entries(lint)) {
    for (const r of reports) {
      problems.push({ rule, id: r.id, message: r.message, category: r.category });
    }
  }
  report[file] = { warnings: warnings.map((w) => w.message), problems };
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
