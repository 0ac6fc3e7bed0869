import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RuleTester } from "../../src/testing/rule-tester.js";
import { lint } from "../../src/api/lint.js";
import rule from "../../rules/missing-rollback.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const DROP_NAME = `/*
  Warnings:

  - You are about to drop the column \`name\` on the \`User\` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "User" DROP COLUMN "name";`;

new RuleTester().run(rule, {
  valid: [
    { name: "a new table is not risky", history: [USERS], sql: `-- CreateTable\nCREATE TABLE "Post" ("id" SERIAL NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));` },
    { name: "a nullable column is not risky", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "age" INTEGER;` },
    { name: "a `-- Rollback:` comment", history: [USERS], sql: `-- Rollback: ALTER TABLE "User" ADD COLUMN "name" TEXT; then restore it from user_name_backup.\n${DROP_NAME}` },
    { name: "a Rollback block comment", history: [USERS], sql: `/*\n  Rollback:\n  ALTER TABLE "User" ADD COLUMN "name" TEXT;\n*/\n${DROP_NAME}` },
    { name: "an index on a table created in the same migration", sql: `${USERS}\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");` },
    { name: "the first migration", sql: USERS, options: { only: "risky" } },
  ],
  invalid: [
    { name: "Prisma's DROP COLUMN", history: [USERS], sql: DROP_NAME, errors: [{ messageId: "risky", line: 1, column: 1, message: 'This migration drops column "name" of "User"' }] },
    { name: "an index build on an existing table", history: [USERS], sql: `-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");`, errors: [{ messageId: "risky", line: 1, message: 'holds a SHARE lock on "User" for an index build' }] },
    { name: "a DELETE on an existing table", history: [USERS], sql: `DELETE FROM "User" WHERE "email" LIKE '%@example.com';`, errors: [{ messageId: "risky", message: 'deletes rows of "User"' }] },
    { name: "a comment that is not about rollback", history: [USERS], sql: `-- the name is now computed by the app\n${DROP_NAME}`, errors: [{ messageId: "risky" }] },
    { name: "only: all reports every migration", history: [USERS], options: { only: "all" }, sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "age" INTEGER;`, errors: [{ messageId: "any", line: 1 }] },
  ],
});

describe("missing-rollback on a project on disk", () => {
  let root: string;
  const migration = (name: string, files: Record<string, string>) => {
    const dir = path.join(root, "prisma", "migrations", name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  };
  const findings = async () =>
    (await lint({ cwd: root, config: { rules: { "missing-rollback": "warn" } } })).flatMap((r) => r.messages.map((m) => `${path.basename(path.dirname(r.filePath))}: ${m.ruleId}`));

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "missing-rollback-"));
    fs.mkdirSync(path.join(root, "prisma", "migrations"), { recursive: true });
    fs.writeFileSync(path.join(root, "prisma", "schema.prisma"), `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String\n}\n`);
    fs.writeFileSync(path.join(root, "prisma", "migrations", "migration_lock.toml"), `provider = "postgresql"\n`);
    migration("20240101000000_init", { "migration.sql": USERS });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("accepts a down.sql beside migration.sql", async () => {
    migration("20240201000000_drop_user_name", { "migration.sql": DROP_NAME, "down.sql": `ALTER TABLE "User" ADD COLUMN "name" TEXT;\n` });
    expect(await findings()).toEqual([]);
  });

  it("accepts a README.md that says how to roll back", async () => {
    migration("20240201000000_drop_user_name", { "migration.sql": DROP_NAME, "README.md": "# Drop User.name\n\nTo roll back: re-add the column and restore it from the nightly dump.\n" });
    expect(await findings()).toEqual([]);
  });

  it("reports a risky migration with neither, and a README that does not mention rollback", async () => {
    migration("20240201000000_drop_user_name", { "migration.sql": DROP_NAME, "README.md": "# Drop User.name\n\nUnused since 2024.\n" });
    expect(await findings()).toEqual(["20240201000000_drop_user_name: missing-rollback"]);
  });
});
