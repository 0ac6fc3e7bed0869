/**
 * Turns libpg-query statements into the provider-neutral operation vocabulary
 * (`Operation` in src/types.ts). Rules read operations, never raw AST.
 */
import type {
  ColumnChange,
  ColumnSpec,
  ConstraintKind,
  ConstraintSpec,
  LockMode,
  Operation,
  ParsedSqlFile,
  QualifiedName,
  SourceRange,
  Statement,
  TransactionAction,
} from "../../types.js";
import { fileInternals } from "./parse.js";
import type { Token, TokenList } from "./lexer.js";
import {
  bodyOf,
  defaultSpec,
  isSerialType,
  qualifiedFromList,
  rangeVarName,
  strings,
  typeSpec,
  unwrap,
  walk,
  type Body,
} from "../../model/ast.js";

/** Fills `statement.operations` for every statement of a parsed file. */
export function buildOperations(file: ParsedSqlFile): void {
  const { tokens, locationMappers } = fileInternals(file);
  for (const statement of file.statements) {
    if (!statement.node) continue;
    const ctx = new StatementContext(file, statement, tokens, locationMappers[statement.index]!);
    statement.operations = operationsOf(ctx);
  }
}

class StatementContext {
  constructor(
    readonly file: ParsedSqlFile,
    readonly statement: Statement,
    readonly tokens: TokenList,
    readonly toOffset: (byteLocation: number) => number,
  ) {}

  get whole(): SourceRange {
    return this.statement.range;
  }

  /** Non-comment tokens of the statement. */
  codeTokens(): Token[] {
    const { start, end } = this.statement.range;
    const out: Token[] = [];
    for (let i = this.tokens.lowerBound(start); i < this.tokens.length && this.tokens.startAt(i) < end; i++) {
      if (!this.tokens.isCommentAt(i)) out.push(this.tokens.at(i)!);
    }
    return out;
  }

  text(start: number, end: number): string {
    return this.file.text.slice(start, end).trim();
  }

  /**
   * Source ranges of the comma-separated clauses of an ALTER TABLE (or
   * similar) statement, starting after the relation name at byte `relationLocation`.
   */
  clauseRanges(relationLocation: number | undefined, expected: number): SourceRange[] | null {
    if (relationLocation === undefined) return null;
    const relationStart = this.toOffset(relationLocation);
    const tokens = this.codeTokens();
    let i = tokens.findIndex((t) => t.start >= relationStart);
    if (i < 0) return null;
    // skip the (possibly qualified) relation name: name [. name [. name]]
    i++;
    while (i + 1 < tokens.length && this.file.text[tokens[i]!.start] === "." && tokens[i]!.end - tokens[i]!.start === 1) i += 2;
    const ranges: SourceRange[] = [];
    let depth = 0;
    let clauseStart = tokens[i]?.start;
    let clauseEnd = clauseStart;
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === "lparen") depth++;
      else if (t.kind === "rparen") depth--;
      else if (t.kind === "comma" && depth === 0) {
        ranges.push(this.file.rangeOf(clauseStart!, clauseEnd!));
        clauseStart = tokens[i + 1]?.start;
        continue;
      }
      clauseEnd = t.end;
    }
    if (clauseStart !== undefined && clauseEnd !== undefined && clauseEnd > clauseStart) ranges.push(this.file.rangeOf(clauseStart, clauseEnd));
    return ranges.length === expected ? ranges : null;
  }

  /** The keywords (upper case) of `ALTER TYPE <name> ADD | RENAME ...` after the possibly qualified type name. */
  wordsAfterTypeName(): string[] {
    const tokens = this.codeTokens();
    let i = 3; // ALTER TYPE <name>
    while (i + 1 < tokens.length && this.file.text[tokens[i]!.start] === "." && tokens[i]!.end - tokens[i]!.start === 1) i += 2;
    return tokens.slice(i).filter((t) => t.kind === "word").map((t) => this.file.text.slice(t.start, t.end).toUpperCase());
  }

  /**
   * Text of the expression that follows the keyword token at or after
   * `from` (e.g. DEFAULT or USING), up to the end of the clause: a comma or
   * closing parenthesis at its own level, or (after DEFAULT and CHECK) a
   * keyword that starts another column constraint. CASE ... END nests like
   * parentheses. A USING expression is the last thing in its clause, so
   * NOT and NULL there are its own (`CASE WHEN x IS NULL ...`).
   */
  expressionAfterKeyword(keyword: string, from: number, within: SourceRange): string {
    const stops = keyword === "USING" ? NO_STOPS : CONSTRAINT_KEYWORDS;
    const tokens = this.codeTokens();
    let i = tokens.findIndex((t) => t.start >= from && t.end <= within.end && t.kind === "word" && this.file.text.slice(t.start, t.end).toUpperCase() === keyword);
    if (i < 0) return "";
    const start = tokens[++i]?.start;
    if (start === undefined) return "";
    let end = start;
    let depth = 0;
    for (; i < tokens.length && tokens[i]!.end <= within.end; i++) {
      const t = tokens[i]!;
      const word = t.kind === "word" ? this.file.text.slice(t.start, t.end).toUpperCase() : "";
      if (t.kind === "lparen" || word === "CASE") depth++;
      else if ((t.kind === "rparen" || word === "END") && --depth < 0) break;
      else if (depth === 0 && t.kind === "comma") break;
      else if (depth === 0 && stops.has(word)) break;
      end = t.end;
    }
    return this.file.text.slice(start, end);
  }
}

const CONSTRAINT_KEYWORDS = new Set(["NOT", "NULL", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT", "GENERATED", "COLLATE", "DEFAULT"]);
const NO_STOPS = new Set<string>();

type Op = Operation;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An operation before the statement is attached; `range`/`node` default to the whole statement. */
type OpInput = DistributiveOmit<Operation, "statement" | "range" | "node"> & { range?: SourceRange; node?: unknown };

function operationsOf(ctx: StatementContext): Op[] {
  const [type, body] = unwrap(ctx.statement.node);
  if (!type || !body) return [];
  const make = (input: OpInput): Op =>
    ({ statement: ctx.statement, range: ctx.whole, node: ctx.statement.node, ...input }) as Op;

  switch (type) {
    case "CreateStmt":
      return [make(createTable(ctx, body))];
    case "CreateTableAsStmt": {
      if (body.objtype !== "OBJECT_TABLE") break;
      return [
        make({
          kind: "create-table",
          table: rangeVarName(body.into?.rel),
          columns: [],
          constraints: [],
          ifNotExists: !!body.if_not_exists,
          asSelect: true,
          temporary: body.into?.rel?.relpersistence === "t",
          partitionOf: null,
        }),
      ];
    }
    case "AlterTableStmt":
      return alterTable(ctx, body, make);
    case "RenameStmt":
      return [make(rename(body) ?? { kind: "other", nodeType: type })];
    case "DropStmt":
      return drop(body).map(make);
    case "AlterObjectSchemaStmt": {
      if (body.objectType === "OBJECT_TABLE") return [make({ kind: "set-schema", object: "table", name: rangeVarName(body.relation), newSchema: body.newschema ?? "" })];
      if (body.objectType === "OBJECT_TYPE") return [make({ kind: "set-schema", object: "type", name: qualifiedFromList(strings(bodyOf(body.object, "List")?.items)), newSchema: body.newschema ?? "" })];
      break;
    }
    case "IndexStmt":
      return [
        make({
          kind: "create-index",
          table: rangeVarName(body.relation),
          name: body.idxname ?? null,
          columns: ((body.indexParams as unknown[]) ?? []).map((p) => bodyOf(p, "IndexElem")?.name ?? "(expression)"),
          unique: !!body.unique,
          concurrently: !!body.concurrent,
          method: body.accessMethod ?? "btree",
          partial: !!body.whereClause,
          ifNotExists: !!body.if_not_exists,
        }),
      ];
    case "CreateEnumStmt":
      return [make({ kind: "create-enum", type: qualifiedFromList(strings(body.typeName)), values: strings(body.vals) })];
    case "AlterEnumStmt": {
      // libpg-query's JSON leaves out string fields that are empty, and '' is a valid enum label:
      // `ADD VALUE ''` came out with value undefined (a rule crashed on it), `RENAME VALUE '' TO 'b'`
      // as ADD VALUE 'b', and `BEFORE ''` as no neighbour. The keywords tell them apart.
      const enumType = qualifiedFromList(strings(body.typeName));
      const [action, ...words] = ctx.wordsAfterTypeName();
      if (action === "RENAME") return [make({ kind: "rename-enum-value", type: enumType, value: body.oldVal ?? "", newValue: body.newVal ?? "" })];
      const neighbor = body.newValNeighbor ?? (words.includes("BEFORE") || words.includes("AFTER") ? "" : null);
      return [
        make({
          kind: "add-enum-value",
          type: enumType,
          value: body.newVal ?? "",
          ifNotExists: !!body.skipIfNewValExists,
          before: neighbor !== null && !body.newValIsAfter ? neighbor : null,
          after: neighbor !== null && body.newValIsAfter ? neighbor : null,
        }),
      ];
    }
    case "TruncateStmt":
      return [
        make({
          kind: "truncate",
          tables: ((body.relations as unknown[]) ?? []).map((r) => rangeVarName(bodyOf(r, "RangeVar"))),
          cascade: body.behavior === "DROP_CASCADE",
        }),
      ];
    case "InsertStmt":
    case "UpdateStmt":
    case "DeleteStmt": {
      const action = type === "InsertStmt" ? "insert" : type === "UpdateStmt" ? "update" : "delete";
      const select = bodyOf(body.selectStmt, "SelectStmt");
      return [
        make({
          kind: "data-change",
          action,
          table: rangeVarName(body.relation),
          hasWhere: !!body.whereClause,
          fromSelect: !!select && !select.valuesLists,
        }),
      ];
    }
    case "TransactionStmt":
      return [make({ kind: "transaction", action: transactionAction(body.kind) })];
    case "VariableSetStmt": {
      if (body.kind !== "VAR_SET_VALUE" && body.kind !== "VAR_SET_DEFAULT") break;
      const value = ((body.args as unknown[]) ?? [])
        .map((a) => {
          const c = bodyOf(a, "A_Const");
          return c?.sval?.sval ?? c?.ival?.ival ?? (c?.ival ? 0 : undefined) ?? c?.fval?.fval;
        })
        .filter((v) => v !== undefined)
        .join(", ");
      return [make({ kind: "set", name: String(body.name ?? "").toLowerCase(), value: body.kind === "VAR_SET_DEFAULT" ? null : value, local: !!body.is_local })];
    }
    case "DropdbStmt":
      return [make({ kind: "drop-database", database: body.dbname })];
    case "ReindexStmt": {
      const target = String(body.kind ?? "").replace("REINDEX_OBJECT_", "").toLowerCase();
      // REINDEX (CONCURRENTLY false) is the blocking form: the option is a boolean, true when written bare
      const concurrently = ((body.params as unknown[]) ?? []).some((p) => {
        const def = bodyOf(p, "DefElem");
        return def?.defname === "concurrently" && optionIsTrue(def.arg);
      });
      const name = body.relation ? rangeVarName(body.relation) : { schema: null, name: body.name ?? "" };
      return [make({ kind: "reindex", target: (["index", "table", "schema", "database", "system"].includes(target) ? target : "table") as "table", name, concurrently })];
    }
    case "RefreshMatViewStmt":
      return [make({ kind: "refresh-materialized-view", view: rangeVarName(body.relation), concurrently: !!body.concurrent })];
    case "VacuumStmt": {
      if (!body.is_vacuumcmd) break; // ANALYZE
      const full = ((body.options as unknown[]) ?? []).some((o) => bodyOf(o, "DefElem")?.defname === "full");
      const tables = ((body.rels as unknown[]) ?? []).map((r) => rangeVarName(bodyOf(r, "VacuumRelation")?.relation));
      return [make({ kind: "vacuum", tables, full })];
    }
    case "ClusterStmt":
      return [make({ kind: "cluster", table: body.relation ? rangeVarName(body.relation) : null })];
    case "LockStmt":
      return [
        make({
          kind: "lock-table",
          tables: ((body.relations as unknown[]) ?? []).map((r) => rangeVarName(bodyOf(r, "RangeVar"))),
          mode: LOCK_MODES[Number(body.mode)] ?? "ACCESS EXCLUSIVE",
        }),
      ];
  }
  return [make({ kind: "other", nodeType: type })];
}

function createTable(ctx: StatementContext, body: Body): OpInput {
  const columns: ColumnSpec[] = [];
  const constraints: ConstraintSpec[] = [];
  for (const element of (body.tableElts as unknown[]) ?? []) {
    const [t, b] = unwrap(element);
    if (t === "ColumnDef") columns.push(columnSpec(ctx, b!, ctx.whole));
    else if (t === "Constraint") constraints.push(constraintSpec(b!, ctx, ctx.whole));
  }
  // table-level PRIMARY KEY makes its columns NOT NULL
  for (const c of constraints) {
    if (c.kind !== "primary-key") continue;
    for (const col of columns) if (c.columns.includes(col.name)) col.notNull = true;
  }
  const parent = body.inhRelations?.[0] ? rangeVarName(bodyOf(body.inhRelations[0], "RangeVar")) : null;
  return {
    kind: "create-table",
    table: rangeVarName(body.relation),
    columns,
    constraints,
    ifNotExists: !!body.if_not_exists,
    asSelect: false,
    partitionOf: body.partbound ? parent : null,
    temporary: body.relation?.relpersistence === "t",
  };
}

function columnSpec(ctx: StatementContext, def: Body, within: SourceRange): ColumnSpec {
  const type = typeSpec(def.typeName);
  const spec: ColumnSpec = {
    name: def.colname ?? "",
    type,
    notNull: false,
    primaryKey: false,
    unique: false,
    default: null,
    generated: false,
    identity: isSerialType(type),
    references: null,
  };
  const constraints = ((def.constraints as unknown[]) ?? []).map((c) => bodyOf(c, "Constraint")).filter((c): c is Body => !!c);
  for (const c of constraints) {
    switch (c.contype) {
      case "CONSTR_NOTNULL":
        spec.notNull = true;
        break;
      case "CONSTR_PRIMARY":
        spec.primaryKey = true;
        spec.notNull = true;
        break;
      case "CONSTR_UNIQUE":
        spec.unique = true;
        break;
      case "CONSTR_DEFAULT": {
        const at = c.location !== undefined ? ctx.toOffset(c.location) : within.start;
        spec.default = defaultSpec(c.raw_expr, ctx.expressionAfterKeyword("DEFAULT", at, within));
        break;
      }
      case "CONSTR_GENERATED":
        spec.generated = true;
        break;
      case "CONSTR_IDENTITY":
        spec.identity = true;
        spec.notNull = true;
        break;
      case "CONSTR_FOREIGN":
        spec.references = { table: rangeVarName(c.pktable), columns: strings(c.pk_attrs) };
        break;
    }
  }
  return spec;
}

const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  CONSTR_PRIMARY: "primary-key",
  CONSTR_UNIQUE: "unique",
  CONSTR_FOREIGN: "foreign-key",
  CONSTR_CHECK: "check",
  CONSTR_EXCLUSION: "exclusion",
  CONSTR_NOTNULL: "not-null",
};

/** LockStmt's numeric mode (Postgres's lockdefs.h, 1 = AccessShareLock). */
const LOCK_MODES: Record<number, LockMode> = {
  1: "ACCESS SHARE",
  2: "ROW SHARE",
  3: "ROW EXCLUSIVE",
  4: "SHARE UPDATE EXCLUSIVE",
  5: "SHARE",
  6: "SHARE ROW EXCLUSIVE",
  7: "EXCLUSIVE",
  8: "ACCESS EXCLUSIVE",
};

const REFERENTIAL_ACTIONS: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

function constraintSpec(c: Body, ctx: StatementContext, within: SourceRange): ConstraintSpec {
  const kind = CONSTRAINT_KINDS[c.contype] ?? "other";
  const at = typeof c.location === "number" && c.location >= 0 ? ctx.toOffset(c.location) : within.start;
  return {
    name: c.conname ?? null,
    kind,
    columns: kind === "foreign-key" ? strings(c.fk_attrs) : kind === "check" ? columnsReferenced(c.raw_expr) : strings(c.keys),
    notValid: !!c.skip_validation,
    usingIndex: c.indexname ?? null,
    expression: kind === "check" ? ctx.expressionAfterKeyword("CHECK", at, within) || null : null,
    references:
      kind === "foreign-key"
        ? {
            table: rangeVarName(c.pktable),
            columns: strings(c.pk_attrs),
            onDelete: REFERENTIAL_ACTIONS[c.fk_del_action] ?? null,
            onUpdate: REFERENTIAL_ACTIONS[c.fk_upd_action] ?? null,
          }
        : null,
  };
}

/** The columns an expression reads, in order of first use (a CHECK's columns, as Postgres records them). */
function columnsReferenced(expr: unknown): string[] {
  const refs: Array<{ name: string; at: number }> = [];
  walk(expr, (type, body) => {
    const name = type === "ColumnRef" ? strings(body.fields).at(-1) : undefined;
    if (name) refs.push({ name, at: Number(body.location ?? 0) });
  });
  return [...new Set(refs.sort((a, b) => a.at - b.at).map((r) => r.name))];
}

function alterTable(ctx: StatementContext, body: Body, make: (input: OpInput) => Op): Op[] {
  const table = rangeVarName(body.relation);
  const cmds = ((body.cmds as unknown[]) ?? []).map((c) => bodyOf(c, "AlterTableCmd")).filter((c): c is Body => !!c);
  if (body.objtype && body.objtype !== "OBJECT_TABLE") return [make({ kind: "other", nodeType: "AlterTableStmt" })];
  const ranges = ctx.clauseRanges(body.relation?.location, cmds.length);
  return cmds.map((cmd, i) => {
    const range = ranges?.[i] ?? ctx.whole;
    const node = { AlterTableCmd: cmd };
    const withClause = (input: OpInput) => make({ ...input, range, node });
    const column: string = cmd.name ?? "";
    const alter = (change: ColumnChange) => withClause({ kind: "alter-column", table, column, change });
    switch (cmd.subtype) {
      case "AT_AddColumn":
        return withClause({ kind: "add-column", table, column: columnSpec(ctx, bodyOf(cmd.def, "ColumnDef") ?? {}, range), ifNotExists: !!cmd.missing_ok });
      case "AT_DropColumn":
        return withClause({ kind: "drop-column", table, column, ifExists: !!cmd.missing_ok, cascade: cmd.behavior === "DROP_CASCADE" });
      case "AT_AlterColumnType": {
        const def = bodyOf(cmd.def, "ColumnDef") ?? {};
        const using = def.raw_default ? ctx.expressionAfterKeyword("USING", range.start, range) : null;
        return alter({ kind: "set-type", type: typeSpec(def.typeName)!, using });
      }
      case "AT_SetNotNull":
        return alter({ kind: "set-not-null" });
      case "AT_DropNotNull":
        return alter({ kind: "drop-not-null" });
      case "AT_ColumnDefault": {
        if (!cmd.def) return alter({ kind: "drop-default" });
        return alter({ kind: "set-default", default: defaultSpec(cmd.def, ctx.expressionAfterKeyword("DEFAULT", range.start, range)) });
      }
      case "AT_AddConstraint":
        return withClause({ kind: "add-constraint", table, constraint: constraintSpec(bodyOf(cmd.def, "Constraint") ?? {}, ctx, range) });
      case "AT_DropConstraint":
        return withClause({ kind: "drop-constraint", table, name: column, ifExists: !!cmd.missing_ok, cascade: cmd.behavior === "DROP_CASCADE" });
      case "AT_ValidateConstraint":
        return withClause({ kind: "validate-constraint", table, name: column });
      case "AT_AttachPartition":
        return withClause({ kind: "attach-partition", table, partition: rangeVarName(bodyOf(cmd.def, "PartitionCmd")?.name) });
      case "AT_DetachPartition": {
        const partition = bodyOf(cmd.def, "PartitionCmd");
        return withClause({ kind: "detach-partition", table, partition: rangeVarName(partition?.name), concurrently: !!partition?.concurrent });
      }
      default:
        if (column) return alter({ kind: "other", subtype: String(cmd.subtype) });
        return withClause({ kind: "other", nodeType: `AlterTableCmd:${cmd.subtype}` });
    }
  });
}

function rename(body: Body): OpInput | null {
  const newName: string = body.newname;
  switch (body.renameType) {
    case "OBJECT_TABLE":
      return { kind: "rename-table", table: rangeVarName(body.relation), newName };
    case "OBJECT_COLUMN":
      return { kind: "rename-column", table: rangeVarName(body.relation), column: body.subname, newName };
    case "OBJECT_INDEX":
      return { kind: "rename-index", index: rangeVarName(body.relation), newName };
    case "OBJECT_TABCONSTRAINT":
      return { kind: "rename-constraint", table: rangeVarName(body.relation), name: body.subname, newName };
    case "OBJECT_TYPE":
      return { kind: "rename-type", type: qualifiedFromList(strings(bodyOf(body.object, "List")?.items)), newName };
  }
  return null;
}

function drop(body: Body): OpInput[] {
  const ifExists = !!body.missing_ok;
  const cascade = body.behavior === "DROP_CASCADE";
  const objects = (body.objects as unknown[]) ?? [];
  const names = (o: unknown): QualifiedName => qualifiedFromList(strings(bodyOf(o, "List")?.items));
  switch (body.removeType) {
    case "OBJECT_TABLE":
      return objects.map((o) => ({ kind: "drop-table", table: names(o), ifExists, cascade }));
    case "OBJECT_INDEX":
      return objects.map((o) => ({ kind: "drop-index", index: names(o), concurrently: !!body.concurrent, ifExists, cascade }));
    case "OBJECT_TYPE":
      return objects.map((o) => ({ kind: "drop-type", type: qualifiedFromList(strings(bodyOf(o, "TypeName")?.names)), ifExists, cascade }));
    case "OBJECT_SCHEMA":
      return objects.map((o) => ({ kind: "drop-schema", schema: bodyOf(o, "String")?.sval ?? "", ifExists, cascade }));
  }
  return [{ kind: "other", nodeType: "DropStmt" }];
}

function transactionAction(kind: string): TransactionAction {
  switch (kind) {
    case "TRANS_STMT_BEGIN":
    case "TRANS_STMT_START":
      return "begin";
    case "TRANS_STMT_COMMIT":
      return "commit";
    case "TRANS_STMT_ROLLBACK":
      return "rollback";
    case "TRANS_STMT_SAVEPOINT":
      return "savepoint";
    case "TRANS_STMT_RELEASE":
      return "release";
    case "TRANS_STMT_ROLLBACK_TO":
      return "rollback-to";
  }
  return "other";
}

/** A boolean option of a parenthesized option list (REINDEX (CONCURRENTLY false)), read as Postgres's defGetBoolean does: true when written bare. */
function optionIsTrue(arg: unknown): boolean {
  if (arg === undefined || arg === null) return true;
  const integer = bodyOf(arg, "Integer");
  if (integer) return (integer.ival ?? 0) !== 0;
  const text = String(bodyOf(arg, "String")?.sval ?? bodyOf(arg, "Boolean")?.boolval ?? "true").toLowerCase();
  return !["false", "off", "no", "0"].includes(text);
}
