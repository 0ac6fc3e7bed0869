/** Questions about statements that more than one rule asks. */
import type { Operation, OperationOf, ParsedSqlFile, QualifiedName, RunnerModel, Statement } from "../types.js";
import { bodyOf, rangeVarName, strings, unwrap, walk, type Body } from "./ast.js";

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

/** A column (or, with `column: null`, whole rows) of a table. */
export interface DataPlace {
  table: QualifiedName;
  column: string | null;
}

/**
 * One flow of existing data into another place, written by the migration itself:
 * `UPDATE t SET "to" = <expression reading "from">`, `INSERT INTO t ("to") SELECT "from" FROM s`,
 * `CREATE TABLE t AS SELECT ... FROM s`. Derived values count (`"from"::"Enum"`, `lower("from")`):
 * the data is carried over, not lost.
 */
export interface DataCopy {
  statement: Statement;
  from: DataPlace;
  to: DataPlace;
}

export const sameTable = (a: QualifiedName, b: QualifiedName) => a.name === b.name && (a.schema ?? "public") === (b.schema ?? "public");

const copiesByFile = new WeakMap<ParsedSqlFile, DataCopy[]>();

/** For a dialect whose syntax trees this module does not read (not libpg-query's): the copies its builder found. */
export function setDataCopies(file: ParsedSqlFile, copies: DataCopy[]): void {
  copiesByFile.set(file, copies);
}

/** Every copy of data the file makes, in statement order (computed once per file). */
export function dataCopies(file: ParsedSqlFile): DataCopy[] {
  let copies = copiesByFile.get(file);
  if (!copies) copiesByFile.set(file, (copies = file.statements.flatMap(statementCopies)));
  return copies;
}

/** Did a statement before `before` copy the data of `from` (a column, or any of the table's data when `column` is omitted)? */
export function copiedBefore(file: ParsedSqlFile, before: Statement, table: QualifiedName, column?: string): DataCopy | undefined {
  return dataCopies(file).find(
    (c) => c.statement.index < before.index && sameTable(c.from.table, table) && (column === undefined || c.from.column === column || c.from.column === null),
  );
}

function statementCopies(statement: Statement): DataCopy[] {
  const [type, body] = unwrap(statement.node);
  if (!body) return [];
  const aliases = tableAliases(body);
  const reads = (expr: unknown, fallback: QualifiedName | undefined): DataPlace[] => {
    const out: DataPlace[] = [];
    walk({ expr }, (t, b) => {
      if (t !== "ColumnRef") return;
      const fields = (b.fields as unknown[]) ?? [];
      const star = fields.some((f) => !!bodyOf(f, "A_Star"));
      const names = strings(fields);
      const qualifier = star ? names.at(-1) : names.at(-2);
      const table = qualifier !== undefined ? aliases.get(qualifier) : fallback;
      if (table) out.push({ table, column: star ? null : names.at(-1) ?? null });
    });
    return out;
  };
  const selectCopies = (select: Body | undefined, to: QualifiedName, columns: Array<string | null>): DataCopy[] => {
    if (!select) return [];
    const from = firstFromTable(select);
    if (!select.targetList) return reads(select, from).map((r) => ({ statement, from: r, to: { table: to, column: null } }));
    return (select.targetList as unknown[]).flatMap((item, i) =>
      reads(bodyOf(item, "ResTarget")?.val, from).map((r) => ({ statement, from: r, to: { table: to, column: r.column === null ? null : columns[i] ?? null } })),
    );
  };
  if (type === "UpdateStmt") {
    const target = rangeVarName(body.relation);
    return ((body.targetList as unknown[]) ?? []).flatMap((item) => {
      const res = bodyOf(item, "ResTarget");
      const to = { table: target, column: res?.name ?? null };
      return reads(res?.val, target)
        .filter((r) => !(sameTable(r.table, target) && r.column === to.column))
        .map((r) => ({ statement, from: r, to }));
    });
  }
  if (type === "InsertStmt") {
    const columns = ((body.cols as unknown[]) ?? []).map((c) => bodyOf(c, "ResTarget")?.name ?? null);
    return selectCopies(bodyOf(body.selectStmt, "SelectStmt"), rangeVarName(body.relation), columns);
  }
  if (type === "CreateTableAsStmt") return selectCopies(bodyOf(body.query, "SelectStmt"), rangeVarName(body.into?.rel), []);
  return [];
}

/** Every table the statement names, by alias and by name. */
function tableAliases(body: Body): Map<string, QualifiedName> {
  const aliases = new Map<string, QualifiedName>();
  walk(body, (type, b) => {
    if (type !== "RangeVar") return;
    const name = rangeVarName(b);
    aliases.set(name.name, name);
    if (b.alias?.aliasname) aliases.set(b.alias.aliasname, name);
  });
  // the target of UPDATE / INSERT is a bare RangeVar body under `relation`, which walk() does not name
  if (body.relation) {
    const name = rangeVarName(body.relation);
    aliases.set(name.name, name);
    if (body.relation.alias?.aliasname) aliases.set(body.relation.alias.aliasname, name);
  }
  return aliases;
}

function firstFromTable(select: Body): QualifiedName | undefined {
  let found: QualifiedName | undefined;
  walk({ from: select.fromClause }, (type, b) => {
    if (type === "RangeVar" && !found) found = rangeVarName(b);
  });
  return found;
}

/**
 * A column swap written by hand: ADD COLUMN "tmp", copy "col" into it (UPDATE ... SET "tmp" = "col"::newtype),
 * DROP COLUMN "col", RENAME COLUMN "tmp" TO "col". The column keeps its name and its data and changes type.
 */
export interface ColumnSwap {
  table: QualifiedName;
  column: string;
  added: OperationOf<"add-column">;
  copy: DataCopy;
  drop: OperationOf<"drop-column">;
  rename: OperationOf<"rename-column">;
}

export function columnSwaps(file: ParsedSqlFile): ColumnSwap[] {
  const ops = file.statements.flatMap((s) => s.operations);
  const swaps: ColumnSwap[] = [];
  for (const rename of ops) {
    if (rename.kind !== "rename-column") continue;
    const before = (op: Operation) => op.statement.index <= rename.statement.index;
    const drop = ops.find((op): op is OperationOf<"drop-column"> => op.kind === "drop-column" && before(op) && sameTable(op.table, rename.table) && op.column === rename.newName);
    const added = ops.find((op): op is OperationOf<"add-column"> => op.kind === "add-column" && before(op) && sameTable(op.table, rename.table) && op.column.name === rename.column);
    const copy = drop && dataCopies(file).find((c) => c.statement.index < drop.statement.index && sameTable(c.from.table, rename.table) && c.from.column === rename.newName && sameTable(c.to.table, rename.table) && c.to.column === rename.column);
    if (drop && added && copy) swaps.push({ table: rename.table, column: rename.newName, added, copy, drop, rename });
  }
  return swaps;
}

/**
 * The copy that moved a dropped column's data into another column of the same table earlier in the file
 * (`UPDATE t SET "new" = "old"` before `DROP COLUMN "old"`): the data is kept, only the old name goes.
 * Not a move when the file adds a column of that name again.
 */
export function movedBefore(file: ParsedSqlFile, drop: OperationOf<"drop-column">): DataCopy | undefined {
  // a column re-added empty under its old name is no move: its own values are gone (and old releases read NULLs)
  const readded = file.statements.some((s) => s.index > drop.statement.index && s.operations.some((op) => op.kind === "add-column" && sameTable(op.table, drop.table) && op.column.name === drop.column));
  if (readded) return undefined;
  return dataCopies(file).find(
    (c) => c.statement.index < drop.statement.index && sameTable(c.from.table, drop.table) && c.from.column === drop.column && sameTable(c.to.table, drop.table) && c.to.column !== null && c.to.column !== drop.column,
  );
}

/** Types whose input function rejects malformed text: a cast to one of them can fail on a row's value. Text-like targets cannot. */
const LENIENT_TARGETS = new Set(["text", "varchar", "bpchar", "char", "character", "name", "citext", "unknown"]);

/**
 * The target types of the casts in an expression that convert row values (a column, not a constant) into a type
 * that checks them: `"due"::timestamp`, `"role"::text::"Role"`, `CAST("n" AS int)`. Such a cast fails the whole
 * statement on the first row whose value does not convert.
 */
export function dataDependentCasts(expression: unknown): string[] {
  const found = new Set<string>();
  walk(expression, (type, body) => {
    if (type !== "TypeCast") return;
    const names = strings((body.typeName as { names?: unknown[] } | undefined)?.names).filter((n) => n !== "pg_catalog");
    const target = names.at(-1);
    if (!target || LENIENT_TARGETS.has(target.toLowerCase())) return;
    let readsRows = false;
    walk(body.arg, (inner) => {
      if (inner === "ColumnRef") readsRows = true;
    });
    if (readsRows) found.add(names.map((n) => (/^[a-z_][a-z0-9_]*$/.test(n) ? n : `"${n}"`)).join("."));
  });
  return [...found];
}

/** The USING expression of an ALTER COLUMN ... TYPE clause for `column` in the statement's syntax tree. */
export function usingExpression(statement: Statement, column: string): unknown {
  const cmds = ((statement.node as { AlterTableStmt?: { cmds?: unknown[] } } | null)?.AlterTableStmt?.cmds ?? []) as Array<{ AlterTableCmd?: { subtype?: string; name?: string; def?: { ColumnDef?: { raw_default?: unknown } } } }>;
  return cmds.find((c) => c.AlterTableCmd?.subtype === "AT_AlterColumnType" && c.AlterTableCmd.name === column)?.AlterTableCmd?.def?.ColumnDef?.raw_default;
}

/** A sentence for a finding whose statement converts row values with such casts, or "". */
export function castFailureNote(types: string[]): string {
  if (!types.length) return "";
  return ` The cast to ${types.join(", ")} converts every row's value: the first value that does not convert (a malformed date or number, a label the enum lacks) fails the statement, and the migration with it.`;
}
