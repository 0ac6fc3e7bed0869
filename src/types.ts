/**
 * Public types of migration-lint. Everything exported from here is part of the
 * stable contract (rule authors, API users, formatters): change with care.
 */

/** A position in a source file: 1-based line and column (column counts UTF-16 code units, like ESLint). */
export interface Position {
  line: number;
  column: number;
}

/**
 * A span of source text. `start`/`end` are offsets into the decoded file text
 * (JavaScript string indices, BOM removed); `loc` is the same span as 1-based
 * line/column with an exclusive end column, as ESLint reports it.
 */
export interface SourceRange {
  start: number;
  end: number;
  loc: { start: Position; end: Position };
}

export type Severity = 0 | 1 | 2;
export type SeverityName = "off" | "warn" | "error";
export type SeverityInput = Severity | SeverityName;

/** A table (or other relation) name, schema-qualified where the SQL qualified it. */
export interface QualifiedName {
  /** `null` when the SQL did not qualify the name (Postgres resolves it with search_path, usually `public`). */
  schema: string | null;
  name: string;
}

/** A comment in a migration file (`-- ...` or `/* ... *\/`). */
export interface SqlComment {
  kind: "line" | "block";
  /** The comment text without its delimiters. */
  text: string;
  range: SourceRange;
}

/** One SQL statement of a migration file, exactly as written. */
export interface Statement {
  /** 0-based position of the statement in its file. */
  index: number;
  /** The statement's source text (without the terminating semicolon). */
  text: string;
  range: SourceRange;
  /** Type of the libpg-query node, e.g. `AlterTableStmt`; `null` when the statement did not parse. */
  nodeType: string | null;
  /** The raw libpg-query node (`{ [nodeType]: {...} }`); `null` when the statement did not parse. */
  node: unknown;
  /** Comments directly above the statement (after the previous statement). */
  leadingComments: SqlComment[];
  /** The operations this statement performs (empty when it did not parse). */
  operations: Operation[];
}

/** Postgres type as written: normalized name plus modifiers, e.g. `varchar(255)`, `int4`, `"Role"[]`. */
export interface TypeSpec {
  /** Lower-cased, catalog-qualified names dropped: `int4`, `varchar`, `timestamp`, `Role` (user types keep their case). */
  name: string;
  /** Schema of a user-defined type, when qualified. */
  schema: string | null;
  /** Type modifiers, e.g. `[255]` for varchar(255), `[10, 2]` for numeric(10,2). */
  modifiers: number[];
  /** Number of array dimensions (`text[]` is 1). */
  arrayDims: number;
  /** Canonical text, e.g. `varchar(255)`, `numeric(10,2)`, `text[]`. */
  text: string;
}

export interface DefaultSpec {
  /** The default expression's source text. */
  text: string;
  /** True when the expression calls a volatile function (e.g. `gen_random_uuid()`, `clock_timestamp()`, `random()`). */
  volatile: boolean;
}

export interface ColumnSpec {
  name: string;
  type: TypeSpec | null;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  default: DefaultSpec | null;
  /** `GENERATED ALWAYS AS (...) STORED`. */
  generated: boolean;
  /** `GENERATED ... AS IDENTITY` or a serial type. */
  identity: boolean;
  references: { table: QualifiedName; columns: string[] } | null;
}

export type ConstraintKind =
  | "primary-key"
  | "unique"
  | "foreign-key"
  | "check"
  | "exclusion"
  | "not-null"
  | "other";

export interface ConstraintSpec {
  name: string | null;
  kind: ConstraintKind;
  columns: string[];
  /** Added with NOT VALID (checks and foreign keys only). */
  notValid: boolean;
  /** `ADD CONSTRAINT ... UNIQUE/PRIMARY KEY USING INDEX "idx"`. */
  usingIndex: string | null;
  /** CHECK constraints: the expression as written, e.g. `("email" IS NOT NULL)`; null for other kinds. */
  expression: string | null;
  references: { table: QualifiedName; columns: string[]; onDelete: string | null; onUpdate: string | null } | null;
}

/** The exact change of an ALTER COLUMN clause. */
export type ColumnChange =
  | { kind: "set-type"; type: TypeSpec; using: string | null }
  | { kind: "set-not-null" }
  | { kind: "drop-not-null" }
  | { kind: "set-default"; default: DefaultSpec }
  | { kind: "drop-default" }
  | { kind: "other"; subtype: string };

export type TransactionAction = "begin" | "commit" | "rollback" | "savepoint" | "release" | "rollback-to" | "other";

interface OperationBase {
  /** The statement this operation belongs to. */
  statement: Statement;
  /** The operation's own source range (one clause of a multi-clause ALTER TABLE, or the whole statement). */
  range: SourceRange;
  /** The raw libpg-query node of the clause or statement. */
  node: unknown;
}

/** The provider-neutral vocabulary of what a migration does. */
export type Operation =
  | (OperationBase & { kind: "create-table"; table: QualifiedName; columns: ColumnSpec[]; constraints: ConstraintSpec[]; ifNotExists: boolean; asSelect: boolean; partitionOf: QualifiedName | null; /** CREATE TEMP TABLE: lives in the session's pg_temp schema, which unqualified names resolve to first. */ temporary: boolean })
  | (OperationBase & { kind: "drop-table"; table: QualifiedName; ifExists: boolean; cascade: boolean })
  /**
   * A table rebuilt by copying it (SQLite's `-- RedefineTables`: CREATE TABLE "new_X", INSERT INTO "new_X" ... SELECT
   * ... FROM "X", DROP TABLE "X", ALTER TABLE "new_X" RENAME TO "X"), on the DROP TABLE statement. `copied` maps each
   * column of the new table filled from an old column; `dropped` are old columns the copy leaves behind, `added` new
   * columns it does not fill. The copy statement also carries them as drop-column / rename-column / add-column.
   */
  | (OperationBase & { kind: "rebuild-table"; table: QualifiedName; from: QualifiedName; copied: Array<{ column: string; from: string }>; columns: string[]; dropped: string[]; added: string[]; copyStatement: number; renameStatement: number })
  | (OperationBase & { kind: "rename-table"; table: QualifiedName; newName: string })
  | (OperationBase & { kind: "add-column"; table: QualifiedName; column: ColumnSpec; ifNotExists: boolean })
  | (OperationBase & { kind: "drop-column"; table: QualifiedName; column: string; ifExists: boolean; cascade: boolean })
  | (OperationBase & { kind: "rename-column"; table: QualifiedName; column: string; newName: string })
  | (OperationBase & { kind: "alter-column"; table: QualifiedName; column: string; change: ColumnChange })
  | (OperationBase & { kind: "create-index"; table: QualifiedName; name: string | null; columns: string[]; unique: boolean; concurrently: boolean; method: string; partial: boolean; ifNotExists: boolean })
  | (OperationBase & { kind: "drop-index"; index: QualifiedName; concurrently: boolean; ifExists: boolean; cascade: boolean })
  | (OperationBase & { kind: "rename-index"; index: QualifiedName; newName: string })
  | (OperationBase & { kind: "add-constraint"; table: QualifiedName; constraint: ConstraintSpec })
  | (OperationBase & { kind: "drop-constraint"; table: QualifiedName; name: string; ifExists: boolean; cascade: boolean })
  | (OperationBase & { kind: "validate-constraint"; table: QualifiedName; name: string })
  | (OperationBase & { kind: "rename-constraint"; table: QualifiedName; name: string; newName: string })
  | (OperationBase & { kind: "create-enum"; type: QualifiedName; values: string[] })
  | (OperationBase & { kind: "add-enum-value"; type: QualifiedName; value: string; ifNotExists: boolean; before: string | null; after: string | null })
  | (OperationBase & { kind: "rename-enum-value"; type: QualifiedName; value: string; newValue: string })
  | (OperationBase & { kind: "rename-type"; type: QualifiedName; newName: string })
  | (OperationBase & { kind: "drop-type"; type: QualifiedName; ifExists: boolean; cascade: boolean })
  /** `ALTER TABLE ... SET SCHEMA` (the table moves with its indexes and constraints) or `ALTER TYPE ... SET SCHEMA`. */
  | (OperationBase & { kind: "set-schema"; object: "table" | "type"; name: QualifiedName; newSchema: string })
  | (OperationBase & { kind: "drop-schema"; schema: string; ifExists: boolean; cascade: boolean })
  | (OperationBase & { kind: "drop-database"; database: string })
  | (OperationBase & { kind: "truncate"; tables: QualifiedName[]; cascade: boolean })
  | (OperationBase & {
      kind: "data-change";
      action: "insert" | "update" | "delete";
      table: QualifiedName;
      hasWhere: boolean;
      fromSelect: boolean;
      /** Columns the WHERE pins to constants (`id = 5`, `id IN (1, 2)`), where the dialect reads them (MySQL, SQLite); Postgres's rules read its tree. */
      keyFilter?: string[];
    })
  | (OperationBase & { kind: "transaction"; action: TransactionAction })
  | (OperationBase & { kind: "set"; name: string; value: string | null; local: boolean })
  | (OperationBase & { kind: "reindex"; target: "index" | "table" | "schema" | "database" | "system"; name: QualifiedName; concurrently: boolean })
  | (OperationBase & { kind: "refresh-materialized-view"; view: QualifiedName; concurrently: boolean })
  | (OperationBase & { kind: "attach-partition"; table: QualifiedName; partition: QualifiedName })
  | (OperationBase & { kind: "detach-partition"; table: QualifiedName; partition: QualifiedName; concurrently: boolean })
  | (OperationBase & { kind: "vacuum"; tables: QualifiedName[]; full: boolean })
  | (OperationBase & { kind: "cluster"; table: QualifiedName | null })
  | (OperationBase & { kind: "lock-table"; tables: QualifiedName[]; mode: LockMode })
  | (OperationBase & { kind: "other"; nodeType: string });

/** Postgres table-level lock modes, weakest first. */
export type LockMode =
  | "ACCESS SHARE"
  | "ROW SHARE"
  | "ROW EXCLUSIVE"
  | "SHARE UPDATE EXCLUSIVE"
  | "SHARE"
  | "SHARE ROW EXCLUSIVE"
  | "EXCLUSIVE"
  | "ACCESS EXCLUSIVE";

export type OperationKind = Operation["kind"];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** Why a file or statement could not be read: bad SQL, a bad encoding, or a limit of the parser. */
export type ParseErrorKind = "syntax" | "encoding" | "limit" | "skipped";

/** A migration file parsed into statements and comments. */
export interface ParsedSqlFile {
  /** Absolute path. */
  path: string;
  /** Decoded text (BOM removed). */
  text: string;
  statements: Statement[];
  comments: SqlComment[];
  /** Statements that did not parse: message and range, reported as `parse-error`. */
  parseErrors: Array<{ message: string; range: SourceRange; kind?: ParseErrorKind }>;
  /** Convert an offset in `text` to a source range. */
  rangeOf(start: number, end: number): SourceRange;
}

/** One migration as its source (adapter) describes it. */
export interface MigrationEntry {
  /** Folder name, e.g. `20240101120000_add_user`. Sort key of the history. */
  name: string;
  /** Absolute folder path. */
  dir: string;
  /** Absolute path of the forward script (`migration.sql`). `null` when the folder has none. */
  upPath: string | null;
  /** Absolute path of `down.sql` beside it, if any. */
  downPath: string | null;
  /** Other files in the folder (README.md and the like), absolute. */
  extraFiles: string[];
  /** Set when the folder itself cannot be listed (permissions): why, as a sentence. */
  readError?: string;
  /** Text of the small text files among `extraFiles` (`.md`, `.txt`, `.sql`, up to 256 KiB), read by the engine so rules never do I/O. */
  extraTexts?: Record<string, string>;
}

/** How `prisma migrate deploy` executes a migration file; see docs/runner-model.md. */
export type RunnerModel = "script-transaction" | "per-statement";

export interface RunnerInfo {
  model: RunnerModel;
  /** The Prisma version it was derived from, or null when unknown (then `script-transaction` is assumed). */
  prismaVersion: string | null;
  /** Where the version came from: `config`, `node_modules`, a lockfile, `package.json`, or `unknown`. */
  source: string;
  /**
   * Why each statement runs on its own where that does not depend on the Prisma version, as a clause for messages
   * (SQLite: "`prisma migrate deploy` runs a SQLite file statement by statement, in every Prisma version"); absent otherwise.
   */
  statementByStatement?: string;
}
