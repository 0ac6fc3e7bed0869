/**
 * A migration folder that cannot be listed is reported, not skipped. Root
 * reads every folder, so here (CI runs as root) readdir is made to fail for
 * one folder the way it does for a normal user facing a chmod 000 folder;
 * project.test.ts has the real chmod case for non-root runs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const LOCKED = "20240201000000_locked";

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((dir: fs.PathLike, options?: unknown) => {
    if (String(dir).endsWith(LOCKED)) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(dir)}'`), { code: "EACCES" });
    return (real.readdirSync as (d: fs.PathLike, o?: unknown) => unknown)(dir, options);
  }) as typeof real.readdirSync;
  return { ...real, readdirSync, default: { ...real, readdirSync } };
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
