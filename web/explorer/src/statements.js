// What the speakers said (Discourse Network Analysis): the statements in a
// node's panel, by an actor or about a concept, and what lies behind a tie
// of the discourse network, its concepts and statements.
import { gql, QUERIES } from "./api.js";

const $ = (id) => document.getElementById(id);

let ctx = null; // main.js' helpers, see setupStatements
let shownFor = ""; // the node whose statements are listed (or loading)

// Which filter of `statements` lists a node's statements, by its kind:
// actors by what they said (or was said on their behalf), concepts by what
// was said about them, events by what was said there.
const FILTER_BY_KIND = {
  Person: "speaker",
  Organization: "speaker",
  Country: "speaker",
  Topic: "topic",
  Programme: "topic",
  Agreement: "topic",
  Event: "event",
};

const TITLE_BY_FILTER = {
  speaker: "What it said",
  topic: "What was said about it",
  event: "What was said there",
};

// allStatements reads every statement a filter selects, page by page.
async function allStatements(vars) {
  const all = [];
  let after = null;
  for (;;) {
    const data = await ctx.track(gql(QUERIES.statements, { ...vars, after }));
    all.push(...data.statements);
    if (data.statements.length < 100) return all;
    after = data.statements[data.statements.length - 1].id;
  }
}

// nodeLink names a node and, clicked, selects it (see main.js' selectNode).
function nodeLink(n) {
  const a = ctx.el("a", {
    href: `/explore?focus=${encodeURIComponent(n.id)}`,
    class: "node-link",
    "data-testid": "node-link",
    dataset: { id: n.id },
    title: n.id,
    text: n.name,
  });
  a.addEventListener("click", (ev) => {
    ev.preventDefault();
    ctx.selectNode(n.id);
  });
  return a;
}

function joined(nodes, testid) {
  const out = [];
  nodes.forEach((n, i) => {
    if (i > 0) out.push(", ");
    const a = nodeLink(n);
    a.setAttribute("data-testid", testid);
    out.push(a);
  });
  return out;
}

// statementItem shows one statement: stance, speaker (and for whom), what
// it is about, when and where, the quote and its source.
export function statementItem(s) {
  const { el } = ctx;
  const src = s.evidence.source;
  const sourceLink = src && src.url
    ? el("a", { href: src.url, target: "_blank", rel: "noopener noreferrer", "data-testid": "statement-source", dataset: { sourceId: s.evidence.sourceId }, text: src.name })
    : el("span", { "data-testid": "statement-source", dataset: { sourceId: s.evidence.sourceId }, text: src ? src.name : s.evidence.sourceId });
  const speaker = nodeLink(s.speaker);
  speaker.setAttribute("data-testid", "statement-speaker");
  const head = el("div", { class: "s-head" },
    el("span", { class: `stance stance-${s.stance.toLowerCase()}`, "data-testid": "statement-stance", text: s.stance }),
    " ", speaker);
  if (s.onBehalfOf) {
    const on = nodeLink(s.onBehalfOf);
    on.setAttribute("data-testid", "statement-on-behalf");
    head.append(" for ", on);
  }
  const when = el("div", { class: "s-when meta" }, s.date ? el("span", { "data-testid": "statement-date", text: s.date }) : "undated");
  if (s.event) {
    const at = nodeLink(s.event);
    at.setAttribute("data-testid", "statement-event");
    when.append(" · at ", at);
  }
  return el(
    "li",
    { class: "statement", "data-testid": "statement", dataset: { id: s.id, stance: s.stance, speaker: s.speaker.id } },
    head,
    el("div", { class: "s-about" }, "about ", ...joined(s.about, "statement-about")),
    when,
    el("blockquote", { "data-testid": "statement-quote", text: s.evidence.quote }),
    el("cite", {}, "— ", sourceLink, src && src.publisher ? `, ${src.publisher}` : ""),
    s.note ? el("p", { class: "s-note meta", title: "the dataset's words on it", text: s.note }) : null,
  );
}

// showStatements lists the statements of a node in its panel (by, about or
// at it, by its kind), made by asOf when given; nothing for other kinds.
export async function showStatements(id, kind, asOf) {
  const box = $("statements-box");
  const filter = FILTER_BY_KIND[kind];
  shownFor = id;
  box.dataset.for = id;
  if (!filter) {
    box.hidden = true;
    box.dataset.state = "none";
    return;
  }
  box.hidden = false;
  box.dataset.state = "loading";
  $("statements-title").textContent = TITLE_BY_FILTER[filter] + (asOf ? ` (by ${asOf})` : "");
  $("statements-list").replaceChildren();
  $("statements-empty").hidden = true;
  let list;
  try {
    list = await allStatements({ [filter]: id, asOf: asOf || null });
  } catch (err) {
    if (shownFor === id) box.dataset.state = "error";
    throw err;
  }
  if (shownFor !== id) return;
  $("statements-list").replaceChildren(...list.map(statementItem));
  $("statements-empty").hidden = list.length > 0;
  $("statements-empty").textContent = asOf ? `No statement recorded by ${asOf}.` : "No statement recorded.";
  box.dataset.count = String(list.length);
  box.dataset.state = "ready";
}

// conceptIds reads the concepts a discourse tie stands on from its note,
// which the API writes as "same stance on topic:a, programme:b" (or
// "opposite stances on …").
function conceptIds(note) {
  return [...new Set((note || "").match(/\b(?:topic|programme|agreement):[^\s,]+/g) || [])];
}

// showDiscourseEdge fills the evidence panel's discourse box for a tie:
// the concepts behind it and the statements of its two speakers whose
// quotes are its evidence. still() says whether the panel still shows it.
// It returns the panel's state.
export async function showDiscourseEdge(id, edge, scope, still) {
  const { el } = ctx;
  $("discourse-concepts").replaceChildren(el("li", { class: "loading", text: "loading…" }));
  $("discourse-statements").replaceChildren();
  const vars = { kind: scope.kind, topic: scope.topic || null, asOf: scope.asOf || null };
  const data = await ctx.track(gql(QUERIES.discourseEdge, vars));
  if (!still()) return "loading";
  const tie = data.discourseNetwork.edges.find((e) => e.id === id);
  if (!tie) {
    $("discourse-concepts").replaceChildren(el("li", { text: "This tie is no longer in the network." }));
    return "missing";
  }
  $("edge-facts").append(el("dt", { text: "confidence" }), el("dd", { text: tie.confidence }),
    el("dt", { text: "note" }), el("dd", { "data-testid": "edge-note", text: tie.note || "" }));
  const evidence = new Set(tie.evidence.map((ev) => `${ev.sourceId}\u0000${ev.quote}`));
  const said = [];
  for (const speaker of [edge.source, edge.target]) {
    const list = await allStatements({ speaker, topic: scope.topic || null, asOf: scope.asOf || null });
    // The speaker filter also matches statements made on the actor's
    // behalf; the network counts only the actor's own.
    said.push(...list.filter((s) => s.speaker.id === speaker && evidence.has(`${s.evidence.sourceId}\u0000${s.evidence.quote}`)));
  }
  if (!still()) return "loading";
  said.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const names = new Map();
  for (const s of said) for (const c of s.about) names.set(c.id, c);
  $("discourse-concepts").replaceChildren(
    ...conceptIds(tie.note).map((c) => {
      const link = nodeLink(names.get(c) || { id: c, name: c });
      link.setAttribute("data-testid", "discourse-concept");
      return el("li", {}, link);
    }),
  );
  $("discourse-statements").replaceChildren(...said.map(statementItem));
  return "ready";
}

// setupStatements keeps main.js' helpers: el, track, and selectNode(id),
// which shows a node a link names.
export function setupStatements(deps) {
  ctx = deps;
}
