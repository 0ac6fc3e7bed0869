import { accessExclusiveHeld } from "../src/engine/held-locks.js";
import { defineRule, laterMigration, migrationFile, quoteIdent, quoteName, removeStatement, type SuggestionDescriptor } from "../src/engine/rule.js";
import type { Operation, QualifiedName } from "../src/types.js";

const OWN_FILE = " in a migration file of its own, with nothing else in it (Prisma runs a migration file as one transaction, and CONCURRENTLY cannot run inside one).";

export default defineRule({
  meta: {
    id: "require-concurrently",
    type: "problem",
    docs: { description: "CREATE INDEX, DROP INDEX, REINDEX, REFRESH MATERIALIZED VIEW and DETACH PARTITION without CONCURRENTLY on existing tables.", preset: "recommended" },
    defaultSeverity: "warn",
    requires: { capabilities: ["concurrent-index"] },
    hasSuggestions: true,
    messages: {
      moveIndex: "Move it to a new migration {{folder}} that runs right after this one, as {{sql}} alone in its file",
      createIndex: 'CREATE INDEX {{name}} without CONCURRENTLY holds a SHARE lock on {{table}} for the whole index build, which blocks writes (INSERT, UPDATE, DELETE) until it finishes; reads continue.',
      createIndexHeld: 'CREATE INDEX {{name}} builds while this transaction holds the ACCESS EXCLUSIVE lock that line {{line}} took on {{table}}: reads and writes on {{table}} wait for the whole index build, not only for the brief change on line {{line}}.',
      dropIndex: 'DROP INDEX {{name}} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on {{table}}: it waits for every running query on the table, and all reads and writes queued behind it wait too.',
      reindex: 'REINDEX {{target}} {{name}} without CONCURRENTLY rebuilds under a SHARE lock on {{table}}, which blocks writes, and an ACCESS EXCLUSIVE lock on the indexes, which blocks the reads that use them, until it finishes.',
      refresh: 'REFRESH MATERIALIZED VIEW {{name}} without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on the view while its query re-runs: every read of {{name}} is blocked until it finishes.',
      detach: 'DETACH PARTITION {{partition}} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on {{table}}: it waits for every running query on the partitioned table, and all reads and writes on every partition wait behind it.',
    },
    help: {
      createIndex: `Build it without blocking writes: \`{{sql}};\`${OWN_FILE} Keep Prisma's index name so schema.prisma (@@index) still matches. If the build fails it leaves an INVALID index: DROP INDEX CONCURRENTLY it and retry.`,
      createIndexHeld: `Build it after this migration, in a migration file of its own, as \`{{sql}};\` (Prisma runs a file as one transaction, and CONCURRENTLY cannot run in one): then line {{line}} holds its lock only briefly, and the build blocks no reads or writes.`,
      dropIndex: `Use \`{{sql}};\`${OWN_FILE} When the index was removed from schema.prisma (@@index, @unique), edit the generated migration.sql that way.`,
      reindex: `Use \`{{sql}};\` (Postgres 12+)${OWN_FILE} Before 12: CREATE INDEX CONCURRENTLY a copy, then DROP INDEX CONCURRENTLY the old one and rename the copy.`,
      refresh: `Give the view a UNIQUE index (on plain columns, without WHERE), then refresh it with REFRESH MATERIALIZED VIEW CONCURRENTLY, which lets reads continue.`,
      detach: `Use \`{{sql}};\` (Postgres 14+, not for a default partition)${OWN_FILE} Before 14 there is no online form: run it in a quiet window with SET lock_timeout.`,
    },
  },
  create(context) {
    const index = context.migration.index;
    const createdViews = new Set(
      context.migration.file.statements.flatMap((s) => {
        const body = (s.node as { CreateTableAsStmt?: { objtype?: string; into?: { rel?: { relname?: string } } } } | null)?.CreateTableAsStmt;
        return body?.objtype === "OBJECT_MATVIEW" && body.into?.rel?.relname ? [body.into.rel.relname] : [];
      }),
    );
    const sql = (op: Operation, pattern: RegExp, replacement: string) => op.statement.text.trim().replace(pattern, replacement);
    /** The statement out of this file, CONCURRENTLY alone in a new folder that sorts right after this one (a statement of one operation only). */
    const moved = (op: Operation, concurrent: string, marker: "CreateIndex" | "DropIndex", what: string): { suggest?: SuggestionDescriptor[] } => {
      const later = op.statement.operations.length === 1 ? laterMigration(context, what) : null;
      if (!later) return {};
      const file = context.migration.file;
      return { suggest: [{ messageId: "moveIndex", data: { folder: later.name, sql: marker === "CreateIndex" ? "CREATE INDEX CONCURRENTLY" : "DROP INDEX CONCURRENTLY" }, fix: () => removeStatement(file, op.statement), files: [{ filePath: later.filePath, text: migrationFile(file, marker, concurrent) }] }] };
    };
    /** The table an index belongs to: null when the index was created in this migration (or on a new table), undefined when unknown. */
    const indexTable = (ref: QualifiedName): QualifiedName | null | undefined => {
      const state = context.catalog.getIndex(ref);
      if (!state) return undefined;
      const table = { schema: ref.schema, name: state.table }; // an index lives in its table's schema
      return state.createdIn === index || !context.existedBefore(table) ? null : table;
    };
    return {
      "create-index"(op) {
        if (op.concurrently || op.unique || !context.existedBefore(op.table)) return; // unique indexes: unique-constraint
        // TRUNCATEd in this transaction: an empty build, under the ACCESS EXCLUSIVE lock TRUNCATE holds until the commit
        if (context.emptiedInTransaction(op.table, op.statement)?.truncated) return;
        // an earlier statement of the transaction holds ACCESS EXCLUSIVE: the build runs under it, and reads do not continue
        const held = accessExclusiveHeld(context, op.statement, op.table);
        const line = held && held.index < op.statement.index ? held.range.loc.start.line : 0;
        const concurrent = sql(op, /^CREATE\s+INDEX/i, "CREATE INDEX CONCURRENTLY");
        context.report({ node: op, messageId: line ? "createIndexHeld" : "createIndex", data: { line, name: op.name ? quoteIdent(op.name) : "", table: quoteName(op.table), sql: concurrent }, ...(op.name ? moved(op, concurrent, "CreateIndex", `create_${op.name}`) : {}) });
      },
      "drop-index"(op) {
        if (op.concurrently) return;
        const table = indexTable(op.index);
        if (table === null || (table === undefined && op.ifExists)) return;
        if (table && accessExclusiveHeld(context, op.statement, table)) return; // the transaction holds ACCESS EXCLUSIVE on the table anyway: CONCURRENTLY would not lift it
        const data = { name: quoteName(op.index), table: table ? quoteName(table) : "its table", sql: sql(op, /^DROP\s+INDEX/i, "DROP INDEX CONCURRENTLY") };
        context.report({ node: op, messageId: "dropIndex", data, ...moved(op, data.sql, "DropIndex", `drop_${op.index.name}`) });
      },
      reindex(op) {
        if (op.concurrently || op.target === "system") return;
        const table = op.target === "index" ? indexTable(op.name) : op.target === "table" ? op.name : undefined;
        if (table === null || (op.target === "table" && !context.existedBefore(op.name))) return;
        const on = table ? quoteName(table) : op.target === "index" ? "its table" : `every table of ${op.target} "${op.name.name}"`;
        context.report({ node: op, messageId: "reindex", data: { target: op.target.toUpperCase(), name: quoteName(op.name), table: on, sql: `REINDEX ${op.target.toUpperCase()} CONCURRENTLY ${op.target === "index" || op.target === "table" ? quoteName(op.name) : quoteIdent(op.name.name)}` } });
      },
      "refresh-materialized-view"(op) {
        if (op.concurrently || createdViews.has(op.view.name)) return;
        context.report({ node: op, messageId: "refresh", data: { name: quoteName(op.view), sql: sql(op, /^REFRESH\s+MATERIALIZED\s+VIEW/i, "REFRESH MATERIALIZED VIEW CONCURRENTLY") } });
      },
      "detach-partition"(op) {
        if (op.concurrently || !context.existedBefore(op.table)) return;
        const data = { table: quoteName(op.table), partition: quoteName(op.partition), sql: `${op.statement.text.trim()} CONCURRENTLY` };
        context.report({ node: op, messageId: "detach", data });
      },
    };
  },
});
