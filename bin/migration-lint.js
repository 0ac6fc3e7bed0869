#!/usr/bin/env node
// The same command, run again with every input as it was, prints what its last run printed and exits with its code
// (dist/cli/last-run.js, src/cache/last-run.ts): checked before anything else loads, and before Node starts again
// below. A child started below already had its parent check; `lsp` and `daemon` are long-lived and never kept.
const { replayLastRun, writeKept, isTerminal } = await import("../dist/cli/last-run.js");
const colorDefault = (isTerminal(1) && !process.env.NO_COLOR) || (!!process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0");
const kept = ["lsp", "daemon"].includes(process.argv[2]) || process.env.MIGRATION_LINT_RELAUNCHED === "1" ? null : replayLastRun(process.argv.slice(2), colorDefault);
if (kept) {
  process.exitCode = writeKept(kept);
  if (process.env.MIGRATION_LINT_DEBUG) process.stderr.write("migration-lint: debug: replayed the last run of this command (nothing it read has changed; --no-cache lints)\n");
} else await run();

async function run() {
  const { default: module } = await import("node:module");
  const { default: v8 } = await import("node:v8");

  // A lint run calls the WASM SQL parser many times for a short while: V8's baseline compiler is
  // enough, and skipping the optimizing tier saves its compile time (measured: a cold run of a
  // 19-migration project 0.44 -> 0.36 s, of 820 migrations 0.87 -> 0.80 s, on 2 cores). Replay runs
  // a whole Postgres in WASM for seconds, where the optimizing tier pays off, so it keeps it.
  // V8 grows the heap to up to 4x what survived the last full GC before collecting again; a long
  // history keeps ~60-90 MB alive, so the default peaked at 350 MB on a 5,000-migration history. Growing
  // by 50% instead holds it near 250 MB at the same speed (bench/corpus.mjs, synthetic history).
  const relaunched = process.env.MIGRATION_LINT_RELAUNCHED === "1";
  delete process.env.MIGRATION_LINT_RELAUNCHED; // not passed on to anything this run starts
  const flags = ["--heap-growing-percent=50"];
  const replays = process.argv.some((a) => a === "--replay" || a === "--drift-only" || a === "--lock-trace");
  if (!replays) flags.unshift("--liftoff-only");
  // Node 20 and 22 (V8 <= 12.4) honour these flags set at run time. From Node 23 (V8 12.9) on, V8 reads its
  // WASM tiering flags only at start-up: set at run time, --liftoff-only does nothing, and the parser's
  // tier-up costs 2-3 s and ~570 MB more on every run (measured on Node 24.22: fixtures/example 2.79 s /
  // 656 MB, 0.80 s / 85 MB with the flag on the command line). There the process starts again with the
  // flags on its command line, which costs one Node start-up (~25 ms on Node 24).
  const [v8Major, v8Minor] = process.versions.v8.split(".").map(Number);
  const startupOnly = v8Major > 12 || (v8Major === 12 && v8Minor >= 5);
  // Those V8s also size the young generation from the machine's memory: its semi-spaces grow to 64 MB, where Node 20
  // and 22 stop at 16, and the lint of a long history held 128 MB of young generation (Node 24.22, the synthetic
  // 5,000-migration history of bench/corpus.mjs: 401 MB peak, 258-263 MB with Node 22's 16 MB, which is as fast).
  // Read only at start-up too, so it rides on the same restart; a size the user gave Node is kept. A lint takes 2 MB:
  // on Node 24.22 cold trigger.dev peaked at 130 MiB instead of 159, langfuse 125 instead of 143, at the same speed;
  // only very long histories pay (the synthetic 5,000: 232 MiB instead of 264, 4-17% more wall time). The language
  // server and the daemon (long-lived, re-linting in milliseconds) keep 16 MB. A replay (Postgres in WASM) does not
  // start Node again (it keeps the optimizing tier), so set at run time the size does nothing there: V8 keeps its own.
  const nodeOptions = (process.env.NODE_OPTIONS ?? "").split(/\s+/);
  const semiSpaceMb = replays || ["lsp", "daemon"].includes(process.argv[2]) ? 16 : 2;
  if (startupOnly && ![...process.execArgv, ...nodeOptions].some((a) => a.startsWith("--max-semi-space-size"))) flags.push(`--max-semi-space-size=${semiSpaceMb}`);
  const missing = flags.filter((f) => !process.execArgv.includes(f));
  if (startupOnly && missing.includes("--liftoff-only") && !relaunched) {
    const args = [...process.execArgv, ...missing, process.argv[1], ...process.argv.slice(2)];
    const env = { ...process.env, MIGRATION_LINT_RELAUNCHED: "1" };
    if (typeof process.execve === "function") {
      process.execve(process.execPath, [process.execPath, ...args], env); // replaces this process: same pid, signals and exit code
    }
    const { spawnSync } = await import("node:child_process");
    const child = spawnSync(process.execPath, args, { stdio: "inherit", env });
    if (child.error) {
      process.stderr.write(`migration-lint: could not restart Node with ${missing.join(" ")}: ${child.error.message}\n`);
      process.exit(2);
    }
    if (child.signal) process.kill(process.pid, child.signal);
    process.exit(child.status ?? 2);
  }
  for (const flag of missing) v8.setFlagsFromString(flag);

  // The report is the only thing on stdout. Output of user code (a config, a plugin, a formatter module that
  // calls console.log) goes to stderr instead, so that JSON and SARIF on stdout stay parseable.
  const writeReport = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);

  // A reader that stops early (`migration-lint | head -1`) closes the pipe: stop writing to it and exit
  // quietly, as Unix tools do, instead of dying on EPIPE with a stack trace.
  const closed = new Set();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err) => {
      if (err.code !== "EPIPE") throw err;
      closed.add(stream);
    });
  }
  const writer = (stream, write) => (text) => {
    if (!closed.has(stream)) write(text);
  };

  // Node 22.1+ keeps the compiled code of the modules it loads (Node's own cache folder, in the OS temp dir), so a run
  // after the first skips compiling them; NODE_DISABLE_COMPILE_CACHE=1 turns it off. Node 20 has no such cache.
  module.enableCompileCache?.();

  // `migration-lint lsp --stdio`: the language server, loaded only for it (dist/cli/lsp.js). It runs no user code on
  // this thread (its lint worker does), and it ends when the client says exit or closes stdin.
  if (process.argv[2] === "lsp") {
    const { serve } = await import("../dist/cli/lsp.js");
    serve(process.argv.slice(3), writeReport);
  } else if (process.argv[2] === "daemon") {
    // `migration-lint daemon`: keeps the history in memory for the runs of this directory (dist/cli/daemon.js)
    const { daemonCommand } = await import("../dist/cli/daemon.js");
    process.exitCode = await daemonCommand(process.argv.slice(3), (text) => process.stderr.write(text));
  } else {
    // a daemon of this directory answers the run when it is up and serves it; else the run lints itself (dist/cli/daemon-client.js),
    // after starting one in the background for the next runs where it has --daemon
    const { viaDaemon } = await import("../dist/cli/daemon-client.js");
    const served = await viaDaemon(process.argv.slice(2), colorDefault);
    if (served) {
      for (const [fd, text] of served.output) (fd === 1 ? writer(process.stdout, writeReport) : writer(process.stderr, (t) => process.stderr.write(t)))(text);
      if (process.env.MIGRATION_LINT_DEBUG) process.stderr.write("migration-lint: debug: answered by the daemon of this directory (MIGRATION_LINT_NO_DAEMON=1 lints here)\n");
      process.exitCode = served.code;
    } else await lint();
  }

  async function lint() {
    const { main, guardProcess } = await import("../dist/cli/main.js");

    // user code (configs, plugins, formatters) cannot end the run early or keep it alive after the report
    const guard = guardProcess((text) => process.stderr.write(text), [writeReport, (text, done) => process.stderr.write(text, done)]);
    const code = await main(process.argv.slice(2), {
      stdout: writer(process.stdout, writeReport),
      stderr: writer(process.stderr, (text) => process.stderr.write(text)),
      colorDefault,
    });
    guard.finish(code);
  }
}
