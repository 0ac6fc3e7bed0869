import { defineRule, quoteName } from "../src/engine/rule.js";
import { isStrongLock } from "../src/dialects/postgres/locks.js";
import type { Operation, QualifiedName } from "../src/types.js";

export default defineRule({
  meta: {
    id: "blocking-maintenance",
    type: "problem",
    docs: { description: "VACUUM FULL, CLUSTER, explicit LOCK TABLE, blocking REINDEX / REFRESH MATERIALIZED VIEW and SET TABLESPACE / LOGGED / UNLOGGED on existing tables.", preset: "strict" },
    defaultSeverity: "warn",
    requires: { capabilities: ["maintenance-commands"] },
    messages: {
      vacuumFull: "VACUUM FULL rewrites {{what}} under an ACCESS EXCLUSIVE lock: every read and write waits until the copy is done, and it needs room for a second copy on disk.",
      cluster: "CLUSTER rewrites {{what}} in index order under an ACCESS EXCLUSIVE lock: every read and write waits until it is done.",
      lockTable: "LOCK TABLE {{what}} IN {{mode}} MODE blocks {{blocked}} on it until the migration's transaction ends, including everything the migration does after it.",
      reindex: "REINDEX without CONCURRENTLY rebuilds {{what}} while blocking writes (and reads that use the index) until it is done.",
      refresh: 'REFRESH MATERIALIZED VIEW {{what}} without CONCURRENTLY holds an ACCESS EXCLUSIVE lock: queries on the view wait until the whole query behind it has run again.',
      rewrite: '{{action}} rewrites table {{what}} under an ACCESS EXCLUSIVE lock: every read and write waits until the copy is done.',
    },
    help: {
      vacuumFull: "Plain VACUUM (without FULL) reclaims space for reuse without blocking. To shrink a table online use pg_repack or pg_squeeze, run by hand outside the migration.",
      cluster: "Run pg_repack --order-by=<columns> by hand outside the migration; it reorders the table online.",
      lockTable: "Remove the explicit lock. If the data change needs it, keep the transaction tiny and set `SET lock_timeout = '5s';` before it.",
      reindex: "Use REINDEX ... CONCURRENTLY (Postgres 12+), as its own migration: it cannot run inside a transaction block.",
      refresh: "Add a unique index on the view and use REFRESH MATERIALIZED VIEW CONCURRENTLY, or refresh it from a scheduled job instead of a migration.",
      rewrite: "Do it by hand in a maintenance window, or build a new table and swap it in; never inside a deploy.",
    },
  },
  create(context) {
    const existing = (tables: QualifiedName[]) => tables.filter((t) => context.existedBefore(t));
    const names = (tables: QualifiedName[]) => tables.map((t) => quoteName(t)).join(", ");
    /** A materialized view created earlier in this file (the catalog does not track views). */
    const createdHere = (view: QualifiedName) =>
      context.migration.file.statements.some((s) => {
        const into = (s.node as { CreateTableAsStmt?: { into?: { rel?: { relname?: string } } } } | null)?.CreateTableAsStmt?.into?.rel;
        return into?.relname === view.name;
      });
    const tableOfAlter = (node: unknown): QualifiedName | null => {
      const rel = (node as { AlterTableStmt?: { relation?: { schemaname?: string; relname?: string } } } | null)?.AlterTableStmt?.relation;
      return rel?.relname ? { schema: rel.schemaname ?? null, name: rel.relname } : null;
    };
    const rewrite = (action: string, table: QualifiedName | null, op: Operation) => {
      if (table && context.existedBefore(table)) context.report({ node: op, messageId: "rewrite", data: { action, what: quoteName(table) } });
    };

    return {
      vacuum(op) {
        if (!op.full) return;
        if (!op.tables.length) context.report({ node: op, messageId: "vacuumFull", data: { what: "every table of the database" } });
        else if (existing(op.tables).length) context.report({ node: op, messageId: "vacuumFull", data: { what: names(existing(op.tables)) } });
      },
      cluster(op) {
        if (op.table && !context.existedBefore(op.table)) return;
        context.report({ node: op, messageId: "cluster", data: { what: op.table ? quoteName(op.table) : "every table clustered before" } });
      },
      "lock-table"(op) {
        const tables = existing(op.tables);
        if (!isStrongLock(op.mode) || !tables.length) return;
        context.report({ node: op, messageId: "lockTable", data: { what: names(tables), mode: op.mode, blocked: op.mode === "ACCESS EXCLUSIVE" ? "reads and writes" : "writes" } });
      },
      reindex(op) {
        if (op.concurrently) return;
        let what = `${op.target} ${quoteName(op.name)}`;
        if (op.target === "table" && !context.existedBefore(op.name)) return;
        if (op.target === "index") {
          const index = context.catalog.getIndex(op.name);
          if (index && (index.createdIn === context.migration.index || !context.existedBefore({ schema: index.schema, name: index.table }))) return;
          what += index ? ` of "${index.table}"` : "";
        }
        context.report({ node: op, messageId: "reindex", data: { what: op.target === "table" ? `every index of ${quoteName(op.name)}` : what } });
      },
      "refresh-materialized-view"(op) {
        if (op.concurrently || createdHere(op.view)) return;
        context.report({ node: op, messageId: "refresh", data: { what: quoteName(op.view) } });
      },
      "alter-column"(op) {
        // the operation builder reads SET TABLESPACE's tablespace name as a column
        if (op.change.kind === "other" && op.change.subtype === "AT_SetTableSpace") rewrite("SET TABLESPACE", op.table, op);
      },
      other(op) {
        if (op.nodeType === "AlterTableCmd:AT_SetLogged" || op.nodeType === "AlterTableCmd:AT_SetUnLogged") {
          rewrite(op.nodeType.endsWith("UnLogged") ? "SET UNLOGGED" : "SET LOGGED", tableOfAlter(op.statement.node), op);
        }
      },
    };
  },
});
