// Rebuilds a graphology export with Graph.from(doc), as sigma.js users do,
// and prints what graphology holds as JSON. Usage: node load_graphology.mjs FILE
import { readFileSync } from "node:fs";
import Graph from "graphology";

const doc = JSON.parse(readFileSync(process.argv[2], "utf8"));
const g = Graph.from(doc);
const out = {
  type: g.type,
  multi: g.multi,
  allowSelfLoops: g.allowSelfLoops,
  name: g.getAttribute("name"),
  order: g.order,
  size: g.size,
  nodes: g.mapNodes((key, attrs) => ({ key, attrs })),
  edges: g.mapEdges((key, attrs, source, target) => ({ key, source, target, attrs })),
  // The filter the README gives for statement edges.
  statementEdges: g.filterEdges((e, a) => a.kind === "statement"),
};
process.stdout.write(JSON.stringify(out));
