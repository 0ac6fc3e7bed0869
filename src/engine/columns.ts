/** Every column definition of a migration (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE), for the type-choice rules. */
import { fieldPlace, quoteIdent, quoteLiteral, quoteName, SchemaPart, type RuleContext, type RuleVisitors } from "./rule.js";
import type { ColumnSpec, Operation, QualifiedName, SourceRange, Statement, TypeSpec } from "../types.js";
import { typeSql } from "../model/ast.js";
import { sameTable } from "../model/queries.js";

/** A column whose type is being chosen: in CREATE TABLE, ADD COLUMN or ALTER COLUMN TYPE. */
export interface ColumnSite {
  op: Operation;
  table: QualifiedName;
  column: string;
  type: TypeSpec;
  /** The column definition (null for ALTER COLUMN TYPE). */
  spec: ColumnSpec | null;
  /** The column is the table's primary key on its own (not part of a composite key). */
  soleKey: boolean;
  /** The column's definition in the SQL. */
  range: SourceRange;
  /**
   * Data for messages: `table`, `column`, `type`, and from schema.prisma, completed when the report is built (SchemaPart):
   * `field` (" (field User.createdAt, schema.prisma:12)" or "") and `fieldName` (the field's name, else the column's).
   */
  data: Record<string, string | SchemaPart>;
}

/** Visitors that call `check` for every column definition of the migration (shared by the type-choice rules). */
export function columnVisitors(context: RuleContext<any>, check: (site: ColumnSite) => void): RuleVisitors { // eslint-disable-line @typescript-eslint/no-explicit-any
  const visit = (op: Operation, table: QualifiedName, column: string, type: TypeSpec | null, spec: ColumnSpec | null, soleKey: boolean) => {
    if (!type) return;
    // what names schema.prisma is completed when the report is built, so no rule waits for the schema's parse; the parts
    // are made only when a report reads them (most columns are never reported)
    const data = {
      table: quoteName(table),
      /** The bare table name, for constraint names built from it (`User_email_length`). */
      tableName: table.name,
      column,
      type: type.text,
      get field() {
        return fieldPlace(context, table, column, " (field {field}, {place})");
      },
      get fieldName() {
        return fieldPlace(context, table, column, "{name}").or(new SchemaPart(() => column));
      },
    };
    check({ op, table, column, type, spec, soleKey, range: columnRange(context, op, column), data });
  };
  return {
    "create-table"(op) {
      const key = op.constraints.find((c) => c.kind === "primary-key")?.columns;
      for (const c of op.columns) visit(op, op.table, c.name, c.type, c, c.primaryKey || (key?.length === 1 && key[0] === c.name));
    },
    "add-column"(op) {
      visit(op, op.table, op.column.name, op.column.type, op.column, op.column.primaryKey);
    },
    "alter-column"(op) {
      if (op.change.kind !== "set-type") return;
      const pk = [...(context.table(op.table)?.constraints.values() ?? [])].some((c) => c.kind === "primary-key" && c.columns.length === 1 && c.columns[0] === op.column);
      visit(op, op.table, op.column, op.change.type, null, pk);
    },
  };
}

/** The line that defines `column` inside a CREATE TABLE (the clause itself for ALTER TABLE). */
function columnRange(context: RuleContext<any>, op: Operation, column: string): SourceRange { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (op.kind !== "create-table") return op.range;
  const { text, range } = op.statement;
  const open = text.indexOf("(");
  let at = text.indexOf(`"${column.replace(/"/g, '""')}"`, open);
  if (at < 0) {
    const word = new RegExp(`\\b${column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "gi");
    word.lastIndex = open;
    at = word.exec(text)?.index ?? -1;
  }
  if (at < 0) return op.range;
  const lineEnd = text.indexOf("\n", at);
  const end = (lineEnd < 0 ? text : text.slice(0, lineEnd)).replace(/[,\s]+$/, "").length;
  return context.migration.file.rangeOf(range.start + at, range.start + Math.max(end, at + column.length));
}


const CONSTANTS: Record<string, string> = {
  int2: "0", int4: "0", int8: "0", numeric: "0", float4: "0", float8: "0", money: "0",
  text: "''", varchar: "''", bpchar: "''", citext: "''",
  bool: "false", json: "'{}'", jsonb: "'{}'",
  timestamp: "CURRENT_TIMESTAMP", timestamptz: "CURRENT_TIMESTAMP", date: "CURRENT_DATE",
};

/** A constant of the type to show in a suggested `DEFAULT` (an enum's first value), or null when none is a sensible example. */
export function exampleConstant(context: Pick<RuleContext, "catalog">, type: TypeSpec): string | null {
  if (type.arrayDims) return "'{}'";
  const builtIn = Object.hasOwn(CONSTANTS, type.name) ? CONSTANTS[type.name]! : null;
  if (builtIn) return builtIn;
  const first = context.catalog.getEnum({ schema: type.schema, name: type.name })?.values[0];
  return first === undefined ? null : `'${first.replace(/'/g, "''")}'`;
}

/** The sequence Postgres makes for a serial column (`<table>_<column>_seq`, in the table's schema), quoted as a name and as the literal nextval() and DROP take. */
export function serialSequence(table: QualifiedName, column: string): { sequence: string; sequenceLiteral: string } {
  const sequence = quoteName({ schema: table.schema, name: `${table.name}_${column}_seq` });
  return { sequence, sequenceLiteral: quoteLiteral(sequence) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;
const isConstant = (n: Node): boolean => !!n?.A_Const || (!!n?.TypeCast && isConstant(n.TypeCast.arg));

/**
 * "Add a nullable column, fill every row with one constant, SET NOT NULL" in one migration: the one statement that does
 * the same (`ADD COLUMN ... NOT NULL DEFAULT <constant>`, no rewrite on Postgres 11+), with the UPDATE it replaces.
 */
export function constantFill(context: Pick<RuleContext, "migration" | "existedBefore">, table: QualifiedName, column: string): { sql: string; update: Statement } | null {
  if (!context.existedBefore(table)) return null;
  const statements = context.migration.file.statements;
  const ops = statements.flatMap((s) => s.operations);
  const add = ops.find((o) => o.kind === "add-column" && sameTable(o.table, table) && o.column.name === column);
  if (add?.kind !== "add-column" || !add.column.type || add.column.notNull || add.column.default || add.column.identity || add.column.generated || add.column.references) return null;
  if (!ops.some((o) => o.kind === "alter-column" && sameTable(o.table, table) && o.column === column && o.change.kind === "set-not-null")) return null;
  for (const statement of statements) {
    if (statement.index <= add.statement.index || !statement.operations.some((o) => o.kind === "data-change" && o.action === "update" && sameTable(o.table, table))) continue;
    const body: Node = (statement.node as Node)?.UpdateStmt;
    const target: Node = body?.targetList?.length === 1 ? body.targetList[0]?.ResTarget : null;
    if (target?.name !== column || !isConstant(target.val) || body.fromClause?.length) continue;
    const where: Node = body.whereClause;
    const onlyNulls = !where || (where.NullTest?.nulltesttype === "IS_NULL" && where.NullTest.arg?.ColumnRef?.fields?.at(-1)?.String?.sval === column);
    const constant = /\bSET\s+(?:"(?:[^"]|"")+"|\w+)\s*=\s*([\s\S]+?)\s*(?:\bWHERE\b[\s\S]*)?$/i.exec(statement.text.trim())?.[1];
    if (!onlyNulls || !constant) continue;
    return { sql: `ALTER TABLE ${quoteName(table)} ADD COLUMN ${quoteIdent(column)} ${typeSql(add.column.type)} NOT NULL DEFAULT ${constant};`, update: statement };
  }
  return null;
}

/** Help for a finding on one of the three statements that `constantFill` replaces. */
export const ONE_STATEMENT_HELP =
  "Do it in one statement instead: `{{oneStatement}}` replaces the ADD COLUMN, the UPDATE on line {{updateLine}} and the SET NOT NULL. On Postgres 11+ a constant default is kept in the catalog, so existing rows are neither rewritten nor scanned, and the lock is brief. If new rows must not get the default, drop it afterwards: `ALTER TABLE {{table}} ALTER COLUMN {{column}} DROP DEFAULT;`";
