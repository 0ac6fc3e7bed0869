/**
 * The replay scenarios on a real Postgres, plus the safety guarantees of
 * --database-url. Runs only when MIGRATION_LINT_TEST_DATABASE_URL is set, e.g.
 *   MIGRATION_LINT_TEST_DATABASE_URL=postgresql://postgres:secret@127.0.0.1:5432/postgres npx vitest run tests/replay
 * The role needs CREATEDB.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replay } from "../../src/replay/index.js";
import { BLOG, REPLAY_TIMEOUT, ROOT, allMessages, byRule, loadHistory, loadSchema, parseSchemaText, removeDir, withDatabase, writeHistory } from "./helpers.js";
import { defineReplayScenarios } from "./scenarios.js";

const url = process.env.MIGRATION_LINT_TEST_DATABASE_URL;

async function scratchDatabases(connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'migration\\_lint\\_%'");
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

async function adminQuery(connectionString: string, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A database of the test's own on the test server, set up with `settings` (ALTER DATABASE ... SET), handed to `body` with a connected client, dropped after. */
async function withTestDatabase(name: string, settings: string[], body: (target: string, db: pg.Client) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: url! });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  for (const setting of settings) await admin.query(`ALTER DATABASE "${name}" ${setting}`);
  const target = withDatabase(url!, name);
  const db = new pg.Client({ connectionString: target });
  try {
    await db.connect();
    await body(target, db);
  } finally {
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => admin.query(`DROP DATABASE IF EXISTS "${name}"`));
    await admin.end();
  }
}

describe.skipIf(!url)("replay on a real Postgres (MIGRATION_LINT_TEST_DATABASE_URL)", () => {
  let before: string[] = [];
  beforeAll(async () => {
    before = await scratchDatabases(url!);
  });

  defineReplayScenarios(url);

  describe("safety", () => {
    it("drops every scratch database it created", async () => {
      // Runs after the scenarios above (vitest runs a file's tests in order).
      expect(await scratchDatabases(url!)).toEqual(before);
    });

    it("never shows the password, in findings or in errors", async () => {
      const parsed = new URL(url!);
      if (!parsed.password) return;
      const { dir, migrations } = await writeHistory([{ name: "1_bad", up: `SELECT '${parsed.password}' FROM "missing_${parsed.password}";` }]);
      try {
        const report = await replay({ migrations, inScope: () => true, schema: null, databaseUrl: url! });
        const text = JSON.stringify(allMessages(report)) + report.database;
        expect(text).toContain("replay-failed");
        expect(text).not.toContain(parsed.password);
        const wrong = new URL(url!);
        wrong.password = `${parsed.password}-wrong`;
        const error = await replay({ migrations, inScope: () => true, schema: null, databaseUrl: wrong.toString() }).catch((e: Error) => e);
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/^Cannot connect to /);
        expect((error as Error).message).not.toContain(parsed.password);
      } finally {
        removeDir(dir);
      }
    }, REPLAY_TIMEOUT);

    it("drift-only reads the database in a READ ONLY transaction and writes nothing", async () => {
      const name = `mlint_test_${process.pid}`;
      const admin = new pg.Client({ connectionString: url! });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.query(`CREATE DATABASE "${name}"`);
      const target = withDatabase(url!, name);
      try {
        const db = new pg.Client({ connectionString: target });
        await db.connect();
        for (const m of await loadHistory(path.join(BLOG, "migrations"))) await db.query(m.file!.text);
        // a hand-made change no migration knows about
        await db.query(`ALTER TABLE "User" ADD COLUMN "legacy" TEXT`);
        const schemaPath = path.join(BLOG, "schema.prisma");
        const report = await replay({ migrations: [], inScope: () => false, schema: loadSchema(schemaPath), databaseUrl: target, driftOnly: true });
        const drift = byRule(report, "schema-drift");
        expect(drift.map((m) => m.message)).toEqual([`Column "User"."legacy" (text) exists in the database, but model "User" has no field mapped to it.`]);
        expect(report.database).toMatch(/\(read only, Postgres \d+\)$/);
        expect(report.timings.migrations).toBe(0);
        // nothing was written: the hand-made column is still there, no table was added
        const columns = await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'User'`);
        expect(columns.rows[0].n).toBe(9);
        const tables = await db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
        expect(tables.rows[0].n).toBe(4);
        await db.end();
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => admin.query(`DROP DATABASE IF EXISTS "${name}"`));
        await admin.end();
      }
    }, REPLAY_TIMEOUT);

    it("drift-only sends schema.prisma's defaults as bind parameters, whatever standard_conforming_strings says", async () => {
      // with standard_conforming_strings off, a backslash escapes a quote: a default pasted into SQL as '...' ends early
      await withTestDatabase(`mlint_scs_${process.pid}`, ["SET standard_conforming_strings = off"], async (target, db) => {
        await db.query(`CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL DEFAULT 'plain')`);
        const payload = String.raw`a\\' AS text))::text AS same; COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; CREATE TABLE pwned (); DROP TABLE \"Note\"; --`;
        const schema = parseSchemaText("/p/schema.prisma", `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\nmodel Note {\n  id   Int    @id\n  text String @default("${payload}")\n}\n`);
        expect(schema.errors).toEqual([]);
        const report = await replay({ migrations: [], inScope: () => false, schema, databaseUrl: target, driftOnly: true });
        const tables = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
        expect(tables.rows).toEqual([{ tablename: "Note" }]);
        // the value is compared as a value: it differs from 'plain'
        expect(byRule(report, "schema-drift").map((m) => m.message)).toEqual([expect.stringMatching(/^Field "Note\.text" has @default\("a\\\\' AS text.*, but column "Note"\."text" has the default 'plain'::text in the database\.$/)]);
      });
    }, REPLAY_TIMEOUT);

    it("drift-only evaluates only constant defaults of the live database (a function in a default could write elsewhere)", async () => {
      const name = `mlint_fn_${process.pid}`;
      await withTestDatabase(name, [], async (target, db) => {
        const u = new URL(url!);
        const loopback = `host=${u.hostname} port=${u.port || 5432} dbname=${name} user=${decodeURIComponent(u.username)}`;
        await db.query(`CREATE EXTENSION dblink`);
        // dblink opens a connection of its own, which the read-only transaction of drift-only does not cover
        await db.query(`CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL DEFAULT dblink_exec('${loopback}', 'CREATE TABLE pwned ()'))`);
        await db.query(`CREATE TABLE "Plain" ("id" INTEGER PRIMARY KEY, "n" NUMERIC(10,2) NOT NULL DEFAULT 0)`);
        const schema = parseSchemaText(
          "/p/schema.prisma",
          `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\nmodel Note {\n  id   Int    @id\n  text String @default("plain")\n}\n\nmodel Plain {\n  id Int     @id\n  n  Decimal @default(0.00) @db.Decimal(10, 2)\n}\n`,
        );
        const report = await replay({ migrations: [], inScope: () => true, schema, databaseUrl: target, driftOnly: true });
        const tables = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
        expect(tables.rows).toEqual([{ tablename: "Note" }, { tablename: "Plain" }]);
        // the function default differs from a literal one (as for prisma migrate diff); the constant one is still compared by value
        expect(byRule(report, "schema-drift").map((m) => m.message)).toEqual([expect.stringMatching(/^Field "Note\.text" has @default\("plain"\), but column "Note"\."text" has the default dblink_exec\(/)]);
      });
    }, REPLAY_TIMEOUT);

    it.each([
      ["SIGINT", "kill"],
      ["SIGTERM", "kill"],
      ["SIGHUP", "kill"],
      ["process.exit()", "exit"],
      ["an uncaught exception", "throw"],
      ["an unhandled rejection", "reject"],
    ])("drops the scratch database on %s during the run, and marks it while it exists", async (what, how) => {
      const dist = path.join(ROOT, "dist", "src", "replay", "index.js");
      if (!fs.existsSync(dist)) return; // `npm test` builds dist first; a bare `vitest run` may not have it
      // A history long enough to still be running when the child is told to go.
      const specs = Array.from({ length: 400 }, (_, i) => ({ name: `${String(i).padStart(4, "0")}_t`, up: `CREATE TABLE "t${i}" ("id" SERIAL PRIMARY KEY, "v" TEXT);\nCREATE INDEX ON "t${i}"("v");\n` }));
      const { dir } = await writeHistory(specs);
      const script = `
        import { replay } from ${JSON.stringify(dist)};
        import { loadMigrations } from ${JSON.stringify(path.join(ROOT, "dist", "src", "model", "load.js"))};
        import { prismaMigrateSource } from ${JSON.stringify(path.join(ROOT, "dist", "src", "sources", "prisma-migrate.js"))};
        const migrations = await loadMigrations(await prismaMigrateSource.list(${JSON.stringify(dir)}));
        setTimeout(() => console.log("running"), 300);
        process.stdin.on("data", () => {
          if (process.env.HOW === "exit") process.exit(3);
          if (process.env.HOW === "throw") setTimeout(() => { throw new Error("boom"); });
          if (process.env.HOW === "reject") void Promise.reject(new Error("boom"));
        });
        await replay({ migrations, inScope: () => true, schema: null, databaseUrl: process.env.URL });
        console.log("finished");
        process.exit(0);
      `;
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, URL: url!, HOW: how }, stdio: ["pipe", "pipe", "pipe"] });
      try {
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (c, signal) => resolve(signal ? 128 : c)));
        await new Promise<void>((resolve) => child.stdout.on("data", () => output.includes("running") && resolve()));
        // the scratch database exists once replay has connected (the child may be slow to get there on a busy machine)
        let during = await scratchDatabases(url!);
        for (let tries = 0; during.length === before.length && tries < 100; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          during = await scratchDatabases(url!);
        }
        expect(during.length).toBe(before.length + 1);
        const scratch = during.find((name) => !before.includes(name))!;
        const marker = JSON.parse((await adminQuery(url!, `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [scratch]))[0]!.c as string);
        expect(marker).toEqual({ tool: "migration-lint replay", host: os.hostname(), pid: child.pid, created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
        if (how === "kill") child.kill(what as NodeJS.Signals);
        else child.stdin.write("go\n");
        const code = await exited;
        expect(output, what).not.toContain("finished");
        expect(code).not.toBe(0);
        expect(await scratchDatabases(url!)).toEqual(before);
      } finally {
        // a failed expectation must not leave the child replaying (SIGINT: it still drops its database)
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
        removeDir(dir);
      }
    }, REPLAY_TIMEOUT);

    it("sweeps the scratch databases a dead process of this tool on this host left long enough ago, and no other", async () => {
      const dead = spawn(process.execPath, ["-e", ""]);
      const deadPid = await new Promise<number>((resolve) => dead.on("exit", () => resolve(dead.pid!)));
      const old = "2020-01-01T00:00:00.000Z";
      const marker = (m: Record<string, unknown>) => JSON.stringify({ tool: "migration-lint replay", host: os.hostname(), pid: deadPid, created: old, ...m });
      const cases: Record<string, string | null> = {
        migration_lint_00000000dead: marker({}),
        migration_lint_00000000a11e: marker({ pid: process.pid }),
        migration_lint_00000000b0a7: marker({ host: `not-${os.hostname()}` }),
        migration_lint_000000000e3e: marker({ created: new Date().toISOString() }),
        migration_lint_00000000f0e1: marker({ tool: "something else" }),
        migration_lint_000000000000: null,
        migration_lint_keep_me: marker({}),
      };
      for (const [name, comment] of Object.entries(cases)) {
        await adminQuery(url!, `CREATE DATABASE "${name}"`);
        if (comment) await adminQuery(url!, `COMMENT ON DATABASE "${name}" IS '${comment.replace(/'/g, "''")}'`);
      }
      try {
        const { dir, migrations } = await writeHistory([{ name: "1_t", up: `CREATE TABLE "t" ("id" INT);\n` }]);
        try {
          await replay({ migrations, inScope: () => true, schema: null, databaseUrl: url! });
        } finally {
          removeDir(dir);
        }
        const left = (await adminQuery(url!, `SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1`, [Object.keys(cases)])).map((r) => r.datname);
        expect(left).toEqual(Object.keys(cases).filter((name) => name !== "migration_lint_00000000dead").sort());
      } finally {
        for (const name of Object.keys(cases)) await adminQuery(url!, `DROP DATABASE IF EXISTS "${name}"`);
      }
    }, REPLAY_TIMEOUT);
  });
});

describe("parseSchemaText", () => {
  it("is usable without a database (keeps this file non-empty when Postgres is not configured)", () => {
    expect(parseSchemaText("/x/schema.prisma", "model A {\n  id Int @id\n}\n").models.map((m) => m.name)).toEqual(["A"]);
  });
});
