#!/usr/bin/env node
/**
 * Builds the extension from the repository's own files (`npm run build` in the repository root first, for dist/):
 *
 * - out/extension.js: the client (src/extension.ts) and vscode-languageclient, bundled with esbuild;
 * - server/: the fallback copy of migration-lint that runs when the workspace has none of its own: the root's
 *   package.json, bin/ and dist/, and the production dependencies the language server loads, copied from the
 *   root's node_modules. Left out: what only --replay loads (sql.js, mysql2) and cosmiconfig's optional
 *   TypeScript (a TypeScript config is loaded with jiti). Kept: PGlite, which proves every fix before the editor
 *   gets its edit, and pg, which reads the `_prisma_migrations` of the databaseUrl setting.
 *
 * `npm run package` then packs it with @vscode/vsce into migration-lint.vsix (never published from here).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(here, "../..");
const REPLAY_ONLY = new Set(["sql.js", "mysql2", "typescript"]);

if (!existsSync(path.join(root, "dist/cli/lsp.js"))) {
  console.error("editors/vscode: build migration-lint first (npm run build in the repository root): dist/cli/lsp.js is missing");
  process.exit(2);
}

await build({
  entryPoints: [path.join(here, "src/extension.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  outfile: path.join(here, "out/extension.js"),
  legalComments: "inline",
  logLevel: "warning",
});

const server = path.join(here, "server");
rmSync(server, { recursive: true, force: true });
mkdirSync(server, { recursive: true });
for (const entry of ["package.json", "bin", "dist", "LICENSE", "README.md"]) {
  if (existsSync(path.join(root, entry))) cpSync(path.join(root, entry), path.join(server, entry), { recursive: true });
}
// the production dependency tree, as npm installed it, without the replay-only packages and what only they need
const tree = JSON.parse(execFileSync("npm", ["ls", "--omit=dev", "--all", "--json", "--long"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 }));
const copied = new Set();
const copy = (deps) => {
  for (const [name, dep] of Object.entries(deps ?? {})) {
    if (REPLAY_ONLY.has(name) || !dep.path || copied.has(dep.path)) continue;
    copied.add(dep.path);
    const to = path.join(server, path.relative(root, dep.path));
    // source maps are for debugging the packages, not for running them (PGlite's alone are 6 MB)
    cpSync(dep.path, to, { recursive: true, filter: (from) => !path.relative(dep.path, from).startsWith("node_modules") && !from.endsWith(".map") });
    copy(dep.dependencies);
  }
};
copy(tree.dependencies);
console.log(`editors/vscode: out/extension.js, and server/ with ${copied.size} packages`);
