// Editing in the explorer: the token field and its role, and the forms of
// the node and evidence panels (edit a stakeholder, add a relation or
// evidence with a quote selected from the source's text, retire, history
// and revert). Every write goes through the GraphQL mutations; the server
// decides what a token may do, and the page only hides what it would refuse.
import { gql, EDITS, currentToken, setToken } from "./api.js";
import { relationTypesFor, KINDS, KIND_FIELDS, ORG_TYPES } from "./kinds.js";

const $ = (id) => document.getElementById(id);
const ROLES = ["READER", "EDITOR", "ADMIN"];

let role = ""; // the token's role as the server reports it; "" without one
let ctx = null; // what main.js lends: el, track, autocomplete, refresh, kindOf, labelOf

// ---------------------------------------------------------------- forms

// formError shows an API error in a form, with its code, and puts the
// message next to the field it names too; the form keeps what was typed.
export function formError(form, err) {
  const box = form.querySelector(".form-error");
  box.querySelector(".msg").textContent = (err && err.message) || String(err);
  box.querySelector("code").textContent = (err && err.code) || "";
  box.dataset.code = (err && err.code) || "";
  box.hidden = false;
  const field = errorField(err && err.message);
  const slot = field && form.querySelector(`.field-error[data-for="${field}"]`);
  if (slot) slot.textContent = err.message;
}

export function clearFormError(form) {
  const box = form.querySelector(".form-error");
  box.hidden = true;
  box.dataset.code = "";
  for (const slot of form.querySelectorAll(".field-error")) slot.textContent = "";
}

// errorField finds the input field an EINVALID message names: the server
// writes "relation ID: evidence[0].quote: …" or "…: type: …".
function errorField(message) {
  const m = /: (evidence\[\d+\]\.(source|quote)|type|from|to|start|end|name|role)\b[^:]*: /.exec(message || "");
  if (!m) return "";
  if (m[2]) return m[2];
  if (m[1] === "from" || m[1] === "to") return "to";
  return m[1];
}

// write runs a mutation for a form: the form's error box shows a failure,
// and on success the view is fetched again.
async function write(form, query, variables, beforeRefresh) {
  clearFormError(form);
  form.dataset.state = "saving";
  try {
    const data = await ctx.track(gql(query, variables));
    if (beforeRefresh) beforeRefresh();
    await ctx.refresh();
    form.dataset.state = "saved";
    return data;
  } catch (err) {
    form.dataset.state = "error";
    formError(form, err);
    return null;
  }
}

function onSubmit(form, handler) {
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    handler();
  });
  const cancel = form.querySelector(".cancel");
  if (cancel) {
    cancel.addEventListener("click", () => {
      form.hidden = true;
    });
  }
}

const orNull = (v) => {
  const t = (v || "").trim();
  return t === "" ? null : t;
};

// ---------------------------------------------------------------- token

function allows(need) {
  return ROLES.indexOf(role) >= ROLES.indexOf(need);
}

// Others that depend on the role (the ingest panel) listen here.
const roleListeners = [];

export function onRoleChange(listener) {
  roleListeners.push(listener);
}

function showRole(text, value, title) {
  for (const listener of roleListeners) listener(ROLES.includes(value) ? value : "");
  const badge = $("role");
  badge.textContent = text;
  badge.dataset.role = value;
  badge.title = title || "";
  badge.hidden = !text;
  document.body.dataset.role = ROLES.includes(value) ? value : "";
  $("token-clear").hidden = !currentToken();
}

// learnRole asks the server who the token is (the viewer query).
async function learnRole() {
  if (!currentToken()) {
    role = "";
    showRole("", "");
    return;
  }
  try {
    const data = await ctx.track(gql(EDITS.viewer, {}));
    role = (data.viewer && data.viewer.role) || "";
  } catch (err) {
    role = "";
    if (err.code === "EUNAUTHORIZED") setToken(""); // an unknown token would make every request fail
    showRole(err.code === "EUNAUTHORIZED" ? "token refused" : "role unknown", "ERROR", `${err.message} (${err.code})`);
    $("role").dataset.code = err.code || "";
    ctx.showError(err);
    return;
  }
  $("role").dataset.code = "";
  showRole(role.toLowerCase(), role);
}

// ---------------------------------------------------------------- sources

// evidencePicker wires a source search box (sources only), the source's
// text and the quote: selecting a passage of the text fills the quote.
function evidencePicker(prefix) {
  const input = $(`${prefix}-source`);
  const text = $(`${prefix}-source-text`);
  const quote = $(`${prefix}-quote`);
  ctx.autocomplete(input, $(`${prefix}-source-suggestions`), async (node) => {
    text.textContent = "";
    text.dataset.sourceId = node.id;
    text.dataset.state = "loading";
    try {
      const data = await ctx.track(gql(EDITS.sourceText, { id: node.id }));
      if (input.dataset.id !== node.id) return;
      text.textContent = (data.stakeholder && data.stakeholder.text) || "";
      text.dataset.state = data.stakeholder && data.stakeholder.text ? "ready" : "none";
      if (text.dataset.state === "none") text.textContent = "";
    } catch (err) {
      text.dataset.state = "error";
      formError(input.closest("form"), err);
    }
  }, ["Source"]);
  document.addEventListener("selectionchange", () => {
    const sel = document.getSelection();
    if (!sel || sel.isCollapsed || !text.contains(sel.anchorNode) || !text.contains(sel.focusNode)) return;
    const picked = sel.toString().replace(/\s+/g, " ").trim();
    if (picked) quote.value = picked;
  });
  return {
    value: () => ({ source: input.dataset.id || orNull(input.value) || "", quote: quote.value.trim() }),
    reset: () => {
      input.value = "";
      input.dataset.id = "";
      text.textContent = "";
      text.dataset.state = "";
      quote.value = "";
    },
  };
}

// ---------------------------------------------------------------- node

let nodeId = "";
let nodeValue = null; // the stakeholder as last read, with its version
let relPicker = null;
let evPicker = null;
let edgeId = "";

async function loadNodeValue(id) {
  const data = await ctx.track(gql(EDITS.nodeValue, { id }));
  return data.stakeholder;
}

function fillNodeForm(v) {
  nodeValue = v;
  $("node-name").value = v.name;
  $("node-aliases").value = (v.aliases || []).join(", ");
  $("node-desc").value = v.description || "";
  $("node-form-version").textContent = `version ${v.version}`;
  $("node-form").dataset.version = String(v.version);
  const box = $("node-kind-fields");
  box.replaceChildren(
    ...(KIND_FIELDS[v.kind] || []).map(([field, label]) => {
      const input = field === "orgType"
        ? ctx.el("select", { "data-value": field }, ...ORG_TYPES.map((t) => ctx.el("option", { value: t, text: t })))
        : ctx.el("input", { "data-value": field, "data-testid": `node-${field}` });
      input.value = v[field] || "";
      return ctx.el("label", { text: label }, input);
    }),
  );
}

// formValues are the edit form's fields as typed, by input field name.
function formValues() {
  return Object.fromEntries([...$("node-form").querySelectorAll("[data-value]")].map((e) => [e.dataset.value, e.value]));
}

function setFormValues(values) {
  for (const e of $("node-form").querySelectorAll("[data-value]")) {
    if (e.dataset.value in values) e.value = values[e.dataset.value];
  }
}

async function openNodeForm() {
  const form = $("node-form");
  clearFormError(form);
  $("node-reload").hidden = true;
  $("node-mine").hidden = true;
  form.dataset.state = "loading";
  form.hidden = false;
  try {
    fillNodeForm(await loadNodeValue(nodeId));
    form.dataset.state = "ready";
  } catch (err) {
    form.dataset.state = "error";
    formError(form, err);
  }
}

async function saveNode() {
  const form = $("node-form");
  const v = nodeValue;
  if (!v) return;
  const input = { id: v.id, kind: v.kind };
  for (const [field, value] of Object.entries(formValues())) input[field] = orNull(value);
  input.name = input.name || "";
  input.aliases = (input.aliases || "").split(",").map((s) => s.trim()).filter(Boolean);
  $("node-reload").hidden = true;
  $("node-mine").hidden = true;
  const data = await write(form, EDITS.upsertStakeholder, { input, expectedVersion: v.version });
  if (data) {
    form.hidden = true;
  } else if (form.querySelector(".form-error").dataset.code === "ECONFLICT") {
    $("node-reload").hidden = false;
  }
}

// reloadNode reads the stakeholder again after a conflict: its current
// value and version replace the form's, and the fields the user had
// changed are listed, ready to be applied to the new value.
let mine = {};
async function reloadNode() {
  const form = $("node-form");
  const typed = formValues();
  try {
    fillNodeForm(await loadNodeValue(nodeId));
  } catch (err) {
    formError(form, err);
    return;
  }
  clearFormError(form);
  $("node-reload").hidden = true;
  const current = formValues();
  mine = Object.fromEntries(Object.entries(typed).filter(([k, v]) => current[k] !== v));
  $("node-mine-list").replaceChildren(
    ...Object.entries(mine).map(([k, v]) => ctx.el("li", { "data-testid": "node-mine-field", dataset: { field: k }, text: `${k}: “${v}” (now “${current[k]}”)` })),
  );
  $("node-mine").hidden = Object.keys(mine).length === 0;
  form.dataset.state = "ready";
}

function reapplyMine() {
  setFormValues(mine);
  $("node-mine").hidden = true;
}

function otherKind() {
  const id = $("rel-other").dataset.id || "";
  return id ? ctx.kindOf(id) || kindFromId(id) : "";
}

function kindFromId(id) {
  const prefix = id.split(":")[0];
  return prefix ? prefix[0].toUpperCase() + prefix.slice(1) : "";
}

// fillTypes offers the relation types the two ends' kinds allow, keeping
// the one chosen when it still fits.
function fillTypes() {
  const select = $("rel-type");
  const keep = select.value;
  const here = ctx.kindOf(nodeId) || kindFromId(nodeId);
  const there = otherKind();
  if (!there) {
    select.replaceChildren(ctx.el("option", { value: "", text: "pick the other node first" }));
    return;
  }
  const [from, to] = $("rel-dir").value === "OUT" ? [here, there] : [there, here];
  const types = relationTypesFor(from, to);
  select.replaceChildren(
    ...(types.length === 0
      ? [ctx.el("option", { value: "", text: `no relation type joins ${from} → ${to}` })]
      : types.map((t) => ctx.el("option", { value: t, text: t }))),
  );
  if (types.includes(keep)) select.value = keep;
}

function openRelationForm() {
  const form = $("rel-form");
  clearFormError(form);
  form.hidden = false;
  fillTypes();
}

async function saveRelation() {
  const form = $("rel-form");
  const other = $("rel-other").dataset.id || "";
  const out = $("rel-dir").value === "OUT";
  const ev = relPicker.value();
  const input = {
    type: $("rel-type").value || null,
    from: out ? nodeId : other,
    to: out ? other : nodeId,
    confidence: $("rel-confidence").value,
    role: orNull($("rel-role").value),
    start: orNull($("rel-start").value),
    end: orNull($("rel-end").value),
    note: orNull($("rel-note").value),
    evidence: [ev],
  };
  if (!other) {
    formError(form, { message: "to: pick the other node from the suggestions", code: "EINVALID" });
    return;
  }
  if (!input.type) {
    formError(form, { message: "type: no relation type joins these two kinds", code: "EINVALID" });
    return;
  }
  const data = await write(form, EDITS.addRelation, { input });
  if (data) {
    form.hidden = true;
    form.dataset.added = data.addRelation.relation ? data.addRelation.relation.id : "";
    for (const id of ["rel-other", "rel-role", "rel-start", "rel-end", "rel-note"]) $(id).value = "";
    $("rel-other").dataset.id = "";
    relPicker.reset();
  }
}

async function retireNode() {
  const form = $("node-retire-form");
  const id = nodeId;
  const data = await write(form, EDITS.retireStakeholder, { id, reason: $("node-retire-reason").value }, () => ctx.dropNode(id));
  if (data) $("node-retire-reason").value = "";
}

// ---------------------------------------------------------------- history

// valueSummary tells an entity value in a few words.
function valueSummary(v) {
  if (!v) return "";
  if (v.relation) {
    const r = v.relation;
    return `${r.from} ${r.type} ${r.to} (${r.evidence.length} quote${r.evidence.length === 1 ? "" : "s"})`;
  }
  if (v.node) return `${v.node.kind} “${v.node.name}”`;
  return "";
}

function flat(v) {
  const x = (v && (v.relation || v.node)) || {};
  const out = {};
  for (const [k, val] of Object.entries(x)) {
    if (val === null || val === undefined) continue;
    if (k === "evidence") out[k] = val.map((e) => `${e.sourceId}: “${e.quote}”`).join("; ");
    else out[k] = Array.isArray(val) ? val.join(", ") : String(val);
  }
  return out;
}

// stepText says what one step did: before → after for the fields that
// changed, or what was created or retired.
function stepText(s) {
  if (s.operation === "CREATED") return [`created ${valueSummary(s.after)}`];
  if (s.operation === "RETIRED") return [`retired ${valueSummary(s.before)}`];
  const a = flat(s.before);
  const b = flat(s.after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
  return [`updated ${s.target}`, ...keys.map((k) => `${k}: ${a[k] === undefined ? "—" : `“${a[k]}”`} → ${b[k] === undefined ? "—" : `“${b[k]}”`}`)];
}

async function showHistory() {
  const box = $("history-box");
  box.hidden = false;
  box.dataset.nodeId = nodeId;
  box.dataset.load = "loading";
  const id = nodeId;
  try {
    const changes = [];
    let since = 0;
    for (let page = 0; page < 100; page++) {
      const data = await ctx.track(gql(EDITS.history, { id, since }));
      const h = data.stakeholder.history;
      changes.push(...h.changes);
      if (!h.hasNextPage || h.lastSeq === null) break;
      since = h.lastSeq;
    }
    if (id !== nodeId) return;
    renderHistory(changes);
    box.dataset.load = "ready";
  } catch (err) {
    box.dataset.load = "error";
    formError(box, err);
  }
}

function renderHistory(oldestFirst) {
  const { el } = ctx;
  const changes = [...oldestFirst].reverse(); // newest first
  $("history-empty").hidden = changes.length > 0;
  $("history-list").replaceChildren(
    ...changes.map((c) => {
      const steps = el("ul", {}, ...c.steps.flatMap((s) => {
        const [head, ...diffs] = stepText(s);
        return [el("li", { class: "step", "data-testid": "change-step", text: head }, ...diffs.map((d) => el("div", { class: "diff", text: d })))];
      }));
      const revert = el("button", { type: "button", "data-min-role": "ADMIN", "data-testid": "change-revert", dataset: { seq: String(c.seq) }, text: `Revert #${c.seq}` });
      revert.addEventListener("click", () => revertChange(c.seq));
      return el(
        "li",
        { "data-testid": "change", dataset: { seq: String(c.seq), action: c.action, target: c.target } },
        el("strong", { text: `#${c.seq} ${c.action}` }),
        " ",
        el("span", { class: "who", text: `${c.at.replace("T", " ").replace(/\.\d+Z$/, "Z")} · ${c.actor} (${c.role.toLowerCase()})` }),
        c.reason ? el("div", { class: "reason", text: `reason: ${c.reason}` }) : null,
        c.reverts ? el("div", { class: "reason", text: `undoes #${c.reverts}` }) : null,
        steps,
        revert,
      );
    }),
  );
}

async function revertChange(seq) {
  const box = $("history-box");
  const data = await write(box, EDITS.revert, { seq, reason: $("revert-reason").value });
  if (data) {
    $("revert-reason").value = "";
    await showHistory();
  }
}

// ---------------------------------------------------------------- edge

async function saveEvidence() {
  const form = $("evidence-form");
  const data = await write(form, EDITS.addEvidence, { id: edgeId, evidence: [evPicker.value()] });
  if (data) {
    form.hidden = true;
    evPicker.reset();
  }
}

async function retireEdge() {
  const form = $("edge-retire-form");
  const data = await write(form, EDITS.retireRelation, { id: edgeId, reason: $("edge-retire-reason").value });
  if (data) $("edge-retire-reason").value = "";
}

// ---------------------------------------------------------------- wiring

// setupEditing wires the token field and the forms. deps lends main.js'
// helpers: el, track, showError, autocomplete(input, list, onPick, kinds), refresh()
// (fetch the view again), kindOf(id) (a drawn node's kind), dropNode(id)
// (take a retired node out of the view's state).
export function setupEditing(deps) {
  ctx = deps;
  $("token").value = "";
  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    setToken($("token").value);
    $("token").value = ""; // kept in sessionStorage only, not in the field
    learnRole();
  });
  $("token-clear").addEventListener("click", () => {
    setToken("");
    learnRole();
  });

  $("node-edit").addEventListener("click", openNodeForm);
  $("node-add-relation").addEventListener("click", openRelationForm);
  $("node-history").addEventListener("click", showHistory);
  $("node-reload").addEventListener("click", reloadNode);
  $("node-reapply").addEventListener("click", reapplyMine);
  $("rel-dir").addEventListener("change", fillTypes);
  ctx.autocomplete($("rel-other"), $("rel-other-suggestions"), fillTypes, KINDS.map((k) => k.kind).filter((k) => k !== "Source"));
  $("rel-other").addEventListener("input", fillTypes);
  relPicker = evidencePicker("rel");
  evPicker = evidencePicker("ev");
  onSubmit($("node-form"), saveNode);
  onSubmit($("rel-form"), saveRelation);
  onSubmit($("node-retire-form"), retireNode);
  onSubmit($("evidence-form"), saveEvidence);
  onSubmit($("edge-retire-form"), retireEdge);
  $("edge-add-evidence").addEventListener("click", () => {
    clearFormError($("evidence-form"));
    $("evidence-form").hidden = false;
  });
  return learnRole();
}

// nodeShown is called when the node panel shows another node (or the same
// one again after a write): forms for another node close.
export function nodeShown(id) {
  if (id !== nodeId) {
    for (const f of ["node-form", "rel-form"]) $(f).hidden = true;
    $("history-box").hidden = true;
    clearFormError($("node-retire-form"));
  }
  nodeId = id;
  const source = (ctx.kindOf(id) || kindFromId(id)) === "Source";
  $("node-edit").disabled = source; // sources are registered with addSource, not edited here
  $("node-add-relation").disabled = source;
  if (!$("history-box").hidden) showHistory();
}

// edgeShown is called when the evidence panel shows an edge.
export function edgeShown(id) {
  if (id !== edgeId) {
    $("evidence-form").hidden = true;
    clearFormError($("edge-retire-form"));
  }
  edgeId = id;
}

export function currentRole() {
  return role;
}
