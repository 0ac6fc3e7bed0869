/**
 * The last run kept at the end of the cache file is replayed while every path it looked at is as it was
 * (src/cache/last-run.ts). This checks that "every path" is every path: the command line runs under strace, and each
 * file it opened to read, each folder it listed and each path whose existence it checked must be among the paths
 * its kept run records (or lie below a recorded folder that does not exist, or, for an existence check, in a
 * recorded folder listing). A path discovery looks at without telling src/discover/observed.ts fails here.
 *
 * Skipped where strace cannot trace (not installed, or ptrace not allowed); .ci/run installs it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLastRun } from "../../src/cache/last-run.js";
import { RACY_MS } from "../../src/model/load.js";
import { asFolderSchema } from "./folder-schema.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin", "migration-lint.js");
const EXAMPLE = path.join(ROOT, "fixtures", "example");
const canTrace = spawnSync("strace", ["-f", "-qq", "-e", "trace=none", "true"]).status === 0;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

interface Access {
  path: string;
  /** "read": a file opened to read; "list": a folder opened; "exists": anything else that asks of the path. */
  how: "read" | "list" | "exists";
}

/** What the traced run asked of the file system (strace's file calls), its writes and Node's own files left out. */
function traced(cwd: string, args: string[]): { accesses: Access[]; status: number | null } {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ml-strace-")), "trace");
  made.push(path.dirname(log));
  const env: NodeJS.ProcessEnv = { ...process.env, MIGRATION_LINT_NO_DAEMON: "1" };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const run = spawnSync("strace", ["-f", "-qq", "-s", "4096", "-e", "trace=openat,open,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat", "-o", log, process.execPath, BIN, ...args], { cwd, env, encoding: "utf8" });
  const accesses: Access[] = [];
  for (const line of fs.readFileSync(log, "utf8").split("\n")) {
    const call = /^\d+\s+(\w+)\((?:AT_FDCWD, |\d+, )?"([^"]*)"(.*)$/.exec(line);
    if (!call) continue;
    const [, name, file, rest] = call as unknown as [string, string, string, string];
    if (!path.isAbsolute(file) || /O_WRONLY|O_RDWR|O_CREAT/.test(rest)) continue;
    if (name === "openat" || name === "open") {
      const ok = !/= -1 /.test(rest);
      accesses.push({ path: file, how: !ok ? "exists" : /O_DIRECTORY/.test(rest) ? "list" : "read" });
    } else accesses.push({ path: file, how: "exists" });
  }
  return { accesses, status: run.status };
}

/** The kept run's paths, with what each records: "c" or "k", and whether it existed. */
function recorded(cacheFile: string): Map<string, { what: string; exists: boolean }> {
  const kept = readLastRun(cacheFile);
  expect(kept, "a kept run at the end of the cache file").not.toBeNull();
  const { header } = kept!;
  const files = kept!.files();
  const out = new Map<string, { what: string; exists: boolean }>();
  let at = 0;
  files.forEach((file, i) => {
    const what = header.what[i]!;
    const kind = header.states[at]!;
    at += what === "c" && kind !== 0 ? 5 : 1;
    out.set(file, { what, exists: kind !== 0 });
  });
  return out;
}

/** The accesses no recorded path vouches for. */
function unrecorded(accesses: Access[], paths: Map<string, { what: string; exists: boolean }>, ignore: (file: string) => boolean): Access[] {
  const absentAbove = (file: string) => {
    for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) if (paths.get(dir)?.exists === false) return true;
    return false;
  };
  return accesses.filter(({ path: file, how }) => {
    if (ignore(file)) return false;
    const seen = paths.get(file);
    if (how === "read" || how === "list") return seen?.what !== "c";
    return !seen && !absentAbove(file) && paths.get(path.dirname(file))?.what !== "c";
  });
}

function project(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

const setups: Record<string, { cwd: string; args: string[]; cache: string }> = {};
beforeAll(async () => {
  if (!canTrace) return;
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "ml-audit-"));
  made.push(parent);

  const single = project(parent, "single");
  setups.single = { cwd: single, args: ["-f", "json"], cache: path.join(single, ".migration-lint-cache") };

  const configured = project(parent, "configured");
  fs.writeFileSync(path.join(configured, ".migration-lintrc.json"), JSON.stringify({ extends: "recommended", rules: { "prefer-text": "off" } }));
  spawnSync(process.execPath, [BIN, "--no-cache", "--write-baseline"], { cwd: configured });
  setups.configured = { cwd: configured, args: [], cache: path.join(configured, ".migration-lint-cache") };
  setups.paths = { cwd: configured, args: ["prisma/migrations/20240601090000_drop_coupons/migration.sql", "prisma/schema.prisma"], cache: path.join(configured, ".migration-lint-cache") };

  // a multi-file schema whose folder holds the migrations: every folder of it listed
  const folder = asFolderSchema(project(parent, "folder"));
  setups.folder = { cwd: folder, args: ["-f", "json"], cache: path.join(folder, ".migration-lint-cache") };

  // a monorepo: two projects below a root with a .gitignore and a package.json, run from the root
  const monorepo = path.join(parent, "monorepo");
  fs.mkdirSync(path.join(monorepo, "packages"), { recursive: true });
  fs.mkdirSync(path.join(monorepo, ".git"));
  fs.writeFileSync(path.join(monorepo, "package.json"), JSON.stringify({ name: "root", private: true }));
  fs.writeFileSync(path.join(monorepo, ".gitignore"), "build/\n");
  project(path.join(monorepo, "packages"), "db");
  project(path.join(monorepo, "packages"), "billing");
  fs.mkdirSync(path.join(monorepo, "node_modules"));
  setups.monorepo = { cwd: monorepo, args: [], cache: path.join(monorepo, "node_modules", ".cache", "migration-lint", ".migration-lint-cache") };

  await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200));
}, RACY_MS + 30_000);

describe.skipIf(!canTrace)("the kept run records every path the run looked at (strace)", () => {
  for (const name of ["single", "configured", "paths", "folder", "monorepo"]) {
    it(name, () => {
      const { cwd, args, cache } = setups[name]!;
      const run = traced(cwd, args);
      expect(run.status === 0 || run.status === 1, `exit ${run.status}`).toBe(true);
      const paths = recorded(cache);
      // Node's and the tool's own files, the cache file and its folders (made where missing), the working directory and the folders above it
      // and the node_modules folders asked for where the cache lives (src/cache/location.ts), which the report does not depend on
      const ignore = (file: string) => file.endsWith(`${path.sep}node_modules`) || file.startsWith(ROOT + path.sep) || /^\/(usr|lib|lib64|etc|proc|sys|dev)(\/|$)/.test(file) || [ROOT, cache, cwd].some((mine) => mine === file || mine.startsWith(file + path.sep));
      expect(unrecorded(run.accesses, paths, ignore)).toEqual([]);
    });
  }
});
