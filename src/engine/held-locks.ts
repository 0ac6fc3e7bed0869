/**
 * Locks a statement's transaction already holds when the statement runs. A
 * finding that blames a statement for its lock ("use CONCURRENTLY", "reads
 * continue") is wrong when an earlier statement of the same transaction holds
 * ACCESS EXCLUSIVE on the table anyway, or a later one drops the table: the
 * lock is there until the commit whatever this statement does.
 */
import type { RuleContext } from "./rule.js";
import { sameTable } from "../model/queries.js";
import type { QualifiedName, Statement } from "../types.js";

/** The statement of the same transaction that holds (or will take, by dropping the table) ACCESS EXCLUSIVE on `table`, or null. */
export function accessExclusiveHeld(context: RuleContext<any>, statement: Statement, table: QualifiedName): Statement | null { // eslint-disable-line @typescript-eslint/no-explicit-any
  const tx = context.transactionOf(statement);
  return (
    context.migration.file.statements.find(
      (s) =>
        s.index !== statement.index &&
        context.transactionOf(s) === tx &&
        s.operations.some((op) =>
          s.index < statement.index
            ? context.locks(op).some((l) => l.mode === "ACCESS EXCLUSIVE" && sameTable(l.table, table))
            : op.kind === "drop-table" && sameTable(op.table, table),
        ),
    ) ?? null
  );
}
