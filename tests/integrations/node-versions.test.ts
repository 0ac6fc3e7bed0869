/**
 * The CLI on every Node.js major the package supports besides the one running the tests: the official
 * binaries that `.ci/run` fetches with scripts/ci-nodes.sh (MIGRATION_LINT_TEST_NODES, colon-separated
 * paths; skipped when unset). Each must print exactly what this Node prints, and must not pay for V8's
 * optimizing WASM tier: from Node 23 on, V8 ignores `--liftoff-only` set at run time, and bin/ starts the
 * process again with the flag on its command line (without that, fixtures/example peaked at 656 MB on
 * Node 24.22 instead of 85 MB, and took 2.8 s instead of 0.8 s).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs generator of the benchmarks, without types
import { writeSyntheticProjects } from "../../bench/synthetic.mjs";
import { ROOT } from "./hosts.js";

const nodes = (process.env.MIGRATION_LINT_TEST_NODES ?? "").split(":").filter(Boolean);
const CLI = path.join(ROOT, "bin/migration-lint.js");
const EXAMPLE = path.join(ROOT, "fixtures/example");
const GNU_TIME = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs the CLI with `node`; peak RSS in MB from GNU time where it is installed. */
function lint(node: string, args: string[]) {
  const command = GNU_TIME ? [GNU_TIME, "-f", "peak-rss-kb=%M", node] : [node];
  const r = spawnSync(command[0]!, [...command.slice(1), CLI, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  const peak = /peak-rss-kb=(\d+)\s*$/.exec(r.stderr ?? "");
  return { status: r.status, stdout: r.stdout, stderr: (r.stderr ?? "").replace(/(?:Command exited with non-zero status \d+\n)?peak-rss-kb=\d+\s*$/, ""), peakMb: peak ? Number(peak[1]) / 1024 : undefined };
}

describe.skipIf(nodes.length === 0)("the CLI on other Node.js majors (MIGRATION_LINT_TEST_NODES)", () => {
  const reference = lint(process.execPath, ["--cwd", EXAMPLE, "-f", "json"]);

  it.each(nodes)("%s prints what this Node prints, without the optimizing WASM tier's memory", (node) => {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    const r = lint(node, ["--cwd", EXAMPLE, "-f", "json"]);
    expect(r.stderr, version).toBe("");
    expect(r.status, version).toBe(reference.status);
    expect(r.stdout, version).toBe(reference.stdout);
    // 85-90 MB with --liftoff-only in effect on Node 20-25; 650 MB on Node 24 without it
    if (r.peakMb !== undefined) expect(r.peakMb, version).toBeLessThan(250);
  }, 60_000);

  it.each(nodes)("%s caps the young generation on a long history: Node 20's 16 MB semi-spaces, 2 MB where Node starts again for its flags", (node) => {
    // V8 12.5+ (Node 23+) sizes it from the machine's memory instead: 64 MB semi-spaces, and the lint of this
    // 1,000-migration history grew the main thread's new space to 64 MB (128 MB on 5,000 migrations: a 401 MB peak).
    // There bin/ starts Node again with --max-semi-space-size=2 (new space 4 MB); Node 22 keeps its own 16 MB.
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    const [v8Major, v8Minor] = spawnSync(node, ["-p", "process.versions.v8"], { encoding: "utf8" }).stdout.trim().split(".").map(Number);
    const restarted = v8Major! > 12 || (v8Major === 12 && v8Minor! >= 5);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "ml-young-gen-"));
    try {
      const [project] = writeSyntheticProjects(folder, [1000]) as Array<{ projectDir: string }>;
      // every thread (the main one and the schema worker) says how big its new space is as it ends
      const hook = path.join(folder, "new-space.mjs");
      fs.writeFileSync(hook, 'import v8 from "node:v8"; import fs from "node:fs";\nprocess.on("exit", () => fs.writeSync(2, `new-space-mb=${v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 1048576}\\n`));\n');
      const r = spawnSync(node, ["--import", pathToFileURL(hook).href, CLI, "--cwd", project!.projectDir, "-f", "json", "--no-cache"], { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, MIGRATION_LINT_NO_DAEMON: "1" } });
      expect(r.status, `${version}: ${r.stderr}`).toBe(1);
      const sizes = [...r.stderr.matchAll(/new-space-mb=(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
      expect(sizes.length, version).toBeGreaterThan(0);
      for (const size of sizes) expect(size, version).toBeLessThanOrEqual(restarted ? 4 : 32);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);

  it.each(nodes)("%s keeps the compiled code of the CLI's modules (Node 22+'s compile cache), so the next run skips compiling them", (node) => {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "ml-compile-cache-"));
    try {
      // Node's own default folder for it is <os.tmpdir()>/node-compile-cache (NODE_COMPILE_CACHE would turn it on by itself)
      const env = { ...process.env, TMPDIR: folder };
      delete env.NODE_COMPILE_CACHE;
      const run = () => spawnSync(node, [CLI, "--cwd", EXAMPLE, "-f", "json", "--no-cache"], { encoding: "utf8", env });
      const first = run();
      expect(first.stdout, version).toBe(reference.stdout);
      const cache = path.join(folder, "node-compile-cache");
      const files = fs.existsSync(cache) ? fs.readdirSync(cache, { recursive: true }).length : 0;
      expect(files, `${version}: files in the compile cache`).toBeGreaterThan(0);
      expect(run().stdout, version).toBe(reference.stdout);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it.each(nodes)("%s replays the same command run again (src/cache/last-run.ts), before Node would start again", async (node) => {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "ml-node-last-run-"));
    try {
      fs.cpSync(EXAMPLE, folder, { recursive: true });
      await new Promise((resolve) => setTimeout(resolve, 3200)); // files changed less than 3 s before a run keep it from being kept
      const env = { ...process.env, MIGRATION_LINT_DEBUG: "1", MIGRATION_LINT_NO_DAEMON: "1" };
      const run = () => spawnSync(node, [CLI, "--cwd", folder, "-f", "json"], { encoding: "utf8", env });
      const first = run();
      const second = run();
      expect(first.stdout, version).toBe(reference.stdout.replaceAll(EXAMPLE, folder));
      expect(second.stdout, version).toBe(first.stdout);
      expect(second.status, version).toBe(first.status);
      expect(second.stderr, version).toMatch(/replayed the last run of this command/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it.each(nodes)("%s keeps usage errors at exit 2, with this Node's message", (node) => {
    const expected = lint(process.execPath, ["--no-such-flag"]);
    const r = lint(node, ["--no-such-flag"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(expected.stderr);
    expect(r.stderr).toMatch(/^migration-lint: Unknown option '--no-such-flag'/);
  }, 60_000);

  it.each(nodes)("%s replays the example on PGlite (the optimizing tier kept) as this Node does", (node) => {
    const args = ["--cwd", EXAMPLE, "-f", "json", "--replay"];
    const expected = lint(process.execPath, args);
    const r = lint(node, args);
    expect(r.status).toBe(expected.status);
    expect(r.stdout).toBe(expected.stdout);
  }, 120_000);
});
