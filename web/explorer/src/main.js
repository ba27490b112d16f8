// The stakegraph explorer: a Cytoscape view of the graph that grows as the
// user searches and clicks, driven by the GraphQL API at /graphql. The view
// is a function of its state (focus, depth, filters, expanded nodes, path
// ends, selected edge), which lives in the URL so a link reproduces it. In
// discourse mode the view draws the actor network of the statements
// (discourseNetwork) instead of the relations.
import cytoscape from "cytoscape";
import { gql, QUERIES } from "./api.js";
import { KINDS, RELATION_TYPES, EXPORT_FORMATS, legendShape, relationTypesFor } from "./kinds.js";
import { parseState, stateQuery, validDate, exportHref } from "./state.js";
import { setupStatements, showStatements, showDiscourseEdge } from "./statements.js";
import { setupEditing, nodeShown, edgeShown, currentRole } from "./edit.js";
import { setupIngest } from "./ingest.js";

const $ = (id) => document.getElementById(id);

let state = parseState(window.location.search);
let busy = 0; // requests and layouts in flight; the test hook waits for 0
let generation = 0; // bumps on every rebuild, so stale answers are dropped
let lastError = null;
let shownPaths = []; // the paths last drawn, as returned by the API
let nodePanelFor = "";

// ---------------------------------------------------------------- helpers

function track(promise) {
  busy++;
  return promise.finally(() => {
    busy--;
  });
}

function showError(err) {
  if (err && err.name === "AbortError") return;
  lastError = { message: (err && err.message) || String(err), code: (err && err.code) || "" };
  $("error-message").textContent = lastError.message;
  $("error-code").textContent = lastError.code;
  $("error-code").hidden = !lastError.code;
  $("error").dataset.code = lastError.code;
  $("error").hidden = false;
}

function clearError() {
  lastError = null;
  $("error").hidden = true;
  $("error").dataset.code = "";
}

function syncURL() {
  const qs = stateQuery(state);
  window.history.replaceState(null, "", "/explore" + (qs ? "?" + qs : ""));
  renderExports();
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c);
  }
  return e;
}

function dateRange(x) {
  if (x.start && x.end) return `${x.start} – ${x.end}`;
  if (x.start) return `since ${x.start}`;
  if (x.end) return `until ${x.end}`;
  return "undated";
}

// ---------------------------------------------------------------- graph

const KIND_STYLE = Object.fromEntries(KINDS.map((k) => [k.kind, k]));

const cy = cytoscape({
  container: $("cy"),
  minZoom: 0.15,
  maxZoom: 3,
  wheelSensitivity: 0.3,
  boxSelectionEnabled: false,
  style: [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "background-color": (n) => (KIND_STYLE[n.data("kind")] || {}).color || "#999",
        shape: (n) => (KIND_STYLE[n.data("kind")] || {}).shape || "rectangle",
        width: 26,
        height: 26,
        "border-width": 1,
        "border-color": "#44505c",
        "font-size": 9,
        color: "#1d2329",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "ellipsis",
        "text-max-width": "120px",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
      },
    },
    { selector: "node.focus", style: { width: 40, height: 40, "border-width": 3, "border-color": "#1d2329", "font-weight": "bold" } },
    { selector: "node.expanded", style: { "border-width": 2, "border-color": "#1d2329" } },
    { selector: "node:selected", style: { "overlay-color": "#1d2329", "overlay-opacity": 0.15, "overlay-padding": 6 } },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "curve-style": "bezier",
        "line-color": "#8c96a0",
        "target-arrow-shape": "triangle",
        "target-arrow-color": "#8c96a0",
        "arrow-scale": 0.8,
        "font-size": 7,
        color: "#44505c",
        "text-rotation": "autorotate",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
      },
    },
    { selector: "edge.undated", style: { "line-style": "dashed" } },
    { selector: "edge:selected", style: { width: 4, "line-color": "#1d2329", "target-arrow-color": "#1d2329", label: "data(type)", "z-index": 20 } },
    { selector: ".dim", style: { opacity: 0.35 } },
    { selector: "node.path", style: { "border-width": 4, "border-color": "#d6336c", opacity: 1 } },
    { selector: "edge.path", style: { width: 4, "line-color": "#d6336c", "target-arrow-color": "#d6336c", label: "data(type)", "z-index": 10, opacity: 1 } },
    { selector: "node.path-selected", style: { "border-width": 6 } },
    { selector: "node.fresh", style: { "border-width": 4, "border-color": "#2b8a3e", "z-index": 30 } },
    { selector: "edge.fresh", style: { width: 4, "line-color": "#2b8a3e", "target-arrow-color": "#2b8a3e", label: "data(type)", "z-index": 30 } },
    { selector: "edge.path-selected", style: { width: 7 } },
    // Discourse ties are undirected and as wide as the concepts behind them.
    {
      selector: "edge.discourse",
      style: {
        width: (e) => discourseWidth(e.data("weight")),
        "target-arrow-shape": "none",
        "line-style": "solid",
        label: "data(weight)",
        "font-size": 9,
      },
    },
    { selector: "edge.congruence", style: { "line-color": "#2f9e44" } },
    { selector: "edge.conflict", style: { "line-color": "#e03131" } },
    { selector: "edge.discourse:selected", style: { width: (e) => discourseWidth(e.data("weight")) + 2, "line-color": "#1d2329" } },
  ],
});

// discourseWidth grows with the weight, and slower for the heavy ties.
function discourseWidth(weight) {
  return 1.5 + 2.5 * Math.sqrt(Math.max(weight || 1, 1));
}

function nodeElement(n) {
  return { group: "nodes", data: { id: n.id, kind: n.kind, label: n.label } };
}

function edgeElement(e) {
  return {
    group: "edges",
    data: {
      id: e.id, source: e.source, target: e.target, type: e.type, role: e.role, status: e.status,
      start: e.start, end: e.end, confidence: e.confidence, undated: e.undated, weight: e.weight,
    },
    classes: e.weight !== undefined && e.weight !== null ? `discourse ${e.type.toLowerCase()}` : e.undated ? "undated" : "",
  };
}

// place gives each new node a starting position next to a drawn neighbour
// (or on rings around the focus), so the layout starts from a stable picture
// and an expansion does not scramble what the user already saw.
function place(newNodes) {
  const ringIndex = new Map();
  let loose = 0;
  newNodes.forEach((node) => {
    const anchor = node.neighborhood("node").filter((m) => !newNodes.contains(m)).first();
    if (anchor.nonempty()) {
      const i = ringIndex.get(anchor.id()) || 0;
      ringIndex.set(anchor.id(), i + 1);
      const angle = i * 2.39996; // the golden angle spreads any count evenly
      const r = 70 + 8 * Math.sqrt(i);
      const p = anchor.position();
      node.position({ x: p.x + r * Math.cos(angle), y: p.y + r * Math.sin(angle) });
    } else {
      const angle = loose * 2.39996;
      const r = loose === 0 ? 0 : 60 * Math.sqrt(loose);
      node.position({ x: r * Math.cos(angle), y: r * Math.sin(angle) });
      loose++;
    }
  });
}

// placeRings lays a fresh view out in rings by distance from the focus.
function placeRings() {
  const root = cy.getElementById(state.focus);
  if (root.empty()) {
    place(cy.nodes());
    return;
  }
  const level = new Map([[root.id(), 0]]);
  cy.elements().bfs({
    roots: root,
    visit: (v, e, u, i, depth) => {
      level.set(v.id(), depth);
    },
    directed: false,
  });
  const rings = new Map();
  cy.nodes().forEach((n) => {
    const l = level.has(n.id()) ? level.get(n.id()) : 4;
    if (!rings.has(l)) rings.set(l, []);
    rings.get(l).push(n);
  });
  for (const [l, nodes] of rings) {
    nodes.sort((a, b) => (a.id() < b.id() ? -1 : 1));
    nodes.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / nodes.length;
      n.position({ x: 140 * l * Math.cos(angle), y: 140 * l * Math.sin(angle) });
    });
  }
}

function runLayout() {
  if (cy.nodes().empty()) return Promise.resolve();
  const layout = cy.layout({
    name: "cose",
    animate: false,
    randomize: false,
    fit: true,
    padding: 40,
    nodeDimensionsIncludeLabels: true,
    nodeRepulsion: () => 12000,
    idealEdgeLength: () => 70,
    edgeElasticity: () => 100,
    gravity: 0.5,
    numIter: 1000,
  });
  const done = layout.pon("layoutstop");
  layout.run();
  return track(done);
}

// setElements makes the view hold exactly these nodes and edges, keeping
// the positions of the ones already drawn; it returns the new nodes.
function setElements(nodes, edges) {
  const keep = new Set([...nodes.keys(), ...edges.keys()]);
  cy.elements().filter((e) => !keep.has(e.id())).remove();
  return addElements(nodes, edges);
}

// addElements adds what is not drawn yet; it returns the new nodes.
function addElements(nodes, edges) {
  const added = [];
  for (const n of nodes.values()) {
    const existing = cy.getElementById(n.id);
    if (existing.empty()) added.push(nodeElement(n));
    else existing.data("label", n.label);
  }
  const newNodes = cy.add(added);
  const addedEdges = [];
  for (const e of edges.values()) {
    const existing = cy.getElementById(e.id);
    // A drawn edge takes the new answer's values (a discourse tie's weight
    // changes with the filters).
    if (existing.empty()) addedEdges.push(edgeElement(e));
    else existing.data(edgeElement(e).data);
  }
  cy.add(addedEdges);
  return newNodes;
}

function markFocus() {
  cy.nodes().removeClass("focus expanded");
  if (!state.discourse) {
    // The discourse network has no focus: it is the speakers' whole network.
    if (state.focus) cy.getElementById(state.focus).addClass("focus");
    for (const id of state.expand) cy.getElementById(id).addClass("expanded");
  }
  $("empty").hidden = !cy.nodes().empty() || !!state.focus || !!state.discourse;
  const n = cy.nodes().length;
  const m = cy.edges().length;
  $("discourse-empty").hidden = !state.discourse || n > 0;
  if (state.discourse) {
    const what = state.discourse === "CONFLICT" ? "opposed" : "shared";
    $("status").textContent = `${n} speaker${n === 1 ? "" : "s"}, ${m} tie${m === 1 ? "" : "s"} of ${what} stances` +
      (state.asOf ? ` as of ${state.asOf}` : "");
    return;
  }
  $("status").textContent = state.focus || n > 0
    ? `${n} node${n === 1 ? "" : "s"}, ${m} relation${m === 1 ? "" : "s"}` + (state.asOf ? ` as of ${state.asOf}` : "")
    : "";
}

function scopeVars() {
  return {
    types: state.types.length > 0 ? state.types : null,
    topic: state.topic || null,
    asOf: state.asOf || null,
  };
}

async function fetchNeighborhood(id, depth) {
  const data = await gql(QUERIES.neighborhood, { id, depth, ...scopeVars() });
  return data.neighborhood;
}

function mergeInto(nodes, edges, sub) {
  for (const n of sub.nodes) nodes.set(n.id, n);
  for (const e of sub.edges) edges.set(e.id, e);
}

// rebuild redraws the whole view from the state: the focus' neighbourhood,
// each expanded node's, the paths between the chosen ends, the selected
// edge. Filters and links come through here.
async function rebuild() {
  const gen = ++generation;
  busy++;
  clearError();
  try {
    if (state.discourse) {
      await rebuildDiscourse(gen);
      return;
    }
    const roots = [];
    if (state.focus) roots.push([state.focus, state.depth]);
    for (const id of state.expand) roots.push([id, 1]);
    const results = await Promise.allSettled(roots.map(([id, depth]) => fetchNeighborhood(id, depth)));
    if (gen !== generation) return;
    const nodes = new Map();
    const edges = new Map();
    results.forEach((r) => {
      if (r.status === "fulfilled") mergeInto(nodes, edges, r.value);
      else showError(r.reason);
    });
    const fresh = cy.nodes().empty();
    const added = setElements(nodes, edges);
    if (state.from && state.to) {
      try {
        await drawPaths(gen, false);
      } catch (err) {
        if (gen === generation) showError(err);
      }
      if (gen !== generation) return;
    } else {
      clearPathView();
    }
    markFocus();
    if (fresh) placeRings();
    else place(cy.nodes().filter((n) => added.contains(n) || n.hasClass("new")));
    cy.nodes().removeClass("new");
    await runLayout();
    if (gen !== generation) return;
    reselectEdge();
  } finally {
    busy--;
  }
}

// rebuildDiscourse draws the discourse network of the state's kind, topic
// and date in place of the relations; the focus and expanded nodes stay in
// the state for when the view goes back to the relations.
async function rebuildDiscourse(gen) {
  let sub = { nodes: [], edges: [] };
  try {
    const data = await gql(QUERIES.discourse, { kind: state.discourse, topic: state.topic || null, asOf: state.asOf || null });
    sub = data.discourseNetwork;
  } catch (err) {
    showError(err);
  }
  if (gen !== generation) return;
  const nodes = new Map();
  const edges = new Map();
  mergeInto(nodes, edges, sub);
  const fresh = cy.nodes().empty();
  const added = setElements(nodes, edges);
  clearPathView();
  markFocus();
  place(fresh ? cy.nodes() : added);
  await runLayout();
  if (gen !== generation) return;
  reselectEdge();
}

// reselectEdge selects the state's edge again once a view is drawn, or
// forgets it when the view no longer holds it, and writes the URL.
function reselectEdge() {
  if (state.edge && cy.getElementById(state.edge).nonempty()) {
    selectEdge(state.edge);
  } else if (state.edge) {
    state.edge = "";
    hideEvidence();
  }
  syncURL();
}

// setView switches between the relations ("") and a discourse network
// (CONGRUENCE or CONFLICT), starting from an empty picture.
function setView(discourse) {
  state.discourse = discourse;
  state.edge = "";
  hideEvidence();
  cy.elements().remove();
  syncViewControls();
  syncURL();
  return rebuild();
}

// syncViewControls shows the controls that apply to the view drawn: depth,
// relation types and paths walk the relations, not the discourse network.
function syncViewControls() {
  $("view-mode").value = state.discourse;
  $("depth").disabled = !!state.discourse;
  $("types-box").classList.toggle("off", !!state.discourse);
  for (const input of $("types").querySelectorAll("input")) input.disabled = !!state.discourse;
  $("types-all").disabled = !!state.discourse;
  $("paths-section").hidden = !!state.discourse;
  document.body.dataset.view = state.discourse ? "discourse" : "relations";
}

// expand adds a node's direct neighbours to the view.
async function expand(id) {
  if (!state.focus) {
    state.focus = id;
    syncURL();
    return rebuild();
  }
  if (id === state.focus || state.expand.includes(id)) return;
  const gen = generation;
  busy++;
  clearError();
  try {
    const sub = await fetchNeighborhood(id, 1);
    if (gen !== generation) return;
    state.expand.push(id);
    const nodes = new Map();
    const edges = new Map();
    mergeInto(nodes, edges, sub);
    const added = addElements(nodes, edges);
    markFocus();
    refreshPathClasses();
    if (added.nonempty()) {
      place(added);
      await runLayout();
    }
    syncURL();
  } catch (err) {
    showError(err);
  } finally {
    busy--;
  }
}

function setFocus(id) {
  if (state.discourse) {
    state.discourse = "";
    syncViewControls();
  }
  state.focus = id;
  state.expand = [];
  state.edge = "";
  hideEvidence();
  cy.elements().remove();
  syncURL();
  return rebuild();
}

// ---------------------------------------------------------------- paths

function clearPathView() {
  shownPaths = [];
  cy.elements().removeClass("path path-selected dim");
  $("paths-panel").hidden = true;
  $("paths-list").replaceChildren();
}

function refreshPathClasses() {
  cy.elements().removeClass("path path-selected dim");
  if (shownPaths.length === 0) return;
  const ids = new Set();
  for (const p of shownPaths) {
    for (const n of p.nodes) ids.add(n.id);
    for (const e of p.edges) ids.add(e.id);
  }
  cy.elements().forEach((e) => {
    e.addClass(ids.has(e.id()) ? "path" : "dim");
  });
}

function selectPath(index) {
  const items = $("paths-list").children;
  for (let i = 0; i < items.length; i++) items[i].classList.toggle("selected", i === index);
  cy.elements().removeClass("path-selected");
  const p = shownPaths[index];
  if (!p) return;
  for (const n of p.nodes) cy.getElementById(n.id).addClass("path-selected");
  for (const e of p.edges) cy.getElementById(e.id).addClass("path-selected");
}

// drawPaths asks for the paths between state.from and state.to, adds their
// nodes and edges to the view and highlights them.
async function drawPaths(gen, layout) {
  const data = await gql(QUERIES.paths, {
    from: state.from,
    to: state.to,
    maxHops: state.hops,
    mode: state.mode,
    types: state.types.length > 0 ? state.types : null,
    topics: state.topic ? [state.topic] : null,
    asOf: state.asOf || null,
  });
  if (gen !== generation) return;
  shownPaths = data.paths;
  const nodes = new Map();
  const edges = new Map();
  for (const p of shownPaths) mergeInto(nodes, edges, p);
  const added = addElements(nodes, edges);
  added.addClass("new");
  refreshPathClasses();
  renderPathList();
  if (layout) {
    markFocus();
    if (added.nonempty()) {
      place(added);
      added.removeClass("new");
      await runLayout();
    }
  }
}

function renderPathList() {
  const list = $("paths-list");
  list.replaceChildren();
  const from = cy.getElementById(state.from);
  const to = cy.getElementById(state.to);
  const name = (n, id) => (n.nonempty() ? n.data("label") : id);
  $("paths-summary").textContent = shownPaths.length === 0
    ? `No path from ${name(from, state.from)} to ${name(to, state.to)} within ${state.hops} hop${state.hops === 1 ? "" : "s"}.`
    : `${shownPaths.length} path${shownPaths.length === 1 ? "" : "s"} from ${name(from, state.from)} to ${name(to, state.to)}:`;
  $("paths-summary").dataset.count = String(shownPaths.length);
  shownPaths.forEach((p, i) => {
    const hops = el("ol", { class: "hops" });
    for (const h of p.hops) {
      const quotes = h.quotes.length > 0 ? el("q", { text: h.quotes[0] }) : null;
      hops.append(el("li", { "data-testid": "path-hop" }, el("span", { text: h.sentence }), quotes ? " " : null, quotes));
    }
    const item = el(
      "li",
      { "data-testid": "path", dataset: { index: String(i), length: String(p.length) }, tabindex: "0" },
      el("p", { class: "sentence", "data-testid": "path-sentence", text: p.sentence }),
      el("details", {}, el("summary", { text: `${p.length} hop${p.length === 1 ? "" : "s"}` }), hops),
    );
    item.addEventListener("click", () => selectPath(i));
    item.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") selectPath(i);
    });
    list.append(item);
  });
  $("paths-panel").hidden = false;
}

async function findPaths() {
  clearError();
  const from = $("path-from").dataset.id || "";
  const to = $("path-to").dataset.id || "";
  if (!from || !to) {
    showError({ message: "Pick both ends of the path from the suggestions (or with a node's Path from / Path to buttons).", code: "" });
    return;
  }
  state.from = from;
  state.to = to;
  state.mode = $("path-mode").value;
  state.hops = Number($("path-hops").value);
  syncURL();
  const gen = generation;
  busy++;
  try {
    await drawPaths(gen, true);
    syncURL();
  } catch (err) {
    showError(err);
  } finally {
    busy--;
  }
}

function clearPaths() {
  state.from = "";
  state.to = "";
  setPathEnd("path-from", "", "");
  setPathEnd("path-to", "", "");
  clearPathView();
  syncURL();
}

function setPathEnd(inputId, id, label) {
  const input = $(inputId);
  input.value = label;
  input.dataset.id = id;
}

// ---------------------------------------------------------------- panels

// showNode opens a node's panel: its details and what was said by it or
// about it. The node need not be drawn (a statement's concept in the
// discourse view, say); its name then comes with the details.
async function showNode(id) {
  const node = cy.getElementById(id);
  nodePanelFor = id;
  $("node-title").textContent = node.nonempty() ? node.data("label") : id;
  $("node-kind").textContent = node.nonempty() ? node.data("kind") : "";
  $("node-id").textContent = id;
  $("node-description").textContent = "";
  $("node-panel").dataset.nodeId = id;
  $("node-panel").hidden = false;
  nodeShown(id);
  try {
    const data = await track(gql(QUERIES.node, { id }));
    if (nodePanelFor !== id || !data.stakeholder) return;
    $("node-title").textContent = data.stakeholder.name;
    $("node-kind").textContent = data.stakeholder.kind;
    $("node-description").textContent = data.stakeholder.description || "";
    await showStatements(id, data.stakeholder.kind, state.asOf);
  } catch (err) {
    showError(err);
  }
}

// selectNode shows a node a link names: in the relations view it joins the
// drawing (see reveal); in the discourse view only its panel opens, since
// the drawing holds the speakers alone.
function selectNode(id) {
  if (!state.discourse) return reveal(id);
  cy.elements().unselect();
  cy.getElementById(id).select();
  return showNode(id);
}

// refreshStatements reads the open node panel's statements again for a
// new date.
function refreshStatements() {
  if (nodePanelFor && !$("node-panel").hidden) {
    showStatements(nodePanelFor, $("node-kind").textContent, state.asOf).catch(showError);
  }
}

function hideEvidence() {
  $("evidence-panel").hidden = true;
  $("evidence-panel").dataset.edgeId = "";
  $("evidence-panel").dataset.state = "";
}

// selectEdge shows an edge's facts and evidence. The view's query does not
// carry the quotes (a deep neighbourhood with every quote would exceed the
// API's complexity limit), so they are fetched when asked for.
async function selectEdge(id) {
  const edge = cy.getElementById(id);
  if (edge.empty()) return;
  cy.elements().unselect();
  edge.select();
  state.edge = id;
  syncURL();
  const panel = $("evidence-panel");
  panel.dataset.edgeId = id;
  panel.dataset.state = "loading";
  panel.hidden = false;
  edgeShown(id);
  const src = cy.getElementById(edge.data("source"));
  const dst = cy.getElementById(edge.data("target"));
  $("edge-title").replaceChildren(
    el("strong", { text: src.data("label") || edge.data("source") }),
    el("span", { class: "rel", text: ` ${edge.data("type")} ` }),
    el("strong", { text: dst.data("label") || edge.data("target") }),
  );
  const d = edge.data();
  const derived = d.weight !== undefined && d.weight !== null;
  // A discourse tie is derived from statements: nothing to add or retire.
  $("evidence-list").hidden = derived;
  $("discourse-box").hidden = !derived;
  $("edge-add-evidence").hidden = derived;
  $("edge-retire-form").hidden = derived;
  if (derived) {
    $("evidence-form").hidden = true;
    $("edge-facts").replaceChildren(el("dt", { text: "weight" }), el("dd", { "data-testid": "edge-weight", text: String(d.weight) }));
    try {
      panel.dataset.state = await showDiscourseEdge(id, d, { kind: state.discourse || d.type, topic: state.topic, asOf: state.asOf }, () => state.edge === id);
    } catch (err) {
      panel.dataset.state = "error";
      showError(err);
    }
    return;
  }
  const facts = [
    ["role", d.role], ["status", d.status], ["when", dateRange(d)], ["confidence", d.confidence],
  ];
  $("edge-facts").replaceChildren(...facts.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  $("evidence-list").replaceChildren(el("li", { class: "loading", text: "loading evidence…" }));
  try {
    const data = await track(gql(QUERIES.relations, { id: edge.data("source"), types: [edge.data("type")] }));
    if (state.edge !== id) return;
    const rel = ((data.stakeholder && data.stakeholder.relations) || []).find((r) => r.id === id);
    if (!rel) {
      $("evidence-list").replaceChildren(el("li", { text: "This relation is no longer in the data." }));
      panel.dataset.state = "missing";
      return;
    }
    if (rel.note) $("edge-facts").append(el("dt", { text: "note" }), el("dd", { "data-testid": "edge-note", text: rel.note }));
    $("evidence-list").replaceChildren(
      ...rel.evidence.map((ev) => {
        const s = ev.source;
        const link = s && s.url
          ? el("a", { href: s.url, target: "_blank", rel: "noopener noreferrer", "data-testid": "evidence-source", dataset: { sourceId: ev.sourceId }, text: s.name })
          : el("span", { "data-testid": "evidence-source", dataset: { sourceId: ev.sourceId }, text: s ? s.name : ev.sourceId });
        return el(
          "li",
          { "data-testid": "evidence-item" },
          el("blockquote", { "data-testid": "evidence-quote", text: ev.quote }),
          el("cite", {}, "— ", link, s && s.publisher ? `, ${s.publisher}` : ""),
        );
      }),
    );
    panel.dataset.state = "ready";
  } catch (err) {
    panel.dataset.state = "error";
    $("evidence-list").replaceChildren();
    showError(err);
  }
}

// refresh fetches the view again after a write, and the open panels with
// it, without reloading the page.
async function refresh() {
  await rebuild();
  if (nodePanelFor && cy.getElementById(nodePanelFor).nonempty()) await showNode(nodePanelFor);
  else if (nodePanelFor) {
    nodePanelFor = "";
    $("node-panel").hidden = true;
  }
}

// grow adds a node's neighbourhood to the view (it becomes the focus when
// there is none), through the view's state so a link keeps it, and marks
// the fresh elements: what a reviewer accepted from the document.
const freshIds = new Set();
async function grow(id, fresh) {
  if (state.discourse) {
    // What a reviewer accepted is a relation or a node: show the relations.
    state.discourse = "";
    cy.elements().remove();
    syncViewControls();
  }
  if (!state.focus) state.focus = id;
  else if (id !== state.focus && !state.expand.includes(id)) state.expand.push(id);
  syncURL();
  for (const f of fresh) freshIds.add(f);
  await rebuild();
  cy.elements().removeClass("fresh");
  for (const f of freshIds) cy.getElementById(f).addClass("fresh");
}

// forgetFresh drops the marks of an earlier document's accepted items.
function forgetFresh() {
  freshIds.clear();
  cy.elements().removeClass("fresh");
}

// reveal shows a node named in a document: drawn already, it is selected;
// otherwise its neighbourhood is added first. Its panel opens.
async function reveal(id) {
  if (cy.getElementById(id).empty()) await track(grow(id, []));
  const node = cy.getElementById(id);
  if (node.empty()) return;
  cy.elements().unselect();
  node.select();
  await showNode(id);
}

// dropNode takes a retired node out of the view's state, so the next
// rebuild does not ask for it.
function dropNode(id) {
  if (state.focus === id) state.focus = "";
  state.expand = state.expand.filter((x) => x !== id);
  if (state.from === id || state.to === id) clearPaths();
  syncURL();
}

// ---------------------------------------------------------------- search

// autocomplete turns an input into a search box: suggestions from the API
// as the user types, arrow keys to move, Enter or a click to pick.
function autocomplete(input, list, onPick, kinds) {
  let timer = 0;
  let seq = 0;
  let active = -1;
  let hits = [];

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
  };
  const pick = (i) => {
    const hit = hits[i];
    if (!hit) return;
    input.value = hit.node.name;
    input.dataset.id = hit.node.id;
    close();
    onPick(hit.node);
  };
  const render = () => {
    list.replaceChildren(
      ...hits.map((h, i) => {
        const li = el(
          "li",
          { role: "option", "data-testid": "suggestion", dataset: { id: h.node.id, kind: h.node.kind }, "aria-selected": "false" },
          el("span", { class: "swatch", style: `background:${(KIND_STYLE[h.node.kind] || {}).color || "#999"}` }),
          el("span", { class: "name", text: h.node.name }),
          el("span", { class: "kind", text: h.node.kind }),
        );
        // mousedown, not click: the input's blur must not close the list first.
        li.addEventListener("mousedown", (ev) => {
          ev.preventDefault();
          pick(i);
        });
        return li;
      }),
    );
    if (hits.length === 0) list.append(el("li", { class: "none", text: "no match" }));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(hits.length > 0 ? 0 : -1);
  };
  const lookup = async () => {
    const text = input.value.trim();
    const mine = ++seq;
    if (text.length < 2) {
      close();
      return;
    }
    try {
      const data = await track(gql(QUERIES.search, { q: text, kinds: kinds || null }));
      if (mine !== seq) return;
      hits = data.search;
      render();
    } catch (err) {
      if (mine === seq) showError(err);
    }
  };
  input.addEventListener("input", () => {
    input.dataset.id = "";
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  input.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      highlight(Math.min(active + 1, hits.length - 1));
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      pick(active);
    } else if (ev.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", close);
}

// ---------------------------------------------------------------- controls

function renderLegend() {
  $("legend").replaceChildren(
    ...KINDS.map((k) => {
      const li = el("li", { "data-testid": "legend-item", dataset: { kind: k.kind, color: k.color, shape: k.shape } });
      li.innerHTML = legendShape(k.shape, k.color); // static markup from kinds.js
      li.append(" " + k.kind);
      return li;
    }),
  );
}

function renderExports() {
  $("exports").replaceChildren(
    ...EXPORT_FORMATS.map((f) =>
      el("a", { href: exportHref(f.format, state), download: "", "data-testid": `export-${f.format}`, class: "button", text: f.label }),
    ),
  );
}

function renderTypes() {
  const box = $("types");
  box.replaceChildren(
    ...RELATION_TYPES.map((t) => {
      const input = el("input", { type: "checkbox", value: t, "data-testid": `type-${t}` });
      input.checked = state.types.length === 0 || state.types.includes(t);
      input.addEventListener("change", onTypesChange);
      return el("label", {}, input, " " + t.toLowerCase().replace(/_/g, " "));
    }),
  );
  $("types-count").textContent = state.types.length === 0 ? "all" : `${state.types.length} of ${RELATION_TYPES.length}`;
}

function onTypesChange(ev) {
  const checked = [...$("types").querySelectorAll("input:checked")].map((i) => i.value);
  if (checked.length === 0) {
    ev.target.checked = true;
    $("status").textContent = "Keep at least one relation type.";
    return;
  }
  state.types = checked.length === RELATION_TYPES.length ? [] : checked;
  renderTypes();
  syncURL();
  rebuild();
}

async function loadTopics() {
  try {
    const data = await track(gql(QUERIES.topics, {}));
    const select = $("topic");
    const topics = data.stakeholders.edges.map((e) => e.node);
    if (state.topic && !topics.some((t) => t.id === state.topic)) topics.push({ id: state.topic, name: state.topic });
    select.replaceChildren(
      el("option", { value: "", text: "all topics" }),
      ...topics.map((t) => el("option", { value: t.id, text: t.name })),
    );
    select.value = state.topic;
  } catch (err) {
    showError(err);
  }
}

function syncControls() {
  $("depth").value = String(state.depth);
  $("asof").value = state.asOf;
  $("topic").value = state.topic;
  $("path-mode").value = state.mode;
  $("path-hops").value = String(state.hops);
  renderTypes();
}

async function labelPathEnds() {
  for (const [inputId, id] of [["path-from", state.from], ["path-to", state.to]]) {
    if (!id) continue;
    setPathEnd(inputId, id, id);
    try {
      const data = await track(gql(QUERIES.node, { id }));
      if (data.stakeholder) setPathEnd(inputId, id, data.stakeholder.name);
    } catch (err) {
      showError(err);
    }
  }
}

function wire() {
  autocomplete($("search"), $("search-suggestions"), (node) => setFocus(node.id));
  autocomplete($("path-from"), $("path-from-suggestions"), () => {});
  autocomplete($("path-to"), $("path-to-suggestions"), () => {});

  $("depth").addEventListener("change", () => {
    state.depth = Number($("depth").value);
    syncURL();
    rebuild();
  });
  $("asof").addEventListener("change", () => {
    const v = $("asof").value.trim();
    if (v && !validDate(v)) {
      showError({ message: `"${v}" is not a date: use 2023, 2023-09 or 2023-09-27`, code: "EINVALID" });
      return;
    }
    state.asOf = v;
    syncURL();
    rebuild();
    refreshStatements();
  });
  $("asof-clear").addEventListener("click", () => {
    $("asof").value = "";
    state.asOf = "";
    syncURL();
    rebuild();
    refreshStatements();
  });
  $("topic").addEventListener("change", () => {
    state.topic = $("topic").value;
    syncURL();
    rebuild();
  });
  $("types-all").addEventListener("click", () => {
    state.types = [];
    renderTypes();
    syncURL();
    rebuild();
  });
  $("find-paths").addEventListener("click", findPaths);
  $("clear-paths").addEventListener("click", clearPaths);
  $("error-close").addEventListener("click", clearError);

  $("node-focus").addEventListener("click", () => setFocus(nodePanelFor));
  $("node-from").addEventListener("click", () => setPathEnd("path-from", nodePanelFor, $("node-title").textContent));
  $("node-to").addEventListener("click", () => setPathEnd("path-to", nodePanelFor, $("node-title").textContent));
  $("view-mode").addEventListener("change", () => setView($("view-mode").value));

  cy.on("tap", "node", (ev) => {
    const id = ev.target.id();
    showNode(id);
    if (!state.discourse) expand(id);
  });
  cy.on("tap", "edge", (ev) => selectEdge(ev.target.id()));
  cy.on("tap", (ev) => {
    if (ev.target === cy) {
      cy.elements().unselect();
      state.edge = "";
      hideEvidence();
      syncURL();
    }
  });
}

// ---------------------------------------------------------------- test hook

// clickPoint finds a point in the page where a click lands on the element
// (not on a node or edge drawn over it), using Cytoscape's own hit test. The
// point is whole pixels, and its four neighbours must hit the element too,
// because a mouse event's position is not exact where edges cross.
function clickPoint(id) {
  const ele = cy.getElementById(id);
  if (ele.empty()) return null;
  const rect = cy.container().getBoundingClientRect();
  const r = cy.renderer();
  const candidates = [];
  if (ele.isNode()) {
    const p = ele.renderedPosition();
    for (const [dx, dy] of [[0, 0], [3, 0], [-3, 0], [0, 3], [0, -3]]) candidates.push({ x: p.x + dx, y: p.y + dy });
  } else {
    const s = ele.renderedSourceEndpoint();
    const m = ele.renderedMidpoint();
    const t = ele.renderedTargetEndpoint();
    const lerp = (a, b, f) => ({ x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f });
    candidates.push(m);
    for (const f of [0.8, 0.6, 0.4, 0.2]) {
      candidates.push(lerp(s, m, f), lerp(m, t, 1 - f));
    }
  }
  const hits = (x, y) => {
    const [mx, my] = r.projectIntoViewport(x, y);
    const hit = r.findNearestElement(mx, my, true, false);
    return hit && hit.id() === id;
  };
  for (const p of candidates) {
    if (p.x < 3 || p.y < 3 || p.x > rect.width - 3 || p.y > rect.height - 3) continue;
    const x = Math.round(rect.left + p.x);
    const y = Math.round(rect.top + p.y);
    if ([[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]].every(([dx, dy]) => hits(x + dx, y + dy))) return { x, y };
  }
  return null;
}

const sortedIds = (eles) => eles.map((e) => e.id()).sort();

window.stakegraphExplorer = Object.freeze({
  idle: () => busy === 0,
  nodeIds: () => sortedIds(cy.nodes()),
  edgeIds: () => sortedIds(cy.edges()),
  highlightedNodeIds: () => sortedIds(cy.nodes(".path")),
  highlightedEdgeIds: () => sortedIds(cy.edges(".path")),
  nodeStyle: (id) => {
    const n = cy.getElementById(id);
    return n.empty() ? null : { kind: n.data("kind"), color: n.style("background-color"), shape: n.style("shape") };
  },
  state: () => JSON.parse(JSON.stringify(state)),
  error: () => (lastError ? { ...lastError } : null),
  clickPoint,
  role: () => currentRole(),
  relationTypesFor: (from, to) => relationTypesFor(from, to),
  freshIds: () => sortedIds(cy.elements(".fresh")),
  // edgeWeights maps each drawn discourse tie to its weight and drawn width.
  edgeWeights: () => Object.fromEntries(cy.edges(".discourse").map((e) => [e.id(), { weight: e.data("weight"), width: parseFloat(e.style("width")) }])),
  selectedIds: () => sortedIds(cy.elements(":selected")),
});

// ---------------------------------------------------------------- start

renderLegend();
syncControls();
syncViewControls();
wire();
renderExports();
setupEditing({
  el,
  track,
  showError,
  autocomplete,
  refresh,
  dropNode,
  kindOf: (id) => cy.getElementById(id).data("kind") || "",
});
setupStatements({ el, track, selectNode });
setupIngest({
  el,
  track,
  reveal,
  grow,
  forgetFresh,
  said: async () => {
    if (state.discourse) await rebuild();
    refreshStatements();
  },
  resized: () => cy.resize(),
});
loadTopics();
labelPathEnds();
rebuild();
