import { defineRule, formatName } from "../src/engine/rule.js";
import { blockedBy } from "../src/model/locks.js";
import type { Operation, QualifiedName } from "../src/types.js";

export default defineRule({
  meta: {
    id: "unique-constraint",
    type: "problem",
    docs: { description: "UNIQUE or PRIMARY KEY built on an existing table under a blocking lock: ADD CONSTRAINT without USING INDEX, CREATE UNIQUE INDEX without CONCURRENTLY, a new SERIAL/identity key column.", preset: "recommended" },
    defaultSeverity: "warn",
    messages: {
      constraint: 'Adds {{what}} "{{name}}" to "{{table}}" by building its index under an ACCESS EXCLUSIVE lock, which blocks reads and writes on "{{table}}" until the build finishes{{rows}}.',
      index: 'CREATE UNIQUE INDEX "{{name}}" without CONCURRENTLY holds a {{mode}} lock on "{{table}}" for the whole build, which blocks {{blocked}} (reads continue){{rows}}.',
      keyColumn: 'Adds {{kind}} key column "{{column}}" to "{{table}}": Postgres writes a sequence value into every existing row (a full rewrite) and builds the {{what}} index, all under an ACCESS EXCLUSIVE lock that blocks reads and writes on "{{table}}" until done.',
    },
    help: {
      constraint: 'Build the index first without blocking, in a migration file of its own: CREATE UNIQUE INDEX CONCURRENTLY "{{name}}" ON "{{table}}"({{columns}}); then attach it: ALTER TABLE "{{table}}" ADD CONSTRAINT "{{name}}" {{keyword}} USING INDEX "{{name}}"; (instant). Find duplicates before: SELECT {{columns}}, count(*) FROM "{{table}}" GROUP BY {{columns}} HAVING count(*) > 1;',
      index: 'Put CREATE UNIQUE INDEX CONCURRENTLY "{{name}}" ON "{{table}}"({{columns}}); in a migration file of its own (Prisma runs a file as one transaction, and CONCURRENTLY cannot run in one). Check for duplicates first: SELECT {{columns}}, count(*) FROM "{{table}}" GROUP BY {{columns}} HAVING count(*) > 1;. If the build fails it leaves an INVALID index: DROP INDEX CONCURRENTLY it and retry.',
      keyColumn: 'Add the column without the sequence default (ALTER TABLE "{{table}}" ADD COLUMN "{{column}}" {{type}};), attach the sequence as the default for new rows, backfill existing rows in batches, then CREATE UNIQUE INDEX CONCURRENTLY (own migration file) and ADD CONSTRAINT ... {{keyword}} USING INDEX. Or give the model a client-generated id (@default(uuid()) / @default(cuid())).',
    },
  },
  create(context) {
    const cols = (names: string[]) => names.map((c) => `"${c}"`).join(", ");
    /** A table TRUNCATEd in this transaction: an empty build, under the ACCESS EXCLUSIVE lock TRUNCATE holds already. */
    const truncated = (op: Operation & { table: QualifiedName }) => !!context.emptiedInTransaction(op.table, op.statement)?.truncated;
    /** What existing rows can do to the build: make it fail on duplicates, or (emptied by DELETE) only slow it down. */
    const rows = (op: Operation & { table: QualifiedName }, duplicates: string) => {
      const emptied = context.emptiedInTransaction(op.table, op.statement);
      return emptied
        ? `; it cannot fail on duplicates (the DELETE on line ${emptied.line} emptied the table), but the build still reads every deleted row, which stays on disk until VACUUM`
        : `; the migration fails if existing rows hold ${duplicates}`;
    };
    /** Serial/identity columns added to existing tables in this migration: Prisma makes them the key with a separate ADD CONSTRAINT. */
    const newSerials = new Map<string, string>();
    const keyColumn = (op: Operation, table: QualifiedName, column: string, type: string, pk: boolean) =>
      context.report({ node: op, messageId: "keyColumn", data: { kind: pk ? "primary" : "unique", what: pk ? "primary key" : "unique", keyword: pk ? "PRIMARY KEY" : "UNIQUE", column, table: formatName(table), type: /big|8/.test(type) ? "bigint" : "integer" } });
    return {
      "add-constraint"(op) {
        const c = op.constraint;
        if ((c.kind !== "unique" && c.kind !== "primary-key") || c.usingIndex || !context.existedBefore(op.table) || truncated(op)) return;
        const pk = c.kind === "primary-key";
        const serial = c.columns.length === 1 ? newSerials.get(`${formatName(op.table)}.${c.columns[0]}`) : undefined;
        if (serial !== undefined) return keyColumn(op, op.table, c.columns[0]!, serial, pk);
        const name = c.name ?? `${op.table.name}_${pk ? "pkey" : `${c.columns.join("_")}_key`}`;
        const data = { what: pk ? "PRIMARY KEY" : "UNIQUE constraint", keyword: pk ? "PRIMARY KEY" : "UNIQUE", name, table: formatName(op.table), columns: cols(c.columns), rows: rows(op, pk ? "duplicates or NULLs" : "duplicates") };
        context.report({ node: op, messageId: "constraint", data });
      },
      "create-index"(op) {
        if (!op.unique || op.concurrently || !context.existedBefore(op.table) || truncated(op)) return;
        const mode = context.locks(op)[0]?.mode ?? "SHARE";
        const columns = op.columns.includes("(expression)") ? "the indexed expressions" : cols(op.columns);
        context.report({ node: op, messageId: "index", data: { name: op.name ?? "", table: formatName(op.table), mode, blocked: blockedBy(mode), columns, rows: rows(op, `duplicate values of (${columns})`) } });
      },
      "add-column"(op) {
        const c = op.column;
        if (!context.existedBefore(op.table) || truncated(op)) return;
        const pk = c.primaryKey;
        if (c.identity && !pk && !c.unique) newSerials.set(`${formatName(op.table)}.${c.name}`, c.type?.name ?? "");
        if (c.identity && (pk || c.unique)) keyColumn(op, op.table, c.name, c.type?.name ?? "", pk);
        else if (pk || c.unique) {
          const name = pk ? `${op.table.name}_pkey` : `${op.table.name}_${c.name}_key`;
          context.report({ node: op, messageId: "constraint", data: { what: pk ? "PRIMARY KEY" : "UNIQUE constraint", keyword: pk ? "PRIMARY KEY" : "UNIQUE", name, table: formatName(op.table), columns: cols([c.name]), rows: rows(op, pk ? "duplicates or NULLs" : "duplicates") } });
        }
      },
    };
  },
});
