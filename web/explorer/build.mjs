// Builds the explorer into internal/explorer/dist, which the Go binary
// embeds. The output has fixed file names and no timestamps, so the same
// sources and lock file give the same bytes: `node build.mjs --check` builds
// into a temporary directory and fails when the committed dist differs.
import * as esbuild from "esbuild";
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "internal", "explorer", "dist");

async function build(outdir) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { explorer: join(here, "src", "main.js") },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    outdir,
    legalComments: "eof",
    charset: "utf8",
    logLevel: "warning",
  });
  await esbuild.build({
    entryPoints: { explorer: join(here, "src", "explorer.css") },
    bundle: true,
    minify: true,
    outdir,
    charset: "utf8",
    logLevel: "warning",
  });
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
  const tmp = await mkdtemp(join(tmpdir(), "explorer-"));
  try {
    await build(tmp);
    const want = await listing(tmp);
    const got = await listing(dist).catch(() => new Map());
    const stale = [...new Set([...want.keys(), ...got.keys()])].filter(
      (name) => !want.has(name) || !got.has(name) || !want.get(name).equals(got.get(name)),
    );
    if (stale.length > 0) {
      console.error(`internal/explorer/dist is out of date (${stale.join(", ")}): run npm run build in web/explorer and commit the result`);
      process.exit(1);
    }
    console.log("internal/explorer/dist is up to date");
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
} else {
  await build(dist);
  console.log(`built ${dist}`);
}
