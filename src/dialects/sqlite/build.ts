/**
 * SQLite statements (sqlparser-rs nodes) -> the provider-neutral operations
 * of src/types.ts, and Prisma's table rebuild (`-- RedefineTables`) read as
 * one `rebuild-table` operation with what its INSERT ... SELECT keeps, renames
 * and leaves behind.
 */
import type { ColumnSpec, ConstraintSpec, Operation, OperationOf, ParsedSqlFile, QualifiedName, Statement, TypeSpec } from "../../types.js";
import type { PragmaNode } from "./parse.js";
import { setDataCopies, type DataCopy } from "../../model/queries.js";
import { keyFilter } from "../sqlparser-where.js";

/* The nodes are JSON-shaped values from sqlparser-rs; these readers keep the casts in one place. */
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const identValue = (ident: Node | undefined): string => ident?.Identifier?.value ?? ident?.value ?? "";
/** An ObjectName (`[{ Identifier }]`) as a qualified name. */
function nameOf(parts: Node[] | undefined): QualifiedName {
  const values = (parts ?? []).map(identValue);
  return { schema: values.length > 1 ? values.at(-2)! : null, name: values.at(-1) ?? "" };
}
/** The variant of a Rust enum as serialized: a string, or an object with one key. */
const variant = (value: unknown): string => (typeof value === "string" ? value : value && typeof value === "object" ? Object.keys(value)[0] ?? "" : "");

const ACTIONS: Record<string, string> = { Cascade: "CASCADE", SetNull: "SET NULL", SetDefault: "SET DEFAULT", Restrict: "RESTRICT", NoAction: "NO ACTION" };
const action = (value: unknown) => (value ? ACTIONS[variant(value)] ?? null : null);

function typeOf(dataType: unknown): TypeSpec | null {
  const name = variant(dataType).toLowerCase();
  if (!name) return null;
  const args = dataType && typeof dataType === "object" ? Object.values(dataType as Node)[0] : undefined;
  const modifiers = typeof args === "number" ? [args] : Array.isArray(args) ? args.filter((a): a is number => typeof a === "number") : [];
  return { name, schema: null, modifiers, arrayDims: 0, text: modifiers.length ? `${name}(${modifiers.join(",")})` : name };
}

function columnOf(def: Node, constraints: ConstraintSpec[]): ColumnSpec {
  const options = (def.options ?? []).map((o: Node) => o.option);
  const has = (kind: string) => options.some((o: unknown) => variant(o) === kind);
  const column: ColumnSpec = {
    name: identValue(def.name),
    type: typeOf(def.data_type),
    notNull: has("NotNull"),
    primaryKey: has("PrimaryKey"),
    unique: has("Unique"),
    default: null,
    generated: has("Generated"),
    identity: false,
    references: null,
  };
  for (const option of options) {
    if (variant(option) === "Default") column.default = { text: expressionText(option.Default), volatile: false };
    if (variant(option) === "ForeignKey") {
      // a column-level REFERENCES: kept as a constraint, where ON DELETE lives
      const fk = option.ForeignKey as Node;
      constraints.push(foreignKey(null, [column.name], fk));
    }
  }
  return column;
}

function foreignKey(name: string | null, columns: string[], fk: Node): ConstraintSpec {
  return {
    name,
    kind: "foreign-key",
    columns,
    notValid: false,
    usingIndex: null,
    expression: null,
    references: { table: nameOf(fk.foreign_table), columns: (fk.referred_columns ?? []).map(identValue), onDelete: action(fk.on_delete), onUpdate: action(fk.on_update) },
  };
}

function tableConstraint(c: Node): ConstraintSpec | null {
  const kind = variant(c);
  const body = c[kind] as Node;
  const name = body?.name ? identValue(body.name) : null;
  const columns = (body?.columns ?? []).map((col: Node) => identValue(col.column?.expr ?? col));
  const base = { name, columns, notValid: false, usingIndex: null, expression: null, references: null };
  if (kind === "ForeignKey") return foreignKey(name, columns, body);
  if (kind === "PrimaryKey") return { ...base, kind: "primary-key" };
  if (kind === "Unique") return { ...base, kind: "unique" };
  if (kind === "Check") return { ...base, kind: "check", columns: [] };
  return null;
}

/** A default or other expression, as near to its source as the node tells (literals and function names). */
function expressionText(expr: Node | undefined): string {
  const value = expr?.Value?.value ?? expr?.Value;
  if (value && typeof value === "object") {
    const [kind, v] = Object.entries(value as Node)[0] ?? [];
    if (kind === "Number") return String((v as unknown[])[0]);
    if (kind === "SingleQuotedString") return `'${String(v).replace(/'/g, "''")}'`;
    if (kind === "Boolean") return v ? "true" : "false";
    if (kind === "Null") return "NULL";
    return String(v);
  }
  if (expr?.Function) return identValue(expr.Function.name?.[0]);
  return "expression";
}

/** The statement's operations, one statement at a time (the rebuild is recognised after, over the file). */
function statementOperations(statement: Statement): Operation[] {
  const node = statement.node as Node | null;
  if (!node || !statement.nodeType) return [];
  const body = node[statement.nodeType] as Node;
  const base = { statement, range: statement.range, node };
  switch (statement.nodeType) {
    case "CreateTable": {
      const constraints: ConstraintSpec[] = [];
      const columns = (body.columns ?? []).map((def: Node) => columnOf(def, constraints));
      for (const c of body.constraints ?? []) {
        const spec = tableConstraint(c);
        if (spec) constraints.push(spec);
      }
      return [{ ...base, kind: "create-table", table: nameOf(body.name), columns, constraints, ifNotExists: !!body.if_not_exists, asSelect: !!body.query, partitionOf: null, temporary: !!body.temporary }];
    }
    case "Drop": {
      const names: Node[][] = body.names ?? [];
      if (body.object_type === "Table") return names.map((n) => ({ ...base, kind: "drop-table", table: nameOf(n), ifExists: !!body.if_exists, cascade: false }));
      if (body.object_type === "Index") return names.map((n) => ({ ...base, kind: "drop-index", index: nameOf(n), concurrently: false, ifExists: !!body.if_exists, cascade: false }));
      return [{ ...base, kind: "other", nodeType: `Drop${body.object_type}` }];
    }
    case "AlterTable": {
      const table = nameOf(body.name);
      return (body.operations ?? []).map((op: Node): Operation => {
        const kind = variant(op);
        const o = op[kind] as Node;
        if (kind === "RenameTable") return { ...base, kind: "rename-table", table, newName: nameOf(o.table_name?.To ?? o.table_name).name };
        if (kind === "AddColumn") {
          const constraints: ConstraintSpec[] = [];
          const column = columnOf(o.column_def, constraints);
          if (constraints[0]?.references) column.references = { table: constraints[0].references.table, columns: constraints[0].references.columns };
          return { ...base, kind: "add-column", table, column, ifNotExists: !!o.if_not_exists };
        }
        if (kind === "DropColumn") return { ...base, kind: "drop-column", table, column: identValue(o.column_names?.[0] ?? o.column_name), ifExists: !!o.if_exists, cascade: false };
        if (kind === "RenameColumn") return { ...base, kind: "rename-column", table, column: identValue(o.old_column_name), newName: identValue(o.new_column_name) };
        return { ...base, kind: "other", nodeType: `AlterTable${kind}` };
      });
    }
    case "CreateIndex":
      return [{
        ...base,
        kind: "create-index",
        table: nameOf(body.table_name),
        name: body.name ? nameOf(body.name).name : null,
        columns: (body.columns ?? []).map((c: Node) => identValue(c.column?.expr)).filter(Boolean),
        unique: !!body.unique,
        concurrently: false,
        method: "btree",
        partial: !!body.predicate,
        ifNotExists: !!body.if_not_exists,
      }];
    case "Insert": {
      const source = body.source?.body as Node | undefined;
      return [{ ...base, kind: "data-change", action: "insert", table: nameOf(body.table?.TableName ?? body.table_name), hasWhere: false, fromSelect: !!source && !source.Values }];
    }
    case "Update":
      return [{ ...base, kind: "data-change", action: "update", table: nameOf(body.table?.relation?.Table?.name), hasWhere: !!body.selection, fromSelect: !!body.from, keyFilter: keyFilter(body.selection) }];
    case "Delete": {
      const from = body.from?.WithFromKeyword ?? body.from?.WithoutKeyword ?? [];
      return [{ ...base, kind: "data-change", action: "delete", table: nameOf(from[0]?.relation?.Table?.name), hasWhere: !!body.selection, fromSelect: false, keyFilter: keyFilter(body.selection) }];
    }
    case "StartTransaction":
      return [{ ...base, kind: "transaction", action: "begin" }];
    case "Commit":
      return [{ ...base, kind: "transaction", action: "commit" }];
    case "Rollback":
      return [{ ...base, kind: "transaction", action: body?.savepoint ? "rollback-to" : "rollback" }];
    case "Savepoint":
      return [{ ...base, kind: "transaction", action: "savepoint" }];
    case "ReleaseSavepoint":
      return [{ ...base, kind: "transaction", action: "release" }];
    case "Pragma": {
      // a PRAGMA that sets a value is a setting, as SET is on Postgres (PRAGMA foreign_keys=OFF); one that reads is a query
      const { name, value } = (node as unknown as PragmaNode).Pragma;
      return value === null || /^(foreign_key_check|integrity_check|quick_check|table_info)$/i.test(name) ? [{ ...base, kind: "other", nodeType: "Pragma" }] : [{ ...base, kind: "set", name: name.toLowerCase(), value, local: false }];
    }
    default:
      return [{ ...base, kind: "other", nodeType: statement.nodeType }];
  }
}

/** The column names an expression reads (identifiers, quoted or not, and the last part of a.b). */
function columnsRead(expr: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(expr)) for (const e of expr) columnsRead(e, out);
  else if (expr && typeof expr === "object") {
    const node = expr as Node;
    if (node.Identifier && typeof node.Identifier.value === "string") out.add(node.Identifier.value);
    else if (Array.isArray(node.CompoundIdentifier)) out.add(identValue(node.CompoundIdentifier.at(-1)));
    else for (const value of Object.values(node)) columnsRead(value, out);
  }
  return out;
}

/**
 * `INSERT INTO t (cols) SELECT exprs FROM src`: per target column, the source column its value comes from (a plain
 * column, or the one column an expression such as Prisma's `coalesce("name", '')` reads; null otherwise) and every
 * column it reads; and the source table.
 */
function insertSelect(statement: Statement): { table: QualifiedName; from: QualifiedName | null; filtered: boolean; columns: Array<{ target: string; source: string | null; plain: boolean; reads: Set<string> }> } | null {
  if (statement.nodeType !== "Insert") return null;
  const body = (statement.node as Node).Insert as Node;
  const select = body.source?.body?.Select as Node | undefined;
  if (!select) return null;
  const targets: string[] = (body.columns ?? []).map((c: Node) => identValue(Array.isArray(c) ? c[0] : c));
  const projection: Node[] = select.projection ?? [];
  if (targets.length !== projection.length) return null;
  const fromTable = select.from?.length === 1 && !select.from[0].joins?.length ? select.from[0].relation?.Table?.name : undefined;
  return {
    table: nameOf(body.table?.TableName ?? body.table_name),
    from: fromTable ? nameOf(fromTable) : null,
    filtered: !!select.selection,
    columns: targets.map((target, i) => {
      const item = projection[i]!;
      const expr = item.UnnamedExpr ?? item.ExprWithAlias?.expr;
      const reads = columnsRead(expr);
      // plain: the value itself (`"name"`), not an expression over it (Prisma's `coalesce("name", '')` fills NULLs)
      return { target, source: reads.size === 1 ? [...reads][0]! : null, plain: !!(expr?.Identifier || expr?.CompoundIdentifier), reads };
    }),
  };
}

const same = (a: QualifiedName, b: QualifiedName) => a.name === b.name && (a.schema ?? "main") === (b.schema ?? "main");

/**
 * Prisma's table rebuild (`-- RedefineTables`): CREATE TABLE "new_X", INSERT INTO "new_X" (...) SELECT
 * ... FROM "X", DROP TABLE "X", ALTER TABLE "new_X" RENAME TO "X". The DROP TABLE of a rebuild whose
 * rows are copied is not a dropped table: its drop-table becomes one `rebuild-table`, and the INSERT
 * carries what the copy does to the columns (drop-column, rename-column, add-column for a column of the
 * new table the copy does not fill, alter-column set-not-null for a copied column made required), so the
 * data-loss rules and prisma-warning see them. A rebuild without the copy stays a
 * drop-table: its rows are gone. `oldColumns` gives the old table's columns from the history.
 */
export function recogniseRebuilds(file: ParsedSqlFile, oldTable: (table: QualifiedName) => Map<string, { notNull: boolean; type?: TypeSpec | null }> | undefined = () => undefined): void {
  const ops = file.statements.flatMap((s) => s.operations);
  for (const rename of ops.filter((o): o is OperationOf<"rename-table"> => o.kind === "rename-table")) {
    const target: QualifiedName = { schema: rename.table.schema, name: rename.newName };
    // the last CREATE TABLE of the copy before its RENAME: a file may rebuild the same table twice (pingvin-share's 20221230120407)
    const create = ops.filter((o): o is OperationOf<"create-table"> => o.kind === "create-table" && same(o.table, rename.table) && o.statement.index < rename.statement.index).at(-1);
    const drop = ops.find((o): o is OperationOf<"drop-table"> => o.kind === "drop-table" && same(o.table, target) && o.statement.index < rename.statement.index && (!create || o.statement.index > create.statement.index));
    if (!create || !drop) continue;
    const copies = file.statements.filter((s) => s.index > create.statement.index && s.index < drop.statement.index && (() => {
      const copy = insertSelect(s);
      return !!copy && same(copy.table, rename.table) && !!copy.from && same(copy.from, target);
    })());
    const copyStatement = copies[0];
    const copy = copyStatement ? insertSelect(copyStatement)! : null;
    if (!copy || !copyStatement) continue;
    // Prisma copies in one INSERT ... SELECT without WHERE; several copies, or a filtered one, are a mapping written
    // by hand (rows picked and reshaped on purpose): what it leaves out is the author's choice, not read as lost here
    const handWritten = copies.length > 1 || copy.filtered;
    const kept = copy.columns.filter((c) => c.source !== null) as Array<{ target: string; source: string; plain: boolean }>;
    const filled = new Set(copy.columns.map((c) => c.target));
    const oldState = oldTable(target);
    const old = oldState ? [...oldState.keys()] : undefined;
    const read = new Set(copy.columns.flatMap((c) => [...c.reads]));
    const dropped = old && !handWritten ? old.filter((c) => !read.has(c)) : [];
    const renamed = handWritten ? [] : kept.filter((c) => c.source !== c.target && !filled.has(c.source) && (!old || old.includes(c.source)));
    const added = handWritten ? [] : create.columns.filter((c) => !filled.has(c.name));
    // a copied column that was nullable and is NOT NULL in the new table: the copy fails on a NULL, as SET NOT NULL would
    const madeRequired = handWritten ? [] : kept.filter((c) => c.plain && oldState?.get(c.source)?.notNull === false && create.columns.find((n) => n.name === c.target)?.notNull);
    // a copied column whose declared type changed: SQLite keeps each value as it is unless its type affinity converts it losslessly
    const retyped = handWritten ? [] : kept.flatMap((c) => {
      const before = oldState?.get(c.source)?.type;
      const after = create.columns.find((n) => n.name === c.target)?.type;
      return c.plain && before && after && before.text.toLowerCase() !== after.text.toLowerCase() ? [{ column: c.target, type: after }] : [];
    });
    const at = { statement: copyStatement, range: copyStatement.range, node: null };
    copyStatement.operations.push(
      ...dropped.map((column): Operation => ({ ...at, kind: "drop-column", table: target, column, ifExists: false, cascade: false })),
      ...renamed.map((c): Operation => ({ ...at, kind: "rename-column", table: target, column: c.source, newName: c.target })),
      ...added.map((column): Operation => ({ ...at, kind: "add-column", table: target, column, ifNotExists: false })),
      ...madeRequired.map((c): Operation => ({ ...at, kind: "alter-column", table: target, column: c.target, change: { kind: "set-not-null" } })),
      ...retyped.map((c): Operation => ({ ...at, kind: "alter-column", table: target, column: c.column, change: { kind: "set-type", type: c.type, using: null } })),
    );
    const index = drop.statement.operations.indexOf(drop);
    drop.statement.operations[index] = {
      statement: drop.statement,
      range: drop.range,
      node: drop.node,
      kind: "rebuild-table",
      table: target,
      from: rename.table,
      copied: kept.map((c) => ({ column: c.target, from: c.source })),
      columns: create.columns.map((c) => c.name),
      dropped,
      added: added.map((c) => c.name),
      copyStatement: copyStatement.index,
      renameStatement: rename.statement.index,
    };
  }
}

/** Fills every statement's operations (before rebuilds are recognised, which needs the history). */
export function buildSqliteOperations(file: ParsedSqlFile): void {
  for (const statement of file.statements) statement.operations = statementOperations(statement);
  // INSERT INTO t (a) SELECT b FROM s carries s.b into t.a: the data-loss rules ask for these copies
  const copies: DataCopy[] = [];
  for (const statement of file.statements) {
    const copy = insertSelect(statement);
    if (!copy?.from) continue;
    for (const c of copy.columns) if (c.source !== null) copies.push({ statement, from: { table: copy.from, column: c.source }, to: { table: copy.table, column: c.target } });
  }
  setDataCopies(file, copies);
}
