// Loads a cytoscape export into Cytoscape.js the way the README says,
// cy.json(doc) on a headless instance, and prints what Cytoscape.js holds as
// JSON. Usage: node load_cytoscape.mjs FILE
import { readFileSync } from "node:fs";
import cytoscape from "cytoscape";

const doc = JSON.parse(readFileSync(process.argv[2], "utf8"));
const cy = cytoscape({ headless: true });
cy.json(doc);
const out = {
  name: cy.data("name"),
  nodes: cy.nodes().map((n) => n.data()),
  edges: cy.edges().map((e) => ({ ...e.data(), sourceExists: e.source().nonempty(), targetExists: e.target().nonempty() })),
  // The selector the README gives for statement edges.
  statementEdges: cy.edges('[kind = "statement"]').map((e) => e.id()),
};
process.stdout.write(JSON.stringify(out));
