/**
 * Opt-in (MIGRATION_LINT_CORPUS_CATALOG=1, about 2.5 minutes): every PostgreSQL
 * history of ../shared/corpus replayed on PGlite and into the catalog; at the
 * end the catalog must hold what Postgres reports (tests/history/shape.ts),
 * except what only DO blocks made, which the catalog does not follow (listed
 * below: a new difference fails the suite).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/history/catalog.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { pgliteDb } from "../../src/replay/driver.js";
import { snapshot } from "../../src/replay/introspect.js";
import { catalogShape, postgresShape, type Shape } from "../history/shape.js";
import { corpusProjects } from "./projects.js";

/** Differences the catalog cannot see: DDL inside DO $$ ... $$ blocks. */
const KNOWN: Record<string, string[]> = {
  "triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations": [
    "tables public.BulkActionGroup constraints BulkActionGroup_environmentId_fkey",
    "tables public.BulkActionGroup constraints BulkActionGroup_userId_fkey",
    "tables public.RuntimeEnvironment columns shortcode",
    "tables public.RuntimeEnvironment constraints RuntimeEnvironment_parentEnvironmentId_fkey",
    "tables public.TaskScheduleInstance constraints TaskScheduleInstance_projectId_fkey",
    "indexes public.RuntimeEnvironment_projectId_shortcode_key",
  ],
};

/** Where the two shapes differ: `tables <key> <part> <name>`, `indexes <key>`, `enums <key>`. */
function differences(a: Shape, b: Shape): string[] {
  const out: string[] = [];
  const keys = (x: object, y: object) => [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
  for (const kind of ["tables", "indexes", "enums"] as const) {
    for (const k of keys(a[kind], b[kind])) {
      const [x, y] = [a[kind][k], b[kind][k]];
      if (JSON.stringify(x) === JSON.stringify(y)) continue;
      if (kind !== "tables" || !x || !y) {
        out.push(`${kind} ${k}`);
        continue;
      }
      const [ta, tb] = [a.tables[k]!, b.tables[k]!];
      for (const part of ["columns", "constraints"] as const) for (const n of keys(ta[part], tb[part])) if (ta[part][n] !== tb[part][n]) out.push(`tables ${k} ${part} ${n}`);
    }
  }
  return out;
}

const projects = process.env.MIGRATION_LINT_CORPUS_CATALOG ? corpusProjects().filter((p) => p.provider === "postgresql") : [];

describe.skipIf(!projects.length)("the catalog at the end of each corpus history equals PGlite's schema", () => {
  for (const project of projects) {
    it(project.name, async () => {
      const { PGlite } = await import("@electric-sql/pglite");
      const { pgcrypto } = await import("@electric-sql/pglite/contrib/pgcrypto");
      const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
      const db = pgliteDb(await PGlite.create({ extensions: { pgcrypto, pg_trgm } }));
      try {
        const catalog = new Catalog();
        const folders = fs.readdirSync(project.migrations).filter((d) => fs.existsSync(path.join(project.migrations, d, "migration.sql"))).sort();
        for (const [index, folder] of folders.entries()) {
          const sql = fs.readFileSync(path.join(project.migrations, folder, "migration.sql"), "utf8");
          await db.exec(sql);
          const file = await parseSqlFile(folder, sql);
          buildOperations(file);
          for (const s of file.statements) for (const op of s.operations) catalog.apply(op, index);
        }
        expect(differences(catalogShape(catalog), postgresShape(await snapshot(db)))).toEqual(KNOWN[project.name] ?? []);
      } finally {
        await db.close();
      }
    }, 600_000);
  }
});
