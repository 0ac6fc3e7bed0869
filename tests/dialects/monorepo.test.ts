import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runLint } from "../../src/api/lint.js";

/** A Prisma project under `root/name` with one provider and these migrations. */
function prismaProject(root: string, name: string, provider: string, migrations: string[]): void {
  const prisma = path.join(root, name, "prisma");
  fs.mkdirSync(path.join(prisma, "migrations"), { recursive: true });
  fs.writeFileSync(path.join(prisma, "schema.prisma"), `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}\n`);
  fs.writeFileSync(path.join(prisma, "migrations", "migration_lock.toml"), `provider = "${provider}"\n`);
  migrations.forEach((sql, i) => {
    const dir = path.join(prisma, "migrations", `${20240101000000 + i}_change_number_${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  });
}

describe("a monorepo with a PostgreSQL and a SQLite project", () => {
  it("lints both in one run, each with its own dialect", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "two-dialects-"));
    prismaProject(root, "api", "postgresql", ['CREATE TABLE "Order" ("id" SERIAL PRIMARY KEY, "note" TEXT);', 'CREATE INDEX "Order_note_idx" ON "Order"("note");']);
    prismaProject(root, "edge", "sqlite", [
      'CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT NOT NULL, "draft" BOOLEAN NOT NULL DEFAULT false);',
      'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_Tag" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT NOT NULL);\nINSERT INTO "new_Tag" ("id", "label") SELECT "id", "label" FROM "Tag";\nDROP TABLE "Tag";\nALTER TABLE "new_Tag" RENAME TO "Tag";\nPRAGMA foreign_keys=ON;',
    ]);
    const run = await runLint({ cwd: root, baseline: false, config: { extends: ["recommended"] } });
    const found = run.results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath).split(path.sep)[0]}: ${m.ruleId}`));
    // Postgres's CREATE INDEX without CONCURRENTLY; SQLite's rebuild that leaves "draft" out of its copy
    expect(found.sort()).toEqual(["api: require-concurrently", "edge: destructive-change"]);
    expect(run.projects.map((p) => [path.basename(p.root), p.runner.model]).sort()).toEqual([["api", "script-transaction"], ["edge", "per-statement"]]);
  });
});
