import { constantFill, ONE_STATEMENT_HELP } from "../src/engine/columns.js";
import { defineRule, quoteIdent, quoteName, type RuleContext } from "../src/engine/rule.js";
import type { TableState } from "../src/history/catalog.js";
import { isStrongLock } from "../src/dialects/postgres/locks.js";
import { castFailureNote, dataDependentCasts } from "../src/model/queries.js";

export default defineRule({
  meta: {
    id: "unbatched-backfill",
    type: "problem",
    docs: { description: "UPDATE, DELETE ... WHERE or INSERT ... SELECT on an existing table inside a migration: one long statement that holds its row locks (and on Postgres the migration's other locks) until it commits.", preset: "recommended" },
    defaultSeverity: "warn",
    // the hazard is app traffic waiting on the rows a long statement locks; SQLite has one write lock for the whole database
    requires: { capabilities: ["row-locks"] },
    messages: {
      backfill: '{{action}} on {{table}} runs inside the migration as one statement: {{holds}}{{held}}.{{casts}}',
    },
    help: {
      backfill: "Run it as a batched job after the deploy, outside the migration, each batch in its own transaction, until it changes 0 rows, in this shape (the <...> parts are yours to fill in):\n  {{batch}}\npausing between batches. Keep the migration to the schema change (and make the code tolerate rows not yet backfilled).",
    },
  },
  create(context) {
    const statements = context.migration.file.statements;
    const oneTransaction = context.project.runner.model === "script-transaction";
    return {
      "data-change"(op) {
        if (op.action === "delete" && !op.hasWhere) return; // destructive-change's
        if (op.action === "insert" && (!op.fromSelect || selectsConstants(op.node))) return; // seed rows
        const keys = keyColumns(context, context.table(op.table));
        // a few rows named by key: not a backfill (the dialect's operation says which columns its WHERE pins, or Postgres's tree does)
        if (!context.existedBefore(op.table) || (op.keyFilter ? op.keyFilter.some((c) => keys.has(c)) : pinsKeys(op.node, keys))) return;
        // an UPDATE or DELETE of a table emptied earlier in this transaction has no row to change or lock
        if (op.action !== "insert" && context.emptiedInTransaction(op.table, op.statement)) return;
        const table = quoteName(op.table);
        // DDL earlier in the same file (one transaction under the script runner, or the same BEGIN block) keeps its locks meanwhile
        const sameTx = (i: number) => oneTransaction || (context.inTransactionBlock(op.statement) && context.inTransactionBlock(statements[i]!));
        const strong = statements.flatMap((s) => (s.index >= op.statement.index || !sameTx(s.index) ? [] : s.operations.flatMap((o) => context.locks(o)))).filter((l) => isStrongLock(l.mode) && context.existedBefore(l.table));
        const tables = [...new Set(strong.map((l) => quoteName(l.table)))];
        const held = tables.length ? `; the same transaction also holds the locks this file's DDL took on ${tables.join(", ")}, blocking their traffic for as long as it runs` : "";
        const model = context.project.backfill;
        if (!model) return;
        const batch = model.batch(op.action, table, quoteIdent("id"));
        const values = op.action === "update" ? (op.node as Node)?.UpdateStmt?.targetList : (op.node as Node)?.InsertStmt?.selectStmt;
        const data = { action: op.action === "insert" ? "INSERT ... SELECT" : op.action.toUpperCase(), table, holds: model.holds, held, batch, casts: castFailureNote(dataDependentCasts(values)) };
        // the UPDATE of "add nullable, fill with a constant, SET NOT NULL": one ADD COLUMN ... NOT NULL DEFAULT does it all
        const column = op.action === "update" ? updatedColumn(op.node) : undefined;
        const fill = column !== undefined && context.project.postgresVersion >= 11 ? constantFill(context, op.table, column) : null;
        if (fill?.update === op.statement) {
          const oneStatement = { oneStatement: fill.sql, updateLine: op.statement.range.loc.start.line, column: quoteIdent(column!) };
          return context.report({ node: op, messageId: "backfill", data: { ...data, ...oneStatement }, help: ONE_STATEMENT_HELP });
        }
        context.report({ node: op, messageId: "backfill", data });
      },
    };
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;
const updatedColumn = (statement: Node): string | undefined => {
  const targets: Node[] = statement?.UpdateStmt?.targetList ?? [];
  return targets.length === 1 ? targets[0]?.ResTarget?.name : undefined;
};
/** Columns whose value names one row: "id", and the columns of single-column primary keys, unique constraints and unique indexes. */
const keyColumns = (context: RuleContext, table: TableState | undefined) => {
  const constraints = [...(table?.constraints.values() ?? [])].filter((c) => (c.kind === "primary-key" || c.kind === "unique") && c.columns.length === 1);
  const indexes = table ? [...context.catalog.indexes()].filter((i) => i.unique && i.columns.length === 1 && i.table === table.name && i.schema === table.schema) : [];
  return new Set(["id", ...constraints.flatMap((c) => c.columns), ...indexes.flatMap((i) => i.columns)]);
};
/** INSERT ... SELECT of constants (no FROM anywhere in the SELECT): seed rows, like INSERT ... VALUES. */
const selectsConstants = (statement: Node) => {
  const select = statement?.InsertStmt?.selectStmt;
  return !!select && !JSON.stringify(select).includes('"fromClause"');
};
const isConst = (n: Node): boolean => !!n?.A_Const || (!!n?.TypeCast && isConst(n.TypeCast.arg));
const keyRef = (n: Node, keys: Set<string>) => keys.has(n?.ColumnRef?.fields?.at(-1)?.String?.sval);

/** Does the WHERE clause pin the rows by key (`"id" = 'x'`, `"id" IN ('a', 'b')`, possibly AND-ed with more)? A few rows, not a backfill. */
function pinsKeys(statement: Node, keys: Set<string>): boolean {
  const where: Node = (statement?.UpdateStmt ?? statement?.DeleteStmt)?.whereClause;
  const conjuncts: Node[] = where?.BoolExpr?.boolop === "AND_EXPR" ? where.BoolExpr.args : [where];
  return conjuncts.some((c) => {
    const e = c?.A_Expr;
    if (!e || e.name?.[0]?.String?.sval !== "=" || !keyRef(e.lexpr, keys)) return false;
    return e.kind === "AEXPR_OP" ? isConst(e.rexpr) : e.kind === "AEXPR_IN" && (e.rexpr?.List?.items ?? []).every(isConst);
  });
}
