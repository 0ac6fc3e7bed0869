/**
 * `migration-lint daemon` (src/daemon) with the built CLI as subprocesses: a run through the daemon prints and
 * exits exactly as a run without it; a run falls back to linting itself when the daemon is killed (its socket
 * left behind) or does not serve the run; the daemon ends when idle or stopped and leaves nothing behind.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = path.join(ROOT, "bin", "migration-lint.js");
const EXAMPLE = path.join(ROOT, "fixtures", "example");
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ml-daemon-")));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** No colour overrides and no XDG_RUNTIME_DIR: the daemon's private folder is then inside the project. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out = { ...process.env, ...extra };
  for (const name of ["FORCE_COLOR", "NO_COLOR", "MIGRATION_LINT_DEBUG", "XDG_RUNTIME_DIR", "MIGRATION_LINT_NO_DAEMON"]) if (!(name in extra)) delete out[name];
  return out;
}

function project(name: string): string {
  const dir = path.join(work, name);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

function run(cwd: string, args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: env(extra) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const daemons: ChildProcess[] = [];
afterEach(() => {
  for (const d of daemons.splice(0)) if (d.exitCode === null && d.signalCode === null) d.kill("SIGKILL");
});

/** Starts `migration-lint daemon` in the foreground and waits until it listens; its stderr is collected. */
async function startDaemon(cwd: string, args: string[] = []): Promise<{ child: ChildProcess; log: () => Promise<string>; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, "daemon", ...args], { cwd, env: env(), stdio: ["ignore", "ignore", "pipe"] });
  daemons.push(child);
  let log = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // spawnSync blocks this process's event loop: what the daemon wrote meanwhile is read after a turn of it
  const read = async () => (await new Promise((r) => setTimeout(r, 300)), log);
  for (let waited = 0; !/listening/.test(log) && !/ending/.test(log); waited += 50) {
    if (waited > 20_000 || child.exitCode !== null) throw new Error(`the daemon did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, log: read, exited };
}

const privateFolder = (dir: string) => path.join(dir, ".migration-lint-daemon");

/** A daemon of `dir` killed with SIGKILL, so that its socket is left behind (checked). */
async function leaveStaleSocket(dir: string): Promise<void> {
  const killed = await startDaemon(dir);
  killed.child.kill("SIGKILL");
  await killed.exited;
  expect(fs.readdirSync(privateFolder(dir)).some((f) => f.endsWith(".sock"))).toBe(true);
}

/** Waits until `ok()` holds (checked every 100 ms), at most `ms`. */
async function until(ok: () => boolean, ms: number): Promise<void> {
  for (let waited = 0; !ok(); waited += 100) {
    if (waited > ms) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("migration-lint daemon", () => {
  it("answers a run with the same stdout, stderr and exit code as a run without it", async () => {
    const dir = project("same");
    const newest = fs.readdirSync(path.join(dir, "prisma/migrations")).filter((n) => /^\d/.test(n)).sort().at(-1)!;
    const daemon = await startDaemon(dir);
    expect(fs.statSync(privateFolder(dir)).mode & 0o777).toBe(0o700);
    const cases = [[], ["-f", "json"], [`prisma/migrations/${newest}`], ["--max-warnings", "0", "-f", "compact"], ["--rule", "lock-timeout: off", "--quiet"], ["--no-such-flag"]];
    for (const args of cases) {
      // twice: the first fills the daemon's history, the second is answered from it
      for (const round of [1, 2]) {
        const served = run(dir, args);
        const alone = run(dir, args, { MIGRATION_LINT_NO_DAEMON: "1" });
        expect(served, `${args.join(" ")} (${round})`).toEqual(alone);
      }
    }
    // every lint run above was served (the usage error is left to the run), none fell back
    const log = await daemon.log();
    expect(log.match(/^migration-lint daemon: served /gm)).toHaveLength(2 * (cases.length - 1));
    expect(log).toMatch(/not served \["--no-such-flag"\]: the command line does not parse/);
    expect(run(dir, ["daemon", "stop"]).status).toBe(0);
    expect(await daemon.exited).toBe(0);
    // nothing left behind: the socket and the private folder are gone
    expect(fs.existsSync(privateFolder(dir))).toBe(false);
  });

  it("leaves runs it does not serve to the run itself: a config with plugins, --fix-dry-run", async () => {
    const dir = project("plugins");
    const plugin = path.join(dir, "plugin.mjs");
    fs.writeFileSync(plugin, `export default { rules: { "no-drop": { meta: { type: "problem", docs: { description: "x" }, messages: { m: "no" } }, create: (c) => ({ "drop-table": (op) => c.report({ node: op, messageId: "m" }) }) } } };\n`);
    fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), JSON.stringify({ plugins: ["./plugin.mjs"], rules: { "no-drop": "error" } }));
    const daemon = await startDaemon(dir);
    for (const args of [[], ["--fix-dry-run"]]) expect(run(dir, args)).toEqual(run(dir, args, { MIGRATION_LINT_NO_DAEMON: "1" }));
    expect(await daemon.log()).toMatch(/not served \[\]: the configuration has plugins/);
    expect(await daemon.log()).toMatch(/not served \["--fix-dry-run"\]: --fix-dry-run runs without the daemon/);
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(fs.existsSync(privateFolder(dir))).toBe(false);
  });

  it("falls back to a normal run when the daemon was killed and its socket is left behind", async () => {
    const dir = project("killed");
    await leaveStaleSocket(dir);
    const alone = run(dir, ["-f", "json"], { MIGRATION_LINT_NO_DAEMON: "1" });
    expect(run(dir, ["-f", "json"])).toEqual(alone);
    // a new daemon takes the stale socket over
    const again = await startDaemon(dir);
    expect(run(dir, ["-f", "json"])).toEqual(alone);
    expect(await again.log()).toMatch(/served \["-f","json"\]/);
    again.child.kill("SIGTERM");
    await again.exited;
  });

  it("--daemon starts one in the background when none answers: that run lints itself, a later one is answered by it", async () => {
    const dir = project("auto");
    // each command line once: the same one again would be the last run replayed, before any daemon is asked
    const alone = (format: string) => run(dir, ["--daemon", "-f", format], { MIGRATION_LINT_NO_DAEMON: "1" });
    try {
      // where CI is set (a fresh machine every job), none is started
      expect(run(dir, ["--daemon", "-f", "compact"], { CI: "true" })).toEqual(alone("compact"));
      await new Promise((r) => setTimeout(r, 1500));
      expect(fs.existsSync(privateFolder(dir))).toBe(false);

      expect(run(dir, ["--daemon", "-f", "json"], { CI: "" })).toEqual(alone("json"));
      await until(() => run(dir, ["daemon", "status"]).status === 0, 20_000);
      expect(fs.statSync(privateFolder(dir)).mode & 0o777).toBe(0o700);
      const served = run(dir, ["--daemon", "-f", "stylish"], { CI: "", MIGRATION_LINT_DEBUG: "1" });
      const expected = alone("stylish");
      expect([served.status, served.stdout]).toEqual([expected.status, expected.stdout]);
      expect(served.stderr).toBe(`${expected.stderr}migration-lint: debug: answered by the daemon of this directory (MIGRATION_LINT_NO_DAEMON=1 lints here)\n`);
    } finally {
      run(dir, ["daemon", "stop"]);
    }
    // and it leaves nothing behind when stopped
    await until(() => !fs.existsSync(privateFolder(dir)), 5000);
  });

  it("--daemon takes over the socket a killed daemon left behind", async () => {
    const dir = project("auto-stale");
    await leaveStaleSocket(dir);
    try {
      expect(run(dir, ["--daemon", "-f", "json"], { CI: "" })).toEqual(run(dir, ["--daemon", "-f", "json"], { MIGRATION_LINT_NO_DAEMON: "1" }));
      await until(() => run(dir, ["daemon", "status"]).status === 0, 20_000);
    } finally {
      run(dir, ["daemon", "stop"]);
    }
  });

  it("ends by itself when idle, and leaves nothing behind", async () => {
    const dir = project("idle");
    const daemon = await startDaemon(dir, ["--idle-timeout", "1"]);
    expect(await daemon.exited).toBe(0);
    expect(await daemon.log()).toMatch(/ending \(idle for 1 s\)/);
    expect(fs.existsSync(privateFolder(dir))).toBe(false);
    expect(run(dir, ["daemon", "status"]).status).toBe(1);
  });
});
