/**
 * MySQL statements (sqlparser-rs's AST, and our fallback nodes) as the
 * provider-neutral operations of src/types.ts. Names, structure and options come
 * from the AST; a column's type and default are read from the tokens, as written
 * (sqlparser-rs's JSON drops some types, e.g. INTEGER, to `{}`).
 */
import { keyFilter } from "../sqlparser-where.js";
import type { ColumnChange, ColumnSpec, ConstraintSpec, Operation, ParsedSqlFile, QualifiedName, SourceRange, Statement, TransactionAction, TypeSpec } from "../../types.js";
import type { Body } from "../../model/ast.js";
import { mysqlInternals, offsetAt } from "./parse.js";
import type { MysqlToken } from "./lexer.js";

/** Fills `statement.operations` for every parsed statement of the file. */
export function buildMysqlOperations(file: ParsedSqlFile): void {
  const { tokens } = mysqlInternals(file);
  for (const statement of file.statements) {
    if (!statement.node) continue;
    const lo = lowerBound(tokens, statement.range.start);
    const code = tokens.slice(lo, lowerBound(tokens, statement.range.end)).filter((t) => t.kind !== "line-comment" && t.kind !== "block-comment");
    statement.operations = new Builder(file, statement, code).operations();
  }
}

function lowerBound(tokens: MysqlToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Base = Pick<Operation, "statement" | "range" | "node">;
type Span = { start: { line: number; column: number } };

/** Words that end a column's type or default expression (the next column attribute). */
const ATTRIBUTES = new Set(["NOT", "NULL", "DEFAULT", "PRIMARY", "KEY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT", "COLLATE", "CHARACTER", "CHARSET", "AUTO_INCREMENT", "COMMENT", "ON", "GENERATED", "AS", "FIRST", "AFTER", "VISIBLE", "INVISIBLE", "STORED", "VIRTUAL", "SRID", "COLUMN_FORMAT", "STORAGE"]);
/** Words that belong to a numeric type after its name. */
const TYPE_SUFFIX = new Set(["UNSIGNED", "SIGNED", "ZEROFILL", "PRECISION", "VARYING"]);
/** MySQL's synonyms, as it stores the type (SHOW CREATE TABLE). */
const TYPE_ALIAS: Record<string, string> = { integer: "int", dec: "decimal", numeric: "decimal", fixed: "decimal", bool: "tinyint", boolean: "tinyint", real: "double" };

class Builder {
  constructor(
    readonly file: ParsedSqlFile,
    readonly statement: Statement,
    readonly code: MysqlToken[],
  ) {}

  private get whole(): SourceRange {
    return this.statement.range;
  }

  private base(range: SourceRange = this.whole, node: unknown = this.statement.node): Base {
    return { statement: this.statement, range, node };
  }

  private word(t: MysqlToken | undefined): string {
    return t?.kind === "word" ? this.file.text.slice(t.start, t.end).toUpperCase() : "";
  }

  /** The file offset of an AST span (line and column within the statement). */
  private offset(span: Span | undefined): number {
    return span ? this.statement.range.start + offsetAt(this.statement.text, span.start.line, span.start.column) : this.statement.range.start;
  }

  /** Index in `code` of the token starting at an AST identifier. */
  private tokenAt(ident: { span?: Span } | undefined): number {
    const at = this.offset(ident?.span);
    return this.code.findIndex((t) => t.start >= at);
  }

  /** Token index range [from, to) of the clause or column definition starting at `from`: up to a comma at its level or the closing parenthesis around it. */
  private clauseEnd(from: number): number {
    let depth = 0;
    for (let i = from; i < this.code.length; i++) {
      const t = this.code[i]!;
      if (t.kind === "lparen") depth++;
      else if (t.kind === "rparen" && --depth < 0) return i;
      else if (t.kind === "comma" && depth === 0) return i;
    }
    return this.code.length;
  }

  private rangeOfTokens(from: number, to: number): SourceRange {
    if (from < 0 || to <= from) return this.whole;
    return this.file.rangeOf(this.code[from]!.start, this.code[to - 1]!.end);
  }

  /** The comma-separated clauses of `ALTER TABLE <name> ...` as ranges, when there are `expected` of them. */
  private alterClauses(expected: number): SourceRange[] | null {
    let i = 2;
    while (i < this.code.length && (this.code[i]!.kind === "word" || this.code[i]!.kind === "quoted-ident" || this.file.text[this.code[i]!.start] === ".")) {
      i++;
      if (this.file.text[this.code[i]?.start ?? -1] !== ".") break;
    }
    const out: SourceRange[] = [];
    while (i < this.code.length) {
      const end = this.clauseEnd(i);
      out.push(this.rangeOfTokens(i, end));
      i = end + 1;
    }
    return out.length === expected ? out : null;
  }

  /** A column definition from its name token on: type, NOT NULL, default, primary key, auto-increment, as written. */
  private column(def: Body): { spec: ColumnSpec; range: SourceRange } {
    const from = this.tokenAt(def.name ?? def.col_name ?? def.new_name);
    const end = this.clauseEnd(from);
    const options = ((def.options ?? []) as unknown[]).map((o) => (o && typeof o === "object" && "option" in o ? (o as { option: unknown }).option : o));
    const has = (name: string) => options.some((o) => o === name || (o && typeof o === "object" && name in o));
    const dialectWord = (word: string) => options.some((o) => JSON.stringify((o as Body)?.DialectSpecific ?? "").toUpperCase().includes(`"${word}"`));
    const fk = options.find((o) => o && typeof o === "object" && "ForeignKey" in o) as Body | undefined;
    const spec: ColumnSpec = {
      name: (def.name ?? def.col_name ?? def.new_name).value,
      type: this.typeAt(from + 1, end),
      notNull: has("NotNull") || has("PrimaryKey"),
      primaryKey: has("PrimaryKey") || options.some((o) => (o as Body)?.Unique?.is_primary === true),
      unique: has("Unique"),
      default: has("Default") ? this.defaultAt(from, end) : null,
      generated: has("Generated"),
      identity: dialectWord("AUTO_INCREMENT"),
      references: fk ? { table: qualifiedName(fk.ForeignKey.foreign_table), columns: (fk.ForeignKey.referred_columns ?? []).map((c: Body) => c.value) } : null,
    };
    return { spec, range: this.rangeOfTokens(from, end) };
  }

  /** The type written from token `from`: its name, a parenthesised argument list and UNSIGNED/ZEROFILL. */
  private typeAt(from: number, end: number): TypeSpec | null {
    const first = this.code[from];
    if (!first || first.kind !== "word" || from >= end) return null;
    const raw = this.word(first).toLowerCase();
    const name = TYPE_ALIAS[raw] ?? raw;
    let i = from + 1;
    let args = "";
    const modifiers: number[] = [];
    if (this.code[i]?.kind === "lparen") {
      let close = i + 1;
      for (let depth = 1; close < end; close++) {
        const kind = this.code[close]!.kind;
        if (kind === "lparen") depth++;
        else if (kind === "rparen" && --depth === 0) break;
      }
      args = this.file.text.slice(this.code[i]!.start, this.code[close]!.end).replace(/\s+/g, "");
      for (let k = i + 1; k < close; k++) if (/^\d+$/.test(this.file.text.slice(this.code[k]!.start, this.code[k]!.end))) modifiers.push(Number(this.file.text.slice(this.code[k]!.start, this.code[k]!.end)));
      i = close + 1;
    } else if (raw === "bool" || raw === "boolean") {
      args = "(1)";
      modifiers.push(1);
    }
    const suffix: string[] = [];
    while (i < end && TYPE_SUFFIX.has(this.word(this.code[i]))) suffix.push(this.word(this.code[i++]).toLowerCase());
    const text = [name + (name === "enum" || name === "set" ? args : args.toLowerCase()), ...suffix].join(" ");
    return { name, schema: null, modifiers, arrayDims: 0, text };
  }

  /** The default expression of the column whose tokens are [from, end): after DEFAULT, up to the next attribute. */
  private defaultAt(from: number, end: number): ColumnSpec["default"] {
    let i = from;
    while (i < end && this.word(this.code[i]) !== "DEFAULT") i++;
    const start = ++i;
    let depth = 0;
    for (; i < end; i++) {
      const t = this.code[i]!;
      if (t.kind === "lparen") depth++;
      else if (t.kind === "rparen") depth--;
      else if (depth === 0 && ATTRIBUTES.has(this.word(t))) break;
    }
    if (start >= i) return null;
    const text = this.file.text.slice(this.code[start]!.start, this.code[i - 1]!.end);
    // an expression default (MySQL 8.0.13+) is evaluated per row; a literal or CURRENT_TIMESTAMP is not
    return { text, volatile: text.startsWith("(") && !/^\(\s*current_timestamp(\(\d*\))?\s*\)$/i.test(text) };
  }

  operations(): Operation[] {
    const [type, body] = unwrap(this.statement.node);
    switch (type) {
      case "CreateTable":
        return this.createTable(body);
      case "AlterTable":
        return this.alterTable(body);
      case "CreateIndex":
        return [{ ...this.base(), kind: "create-index", table: qualifiedName(body.table_name), name: qualifiedName(body.name).name || null, columns: indexColumns(body.columns), unique: !!body.unique, concurrently: false, method: typeof body.using === "string" ? body.using : "btree", partial: false, ifNotExists: !!body.if_not_exists }];
      case "Drop":
        return this.drop(body);
      case "RenameTable":
        return (body as unknown as Body[]).map((r) => ({ ...this.base(), kind: "rename-table" as const, table: qualifiedName(r.old_name), newName: qualifiedName(r.new_name).name }));
      case "RenameIndex":
        return [{ ...this.base(), kind: "rename-index", index: { schema: body.table.length > 1 ? body.table[0] : null, name: body.name }, newName: body.newName }];
      case "Insert":
        return [{ ...this.base(), kind: "data-change", action: "insert", table: qualifiedName(body.table?.TableName ?? body.table_name ?? body.table), hasWhere: false, fromSelect: !!body.source && !("Values" in (body.source.body ?? {})) }];
      case "Update":
        return [{ ...this.base(), kind: "data-change", action: "update", table: qualifiedName(body.table?.relation?.Table?.name), hasWhere: !!body.selection, fromSelect: !!body.from, keyFilter: keyFilter(body.selection) }];
      case "Delete": {
        const from = body.from?.WithFromKeyword ?? body.from?.WithoutKeyword ?? [];
        return [{ ...this.base(), kind: "data-change", action: "delete", table: qualifiedName(from[0]?.relation?.Table?.name), hasWhere: !!body.selection, fromSelect: false, keyFilter: keyFilter(body.selection) }];
      }
      case "Truncate":
        return [{ ...this.base(), kind: "truncate", tables: (body.table_names ?? []).map((t: Body) => qualifiedName(t.name)), cascade: false }];
      case "StartTransaction":
        return [this.transaction("begin")];
      case "Commit":
        return [this.transaction("commit")];
      case "Rollback":
        return [this.transaction(body.savepoint ? "rollback-to" : "rollback")];
      case "Savepoint":
        return [this.transaction("savepoint")];
      case "ReleaseSavepoint":
        return [this.transaction("release")];
      case "Set":
        return this.set(body);
      default:
        return [{ ...this.base(), kind: "other", nodeType: type ?? "unknown" }];
    }
  }

  private transaction(action: TransactionAction): Operation {
    return { ...this.base(), kind: "transaction", action };
  }

  private set(body: Body): Operation[] {
    const single = body.SingleAssignment;
    if (!single) return [{ ...this.base(), kind: "other", nodeType: "Set" }];
    const variable = qualifiedName(single.variable);
    // @@x, @@session.x and @@global.x name system variables; @x is a user variable
    const scope = variable.schema?.toLowerCase() ?? (single.scope === "Global" ? "@@global" : null);
    const name = variable.name.replace(/^@@/, "");
    const value = this.statement.text.slice(this.statement.text.search(/=/) + 1).trim();
    // a user variable (@v) is the script's own state, not a session setting; SET GLOBAL reaches only later sessions
    if (name.startsWith("@")) return [{ ...this.base(), kind: "other", nodeType: "SetUserVariable" }];
    if (scope === "@@global") return [{ ...this.base(), kind: "other", nodeType: "SetGlobal" }];
    return [{ ...this.base(), kind: "set", name: name.toLowerCase(), value: value || null, local: false }];
  }

  private createTable(body: Body): Operation[] {
    const table = qualifiedName(body.name);
    const columns = (body.columns ?? []).map((c: Body) => this.column(c).spec);
    const constraints: ConstraintSpec[] = [];
    const indexes: Operation[] = [];
    for (const c of body.constraints ?? []) {
      const [kind, def] = unwrap(c);
      const range = this.clauseRangeAt(def);
      if (kind === "Unique" || kind === "Index" || kind === "FulltextOrSpatial") {
        // in MySQL a unique key is an index, dropped with DROP INDEX: the catalog keeps it as one
        const method = kind === "FulltextOrSpatial" ? (def.fulltext ? "fulltext" : "spatial") : "btree";
        indexes.push({ ...this.base(range, c), kind: "create-index", table, name: (def.index_name ?? def.name ?? def.opt_index_name)?.value ?? null, columns: indexColumns(def.columns), unique: kind === "Unique", concurrently: false, method, partial: false, ifNotExists: false });
      } else {
        constraints.push(this.constraint(kind, def));
      }
    }
    const asSelect = !!body.query;
    return [{ ...this.base(), kind: "create-table", table, columns, constraints, ifNotExists: !!body.if_not_exists, asSelect, partitionOf: null, temporary: !!body.temporary }, ...indexes];
  }

  /** The range of a table constraint inside CREATE TABLE: from the comma before its first identifier to the comma (or parenthesis) after. */
  private clauseRangeAt(def: Body): SourceRange {
    const first = def.index_name ?? def.name ?? def.opt_index_name ?? def.columns?.[0]?.column?.expr?.Identifier ?? def.columns?.[0];
    let from = this.tokenAt(first);
    if (from < 0) return this.whole;
    for (let depth = 0; from > 0; from--) {
      const previous = this.code[from - 1]!;
      if (previous.kind === "rparen") depth++;
      else if (previous.kind === "lparen" && --depth < 0) break;
      else if (previous.kind === "comma" && depth === 0) break;
    }
    return this.rangeOfTokens(from, this.clauseEnd(from));
  }

  private constraint(kind: string | null, def: Body): ConstraintSpec {
    const name = (def.name ?? def.index_name)?.value ?? null;
    if (kind === "ForeignKey") {
      return { name, kind: "foreign-key", columns: (def.columns ?? []).map((c: Body) => c.value), notValid: false, usingIndex: null, expression: null, references: { table: qualifiedName(def.foreign_table), columns: (def.referred_columns ?? []).map((c: Body) => c.value), onDelete: action(def.on_delete), onUpdate: action(def.on_update) } };
    }
    if (kind === "PrimaryKey") return { name: "PRIMARY", kind: "primary-key", columns: indexColumns(def.columns), notValid: false, usingIndex: null, expression: null, references: null };
    if (kind === "Check") return { name, kind: "check", columns: [], notValid: false, usingIndex: null, expression: null, references: null };
    return { name, kind: "other", columns: [], notValid: false, usingIndex: null, expression: null, references: null };
  }

  private alterTable(body: Body): Operation[] {
    const table = qualifiedName(body.name);
    const clauses: Body[] = body.operations ?? [];
    const ranges = this.alterClauses(clauses.length);
    return clauses.flatMap((clause, i) => this.alterClause(table, clause, ranges?.[i] ?? this.whole));
  }

  private alterClause(table: QualifiedName, clause: Body, range: SourceRange): Operation[] {
    const base = this.base(range, clause);
    const [kind, def] = unwrap(clause);
    switch (kind) {
      case "AddColumn":
        return [{ ...base, kind: "add-column", table, column: this.column(def.column_def).spec, ifNotExists: !!def.if_not_exists }];
      case "DropColumn":
        return (def.column_names ?? [def.column_name]).map((c: Body) => ({ ...base, kind: "drop-column" as const, table, column: c.value, ifExists: !!def.if_exists, cascade: false }));
      case "RenameColumn":
        return [{ ...base, kind: "rename-column", table, column: def.old_column_name.value, newName: def.new_column_name.value }];
      case "ModifyColumn":
      case "ChangeColumn": {
        // MODIFY / CHANGE restate the whole column: its type, nullability and default as they will be
        const column = this.column(def).spec;
        const oldName: string = kind === "ChangeColumn" ? def.old_name.value : column.name;
        const ops: Operation[] = oldName !== column.name ? [{ ...base, kind: "rename-column", table, column: oldName, newName: column.name }] : [];
        const changes: ColumnChange[] = [];
        if (column.type) changes.push({ kind: "set-type", type: column.type, using: null });
        changes.push({ kind: column.notNull ? "set-not-null" : "drop-not-null" });
        changes.push(column.default ? { kind: "set-default", default: column.default } : { kind: "drop-default" });
        return [...ops, ...changes.map((change) => ({ ...base, kind: "alter-column" as const, table, column: column.name, change }))];
      }
      case "AlterColumn": {
        const op = def.op;
        const change: ColumnChange = op === "DropDefault" ? { kind: "drop-default" } : op?.SetDefault ? { kind: "set-default", default: this.defaultAt(this.tokenAt(def.column_name), this.clauseEnd(this.tokenAt(def.column_name)))! } : { kind: "other", subtype: JSON.stringify(op) };
        return [{ ...base, kind: "alter-column", table, column: def.column_name.value, change }];
      }
      case "AddConstraint": {
        const [ckind, cdef] = unwrap(def.constraint);
        if (ckind === "Index" || ckind === "FulltextOrSpatial") {
          return [{ ...base, kind: "create-index", table, name: (cdef.name ?? cdef.opt_index_name)?.value ?? null, columns: indexColumns(cdef.columns), unique: false, concurrently: false, method: ckind === "Index" ? "btree" : cdef.fulltext ? "fulltext" : "spatial", partial: false, ifNotExists: false }];
        }
        if (ckind === "Unique") {
          const spec: ConstraintSpec = { name: (cdef.name ?? cdef.index_name)?.value ?? null, kind: "unique", columns: indexColumns(cdef.columns), notValid: false, usingIndex: null, expression: null, references: null };
          return [{ ...base, kind: "add-constraint", table, constraint: spec }];
        }
        return [{ ...base, kind: "add-constraint", table, constraint: this.constraint(ckind, cdef) }];
      }
      case "DropForeignKey":
        return [{ ...base, kind: "drop-constraint", table, name: def.name.value, ifExists: false, cascade: false }];
      case "DropPrimaryKey":
        return [{ ...base, kind: "drop-constraint", table, name: "PRIMARY", ifExists: false, cascade: false }];
      case "DropConstraint":
        return [{ ...base, kind: "drop-constraint", table, name: def.name.value, ifExists: !!def.if_exists, cascade: false }];
      case "DropIndex":
        return [{ ...base, kind: "drop-index", index: { schema: table.schema, name: def.name.value }, concurrently: false, ifExists: false, cascade: false }];
      case "RenameTable":
        return [{ ...base, kind: "rename-table", table, newName: qualifiedName(def.table_name?.To ?? def.table_name?.As ?? def.table_name).name }];
      case "Algorithm":
        return [{ ...base, kind: "other", nodeType: `ALGORITHM=${String(def.algorithm).toUpperCase()}` }];
      case "Lock":
        return [{ ...base, kind: "other", nodeType: `LOCK=${String(def.lock).toUpperCase()}` }];
      default:
        return [{ ...base, kind: "other", nodeType: `AlterTable:${kind ?? "unknown"}` }];
    }
  }

  private drop(body: Body): Operation[] {
    const names: unknown[] = body.names ?? [];
    switch (body.object_type) {
      case "Table":
        return names.map((n) => ({ ...this.base(), kind: "drop-table" as const, table: qualifiedName(n), ifExists: !!body.if_exists, cascade: !!body.cascade }));
      case "Index": {
        const table = body.table ? qualifiedName(body.table) : null;
        return names.map((n) => ({ ...this.base(), kind: "drop-index" as const, index: { schema: table?.schema ?? null, name: qualifiedName(n).name }, concurrently: false, ifExists: !!body.if_exists, cascade: false }));
      }
      case "Database":
      case "Schema":
        // in MySQL a schema is a database
        return names.map((n) => ({ ...this.base(), kind: "drop-database" as const, database: qualifiedName(n).name }));
      default:
        return [{ ...this.base(), kind: "other", nodeType: `Drop${body.object_type ?? ""}` }];
    }
  }
}

/** `{ T: body }` -> [T, body]; a bare string (a unit variant) -> [string, {}]. */
function unwrap(node: unknown): [string | null, Body] {
  if (typeof node === "string") return [node, {}];
  if (!node || typeof node !== "object") return [null, {}];
  const key = Object.keys(node)[0];
  return key ? [key, (node as Body)[key] as Body] : [null, {}];
}

/** sqlparser-rs's ObjectName (`[{ Identifier: { value } }, ...]`) as a qualified name. */
function qualifiedName(parts: unknown): QualifiedName {
  const names = (Array.isArray(parts) ? parts : []).map((p: Body) => p?.Identifier?.value ?? p?.value ?? "").filter((s: string) => s !== "");
  return names.length >= 2 ? { schema: names[names.length - 2]!, name: names[names.length - 1]! } : { schema: null, name: names[0] ?? "" };
}

/** The column names of an index's key parts (a prefix `col(10)` reads as a function call). */
function indexColumns(columns: unknown): string[] {
  return (Array.isArray(columns) ? columns : []).map((c: Body) => {
    const expr = c?.column?.expr ?? c;
    return expr?.Identifier?.value ?? expr?.Function?.name?.[0]?.Identifier?.value ?? expr?.value ?? "";
  });
}

const ACTIONS: Record<string, string> = { Cascade: "CASCADE", SetNull: "SET NULL", SetDefault: "SET DEFAULT", Restrict: "RESTRICT", NoAction: "NO ACTION" };
function action(value: unknown): string | null {
  return typeof value === "string" ? ACTIONS[value] ?? value.toUpperCase() : null;
}

