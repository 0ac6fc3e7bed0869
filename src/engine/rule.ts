/**
 * The rule contract (stable, public). A rule is data (`meta`) plus `create`,
 * which returns visitors keyed by operation kind, like ESLint's node visitors.
 */
import path from "node:path";
import { quoteIdent } from "../parse/quote.js";
import type { CatalogView, EmptiedState, TableState } from "../history/catalog.js";
import type { TableLock } from "../dialects/postgres/locks.js";
import type { BackfillModel, Capability, DialectId, IdentifierLimit, TransactionControl, TypeChange } from "../dialects/dialect.js";
import type { MigrationChanges } from "../git/changes.js";
import type { PrismaSchemaModel, PrismaField, PrismaModel, SchemaLocation } from "../schema/types.js";
import type { MigrationEntry, Operation, OperationKind, OperationOf, ParsedSqlFile, QualifiedName, RunnerInfo, SeverityName, SourceRange, Statement, TypeSpec } from "../types.js";
import type { FixFunction } from "./fixer.js";

export type { FixFunction, FixResult, FixTarget, RuleFixer } from "./fixer.js";
// edits rules build often: a statement first or last in the file, in the file's own line breaks
export { appendStatement, lineBreakOf, prependStatement } from "./fixer.js";
export { laterMigration, migrationFile, removeStatement } from "./later-migration.js";

export type PresetName = "recommended" | "strict" | "all";

export interface RuleMeta {
  /** kebab-case id; plugin rules are namespaced `<plugin>/<rule>` by the engine. */
  id: string;
  type: "problem" | "suggestion" | "layout";
  docs: {
    description: string;
    /** Link shown with every finding; built-in rules point at docs/rules/<id>.md. */
    url?: string;
    /** The smallest built-in preset that enables the rule (`all` = only in `all`). */
    preset: PresetName;
  };
  /** Severity used when a preset enables the rule. */
  defaultSeverity: Exclude<SeverityName, "off">;
  /** JSON Schema of the options object (validated with ajv; defaults applied). */
  schema?: Record<string, unknown>;
  /** Option values used when the config gives none. */
  defaultOptions?: Record<string, unknown>;
  /** Message templates by id, with `{{placeholders}}` filled from `data`. */
  messages: Record<string, string>;
  /** Safe-alternative templates by message id, shown as `help:` under the finding. */
  help?: Record<string, string>;
  /** What the rule needs from the engine; with `capabilities`, it runs only on dialects that have them (src/dialects/dialect.ts). */
  requires?: { history?: boolean; git?: boolean; capabilities?: Capability[] };
  /** The dialects whose own behaviour the rule is about (e.g. `["sqlite"]`); default: every dialect. Prefer `requires.capabilities` where the hazard is a feature several databases share. */
  dialects?: DialectId[];
  /**
   * Set when the rule's findings may carry a `fix` (applied by `--fix`), as in ESLint: `"code"` (or
   * `"whitespace"`). The engine drops a fix from a rule that does not declare it, and says so.
   */
  fixable?: "code" | "whitespace";
  /** Set when the rule's findings may carry `suggest` (offered, never applied by `--fix`), as in ESLint. */
  hasSuggestions?: boolean;
}

/** A rewrite a finding offers (ESLint's suggestion descriptor, plus the files it creates). */
export interface SuggestionDescriptor {
  /** Id of a template in `meta.messages` that says what it does (filled from `data`, else the report's `data`); or `desc`. */
  messageId?: string;
  data?: Record<string, string | number>;
  /** What it does, when there is no `messageId`. */
  desc?: string;
  /** The edit of the migration being linted. */
  fix: FixFunction;
  /** Files it creates (absolute paths), e.g. a new migration folder that sorts right after this one; or replaces whole (schema.prisma). */
  files?: Array<{ filePath: string; text: string }>;
  /**
   * The part of a suggestion that reads schema.prisma (whether it applies, its `data`, the files it rewrites),
   * completed when the report is built, after the lint, as a SchemaPart is: the rule does not wait for the schema.
   * Null drops the suggestion. Its `fix` is made at once (the migration's statements are released after its lint).
   */
  fromSchema?: () => { data?: Record<string, string | number>; files?: Array<{ filePath: string; text: string }> } | null;
}

export interface MigrationContext {
  /** Folder name, e.g. `20240101120000_add_user`. */
  name: string;
  /** Position in the history, 0-based. */
  index: number;
  entry: MigrationEntry;
  /** The parsed `migration.sql`. */
  file: ParsedSqlFile;
}

export interface ReportDescriptor {
  /** Id of a template in `meta.messages`. */
  messageId: string;
  /** Values of the template's {{placeholders}}; a SchemaPart (fieldPlace, modelPlace) is completed when the report is built. */
  data?: Record<string, string | number | SchemaPart>;
  /** Where to point: an operation, a statement, or an explicit range. Defaults to the migration's first line. */
  node?: Operation | Statement;
  range?: SourceRange;
  /** Overrides the help text for this finding. */
  help?: string;
  /** `"warn"`: this finding is at most a warning, whatever the rule's severity (a rule whose hazard is worse in some setups, e.g. mysql-zero-fill under a lax sql_mode). */
  atMost?: "warn";
  /** Report in another file (absolute path), e.g. migration_lock.toml for a project-level finding; `range` then defaults to 1:1. Such a finding carries no fix or suggestion. */
  file?: string;
  /**
   * A mechanical rewrite of this migration with the same end schema, applied by `--fix` (needs `meta.fixable`):
   * a function of the fixer (src/engine/fixer.ts) returning its edits. A fix that throws is dropped, not the finding.
   */
  fix?: FixFunction;
  /** Rewrites where the intent must be a person's, offered and never applied by `--fix` (needs `meta.hasSuggestions`). */
  suggest?: SuggestionDescriptor[];
}

export interface RuleContext<Options = Record<string, unknown>> {
  readonly id: string;
  readonly options: Options;
  readonly migration: MigrationContext;
  readonly project: {
    root: string;
    schema: PrismaSchemaModel | null;
    /** `provider` of migrations/migration_lock.toml, or null when there is none. */
    lockProvider: string | null;
    /** The dialect the migrations are linted as (from migration_lock.toml, else the datasource). */
    dialect: DialectId;
    /** What the dialect's database can do (src/dialects/dialect.ts): a message about locks or transactional DDL only where it has them. */
    capabilities: ReadonlySet<Capability>;
    /** The longest name the database takes and what it does with a longer one (src/dialects/dialect.ts); null without a limit. */
    identifierLimit: IdentifierLimit | null;
    /** What a data change over many rows does inside a migration on this database, and its batched form; undefined where the dialect has none. */
    backfill: BackfillModel | undefined;
    /** How data is saved outside the database before a drop: the tool, and the command for one table (`pg_dump -t`). */
    backup: { tool: string; table: string };
    /** What the database does with a BEGIN inside a transaction, or a COMMIT / ROLLBACK outside one. */
    transactionControl: TransactionControl;
    postgresVersion: number;
    runner: RunnerInfo;
    /** The text of a schema file (`location.file` of a model or field), for a suggestion that edits schema.prisma; undefined when it cannot be read. */
    schemaText(file: string): string | undefined;
    /**
     * False when schema.prisma cannot hold a model or field named `name` (ignoring case) for the table or column
     * `dbName`: no identifier of the schema is named so, or the two names differ (ignoring case) and no string
     * "dbName" (an @map or @@map argument) is in its text. Answered from the text, without waiting for the schema's
     * parse (which may still run in a worker). True says nothing: read `prismaModel` or `prismaField` to know.
     */
    schemaMayMap(name: string, dbName: string): boolean;
  };
  /** What git says changed since the base (`--base` / `--staged`); null without them or outside git. Rules with `requires.git` only run when it is set. */
  readonly git: MigrationChanges | null;
  /** The schema just before the operation being visited (includes what this migration did so far). */
  readonly catalog: CatalogView;
  /** True when the table existed before this migration started (so it may hold data and serve traffic). */
  existedBefore(table: QualifiedName): boolean;
  /** Folder name of the migration at a history index (as stored in catalog `createdIn` / `addedIn`); undefined for -1 (before the history). */
  migrationName(index: number): string | undefined;
  /** The table's catalog state, if the history knows it. */
  table(table: QualifiedName): TableState | undefined;
  /** The Prisma model (and field) for a table (and column), to point the fix at schema.prisma. */
  prismaModel(table: QualifiedName): PrismaModel | undefined;
  prismaField(table: QualifiedName, column: string): PrismaField | undefined;
  /**
   * Runs `work` once schema.prisma is parsed, so that a verdict that needs the schema does not wait for its worker:
   * at once when the schema is ready (or the project has none), else after the migrations that follow are linted.
   * `work` runs as this visitor would (its reports belong to this migration, a throw is this rule's internal-error,
   * its time is the rule's) and may read what it captured, the migration's file, the schema (`prismaModel`,
   * `prismaField`, `project`) and `migration`, never `catalog`, `table()` or `existedBefore()`, which have moved on.
   */
  whenSchema(work: () => void): void;
  /** The table locks the operation takes, with the history's knowledge of the column's previous type. */
  locks(op: Operation): TableLock[];
  /** What a column type change does to existing values, from the dialect's type table; undefined where the dialect has none (Postgres: see its lock model). */
  typeChange(from: TypeSpec, to: TypeSpec, column?: { primaryKey: boolean }): TypeChange | undefined;
  /** True when the statement sits inside an explicit BEGIN ... COMMIT block of its file. */
  inTransactionBlock(statement: Statement): boolean;
  /** Which transaction the statement runs in under the project's runner (docs/runner-model.md): equal numbers, one transaction. Computed once per migration. */
  transactionOf(statement: Statement): number;
  /**
   * The TRUNCATE or DELETE without WHERE that emptied the table earlier in the same transaction as
   * `statement` (no INSERT since), or null: the table then holds no rows a NOT NULL, a unique index, a
   * check or a type change could fail on. See EmptiedState.truncated for what a scan still reads.
   */
  emptiedInTransaction(table: QualifiedName, statement: Statement): EmptiedState | null;
  report(descriptor: ReportDescriptor): void;
}

type OperationVisitors = { [K in OperationKind]?: (op: OperationOf<K>) => void };

export interface RuleVisitors extends OperationVisitors {
  /** Before any operation of the migration. */
  Migration?: (migration: MigrationContext) => void;
  /** After all operations of the migration (the catalog then includes all of them). */
  "Migration:exit"?: (migration: MigrationContext) => void;
  /** Every statement, before its operations. */
  Statement?: (statement: Statement) => void;
  /** Once per run, after the whole history, on the instance of the last migration in scope (project-level checks). */
  "Project:exit"?: (migration: MigrationContext) => void;
}

export interface RuleModule<Options = Record<string, unknown>> {
  meta: RuleMeta;
  create(context: RuleContext<Options>): RuleVisitors;
}

/** Identity helper that types a rule module. */
export function defineRule<Options = Record<string, unknown>>(rule: RuleModule<Options>): RuleModule<Options> {
  return rule;
}

/** Fills `{{name}}` placeholders. */
/** A `{{key}}` of a message template. */
export const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function interpolate(template: string, data: Record<string, string | number | SchemaPart> | undefined): string {
  if (!data) return template;
  return template.replace(PLACEHOLDER, (whole, key: string) => (Object.hasOwn(data, key) ? String(data[key]) : whole));
}

export function formatName(ref: QualifiedName): string {
  return ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
}

// an identifier as SQL writes it (double-quoted, inner quotes doubled), for messages and help SQL
export { quoteIdent };

/** A string literal as SQL writes it (standard_conforming_strings is on since Postgres 9.1). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A name as SQL writes it, schema and name quoted apart (`"public"."User"`, not `"public.User"`): messages quote it, and help SQL runs as written. */
export function quoteName(ref: QualifiedName): string {
  return ref.schema ? `${quoteIdent(ref.schema)}.${quoteIdent(ref.name)}` : quoteIdent(ref.name);
}

/** Where a schema.prisma location is, for a message: its file relative to the project root, and its line (`prisma/schema.prisma:12`). */
export function schemaPlace(context: { project: { root: string } }, location: SchemaLocation): string {
  return `${path.relative(context.project.root, location.file) || location.file}:${location.range.loc.start.line}`;
}

/**
 * A part of a finding's message or help that names schema.prisma (a model, a field, its line), put in `data` instead
 * of a string: the engine completes the text when the report is built, after the lint, so a rule never waits for the
 * schema, which may still be parsing in a worker (that wait was ~80 ms of a cold run). `text` may read the schema
 * (`context.prismaModel`, `prismaField`) and what it captured, never the catalog, which has moved on by then.
 */
export class SchemaPart {
  constructor(readonly text: () => string) {}
  /** This part's text, or where it is empty, `other`'s. */
  or(other: SchemaPart): SchemaPart {
    return new SchemaPart(() => this.text() || other.text());
  }
  /** Anything that needs the text before the report is built (a suggestion's description) reads it now. */
  toString(): string {
    return this.text();
  }
}

type SchemaContext = Pick<RuleContext, "project" | "prismaModel" | "prismaField">;

/**
 * The field of `column` in `template`, or "" when the schema has none; completed when the report is built. The
 * template's {field} is `Model.field`, {name} and {type} the field's, {model} its model's name, {place} where it is
 * (`prisma/schema.prisma:12`, from the project root) and {shortPlace} the same with only the file's folder.
 * A template, not a function: a part waiting for the schema keeps nothing of its rule's state alive.
 */
export function fieldPlace(context: SchemaContext, table: QualifiedName, column: string, template: string): SchemaPart {
  const { prismaModel, prismaField } = context;
  const root = context.project.root;
  return new SchemaPart(() => {
    const model = prismaModel(table);
    const field = prismaField(table, column);
    return field && model ? fillPlace(template, root, field.location, { field: `${model.name}.${field.name}`, name: field.name, type: field.type, model: model.name }) : "";
  });
}

/** The model of `table` in `template` ({model}, {place}, {shortPlace} as in fieldPlace), or "" when the schema has none; completed when the report is built. */
export function modelPlace(context: SchemaContext, table: QualifiedName, template: string): SchemaPart {
  const { prismaModel } = context;
  const root = context.project.root;
  return new SchemaPart(() => {
    const model = prismaModel(table);
    return model ? fillPlace(template, root, model.location, { model: model.name }) : "";
  });
}

function fillPlace(template: string, root: string, location: SchemaLocation, values: Record<string, string>): string {
  const line = location.range.loc.start.line;
  const all: Record<string, string> = { ...values, place: schemaPlace({ project: { root } }, location), shortPlace: `${location.file.split(/[\\/]/).slice(-2).join("/")}:${line}` };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(all, key) ? all[key]! : whole));
}

/**
 * SQL quoted inside a message: on one line (a line break would split the finding in the one-line
 * formats: compact, github, gitlab) and at most `max` characters, cut with "…".
 */
export function abbreviate(sql: string, max = 80): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
