/**
 * --fix, --fix-dry-run and --fix-type on a project in a temporary git repository (issue 17): only migrations new
 * on the branch are edited, every edit is proven on PGlite before it is written, line endings and BOM are kept,
 * and the exit code reflects what remains.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { applyRow, withPrismaMigrations } from "./prisma-migrations-db.js";

const BIN = fileURLToPath(new URL("../../bin/migration-lint.js", import.meta.url));
const INIT = `-- CreateTable\nCREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n\n-- CreateTable\nCREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n`;
const NEW = `\uFEFF-- AlterTable\r\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\r\n\r\n-- AddForeignKey\r\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\r\n`;
const CONFIG = { rules: { "lock-timeout": "error", "constraint-not-valid": "warn" }, prismaVersion: "7.4.0" };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]) {
  const r = spawnSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** A project whose first migration is committed and whose second (NEW) is new on the branch. */
function project(config: object = CONFIG, extra: Record<string, string> = {}): { dir: string; newFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-fix-"));
  dirs.push(dir);
  const files: Record<string, string> = {
    "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "prisma/migrations/20240101000000_init/migration.sql": INIT,
    ".migration-lintrc.json": JSON.stringify(config),
    ...extra,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  git(dir, "init", "-q");
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "init");
  const newFile = path.join(dir, "prisma/migrations/20240102000000_post/migration.sql");
  fs.mkdirSync(path.dirname(newFile));
  fs.writeFileSync(newFile, NEW);
  return { dir, newFile };
}

function cli(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FIXED = `\uFEFFSET lock_timeout = '5s';\r\n\r\n-- AlterTable\r\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\r\n\r\n-- AddForeignKey\r\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;\r\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\r\n\r\nRESET lock_timeout;\r\n`;

describe("--fix", () => {
  it("fixes a migration new on the branch in passes, keeps CRLF and the BOM, and exits on what remains", () => {
    const { dir, newFile } = project();
    expect(cli(dir, "--base", "HEAD").status).toBe(1); // lock-timeout as an error
    const run = cli(dir, "--fix", "--base", "HEAD", "-f", "json");
    expect(run.stderr).toContain("fixed prisma/migrations/20240102000000_post/migration.sql");
    expect(fs.readFileSync(newFile, "utf8")).toBe(FIXED);
    const [result] = JSON.parse(run.stdout) as Array<{ messages: unknown[]; fixableErrorCount: number; errorCount: number }>;
    expect(result).toMatchObject({ messages: [], errorCount: 0, fixableErrorCount: 0 });
    expect(run.status).toBe(0);
  });

  it("--fix-dry-run prints the unified diff and writes nothing", () => {
    const { dir, newFile } = project();
    const run = cli(dir, "--fix-dry-run", "--base", "HEAD");
    expect(run.stdout).toContain("--- a/prisma/migrations/20240102000000_post/migration.sql\n+++ b/prisma/migrations/20240102000000_post/migration.sql\n");
    expect(run.stdout).toContain("+\uFEFFSET lock_timeout = '5s';\r\n");
    expect(run.stdout).toContain("+ALTER TABLE \"Post\" VALIDATE CONSTRAINT \"Post_authorId_fkey\";\r\n");
    expect(fs.readFileSync(newFile, "utf8")).toBe(NEW);
    expect(run.status).toBe(0); // what would remain
  });

  it("--fix-type layout leaves the problem rules' fixes alone", () => {
    const { dir, newFile } = project();
    const run = cli(dir, "--fix", "--fix-type", "layout", "--base", "HEAD");
    expect(fs.readFileSync(newFile, "utf8")).toBe(NEW);
    expect(run.status).toBe(1);
  });

  it("refuses a migration it cannot know to be unapplied: without --base or a database URL, and one that is in the base", () => {
    const { dir, newFile } = project();
    const run = cli(dir, "--fix");
    expect(run.stderr).toContain("20240102000000_post was not checked for being applied: --fix edits only migrations that no database has run yet, so give --base <ref>");
    expect(fs.readFileSync(newFile, "utf8")).toBe(NEW);
    expect(run.status).toBe(1);
    git(dir, "add", ".");
    git(dir, "commit", "-qm", "post");
    fs.writeFileSync(newFile, `${NEW}\r\n`); // changed since the base: in scope, but applied wherever the base went
    const applied = cli(dir, "--fix", "--base", "HEAD");
    expect(applied.stderr).toContain("20240102000000_post is in the merge base with HEAD");
    expect(applied.stderr).toContain("the only action is to accept its findings in the baseline (`--write-baseline`)");
    expect(fs.readFileSync(newFile, "utf8")).toBe(`${NEW}\r\n`);
  });

  it("refuses a fix whose end schema differs (a deliberately wrong plugin rule), with the difference", () => {
    const wrong = `export default {
  meta: { id: "wrong-fix", type: "problem", fixable: "code", docs: { description: "Turns INTEGER into BIGINT.", preset: "all" }, defaultSeverity: "error", messages: { int: "INTEGER" } },
  create(context) {
    return { "add-column"(op) {
      const text = context.migration.file.text;
      const at = text.indexOf("INTEGER", op.range.start);
      context.report({ node: op, messageId: "int", fix: (fixer) => fixer.replaceTextRange([at, at + 7], "BIGINT") });
    } };
  },
};
`;
    const { dir, newFile } = project({ rules: { "wrong-fix": "error" } }, { "rules/wrong-fix.js": wrong });
    const run = cli(dir, "--fix", "--base", "HEAD", "--rulesdir", "rules");
    expect(run.stderr).toContain("not fixed: 20240102000000_post: with the fix the end schema differs: column public.User.age differs; the file is left as it was.");
    expect(fs.readFileSync(newFile, "utf8")).toBe(NEW);
    expect(run.status).toBe(1);
  });

  it("says what is wrong with the flags together, as ESLint does", () => {
    const { dir } = project();
    expect(cli(dir, "--fix", "--fix-dry-run").stderr).toContain("--fix and --fix-dry-run cannot be used together.");
    expect(cli(dir, "--fix-type", "problem").stderr).toContain("--fix-type requires --fix or --fix-dry-run.");
    expect(cli(dir, "--fix", "--fix-type", "style").stderr).toContain('--fix-type takes problem, suggestion and layout (comma-separated), got "style".');
    expect(cli(dir, "--fix", "--fix-type", "style").status).toBe(2);
  });
});

describe("--apply-suggestion", () => {
  it("moves Prisma's CREATE INDEX on an existing table into a new folder that runs right after, CONCURRENTLY alone in its file", () => {
    const { dir, newFile } = project({ rules: { "require-concurrently": "error" } });
    fs.writeFileSync(newFile, `-- AlterTable\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\n\n-- CreateIndex\nCREATE INDEX "User_age_idx" ON "User"("age");\n`);
    const before = cli(dir, "--base", "HEAD");
    expect(before.status).toBe(1);
    const id = /suggestion: Move it to a new migration 20240102000000_post_1_create_user_age_idx that runs right after this one, as CREATE INDEX CONCURRENTLY alone in its file \(--apply-suggestion ([0-9a-f]+):1\)/.exec(before.stdout)?.[1];
    expect(id).toBeDefined();
    const run = cli(dir, "--apply-suggestion", `${id}:1`, "--base", "HEAD");
    expect(run.stderr).toContain("created prisma/migrations/20240102000000_post_1_create_user_age_idx/migration.sql");
    expect(fs.readFileSync(newFile, "utf8")).toBe(`-- AlterTable\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\n\n`);
    expect(fs.readFileSync(path.join(dir, "prisma/migrations/20240102000000_post_1_create_user_age_idx/migration.sql"), "utf8")).toBe(`-- CreateIndex\nCREATE INDEX CONCURRENTLY "User_age_idx" ON "User"("age");\n`);
    expect(run.status).toBe(0); // linted again: nothing remains
    expect(cli(dir, "--apply-suggestion", "ffff", "--base", "HEAD").stderr).toContain("no finding of this run has the id ffff");
  });
});

describe("--apply-suggestion <id>:disable", () => {
  it("puts a disable directive with a reason placeholder above the statement of the finding", () => {
    const { dir, newFile } = project({ rules: { "lock-timeout": "error" } });
    fs.writeFileSync(newFile, `-- AlterTable\r\nALTER TABLE "User"\r\n  ADD COLUMN "age" INTEGER;\r\n`);
    const [result] = JSON.parse(cli(dir, "--base", "HEAD", "-f", "json").stdout) as Array<{ messages: Array<{ fingerprint: string }> }>;
    const run = cli(dir, "--apply-suggestion", `${result!.messages[0]!.fingerprint}:disable`, "--base", "HEAD");
    expect(fs.readFileSync(newFile, "utf8")).toBe(`-- AlterTable\r\n-- migration-lint-disable-next-line lock-timeout -- REASON: say why this is safe here\r\nALTER TABLE "User"\r\n  ADD COLUMN "age" INTEGER;\r\n`);
    expect(run.status).toBe(0); // the finding is suppressed now
  });
});

const databaseUrl = process.env.MIGRATION_LINT_TEST_DATABASE_URL;

describe.skipIf(!databaseUrl)("--fix --database-url (a real Postgres: MIGRATION_LINT_TEST_DATABASE_URL)", () => {
  it("edits only what the database's _prisma_migrations does not list, reading it read-only", async () => {
    await withPrismaMigrations(databaseUrl!, ["20240101000000_init"], async (url, db) => {
      const { dir, newFile } = project();
      const fixed = cli(dir, "--fix", "--database-url", url);
      expect(fixed.stderr).toContain("fixed prisma/migrations/20240102000000_post/migration.sql");
      expect(fs.readFileSync(newFile, "utf8")).toBe(FIXED);
      // once the database lists it, it is refused, and the only action is the baseline
      await applyRow(db, "20240102000000_post");
      fs.writeFileSync(newFile, NEW);
      const refused = cli(dir, "--fix", "--database-url", url);
      expect(refused.stderr).toMatch(/not fixed: 20240102000000_post is applied on postgresql:\S+@127\.0\.0\.1:\d+\/ml_applied_\S+ \(read only, Postgres \d+\) \(a row in _prisma_migrations\)/);
      expect(fs.readFileSync(newFile, "utf8")).toBe(NEW);
    });
  }, 120_000);
});
