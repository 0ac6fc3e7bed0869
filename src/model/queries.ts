/** Questions about statements that more than one rule asks. */
import type { Operation, QualifiedName, RunnerModel, Statement } from "../types.js";
import { strings, walk } from "./ast.js";

/**
 * Does the statement read from `table` (and, when given, `column`, or all
 * columns with `*`)? Used to recognise a copy of data made before it is dropped.
 */
export function statementReads(statement: Statement, table: QualifiedName, column?: string): boolean {
  let readsTable = false;
  let readsColumn = column === undefined;
  walk(statement.node, (type, body) => {
    if (type === "RangeVar" && body.relname === table.name && (!table.schema || !body.schemaname || body.schemaname === table.schema)) {
      // the INSERT target is a RangeVar too; only a FROM item counts as a read, which walk() reaches under fromClause
      readsTable = true;
    } else if (type === "ColumnRef" && !readsColumn) {
      const fields = (body.fields as unknown[]) ?? [];
      if (fields.some((f) => f && typeof f === "object" && "A_Star" in f)) readsColumn = true;
      else if (strings(fields).at(-1) === column) readsColumn = true;
    }
  });
  return readsTable && readsColumn;
}

/**
 * Indexes of the statements that sit inside an explicit transaction block
 * (after BEGIN / START TRANSACTION, up to its COMMIT or ROLLBACK), the
 * transaction statements themselves excluded.
 */
export function statementsInTransactionBlock(statements: Statement[]): Set<number> {
  const inside = new Set<number>();
  let open = false;
  for (const statement of statements) {
    const tx = statement.operations.find((op) => op.kind === "transaction");
    if (tx?.kind === "transaction") {
      if (tx.action === "begin") open = true;
      else if (tx.action === "commit" || tx.action === "rollback") open = false;
      continue;
    }
    if (open) inside.add(statement.index);
  }
  return inside;
}

/**
 * The transaction each statement of a file runs in (by statement index):
 * under the script-transaction runner the whole file is one transaction
 * until a COMMIT/ROLLBACK; under per-statement each statement is its own,
 * except inside BEGIN ... COMMIT.
 */
export function transactionIds(statements: Statement[], runner: RunnerModel): number[] {
  const perStatement = runner === "per-statement";
  const ids: number[] = [];
  let id = 0;
  let open = false;
  for (const s of statements) {
    const t = s.operations.find((o) => o.kind === "transaction");
    const action = t?.kind === "transaction" ? t.action : null;
    if (action === "begin") {
      if (perStatement && !open) id++;
      open = true;
    } else if (perStatement && !open) id++;
    ids[s.index] = id;
    if (action === "commit" || action === "rollback") {
      open = false;
      id++;
    }
  }
  return ids;
}

/** The command Postgres names in its error, for operations that refuse a transaction block (CONCURRENTLY). */
export function concurrentCommand(op: Operation): string | null {
  if (op.kind === "create-index" && op.concurrently) return "CREATE INDEX CONCURRENTLY";
  if (op.kind === "drop-index" && op.concurrently) return "DROP INDEX CONCURRENTLY";
  if (op.kind === "reindex" && op.concurrently) return "REINDEX CONCURRENTLY";
  if (op.kind === "detach-partition" && op.concurrently) return "ALTER TABLE ... DETACH CONCURRENTLY";
  return null;
}

/** Operations that only set the session, frame a transaction, read or do maintenance. */
const passive = (op: Operation) => ["set", "transaction", "vacuum", "lock-table"].includes(op.kind) || (op.kind === "other" && /^Variable|^Select|^Vacuum|^Explain/.test(op.nodeType));

/** Does the statement change the schema (or, with `data`, the rows)? What stays applied when a later statement of a non-atomic file fails. */
export function changesDatabase(statement: Statement, options: { data: boolean }): boolean {
  return statement.operations.some((op) => !passive(op) && (options.data || op.kind !== "data-change"));
}

/** Does the statement succeed again when the file is re-run after it was committed (every operation guarded by IF [NOT] EXISTS)? */
export function rerunsCleanly(statement: Statement): boolean {
  return statement.operations.length > 0 && statement.operations.every((op) => ("ifExists" in op && op.ifExists) || ("ifNotExists" in op && op.ifNotExists) || passive(op));
}
