#!/usr/bin/env node
/**
 * Bundles what `tsc` compiled, after it, for fast start-up (`npm run build`):
 *
 * - dist/cli/: the command line (bin/migration-lint.js), its worker threads and
 *   the language server (`lsp`, `lsp-worker`, `proof-worker`), with their dependencies, as ES modules split into chunks that
 *   load only when a run needs them (formatters, replay, ...). Loading ~100
 *   modules one by one took ~60 ms of a 190 ms warm run; the bundle takes a
 *   fraction of it. The library (`import "migration-lint"`) stays dist/src/,
 *   module per file. Left out, loaded from node_modules: the SQL parsers (WASM),
 *   PGlite and pg (replay only), jiti and TypeScript (TypeScript configs only),
 *   and ajv (rule options only).
 * - dist/vendor/prisma-ast.cjs: @mrleebo/prisma-ast (with chevrotain and
 *   lodash-es, hundreds of small ES modules) as one CommonJS file, required at
 *   the first schema parse. src/schema/parse-schema.ts falls back to the
 *   package itself when the bundle is absent (the TypeScript sources under
 *   vitest). Licence comments are kept inline.
 */
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/**
 * At load, prisma-ast builds a default parser (chevrotain's grammar analysis) and, for its options, searches
 * every folder from the working directory up for a `prisma-ast` config (lilconfig). We pass our own parser
 * and visitor, so both are made on first use instead: loading the bundle took 50 ms, now 32 (node 20, 2 cores).
 * Each edit must apply exactly once; a prisma-ast release that changes this code fails the build here.
 */
const lazyDefaults = {
  name: "prisma-ast-lazy-defaults",
  setup(build) {
    build.onLoad({ filter: /prisma-ast\.cjs\.development\.js$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      let code = await readFile(args.path, "utf8");
      const edits = [
        ["const defaultParser = /*#__PURE__*/new PrismaParser(getConfig().parser);", "let defaultParser = null;"],
        ["const DefaultVisitorClass = /*#__PURE__*/VisitorClassFactory(defaultParser);", ""],
        ["const defaultVisitor = /*#__PURE__*/new DefaultVisitorClass();", "let defaultVisitor = null;"],
        ["const parser = options?.parser ?? defaultParser;", "const parser = options?.parser ?? (defaultParser ??= new PrismaParser(getConfig().parser));"],
        ["const visitor = options?.visitor ?? defaultVisitor;", "const visitor = options?.visitor ?? (defaultVisitor ??= new (VisitorClassFactory(parser))());"],
      ];
      for (const [from, to] of edits) {
        if (code.split(from).length !== 2) throw new Error(`scripts/bundle.mjs: prisma-ast changed (${args.path}); cannot find once: ${from}`);
        code = code.replace(from, to);
      }
      return { contents: code, loader: "js" };
    });
  },
};

await build({
  entryPoints: [require.resolve("@mrleebo/prisma-ast")],
  plugins: [lazyDefaults],
  // its index.js picks a development or a minified production build by NODE_ENV: keep the one we run and test
  define: { "process.env.NODE_ENV": '"development"' },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: path.join(root, "dist/vendor/prisma-ast.cjs"),
  legalComments: "inline",
  logLevel: "warning",
});

const cli = path.join(root, "dist/cli");
rmSync(cli, { recursive: true, force: true });
const { metafile } = await build({
  // the worker entries keep their names: src/schema/load.ts, src/cli/supervise.ts and src/cli/formatter-host.ts start them by file name
  entryPoints: {
    main: path.join(root, "dist/src/cli/main.js"),
    worker: path.join(root, "dist/src/schema/worker.js"),
    "lint-worker": path.join(root, "dist/src/cli/lint-worker.js"),
    "formatter-worker": path.join(root, "dist/src/cli/formatter-worker.js"),
    // the language server (`migration-lint lsp`) and its lint worker: bin/migration-lint.js loads them only for it
    lsp: path.join(root, "dist/src/lsp/server.js"),
    "lsp-worker": path.join(root, "dist/src/lsp/lsp-worker.js"),
    // `migration-lint daemon`, its lint worker, and the few lines every other run loads to ask it first
    daemon: path.join(root, "dist/src/daemon/server.js"),
    "daemon-worker": path.join(root, "dist/src/daemon/daemon-worker.js"),
    "daemon-client": path.join(root, "dist/src/daemon/client.js"),
    // the language server's proof worker: PGlite replays that prove a fix before the editor gets it
    "proof-worker": path.join(root, "dist/src/lsp/proof-worker.js"),
  },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: cli,
  chunkNames: "chunk-[hash]",
  external: ["libpg-query", "@guanmingchiu/sqlparser-ts", "mysql2", "sql.js", "@electric-sql/pglite", "pg", "jiti", "typescript", "ajv"],
  // CommonJS dependencies (cosmiconfig) require() Node's built-in modules
  banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
  legalComments: "inline",
  logLevel: "warning",
  metafile: true,
});
// the last run of the same command, replayed while its inputs are as they were (src/cache/last-run.ts): the first thing
// a run loads, so one file (~16 ms for its 9 modules as chunks, ~10 as one file on Node 20)
const lastRun = await build({
  entryPoints: { "last-run": path.join(root, "dist/src/cache/last-run.js") },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: cli,
  legalComments: "inline",
  logLevel: "warning",
  metafile: true,
});
Object.assign(metafile.outputs, lastRun.metafile.outputs);
// which sources each output holds: tests/cli/cli.test.ts checks that --help and --version load none of the heavy ones
const outputs = Object.fromEntries(Object.entries(metafile.outputs).map(([file, out]) => [path.basename(file), Object.keys(out.inputs)]));
writeFileSync(path.join(cli, "meta.json"), `${JSON.stringify({ outputs }, null, 1)}\n`);

// last, over everything above: the --cache keys built-in rules by the code that runs them (scripts/code-digest.mjs)
const { writeCodeDigest } = await import("./code-digest.mjs");
writeCodeDigest(path.join(root, "dist"));
