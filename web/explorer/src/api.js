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

export async function gql(query, variables, signal) {
  let res;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
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

const EDGE_FIELDS = "id type source target role status start end confidence undated";

export const QUERIES = {
  search: `query Search($q: String!) {
    search(query: $q, first: 8) { score node { id kind name aliases } }
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
