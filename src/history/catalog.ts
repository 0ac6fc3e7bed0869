/**
 * The schema as the migration history builds it: every migration's operations
 * replayed in order into tables, columns, indexes, constraints and enums. A
 * rule linting migration N sees the catalog as it was just before the
 * operation it is visiting, and knows in which migration each object was made.
 */
import { withTypeText } from "../model/ast.js";
import type { ColumnSpec, ConstraintKind, DefaultSpec, Operation, QualifiedName, TypeSpec } from "../types.js";

/** Postgres resolves unqualified names through search_path; Prisma's default is `public`. */
export const DEFAULT_SCHEMA = "public";

export interface ColumnState {
  name: string;
  type: TypeSpec | null;
  notNull: boolean;
  default: DefaultSpec | null;
  /** Index (0-based, in history order) of the migration that added the column. */
  addedIn: number;
}

export interface ConstraintState {
  name: string;
  kind: ConstraintKind;
  columns: string[];
  /** Still NOT VALID (added NOT VALID and not validated since). */
  notValid: boolean;
  /** CHECK constraints: the expression as written; null otherwise. */
  expression: string | null;
  /** Foreign keys: the referenced table; null (or absent, in an older cache) otherwise. */
  references?: QualifiedName | null;
  /** Foreign keys: the ON DELETE action when the SQL gave one (`CASCADE`, `SET NULL`, ...). */
  onDelete?: string;
  addedIn: number;
}

export interface TableState {
  schema: string;
  name: string;
  columns: Map<string, ColumnState>;
  constraints: Map<string, ConstraintState>;
  /** Index of the migration that created (or last re-created) the table. */
  createdIn: number;
  /** The last TRUNCATE or DELETE without WHERE of the table, unless an INSERT (or a statement that may insert) came after it. */
  emptied?: EmptiedState | null;
  /**
   * The unique keys (column lists, in the copy's names) the rows held when a table rebuild of migration `migration`
   * copied them in: SQLite drops the old table's indexes with it and Prisma creates them again after the copy, and
   * an index rebuilt on such a key cannot meet duplicates. See uniqueBefore (src/engine/risk.ts).
   */
  copiedKeys?: { migration: number; keys: string[][] };
}

/** Where a table was emptied. Rules ask RuleContext.emptiedInTransaction, which keeps only this migration's transaction. */
export interface EmptiedState {
  migration: number;
  /** 0-based index of the statement in its migration file. */
  statement: number;
  /** 1-based line of that statement. */
  line: number;
  /**
   * TRUNCATE gives the table new, empty storage and holds ACCESS EXCLUSIVE until the transaction ends:
   * a later scan, rewrite or index build has nothing to read. After DELETE the rows stay on disk as dead
   * tuples until VACUUM, so a later scan or rewrite still reads all of them (though none is visible).
   */
  truncated: boolean;
}

export interface IndexState {
  schema: string;
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
  createdIn: number;
}

export interface EnumState {
  schema: string;
  name: string;
  values: string[];
  createdIn: number;
}

export interface CatalogSnapshot {
  tables: Array<Omit<TableState, "columns" | "constraints"> & { columns: ColumnState[]; constraints: ConstraintState[] }>;
  indexes: IndexState[];
  enums: EnumState[];
}

const keyOf = (ref: QualifiedName) => `${ref.schema ?? DEFAULT_SCHEMA}.${ref.name}`;

/** Read-only view of the catalog that rules receive. */
export interface CatalogView {
  getTable(ref: QualifiedName): TableState | undefined;
  getColumn(ref: QualifiedName, column: string): ColumnState | undefined;
  getIndex(ref: QualifiedName): IndexState | undefined;
  getEnum(ref: QualifiedName): EnumState | undefined;
  tables(): Iterable<TableState>;
  enums(): Iterable<EnumState>;
  /** The columns whose type is the user type `ref` (or an array of it). */
  columnsOfType(ref: QualifiedName): Array<{ table: TableState; column: ColumnState }>;
  indexes(): Iterable<IndexState>;
}

/** Where temporary tables live; Postgres resolves unqualified names there first. */
const TEMP_SCHEMA = "pg_temp";

export class Catalog implements CatalogView {
  private readonly tableMap = new Map<string, TableState>();
  /** The migration applied last: temporary tables do not outlive it (ON COMMIT DROP, or the end of the session). */
  private lastMigration: number | null = null;
  /** Whether an object may be in pg_temp (set when one is added, cleared when the schema is dropped). */
  private holdsTemp = false;
  private readonly indexMap = new Map<string, IndexState>();
  private readonly enumMap = new Map<string, EnumState>();

  getTable(ref: QualifiedName) {
    return (ref.schema === null ? this.tableMap.get(`${TEMP_SCHEMA}.${ref.name}`) : undefined) ?? this.tableMap.get(keyOf(ref));
  }
  getColumn(ref: QualifiedName, column: string) {
    return this.getTable(ref)?.columns.get(column);
  }
  getIndex(ref: QualifiedName) {
    return (ref.schema === null ? this.indexMap.get(`${TEMP_SCHEMA}.${ref.name}`) : undefined) ?? this.indexMap.get(keyOf(ref));
  }
  getEnum(ref: QualifiedName) {
    return this.enumMap.get(keyOf(ref));
  }
  tables() {
    return this.tableMap.values();
  }
  enums() {
    return this.enumMap.values();
  }
  columnsOfType(ref: QualifiedName) {
    const found: Array<{ table: TableState; column: ColumnState }> = [];
    for (const table of this.tableMap.values()) for (const column of table.columns.values()) if (isOfType(column.type, ref)) found.push({ table, column });
    return found;
  }
  indexes() {
    return this.indexMap.values();
  }

  /** A JSON-safe copy of the whole catalog (for the cache). */
  snapshot(): CatalogSnapshot {
    const table = (t: TableState) => ({ ...t, columns: [...t.columns.values()], constraints: [...t.constraints.values()] });
    return { tables: [...this.tableMap.values()].map(table), indexes: [...this.indexMap.values()], enums: [...this.enumMap.values()] };
  }

  static fromSnapshot(data: CatalogSnapshot): Catalog {
    const catalog = new Catalog();
    // loops, not new Map(list.map(pair)): no pair list made for each table (a resident re-lint restores one every edit)
    for (const t of data.tables) {
      const columns = new Map<string, ColumnState>();
      for (const c of t.columns) columns.set(c.name, { ...c });
      const constraints = new Map<string, ConstraintState>();
      for (const c of t.constraints) constraints.set(c.name, { ...c, columns: c.columns.slice() });
      catalog.put(catalog.tableMap, `${t.schema}.${t.name}`, { ...t, columns, constraints });
    }
    for (const i of data.indexes) catalog.put(catalog.indexMap, `${i.schema}.${i.name}`, { ...i, columns: [...i.columns] });
    for (const e of data.enums) catalog.put(catalog.enumMap, `${e.schema}.${e.name}`, { ...e, values: [...e.values] });
    return catalog;
  }

  /** Applies one operation of migration `migrationIndex`. Unknown objects are created on the fly, never an error. */
  /** Called before a migration's first operation is visited: the previous migration's temporary tables are gone. */
  startMigration(migrationIndex: number): void {
    if (migrationIndex === this.lastMigration) return;
    this.lastMigration = migrationIndex;
    this.dropSchema(TEMP_SCHEMA);
  }

  apply(op: Operation, migrationIndex: number): void {
    this.startMigration(migrationIndex);
    switch (op.kind) {
      case "create-table": {
        const ref = op.temporary ? { schema: TEMP_SCHEMA, name: op.table.name } : op.table;
        if (op.ifNotExists && this.getTable(ref)) return;
        const table = this.newTable(ref, migrationIndex);
        for (const column of op.columns) table.columns.set(column.name, columnState(column, migrationIndex));
        for (const constraint of op.constraints) this.addConstraint(table, constraint.name, constraint.kind, constraint.columns, constraint.notValid, migrationIndex, constraint.expression, constraint.references?.table, constraint.references?.onDelete);
        for (const column of op.columns) this.addColumnConstraints(table, column, migrationIndex);
        return;
      }
      case "drop-table": {
        const table = this.getTable(op.table);
        if (table) this.tableMap.delete(keyOf(table));
        if (table) for (const [key, index] of this.indexMap) if (index.table === table.name && index.schema === table.schema) this.indexMap.delete(key);
        return;
      }
      case "rebuild-table": {
        // the copy takes the table's place: it keeps its age, and the copied columns theirs
        const old = this.getTable(op.table);
        const copy = this.getTable(op.from);
        if (old && copy) {
          copy.createdIn = old.createdIn;
          for (const { column, from } of op.copied) {
            const before = old.columns.get(from);
            const after = copy.columns.get(column);
            if (before && after) after.addedIn = before.addedIn;
          }
          const renamed = new Map(op.copied.map((c) => [c.from, c.column]));
          const oldKeys = [
            ...[...old.constraints.values()].filter((c) => (c.kind === "unique" || c.kind === "primary-key") && !c.notValid).map((c) => c.columns),
            ...this.indexesOf(old).filter((i) => i.unique).map((i) => i.columns),
          ];
          const keys = oldKeys.filter((k) => k.length > 0 && k.every((c) => renamed.has(c))).map((k) => k.map((c) => renamed.get(c)!));
          copy.copiedKeys = { migration: migrationIndex, keys };
        }
        if (old) this.tableMap.delete(keyOf(old));
        if (old) for (const [key, index] of this.indexMap) if (index.table === old.name && index.schema === old.schema) this.indexMap.delete(key);
        return;
      }
      case "rename-table": {
        const table = this.getTable(op.table);
        // ALTER TABLE also renames an index (Postgres accepts ALTER TABLE for any relation)
        if (!table) return this.renameIndex(op.table, op.newName);
        this.tableMap.delete(keyOf(table));
        for (const index of this.indexMap.values()) if (index.table === table.name && index.schema === table.schema) index.table = op.newName;
        table.name = op.newName;
        this.put(this.tableMap, keyOf({ schema: table.schema, name: table.name }), table);
        return;
      }
      case "add-column": {
        const table = this.tableFor(op.table);
        if (op.ifNotExists && table.columns.has(op.column.name)) return;
        table.columns.set(op.column.name, columnState(op.column, migrationIndex));
        this.addColumnConstraints(table, op.column, migrationIndex);
        return;
      }
      case "drop-column": {
        const table = this.getTable(op.table);
        if (table) this.dropColumn(table, op.column);
        return;
      }
      case "rename-column": {
        const table = this.getTable(op.table);
        const column = table?.columns.get(op.column);
        if (!table || !column) return;
        table.columns.delete(op.column);
        column.name = op.newName;
        table.columns.set(op.newName, column);
        const rename = (n: string) => (n === op.column ? op.newName : n);
        for (const c of table.constraints.values()) c.columns = c.columns.map(rename);
        for (const index of this.indexesOf(table)) index.columns = index.columns.map(rename);
        return;
      }
      case "alter-column": {
        const table = this.tableFor(op.table);
        let column = table.columns.get(op.column);
        if (!column) {
          column = { name: op.column, type: null, notNull: false, default: null, addedIn: migrationIndex };
          table.columns.set(op.column, column);
        }
        const change = op.change;
        if (change.kind === "set-type") column.type = change.type;
        else if (change.kind === "set-not-null") column.notNull = true;
        else if (change.kind === "drop-not-null") column.notNull = false;
        else if (change.kind === "set-default") column.default = change.default;
        else if (change.kind === "drop-default") column.default = null;
        return;
      }
      case "create-index": {
        // an index lives in its table's schema
        const schema = this.getTable(op.table)?.schema ?? op.table.schema ?? DEFAULT_SCHEMA;
        if (op.name && op.ifNotExists && this.indexMap.has(`${schema}.${op.name}`)) return;
        const name = op.name ?? this.defaultIndexName(schema, op.table.name, op.columns);
        this.put(this.indexMap, `${schema}.${name}`, { schema, name, table: op.table.name, columns: op.columns, unique: op.unique, createdIn: migrationIndex });
        return;
      }
      case "drop-index":
        this.deleteIndex(this.getIndex(op.index));
        return;
      case "rename-index":
        return this.renameIndex(op.index, op.newName);
      case "add-constraint": {
        const table = this.tableFor(op.table);
        const c = op.constraint;
        let columns = c.columns;
        if (c.usingIndex) {
          // ADD CONSTRAINT ... USING INDEX: the index now backs the constraint and takes its name
          const index = this.getIndex({ schema: table.schema, name: c.usingIndex });
          this.indexMap.delete(keyOf({ schema: table.schema, name: c.usingIndex }));
          columns = index?.columns ?? columns;
        }
        this.addConstraint(table, c.name ?? c.usingIndex ?? defaultConstraintName(table.name, c.kind, columns), c.kind, columns, c.notValid, migrationIndex, c.expression, c.references?.table);
        if (c.kind === "primary-key") for (const name of columns) { const col = table.columns.get(name); if (col) col.notNull = true; }
        return;
      }
      case "drop-constraint":
        this.getTable(op.table)?.constraints.delete(op.name);
        return;
      case "validate-constraint": {
        const constraint = this.getTable(op.table)?.constraints.get(op.name);
        if (constraint) constraint.notValid = false;
        return;
      }
      case "rename-constraint": {
        const table = this.getTable(op.table);
        if (table) this.renameConstraint(table, op.name, op.newName);
        return;
      }
      case "create-enum":
        this.put(this.enumMap, keyOf(op.type), { schema: op.type.schema ?? DEFAULT_SCHEMA, name: op.type.name, values: [...op.values], createdIn: migrationIndex });
        return;
      case "add-enum-value": {
        const existing = this.getEnum(op.type);
        const enumState = existing ?? { schema: op.type.schema ?? DEFAULT_SCHEMA, name: op.type.name, values: [], createdIn: migrationIndex };
        if (!existing) this.put(this.enumMap, keyOf(op.type), enumState);
        if (enumState.values.includes(op.value)) return;
        const neighbor = op.before ?? op.after;
        const at = neighbor ? enumState.values.indexOf(neighbor) : -1;
        if (at < 0) enumState.values.push(op.value);
        else enumState.values.splice(op.after ? at + 1 : at, 0, op.value);
        return;
      }
      case "rename-enum-value": {
        const enumState = this.getEnum(op.type);
        if (enumState) enumState.values = enumState.values.map((v) => (v === op.value ? op.newValue : v));
        return;
      }
      case "rename-type":
        return this.moveType(op.type, op.type.schema ?? DEFAULT_SCHEMA, op.newName);
      case "drop-type": {
        this.enumMap.delete(keyOf(op.type));
        // CASCADE drops the columns of that type with it
        if (op.cascade) for (const { table, column } of this.columnsOfType(op.type)) this.dropColumn(table, column.name);
        return;
      }
      case "set-schema": {
        if (op.object === "type") return this.moveType(op.name, op.newSchema, op.name.name);
        const table = this.getTable(op.name);
        if (!table) return;
        // the table's indexes move with it
        for (const index of this.indexesOf(table)) {
          this.indexMap.delete(`${index.schema}.${index.name}`);
          index.schema = op.newSchema;
          this.put(this.indexMap, `${index.schema}.${index.name}`, index);
        }
        this.tableMap.delete(keyOf(table));
        table.schema = op.newSchema;
        this.put(this.tableMap, keyOf(table), table);
        return;
      }
      case "truncate":
        for (const ref of op.tables) this.tableFor(ref).emptied = emptiedBy(op, migrationIndex, true);
        return;
      case "data-change": {
        if (op.action === "delete" && !op.hasWhere) this.tableFor(op.table).emptied = emptiedBy(op, migrationIndex, false);
        else if (op.action === "insert") this.forgetEmptied(op.table);
        return;
      }
      case "other":
        // DO blocks, COPY, MERGE, CALL, SELECT of a function...: may insert anywhere
        if (MAY_INSERT.has(op.nodeType)) for (const table of this.tableMap.values()) table.emptied = null;
        return;
      case "drop-schema":
        return this.dropSchema(op.schema);
      default:
        return;
    }
  }

  private newTable(ref: QualifiedName, migrationIndex: number): TableState {
    const table: TableState = { schema: ref.schema ?? DEFAULT_SCHEMA, name: ref.name, columns: new Map(), constraints: new Map(), createdIn: migrationIndex };
    this.put(this.tableMap, keyOf(ref), table);
    return table;
  }

  /**
   * The table an ALTER refers to. A table the history never created (made
   * by hand, by an extension, or before a baseline) is recorded as existing
   * since before the first migration, which is the safe assumption for lock
   * and data-loss rules.
   */
  private tableFor(ref: QualifiedName): TableState {
    return this.getTable(ref) ?? this.newTable(ref, -1);
  }

  /** The name Postgres gives CREATE INDEX without one: table_col1_col2_idx (expressions as "expr"), numbered when taken. */
  private defaultIndexName(schema: string, table: string, columns: string[]): string {
    const base = [table, ...columns.map((c) => (c === "(expression)" ? "expr" : c)), "idx"].join("_");
    const taken = (name: string) => this.indexMap.has(`${schema}.${name}`) || this.tableMap.has(`${schema}.${name}`);
    let name = base;
    for (let n = 1; taken(name); n++) name = `${base}${n}`;
    return name;
  }

  private deleteIndex(index: IndexState | undefined) {
    if (index) this.indexMap.delete(`${index.schema}.${index.name}`);
  }

  /** Every object enters the catalog here, so that `holdsTemp` knows whether a migration left temporary objects. */
  private put<T extends { schema: string }>(map: Map<string, T>, key: string, value: T): void {
    if (value.schema === TEMP_SCHEMA) this.holdsTemp = true;
    map.set(key, value);
  }

  private dropSchema(schema: string) {
    // startMigration drops pg_temp before every migration: a scan of the whole catalog each time (10 ms over 820
    // migrations) where none of them created a temporary object
    if (schema === TEMP_SCHEMA) {
      if (!this.holdsTemp) return;
      this.holdsTemp = false;
    }
    for (const map of [this.tableMap, this.indexMap, this.enumMap] as Array<Map<string, { schema: string }>>) {
      for (const [key, value] of map) if (value.schema === schema) map.delete(key);
    }
  }

  private forgetEmptied(ref: QualifiedName) {
    const table = this.getTable(ref);
    if (table) table.emptied = null;
  }

  private indexesOf(table: TableState): IndexState[] {
    return [...this.indexMap.values()].filter((index) => index.table === table.name && index.schema === table.schema);
  }

  /** Inline PRIMARY KEY, UNIQUE and REFERENCES of a column: constraints named as Postgres names them. */
  private addColumnConstraints(table: TableState, column: ColumnSpec, migrationIndex: number) {
    if (column.primaryKey) this.addConstraint(table, `${table.name}_pkey`, "primary-key", [column.name], false, migrationIndex);
    if (column.unique) this.addConstraint(table, defaultConstraintName(table.name, "unique", [column.name]), "unique", [column.name], false, migrationIndex);
    if (column.references) this.addConstraint(table, defaultConstraintName(table.name, "foreign-key", [column.name]), "foreign-key", [column.name], false, migrationIndex, null, column.references.table);
  }

  /** Postgres drops the column's constraints and the indexes on it with the column. */
  private dropColumn(table: TableState, name: string) {
    table.columns.delete(name);
    for (const [key, c] of table.constraints) if (c.columns.includes(name)) table.constraints.delete(key);
    for (const index of this.indexesOf(table)) if (index.columns.includes(name)) this.indexMap.delete(`${index.schema}.${index.name}`);
  }

  /**
   * ALTER INDEX ... RENAME TO. The index behind a PRIMARY KEY, UNIQUE or
   * EXCLUDE constraint and the constraint share their name: Postgres renames both.
   */
  private renameIndex(ref: QualifiedName, newName: string) {
    const schema = ref.schema ?? DEFAULT_SCHEMA;
    const index = this.getIndex(ref);
    if (index) {
      this.deleteIndex(index);
      index.name = newName;
      this.put(this.indexMap, `${index.schema}.${index.name}`, index);
    }
    for (const table of this.tableMap.values()) {
      const constraint = table.schema === schema ? table.constraints.get(ref.name) : undefined;
      if (constraint && BACKED_BY_INDEX.has(constraint.kind)) return this.renameConstraint(table, ref.name, newName);
    }
  }

  /** ALTER TABLE ... RENAME CONSTRAINT, which renames the index behind it too. */
  private renameConstraint(table: TableState, name: string, newName: string) {
    const constraint = table.constraints.get(name);
    if (!constraint) return;
    table.constraints.delete(name);
    constraint.name = newName;
    table.constraints.set(newName, constraint);
    const index = BACKED_BY_INDEX.has(constraint.kind) ? this.getIndex({ schema: table.schema, name }) : undefined;
    if (index) {
      this.indexMap.delete(`${index.schema}.${name}`);
      index.name = newName;
      this.put(this.indexMap, `${index.schema}.${newName}`, index);
    }
  }

  /** ALTER TYPE ... RENAME TO / SET SCHEMA: the enum and every column of that type follow it. */
  private moveType(ref: QualifiedName, schema: string, name: string) {
    const enumState = this.getEnum(ref);
    if (enumState) {
      this.enumMap.delete(keyOf(ref));
      enumState.schema = schema;
      enumState.name = name;
      this.put(this.enumMap, keyOf(enumState), enumState);
    }
    for (const { column } of this.columnsOfType(ref)) {
      // an unqualified type name stays unqualified while the type stays in the default schema
      const typeSchema = column.type!.schema === null && schema === DEFAULT_SCHEMA ? null : schema;
      column.type = withTypeText({ ...column.type!, schema: typeSchema, name });
    }
  }

  private addConstraint(table: TableState, name: string | null, kind: ConstraintKind, columns: string[], notValid: boolean, migrationIndex: number, expression: string | null = null, references: QualifiedName | null = null, onDelete: string | null = null) {
    const key = name ?? `${table.name}_${columns.join("_")}_${kind}`;
    table.constraints.set(key, { name: key, kind, columns, notValid, expression, references, ...(onDelete ? { onDelete } : {}), addedIn: migrationIndex });
  }
}

/** Statements that may insert rows into any table (the history cannot tell which). */
const MAY_INSERT = new Set(["DoStmt", "CopyStmt", "MergeStmt", "CallStmt", "SelectStmt", "ExecuteStmt"]);

function emptiedBy(op: Operation, migration: number, truncated: boolean): EmptiedState {
  return { migration, statement: op.statement.index, line: op.statement.range.loc.start.line, truncated };
}

const BACKED_BY_INDEX = new Set<ConstraintKind>(["primary-key", "unique", "exclusion"]);

/** Is the column type (an array of it included) the user type `ref`? */
function isOfType(type: TypeSpec | null, ref: QualifiedName): boolean {
  return !!type && type.name === ref.name && (type.schema ?? DEFAULT_SCHEMA) === (ref.schema ?? DEFAULT_SCHEMA);
}

/** The name Postgres gives a constraint added without one (ChooseConstraintName in src/backend/commands/indexcmds.c). */
export function defaultConstraintName(table: string, kind: ConstraintKind, columns: string[]): string {
  const suffix = { "primary-key": "pkey", unique: "key", "foreign-key": "fkey", check: "check", exclusion: "excl", "not-null": "not_null", other: "constraint" }[kind];
  if (kind === "primary-key") return `${table}_pkey`;
  return [table, ...columns, suffix].join("_");
}

function columnState(column: ColumnSpec, migrationIndex: number): ColumnState {
  return { name: column.name, type: column.type, notNull: column.notNull || column.primaryKey, default: column.default, addedIn: migrationIndex };
}
