// The GraphiQL playground served at /: GraphiQL, React and the Monaco editor
// bundled into the binary, so the page works on a network without internet.
import "./workers.js";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import "./playground.css";
import defaultQuery from "./default-query.graphql";

// The API on the page's own origin.
const endpoint = "/graphql";

// fetcher posts one operation and returns the parsed answer. GraphQL errors
// come back in the body (shown in the result pane); a body that is not JSON,
// such as a proxy's error page, becomes an error GraphiQL shows instead.
async function fetcher(params, options) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json", ...options?.headers },
    body: JSON.stringify(params),
    credentials: "same-origin",
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${endpoint} answered ${response.status} ${response.statusText} without JSON: ${text.slice(0, 200)}`);
  }
}

createRoot(document.getElementById("graphiql")).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultEditorToolsVisibility: false,
  }),
);
