/**
 * MySQL replay on a real server (`--replay --database-url mysql://...`). Runs only when
 * MIGRATION_LINT_TEST_MYSQL_URL is set (.ci/run starts a throwaway MariaDB with scripts/ci-mysql.sh), e.g.
 *   MIGRATION_LINT_TEST_MYSQL_URL=$(scripts/ci-mysql.sh 33070) npx vitest run tests/replay/mysql.test.ts
 * Uses the built CLI (npm run build).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LintResult } from "../../src/engine/results.js";
import { corpusProjects } from "../corpus/projects.js";

const url = process.env.MIGRATION_LINT_TEST_MYSQL_URL;
const cli = path.resolve(__dirname, "../../bin/migration-lint.js");
const SCHEMA = 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n';

function project(migrations: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-mysql-replay-"));
  fs.mkdirSync(path.join(dir, "prisma/migrations"), { recursive: true });
  fs.writeFileSync(path.join(dir, "prisma/schema.prisma"), SCHEMA);
  fs.writeFileSync(path.join(dir, "prisma/migrations/migration_lock.toml"), 'provider = "mysql"\n');
  for (const [name, sql] of Object.entries(migrations)) {
    fs.mkdirSync(path.join(dir, "prisma/migrations", name));
    fs.writeFileSync(path.join(dir, "prisma/migrations", name, "migration.sql"), sql);
  }
  return dir;
}

function replay(args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args, "--replay", "--no-baseline", "-f", "json"], { encoding: "utf8" });
  const results = (run.stdout ? JSON.parse(run.stdout) : []) as LintResult[];
  return { run, replayed: results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath }))).filter((m) => m.ruleId === "replay-failed") };
}

/** The scratch databases replay left on the server (none, on every exit path). */
function scratchDatabases(): string[] {
  const run = spawnSync(process.execPath, ["-e", `import("mysql2/promise").then(async (m) => { const c = await m.createConnection({ uri: ${JSON.stringify(url)} }); const [rows] = await c.query("SHOW DATABASES LIKE 'migration\\\\_lint\\\\_%'"); console.log(JSON.stringify(rows.map((r) => Object.values(r)[0]))); await c.end(); })`], { encoding: "utf8", cwd: path.resolve(__dirname, "../..") });
  return JSON.parse(run.stdout || "[]") as string[];
}

const INIT = "-- CreateTable\nCREATE TABLE `User` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `email` VARCHAR(191) NOT NULL,\n\n    UNIQUE INDEX `User_email_key`(`email`),\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n";

describe("MySQL replay without a server", () => {
  it("asks for --database-url (exit 2, one line)", () => {
    const { run } = replay(["--cwd", project({ "20240101000000_init": INIT })]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^migration-lint: MySQL has no embeddable server: --replay needs --database-url mysql:\/\//);
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
    expect(replayed).toMatchObject([{ severity: 2, line: 2, message: expect.stringMatching(/rejects this statement: .*nope.*the statements before it already committed/) }]);
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
  });
});
