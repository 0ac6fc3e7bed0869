/**
 * A migration folder that cannot be listed, or a schema file that cannot be
 * read, is reported, not skipped. Root reads everything, so here (CI runs as
 * root) readdir and readFile are made to fail for one folder and one file the
 * way they do for a normal user facing chmod 000; project.test.ts has the
 * real chmod cases for non-root runs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const LOCKED = "20240201000000_locked";
const LOCKED_SCHEMA = "locked.prisma";

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const denied = (syscall: string, target: unknown) => Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(target)}'`), { code: "EACCES" });
  const readdirSync = ((dir: fs.PathLike, options?: unknown) => {
    if (String(dir).endsWith(LOCKED)) throw denied("scandir", dir);
    return (real.readdirSync as (d: fs.PathLike, o?: unknown) => unknown)(dir, options);
  }) as typeof real.readdirSync;
  const readFileSync = ((file: fs.PathOrFileDescriptor, options?: unknown) => {
    if (String(file).endsWith(LOCKED_SCHEMA)) throw denied("open", file);
    return (real.readFileSync as (f: fs.PathOrFileDescriptor, o?: unknown) => unknown)(file, options);
  }) as typeof real.readFileSync;
  return { ...real, readdirSync, readFileSync, default: { ...real, readdirSync, readFileSync } };
});

const { runLint } = await import("../../src/api/lint.js");
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ml-unreadable-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

describe("a migration folder that cannot be listed", () => {
  it("is a file-error naming the folder, and the other migrations are linted", async () => {
    const migrations = path.join(temp, "prisma", "migrations");
    fs.mkdirSync(path.join(migrations, LOCKED), { recursive: true });
    fs.writeFileSync(path.join(temp, "prisma", "schema.prisma"), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
    fs.writeFileSync(path.join(migrations, "migration_lock.toml"), 'provider = "postgresql"\n');
    for (const [name, sql] of [
      ["20240101000000_init", 'CREATE TABLE "T" ("a" INT, "b" INT);\n'],
      ["20240301000000_drop", 'ALTER TABLE "T" DROP COLUMN "b";\n'],
    ]) {
      fs.mkdirSync(path.join(migrations, name!));
      fs.writeFileSync(path.join(migrations, name!, "migration.sql"), sql!);
    }
    const run = await runLint({ cwd: temp });
    const locked = run.results.find((r) => r.filePath === path.join(migrations, LOCKED));
    expect(locked?.messages.map((m) => m.ruleId)).toEqual(["file-error"]);
    expect(locked?.messages[0]!.message).toMatch(/^Cannot read the migration folder .*20240201000000_locked: EACCES: permission denied/);
    const drop = run.results.find((r) => r.filePath.endsWith(path.join("20240301000000_drop", "migration.sql")));
    expect(drop?.messages.map((m) => m.ruleId)).toEqual(["destructive-change"]);
  });
});

describe("a schema file that cannot be read", () => {
  it("is one parse-error naming it, on a cold run and on the cached runs after it", async () => {
    const schema = path.join(temp, "schema-project", "prisma", "schema");
    const migrations = path.join(temp, "schema-project", "prisma", "migrations");
    fs.mkdirSync(schema, { recursive: true });
    fs.mkdirSync(path.join(migrations, "20240101000000_init"), { recursive: true });
    fs.writeFileSync(path.join(schema, "main.prisma"), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
    fs.writeFileSync(path.join(schema, LOCKED_SCHEMA), "model A {\n  id Int @id\n}\n");
    fs.writeFileSync(path.join(migrations, "migration_lock.toml"), 'provider = "postgresql"\n');
    fs.writeFileSync(path.join(migrations, "20240101000000_init", "migration.sql"), 'CREATE TABLE "A" ("id" INTEGER NOT NULL);\n');
    const cacheLocation = path.join(temp, "schema-project", ".cache");
    for (let run = 0; run < 3; run++) {
      const { results } = await runLint({ cwd: path.join(temp, "schema-project"), cache: true, cacheLocation });
      const locked = results.find((r) => r.filePath === path.join(schema, LOCKED_SCHEMA));
      expect(locked?.messages.map((m) => [m.ruleId, m.message]), `run ${run + 1}`).toEqual([
        ["parse-error", expect.stringMatching(/cannot read the file \(EACCES: permission denied/)],
      ]);
    }
  });
});
