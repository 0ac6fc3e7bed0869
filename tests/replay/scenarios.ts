/**
 * The replay scenarios, run on PGlite (replay.test.ts) and, when
 * MIGRATION_LINT_TEST_DATABASE_URL is set, on a real Postgres (postgres.test.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplayReport } from "../../src/replay/index.js";
import { BLOG, REPLAY_TIMEOUT, allMessages, byRule, lineOf, loadHistory, loadSchema, parseSchemaText, removeDir, run, writeHistory, type MigrationSpec } from "./helpers.js";

const USER_TABLE = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
`;

/** Replays a history written to a temp dir; cleans up after the describe block. */
function replayOnce(specs: MigrationSpec[], databaseUrl: string | undefined, extra: { lockTrace?: boolean } = {}) {
  const state: { report?: ReplayReport; dir?: string; files: Record<string, string> } = { files: {} };
  beforeAll(async () => {
    const { dir, migrations } = await writeHistory(specs);
    state.dir = dir;
    for (const spec of specs) state.files[spec.name] = path.join(dir, spec.name, "migration.sql");
    state.report = await run({ migrations, schema: null, ...extra }, databaseUrl);
  }, REPLAY_TIMEOUT);
  afterAll(() => {
    if (state.dir) removeDir(state.dir);
  });
  return state;
}

export function defineReplayScenarios(databaseUrl?: string): void {
  describe("a Prisma history with down.sql files, a seed and a matching schema (fixtures/replay/blog)", () => {
    const migrationsDir = path.join(BLOG, "migrations");
    const schemaPath = path.join(BLOG, "schema.prisma");
    const file = (name: string, base = "migration.sql") => path.join(migrationsDir, name, base);
    let report: ReplayReport;
    beforeAll(async () => {
      const migrations = await loadHistory(migrationsDir);
      report = await run(
        {
          migrations,
          // The first migration is "already deployed": the seed runs on its schema, before the second.
          inScope: (m) => m.index > 0,
          schema: loadSchema(schemaPath),
          seedSql: `INSERT INTO "User" ("email", "name") VALUES ('ada@example.com', 'Ada'), ('alan@example.com', NULL);
                    INSERT INTO "Post" ("id", "title", "authorId") VALUES ('p1', 'Hello', 1);`,
        },
        databaseUrl,
      );
    }, REPLAY_TIMEOUT);

    it("applies every migration, seed included, with no replay failure", () => {
      expect(byRule(report, "replay-failed")).toEqual([]);
      expect(report.timings.migrations).toBe(5);
    });

    it("traces the locks: ADD COLUMN takes ACCESS EXCLUSIVE, CREATE INDEX takes SHARE on the existing table", () => {
      const slug = report.lockTrace.filter((e) => e.migration === "20240102000000_post_slug");
      expect(slug.map((e) => e.line)).toEqual([2, 5]);
      expect(slug[0]!.statement).toBe('ALTER TABLE "Post" ADD COLUMN "slug" TEXT');
      expect(slug[0]!.locks).toEqual([{ table: '"Post"', mode: "ACCESS EXCLUSIVE", blocks: "reads and writes" }]);
      expect(slug[1]!.locks).toEqual([{ table: '"Post"', mode: "SHARE", blocks: "writes" }]);
      // migrations out of scope are not traced
      expect(report.lockTrace.some((e) => e.migration === "20240101000000_init")).toBe(false);
    });

    it("warns when a write-blocking lock is held for a scan (an index build), not for a catalog-only change", () => {
      const warnings = byRule(report, "lock-trace");
      expect(warnings.map((w) => [path.basename(path.dirname(w.file)), w.line, w.severity])).toEqual([
        ["20240102000000_post_slug", 5, 1],
        ["20240104000000_post_published_index", 2, 1],
      ]);
      expect(warnings[0]!.message).toMatch(/^Postgres took SHARE on "Post" \(blocks writes\) for this statement, which scans "Post"/);
      expect(warnings[0]!.help).toMatch(/CONCURRENTLY/);
    });

    it("records a CONCURRENTLY statement as not traced, and says why", () => {
      const [entry] = report.lockTrace.filter((e) => e.migration === "20240105000000_post_title_index");
      expect(entry!.locks).toEqual([]);
      expect(entry!.note).toMatch(/^not traced: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
    });

    it("finds nothing wrong with a down.sql that restores the schema", () => {
      expect(report.messages.get(file("20240102000000_post_slug", "down.sql")) ?? []).toEqual([]);
    });

    it("reports a down.sql that forgets to restore a column, naming the column", () => {
      const messages = report.messages.get(file("20240103000000_user_display_name", "down.sql"))!;
      expect(messages.map((m) => [m.ruleId, m.severity, m.line])).toEqual([["rollback-mismatch", 2, 2]]);
      expect(messages[0]!.message).toBe('down.sql does not restore the schema from before this migration: column "User"."bio" is missing (before the migration: text).');
    });

    it("reports a down.sql that fails, at its statement, with Postgres's message", () => {
      const messages = report.messages.get(file("20240104000000_post_published_index", "down.sql"))!;
      expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([["rollback-mismatch", 2, 1]]);
      expect(messages[0]!.message).toMatch(/^down\.sql fails on the schema this migration leaves: index "Post_published_index" does not exist \(SQLSTATE 42704\)/);
    });

    it("reports no schema drift when schema.prisma matches the migrations", () => {
      expect(byRule(report, "schema-drift")).toEqual([]);
    });
  });

  describe("schema drift", () => {
    let report: ReplayReport;
    let schemaText: string;
    const schemaPath = path.join(BLOG, "schema.prisma");
    beforeAll(async () => {
      schemaText = fs.readFileSync(schemaPath, "utf8").replace("  displayName String?\n", "  displayName String?\n  nickname    String?  @db.VarChar(40)\n");
      // driftOnly replays on PGlite; with a URL it would read that database itself, so there the history is replayed out of scope.
      report = await run(
        { migrations: await loadHistory(path.join(BLOG, "migrations")), inScope: () => false, schema: parseSchemaText(schemaPath, schemaText), ...(databaseUrl ? {} : { driftOnly: true }) },
        databaseUrl,
      );
    }, REPLAY_TIMEOUT);

    it("reports a schema field no migration creates, at the field's line in schema.prisma", () => {
      const drift = byRule(report, "schema-drift");
      expect(drift.map((m) => [m.file, m.line, m.column, m.severity])).toEqual([[schemaPath, lineOf(schemaText, "nickname"), 3, 2]]);
      expect(drift[0]!.message).toBe('Field "User.nickname" maps to column "User"."nickname", but no migration creates it.');
    });

    it("runs no lock trace and no rollback check there", () => {
      expect(report.lockTrace).toEqual([]);
      expect(allMessages(report).filter((m) => m.ruleId !== "schema-drift")).toEqual([]);
    });
  });

  describe("a migration that references a missing table", () => {
    const specs = [
      { name: "20240101000000_init", up: USER_TABLE },
      {
        name: "20240102000000_post",
        up: `-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "authorId" INTEGER NOT NULL,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`,
      },
      { name: "20240103000000_backfill", up: `UPDATE "Post" SET "authorId" = (SELECT "id" FROM "Writers" LIMIT 1);\n` },
    ];
    const state = replayOnce(specs, databaseUrl);

    it("is a replay-failed error at the failing statement, with Postgres's message and SQLSTATE", () => {
      const messages = state.report!.messages.get(state.files["20240102000000_post"]!)!;
      expect(messages.map((m) => [m.ruleId, m.severity, m.line, m.column])).toEqual([["replay-failed", 2, 10, 1]]);
      expect(messages[0]!.message).toBe('Postgres rejects this migration: relation "Author" does not exist (SQLSTATE 42P01). `prisma migrate deploy` fails here and rolls the whole file back.');
      expect(messages[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(messages[0]!.migration).toBe("20240102000000_post");
    });

    it("stops there and says the later migrations were not replayed (one info finding)", () => {
      const messages = state.report!.messages.get(state.files["20240103000000_backfill"]!)!;
      expect(messages.map((m) => [m.ruleId, m.severity, m.line])).toEqual([["replay-failed", 1, 1]]);
      expect(messages[0]!.message).toMatch(/^Replay stopped: 20240102000000_post fails .*1 later migration was not applied \(20240103000000_backfill\)\.$/);
      expect(state.report!.timings.migrations).toBe(1);
    });
  });

  describe("a position Postgres names inside the script", () => {
    const state = replayOnce(
      [
        { name: "1_init", up: USER_TABLE },
        { name: "2_backfill", up: `-- Backfill\nUPDATE "User"\nSET "email" = lower("email");\nUPDATE "User" SET "email" = (SELECT "address" FROM "Addresses" LIMIT 1);\n` },
      ],
      databaseUrl,
    );
    it("maps Postgres's character position to the line and column of the file", () => {
      const [message] = state.report!.messages.get(state.files["2_backfill"]!)!;
      expect([message!.line, message!.column]).toEqual([4, 52]);
      expect(message!.message).toMatch(/relation "Addresses" does not exist \(SQLSTATE 42P01\)/);
    });
  });

  describe("CREATE INDEX CONCURRENTLY", () => {
    const state = replayOnce(
      [
        { name: "1_init", up: USER_TABLE },
        { name: "2_alone", up: `-- CreateIndex\nCREATE INDEX CONCURRENTLY "User_email_idx" ON "User"("email");\n` },
        { name: "3_shared", up: `-- AlterTable\nALTER TABLE "User" ADD COLUMN "name" TEXT;\n\n-- CreateIndex\nCREATE INDEX CONCURRENTLY "User_name_idx" ON "User"("name");\n` },
      ],
      databaseUrl,
    );
    it("succeeds alone in its file", () => {
      expect(state.report!.messages.get(state.files["2_alone"]!) ?? []).toEqual([]);
    });
    it("fails when it shares the file with another statement (one implicit transaction), at its own line", () => {
      const messages = state.report!.messages.get(state.files["3_shared"]!)!;
      expect(messages.map((m) => [m.ruleId, m.severity, m.line, m.column])).toEqual([["replay-failed", 2, 5, 1]]);
      expect(messages[0]!.message).toMatch(/CREATE INDEX CONCURRENTLY cannot run inside a transaction block \(SQLSTATE 25001\)/);
      expect(messages[0]!.help).toMatch(/alone in its own migration/);
    });
  });

  describe("an enum value added and used in the same file", () => {
    const state = replayOnce(
      [
        { name: "1_init", up: `-- CreateEnum\nCREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');\n\n${USER_TABLE}` },
        { name: "2_role", up: `-- AlterEnum\nALTER TYPE "Role" ADD VALUE 'EDITOR';\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "role" "Role" NOT NULL DEFAULT 'EDITOR';\n` },
      ],
      databaseUrl,
    );
    it('fails with "unsafe use of new value" at the use', () => {
      const messages = state.report!.messages.get(state.files["2_role"]!)!;
      expect(messages.map((m) => [m.ruleId, m.line])).toEqual([["replay-failed", 5]]);
      expect(messages[0]!.message).toMatch(/^Postgres rejects this migration: unsafe use of new value "EDITOR" of enum type "?Role"? \(SQLSTATE 55P04\)\. Hint: New enum values must be committed before they can be used\./);
      expect(messages[0]!.help).toMatch(/in one migration and use it in a later one/);
    });
  });

  describe("the lock trace of a statement that locks two tables", () => {
    const state = replayOnce(
      [
        { name: "1_init", up: `CREATE TABLE "a" ("id" INTEGER NOT NULL PRIMARY KEY);\nCREATE TABLE "B" ("id" INTEGER NOT NULL PRIMARY KEY, "aId" INTEGER);\n` },
        { name: "2_fk", up: `-- AddForeignKey\nALTER TABLE "B" ADD CONSTRAINT "B_aId_fkey" FOREIGN KEY ("aId") REFERENCES "a"("id");\n` },
      ],
      databaseUrl,
    );
    it("lists the tables in code-unit order, the same on every machine whatever its locale", () => {
      const [entry] = state.report!.lockTrace.filter((e) => e.migration === "2_fk");
      const tables = entry!.locks.map((l) => l.table);
      expect([...new Set(tables)]).toEqual(['"B"', '"a"']);
    });
  });
}
