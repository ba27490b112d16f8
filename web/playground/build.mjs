// Builds the playground into internal/playground/dist, which the Go binary
// embeds: the page, its script and style sheet, and the editor's web
// workers. The output has fixed file names and no timestamps, so the same
// sources and lock file give the same bytes: `node build.mjs --check` builds
// into a temporary directory and fails when the committed dist differs.
import * as esbuild from "esbuild";
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "internal", "playground", "dist");
const modules = join(here, "node_modules");

// The Monaco workers that src/workers.js starts, by output name.
const workers = {
  "editor.worker": join(modules, "monaco-editor", "esm", "vs", "editor", "editor.worker.js"),
  "json.worker": join(modules, "monaco-editor", "esm", "vs", "language", "json", "json.worker.js"),
  "graphql.worker": join(modules, "monaco-graphql", "esm", "graphql.worker.js"),
};

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  charset: "utf8",
  logLevel: "warning",
  // React's production build; without it the bundle carries the
  // development checks and warnings.
  define: { "process.env.NODE_ENV": '"production"' },
};

async function build(outdir) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    ...common,
    entryPoints: { playground: join(here, "src", "main.js") },
    outdir,
    // The editor's icon font is a file next to the style sheet, served
    // from the same origin; GraphiQL's own fonts are inlined in its CSS.
    loader: { ".graphql": "text", ".ttf": "file" },
    assetNames: "[name]",
  });
  await esbuild.build({ ...common, entryPoints: workers, outdir });
  await writeFile(join(outdir, "index.html"), await readFile(join(here, "index.html")));
}

async function listing(dir) {
  const out = new Map();
  for (const name of (await readdir(dir)).sort()) {
    out.set(name, await readFile(join(dir, name)));
  }
  return out;
}

if (process.argv.includes("--check")) {
  const tmp = await mkdtemp(join(tmpdir(), "playground-"));
  try {
    await build(tmp);
    const want = await listing(tmp);
    const got = await listing(dist).catch(() => new Map());
    const stale = [...new Set([...want.keys(), ...got.keys()])].filter(
      (name) => !want.has(name) || !got.has(name) || !want.get(name).equals(got.get(name)),
    );
    if (stale.length > 0) {
      console.error(`internal/playground/dist is out of date (${stale.join(", ")}): run npm run build in web/playground and commit the result`);
      process.exit(1);
    }
    console.log("internal/playground/dist is up to date");
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
} else {
  await build(dist);
  console.log(`built ${dist}`);
}
