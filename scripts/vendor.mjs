#!/usr/bin/env node
/**
 * Bundles @mrleebo/prisma-ast (with chevrotain and lodash-es, hundreds of
 * small ES modules) into one CommonJS file, dist/src/vendor/prisma-ast.cjs.
 * Resolving and loading those modules one by one took most of a second on a
 * cold start; the single file loads in ~50 ms. Licence comments are kept
 * inline. src/schema/parse-schema.ts falls back to the package itself when
 * the bundle is absent (e.g. running the TypeScript sources under vitest).
 */
import { build } from "esbuild";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

await build({
  entryPoints: [require.resolve("@mrleebo/prisma-ast")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: path.join(root, "dist/src/vendor/prisma-ast.cjs"),
  legalComments: "inline",
  logLevel: "warning",
});
