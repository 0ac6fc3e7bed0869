#!/usr/bin/env node
/**
 * Writes dist/code-digest.json: one sha1 over every file `npm run build` put in dist/ (the library, the CLI
 * bundle, the rules, the vendored schema parser), by path and content. The --cache keys the findings of
 * built-in rules by it (src/version.ts builtCodeDigest), so a rebuilt dist whose package version did not
 * change still misses where its code did. Computed once here, so a run never hashes dist itself.
 *
 * Usage: node scripts/code-digest.mjs [dist folder] (npm run build runs it last, from scripts/bundle.mjs).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CODE_DIGEST_FILE = "code-digest.json";

/** Every file under `dir`, as sorted paths relative to it. */
function filesUnder(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(dir, rel));
    else if (entry.isFile() && rel !== CODE_DIGEST_FILE) out.push(rel);
  }
  return out.sort();
}

export function writeCodeDigest(dist) {
  const hash = createHash("sha1");
  for (const rel of filesUnder(dist)) {
    const bytes = readFileSync(path.join(dist, rel));
    hash.update(`${rel.split(path.sep).join("/")}\0${bytes.length}\0`).update(bytes);
  }
  const digest = hash.digest("hex");
  writeFileSync(path.join(dist, CODE_DIGEST_FILE), `${JSON.stringify({ digest })}\n`);
  return digest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  writeCodeDigest(path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist")));
}
