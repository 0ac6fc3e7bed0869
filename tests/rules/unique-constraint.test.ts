import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/unique-constraint.js";
import { MYSQL_INIT, onMysql } from "./mysql-fixtures.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const TAGS = `CREATE TABLE "Tag" ("name" TEXT NOT NULL);`;

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's unique index on a table created in the same migration", sql: `${USERS}\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");` },
    { name: "CREATE UNIQUE INDEX CONCURRENTLY", history: [USERS], sql: `CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");` },
    { name: "ADD CONSTRAINT ... UNIQUE USING INDEX", history: [USERS, `CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");`], sql: `ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";` },
    { name: "a non-unique index is require-concurrently's", history: [USERS], sql: `CREATE INDEX "User_email_idx" ON "User"("email");` },
    { name: "a serial key column on a new table", sql: `${TAGS}\nALTER TABLE "Tag" ADD COLUMN     "id" SERIAL NOT NULL,\nADD CONSTRAINT "Tag_pkey" PRIMARY KEY ("id");` },
    {
      name: "Prisma 6/7's unique index on a table TRUNCATEd earlier in the file: an empty build under the lock TRUNCATE holds",
      history: [USERS],
      sql: `TRUNCATE TABLE "public"."User";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "public"."User"("email");`,
    },
    {
      name: "a serial key column on a table TRUNCATEd earlier in the file: no rows to number",
      history: [TAGS],
      sql: `TRUNCATE "Tag";\nALTER TABLE "Tag" ADD COLUMN     "id" SERIAL NOT NULL,\nADD CONSTRAINT "Tag_pkey" PRIMARY KEY ("id");`,
    },
  ],
  invalid: [
    {
      name: "Prisma's unique index after DELETE without WHERE: the build cannot fail on duplicates but reads the dead rows under its lock",
      history: [USERS],
      sql: `DELETE FROM "User";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");`,
      errors: [{ messageId: "index", line: 4, message: /\(reads continue\); it cannot fail on duplicates \(the DELETE on line 1 emptied the table\)/ }],
    },
    {
      name: "an INSERT after the TRUNCATE brings rows back: duplicates can fail the build again",
      history: [USERS],
      sql: `TRUNCATE "User";\nINSERT INTO "User" ("email", "uuid") VALUES ('a@example.com', 'x');\nALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");`,
      errors: [{ messageId: "constraint", line: 3, message: "the migration fails if existing rows hold duplicates." }],
    },
    {
      name: "Prisma's @unique on an existing table under its Warnings block",
      history: [USERS],
      sql: `/*
  Warnings:

  - A unique constraint covering the columns \`[email]\` on the table \`User\` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");`,
      errors: [
        {
          messageId: "index",
          line: 8,
          column: 1,
          message: 'CREATE UNIQUE INDEX "User_email_key" without CONCURRENTLY holds a SHARE lock on "User" for the whole build, which blocks writes (reads continue); the migration fails if existing rows hold duplicate values of ("email")',
        },
      ],
    },
    {
      name: "Prisma's changed @id: a new primary key constraint",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" DROP CONSTRAINT "User_pkey",\nADD CONSTRAINT "User_pkey" PRIMARY KEY ("uuid");`,
      errors: [{ messageId: "constraint", line: 3, message: 'Adds PRIMARY KEY "User_pkey" to "User" by building its index under an ACCESS EXCLUSIVE lock, which blocks reads and writes on "User"' }],
    },
    {
      name: "hand-written ADD CONSTRAINT UNIQUE",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");`,
      errors: [{ messageId: "constraint", message: "the migration fails if existing rows hold duplicates." }],
    },
    {
      name: "Prisma's new autoincrement id on an existing model",
      history: [USERS, TAGS],
      sql: `-- AlterTable
ALTER TABLE "Tag" ADD COLUMN     "id" SERIAL NOT NULL,
ADD CONSTRAINT "Tag_pkey" PRIMARY KEY ("id");`,
      errors: [{ messageId: "keyColumn", line: 3, message: 'Adds primary key column "id" to "Tag": Postgres writes a sequence value into every existing row (a full rewrite)' }],
    },
    {
      name: "an identity primary key column inline",
      history: [TAGS],
      sql: `ALTER TABLE "Tag" ADD COLUMN "id" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
      errors: [{ messageId: "keyColumn" }],
    },
    {
      name: "a unique column added inline",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "handle" TEXT UNIQUE;`,
      errors: [{ messageId: "constraint", message: 'UNIQUE constraint "User_handle_key"' }],
    },
  ],
});

// MySQL: InnoDB builds a unique index online, so only the duplicates can fail it
new RuleTester().run(rule, {
  valid: [
    { name: "MySQL: Prisma's UNIQUE INDEX inside a new table", lockProvider: "mysql", sql: MYSQL_INIT },
    onMysql({ name: "MySQL: a plain index", sql: "-- CreateIndex\nCREATE INDEX `User_name_idx` ON `User`(`name`);" }),
    onMysql({
      name: "MySQL: a unique key over columns that already have one, in another order (evolution-api's unique_remote_instance)",
      history: [MYSQL_INIT, "CREATE UNIQUE INDEX `User_name_email_key` ON `User`(`name`, `email`);"],
      sql: "ALTER TABLE User ADD CONSTRAINT unique_email_name UNIQUE (email, name);",
    }),
  ],
  invalid: [
    onMysql({
      name: "MySQL: Prisma's CREATE UNIQUE INDEX on an existing table fails on duplicates, with no Postgres lock in the message",
      sql: "-- CreateIndex\nCREATE UNIQUE INDEX `User_name_key` ON `User`(`name`);",
      errors: [{ messageId: "duplicates", line: 2, message: "Builds the unique index `User_name_key` on `User`, which already holds rows: the migration fails if existing rows hold duplicate values of (`name`)" }],
    }),
    onMysql({
      name: "MySQL: a hand-written ADD CONSTRAINT ... UNIQUE (evolution-api's)",
      sql: "ALTER TABLE User ADD CONSTRAINT unique_name_role UNIQUE (name, role);",
      errors: [{ messageId: "duplicates", line: 1, message: "(`name`, `role`)" }],
    }),
  ],
});
