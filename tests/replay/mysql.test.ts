/**
 * MySQL replay on a real server (`--replay --database-url mysql://...`). Runs only when
 * MIGRATION_LINT_TEST_MYSQL_URL is set (.ci/run starts a throwaway MariaDB with scripts/ci-mysql.sh), e.g.
 *   MIGRATION_LINT_TEST_MYSQL_URL=$(scripts/ci-mysql.sh 33070) npx vitest run tests/replay/mysql.test.ts
 * The throwaway server replay starts itself is tested in tests/replay/mysql-server.test.ts.
 * Uses the built CLI (npm run build).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LintResult } from "../../src/engine/results.js";
import { corpusProjects } from "../corpus/projects.js";
import { project } from "./mysql-helpers.js";

const url = process.env.MIGRATION_LINT_TEST_MYSQL_URL;
const cli = path.resolve(__dirname, "../../bin/migration-lint.js");

function replay(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [cli, ...args, "--replay", "--no-baseline", "-f", "json"], { encoding: "utf8", env: { ...process.env, ...env } });
  const results = (run.stdout ? JSON.parse(run.stdout) : []) as LintResult[];
  const messages = results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath })));
  return { run, messages, replayed: messages.filter((m) => m.ruleId === "replay-failed"), ofRule: (id: string) => messages.filter((m) => m.ruleId === id) };
}

/** The scratch databases replay left on the server (none, on every exit path). */
function scratchDatabases(): string[] {
  const run = spawnSync(process.execPath, ["-e", `import("mysql2/promise").then(async (m) => { const c = await m.createConnection({ uri: ${JSON.stringify(url)} }); const [rows] = await c.query("SHOW DATABASES LIKE 'migration\\\\_lint\\\\_%'"); console.log(JSON.stringify(rows.map((r) => Object.values(r)[0]))); await c.end(); })`], { encoding: "utf8", cwd: path.resolve(__dirname, "../..") });
  return JSON.parse(run.stdout || "[]") as string[];
}

const INIT = "-- CreateTable\nCREATE TABLE `User` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `email` VARCHAR(191) NOT NULL,\n\n    UNIQUE INDEX `User_email_key`(`email`),\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n";

/** What `prisma migrate dev` writes for a new optional unique column, and its `migrate diff --script` down.sql. */
const ADD_NAME = "-- AlterTable\nALTER TABLE `User` ADD COLUMN `name` VARCHAR(191) NULL;\n\n-- CreateIndex\nCREATE UNIQUE INDEX `User_name_key` ON `User`(`name`);\n";
const DROP_NAME = "-- DropIndex\nDROP INDEX `User_name_key` ON `User`;\n\n-- AlterTable\nALTER TABLE `User` DROP COLUMN `name`;\n";
const ADD_POST =
  "-- CreateTable\nCREATE TABLE `Post` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `title` VARCHAR(191) NOT NULL,\n    `published` BOOLEAN NOT NULL DEFAULT false,\n    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n    `authorId` INTEGER NOT NULL,\n\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n\n-- AddForeignKey\nALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;\n";
const USER_MODEL = "\nmodel User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String? @unique\n}\n";
const POST_MODEL = "\nmodel Post {\n  id        Int      @id @default(autoincrement())\n  title     String\n  published Boolean  @default(false)\n  createdAt DateTime @default(now())\n  author    User     @relation(fields: [authorId], references: [id])\n  authorId  Int\n}\n";

describe("MySQL replay without a server", () => {
  it("without --database-url and without a server binary: says how to get one (exit 2, one line)", () => {
    // MIGRATION_LINT_MYSQLD=none: as if neither mariadbd nor mysqld were installed
    const { run } = replay(["--cwd", project({ "20240101000000_init": INIT })], { MIGRATION_LINT_MYSQLD: "none" });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^migration-lint: MySQL has no embeddable server: --replay needs --database-url mysql:\/\/.* or a MariaDB \/ MySQL server installed \(mariadbd or mysqld on the PATH, e\.g\. `apt-get install mariadb-server`/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe.skipIf(!url)("MySQL replay on a real server", () => {
  it("applies a clean history and leaves no scratch database", () => {
    const { run, replayed } = replay(["--cwd", project({ "20240101000000_init": INIT, "20240102000000_add": "ALTER TABLE `User` ADD COLUMN `name` VARCHAR(191) NULL;" }), "--database-url", url!]);
    expect(run.stderr).toBe("");
    expect(replayed).toEqual([]);
    expect(scratchDatabases()).toEqual([]);
  });

  it("reports the statement the server rejects, at its line, and stops there; the scratch database is dropped", () => {
    const { replayed } = replay(["--cwd", project({ "20240101000000_init": INIT, "20240102000000_bad": "ALTER TABLE `User` ADD COLUMN `name` VARCHAR(191) NULL;\nALTER TABLE `User` DROP COLUMN `nope`;\nALTER TABLE `User` ADD COLUMN `x` INT NULL;" }), "--database-url", url!]);
    expect(replayed).toMatchObject([
      { severity: 1, line: 1, message: expect.stringMatching(/^Replay stopped: 20240102000000_bad fails .* Schema drift was not checked\.$/) },
      { severity: 2, line: 2, message: expect.stringMatching(/rejects this statement: .*nope.*the statements before it already committed/) },
    ]);
    expect(scratchDatabases()).toEqual([]);
  });

  it("does not run what reaches beyond the scratch database, and says so", () => {
    const { replayed } = replay(["--cwd", project({ "20240101000000_init": `${INIT}\nCREATE DATABASE \`migration_lint_outside\`;\nCREATE TABLE \`mysql\`.\`evil\` (\`id\` INT);` }), "--database-url", url!]);
    expect(replayed.map((m) => [m.severity, m.line])).toEqual([[1, 10], [1, 11]]);
    expect(replayed[1]!.message).toMatch(/it names the database `mysql`/);
    expect(scratchDatabases()).toEqual([]);
  });

  const evolution = corpusProjects().find((p) => p.provider === "mysql");
  it.skipIf(!evolution)("replays evolution-api's MySQL history with 0 failures", () => {
    const { run, replayed } = replay(["--cwd", evolution!.root, "--schema", evolution!.schema, "--migrations", evolution!.migrations, "--database-url", url!]);
    expect(run.stderr).toBe("");
    expect(replayed.filter((m) => m.severity === 2)).toEqual([]);
    // its hand-written PREPARE / EXECUTE / DEALLOCATE runs SQL built at run time: not run, and said
    expect(replayed.map((m) => m.line)).toEqual([22, 23, 24]);
    expect(scratchDatabases()).toEqual([]);
  }, 120_000);

  it("a down.sql that undoes the migration: no finding; the history goes on (rebuilt, as MySQL cannot roll DDL back)", () => {
    const { run, ofRule } = replay(["--cwd", project({ "20240101000000_init": INIT, "20240102000000_name": { up: ADD_NAME, down: DROP_NAME }, "20240103000000_index": "CREATE INDEX `User_name_idx` ON `User`(`name`);" }), "--database-url", url!]);
    expect(run.stderr).toBe("");
    expect(ofRule("rollback-mismatch")).toEqual([]);
    expect(ofRule("replay-failed")).toEqual([]);
  });

  it("a down.sql that does not restore the schema is reported on down.sql, naming the table and column", () => {
    const down = "-- DropIndex\nDROP INDEX `User_name_key` ON `User`;\n";
    const { ofRule } = replay(["--cwd", project({ "20240101000000_init": INIT, "20240102000000_name": { up: ADD_NAME, down } }), "--database-url", url!]);
    expect(ofRule("rollback-mismatch").map((m) => [m.file.split("/").slice(-2).join("/"), m.line, m.message])).toEqual([
      ["20240102000000_name/down.sql", 1, 'down.sql does not restore the schema from before this migration: column "User"."name" still exists: the migration added it and down.sql does not drop it.'],
    ]);
    expect(scratchDatabases()).toEqual([]);
  });

  it("a down.sql the server rejects is reported at its statement; the history goes on from the migrated state (rebuilt)", () => {
    const down = "-- DropIndex\nDROP INDEX `User_name_key` ON `User`;\n\n-- AlterTable\nALTER TABLE `User` DROP COLUMN `nope`;\n";
    // the later migration needs the index down.sql dropped before it failed: it is back
    const { ofRule } = replay(["--cwd", project({ "20240101000000_init": INIT, "20240102000000_name": { up: ADD_NAME, down }, "20240103000000_later": "DROP INDEX `User_name_key` ON `User`;" }), "--database-url", url!]);
    expect(ofRule("rollback-mismatch").map((m) => [m.line, m.message])).toEqual([[5, expect.stringMatching(/^down\.sql fails on the schema this migration leaves: .* rejects this statement: .*nope.*\. Rolling back with it would fail the same way\.$/)]]);
    expect(ofRule("replay-failed")).toEqual([]);
    expect(scratchDatabases()).toEqual([]);
  });

  it("schema drift: each difference at the field or model, naming the table and column", () => {
    const models = USER_MODEL.replace("name  String? @unique", "name  String? @unique @db.VarChar(100)").replace("email String  @unique", "email String  @unique\n  age   Int     @default(3)").replace("  id    Int     @id @default(autoincrement())", "  id    Int     @id");
    const { ofRule } = replay(["--cwd", project({ "20240101000000_init": INIT, "20240102000000_name": ADD_NAME }, models), "--database-url", url!]);
    expect(ofRule("schema-drift").map((m) => [m.line, m.message])).toEqual([
      [7, 'Field "User.id" has no @default, but column "User"."id" is auto-increment in the migrated database.'],
      [9, 'Field "User.age" maps to column "User"."age", but no migration creates it.'],
      [10, 'Field "User.name" is String @db.VarChar(100) (varchar(100) in MySQL), but column "User"."name" is varchar(191) in the migrated database.'],
    ]);
  });

  it("schema drift: a schema.prisma that matches the history has none (the index MySQL adds behind a foreign key included)", () => {
    const { ofRule } = replay(["--cwd", project({ "20240101000000_init": INIT, "20240102000000_name": ADD_NAME, "20240103000000_post": ADD_POST }, USER_MODEL.replace("}", "  posts Post[]\n}") + POST_MODEL), "--database-url", url!]);
    expect(ofRule("schema-drift")).toEqual([]);
  });
});
