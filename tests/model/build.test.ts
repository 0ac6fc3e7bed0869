import { describe, expect, it } from "vitest";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import type { Operation } from "../../src/types.js";

async function ops(sql: string): Promise<Operation[]> {
  const file = await parseSqlFile("m.sql", sql);
  buildOperations(file);
  return file.statements.flatMap((s) => s.operations);
}

describe("operations from Prisma-generated SQL", () => {
  it("reads a CREATE TABLE with its columns, defaults and primary key", async () => {
    const [op] = await ops(`CREATE TABLE "public"."User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "token" UUID DEFAULT gen_random_uuid(),
    "score" DECIMAL(65,30),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`);
    expect(op!.kind).toBe("create-table");
    if (op!.kind !== "create-table") return;
    expect(op.table).toEqual({ schema: "public", name: "User" });
    expect(op.columns.map((c) => [c.name, c.type?.text, c.notNull])).toEqual([
      ["id", "text", true],
      ["email", "text", true],
      ["role", "Role", true],
      ["createdAt", "timestamp(3)", true],
      ["token", "uuid", false],
      ["score", "numeric(65,30)", false],
    ]);
    expect(op.columns[2]!.default).toEqual({ text: "'USER'", volatile: false });
    expect(op.columns[3]!.default?.volatile).toBe(false);
    expect(op.columns[4]!.default).toEqual({ text: "gen_random_uuid()", volatile: true });
    expect(op.constraints).toEqual([
      expect.objectContaining({ name: "User_pkey", kind: "primary-key", columns: ["id"], notValid: false }),
    ]);
  });

  it("splits a multi-clause ALTER TABLE into one operation per clause, each with its own range", async () => {
    const sql = `-- AlterTable
ALTER TABLE "User" DROP COLUMN "name",
ADD COLUMN     "fullName" TEXT NOT NULL DEFAULT '',
ALTER COLUMN "age" SET DATA TYPE BIGINT,
ALTER COLUMN "bio" SET NOT NULL,
ALTER COLUMN "x" DROP DEFAULT;`;
    const list = await ops(sql);
    expect(list.map((o) => o.kind)).toEqual(["drop-column", "add-column", "alter-column", "alter-column", "alter-column"]);
    expect(list.map((o) => [o.range.loc.start.line, o.range.loc.start.column])).toEqual([[2, 20], [3, 1], [4, 1], [5, 1], [6, 1]]);
    expect(sql.slice(list[0]!.range.start, list[0]!.range.end)).toBe('DROP COLUMN "name"');
    expect(sql.slice(list[1]!.range.start, list[1]!.range.end)).toBe(`ADD COLUMN     "fullName" TEXT NOT NULL DEFAULT ''`);
    const [, add, type, notNull, dropDefault] = list;
    expect(add).toMatchObject({ kind: "add-column", column: { name: "fullName", notNull: true, default: { text: "''" } } });
    expect(type).toMatchObject({ kind: "alter-column", column: "age", change: { kind: "set-type", type: { text: "int8" }, using: null } });
    expect(notNull).toMatchObject({ change: { kind: "set-not-null" } });
    expect(dropDefault).toMatchObject({ change: { kind: "drop-default" } });
  });

  it("reads Prisma's enum recreation (remove a value)", async () => {
    const list = await ops(`BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
COMMIT;`);
    expect(list.map((o) => o.kind)).toEqual(["transaction", "create-enum", "alter-column", "rename-type", "rename-type", "drop-type", "transaction"]);
    expect(list[2]).toMatchObject({ change: { kind: "set-type", type: { name: "Role_new" }, using: '("role"::text::"Role_new")' } });
    expect(list[5]).toMatchObject({ type: { schema: null, name: "Role_old" } });
  });

  it("keeps a USING expression whole: CASE ... END, with NULL and NOT inside, up to the next clause", async () => {
    const list = await ops(`ALTER TABLE "User"
  ALTER COLUMN "age" TYPE TEXT USING CASE WHEN "age" IS NOT NULL THEN "age"::text ELSE 'unknown' END,
  ALTER COLUMN "age" SET DEFAULT 'unknown';`);
    expect(list[0]).toMatchObject({ change: { kind: "set-type", using: `CASE WHEN "age" IS NOT NULL THEN "age"::text ELSE 'unknown' END` } });
  });

  it("reads indexes, constraints, enum values, data changes, SET and transactions", async () => {
    const list = await ops(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "User_email_key" ON "User" USING hash ("email") WHERE "deleted" = false;
DROP INDEX CONCURRENTLY "a_idx";
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";
ALTER TABLE "Post" ADD CONSTRAINT "Post_slug_key" UNIQUE USING INDEX "Post_slug_idx";
ALTER TYPE "Role" ADD VALUE 'OWNER' BEFORE 'ADMIN';
UPDATE "User" SET "role" = 'OWNER' WHERE "id" = 1;
DELETE FROM "Session";
INSERT INTO "Archive" SELECT * FROM "Post";
SET lock_timeout = '5s';
TRUNCATE "Log" CASCADE;
DROP SCHEMA "old" CASCADE;
CREATE EXTENSION IF NOT EXISTS pgcrypto;`);
    expect(list[0]).toMatchObject({ kind: "create-index", unique: true, concurrently: true, method: "hash", partial: true, ifNotExists: true, columns: ["email"] });
    expect(list[1]).toMatchObject({ kind: "drop-index", concurrently: true, index: { name: "a_idx" } });
    expect(list[2]).toMatchObject({ kind: "add-constraint", constraint: { kind: "foreign-key", notValid: true, columns: ["authorId"], references: { table: { name: "User" }, columns: ["id"], onDelete: "CASCADE" } } });
    expect(list[3]).toMatchObject({ kind: "validate-constraint", name: "Post_authorId_fkey" });
    expect(list[4]).toMatchObject({ kind: "add-constraint", constraint: { kind: "unique", usingIndex: "Post_slug_idx" } });
    expect(list[5]).toMatchObject({ kind: "add-enum-value", value: "OWNER", before: "ADMIN", after: null });
    expect(list[6]).toMatchObject({ kind: "data-change", action: "update", hasWhere: true });
    expect(list[7]).toMatchObject({ kind: "data-change", action: "delete", hasWhere: false });
    expect(list[8]).toMatchObject({ kind: "data-change", action: "insert", fromSelect: true });
    expect(list[9]).toMatchObject({ kind: "set", name: "lock_timeout", value: "5s", local: false });
    expect(list[10]).toMatchObject({ kind: "truncate", cascade: true, tables: [{ name: "Log" }] });
    expect(list[11]).toMatchObject({ kind: "drop-schema", schema: "old", cascade: true });
    expect(list[12]).toMatchObject({ kind: "other", nodeType: "CreateExtensionStmt" });
  });

  it("keeps the raw node and statement on every operation", async () => {
    const [op] = await ops('ALTER TABLE "A" RENAME COLUMN "a" TO "b";');
    expect(op).toMatchObject({ kind: "rename-column", column: "a", newName: "b" });
    expect(op!.node).toHaveProperty("RenameStmt");
    expect(op!.statement.text).toBe('ALTER TABLE "A" RENAME COLUMN "a" TO "b"');
  });
});
