/** A throwaway database on a real Postgres (MIGRATION_LINT_TEST_DATABASE_URL) with Prisma's `_prisma_migrations` table, for the tests of what counts as applied (--fix, the language server). */
import type pg from "pg";

/** Creates the database with `_prisma_migrations` listing `applied` (finished), runs `test` with its URL and a client, and drops it. */
export async function withPrismaMigrations(adminUrl: string, applied: string[], test: (url: string, db: pg.Client) => Promise<void>): Promise<void> {
  const { default: pgModule } = await import("pg");
  const admin = new pgModule.Client({ connectionString: adminUrl });
  await admin.connect();
  const name = `ml_applied_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  let db: pg.Client | undefined;
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    db = new pgModule.Client({ connectionString: url.toString() });
    db.on("error", () => undefined);
    await db.connect();
    // the table Prisma keeps
    await db.query(`CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    for (const migration of applied) await applyRow(db, migration);
    await test(url.toString(), db);
  } finally {
    await db?.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** A row as `prisma migrate deploy` leaves it for a migration it applied. */
export async function applyRow(db: pg.Client, migration: string): Promise<void> {
  await db.query(`INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count") VALUES (gen_random_uuid()::text, 'x', now(), $1, 1)`, [migration]);
}
