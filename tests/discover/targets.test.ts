import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationLintError } from "../../src/errors.js";
import { resolveTargets, type LintTarget } from "../../src/discover/targets.js";
import { fixture, tempDir, writeTree } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const DEFAULT = fixture("default");
const DEFAULT_MIGRATIONS = path.join(DEFAULT, "prisma", "migrations");
const A = fixture("monorepo", "packages", "a");
const B = fixture("monorepo", "packages", "b");

function summary(targets: LintTarget[]) {
  return targets.map((t) => ({ root: t.project.root, migrationsDir: t.project.migrationsDir, migrations: t.migrations }));
}

async function rejection(p: Promise<unknown>): Promise<MigrationLintError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationLintError);
  return err as MigrationLintError;
}

describe("resolveTargets", () => {
  it("without paths lints the whole project of cwd", async () => {
    const targets = await resolveTargets([], { cwd: DEFAULT });
    expect(summary(targets)).toEqual([{ root: DEFAULT, migrationsDir: DEFAULT_MIGRATIONS, migrations: null }]);
  });

  it("maps a migration.sql path to its migration and finds the project root", async () => {
    const targets = await resolveTargets(["prisma/migrations/20240215093000_add_post/migration.sql"], { cwd: DEFAULT });
    expect(summary(targets)).toEqual([{ root: DEFAULT, migrationsDir: DEFAULT_MIGRATIONS, migrations: ["20240215093000_add_post"] }]);
    expect(targets[0]!.project.schemaPath).toBe(path.join(DEFAULT, "prisma", "schema.prisma"));
  });

  it("resolves paths relative to cwd, from anywhere", async () => {
    const targets = await resolveTargets([path.join("default", "prisma", "migrations", "20240101120000_init", "migration.sql")], { cwd: fixture() });
    expect(summary(targets)).toEqual([{ root: DEFAULT, migrationsDir: DEFAULT_MIGRATIONS, migrations: ["20240101120000_init"] }]);
  });

  it("maps down.sql, README.md and a migration folder to their migration and merges them", async () => {
    const targets = await resolveTargets(
      [
        path.join(DEFAULT_MIGRATIONS, "20240215093000_add_post", "down.sql"),
        path.join(DEFAULT_MIGRATIONS, "20240215093000_add_post", "README.md"),
        path.join(DEFAULT_MIGRATIONS, "20240101120000_init"),
      ],
      { cwd: fixture() },
    );
    expect(summary(targets)).toEqual([
      { root: DEFAULT, migrationsDir: DEFAULT_MIGRATIONS, migrations: ["20240101120000_init", "20240215093000_add_post"] },
    ]);
  });

  it("maps a migrations folder, the lock file, a .prisma file or a project root to all migrations", async () => {
    for (const p of [DEFAULT_MIGRATIONS, path.join(DEFAULT_MIGRATIONS, "migration_lock.toml"), path.join(DEFAULT, "prisma", "schema.prisma"), DEFAULT]) {
      const targets = await resolveTargets([p], { cwd: fixture() });
      expect(summary(targets), p).toEqual([{ root: DEFAULT, migrationsDir: DEFAULT_MIGRATIONS, migrations: null }]);
    }
  });

  it("reports a folder inside a project from the project's real root", async () => {
    const fromPrismaDir = await resolveTargets(["prisma"], { cwd: DEFAULT });
    expect(summary(fromPrismaDir)).toEqual([{ root: DEFAULT, migrationsDir: DEFAULT_MIGRATIONS, migrations: null }]);
    const root = fixture("package-json");
    const fromDb = await resolveTargets(["db"], { cwd: root });
    expect(summary(fromDb)).toEqual([{ root, migrationsDir: path.join(root, "db", "migrations"), migrations: null }]);
    expect(fromDb[0]!.project.schemaSource).toBe("package.json");
  });

  it("resolves a schema folder named directly", async () => {
    const root = fixture("multi-file");
    const targets = await resolveTargets(["prisma/schema"], { cwd: root });
    expect(summary(targets)).toEqual([{ root, migrationsDir: path.join(root, "prisma", "schema", "migrations"), migrations: null }]);
  });

  it("lets null (all) win when merging", async () => {
    const targets = await resolveTargets(
      [path.join(DEFAULT_MIGRATIONS, "20240101120000_init", "migration.sql"), DEFAULT],
      { cwd: fixture() },
    );
    expect(summary(targets)).toEqual([{ root: DEFAULT, migrationsDir: DEFAULT_MIGRATIONS, migrations: null }]);
  });

  it("groups mixed paths of two monorepo projects into two targets", async () => {
    const targets = await resolveTargets(
      [
        "packages/a/prisma/migrations/20240215093000_add_post/migration.sql",
        "packages/b/db/migrations/20240505000000_init/migration.sql",
        "packages/a/prisma/migrations/20240101120000_init/migration.sql",
      ],
      { cwd: fixture("monorepo") },
    );
    expect(summary(targets)).toEqual([
      { root: A, migrationsDir: path.join(A, "prisma", "migrations"), migrations: ["20240101120000_init", "20240215093000_add_post"] },
      { root: B, migrationsDir: path.join(B, "db", "migrations"), migrations: ["20240505000000_init"] },
    ]);
    expect(targets[1]!.project.schemaSource).toBe("package.json");
  });

  it("resolves a multi-file schema project from a migration and from a model file", async () => {
    const root = fixture("multi-file");
    const migrations = path.join(root, "prisma", "schema", "migrations");
    const fromMigration = await resolveTargets([path.join(migrations, "20240101120000_init", "migration.sql")], { cwd: root });
    expect(summary(fromMigration)).toEqual([{ root, migrationsDir: migrations, migrations: ["20240101120000_init"] }]);
    const fromModel = await resolveTargets([path.join(root, "prisma", "schema", "models", "user.prisma")], { cwd: root });
    expect(summary(fromModel)).toEqual([{ root, migrationsDir: migrations, migrations: null }]);
  });

  it("resolves a prisma.config.ts project from its custom migrations folder", async () => {
    const root = fixture("config-ts");
    const migrations = path.join(root, "database", "sql-migrations");
    const targets = await resolveTargets([path.join(migrations, "20240301000000_init", "migration.sql")], { cwd: root });
    expect(summary(targets)).toEqual([{ root, migrationsDir: migrations, migrations: ["20240301000000_init"] }]);
    expect(targets[0]!.project.schemaSource).toBe("prisma.config");
  });

  it("builds a project from the sibling schema.prisma when no discovery reaches it", async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await writeTree(dir, {
      "services/db/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
      "services/db/migrations/migration_lock.toml": 'provider = "postgresql"\n',
      "services/db/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "A" ("id" INTEGER NOT NULL);\n',
    });
    const migrations = path.join(dir, "services", "db", "migrations");
    const targets = await resolveTargets([path.join(migrations, "20240101000000_init", "migration.sql")], { cwd: dir });
    expect(targets).toHaveLength(1);
    expect(targets[0]!.project.migrationsDir).toBe(migrations);
    expect(targets[0]!.project.schemaPath).toBe(path.join(dir, "services", "db", "schema.prisma"));
    expect(targets[0]!.project.lockProvider).toBe("postgresql");
    expect(targets[0]!.migrations).toEqual(["20240101000000_init"]);
  });

  it("keeps paths inside a --schema/--migrations project in that project", async () => {
    const root = fixture("schema-folder");
    const targets = await resolveTargets(["db/migrations/20240101120000_init/migration.sql"], { cwd: root, schema: "db" });
    expect(summary(targets)).toEqual([{ root, migrationsDir: path.join(root, "db", "migrations"), migrations: ["20240101120000_init"] }]);
    expect(targets[0]!.project.schemaSource).toBe("flag");
  });

  it("counts a stray file directly in the migrations folder as no migration", async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await writeTree(dir, {
      "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
      "prisma/migrations/notes.sql": "SELECT 1;\n",
      "prisma/migrations/20240101000000_init/migration.sql": "SELECT 1;\n",
    });
    const targets = await resolveTargets(["prisma/migrations/notes.sql"], { cwd: dir });
    expect(targets).toHaveLength(1);
    expect(targets[0]!.migrations).toEqual([]);
  });

  it("throws a usage error for a missing path", async () => {
    const err = await rejection(resolveTargets(["prisma/migrations/nope/migration.sql"], { cwd: DEFAULT }));
    expect(err.kind).toBe("usage");
    expect(err.message).toBe("No such file or directory: prisma/migrations/nope/migration.sql");
  });

  it("throws a usage error for a path outside any Prisma project", async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await writeTree(dir, { "src/index.ts": "export {};\n" });
    for (const p of ["src/index.ts", "src"]) {
      const err = await rejection(resolveTargets([p], { cwd: dir }));
      expect(err.kind).toBe("usage");
      expect(err.message).toMatch(/is not part of a Prisma project/);
    }
  });
});
