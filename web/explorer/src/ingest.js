// Ingesting a document in the explorer: paste a text or read a .txt/.md
// file, send it to ingestDocument, show it with the mentions of known nodes
// and the candidate names marked, and review its proposals in place.
// Accepting a relation or a new stakeholder draws it in the graph.
//
// The server gives offsets in UTF-8 bytes; JavaScript strings count UTF-16
// code units, so every offset goes through byteIndex before slicing.
import { gql, INGEST, namesQuery } from "./api.js";
import { KINDS, ORG_TYPES } from "./kinds.js";
import { formError, clearFormError, onRoleChange } from "./edit.js";

const $ = (id) => document.getElementById(id);
const ROLES = ["READER", "EDITOR", "ADMIN"];
// The server refuses a longer text; reading a bigger file is not worth it.
const MAX_TEXT_BYTES = 2 << 20;
const NAMES_PER_QUERY = 40;

let ctx = null; // what main.js lends (see setupIngest)
let role = "";
let current = null; // { ingestion, text, byteIndex, names }

// ---------------------------------------------------------------- offsets

// byteIndex returns a function from a UTF-8 byte offset of text to the
// UTF-16 index of the same place, or -1 when the offset is not at a
// character boundary. A lone surrogate counts 3 bytes, as U+FFFD does in
// the UTF-8 the server received.
export function byteIndex(text) {
  const width = (cp) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i);
    bytes += width(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  const at = new Int32Array(bytes + 1).fill(-1);
  let b = 0;
  for (let i = 0; i < text.length; ) {
    at[b] = i;
    const cp = text.codePointAt(i);
    b += width(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  at[bytes] = text.length;
  return (offset) => (Number.isInteger(offset) && offset >= 0 && offset <= bytes ? at[offset] : -1);
}

// ---------------------------------------------------------------- form

function allowed() {
  return ROLES.indexOf(role) >= ROLES.indexOf("EDITOR");
}

// showRole enables the form for editors and admins and says why it is
// off for everyone else.
function showRole(value) {
  role = value || "";
  const note = $("ingest-role-note");
  $("ingest-fields").disabled = !allowed();
  note.hidden = allowed();
  note.dataset.role = role;
  note.textContent = role === "READER"
    ? "Your token is a reader's: ingesting a document writes to the graph, so it needs an editor or admin token."
    : "Ingesting a document writes to the graph: use an editor or admin token (the field at the top right).";
}

function titleFromFile(name, text) {
  const heading = /^#\s+(.+)$/m.exec(text.slice(0, 2000));
  if (heading && /\.md$/i.test(name)) return heading[1].trim();
  return name.replace(/\.(txt|md)$/i, "").replace(/[-_]+/g, " ").trim();
}

// readFile reads the chosen .txt or .md file into the text field (in the
// browser: nothing is sent until the form is submitted).
function readFile() {
  const form = $("ingest-form");
  const input = $("ingest-file");
  const file = input.files && input.files[0];
  clearFormError(form);
  if (!file) return Promise.resolve();
  if (!/\.(txt|md)$/i.test(file.name)) {
    formError(form, { message: `file: ${file.name} is not a .txt or .md file; paste other texts into the field`, code: "EINVALID" });
    input.value = "";
    return Promise.resolve();
  }
  if (file.size > MAX_TEXT_BYTES) {
    formError(form, { message: `file: ${file.name} has ${file.size} bytes; a document may have at most ${MAX_TEXT_BYTES}`, code: "EINVALID" });
    input.value = "";
    return Promise.resolve();
  }
  form.dataset.file = "reading";
  return ctx.track(new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => {
      const text = String(reader.result);
      $("ingest-text").value = text;
      if (!$("ingest-title").value.trim()) $("ingest-title").value = titleFromFile(file.name, text);
      $("ingest-file-note").textContent = `Read ${file.name} (${text.length} characters).`;
      form.dataset.file = file.name;
      resolve();
    };
    reader.onerror = () => {
      formError(form, { message: `file: cannot read ${file.name}: ${reader.error ? reader.error.message : "unknown error"}`, code: "EINVALID" });
      form.dataset.file = "";
      resolve();
    };
    reader.readAsText(file, "utf-8");
  }));
}

const orNull = (v) => {
  const t = (v || "").trim();
  return t === "" ? null : t;
};

async function submit() {
  const form = $("ingest-form");
  clearFormError(form);
  const text = $("ingest-text").value;
  const input = {
    title: $("ingest-title").value.trim(),
    url: orNull($("ingest-url").value),
    publisher: orNull($("ingest-publisher").value),
    published: orNull($("ingest-published").value),
    language: orNull($("ingest-language").value),
    text,
  };
  if (!input.title) {
    formError(form, { message: "title: give the document a title", code: "EINVALID" });
    return;
  }
  if (!text.trim()) {
    formError(form, { message: "text: paste the document's text or choose a .txt or .md file", code: "EINVALID" });
    return;
  }
  form.dataset.state = "saving";
  try {
    const data = await ctx.track(gql(INGEST.ingest, { input }));
    const ing = data.ingestDocument;
    const names = await lookupNames(ing);
    current = { ingestion: ing, text, byteIndex: byteIndex(text), names };
    ctx.forgetFresh();
    renderResult();
    form.dataset.state = "saved";
  } catch (err) {
    form.dataset.state = "error";
    formError(form, err);
  }
}

// lookupNames fetches the kind and name of every node the ingestion names;
// a failure only costs the names (IDs are shown instead).
async function lookupNames(ing) {
  const ids = new Set(ing.mentions.map((m) => m.nodeId));
  for (const p of ing.proposals) {
    const v = p.value;
    if (v.relation) [v.relation.from, v.relation.to].forEach((id) => ids.add(id));
    if (v.statement) [v.statement.speaker, v.statement.onBehalfOf, ...v.statement.about].filter(Boolean).forEach((id) => ids.add(id));
  }
  const all = [...ids];
  const names = new Map();
  for (let i = 0; i < all.length; i += NAMES_PER_QUERY) {
    const chunk = all.slice(i, i + NAMES_PER_QUERY);
    const vars = Object.fromEntries(chunk.map((id, j) => [`i${j}`, id]));
    try {
      const data = await ctx.track(gql(namesQuery(chunk), vars));
      for (const n of Object.values(data)) if (n && n.name) names.set(n.id, n);
    } catch {
      // Names are a nicety: the IDs stand in for them.
    }
  }
  return names;
}

// ---------------------------------------------------------------- document

function nameOf(id) {
  const n = current.names.get(id);
  return n ? n.name : id;
}

// marksOf are the spans to mark in the text, as UTF-16 ranges, sorted and
// without overlaps. A candidate name that holds known names whole (a
// foundation named after a topic) is marked around them, the mentions
// nested inside; a candidate crossing a mention's edge is left unmarked.
function marksOf(ing) {
  const idx = current.byteIndex;
  const mentions = [];
  for (const m of ing.mentions) {
    const a = idx(m.start);
    const b = idx(m.end);
    if (a < 0 || b <= a) continue;
    mentions.push({ kind: "mention", a, b, m });
  }
  const out = [];
  const nested = new Set();
  const taken = [];
  for (const c of ing.candidates) {
    const a = idx(c.start);
    const b = idx(c.end);
    if (a < 0 || b <= a || taken.some(([s, e]) => a < e && s < b)) continue;
    const inside = mentions.filter((x) => x.a >= a && x.b <= b);
    if (mentions.some((x) => x.a < b && a < x.b && !inside.includes(x))) continue;
    for (const x of inside) nested.add(x);
    out.push({ kind: "candidate", a, b, c, inner: inside.sort((x, y) => x.a - y.a) });
    taken.push([a, b]);
  }
  for (const x of mentions) if (!nested.has(x)) out.push(x);
  return out.sort((x, y) => x.a - y.a);
}

function markElement(mark, text) {
  const { el } = ctx;
  if (mark.kind === "mention") {
    const m = mark.m;
    const kind = (current.names.get(m.nodeId) || {}).kind || "";
    const color = (KINDS.find((k) => k.kind === kind) || {}).color || "#999";
    const e = el("mark", {
      class: "mention",
      "data-testid": "mention",
      tabindex: "0",
      title: `${nameOf(m.nodeId)} (${m.nodeId}): click to show it in the graph`,
      style: `border-bottom-color:${color}`,
      dataset: { nodeId: m.nodeId, start: String(m.start), end: String(m.end) },
      text: text.slice(mark.a, mark.b),
    });
    const go = () => ctx.reveal(m.nodeId);
    e.addEventListener("click", (ev) => {
      ev.stopPropagation(); // not the candidate name around it, if any
      go();
    });
    e.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") go();
    });
    return e;
  }
  const c = mark.c;
  const e = el("mark", {
    class: "candidate",
    "data-testid": "candidate",
    tabindex: "0",
    title: `not in the graph: a new ${c.kind}? (${c.reason})`,
    dataset: { name: c.name, kind: c.kind, start: String(c.start), end: String(c.end) },
  });
  // The known names inside, each its own mention mark (clipped where a
  // sentence ends the candidate).
  let pos = mark.a;
  for (const x of mark.inner || []) {
    if (x.a >= mark.b) break;
    if (x.a > pos) e.append(text.slice(pos, x.a));
    const end = Math.min(x.b, mark.b);
    e.append(markElement({ ...x, b: end }, text));
    pos = end;
  }
  if (pos < mark.b) e.append(text.slice(pos, mark.b));
  e.addEventListener("click", () => {
    const item = [...$("ingest-proposals").children].find((li) => li.dataset.name === c.name);
    if (item) {
      item.scrollIntoView({ block: "nearest" });
      item.focus();
    }
  });
  return e;
}

// appendRange puts text[a, b) into parent, with the marks that start in it
// (clipped at b). The marks are sorted; cursor.i is the first not yet
// placed, so rendering a document is linear in its marks.
function appendRange(parent, text, a, b, marks, cursor) {
  let pos = a;
  while (cursor.i < marks.length && marks[cursor.i].a < a) cursor.i++;
  while (cursor.i < marks.length && marks[cursor.i].a < b) {
    const mark = marks[cursor.i++];
    if (mark.a > pos) parent.append(text.slice(pos, mark.a));
    const end = Math.min(mark.b, b);
    parent.append(markElement({ ...mark, b: end }, text));
    pos = end;
  }
  if (pos < b) parent.append(text.slice(pos, b));
}

function renderDocument() {
  const { el } = ctx;
  const { ingestion: ing, text } = current;
  const idx = current.byteIndex;
  const marks = marksOf(ing);
  const cursor = { i: 0 };
  const doc = $("ingest-doc");
  const out = document.createDocumentFragment();
  let pos = 0;
  ing.sentences.forEach((s, i) => {
    const a = idx(s.start);
    const b = idx(s.end);
    if (a < pos || b < a) return;
    appendRange(out, text, pos, a, marks, cursor);
    const span = el("span", { class: "sentence", "data-testid": "sentence", dataset: { index: String(i) } });
    appendRange(span, text, a, b, marks, cursor);
    out.append(span);
    pos = b;
  });
  appendRange(out, text, pos, text.length, marks, cursor);
  doc.replaceChildren(out);
}

// sentenceOf is the index of the sentence a proposal quotes, -1 if none.
function sentenceOf(quote) {
  const sents = current.ingestion.sentences;
  let i = sents.findIndex((s) => s.text === quote);
  if (i < 0) i = sents.findIndex((s) => s.text.includes(quote) || quote.includes(s.text));
  return i;
}

function highlightSentence(i, on) {
  for (const s of $("ingest-doc").querySelectorAll(".sentence.hl")) s.classList.remove("hl");
  if (!on || i < 0) return;
  const s = $("ingest-doc").querySelector(`.sentence[data-index="${i}"]`);
  if (s) {
    s.classList.add("hl");
    // Scroll the document's own box only: scrolling the panel too would
    // move the proposal away from under the pointer.
    const doc = $("ingest-doc");
    const box = doc.getBoundingClientRect();
    const r = s.getBoundingClientRect();
    if (r.top < box.top) doc.scrollTop += r.top - box.top - 4;
    else if (r.bottom > box.bottom) doc.scrollTop += Math.min(r.bottom - box.bottom + 4, r.top - box.top - 4);
  }
}

// ---------------------------------------------------------------- proposals

function valueText(p) {
  const v = p.value;
  if (v.relation) return `${nameOf(v.relation.from)} —${v.relation.type}→ ${nameOf(v.relation.to)}`;
  if (v.statement) {
    const s = v.statement;
    const on = s.onBehalfOf ? ` (for ${nameOf(s.onBehalfOf)})` : "";
    return `${nameOf(s.speaker)}${on} ${s.stance} ${s.about.map(nameOf).join(", ")}`;
  }
  if (v.node) return `new ${v.node.kind} “${v.node.name}”`;
  return "";
}

function setStatus(li, status) {
  li.dataset.status = status;
  li.querySelector(".p-status").textContent = status.toLowerCase();
  const open = status === "OPEN";
  for (const b of li.querySelectorAll("button.decide")) b.disabled = !open;
  if (!open) li.querySelector(".reject-form").hidden = true;
}

// refreshStatuses reads the queue again after a refused decision: someone
// may have decided proposals meanwhile, and the list should say so.
async function refreshStatuses() {
  try {
    const data = await ctx.track(gql(INGEST.queue, { ingestion: current.ingestion.id }));
    for (const q of data.proposals) {
      const li = $("ingest-proposals").querySelector(`li[data-id="${q.id}"]`);
      if (li && li.dataset.status !== q.status) setStatus(li, q.status);
    }
  } catch {
    // The error shown already says what went wrong.
  }
}

function showItemError(li, err) {
  const box = li.querySelector(".form-error");
  box.querySelector(".msg").textContent = (err && err.message) || String(err);
  box.querySelector("code").textContent = (err && err.code) || "";
  box.dataset.code = (err && err.code) || "";
  box.hidden = false;
}

function clearItemError(li) {
  const box = li.querySelector(".form-error");
  box.hidden = true;
  box.dataset.code = "";
}

async function accept(p, li) {
  clearItemError(li);
  li.dataset.state = "saving";
  const edits = {};
  const kindSelect = li.querySelector(".p-kind-select");
  if (kindSelect && p.value.node && kindSelect.value !== p.value.node.kind) edits.kind = kindSelect.value;
  if (kindSelect && kindSelect.value === "Organization") {
    // Every organization needs a type, which the engine does not guess.
    edits.orgType = li.querySelector(".p-orgtype-select").value;
    if (!edits.orgType) {
      li.dataset.state = "error";
      showItemError(li, { message: "orgType: pick the organization's type before accepting it", code: "EINVALID" });
      return;
    }
  }
  // The reviewer's confidence and note for a relation or statement.
  const written = p.value.relation || p.value.statement;
  const confidence = li.querySelector(".p-confidence-select");
  if (written && confidence && confidence.value !== written.confidence) edits.confidence = confidence.value;
  const note = li.querySelector(".p-note-input");
  if (written && note && note.value.trim() !== (written.note || "")) edits.note = note.value.trim();
  try {
    const data = await ctx.track(gql(INGEST.accept, { id: p.id, edits: Object.keys(edits).length > 0 ? edits : null }));
    const r = data.acceptProposal;
    setStatus(li, r.proposal.status);
    li.dataset.change = String(r.change.seq);
    li.dataset.action = r.change.action;
    li.dataset.target = r.change.target;
    li.querySelector(".p-outcome").textContent = `change #${r.change.seq}: ${r.change.action} ${r.change.target}`;
    const v = p.value;
    if (v.relation) await ctx.grow(v.relation.from, [r.change.target, v.relation.from, v.relation.to]);
    else if (v.node) await ctx.grow(r.change.target, [r.change.target]);
    else if (v.statement) await ctx.said();
    li.dataset.state = "saved";
  } catch (err) {
    showItemError(li, err);
    if (err.code === "ECONFLICT") await refreshStatuses();
    li.dataset.state = "error";
  }
}

async function reject(p, li) {
  clearItemError(li);
  const reason = li.querySelector(".reject-reason").value.trim();
  if (!reason) {
    li.dataset.state = "error";
    showItemError(li, { message: "reason: say why the proposal is wrong; the history keeps it", code: "EINVALID" });
    return;
  }
  li.dataset.state = "saving";
  try {
    const data = await ctx.track(gql(INGEST.reject, { id: p.id, reason }));
    const r = data.rejectProposal;
    setStatus(li, r.proposal.status);
    li.dataset.change = String(r.change.seq);
    li.dataset.action = r.change.action;
    li.querySelector(".p-outcome").textContent = `change #${r.change.seq}: rejected — ${reason}`;
    li.dataset.state = "saved";
  } catch (err) {
    showItemError(li, err);
    if (err.code === "ECONFLICT") await refreshStatuses();
    li.dataset.state = "error";
  }
}

// The confidences a reviewer can record, as the API defines them.
const CONFIDENCES = [
  ["HIGH", "high: stated in the primary source"],
  ["MEDIUM", "medium: a researched source"],
  ["LOW", "low: unverified or inferred"],
];

function proposalItem(p) {
  const { el } = ctx;
  const sentence = sentenceOf(p.quote);
  const acceptButton = el("button", { type: "button", class: "decide", "data-testid": "proposal-accept", text: "Accept" });
  const rejectButton = el("button", { type: "button", class: "decide", "data-testid": "proposal-reject", text: "Reject…" });
  const reason = el("input", { class: "reject-reason", "data-testid": "proposal-reject-reason", placeholder: "why is it wrong?" });
  const confirm = el("button", { type: "submit", "data-testid": "proposal-reject-confirm", text: "Reject" });
  const cancel = el("button", { type: "button", text: "Cancel" });
  const rejectForm = el("form", { class: "reject-form row", hidden: true }, reason, confirm, cancel);
  let kindSelect = null;
  let orgTypeSelect = null;
  if (p.value.node) {
    kindSelect = el("select", { class: "p-kind-select", "data-testid": "proposal-kind", title: "Create it as" },
      ...KINDS.filter((k) => k.kind !== "Source").map((k) => el("option", { value: k.kind, text: k.kind })));
    kindSelect.value = p.value.node.kind;
    orgTypeSelect = el("select", { class: "p-orgtype-select", "data-testid": "proposal-orgtype", title: "The organization's type" },
      el("option", { value: "", text: "type…" }), ...ORG_TYPES.map((t) => el("option", { value: t, text: t.toLowerCase().replace(/_/g, " ") })));
    const sync = () => {
      orgTypeSelect.hidden = kindSelect.value !== "Organization";
    };
    kindSelect.addEventListener("change", sync);
    sync();
  }
  // A relation or statement is written with a confidence and a note the
  // reviewer may change before accepting.
  const written = p.value.relation || p.value.statement;
  let review = null;
  if (written) {
    const confidence = el("select", { class: "p-confidence-select", "data-testid": "proposal-confidence", title: "The confidence to record" },
      ...CONFIDENCES.map(([v, label]) => el("option", { value: v, text: label })));
    confidence.value = written.confidence;
    const note = el("input", { class: "p-note-input", "data-testid": "proposal-note", placeholder: "a note to record (optional)" });
    note.value = written.note || "";
    review = el("div", { class: "row wrap p-review" },
      el("label", { class: "inline", text: "confidence " }, confidence),
      el("label", { class: "inline grow", text: "note " }, note));
  }
  const li = el(
    "li",
    {
      class: "proposal",
      "data-testid": "proposal",
      tabindex: "0",
      dataset: {
        id: p.id,
        kind: p.kind,
        status: p.status,
        sentence: String(sentence),
        name: p.value.node ? p.value.node.name : "",
        item: (p.value.relation || p.value.statement || p.value.node || {}).id || "",
      },
    },
    el("div", { class: "p-head" },
      el("span", { class: "p-kind", text: p.kind.toLowerCase() }),
      el("span", { class: "p-conf", title: "the engine's confidence", text: p.confidence.toFixed(2) }),
      el("span", { class: "p-status", "data-testid": "proposal-status", text: p.status.toLowerCase() }),
      el("code", { class: "p-id", text: p.id })),
    el("div", { class: "p-value", "data-testid": "proposal-value", text: valueText(p) }),
    el("div", { class: "p-reason", text: `why: ${p.reason}` }),
    el("blockquote", { class: "p-quote", "data-testid": "proposal-quote", text: p.quote }),
    review,
    el("div", { class: "row wrap" }, kindSelect ? el("label", { class: "inline", text: "as " }, kindSelect, orgTypeSelect) : null, acceptButton, rejectButton),
    rejectForm,
    el("p", { class: "p-outcome", "data-testid": "proposal-outcome" }),
    el("p", { class: "form-error", "data-testid": "proposal-error", hidden: true }, el("span", { class: "msg" }), " ", el("code")),
  );
  acceptButton.addEventListener("click", () => accept(p, li));
  rejectButton.addEventListener("click", () => {
    rejectForm.hidden = false;
    reason.focus();
  });
  cancel.addEventListener("click", () => {
    rejectForm.hidden = true;
  });
  rejectForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    reject(p, li);
  });
  const on = () => highlightSentence(sentence, true);
  const off = () => {
    if (!li.contains(document.activeElement)) highlightSentence(sentence, false);
  };
  li.addEventListener("mouseenter", on);
  li.addEventListener("focusin", on);
  li.addEventListener("mouseleave", off);
  li.addEventListener("focusout", () => setTimeout(off, 0));
  setStatus(li, p.status);
  return li;
}

function renderResult() {
  const ing = current.ingestion;
  const box = $("ingest-result");
  box.dataset.ingestion = String(ing.id);
  box.dataset.source = ing.source.id;
  box.hidden = false;
  const nodes = new Set(ing.mentions.map((m) => m.nodeId)).size;
  $("ingest-summary").textContent =
    `Ingestion ${ing.id}, registered as ${ing.source.id}: ${ing.mentions.length} mention${ing.mentions.length === 1 ? "" : "s"} of ` +
    `${nodes} known node${nodes === 1 ? "" : "s"}, ${ing.candidates.length} candidate name${ing.candidates.length === 1 ? "" : "s"}, ` +
    `${ing.proposals.length} proposal${ing.proposals.length === 1 ? "" : "s"} nobody has decided yet.`;
  renderDocument();
  $("ingest-proposals").replaceChildren(...ing.proposals.map(proposalItem));
  $("ingest-no-proposals").hidden = ing.proposals.length > 0;
}

// ---------------------------------------------------------------- panel

function open(show) {
  $("ingest-panel").hidden = !show;
  $("controls").hidden = show;
  document.querySelector("main").classList.toggle("ingesting", show);
  $("ingest-open").setAttribute("aria-pressed", show ? "true" : "false");
  ctx.resized();
}

// setupIngest wires the panel. deps lends main.js' helpers: el, track,
// reveal(id) (show a node in the graph and its panel), grow(id, fresh)
// (add a node's neighbourhood to the view and mark the fresh elements),
// forgetFresh() (unmark them for a new document), said() (a statement was
// recorded: redraw what shows statements), resized() (the graph's box
// changed).
export function setupIngest(deps) {
  ctx = deps;
  showRole("");
  onRoleChange(showRole);
  $("ingest-open").addEventListener("click", () => open($("ingest-panel").hidden));
  $("ingest-close").addEventListener("click", () => open(false));
  $("ingest-file").addEventListener("change", readFile);
  $("ingest-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    submit();
  });
}
