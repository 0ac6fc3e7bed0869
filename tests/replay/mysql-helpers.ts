/** MySQL projects on disk for the replay tests (tests/replay/mysql.test.ts, mysql-server.test.ts). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SCHEMA = 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n';

/** A MySQL project: migration.sql by folder name (or with its down.sql), and models for schema.prisma. */
export function project(migrations: Record<string, string | { up: string; down: string }>, models = ""): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-mysql-replay-"));
  fs.mkdirSync(path.join(dir, "prisma/migrations"), { recursive: true });
  fs.writeFileSync(path.join(dir, "prisma/schema.prisma"), SCHEMA + models);
  fs.writeFileSync(path.join(dir, "prisma/migrations/migration_lock.toml"), 'provider = "mysql"\n');
  for (const [name, sql] of Object.entries(migrations)) {
    fs.mkdirSync(path.join(dir, "prisma/migrations", name));
    fs.writeFileSync(path.join(dir, "prisma/migrations", name, "migration.sql"), typeof sql === "string" ? sql : sql.up);
    if (typeof sql !== "string") fs.writeFileSync(path.join(dir, "prisma/migrations", name, "down.sql"), sql.down);
  }
  return dir;
}

