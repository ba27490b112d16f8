// The view's state and its URL form, so a link reproduces the view:
// /explore?focus=country:hungary&depth=2&asOf=2023-09-27&topic=topic:cybercrime
//   &types=ATTENDED,CHAIRED&expand=event:…&from=…&to=…&mode=SHORTEST&hops=4&edge=…
// and, for the discourse network instead of the relations, &discourse=CONGRUENCE
// (or CONFLICT).
import { RELATION_TYPES } from "./kinds.js";

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

// The discourse networks the view can draw instead of the relations.
export const DISCOURSE_KINDS = ["CONGRUENCE", "CONFLICT"];

export function emptyState() {
  return { focus: "", depth: 1, asOf: "", topic: "", types: [], expand: [], from: "", to: "", mode: "SHORTEST", hops: 4, edge: "", discourse: "" };
}

function list(v) {
  return (v || "").split(",").map((s) => s.trim()).filter(Boolean);
}

function int(v, lo, hi, fallback) {
  const n = Number.parseInt(v, 10);
  return Number.isInteger(n) && n >= lo && n <= hi ? n : fallback;
}

// parseState reads the state from a query string; values out of range fall
// back to the defaults rather than failing, so an old link still opens.
export function parseState(search) {
  const q = new URLSearchParams(search);
  const s = emptyState();
  s.focus = q.get("focus") || "";
  s.depth = int(q.get("depth"), 1, 3, 1);
  s.asOf = DATE.test(q.get("asOf") || "") ? q.get("asOf") : "";
  s.topic = q.get("topic") || "";
  s.types = list(q.get("types")).filter((t) => RELATION_TYPES.includes(t));
  s.expand = [...new Set(list(q.get("expand")))].filter((id) => id !== s.focus);
  s.from = q.get("from") || "";
  s.to = q.get("to") || "";
  s.mode = ["SHORTEST", "K_SHORTEST", "ALL_SIMPLE"].includes(q.get("mode")) ? q.get("mode") : "SHORTEST";
  s.hops = int(q.get("hops"), 1, 6, 4);
  s.edge = q.get("edge") || "";
  s.discourse = DISCOURSE_KINDS.includes(q.get("discourse")) ? q.get("discourse") : "";
  return s;
}

// stateQuery writes the state as a query string, leaving out defaults.
export function stateQuery(s) {
  const q = new URLSearchParams();
  if (s.focus) q.set("focus", s.focus);
  if (s.focus && s.depth !== 1) q.set("depth", String(s.depth));
  if (s.asOf) q.set("asOf", s.asOf);
  if (s.topic) q.set("topic", s.topic);
  if (s.types.length > 0) q.set("types", s.types.join(","));
  if (s.expand.length > 0) q.set("expand", s.expand.join(","));
  if (s.from) q.set("from", s.from);
  if (s.to) q.set("to", s.to);
  if ((s.from || s.to) && s.mode !== "SHORTEST") q.set("mode", s.mode);
  if ((s.from || s.to) && s.hops !== 4) q.set("hops", String(s.hops));
  if (s.edge) q.set("edge", s.edge);
  if (s.discourse) q.set("discourse", s.discourse);
  // Keep ":" and "," readable in the address bar; both are legal in a query.
  return q.toString().replace(/%3A/g, ":").replace(/%2C/g, ",");
}

export function validDate(v) {
  return DATE.test(v);
}

// exportHref is the /export link for the current selection.
export function exportHref(format, s) {
  const q = new URLSearchParams();
  if (s.focus) {
    q.set("root", s.focus);
    q.set("depth", String(s.depth));
  }
  if (s.asOf) q.set("asOf", s.asOf);
  if (s.topic) q.set("topic", s.topic);
  if (s.types.length > 0) q.set("relationTypes", s.types.join(","));
  const qs = q.toString().replace(/%3A/g, ":").replace(/%2C/g, ",");
  return `/export/${format}${qs ? "?" + qs : ""}`;
}
