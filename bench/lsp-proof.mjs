#!/usr/bin/env node
/**
 * How long the editor waits for a fix's edit: the language server proves every fix before it gives the edit
 * (codeAction/resolve; src/fix proveMigrationEdit: the history replayed on PGlite before and after, on the proof
 * worker). On trigger.dev's history (820 migrations, ../shared/corpus; skipped when absent) with one new migration
 * whose ADD COLUMN lacks a lock_timeout: `migration-lint lsp --stdio` driven over stdio as VS Code drives it,
 * timed from codeAction/resolve of the lock-timeout fix to its answer. The first proof replays the whole history;
 * after an edit of the new migration the next proof starts from the kept data directory of the 820 before it.
 *
 *   npm run build && BENCH_RUNS=5 node bench/lsp-proof.mjs      (writes bench/results/lsp-proof.md)
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";
import { cli, root, triggerDevPrisma } from "./lib.mjs";

const source = triggerDevPrisma();
const runs = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(path.join(os.tmpdir(), "ml-bench-proof-"));
cpSync(source, path.join(work, "prisma"), { recursive: true });
writeFileSync(path.join(work, ".migration-lintrc.json"), JSON.stringify({ extends: ["recommended"], rules: { "lock-timeout": "warn" } }));
const history = readdirSync(path.join(work, "prisma/migrations")).filter((n) => /^\d/.test(n)).length;
const file = path.join(work, "prisma/migrations/99990101000000_bench_fix/migration.sql");
const text = `-- AlterTable\nALTER TABLE "TaskRun" ADD COLUMN "bench" TEXT;\n`;
mkdirSync(path.dirname(file));
writeFileSync(file, text);
const uri = pathToFileURL(file).href;

const child = spawn(process.execPath, [cli, "lsp", "--stdio"], { cwd: work, stdio: ["pipe", "pipe", "inherit"] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
let onDiagnostics = null;
connection.onNotification("textDocument/publishDiagnostics", (params) => params.uri === uri && onDiagnostics?.(params.diagnostics));
connection.onNotification("window/showMessage", ({ message }) => console.error(message));
connection.listen();
const lockTimeout = (version) => new Promise((resolve) => (onDiagnostics = (d) => d.some((x) => x.code === "lock-timeout") && resolve({ version, diagnostic: d.find((x) => x.code === "lock-timeout") })));

await connection.sendRequest("initialize", {
  processId: process.pid,
  rootUri: pathToFileURL(work).href,
  workspaceFolders: [{ uri: pathToFileURL(work).href, name: "trigger.dev" }],
  capabilities: { textDocument: { codeAction: { dataSupport: true, resolveSupport: { properties: ["edit"] } } } },
  initializationOptions: { debounceMs: 0 },
});
await connection.sendNotification("initialized", {});
const times = [];
for (let i = 0; i < runs; i++) {
  // each round a new version of the new migration (a comment line more above the statement, so its finding moves
  // and is published again): a new proof, with the same history before it
  const next = `${"-- reviewed\n".repeat(i)}${text}`;
  const found = lockTimeout(i + 1);
  if (i === 0) await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "sql", version: 1, text: next } });
  else await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: i + 1 }, contentChanges: [{ text: next }] });
  const { diagnostic } = await found;
  // the findings of this version are what the action is made from
  await new Promise((r) => setTimeout(r, 300));
  const actions = await connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
  const fix = actions.find((a) => a.isPreferred);
  const sent = performance.now();
  const resolved = await connection.sendRequest("codeAction/resolve", fix);
  times.push(performance.now() - sent);
  if (!resolved.edit) throw new Error(`round ${i}: the fix was not proven: ${resolved.disabled?.reason}`);
}
await connection.sendRequest("shutdown");
await connection.sendNotification("exit");
rmSync(work, { recursive: true, force: true });

const rest = times.slice(1).sort((a, b) => a - b);
const report = [
  `# Language server: proving a fix before its edit (bench/lsp-proof.mjs)`,
  ``,
  `trigger.dev (internal-packages/database, ${history} migrations) and one new migration with an ADD COLUMN; \`migration-lint lsp --stdio\` over stdio as a client that resolves code actions; the lock-timeout fix resolved ${runs} times, the new migration edited between; Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, ${new Date().toISOString().slice(0, 10)}.`,
  `Time from codeAction/resolve to the answer with the proven edit (PGlite replays the history before and after the fix and compares the end schemas).`,
  ``,
  `| proof | ms |`,
  `|---|---|`,
  `| first (PGlite's initdb, the ${history} migrations before the new one replayed, then both ends) | ${Math.round(times[0])} |`,
  ...(rest.length ? [`| after an edit of the new migration, median of ${rest.length} (the kept data directory of the history before it, loaded twice) | ${Math.round(rest[Math.floor(rest.length / 2)])} (${Math.round(rest[0])}–${Math.round(rest.at(-1))}) |`] : []),
  ``,
].join("\n");
console.log(report);
writeFileSync(path.join(root, "bench/results/lsp-proof.md"), report);
