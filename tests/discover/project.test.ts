import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationLintError } from "../../src/errors.js";
import { discoverProject, readPrismaConfigStatically } from "../../src/discover/project.js";
import { fixture, tempDir, writeTree } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function temp(files: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  await writeTree(dir, files);
  return dir;
}

async function expectError(p: Promise<unknown>, kind: string, pattern: RegExp): Promise<MigrationLintError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationLintError);
  const e = err as MigrationLintError;
  expect(e.kind).toBe(kind);
  expect(e.message).toMatch(pattern);
  return e;
}

describe("discoverProject: schema location", () => {
  it("finds the default prisma/schema.prisma", async () => {
    const root = fixture("default");
    const p = await discoverProject({ cwd: root });
    expect(p.root).toBe(root.replace(/\/$/, ""));
    expect(p.schemaSource).toBe("default");
    expect(p.schemaPath).toBe(path.join(root, "prisma", "schema.prisma"));
    expect(p.schemaFiles).toEqual([path.join(root, "prisma", "schema.prisma")]);
    expect(p.migrationsDir).toBe(path.join(root, "prisma", "migrations"));
    expect(p.migrationsDirExists).toBe(true);
    expect(p.lockProvider).toBe("postgresql");
    expect(p.lockError).toBeNull();
    expect(p.prismaConfigFile).toBeNull();
    expect(p.notes).toEqual([]);
  });

  it("finds a root schema.prisma with migrations beside it", async () => {
    const root = fixture("root-schema");
    const p = await discoverProject({ cwd: root });
    expect(p.schemaSource).toBe("default");
    expect(p.schemaPath).toBe(path.join(root, "schema.prisma"));
    expect(p.migrationsDir).toBe(path.join(root, "migrations"));
    expect(p.lockProvider).toBe("postgresql");
  });

  it("reads package.json prisma.schema relative to the package.json", async () => {
    const root = fixture("package-json");
    const p = await discoverProject({ cwd: root });
    expect(p.schemaSource).toBe("package.json");
    expect(p.schemaPath).toBe(path.join(root, "db", "schema.prisma"));
    expect(p.migrationsDir).toBe(path.join(root, "db", "migrations"));
    // From a subfolder the nearest package.json still applies (like the Prisma CLI).
    const fromSub = await discoverProject({ cwd: path.join(root, "db") });
    expect(fromSub.schemaSource).toBe("package.json");
    expect(fromSub.schemaPath).toBe(path.join(root, "db", "schema.prisma"));
    expect(fromSub.root).toBe(path.join(root, "db"));
  });

  it("reads schema and migrations.path from prisma.config.ts without executing it", async () => {
    const root = fixture("config-ts");
    const p = await discoverProject({ cwd: root });
    expect(p.schemaSource).toBe("prisma.config");
    expect(p.prismaConfigFile).toBe(path.join(root, "prisma.config.ts"));
    expect(p.schemaPath).toBe(path.join(root, "database", "schema.prisma"));
    expect(p.migrationsDir).toBe(path.join(root, "database", "sql-migrations"));
    expect(p.migrationsDirExists).toBe(true);
    expect(p.lockProvider).toBe("postgresql");
    expect(p.notes).toEqual([]);
  });

  it("falls back with a note when prisma.config.ts computes its paths", async () => {
    const root = fixture("config-computed");
    const p = await discoverProject({ cwd: root });
    expect(p.prismaConfigFile).toBe(path.join(root, "prisma.config.ts"));
    expect(p.schemaSource).toBe("default");
    expect(p.schemaPath).toBe(path.join(root, "prisma", "schema.prisma"));
    expect(p.migrationsDir).toBe(path.join(root, "prisma", "migrations"));
    expect(p.notes.some((n) => n.includes('"schema"') && n.includes("not a static string"))).toBe(true);
    expect(p.notes.some((n) => n.includes('"migrations.path"'))).toBe(true);
    expect(p.notes.some((n) => n.startsWith("Schema taken from the default location"))).toBe(true);
  });

  it("finds the multi-file prisma/schema/ folder and the migrations beside the datasource file", async () => {
    const root = fixture("multi-file");
    const folder = path.join(root, "prisma", "schema");
    const p = await discoverProject({ cwd: root });
    expect(p.schemaSource).toBe("default");
    expect(p.schemaPath).toBe(folder);
    expect(p.schemaFiles).toEqual([
      path.join(folder, "main.prisma"),
      path.join(folder, "models", "post.prisma"),
      path.join(folder, "models", "user.prisma"),
    ]);
    expect(p.migrationsDir).toBe(path.join(folder, "migrations"));
    expect(p.lockProvider).toBe("postgresql");
  });

  describe("a schema.prisma without models beside a models/ folder (Prisma's multi-file layout)", () => {
    const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\ngenerator client {\n  provider = "prisma-client-js"\n}\n';
    const USER = "model User {\n  id Int @id @default(autoincrement())\n}\n";
    const LOCK = 'provider = "postgresql"\n';

    it("reads the folder as the schema, with a note on configuring it for Prisma", async () => {
      const root = await temp({ "package.json": "{}", "prisma/schema.prisma": DATASOURCE, "prisma/models/user.prisma": USER, "prisma/migrations/migration_lock.toml": LOCK });
      const p = await discoverProject({ cwd: root });
      expect(p.schemaPath).toBe(path.join(root, "prisma"));
      expect(p.schemaFiles).toEqual([path.join(root, "prisma/models/user.prisma"), path.join(root, "prisma/schema.prisma")]);
      expect(p.migrationsDir).toBe(path.join(root, "prisma/migrations"));
      expect(p.notes).toEqual([expect.stringMatching(/^prisma\/schema\.prisma declares no model and prisma\/models holds \.prisma files: read as the multi-file schema prisma\/\. Prisma reads them only when the folder is configured \(prisma\.config\.ts "schema": "prisma"/)]);
    });

    it("keeps a schema.prisma that declares models as it is", async () => {
      const root = await temp({ "prisma/schema.prisma": DATASOURCE + USER, "prisma/models/post.prisma": "model Post {\n  id Int @id\n}\n", "prisma/migrations/migration_lock.toml": LOCK });
      const p = await discoverProject({ cwd: root });
      expect(p.schemaFiles).toEqual([path.join(root, "prisma/schema.prisma")]);
      expect(p.notes).toEqual([]);
    });

    it("keeps a file named by --schema, and says how to read the folder", async () => {
      const root = await temp({ "prisma/schema.prisma": DATASOURCE, "prisma/models/user.prisma": USER, "prisma/migrations/migration_lock.toml": LOCK });
      const p = await discoverProject({ cwd: root, schema: "prisma/schema.prisma" });
      expect(p.schemaFiles).toEqual([path.join(root, "prisma/schema.prisma")]);
      expect(p.notes).toEqual(["prisma/schema.prisma declares no model; the .prisma files in prisma/models are not read with it. Pass --schema prisma (the folder) to lint with the whole multi-file schema."]);
    });
  });

  it("uses migrations/ beside a schema folder when that is the one that exists", async () => {
    const root = fixture("multi-file-sibling");
    const p = await discoverProject({ cwd: root });
    expect(p.schemaPath).toBe(path.join(root, "prisma", "schema"));
    expect(p.schemaFiles).toHaveLength(3);
    expect(p.migrationsDir).toBe(path.join(root, "prisma", "migrations"));
    expect(p.migrationsDirExists).toBe(true);
  });

  it("defaults a folder schema's migrations to beside the datasource file when none exists", async () => {
    const dir = await temp({
      "prisma/schema/base/db.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
      "prisma/schema/user.prisma": "model User {\n  id Int @id\n}\n",
    });
    const p = await discoverProject({ cwd: dir });
    expect(p.migrationsDir).toBe(path.join(dir, "prisma", "schema", "base", "migrations"));
    expect(p.migrationsDirExists).toBe(false);
    expect(p.lockProvider).toBeNull();
    expect(p.lockError).toBeNull();
  });

  it("accepts a --schema folder (relative to cwd)", async () => {
    const root = fixture("schema-folder");
    const p = await discoverProject({ cwd: root, schema: "db" });
    expect(p.schemaSource).toBe("flag");
    expect(p.schemaPath).toBe(path.join(root, "db"));
    expect(p.schemaFiles.map((f) => path.relative(root, f))).toEqual([
      path.join("db", "models", "post.prisma"),
      path.join("db", "models", "user.prisma"),
      path.join("db", "schema.prisma"),
    ]);
    expect(p.migrationsDir).toBe(path.join(root, "db", "migrations"));
  });

  it("accepts a --schema file and --migrations override", async () => {
    const root = fixture("default");
    const p = await discoverProject({ cwd: fixture(), schema: "default/prisma/schema.prisma", migrations: "elsewhere" });
    expect(p.schemaSource).toBe("flag");
    expect(p.schemaPath).toBe(path.join(root, "prisma", "schema.prisma"));
    expect(p.migrationsDir).toBe(fixture("elsewhere"));
    expect(p.migrationsDirExists).toBe(false);
  });

  it("lets --schema win over prisma.config.ts but keeps its migrations.path", async () => {
    const root = fixture("config-ts");
    const p = await discoverProject({ cwd: root, schema: "database/schema.prisma" });
    expect(p.schemaSource).toBe("flag");
    expect(p.migrationsDir).toBe(path.join(root, "database", "sql-migrations"));
  });

  it("discovers each package of a monorepo when pointed at it", async () => {
    const a = await discoverProject({ cwd: fixture("monorepo", "packages", "a") });
    expect(a.schemaSource).toBe("default");
    expect(a.migrationsDir).toBe(fixture("monorepo", "packages", "a", "prisma", "migrations"));
    const b = await discoverProject({ cwd: fixture("monorepo", "packages", "b") });
    expect(b.schemaSource).toBe("package.json");
    expect(b.schemaPath).toBe(fixture("monorepo", "packages", "b", "db", "schema.prisma"));
    expect(b.migrationsDir).toBe(fixture("monorepo", "packages", "b", "db", "migrations"));
  });

  it("throws a project error listing the places looked at", async () => {
    const dir = await temp({ "README.md": "nothing here\n" });
    const err = await expectError(discoverProject({ cwd: dir }), "project", /Could not find a Prisma schema/);
    expect(err.message).toContain(dir);
    expect(err.message).toContain("prisma/schema.prisma");
    expect(err.message).toContain("schema.prisma");
    expect(err.message).toContain("prisma/schema/");
    expect(err.message).toContain("prisma.config");
  });

  it("throws a usage error for a --schema path that does not exist", async () => {
    await expectError(discoverProject({ cwd: fixture("default"), schema: "nope/schema.prisma" }), "usage", /nope\/schema\.prisma/);
  });

  it("throws a project error when package.json names a missing schema", async () => {
    const dir = await temp({ "package.json": JSON.stringify({ prisma: { schema: "db/missing.prisma" } }) });
    const err = await expectError(discoverProject({ cwd: dir }), "project", /does not exist/);
    expect(err.file).toBe(path.join(dir, "package.json"));
  });

  it("throws a project error when prisma.config.ts names a missing schema", async () => {
    const dir = await temp({ "prisma.config.ts": 'export default { schema: "prisma/nope.prisma" };\n' });
    const err = await expectError(discoverProject({ cwd: dir }), "project", /prisma\.config\.ts does not exist/);
    expect(err.file).toBe(path.join(dir, "prisma.config.ts"));
  });

  it("ignores an empty prisma/schema/ folder", async () => {
    const dir = await temp({ "prisma/schema/.gitkeep": "" });
    await expectError(discoverProject({ cwd: dir }), "project", /Could not find a Prisma schema/);
  });
});

describe("discoverProject: migration_lock.toml", () => {
  it("reports a malformed lock file with its line instead of throwing", async () => {
    const root = fixture("bad-lock");
    const p = await discoverProject({ cwd: root });
    expect(p.lockProvider).toBeNull();
    expect(p.lockError).not.toBeNull();
    expect(p.lockError!.file).toBe(path.join(root, "prisma", "migrations", "migration_lock.toml"));
    expect(p.lockError!.line).toBe(3);
    expect(p.lockError!.message).toMatch(/control characters/);
    expect(p.lockError!.message).not.toContain("\n");
  });

  it("reports a lock file without provider", async () => {
    const dir = await temp({
      "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
      "prisma/migrations/migration_lock.toml": "# Please do not edit this file manually\nprovder = \"postgresql\"\n",
    });
    const p = await discoverProject({ cwd: dir });
    expect(p.lockProvider).toBeNull();
    expect(p.lockError).toMatchObject({ line: 1, message: '"provider" is missing' });
  });

  it("has neither provider nor error when the lock file is missing", async () => {
    const dir = await temp({
      "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
      "prisma/migrations/20240101000000_init/migration.sql": "SELECT 1;\n",
    });
    const p = await discoverProject({ cwd: dir });
    expect(p.migrationsDirExists).toBe(true);
    expect(p.lockProvider).toBeNull();
    expect(p.lockError).toBeNull();
  });
});

describe("readPrismaConfigStatically", () => {
  const file = "/proj/prisma.config.ts";
  const read = (src: string) => readPrismaConfigStatically(src, file);

  it("reads defineConfig with string literals", () => {
    const r = read(`import { defineConfig } from "prisma/config";\nexport default defineConfig({ schema: "prisma/schema", migrations: { path: "db/migrations" } });`);
    expect(r).toEqual({ schema: "/proj/prisma/schema", migrationsPath: "/proj/db/migrations", notes: [] });
  });

  it("joins path.join / path.resolve arguments, __dirname and import.meta.dirname", () => {
    expect(read(`import path from "node:path";\nexport default { schema: path.join("prisma", "schema.prisma") }`).schema).toBe("/proj/prisma/schema.prisma");
    expect(read(`import * as p from "path";\nexport default { schema: p.resolve(__dirname, 'db', "schema.prisma") }`).schema).toBe("/proj/db/schema.prisma");
    expect(read(`import { join } from "node:path";\nexport default defineConfig({ schema: join(import.meta.dirname, "prisma") })`).schema).toBe("/proj/prisma");
    expect(read(`const path = require("path");\nmodule.exports = { schema: path.join(__dirname, "prisma", "schema.prisma") };`).schema).toBe("/proj/prisma/schema.prisma");
  });

  it("follows top-level consts, satisfies and export default of a variable", () => {
    const r = read(`import type { PrismaConfig } from "prisma";
const SCHEMA = "prisma/" + "schema";
const migrations = { path: \`prisma/migrations\` };
const config: PrismaConfig = { schema: SCHEMA, migrations } satisfies PrismaConfig;
export default config;`);
    expect(r.schema).toBe("/proj/prisma/schema");
    expect(r.migrationsPath).toBe("/proj/prisma/migrations");
    expect(r.notes).toEqual([]);
  });

  it("ignores comments and other properties", () => {
    const r = read(`// schema: "wrong.prisma"
/* schema: "also-wrong" */
export default defineConfig({
  earlyAccess: true,
  datasource: { url: env("DATABASE_URL") },
  migrations: { seed: "tsx prisma/seed.ts", path: 'prisma/migrations' },
  schema: 'prisma/schema.prisma', // trailing comment
});`);
    expect(r.schema).toBe("/proj/prisma/schema.prisma");
    expect(r.migrationsPath).toBe("/proj/prisma/migrations");
  });

  it("marks computed values as unreadable with a note", () => {
    const r = read(`export default defineConfig({ schema: process.env.SCHEMA ?? "prisma/schema.prisma", migrations: { path: \`\${base}/migrations\` } });`);
    expect(r.schema).toBeNull();
    expect(r.migrationsPath).toBeNull();
    expect(r.notes).toHaveLength(2);
    expect(r.notes[0]).toContain("process.env.SCHEMA");
  });

  it("reports undefined for keys that are not set", () => {
    expect(read(`export default defineConfig({ datasource: { url: "x" } })`)).toEqual({ schema: undefined, migrationsPath: undefined, notes: [] });
  });

  it("notes an export it cannot read", () => {
    const r = read(`export default makeConfig();`);
    expect(r.schema).toBeNull();
    expect(r.notes[0]).toMatch(/could not be read statically/);
  });
});
