// Monaco (GraphiQL's editor) runs its language services in web workers. They
// are built next to the page (see build.mjs) and served by stakegraph itself
// as plain scripts, so the page needs neither blob: nor remote workers.
// main.js imports this before GraphiQL, so the editor finds it at start.
const workerFiles = {
  graphql: "/playground/graphql.worker.js",
  json: "/playground/json.worker.js",
};

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(workerFiles[label] ?? "/playground/editor.worker.js", { name: label });
  },
};
