/**
 * A table rebuild's copy seen from the operations it carries (SQLite's `-- RedefineTables`: CREATE TABLE "new_X",
 * INSERT INTO "new_X" ... SELECT ... FROM "X", DROP TABLE "X", RENAME): an add-column or set-not-null on the INSERT
 * is a NOT NULL column the copy has to fill, and the INSERT fails on a row it cannot fill.
 */
import { quoteName, type RuleContext } from "./rule.js";
import type { OperationOf, Statement } from "../types.js";

export interface RebuildCopy {
  rebuild: OperationOf<"rebuild-table">;
  /** What a failed copy leaves behind under the project's runner, as a clause ("; ... stays behind ..."), or "" when the file rolls back as a whole. */
  leftBehind: string;
}

/** The rebuild whose copy `statement` is, or null for any other statement. */
export function rebuildCopy(context: Pick<RuleContext, "migration" | "transactionOf">, statement: Statement): RebuildCopy | null {
  const { statements } = context.migration.file;
  const rebuild = statements.flatMap((s) => s.operations).find((o): o is OperationOf<"rebuild-table"> => o.kind === "rebuild-table" && o.copyStatement === statement.index);
  if (!rebuild) return null;
  const create = statements.find((s) => s.index < statement.index && s.operations.some((o) => o.kind === "create-table" && o.table.name === rebuild.from.name));
  const copy = quoteName(rebuild.from);
  const leftBehind =
    create && context.transactionOf(create) !== context.transactionOf(statement)
      ? `; the statements before it have already run one by one, so ${copy} stays behind, and once the migration is marked rolled back (\`prisma migrate resolve --rolled-back\`) its re-run fails on CREATE TABLE ${copy} until that table is dropped by hand`
      : "";
  return { rebuild, leftBehind };
}
