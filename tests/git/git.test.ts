/**
 * The CLI the way CI and pre-commit hooks run it: a temporary git repository
 * with a base branch, a feature branch, staged files and lint-staged's
 * absolute file arguments.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/migration-lint.js");
const EXAMPLE = path.join(ROOT, "fixtures/example");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

/** A repository whose `main` holds the example project. */
function repo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-git-"));
  made.push(dir);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "base");
  git(dir, "checkout", "-q", "-b", "feature");
  return dir;
}

const MIGRATIONS = "prisma/migrations";
function addMigration(dir: string, name: string, sql: string): string {
  const file = path.join(dir, MIGRATIONS, name, "migration.sql");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sql);
  return file;
}

function lint(dir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, "-f", "json", ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const results = run.stdout ? (JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; message: string; line: number }> }>) : [];
  return { status: run.status, stderr: run.stderr, results, messages: results.flatMap((r) => r.messages.map((m) => ({ ...m, file: path.relative(dir, r.filePath) }))) };
}

const DROP_EMAIL = '-- AlterTable\nALTER TABLE "User" DROP COLUMN "email";\n';
const ADD_BIO = '-- AlterTable\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\n';

describe("--base <ref>", () => {
  it("lints only the migrations the branch adds, with the whole history as context", () => {
    const dir = repo();
    addMigration(dir, "20240701000000_drop_email", DROP_EMAIL);
    git(dir, "add", ".");
    git(dir, "commit", "-qm", "drop email");
    const run = lint(dir, "--base", "main");
    expect(run.status).toBe(1);
    expect(run.results.map((r) => path.relative(dir, r.filePath))).toEqual([`${MIGRATIONS}/20240701000000_drop_email/migration.sql`]);
    // the history knows the column's type and origin
    expect(run.messages).toEqual([expect.objectContaining({ ruleId: "destructive-change", message: expect.stringContaining('(text, added in 20240105093000_init)') })]);
  });

  it("is clean when the branch adds a safe migration, and counts uncommitted new files", () => {
    const dir = repo();
    addMigration(dir, "20240701000000_add_bio", ADD_BIO); // not committed, not even added
    const run = lint(dir, "--base", "main");
    expect(run.status).toBe(0);
    expect(run.results).toHaveLength(1);
  });

  it("immutable-migration: an edited, a renamed and a deleted migration", () => {
    const dir = repo();
    fs.appendFileSync(path.join(dir, MIGRATIONS, "20240212120000_add_profile/migration.sql"), "\n-- a comment is an edit too\n");
    git(dir, "mv", `${MIGRATIONS}/20240310081500_order_status`, `${MIGRATIONS}/20240310081500_order_statuses`);
    git(dir, "rm", "-rq", `${MIGRATIONS}/20240601090000_drop_coupons`);
    git(dir, "commit", "-qam", "rewrite history");
    const run = lint(dir, "--base", "main");
    expect(run.status).toBe(1);
    const found = run.messages.filter((m) => m.ruleId === "immutable-migration").map((m) => [m.file.split("/")[2], m.message.split(" and was ")[1]?.split(/[ .]/)[0]]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["20240212120000_add_profile", "edited"],
        ["20240310081500_order_statuses", "renamed"],
        ["20240601090000_drop_coupons", "deleted"],
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it("migration-order: a new migration older than the newest one at the base", () => {
    const dir = repo();
    addMigration(dir, "20240301000000_add_bio", ADD_BIO);
    git(dir, "add", ".");
    git(dir, "commit", "-qm", "old timestamp");
    const run = lint(dir, "--base", "main");
    expect(run.messages.map((m) => m.ruleId)).toEqual(["migration-order"]);
    expect(run.messages[0]!.message).toContain("sorts before 20240620100000_index_orders_created");
  });

  it("exits 2 with a clear message for a ref git does not know", () => {
    const dir = repo();
    const run = lint(dir, "--base", "origin/nope");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^migration-lint: git cannot find the merge base of "origin\/nope" and HEAD/);
  });
});

describe("--staged (pre-commit)", () => {
  it("fails on a staged dangerous migration, then passes after a reasoned suppression", () => {
    const dir = repo();
    const file = addMigration(dir, "20240701000000_drop_email", DROP_EMAIL);
    git(dir, "add", ".");
    const failing = lint(dir, "--staged");
    expect(failing.status).toBe(1);
    expect(failing.messages.map((m) => m.ruleId)).toEqual(["destructive-change"]);

    fs.writeFileSync(file, `-- migration-lint-disable-next-line destructive-change -- email moved to Account in v3.2, backed up in OPS-42\n${DROP_EMAIL}`);
    git(dir, "add", ".");
    const passing = lint(dir, "--staged");
    expect(passing.status).toBe(0);
    expect(passing.messages).toEqual([]);
    git(dir, "commit", "-qm", "drop email");
  });

  it("flags an edit of a committed migration", () => {
    const dir = repo();
    fs.appendFileSync(path.join(dir, MIGRATIONS, "20240105093000_init/migration.sql"), "\n-- tweak\n");
    git(dir, "add", ".");
    const run = lint(dir, "--staged");
    expect(run.messages.map((m) => m.ruleId)).toEqual(["immutable-migration"]);
  });

  it("lints nothing when nothing is staged", () => {
    const dir = repo();
    const run = lint(dir, "--staged");
    expect(run.status).toBe(0);
    expect(run.results).toEqual([]);
  });

  it("outside a git repository: lints everything with a note, never crashes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-nogit-"));
    made.push(dir);
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    const run = lint(dir, "--staged");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("not inside a git repository");
    expect(run.results.length).toBe(7);
  });
});

describe("lint-staged style: absolute paths of changed files", () => {
  it("lints the migrations the files belong to", () => {
    const dir = repo();
    const file = addMigration(dir, "20240701000000_drop_email", DROP_EMAIL);
    const run = spawnSync(process.execPath, [BIN, "-f", "json", file, path.join(dir, "prisma/schema.prisma")], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: unknown[] }>;
    expect(results.filter((r) => r.messages.length).map((r) => r.filePath)).toContain(file);
  });
});
