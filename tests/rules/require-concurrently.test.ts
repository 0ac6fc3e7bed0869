import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/require-concurrently.js";

const POSTS = `-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);`;
const INDEX = `-- CreateIndex\nCREATE INDEX "Post_authorId_idx" ON "Post"("authorId");`;
/** The suggestion that moves the statement into a new migration folder sorting right after the linted one (`m<n>`), CONCURRENTLY alone in its file. */
const moveTo = (migration: string, what: string, verb: "CREATE" | "DROP", output: string, file: string) => ({
  messageId: "moveIndex",
  desc: `Move it to a new migration ${migration}_1_${what} that runs right after this one, as ${verb} INDEX CONCURRENTLY alone in its file`,
  output,
  files: [{ filePath: `${migration}_1_${what}/migration.sql`, text: file }],
});

new RuleTester().run(rule, {
  valid: [
    { name: "DROP INDEX after an ALTER TABLE of its table in the same file: the transaction holds ACCESS EXCLUSIVE anyway", history: [POSTS, INDEX], sql: `ALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nDROP INDEX "Post_authorId_idx";` },
    { name: "DROP INDEX of a table the migration then drops", history: [POSTS, INDEX], sql: `DROP INDEX "Post_authorId_idx";\nDROP TABLE "Post";` },
    { name: "REINDEX (CONCURRENTLY) is the concurrent form", history: [POSTS, INDEX], sql: `REINDEX (CONCURRENTLY) INDEX "Post_authorId_idx";` },
    {
      name: "Prisma 6/7's index on a table TRUNCATEd earlier in the file: an empty build under the lock TRUNCATE holds",
      history: [POSTS],
      sql: `TRUNCATE TABLE "public"."Post";\n\n-- CreateIndex\nCREATE INDEX "Post_authorId_idx" ON "public"."Post"("authorId");`,
    },
    { name: "Prisma's index on a table created in the same migration", sql: `${POSTS}\n\n${INDEX}` },
    { name: "CREATE INDEX CONCURRENTLY, alone in its file", history: [POSTS], sql: `CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");` },
    { name: "DROP INDEX CONCURRENTLY", history: [POSTS, INDEX], sql: `DROP INDEX CONCURRENTLY "Post_authorId_idx";` },
    { name: "dropping an index created in the same migration", history: [POSTS], sql: `CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");\nDROP INDEX "Post_authorId_idx";` },
    { name: "DROP INDEX IF EXISTS of an index the history never created", history: [POSTS], sql: `DROP INDEX IF EXISTS "legacy_idx";` },
    { name: "a unique index is unique-constraint's", history: [POSTS], sql: `CREATE UNIQUE INDEX "Post_title_key" ON "Post"("title");` },
    { name: "REINDEX ... CONCURRENTLY", history: [POSTS, INDEX], sql: `REINDEX INDEX CONCURRENTLY "Post_authorId_idx";` },
    { name: "a materialized view created in the same migration", sql: `CREATE MATERIALIZED VIEW "PostStats" AS SELECT 1 AS n WITH NO DATA;\nREFRESH MATERIALIZED VIEW "PostStats";` },
    { name: "DETACH PARTITION CONCURRENTLY", sql: `ALTER TABLE "events" DETACH PARTITION "events_2023" CONCURRENTLY;` },
  ],
  invalid: [
    {
      name: "REINDEX (CONCURRENTLY false) is the blocking form",
      history: [POSTS, INDEX],
      sql: `REINDEX (CONCURRENTLY false) INDEX "Post_authorId_idx";`,
      errors: [{ messageId: "reindex", message: 'REINDEX INDEX "Post_authorId_idx" without CONCURRENTLY' }],
    },
    {
      name: "Prisma 6/7: CREATE INDEX after the ALTER TABLE of the same migration builds under its ACCESS EXCLUSIVE lock: reads do not continue",
      history: [POSTS],
      sql: `-- AlterTable\nALTER TABLE "public"."Post" ADD COLUMN     "slug" TEXT;\n\n-- CreateIndex\nCREATE INDEX "Post_slug_idx" ON "public"."Post"("slug");`,
      errors: [
        {
          messageId: "createIndexHeld",
          line: 5,
          message: 'CREATE INDEX "Post_slug_idx" builds while this transaction holds the ACCESS EXCLUSIVE lock that line 2 took on "public"."Post": reads and writes on "public"."Post" wait for the whole index build',
          suggestions: [moveTo("20240101000001_m1", "create_post_slug_idx", "CREATE", `-- AlterTable\nALTER TABLE "public"."Post" ADD COLUMN     "slug" TEXT;\n\n`, `-- CreateIndex\nCREATE INDEX CONCURRENTLY "Post_slug_idx" ON "public"."Post"("slug");\n`)],
        },
      ],
    },
    {
      name: "after DELETE without WHERE the build still reads every dead row while it blocks writes",
      history: [POSTS],
      sql: `DELETE FROM "Post";\n${INDEX}`,
      errors: [{ messageId: "createIndex", line: 3, suggestions: [moveTo("20240101000001_m1", "create_post_authorid_idx", "CREATE", `DELETE FROM "Post";\n`, `-- CreateIndex\nCREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");\n`)] }],
    },
    {
      name: "Prisma's @@index on an existing table",
      history: [POSTS],
      sql: INDEX,
      errors: [
        {
          messageId: "createIndex",
          line: 2,
          column: 1,
          message: 'CREATE INDEX "Post_authorId_idx" without CONCURRENTLY holds a SHARE lock on "Post" for the whole index build, which blocks writes (INSERT, UPDATE, DELETE) until it finishes; reads continue.',
          suggestions: [moveTo("20240101000001_m1", "create_post_authorid_idx", "CREATE", "", `-- CreateIndex\nCREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");\n`)],
        },
      ],
    },
    {
      name: "Prisma's DROP INDEX of an index made earlier",
      history: [POSTS, INDEX],
      sql: `-- DropIndex\nDROP INDEX "Post_authorId_idx";`,
      errors: [{ messageId: "dropIndex", line: 2, message: 'DROP INDEX "Post_authorId_idx" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "Post"', suggestions: [moveTo("20240101000002_m2", "drop_post_authorid_idx", "DROP", "", `-- DropIndex\nDROP INDEX CONCURRENTLY "Post_authorId_idx";\n`)] }],
    },
    {
      name: "DROP INDEX of an index the history does not know",
      sql: `DROP INDEX "legacy_idx";`,
      errors: [{ messageId: "dropIndex", message: "lock on its table", suggestions: [moveTo("20240101000000_m0", "drop_legacy_idx", "DROP", "", `-- DropIndex\nDROP INDEX CONCURRENTLY "legacy_idx";\n`)] }],
    },
    {
      name: "hand-written multi-column index with a method and a partial predicate",
      history: [`CREATE EXTENSION IF NOT EXISTS pg_trgm;`, POSTS],
      sql: `CREATE INDEX "Post_title_trgm" ON "Post" USING gin ("title" gin_trgm_ops) WHERE "authorId" > 0;\r\n`,
      errors: [{ messageId: "createIndex", suggestions: [moveTo("20240101000002_m2", "create_post_title_trgm", "CREATE", "", `-- CreateIndex\r\nCREATE INDEX CONCURRENTLY "Post_title_trgm" ON "Post" USING gin ("title" gin_trgm_ops) WHERE "authorId" > 0;\r\n`)] }],
    },
    {
      name: "REINDEX TABLE",
      history: [POSTS],
      sql: `REINDEX TABLE "Post";`,
      errors: [{ messageId: "reindex", message: 'REINDEX TABLE "Post" without CONCURRENTLY rebuilds under a SHARE lock on "Post"' }],
    },
    {
      name: "REFRESH MATERIALIZED VIEW of an existing view",
      sql: `REFRESH MATERIALIZED VIEW "PostStats";`,
      errors: [{ messageId: "refresh", message: 'every read of "PostStats" is blocked' }],
    },
    {
      name: "DETACH PARTITION",
      sql: `ALTER TABLE "events" DETACH PARTITION "events_2023";`,
      errors: [{ messageId: "detach", message: 'ACCESS EXCLUSIVE lock on "events"' }],
    },
  ],
});
