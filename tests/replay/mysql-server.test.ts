/**
 * The throwaway MySQL / MariaDB server replay starts itself when no --database-url is given and mariadbd or
 * mysqld is installed (src/dialects/mysql/server.ts): it replays, and it is gone after every exit path, its
 * process (no process left whose command line names its dir) and its temp dir. Each run gets a TMPDIR of its
 * own, so what is checked is this run's server only. Skipped where no server binary is installed (.ci/run
 * installs mariadb-server). Uses the built CLI and API (npm run build).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_DIR_PREFIX, findServerBinary } from "../../src/dialects/mysql/server.js";
import type { LintResult } from "../../src/engine/results.js";
import { project } from "./mysql-helpers.js";

const binary = findServerBinary();
const cli = path.resolve(__dirname, "../../bin/migration-lint.js");
const api = path.resolve(__dirname, "../../dist/src/api/lint.js");

const INIT = "-- CreateTable\nCREATE TABLE `User` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `email` VARCHAR(191) NOT NULL,\n\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n";
/** A migration that keeps the server busy long enough to end the run from outside while it replays. */
const SLOW = "SELECT SLEEP(60);\n";

/** A TMPDIR for one run (world-readable: the server may run as the mysql user). */
function tmpdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-mysqld-test-"));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Processes whose command line names `dir` (the server started there). */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmdline.includes(dir) && Number(pid) !== process.pid) found.push(`${pid}: ${cmdline.slice(0, 120)}`);
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

const serverDirs = (tmp: string) => fs.readdirSync(tmp).filter((e) => e.startsWith(SERVER_DIR_PREFIX));

/** Waits for the condition (a dying process takes a moment to leave /proc). */
async function eventually(check: () => boolean, ms = 15_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (check()) return true;
  return check();
}

/** Nothing left of the server: no process, no dir. */
async function expectGone(tmp: string): Promise<void> {
  expect(await eventually(() => processesIn(tmp).length === 0)).toBe(true);
  expect(processesIn(tmp)).toEqual([]);
  expect(serverDirs(tmp)).toEqual([]);
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** Resolves once the server of this run listens (its socket exists). */
async function serverUp(tmp: string): Promise<void> {
  const up = await eventually(() => serverDirs(tmp).some((d) => fs.existsSync(path.join(tmp, d, "mysqld.sock"))), 60_000);
  expect(up).toBe(true);
  // and the replay is inside the slow statement
  await new Promise((r) => setTimeout(r, 1500));
}

function lint(cwd: string, tmp: string) {
  const run = spawnSync(process.execPath, [cli, "--cwd", cwd, "--replay", "--no-baseline", "-f", "json"], { encoding: "utf8", env: { ...process.env, TMPDIR: tmp } });
  const results = (run.stdout ? JSON.parse(run.stdout) : []) as LintResult[];
  const messages = results.flatMap((r) => r.messages);
  return { run, messages, replayed: messages.filter((m) => m.ruleId === "replay-failed") };
}

describe.skipIf(!binary)(`MySQL replay on a throwaway server (${binary ?? "no mariadbd or mysqld installed"})`, () => {
  it("replays without --database-url, and the server is gone after a normal end", async () => {
    const tmp = tmpdir();
    const cwd = project({ "20240101000000_init": INIT, "20240102000000_name": "ALTER TABLE `User` ADD COLUMN `name` VARCHAR(191) NULL;" }, "\nmodel User {\n  id    Int     @id @default(autoincrement())\n  email String\n  name  String?\n}\n");
    const { run, messages } = lint(cwd, tmp);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(messages.filter((m) => m.ruleId === "replay-failed" || m.ruleId === "schema-drift")).toEqual([]);
    await expectGone(tmp);
  }, 120_000);

  it("after a migration the server rejects (the run's error path) the server is gone", async () => {
    const tmp = tmpdir();
    const { replayed } = lint(project({ "20240101000000_init": INIT, "20240102000000_bad": "ALTER TABLE `User` DROP COLUMN `nope`;" }), tmp);
    expect(replayed.filter((m) => m.severity === 2)).toHaveLength(1);
    await expectGone(tmp);
  }, 120_000);

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} while it replays: the server is stopped and its dir deleted, and the CLI ends by the signal`, async () => {
      const tmp = tmpdir();
      const child = spawn(process.execPath, [cli, "--cwd", project({ "20240101000000_init": INIT, "20240102000000_slow": SLOW }), "--replay", "--no-baseline"], { env: { ...process.env, TMPDIR: tmp }, stdio: "ignore" });
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, sig) => resolve({ code, signal: sig })));
      await serverUp(tmp);
      expect(processesIn(tmp).length).toBeGreaterThan(0);
      child.kill(signal);
      expect((await ended).signal).toBe(signal);
      await expectGone(tmp);
    }, 120_000);
  }

  for (const [how, code] of [
    ["process.exit()", "process.exit(7)"],
    ["an uncaught exception", "throw new Error('boom')"],
  ] as const) {
    it(`${how} in the process while it replays (the exit event): the server is killed and its dir deleted`, async () => {
      const tmp = tmpdir();
      const cwd = project({ "20240101000000_init": INIT, "20240102000000_slow": SLOW });
      const script = `
        const fs = await import("node:fs");
        const { runLint } = await import(${JSON.stringify(api)});
        const tmp = process.env.TMPDIR;
        const timer = setInterval(() => {
          const up = fs.readdirSync(tmp).some((d) => d.startsWith(${JSON.stringify(SERVER_DIR_PREFIX)}) && fs.existsSync(tmp + "/" + d + "/mysqld.sock"));
          if (up) { clearInterval(timer); console.log("server up"); setTimeout(() => { ${code}; }, 1500); }
        }, 100);
        await runLint({ cwd: ${JSON.stringify(cwd)}, replay: true, baseline: false });
      `;
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, TMPDIR: tmp }, timeout: 100_000 });
      expect(run.stdout).toBe("server up\n");
      expect(run.status).toBe(how === "process.exit()" ? 7 : 1);
      if (how !== "process.exit()") expect(run.stderr).toMatch(/Error: boom/);
      await expectGone(tmp);
    }, 120_000);
  }

  it("SIGKILL leaves the server behind; the next replay sweeps it (kills it, deletes its dir)", async () => {
    const tmp = tmpdir();
    const child = spawn(process.execPath, [cli, "--cwd", project({ "20240101000000_init": INIT, "20240102000000_slow": SLOW }), "--replay", "--no-baseline"], { env: { ...process.env, TMPDIR: tmp, MIGRATION_LINT_NO_WORKER: "1" }, stdio: "ignore" });
    const ended = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    await serverUp(tmp);
    const [left] = serverDirs(tmp);
    child.kill("SIGKILL");
    await ended;
    expect(processesIn(path.join(tmp, left!)).length).toBeGreaterThan(0);
    lint(project({ "20240101000000_init": INIT }), tmp);
    await expectGone(tmp);
  }, 180_000);
});
