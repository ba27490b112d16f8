// A GraphQL client for /graphql: POST JSON, and every error, from the
// transport or from GraphQL, becomes an ApiError with the server's
// extensions.code so the page can show both.
export class ApiError extends Error {
  constructor(message, code, path) {
    super(message);
    this.name = "ApiError";
    this.code = code || "";
    this.path = path || null;
  }
}

// The bearer token the page writes with, kept for the browser tab only
// (sessionStorage) and never put in the URL. It is sent only with requests
// to this page's own origin: the API's path is relative.
const TOKEN_KEY = "stakegraph-token";
let token = "";
try {
  token = window.sessionStorage.getItem(TOKEN_KEY) || "";
} catch {
  token = "";
}

export function currentToken() {
  return token;
}

export function setToken(value) {
  token = (value || "").trim();
  try {
    if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
    else window.sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage may be off (private mode); the token then lasts until reload.
  }
}

export async function gql(query, variables, signal) {
  let res;
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(`cannot reach the API: ${err && err.message ? err.message : err}`, "NETWORK");
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`the API answered HTTP ${res.status} without a JSON body`, `HTTP_${res.status}`);
  }
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    const more = body.errors.length > 1 ? ` (and ${body.errors.length - 1} more)` : "";
    throw new ApiError(first.message + more, first.extensions && first.extensions.code, first.path);
  }
  if (!res.ok || !body.data) {
    throw new ApiError(`the API answered HTTP ${res.status}`, `HTTP_${res.status}`);
  }
  return body.data;
}

const STATEMENT_FIELDS = `id stance date confidence note
  speaker { id kind name }
  onBehalfOf { id kind name }
  about { id kind name }
  event { id name }
  evidence { sourceId quote source { id name url publisher } }`;

const EDGE_FIELDS = "id type source target role status start end confidence undated";

export const QUERIES = {
  search: `query Search($q: String!, $kinds: [Kind!]) {
    search(query: $q, kinds: $kinds, first: 8) { score node { id kind name aliases } }
  }`,
  topics: `query Topics {
    stakeholders(filter: { kinds: [Topic] }, first: 100) { edges { node { id name } } }
  }`,
  neighborhood: `query Neighborhood($id: ID!, $depth: Int, $types: [RelationType!], $topic: ID, $asOf: Date) {
    neighborhood(id: $id, depth: $depth, relationTypes: $types, topic: $topic, asOf: $asOf) {
      nodes { id kind label }
      edges { ${EDGE_FIELDS} }
    }
  }`,
  node: `query Node($id: ID!) {
    stakeholder(id: $id) { id kind name description }
  }`,
  relations: `query Relations($id: ID!, $types: [RelationType!]) {
    stakeholder(id: $id) {
      id name
      relations(direction: OUT, types: $types) {
        id type role status start end confidence undated note
        node { id name }
        evidence { sourceId quote source { id name url publisher } }
      }
    }
  }`,
  // A page of statements: by a speaker (or on its behalf), about a
  // concept, or made at an event.
  statements: `query Statements($speaker: ID, $topic: ID, $event: ID, $asOf: Date, $after: ID) {
    statements(speaker: $speaker, topic: $topic, event: $event, asOf: $asOf, after: $after, first: 100) { ${STATEMENT_FIELDS} }
  }`,
  // The discourse network as drawn: the weight sets an edge's width.
  discourse: `query Discourse($kind: DiscourseKind!, $topic: ID, $asOf: Date) {
    discourseNetwork(kind: $kind, topic: $topic, asOf: $asOf) {
      nodes { id kind label }
      edges { id type source target confidence undated weight }
    }
  }`,
  // One discourse edge with what lies behind it, asked for when clicked.
  discourseEdge: `query DiscourseEdge($kind: DiscourseKind!, $topic: ID, $asOf: Date) {
    discourseNetwork(kind: $kind, topic: $topic, asOf: $asOf) {
      edges { id type source target confidence weight note evidence { sourceId quote } }
    }
  }`,
  paths: `query Paths($from: ID!, $to: ID!, $maxHops: Int, $types: [RelationType!], $topics: [ID!], $asOf: Date, $mode: PathMode) {
    paths(from: $from, to: $to, maxHops: $maxHops, relationTypes: $types, topics: $topics, asOf: $asOf, mode: $mode, limit: 5) {
      length
      sentence
      nodes { id kind label }
      edges { ${EDGE_FIELDS} }
      hops { sentence quotes }
    }
  }`,
};

const ENTITY_VALUE = `node { id kind name aliases description orgType isoCode title scope budget location status start end url publisher language }
  relation { id type from to role status start end confidence note evidence { sourceId quote } }`;

// The queries and mutations of editing (see edit.js).
export const EDITS = {
  // A side-effect-free way to learn a token's role: revert needs ADMIN and
  // change 0 never exists, so the answer is EUNAUTHORIZED (no or unknown
  // token), EFORBIDDEN naming the token's role, or, for an admin, EINVALID.
  viewer: `query Viewer { viewer { name role writesEnabled } }`,
  nodeValue: `query NodeValue($id: ID!) {
    stakeholder(id: $id) {
      id kind name aliases description version
      ... on Country { isoCode start end }
      ... on Organization { orgType start end }
      ... on Person { title start end }
      ... on Topic { start end }
      ... on Programme { scope budget start end }
      ... on Event { location start end }
      ... on Agreement { status start end }
    }
  }`,
  sourceText: `query SourceText($id: ID!) {
    stakeholder(id: $id) { id name ... on Source { text } }
  }`,
  // Ten changes a page keeps the query under the API's complexity limit;
  // the page asks for the next one from lastSeq.
  history: `query History($id: ID!, $since: Int) {
    stakeholder(id: $id) {
      id
      history(since: $since, first: 10) {
        hasNextPage lastSeq
        changes {
          seq at actor role action target reason reverts
          steps { target operation before { ${ENTITY_VALUE} } after { ${ENTITY_VALUE} } }
        }
      }
    }
  }`,
  relation: `query Relation($from: ID!, $type: RelationType!) {
    stakeholder(id: $from) { id relations(direction: OUT, types: [$type]) { id version evidence { sourceId quote } } }
  }`,
  upsertStakeholder: `mutation Upsert($input: StakeholderInput!, $expectedVersion: Int) {
    upsertStakeholder(input: $input, expectedVersion: $expectedVersion) { change { seq } stakeholder { id version } }
  }`,
  addRelation: `mutation AddRelation($input: RelationInput!) {
    addRelation(input: $input) { change { seq } relation { id } }
  }`,
  addEvidence: `mutation AddEvidence($id: ID!, $evidence: [EvidenceInput!]!) {
    addEvidence(relationId: $id, evidence: $evidence) { change { seq } relation { id } }
  }`,
  retireRelation: `mutation RetireRelation($id: ID!, $reason: String!) {
    retireRelation(id: $id, reason: $reason) { change { seq } }
  }`,
  retireStakeholder: `mutation RetireStakeholder($id: ID!, $reason: String!) {
    retireStakeholder(id: $id, reason: $reason) { change { seq } }
  }`,
  revert: `mutation Revert($seq: Int!, $reason: String!) {
    revert(changeId: $seq, reason: $reason) { change { seq } reverted { seq } }
  }`,
};

const PROPOSAL_FIELDS = `id ingestion kind status reason confidence quote
  value {
    relation { id type from to confidence note }
    statement { id speaker onBehalfOf about stance confidence note }
    node { id kind name }
  }`;

// The queries and mutations of ingesting a document (see ingest.js).
export const INGEST = {
  ingest: `mutation Ingest($input: DocumentInput!) {
    ingestDocument(input: $input) {
      id
      source { id name }
      sentences { start end text }
      mentions { nodeId start end text }
      candidates { name kind reason start end }
      proposals { ${PROPOSAL_FIELDS} }
    }
  }`,
  accept: `mutation Accept($id: ID!, $edits: ProposalEdits) {
    acceptProposal(id: $id, edits: $edits) { change { seq action target } proposal { ${PROPOSAL_FIELDS} } }
  }`,
  queue: `query Queue($ingestion: Int!) { proposals(ingestion: $ingestion) { id status } }`,
  reject: `mutation Reject($id: ID!, $reason: String!) {
    rejectProposal(id: $id, reason: $reason) { change { seq action target } proposal { ${PROPOSAL_FIELDS} } }
  }`,
};

// namesQuery asks for the kinds and names of several nodes in one request
// (null for an ID no node has): the server batches node lookups, so each
// costs only its object.
export function namesQuery(ids) {
  const vars = ids.map((_, i) => `$i${i}: ID!`).join(", ");
  const fields = ids.map((_, i) => `n${i}: node(id: $i${i}) { id ... on Stakeholder { kind name } }`).join("\n");
  return `query Names(${vars}) {\n${fields}\n}`;
}
