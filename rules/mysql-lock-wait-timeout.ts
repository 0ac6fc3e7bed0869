import { appendStatement, defineRule, prependStatement, quoteName } from "../src/engine/rule.js";
import type { Operation, QualifiedName } from "../src/types.js";

/** The existing tables whose metadata an operation locks exclusively (every ALTER, index, rename and drop; a foreign key also its parent). */
function lockedTables(op: Operation, indexTable: (index: QualifiedName) => QualifiedName | null): QualifiedName[] {
  switch (op.kind) {
    case "add-constraint":
      return op.constraint.references ? [op.table, op.constraint.references.table] : [op.table];
    case "add-column":
    case "drop-column":
    case "rename-column":
    case "alter-column":
    case "create-index":
    case "drop-constraint":
    case "rename-table":
    case "drop-table":
      return [op.table];
    case "truncate":
      return op.tables;
    case "drop-index":
    case "rename-index": {
      const table = indexTable(op.index);
      return table ? [table] : [];
    }
    default:
      return [];
  }
}

const LOCKING = ["add-constraint", "add-column", "drop-column", "rename-column", "alter-column", "create-index", "drop-constraint", "rename-table", "drop-table", "truncate", "drop-index", "rename-index"] as const;

export default defineRule({
  meta: {
    id: "mysql-lock-wait-timeout",
    type: "problem",
    docs: { description: "DDL on an existing MySQL table with no `SET lock_wait_timeout` before it: waiting for its metadata lock, it queues every query on the table behind it for up to a year.", preset: "strict" },
    defaultSeverity: "warn",
    dialects: ["mysql"],
    fixable: "code",
    messages: {
      missing:
        "This statement needs an exclusive metadata lock on {{table}}, with no lock_wait_timeout set before it ({{count}} in this migration, this is the first). If an open transaction or a long query holds {{table}}, the statement waits for up to lock_wait_timeout (31536000 seconds, a year, by default on MySQL; a day on MariaDB), and every query on {{table}} queues behind it for as long as it waits.",
    },
    help: {
      missing: "Put `SET lock_wait_timeout = 5;` at the top of migration.sql (Prisma runs the file on one connection, so it holds for every statement after it) and retry the deploy when it times out.",
    },
  },
  create(context) {
    let guarded = false;
    // a file that sets lock_wait_timeout anywhere (a 0, or DEFAULT first) is left to a person: the fix would stack headers
    let setsIt = false;
    const unguarded: Array<{ op: Operation; table: QualifiedName }> = [];
    const indexTable = (index: QualifiedName): QualifiedName | null => {
      const found = context.catalog.getIndex(index);
      return found ? { schema: index.schema, name: found.table } : null;
    };
    /** Visited per operation, after the catalog has taken the statement's earlier operations (a table created just before is new). */
    const visit = (op: Operation) => {
      if (!guarded) for (const table of lockedTables(op, indexTable)) if (context.existedBefore(table)) unguarded.push({ op, table });
    };
    return {
      Statement(statement) {
        for (const op of statement.operations) {
          if (op.kind !== "set" || op.name !== "lock_wait_timeout") continue;
          guarded = op.value !== null && !/^\s*(default|31536000)\s*$/i.test(op.value);
          setsIt = true;
        }
      },
      ...Object.fromEntries(LOCKING.map((kind) => [kind, visit])),
      "Migration:exit"() {
        const first = unguarded[0];
        if (!first) return;
        const count = new Set(unguarded.map((u) => u.op.statement.index)).size;
        const file = context.migration.file;
        context.report({
          node: first.op,
          messageId: "missing",
          data: { table: quoteName(first.table), count: `${count} unguarded ${count === 1 ? "statement" : "statements"}` },
          // the session's setting outlives the file on Prisma's connection: set back to the server's value at the end
          ...(setsIt ? {} : { fix: () => [prependStatement(file, "SET lock_wait_timeout = 5;"), appendStatement(file, "SET lock_wait_timeout = DEFAULT;")] }),
        });
      },
    };
  },
});
