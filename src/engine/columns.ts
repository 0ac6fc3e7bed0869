/** Every column definition of a migration (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE), for the type-choice rules. */
import { quoteLiteral, quoteName, schemaPlace, type RuleContext, type RuleVisitors } from "./rule.js";
import type { ColumnSpec, Operation, QualifiedName, SourceRange, TypeSpec } from "../types.js";

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
  /** Data for messages: `table`, `column`, `type`, `field` (" (field User.createdAt, schema.prisma:12)" or ""), `fieldName`. */
  data: Record<string, string>;
}

/** Visitors that call `check` for every column definition of the migration (shared by the type-choice rules). */
export function columnVisitors(context: RuleContext<any>, check: (site: ColumnSite) => void): RuleVisitors { // eslint-disable-line @typescript-eslint/no-explicit-any
  const visit = (op: Operation, table: QualifiedName, column: string, type: TypeSpec | null, spec: ColumnSpec | null, soleKey: boolean) => {
    if (!type) return;
    // the schema is looked up only when a message reads `field` or `fieldName`, that is when a rule reports:
    // reading it for every column made every run wait for schema.prisma to be parsed
    let prisma: { where: string; name: string } | undefined;
    const lookup = () => {
      if (prisma) return prisma;
      const field = context.prismaField(table, column);
      const model = context.prismaModel(table);
      const where = field && model ? ` (field ${model.name}.${field.name}, ${schemaPlace(context, field.location)})` : "";
      return (prisma = { where, name: field?.name ?? column });
    };
    const data = {
      table: quoteName(table),
      /** The bare table name, for constraint names built from it (`User_email_length`). */
      tableName: table.name,
      column,
      type: type.text,
      get field() {
        return lookup().where;
      },
      get fieldName() {
        return lookup().name;
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
