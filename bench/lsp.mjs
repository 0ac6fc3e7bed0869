#!/usr/bin/env node
/**
 * The language server's re-lint after an edit, on trigger.dev's history (820 migrations, ../shared/corpus; skipped
 * when absent): `migration-lint lsp --stdio` driven over stdio as an editor drives it (debounce 0), timed from the
 * didChange that adds a statement to the publishDiagnostics that reports it. Edits in the newest migration (the
 * one being written) and in one in the middle of the history; the first lint (cold, whole history) for scale.
 *
 *   npm run build && BENCH_RUNS=15 node bench/lsp.mjs      (writes bench/results/lsp.md)
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";
import { cli, root, triggerDevPrisma } from "./lib.mjs";

const source = triggerDevPrisma();
const runs = Number(process.env.BENCH_RUNS ?? 10);
const work = mkdtempSync(path.join(os.tmpdir(), "ml-bench-lsp-"));
cpSync(source, path.join(work, "prisma"), { recursive: true });
const migrationsDir = path.join(work, "prisma/migrations");
const names = readdirSync(migrationsDir).filter((n) => /^\d/.test(n)).sort();

const child = spawn(process.execPath, [cli, "lsp", "--stdio"], { cwd: work, stdio: ["pipe", "pipe", "inherit"] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiting = new Map();
const lintLog = [];
connection.onNotification("textDocument/publishDiagnostics", ({ uri, diagnostics }) => {
  const w = waiting.get(uri);
  if (w && w.accept(diagnostics)) {
    waiting.delete(uri);
    w.resolve(performance.now());
  }
});
connection.onNotification("window/logMessage", ({ message }) => {
  const m = /linted .* in (\d+) ms/.exec(message);
  if (m) lintLog.push(Number(m[1]));
});
connection.onNotification("window/showMessage", ({ message }) => console.error(message));
connection.onRequest("window/showMessageRequest", ({ message }) => (console.error(message), null));
connection.listen();
const published = (file, accept) => new Promise((resolve) => waiting.set(pathToFileURL(file).href, { accept, resolve }));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const started = performance.now();
await connection.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(work).href, workspaceFolders: [{ uri: pathToFileURL(work).href, name: "trigger.dev" }], capabilities: {}, initializationOptions: { debounceMs: 0 } });
const newest = path.join(migrationsDir, names.at(-1), "migration.sql");
const firstDone = published(newest, () => true);
await connection.sendNotification("initialized", {});
const cold = (await firstDone) - started;
await new Promise((r) => setTimeout(r, 1000));
const coldLint = lintLog[0];

/** Opens a migration, then edits it `runs` times, each edit adding or removing a DROP COLUMN the linter reports. */
async function editTimes(file) {
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, "utf8");
  await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "sql", version: 1, text } });
  await new Promise((r) => setTimeout(r, 2000));
  const times = [];
  const lints = lintLog.length;
  for (let i = 0; i < runs; i++) {
    const edited = i % 2 === 0;
    const next = edited ? `${text}\nALTER TABLE "TaskRun" DROP COLUMN "bench_${i}";\n` : text;
    const done = published(file, (d) => d.some((x) => x.code === "destructive-change" && /bench_/.test(x.message)) === edited);
    const sent = performance.now();
    await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: next }] });
    times.push((await done) - sent);
  }
  await connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  return { times, lints: lintLog.slice(lints) };
}

const atEnd = await editTimes(newest);
const middleName = names[Math.floor(names.length / 2)];
const atMiddle = await editTimes(path.join(migrationsDir, middleName, "migration.sql"));
await connection.sendRequest("shutdown");
await connection.sendNotification("exit");
rmSync(work, { recursive: true, force: true });

const row = (what, r) => `| ${what} | ${Math.round(median(r.times))} | ${Math.round(Math.min(...r.times))}–${Math.round(Math.max(...r.times))} | ${Math.round(median(r.lints))} |`;
const report = [
  `# Language server: re-lint after an edit (bench/lsp.mjs)`,
  ``,
  `trigger.dev (internal-packages/database, ${names.length} migrations), \`migration-lint lsp --stdio\` over stdio, debounce 0, ${runs} edits each, Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}.`,
  `Time from the didChange that adds (or removes) a DROP COLUMN to the publishDiagnostics that shows it; "server" is the lint alone, as the server logs it.`,
  ``,
  `| edit | median ms | range ms | server median ms |`,
  `|---|---|---|---|`,
  row(`newest migration (${names.at(-1)})`, atEnd),
  row(`a migration in the middle (${middleName})`, atMiddle),
  ``,
  `First lint of the whole history at start-up: ${Math.round(cold)} ms from initialize to its diagnostics (server start, worker start, config; the lint itself, parsing all ${names.length} migrations: ${coldLint} ms).`,
  ``,
].join("\n");
console.log(report);
writeFileSync(path.join(root, "bench/results/lsp.md"), report);
