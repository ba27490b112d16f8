// The peer the benchmark harness compares stakegraph with: @neo4j/graphql
// over the same Neo4j database, with type definitions written for the labels
// and relationship types stakegraph's seed writes (every node :Stakeholder
// with id, kind and name; relationships typed by the relation type, with the
// relation's properties and evidence as parallel lists). Started by
// `go run ./bench -peer`; it prints one line {"port": N} when it listens.
//
// Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE,
// RELATION_TYPES (comma-separated, from the harness), PORT (0: any free).
import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";
import { typeDefs } from "./typedefs.mjs";

const relationTypes = (process.env.RELATION_TYPES ?? "").split(",").filter(Boolean);
if (relationTypes.length === 0) {
  console.error("peer: RELATION_TYPES is empty; the harness passes the relation types");
  process.exit(2);
}

const auth = process.env.NEO4J_PASSWORD
  ? neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", process.env.NEO4J_PASSWORD)
  : undefined;
const driver = neo4j.driver(process.env.NEO4J_URI || "bolt://localhost:7687", auth);
const database = process.env.NEO4J_DATABASE || "neo4j";

const schema = await new Neo4jGraphQL({ typeDefs: typeDefs(relationTypes), driver }).getSchema();
const apollo = new ApolloServer({ schema });
await apollo.start();

// A plain node:http server rather than Express: the least work between the
// socket and Apollo. Every socket gets TCP_NODELAY, as Go's net/http does
// by default, so neither side waits on Nagle's algorithm.
const server = http.createServer(async (req, res) => {
  if (req.method !== "POST" || req.url !== "/graphql") {
    res.writeHead(404).end();
    return;
  }
  let body = "";
  req.setEncoding("utf8");
  for await (const chunk of req) body += chunk;
  try {
    const headers = new Map();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers, search: "", body: JSON.parse(body) },
      context: async () => ({ sessionConfig: { database } }),
    });
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === "complete") {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  } catch (err) {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
  }
});
server.on("connection", (socket) => socket.setNoDelay(true));
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port }));
});

const stop = async () => {
  server.close();
  await apollo.stop();
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
