/**
 * A dialect is one database provider as a plug-in of the pipeline: everything
 * that differs between PostgreSQL, SQLite, MySQL or SQL Server lives behind
 * this interface, and the rest (discovery, the history catalog, the engine,
 * provider-neutral rules, formatters, the CLI) never asks which one it is.
 * docs/dialects.md says what each member means and how to add a dialect.
 */
import type { Operation, ParsedSqlFile, QualifiedName, RunnerInfo, Statement, TypeSpec } from "../types.js";
import type { TableLock } from "./postgres/locks.js";
import type { CatalogView } from "../history/catalog.js";
import type { ReplayOptions, ReplayReport } from "../replay/types.js";

/** The providers migration-lint has a dialect for, as migration_lock.toml spells them. */
export type DialectId = "postgresql" | "sqlite" | "mysql";

/**
 * What a database can do where a hazard depends on it. A rule that needs one
 * (`meta.requires.capabilities`) runs only on dialects that have it: the
 * engine skips it elsewhere, so the rule never branches on the provider.
 */
export type Capability =
  /** DDL runs inside a transaction and rolls back with it (a failed file leaves nothing behind). */
  | "transactional-ddl"
  /** Table-level lock modes per statement (Postgres's ACCESS EXCLUSIVE, SHARE, ...), the model behind `RuleContext.locks`. */
  | "table-locks"
  /** `CREATE INDEX CONCURRENTLY` and the other non-blocking forms that cannot run in a transaction. */
  | "concurrent-index"
  /** `CREATE TYPE ... AS ENUM` with `ALTER TYPE ... ADD VALUE`. */
  | "enum-types"
  /** `ALTER TABLE ... ALTER COLUMN` that changes a type, nullability or default in place. */
  | "alter-column"
  /** Session settings that bound a lock wait (`lock_timeout`, `statement_timeout`). */
  | "lock-timeout"
  /** NOT VALID constraints validated later with a weaker lock. */
  | "not-valid-constraints"
  /** Domains (`CREATE DOMAIN ... CHECK`). */
  | "domains"
  /** Maintenance commands that take strong locks (VACUUM FULL, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW). */
  | "maintenance-commands"
  /**
   * Making existing rows need a value (ADD COLUMN ... NOT NULL without a default, SET NOT NULL, a rebuild's copy into
   * a NOT NULL column) fails on a row without one, whatever the session's settings. MySQL instead fills the type's
   * implicit default (0, '', '0000-00-00'), or fails only under a strict sql_mode: mysql-zero-fill's finding.
   */
  | "not-null-check"
  /** `ALTER TABLE ... ADD COLUMN ... NOT NULL` without a default is accepted on a table (then checked or filled row by row); SQLite refuses it on every table, even an empty one, so Prisma rebuilds the table instead. */
  | "add-not-null-column"
  /** A write locks the rows it changes and the rest of the table stays writable (Postgres, InnoDB); SQLite has one write lock for the whole database. */
  | "row-locks"
  /** Names have a maximum length (`identifiers.limit`): longer ones are truncated (Postgres) or rejected (MySQL). */
  | "identifier-limit"
  /** Names over `identifiers.limit` are truncated in silence (Postgres), so the database and schema.prisma disagree. */
  | "identifier-truncation";

/** What the runner resolution reads: the Prisma version found (or configured), the prisma.config text, and the configured runner. */
export interface RunnerInput {
  configuredVersion?: string | undefined;
  detected: { version: string; source: string } | null;
  prismaConfigText: string | null;
  /** The `runner` config key: what applies the files instead of `prisma migrate deploy`, if anything. */
  configuredRunner?: "prisma" | "d1" | "transaction" | undefined;
}

export interface Dialect {
  id: DialectId;
  /** Name for messages ("PostgreSQL"). */
  displayName: string;
  capabilities: ReadonlySet<Capability>;
  identifiers: {
    /** The longest name the database takes and what it does with a longer one; null when there is no limit (SQLite). */
    limit: IdentifierLimit | null;
    /** Schema an unqualified name resolves to (Postgres `public`); null where the database has no schemas to speak of. */
    defaultSchema: string | null;
    /** How the database quotes a name: `"` (standard SQL) or a backtick (MySQL). Messages and help SQL quote names with it. */
    quote: '"' | "`";
  };
  /**
   * Parses a migration file into statements with exact ranges (comments kept and
   * attached) and fills each statement's provider-neutral `operations`. Never
   * throws on bad SQL: a statement that does not parse becomes a `parseErrors` entry
   * at its line, and the rest of the file goes on.
   */
  parseFile(path: string, text: string): Promise<ParsedSqlFile>;
  /** A file known only by its text (its findings and catalog effect come from the cache). */
  liteFile(path: string, text: string): ParsedSqlFile;
  /** Drops the parser's syntax trees once a file is linted; statements, operations, ranges and comments stay. */
  releaseSyntaxTrees(file: ParsedSqlFile): void;
  /**
   * Operations that depend on the history (SQLite: which columns a table rebuild leaves behind), added just before
   * the migration is linted, with the catalog as it stands when the migration starts. Optional.
   */
  withHistory?(file: ParsedSqlFile, catalog: CatalogView): void;
  /** The table locks an operation takes, and for how long (`RuleContext.locks`). */
  locks(op: Operation, options: { postgresVersion: number; previousType: TypeSpec | null; indexTable: QualifiedName | null }): TableLock[];
  /** How `prisma migrate deploy` (or the configured runner) executes a file, per Prisma version: docs/runner-model.md. */
  runner(input: RunnerInput): RunnerInfo;
  /** Which statements share a transaction under a runner model: equal numbers, one transaction. */
  transactionIds(statements: Statement[], model: RunnerInfo["model"]): number[];
  /**
   * What a column type change does to existing values, where the database has no rewrite-and-lock model
   * for it (Postgres's lives in its lock model, src/dialects/postgres/locks.ts, so it has none here).
   */
  typeChange?(from: TypeSpec, to: TypeSpec, column?: { primaryKey: boolean }): TypeChange;
  /** How data is saved outside the database before it is dropped: the tool, and the command for one table (help of destructive-change, missing-rollback). */
  backup: { tool: string; table: string };
  /** What the database does with transaction control out of place (transaction-balance), as clauses for its messages. */
  transactionControl: TransactionControl;
  /** What a data change over many rows does inside a migration, and its batched form (unbatched-backfill); absent where the rule does not run. */
  backfill?: BackfillModel;
  /** Loads the replay engine for this provider (lazily: only `--replay` and `--drift-only` pay for it). */
  loadReplay(): Promise<{ replay(options: ReplayOptions): Promise<ReplayReport> }>;
}

/** Transaction control out of place, as the database treats it (`Dialect.transactionControl`, read by transaction-balance). */
export interface TransactionControl {
  /** A BEGIN inside an open transaction: the clause after "BEGIN inside an open transaction block (opened on line N) ". */
  nestedBegin: string;
  /** A COMMIT or ROLLBACK with no transaction open, where each statement runs on its own: the clause after "it does not close a block of its own but ". */
  strayEnd: string;
}

/** One statement changing many rows inside a migration, as a database runs it (`Dialect.backfill`, read by unbatched-backfill). */
export interface BackfillModel {
  /** What it holds while it runs and what the application sees meanwhile: the clause after "... runs inside the migration as one statement: ". */
  holds: string;
  /** One batch of the batched form in this database's SQL; `table` and `key` are quoted, the `<...>` parts are the user's. */
  batch(action: "update" | "delete" | "insert", table: string, key: string): string;
}

/** How long a name may be (`Dialect.identifiers.limit`, read by identifier-too-long). */
export interface IdentifierLimit {
  max: number;
  /** What `max` counts: UTF-8 bytes (Postgres's NAMEDATALEN) or characters (MySQL). */
  unit: "bytes" | "characters";
  /** What the database does with a longer name: keeps the first `max` in silence (Postgres), or refuses the statement (MySQL, error 1059). */
  over: "truncated" | "rejected";
  /** For `rejected`: the database's error, as a message quotes it. */
  error?: string;
}

/** What a column type change does to existing values (a dialect's type table, `Dialect.typeChange`). */
export interface TypeChange {
  /** `same`: nothing changes; `widening`: every value fits; `narrowing`: some values may not fit. */
  kind: "same" | "widening" | "narrowing";
  /** For `narrowing`: which values do not fit, as a clause ("values longer than 30 characters do not fit"). */
  why: string;
  /** For `narrowing` where the database keeps a value that does not fit as it is (SQLite's type affinity): false; true where such a value makes the statement fail whatever the settings (SQLite's INTEGER PRIMARY KEY). Unset: the database's own rule (MySQL: by sql_mode). */
  fails?: boolean;
}

/** What a rule declares about where its hazard exists (`meta.dialects`, `meta.requires.capabilities`). */
export interface DialectRequirements {
  dialects?: readonly DialectId[];
  requires?: { capabilities?: readonly Capability[] };
}

/** True when the rule's hazard exists on this dialect: the engine runs it only then. */
export function appliesTo(meta: DialectRequirements, dialect: Pick<Dialect, "id" | "capabilities">): boolean {
  if (meta.dialects && !meta.dialects.includes(dialect.id)) return false;
  return (meta.requires?.capabilities ?? []).every((c) => dialect.capabilities.has(c));
}
