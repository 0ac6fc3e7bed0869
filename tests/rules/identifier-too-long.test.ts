import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/identifier-too-long.js";

const LONG_TABLE = "dataset_item_events"; // 19 bytes
const COLS = ["project_id", "dataset_id", "item_id", "created_at"];
const TABLE = `-- CreateTable
CREATE TABLE "${LONG_TABLE}" (
    "id" TEXT NOT NULL,
    ${COLS.map((c) => `"${c}" TEXT NOT NULL,`).join("\n    ")}
    "created_at_source_system_reported_timestamp_with_extra_detail_x" TEXT,
    CONSTRAINT "${LONG_TABLE}_pkey" PRIMARY KEY ("id")
);`;
const INDEX_64 = `${LONG_TABLE}_project_id_dataset_id_item_id_created_at_idx`; // 64 bytes
const INDEX_63 = INDEX_64.slice(0, 63);

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's names stay within 63 bytes", sql: `${TABLE}\n-- CreateIndex\nCREATE INDEX "${LONG_TABLE}_project_id_dataset_id_item_id_created_a_idx" ON "${LONG_TABLE}"("project_id", "dataset_id", "item_id", "created_at");` },
    { name: "exactly 63 bytes", history: [TABLE], sql: `CREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id");` },
    { name: "a long name in a reference is not a definition", history: [TABLE], sql: `ALTER TABLE "${LONG_TABLE}" DROP COLUMN "created_at_source_system_reported_timestamp_with_extra_detail_x";` },
    { name: "re-creating an index after dropping it", history: [TABLE, `CREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id");`], sql: `DROP INDEX "${INDEX_63}";\nCREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id", "dataset_id");` },
  ],
  invalid: [
    {
      name: "a 64-byte index name",
      history: [TABLE],
      sql: `-- CreateIndex\nCREATE INDEX "${INDEX_64}" ON "${LONG_TABLE}"("project_id", "dataset_id", "item_id", "created_at");`,
      errors: [{ messageId: "tooLong", line: 2, column: 14, message: `The index name "${INDEX_64}" is 64 bytes: Postgres keeps only the first 63 and silently names it "${INDEX_63}"` }],
    },
    {
      name: "multi-byte characters count as bytes",
      sql: `CREATE TABLE "${"é".repeat(32)}" ("id" INT);`,
      errors: [{ messageId: "tooLong", line: 1, column: 14, message: `is 64 bytes: Postgres keeps only the first 63 and silently names it "${"é".repeat(31)}"` }],
    },
    {
      name: "columns, constraints, types and renames",
      history: [TABLE],
      sql: [
        `ALTER TABLE "${LONG_TABLE}" ADD COLUMN "${"a".repeat(64)}" TEXT;`,
        `ALTER TABLE "${LONG_TABLE}" ADD CONSTRAINT "${"c".repeat(70)}" CHECK ("id" <> '');`,
        `CREATE TYPE "${"T".repeat(64)}" AS ENUM ('A');`,
        `ALTER TABLE "${LONG_TABLE}" RENAME COLUMN "item_id" TO "${"i".repeat(64)}";`,
      ].join("\n"),
      errors: [
        { messageId: "tooLong", line: 1, message: "The column name" },
        { messageId: "tooLong", line: 2, message: "The constraint name" },
        { messageId: "tooLong", line: 3, message: "The type name" },
        { messageId: "tooLong", line: 4, message: "The column name" },
      ],
    },
    {
      name: "two long index names that truncate to the same 63 bytes",
      history: [TABLE],
      sql: `CREATE INDEX "${INDEX_63}_a" ON "${LONG_TABLE}"("project_id");\nCREATE INDEX "${INDEX_63}_b" ON "${LONG_TABLE}"("dataset_id");`,
      errors: [
        { messageId: "tooLong", line: 1 },
        { messageId: "collision", line: 2, message: `The index name "${INDEX_63}_b" and "${INDEX_63}_a" are the same to Postgres after truncation` },
        { messageId: "tooLong", line: 2 },
      ],
    },
    {
      name: "a long name that truncates to an index of an earlier migration, with IF NOT EXISTS",
      history: [TABLE, `CREATE INDEX "${INDEX_63}" ON "${LONG_TABLE}"("project_id");`],
      sql: `CREATE INDEX IF NOT EXISTS "${INDEX_64}" ON "${LONG_TABLE}"("project_id", "dataset_id", "item_id", "created_at");`,
      errors: [
        { messageId: "collision", line: 1, message: "(defined by an earlier migration)" },
        { messageId: "tooLong", line: 1 },
      ],
    },
    {
      name: "two long columns of one CREATE TABLE",
      sql: `CREATE TABLE "t" ("${"x".repeat(63)}_one" TEXT, "${"x".repeat(63)}_two" TEXT);`,
      errors: [{ messageId: "tooLong" }, { messageId: "collision", message: "The column name" }, { messageId: "tooLong" }],
    },
  ],
});
