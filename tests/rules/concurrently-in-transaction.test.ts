import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/concurrently-in-transaction.js";

const POSTS = `-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);`;
const CONCURRENT = `CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId")`;

new RuleTester().run(rule, {
  valid: [
    { name: "alone in its file, with comments around it", history: [POSTS], sql: `-- CreateIndex\n-- built without blocking writes\n${CONCURRENT};\n` },
    { name: "IF NOT EXISTS, alone", history: [POSTS], sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_title_idx" ON "Post"("title");` },
    { name: "a plain CREATE INDEX with others (require-concurrently's business)", history: [POSTS], sql: `ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nCREATE INDEX "Post_slug_idx" ON "Post"("slug");` },
    { name: "Prisma 7.4+ runs statements one by one: a SET before it is fine", history: [POSTS], prismaVersion: "7.4.0", sql: `SET lock_timeout = '5s';\n${CONCURRENT};` },
    { name: "Prisma 7.4+: a data change beside it is not reported", history: [POSTS], prismaVersion: "7.5.1", sql: `UPDATE "Post" SET "title" = trim("title") WHERE "title" <> trim("title");\n${CONCURRENT};` },
  ],
  invalid: [
    {
      name: "Prisma's generated index edited to CONCURRENTLY, beside the rest of the migration",
      history: [POSTS],
      sql: `-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "slug" TEXT;

-- CreateIndex
CREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");`,
      errors: [
        {
          messageId: "sharedFile",
          line: 5,
          column: 1,
          message: 'CREATE INDEX CONCURRENTLY shares its migration file with 1 other statement(s): Postgres runs a multi-statement script as one implicit transaction and rejects it with "CREATE INDEX CONCURRENTLY cannot run inside a transaction block"',
        },
      ],
    },
    {
      name: "even a SET lock_timeout before it makes it fail (prisma/prisma#22922)",
      history: [POSTS],
      sql: `SET lock_timeout = '5s';\n${CONCURRENT};`,
      errors: [{ messageId: "sharedFile", line: 2 }],
    },
    {
      name: "inside BEGIN ... COMMIT, on any runner",
      history: [POSTS],
      prismaVersion: "7.4.0",
      sql: `BEGIN;\n${CONCURRENT};\nCOMMIT;`,
      errors: [{ messageId: "inBlock", line: 2, message: "CREATE INDEX CONCURRENTLY inside BEGIN ... COMMIT" }],
    },
    {
      name: "two CONCURRENTLY statements in one file: each fails",
      history: [POSTS, `CREATE INDEX "Post_title_idx" ON "Post"("title");`],
      sql: `DROP INDEX CONCURRENTLY "Post_title_idx";\n${CONCURRENT};`,
      errors: [
        { messageId: "sharedFile", line: 1, message: "DROP INDEX CONCURRENTLY shares" },
        { messageId: "sharedFile", line: 2, message: "CREATE INDEX CONCURRENTLY shares" },
      ],
    },
    {
      name: "Prisma 7.4+: works, but the file is not atomic",
      history: [POSTS],
      prismaVersion: "7.4.0",
      sql: `-- AlterTable\nALTER TABLE "Post" ADD COLUMN     "slug" TEXT;\n\n-- CreateIndex\nCREATE INDEX CONCURRENTLY "Post_slug_idx" ON "Post"("slug");`,
      errors: [{ messageId: "notAtomic", line: 5, message: "Prisma 7.4.0 sends them one by one, so this works, but the file is not atomic" }],
    },
    {
      name: "Prisma 7.4+ cannot split a file with DROP INDEX CONCURRENTLY",
      history: [POSTS, `CREATE INDEX "Post_title_idx" ON "Post"("title");`],
      prismaVersion: "7.4.0",
      sql: `ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nDROP INDEX CONCURRENTLY "Post_title_idx";`,
      errors: [{ messageId: "sharedFile", line: 2, message: "Prisma 7.4+ cannot split a file holding DROP INDEX CONCURRENTLY" }],
    },
    {
      name: "REINDEX CONCURRENTLY and DETACH CONCURRENTLY refuse a transaction too",
      sql: `REINDEX TABLE CONCURRENTLY "Post";\nALTER TABLE "events" DETACH PARTITION "events_2023" CONCURRENTLY;`,
      errors: [
        { messageId: "sharedFile", line: 1, message: "REINDEX CONCURRENTLY" },
        { messageId: "sharedFile", line: 2, message: "DETACH CONCURRENTLY" },
      ],
    },
  ],
});
