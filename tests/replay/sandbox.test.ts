/**
 * Replay on a real server runs only what stays inside its scratch database
 * (src/replay/sandbox.ts): statements that reach the rest of the server are
 * findings, not executed. The classification runs without a database; the
 * guarantee itself is checked against the real server of
 * MIGRATION_LINT_TEST_DATABASE_URL, one class of statement at a time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardScript } from "../../src/replay/sandbox.js";
import { REPLAY_TIMEOUT, allMessages, byRule, removeDir, run, withDatabase, writeHistory, type MigrationSpec } from "./helpers.js";

const url = process.env.MIGRATION_LINT_TEST_DATABASE_URL;

async function refusals(sql: string, roles: string[] = []) {
  const guarded = await guardScript("/x/migration.sql", sql, { database: "migration_lint_000000000000", skippedRoles: new Set(roles) });
  return { text: guarded.text, refused: guarded.refusals.map((r) => ({ statement: r.statement.text.split("\n")[0], skippable: r.skippable })) };
}

describe("which statements reach beyond the scratch database (libpg-query AST)", () => {
  it.each([
    ["DROP DATABASE victim WITH (FORCE)", true],
    ["CREATE DATABASE other", true],
    ["ALTER DATABASE prod SET work_mem = '7MB'", true],
    ["ALTER DATABASE prod OWNER TO x", true],
    ["ALTER DATABASE prod RENAME TO x", true],
    ["COMMENT ON DATABASE prod IS 'x'", true],
    ["GRANT CONNECT ON DATABASE prod TO x", true],
    ["CREATE ROLE app", true],
    ["CREATE USER app PASSWORD 'x'", true],
    ["CREATE GROUP app", true],
    ["ALTER ROLE app LOGIN", true],
    ["ALTER USER app SET work_mem = '1MB'", true],
    ["ALTER ROLE app RENAME TO b", true],
    ["DROP ROLE app", true],
    ["GRANT app TO bob", true],
    ["COMMENT ON ROLE app IS 'x'", true],
    ["REASSIGN OWNED BY a TO b", false],
    ["DROP OWNED BY a", false],
    ["ALTER SYSTEM SET work_mem = '7MB'", true],
    ["CREATE TABLESPACE t LOCATION '/tmp/t'", true],
    ["DROP TABLESPACE t", true],
    ["GRANT SET ON PARAMETER work_mem TO x", true],
    ["SET ROLE app", true],
    ["SET LOCAL ROLE app", true],
    ["SET SESSION AUTHORIZATION app", true],
    ["SELECT set_config('role', 'app', false)", true],
    ["COPY t FROM PROGRAM 'touch /tmp/x'", true],
    ["COPY t TO '/tmp/x'", true],
    ["SELECT lo_export(16384, '/tmp/x')", true],
    ["SELECT dblink_exec('dbname=prod', 'DROP TABLE t')", true],
    ["INSERT INTO t SELECT * FROM dblink('dbname=prod', 'SELECT 1') AS r(x int)", false],
    ["SELECT pg_terminate_backend(pid) FROM pg_stat_activity", true],
    ["SELECT pg_read_file('/etc/passwd')::int", true],
    ["SELECT pg_ls_dir('.')", true],
    ["CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'x')", false],
    ["IMPORT FOREIGN SCHEMA public FROM SERVER s INTO x", false],
    ["CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", true],
    ["DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app; END IF; END $$", true],
    ["DO $$ BEGIN EXECUTE 'CREATE ROLE app'; END $$", true],
    ["DO $$ BEGIN PERFORM dblink_exec('dbname=prod', 'DROP TABLE t'); END $$", true],
    ["DO $$ BEGIN CREATE ROLE app; CREATE TABLE t (); END $$", false],
    ["DO $$ BEGIN EXECUTE 'CREATE ' || 'ROLE app'; END $$", false],
    ["DO LANGUAGE plperlu $$ system('x') $$", false],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE ROLE app; END $$", false],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT pg_terminate_backend(1) $$", false],
    ["CREATE FUNCTION f() RETURNS int LANGUAGE c AS 'lib', 'f'", false],
  ])("%s: refused (skippable: %s)", async (sql, skippable) => {
    const { refused, text } = await refusals(`${sql};\nCREATE TABLE "after" ("id" INT);\n`);
    expect(refused).toEqual([{ statement: sql.split("\n")[0], skippable }]);
    // blanked, same length and lines: Postgres's error positions still point into the file
    expect(text).toBe(`${" ".repeat([...sql].length)};\nCREATE TABLE "after" ("id" INT);\n`);
  });

  it.each([
    "ALTER DATABASE migration_lint_000000000000 SET work_mem = '7MB'",
    "RESET ROLE",
    "SET search_path TO public",
    "SELECT set_config('search_path', 'public', false)",
    "COPY t TO STDOUT",
    "CREATE EXTENSION IF NOT EXISTS dblink",
    "GRANT SELECT ON t TO app",
    "ALTER TABLE t OWNER TO app",
    "CREATE FOREIGN TABLE f (x int) SERVER s",
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'Role') THEN CREATE TYPE \"Role\" AS ENUM ('A'); END IF; END $$",
    "DO $$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables LOOP EXECUTE 'SELECT 1'; END LOOP; END $$",
    "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.x := now(); RETURN NEW; END $$",
    "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
  ])("%s: runs", async (sql) => {
    expect((await refusals(`${sql};\n`)).refused).toEqual([]);
  });

  it("refuses uses of a role that replay did not create, where only privileges or ownership depend on it", async () => {
    expect((await refusals(`GRANT SELECT ON t TO app;\nALTER TABLE t OWNER TO app;\nCREATE SCHEMA s AUTHORIZATION app;\n`, ["app"])).refused).toEqual([
      { statement: "GRANT SELECT ON t TO app", skippable: true },
      { statement: "ALTER TABLE t OWNER TO app", skippable: true },
      { statement: "CREATE SCHEMA s AUTHORIZATION app", skippable: false },
    ]);
  });
});

describe("PGlite (in-process, thrown away) runs them", () => {
  it("CREATE ROLE and a GRANT to it apply without findings", async () => {
    const { dir, migrations } = await writeHistory([{ name: "1_roles", up: `CREATE TABLE "t" ("id" INT);\nCREATE ROLE "reader";\nGRANT SELECT ON "t" TO "reader";\n` }]);
    try {
      const report = await run({ migrations, schema: null });
      expect(allMessages(report)).toEqual([]);
      expect(report.timings.migrations).toBe(1);
    } finally {
      removeDir(dir);
    }
  }, REPLAY_TIMEOUT);
});

describe.skipIf(!url)("replay on a real server leaves the rest of the server alone (MIGRATION_LINT_TEST_DATABASE_URL)", () => {
  const tag = `mlsb${process.pid}`;
  const victim = `${tag}_victim`;
  const existingRole = `${tag}_existing`;
  const marker = path.join(os.tmpdir(), `${tag}_marker`);
  const exported = path.join(os.tmpdir(), `${tag}_lo`);
  const tablespaceDir = fs.mkdtempSync(path.join(os.tmpdir(), `${tag}-ts-`));
  let admin: pg.Client;
  const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await admin.query<T>(sql, params)).rows;
  const roleExists = async (name: string) => (await query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [name])).length === 1;
  const dblinkTarget = () => {
    const u = new URL(url!);
    return `host=${u.hostname} port=${u.port || 5432} dbname=${victim} user=${decodeURIComponent(u.username)}`;
  };

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url! });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${victim}"`);
    await admin.query(`CREATE DATABASE "${victim}"`);
    await admin.query(`DROP ROLE IF EXISTS "${existingRole}"`);
    await admin.query(`CREATE ROLE "${existingRole}" NOLOGIN`);
    fs.chmodSync(tablespaceDir, 0o777);
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${victim}"`).catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${tag}_created"`).catch(() => undefined);
    await admin.query(`DROP TABLESPACE IF EXISTS "${tag}_ts"`).catch(() => undefined);
    for (const role of ["existing", "role", "seed", "do", "do2", "fn", "dyn"]) await admin.query(`DROP ROLE IF EXISTS "${tag}_${role}"`).catch(() => undefined);
    await admin.query(`ALTER SYSTEM RESET work_mem`).catch(() => undefined);
    await admin.end();
    for (const file of [marker, exported]) fs.rmSync(file, { force: true });
    fs.rmSync(tablespaceDir, { recursive: true, force: true });
  });

  it("runs none of the server-wide statements, reports each, and goes on where that is sound", async () => {
    const specs: MigrationSpec[] = [
      { name: "01_init", up: `CREATE TABLE "t1" ("id" INT PRIMARY KEY);\n` },
      { name: "02_drop_db", up: `DROP DATABASE "${victim}" WITH (FORCE);\n` },
      { name: "03_create_db", up: `CREATE DATABASE "${tag}_created";\n` },
      {
        name: "04_roles",
        up: `CREATE ROLE "${tag}_role";\nGRANT SELECT ON "t1" TO "${tag}_role";\nALTER TABLE "t1" OWNER TO "${tag}_role";\nALTER ROLE "${existingRole}" CONNECTION LIMIT 3;\nCREATE TABLE "t4" ("id" INT);\n`,
        // down.sql goes through the same guard (its rollback check runs it)
        down: `DROP TABLE "t4";\nDROP ROLE "${existingRole}";\n`,
      },
      { name: "05_alter_db", up: `ALTER DATABASE "${victim}" SET work_mem = '7MB';\nCOMMENT ON DATABASE "${victim}" IS 'touched';\nGRANT CONNECT ON DATABASE "${victim}" TO "${existingRole}";\n` },
      { name: "06_alter_system", up: `ALTER SYSTEM SET work_mem = '7MB';\n` },
      { name: "07_tablespace", up: `CREATE TABLESPACE "${tag}_ts" LOCATION '${tablespaceDir}';\n` },
      { name: "08_copy_program", up: `CREATE TABLE "t8" ("x" TEXT);\nCOPY "t8" FROM PROGRAM 'touch ${marker}';\n` },
      { name: "09_lo_export", up: `SELECT lo_export(lo_from_bytea(0, 'x'), '${exported}');\n` },
      // the server's configuration, quoted back by the cast's error message, would be a finding
      { name: "09_read_file", up: `SELECT pg_read_file('postgresql.conf')::int;\n` },
      { name: "10_dblink", up: `CREATE EXTENSION IF NOT EXISTS dblink;\nSELECT dblink_exec('${dblinkTarget()}', 'CREATE TABLE pwned ()');\n` },
      { name: "11_set_role", up: `SET ROLE "${existingRole}";\nSET SESSION AUTHORIZATION "${existingRole}";\nCREATE TABLE "t11" ("id" INT);\n` },
      { name: "12_do_only_roles", up: `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${tag}_do') THEN CREATE ROLE "${tag}_do"; END IF; END $$;\nGRANT SELECT ON "t1" TO "${tag}_do";\n` },
      { name: "13_drop_role", up: `DROP ROLE "${existingRole}";\n` },
      { name: "14_last", up: `CREATE TABLE "t14" ("id" INT REFERENCES "t1" ("id"));\n` },
    ];
    const { dir, migrations } = await writeHistory(specs);
    try {
      // and so does the seed
      const report = await run({ migrations, schema: null, seedSql: `CREATE ROLE "${tag}_seed";\n` }, url);
      const messages = allMessages(report);
      // every migration applied, no error: each refused statement is one warning at its line
      expect(messages.filter((m) => m.severity === 2)).toEqual([]);
      expect(report.timings.migrations).toBe(specs.length);
      const notRun = messages.filter((m) => m.message.startsWith("Not run on the real server:"));
      const where = notRun.map((m) => `${path.basename(path.dirname(m.file))}/${path.basename(m.file)}:${m.line}`.replace("/migration.sql", ""));
      expect(where).toEqual(["02_drop_db:1", "03_create_db:1", "04_roles:1", "04_roles:2", "04_roles:3", "04_roles:4", "04_roles/down.sql:2", "05_alter_db:1", "05_alter_db:2", "05_alter_db:3", "06_alter_system:1", "07_tablespace:1", "08_copy_program:2", "09_lo_export:1", "09_read_file:1", "10_dblink:2", "11_set_role:1", "11_set_role:2", "12_do_only_roles:1", "12_do_only_roles:2", "13_drop_role:1"]);
      expect(notRun.every((m) => m.severity === 1 && m.message.includes("Replay went on as if it had run"))).toBe(true);

      // and the server is as it was
      expect(await query(`SELECT datname FROM pg_database WHERE datname IN ($1, $2)`, [victim, `${tag}_created`])).toEqual([{ datname: victim }]);
      expect(await roleExists(`${tag}_role`)).toBe(false);
      expect(await roleExists(`${tag}_seed`)).toBe(false);
      expect(messages.filter((m) => m.message.startsWith("The seed SQL has a statement replay does not run on a real server (CREATE ROLE creates"))).toHaveLength(1);
      expect(byRule(report, "rollback-mismatch")).toEqual([]);
      expect(await roleExists(`${tag}_do`)).toBe(false);
      expect(await roleExists(existingRole)).toBe(true);
      expect(await query(`SELECT rolconnlimit FROM pg_roles WHERE rolname = $1`, [existingRole])).toEqual([{ rolconnlimit: -1 }]);
      const victimRow = await query<{ settings: number; comment: string | null; acl: string | null }>(
        `SELECT (SELECT count(*)::int FROM pg_db_role_setting s WHERE s.setdatabase = d.oid) AS settings, shobj_description(d.oid, 'pg_database') AS comment, d.datacl::text AS acl FROM pg_database d WHERE datname = $1`,
        [victim],
      );
      expect(victimRow).toEqual([{ settings: 0, comment: null, acl: null }]);
      expect(await query(`SELECT name FROM pg_file_settings WHERE name = 'work_mem' AND sourcefile LIKE '%postgresql.auto.conf'`)).toEqual([]);
      expect(await query(`SELECT spcname FROM pg_tablespace WHERE spcname = $1`, [`${tag}_ts`])).toEqual([]);
      expect(fs.existsSync(marker)).toBe(false);
      expect(fs.existsSync(exported)).toBe(false);
      const inVictim = new pg.Client({ connectionString: withDatabase(url!, victim) });
      await inVictim.connect();
      try {
        expect((await inVictim.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'pwned'`)).rows).toEqual([{ n: 0 }]);
      } finally {
        await inVictim.end();
      }
    } finally {
      removeDir(dir);
    }
  }, REPLAY_TIMEOUT);

  it.each([
    ["a DO block that also does other work", (t: string) => `DO $$ BEGIN CREATE ROLE "${t}_do2"; CREATE TABLE "t_do" ("id" INT); END $$;\n`, "do2"],
    ["a function whose body creates a role", (t: string) => `CREATE FUNCTION "${t}_f"() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE ROLE "${t}_fn"; END $$;\nSELECT "${t}_f"();\n`, "fn"],
    ["SQL built at run time", (t: string) => `DO $$ BEGIN EXECUTE 'CREATE ROLE ' || quote_ident('${t}_dyn'); END $$;\n`, "dyn"],
  ])("does not run %s, and stops there", async (_what, up, role) => {
    const { dir, migrations } = await writeHistory([
      { name: "1_init", up: `CREATE TABLE "t1" ("id" INT);\n` },
      { name: "2_hidden", up: up(tag) },
      { name: "3_next", up: `CREATE TABLE "t3" ("id" INT);\n` },
    ]);
    try {
      const report = await run({ migrations, schema: null }, url);
      expect(await roleExists(`${tag}_${role}`)).toBe(false);
      expect(report.timings.migrations).toBe(1);
      const failed = byRule(report, "replay-failed");
      expect(failed.filter((m) => m.severity === 2)).toEqual([]);
      expect(failed.map((m) => m.message)).toEqual([expect.stringMatching(/^Not run on the real server: .*Replay cannot go on soundly without it and stopped here\.$/), expect.stringMatching(/^Replay stopped: 2_hidden was not applied: .* 1 later migration was not applied \(3_next\)\.$/)]);
    } finally {
      removeDir(dir);
    }
  }, REPLAY_TIMEOUT);
});

