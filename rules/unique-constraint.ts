import { accessExclusiveHeld } from "../src/engine/held-locks.js";
import { rowValues, uniqueBefore, updatedBefore } from "../src/engine/risk.js";
import { defineRule, formatName, quoteIdent, quoteName } from "../src/engine/rule.js";
import { blockedBy } from "../src/dialects/postgres/locks.js";
import { typeSql } from "../src/model/ast.js";
import type { Operation, QualifiedName } from "../src/types.js";

export default defineRule({
  meta: {
    id: "unique-constraint",
    type: "problem",
    docs: { description: "UNIQUE or PRIMARY KEY built on an existing table: it fails on duplicates (every database), and on Postgres under a blocking lock (ADD CONSTRAINT without USING INDEX, CREATE UNIQUE INDEX without CONCURRENTLY, a new SERIAL/identity key column).", preset: "recommended" },
    defaultSeverity: "warn",
    // Postgres: the lock of the build (table-locks); MySQL and SQLite: the duplicates only (InnoDB builds online; SQLite's
    // build holds the database write lock like any write, and a rebuild's own copy is sqlite-rebuild's)
    messages: {
      duplicates: "Builds {{what}} {{name}} on {{table}}, which already holds rows: the migration fails if existing rows hold {{duplicates}}{{committed}}.",
      constraint: 'Adds {{what}} {{name}} to {{table}} by building its index under an ACCESS EXCLUSIVE lock, which blocks reads and writes on {{table}} until the build finishes{{rows}}.',
      index: 'CREATE UNIQUE INDEX {{name}} without CONCURRENTLY holds a {{mode}} lock on {{table}} for the whole build, which blocks {{blocked}}{{reads}}{{rows}}.',
      keyColumn: 'Adds {{kind}} key column {{column}} to {{table}}: Postgres writes a sequence value into every existing row (a full rewrite) and builds the {{what}} index, all under an ACCESS EXCLUSIVE lock that blocks reads and writes on {{table}} until done.',
    },
    help: {
      duplicates: "Find and resolve the duplicates before deploying, and stop the application from writing new ones first: `SELECT {{columns}}, count(*) FROM {{table}} GROUP BY {{columns}} HAVING count(*) > 1;` must return nothing when the migration runs.",
      constraint: '{{addColumn}}Build the index first without blocking, in a migration file of its own: `CREATE UNIQUE INDEX CONCURRENTLY {{index}} ON {{table}}({{columns}});` then attach it: `ALTER TABLE {{table}} {{drop}}ADD CONSTRAINT {{name}} {{keyword}} USING INDEX {{index}};` (instant; the index is renamed to the constraint). Find duplicates before: `SELECT {{columns}}, count(*) FROM {{table}} GROUP BY {{columns}} HAVING count(*) > 1;`',
      index: 'Put `{{sql}};` in a migration file of its own (Prisma runs a file as one transaction, and CONCURRENTLY cannot run in one).{{duplicates}} If the build fails it leaves an INVALID index: DROP INDEX CONCURRENTLY it and retry.',
      keyColumn: 'Add the column without the sequence default (`ALTER TABLE {{table}} ADD COLUMN {{column}} {{type}};`), attach the sequence as the default for new rows, backfill existing rows in batches, then CREATE UNIQUE INDEX CONCURRENTLY (own migration file) and ADD CONSTRAINT ... {{keyword}} USING INDEX. Or give the model a client-generated id (@default(uuid()) / @default(cuid())).',
    },
  },
  create(context) {
    const cols = (names: string[]) => names.map(quoteIdent).join(", ");
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
      context.report({ node: op, messageId: "keyColumn", data: { kind: pk ? "primary" : "unique", what: pk ? "primary key" : "unique", keyword: pk ? "PRIMARY KEY" : "UNIQUE", column: quoteIdent(column), table: quoteName(table), type: /big|8/.test(type) ? "bigint" : "integer" } });
    const constraintData = (table: QualifiedName, name: string, columns: string[], pk: boolean, addColumn: string, rows: string) => ({
      what: pk ? "PRIMARY KEY" : "UNIQUE constraint",
      keyword: pk ? "PRIMARY KEY" : "UNIQUE",
      name: quoteIdent(name),
      index: quoteIdent(name),
      drop: "",
      addColumn,
      table: quoteName(table),
      columns: cols(columns),
      rows,
    });
    /** Reads continue during a plain index build, unless the transaction already holds ACCESS EXCLUSIVE on the table. */
    const readsNote = (op: Operation & { table: QualifiedName }) => {
      const held = accessExclusiveHeld(context, op.statement, op.table);
      return held && held.index < op.statement.index ? ` and, since line ${held.range.loc.start.line} holds ACCESS EXCLUSIVE on ${quoteName(op.table)} in this transaction, reads too` : " (reads continue)";
    };
    /** Where the database has no table-lock model (MySQL builds unique indexes online): only the duplicates can fail the build. Returns true when reported. */
    const duplicatesOnly = (op: Operation & { table: QualifiedName }, what: string, name: string | null, columns: string[], pk: boolean): boolean => {
      if (context.project.capabilities.has("table-locks")) return false;
      // a unique key the table already has over some of these columns: nothing to collide (and nothing else to report)
      if (uniqueBefore(context, op.table, columns)) return true;
      // a column this migration added NULL everywhere (NULLs never collide; NOT NULL without a default: the add failed
      // on any row already), or filled from a sequence
      if (columns.some((c) => ["null", "distinct"].includes(rowValues(context, op.statement, op.table, c)))) return true;
      if (updatedBefore(context, op.statement, op.table)) return true;
      // the runner commits what came before (MySQL's implicit commit, SQLite's statement-by-statement runner), unless it shares the transaction
      const first = context.migration.file.statements[0];
      const committed = first && first !== op.statement && context.transactionOf(first) !== context.transactionOf(op.statement) ? ", and the statements before it in the file stay committed" : "";
      context.report({ node: op, messageId: "duplicates", data: { what, name: name ? quoteIdent(name) : "", table: quoteName(op.table), columns: cols(columns), duplicates: `duplicate values of (${cols(columns)})${pk ? " or NULLs" : ""}`, committed } });
      return true;
    };
    return {
      "add-constraint"(op) {
        const c = op.constraint;
        if ((c.kind !== "unique" && c.kind !== "primary-key") || c.usingIndex || !context.existedBefore(op.table) || truncated(op)) return;
        const pk = c.kind === "primary-key";
        if (duplicatesOnly(op, pk ? "the primary key" : "the unique constraint", pk ? null : c.name, c.columns, pk)) return;
        const serial = c.columns.length === 1 ? newSerials.get(`${formatName(op.table)}.${c.columns[0]}`) : undefined;
        if (serial !== undefined) return keyColumn(op, op.table, c.columns[0]!, serial, pk);
        const name = c.name ?? `${op.table.name}_${pk ? "pkey" : `${c.columns.join("_")}_key`}`;
        // Prisma swaps a changed key in one statement (DROP CONSTRAINT "X_pkey", ADD CONSTRAINT "X_pkey"): the new index needs another name until the swap
        const swapped = op.statement.operations.some((o) => o.kind === "drop-constraint" && o.name === name);
        const data = { ...constraintData(op.table, name, c.columns, pk, "", rows(op, pk ? "duplicates or NULLs" : "duplicates")), ...(swapped ? { index: quoteIdent(`${name}_new`), drop: `DROP CONSTRAINT ${quoteIdent(name)}, ` } : {}) };
        context.report({ node: op, messageId: "constraint", data });
      },
      "create-index"(op) {
        if (!op.unique || op.concurrently || !context.existedBefore(op.table) || truncated(op)) return;
        if (duplicatesOnly(op, "the unique index", op.name, op.columns, false)) return;
        const mode = context.locks(op)[0]?.mode ?? "SHARE";
        const expressions = op.columns.includes("(expression)");
        const columns = expressions ? "the indexed expressions" : cols(op.columns);
        const duplicates = expressions ? "" : ` Check for duplicates first: \`SELECT ${columns}, count(*) FROM ${quoteName(op.table)} GROUP BY ${columns} HAVING count(*) > 1;\``;
        const sql = op.statement.text.trim().replace(/^CREATE\s+UNIQUE\s+INDEX/i, "CREATE UNIQUE INDEX CONCURRENTLY");
        context.report({ node: op, messageId: "index", data: { name: op.name ? quoteIdent(op.name) : "", table: quoteName(op.table), mode, blocked: blockedBy(mode), columns, sql, duplicates, reads: readsNote(op), rows: rows(op, `duplicate values of (${columns})`) } });
      },
      "add-column"(op) {
        const c = op.column;
        if (!context.existedBefore(op.table) || truncated(op)) return;
        const pk = c.primaryKey;
        if (c.identity && !pk && !c.unique) newSerials.set(`${formatName(op.table)}.${c.name}`, c.type?.name ?? "");
        if ((pk || c.unique) && !c.identity && duplicatesOnly(op, pk ? "the primary key on the new column" : "a unique index on the new column", null, [c.name], pk)) return;
        if (c.identity && (pk || c.unique)) keyColumn(op, op.table, c.name, c.type?.name ?? "", pk);
        else if (pk || c.unique) {
          const name = pk ? `${op.table.name}_pkey` : `${op.table.name}_${c.name}_key`;
          const addColumn = c.type ? `Add the column without the constraint first (\`ALTER TABLE ${quoteName(op.table)} ADD COLUMN ${quoteIdent(c.name)} ${typeSql(c.type)};\`). ` : "";
          context.report({ node: op, messageId: "constraint", data: constraintData(op.table, name, [c.name], pk, addColumn, rows(op, pk ? "duplicates or NULLs" : "duplicates")) });
        }
      },
    };
  },
});
