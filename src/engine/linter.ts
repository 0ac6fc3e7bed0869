/**
 * Runs rules over a migration history. Every migration is replayed into the
 * catalog in order; rules run only on the migrations in scope, each rule
 * isolated so that one that throws becomes an `internal-error` finding and
 * the run goes on.
 */
import { own } from "../own.js";
import { sha1Hex } from "../hash.js";
import { readFileSync } from "node:fs";
import { observe } from "../discover/observed.js";
import { Catalog } from "../history/catalog.js";
import type { PrismaSchemaModel } from "../schema/types.js";
import type { MigrationEntry, Operation, ParseErrorKind, ParsedSqlFile, QualifiedName, RunnerInfo, SourceRange, Statement } from "../types.js";
import type { ResolvedRule } from "../config/types.js";
import { interpolate, PLACEHOLDER, SchemaPart, type MigrationContext, type ReportDescriptor, type RuleContext, type RuleVisitors } from "./rule.js";
import type { LintMessage } from "./results.js";
import { completeSuggestion, reportFixes, type LaterSuggestion } from "./report-fixes.js";
import type { MigrationChanges } from "../git/changes.js";
import { statementsInTransactionBlock } from "../model/queries.js";
import { appliesTo, type Dialect } from "../dialects/dialect.js";
import { setIdentifierQuote } from "../parse/quote.js";
import { hasFile } from "../model/load.js";
import { addTime, timed, type PhaseTimings } from "./timings.js";
import type { TableLock } from "../dialects/postgres/locks.js";

export interface LoadedMigration {
  entry: MigrationEntry;
  index: number;
  /** The parsed migration.sql, or null when there is none or it could not be read (or is not parsed yet: `pending`). */
  file: ParsedSqlFile | null;
  /** Why `file` is null (missing, unreadable), as a sentence. */
  error: string | null;
  /** Set while the file still has to be parsed (see LintProjectOptions.prepare). */
  pending?: true;
}

export interface ProjectModel {
  root: string;
  /** May be a getter that parses (or waits for) the schema on first read. */
  readonly schema: PrismaSchemaModel | null;
  /** False while reading `schema` would wait (a worker still parsing it); absent: never waits. */
  schemaReady?: () => boolean;
  migrations: LoadedMigration[];
  runner: RunnerInfo;
  /** The provider's dialect: parsing, locks and transactions of its runner. */
  dialect: Dialect;
  postgresVersion: number;
  /** `provider` of migration_lock.toml, or null. */
  lockProvider: string | null;
  /** Git changes when linting against a base; null otherwise. */
  git?: MigrationChanges | null;
  /** A schema file's text when it is not (only) on disk, e.g. lintText's; otherwise it is read when a rule asks. */
  schemaText?: (file: string) => string | undefined;
  /** Every schema file's text, for RuleContext.project.schemaMayMap (absent: it always says "may"). */
  schemaSource?: string;
}

export const DOCS_BASE = "https://github.com/migration-lint/migration-lint/blob/main/docs/rules/";

/** Messages by absolute file path. */
export type MessagesByFile = Map<string, LintMessage[]>;

export interface LintProjectOptions {
  /** The catalog as it stands before `model.migrations[startIndex]` (restored from the cache). */
  catalog?: Catalog;
  /** Migrations before this index are already in `catalog` and are not replayed. */
  startIndex?: number;
  /**
   * In-scope migrations whose findings come from the cache: only the rules
   * that need git (whose answers change between runs) run on them.
   */
  cached?: Set<number>;
  /** Time a rule may spend in its visitors over the whole run before it is switched off (ms, default 10 000). */
  ruleTimeBudgetMs?: number;
  /** Parses a pending migration just before it is linted. */
  prepare?: (migration: LoadedMigration) => Promise<void>;
  /** Called as soon as a migration is linted, with the catalog just after it (e.g. to keep a snapshot of the catalog). */
  settle?: (migration: LoadedMigration) => void;
  /**
   * Called once nothing reads the migration's file any more (e.g. to drop its syntax trees): after `settle`, at once,
   * or for a migration with rule work waiting for the schema (RuleContext.whenSchema), after that work, which may
   * be after later migrations were released.
   */
  release?: (migration: LoadedMigration) => void;
  /** Gets the time spent replaying the history into the catalog (`history`) and in rule visitors (`rules`). */
  timings?: PhaseTimings;
  /**
   * Called for each statement of a freshly linted migration that takes table locks, with the locks of its
   * operations as `context.locks` gives them to rules, and whether each table existed before the migration
   * (the HTML report's lock column).
   */
  statementLocks?: (migration: LoadedMigration, statement: Statement, locks: Array<TableLock & { existed: boolean }>) => void;
}

/**
 * The table locks an operation takes by the dialect's lock model, with the history's knowledge: the column's
 * previous type for a type change, and the table of a dropped index. What `context.locks` answers.
 */
export function tableLocks(op: Operation, catalog: Catalog, dialect: Dialect, postgresVersion: number): TableLock[] {
  const index = op.kind === "drop-index" ? catalog.getIndex(op.index) : undefined;
  return dialect.locks(op, {
    postgresVersion,
    previousType: op.kind === "alter-column" ? catalog.getColumn(op.table, op.column)?.type ?? null : null,
    indexTable: index ? { schema: index.schema, name: index.table } : null,
  });
}

/** Per-run bookkeeping shared by every migration's rule instances. */
interface RunState {
  /** Time each rule spent in its visitors over the run, and whether it went over its budget (then it is switched off). */
  spent: Map<string, { ms: number; over: boolean }>;
  budgetMs: number;
  /** Time spent inside visitors on work that is not the rule's (waiting for the schema parse), over the run. */
  notTheRuleMs: number;
  /** prismaModel / prismaField, made once a run: a SchemaPart keeps them, not the migration's rule instances they were made beside. */
  lookups: Pick<RuleContext, "prismaModel" | "prismaField">;
  /** Findings whose data holds a SchemaPart: message and help are completed once the schema is ready (completeSchemaParts). */
  schemaParts: PendingTexts[];
  /** Rule work waiting for the schema (RuleContext.whenSchema), in the order it was asked for, and the migrations it holds whole. */
  deferred: Array<() => void>;
  held: LoadedMigration[];
  /** True while the deferred work runs: a whenSchema asked then runs at once (waiting for the schema if it must). */
  draining: boolean;
}

export const DEFAULT_RULE_TIME_BUDGET_MS = 10_000;

/**
 * Findings whose texts may wait for the schema before the lint waits for it instead: a bound on what they hold
 * (trigger.dev has ~300 such findings; the 5,000-migration synthetic history, with a 1.4 MB schema, thousands).
 */
const MAX_PENDING_TEXTS = 500;

/** Migrations held whole for rule work waiting for the schema before the lint waits for it instead (a bound on what they keep alive). */
const MAX_HELD_MIGRATIONS = 64;

/**
 * Heartbeat for a supervisor on another thread (src/cli/supervise.ts): a rule
 * stuck in an endless loop never returns, so only another thread can see it.
 * Slot 0 counts visitor calls, slot 1 is 1 while a visitor runs, slot 2 the
 * byte length of "<rule>\0<migration>" stored after the first 16 bytes.
 */
let heartbeat: { slots: Int32Array; label: Uint8Array } | null = null;
/** The label of a rule instance where no heartbeat watches (one array for all). */
const NO_LABEL = new Uint8Array();
const labelEncoder = new TextEncoder();

export function setHeartbeat(buffer: SharedArrayBuffer | null): void {
  heartbeat = buffer ? { slots: new Int32Array(buffer, 0, 4), label: new Uint8Array(buffer, 16) } : null;
}

function beat(label: Uint8Array): void {
  if (!heartbeat) return;
  const n = Math.min(label.length, heartbeat.label.length);
  heartbeat.label.set(label.subarray(0, n));
  Atomics.store(heartbeat.slots, 2, n);
  Atomics.store(heartbeat.slots, 1, 1);
  Atomics.add(heartbeat.slots, 0, 1);
}

function rest(): void {
  if (heartbeat) Atomics.store(heartbeat.slots, 1, 0);
}

/** First part of the heartbeat label while user code is being imported (not a rule: nothing to rerun without). */
export const LOADING_LABEL = "\u0001loading";

/** Imports user code (a config file, plugins, rules folders) where the supervisor sees it, so that one looping at import is stopped. */
export async function whileLoading<T>(what: string, load: () => Promise<T>): Promise<T> {
  beat(labelEncoder.encode(`${LOADING_LABEL}\0${what}`));
  try {
    return await load();
  } finally {
    rest();
  }
}

/**
 * Runs work a rule triggers but does not do (the first read of the schema parses it, or waits for its worker):
 * neither billed to the rule's time budget nor seen as the rule hanging. Billed to the first rule that read a
 * slow-to-parse schema, it switched that rule off, and its later findings went unreported.
 */
function notTheRule<T>(state: RunState, work: () => T): T {
  const started = performance.now();
  const busy = heartbeat !== null && Atomics.load(heartbeat.slots, 1) === 1;
  rest();
  try {
    return work();
  } finally {
    state.notTheRuleMs += performance.now() - started;
    if (busy) {
      Atomics.store(heartbeat!.slots, 1, 1);
      Atomics.add(heartbeat!.slots, 0, 1);
    }
  }
}

export async function lintProject(model: ProjectModel, allRules: ResolvedRule[], inScope: (m: LoadedMigration) => boolean, options: LintProjectOptions = {}): Promise<MessagesByFile> {
  // rules that need git information cannot run without it (the caller notes why)
  // and rules about a hazard this dialect does not have are skipped
  setIdentifierQuote(model.dialect.identifiers.quote);
  const rules = allRules.filter((r) => (model.git || !r.rule.meta.requires?.git) && appliesTo(r.rule.meta, model.dialect));
  const gitRules = rules.filter((r) => r.rule.meta.requires?.git);
  const out: MessagesByFile = new Map();
  const seenInternal = new Set<string>();
  const push = (file: string, message: LintMessage) => {
    // the Project:exit pass creates the rules once more: a create() that throws is reported once
    if (message.ruleId === "internal-error") {
      if (seenInternal.has(message.fingerprint)) return;
      seenInternal.add(message.fingerprint);
    }
    let list = out.get(file);
    if (!list) out.set(file, (list = []));
    list.push(message);
  };
  const catalog = options.catalog ?? new Catalog();
  const startIndex = options.startIndex ?? 0;
  const state: RunState = {
    spent: new Map(),
    budgetMs: options.ruleTimeBudgetMs ?? DEFAULT_RULE_TIME_BUDGET_MS,
    notTheRuleMs: 0,
    schemaParts: [],
    lookups: { prismaModel: () => undefined, prismaField: () => undefined },
    deferred: [],
    held: [],
    draining: false,
  };
  state.lookups = schemaLookups(model, state);
  // the rule work that waited for the schema, then the migrations it held whole, in order
  const runDeferred = () => {
    setIdentifierQuote(model.dialect.identifiers.quote);
    state.draining = true;
    for (let i = 0; i < state.deferred.length; i++) state.deferred[i]!();
    state.draining = false;
    state.deferred = [];
    for (const held of state.held) options.release?.(held);
    state.held = [];
  };

  for (const migration of model.migrations) {
    if (migration.index < startIndex && !options.cached?.has(migration.index)) continue;
    // a cached migration only runs the rules that read git (its other findings are cached); without them, nothing
    if (migration.index < startIndex && !gitRules.length) continue;
    if (migration.pending) await options.prepare?.(migration);
    // rules quote names as this dialect does; set again after every await, as another project may have run meanwhile
    setIdentifierQuote(model.dialect.identifiers.quote);
    catalog.startMigration(migration.index);
    const linted = inScope(migration);
    const file = migration.file;
    if (file) model.dialect.withHistory?.(file, catalog);
    if (!file) {
      if (linted) {
        push(migration.entry.upPath ?? migration.entry.dir, {
          ruleId: "file-error",
          severity: 2,
          fatal: true,
          message: migration.error ?? "Migration could not be read.",
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          fingerprint: fingerprint([migration.entry.name, "file-error"]),
          migration: migration.entry.name,
        });
      }
      continue;
    }
    if (!linted) {
      timed(options.timings, "history", () => {
        for (const statement of file.statements) for (const op of statement.operations) catalog.apply(op, migration.index);
      });
      options.settle?.(migration);
      options.release?.(migration);
      continue;
    }
    const fromCache = options.cached?.has(migration.index) ?? false;

    for (const error of fromCache ? [] : file.parseErrors) {
      // rows read only in part are a warning: nothing is known to be wrong with them
      const partial = error.kind === "skipped";
      push(file.path, {
        ruleId: "parse-error",
        severity: partial ? 1 : 2,
        ...(partial ? {} : { fatal: true }),
        message: parseErrorMessage(error),
        ...lineColumns(error.range),
        fingerprint: fingerprint([migration.entry.name, "parse-error", normalize(file.text.slice(error.range.start, error.range.end))]),
        migration: migration.entry.name,
      });
    }

    const deferredBefore = state.deferred.length;
    const run = instantiate(fromCache ? gitRules : rules, model, migration, file, catalog, push, state);
    const start = file.rangeOf(0, 0);
    run.call("Migration", run.context, start);
    const recordLocks = fromCache ? undefined : options.statementLocks;
    for (const statement of file.statements) {
      run.setStatement(statement);
      run.call("Statement", statement, statement.range);
      const locks: Array<TableLock & { existed: boolean }> = [];
      for (const op of statement.operations) {
        run.call(op.kind, op, op.range);
        if (recordLocks) for (const lock of tableLocks(op as Operation, catalog, model.dialect, model.postgresVersion)) locks.push({ ...lock, existed: existedBefore(catalog, lock.table, migration.index) });
        timed(options.timings, "history", () => catalog.apply(op as Operation, migration.index));
      }
      if (locks.length) recordLocks!(migration, statement, locks);
    }
    run.setStatement(null);
    run.call("Migration:exit", run.context, start);
    options.settle?.(migration);
    // rule work that waits for the schema keeps the migration whole; it runs as soon as the schema can be read without
    // waiting, or (a long history whose schema parses for most of the run) once MAX_HELD_MIGRATIONS wait
    const held = state.deferred.length > deferredBefore;
    if (held) state.held.push(migration);
    if (state.held.length && (state.held.length >= MAX_HELD_MIGRATIONS || schemaReadyNow(model))) runDeferred();
    // the texts that name schema.prisma, likewise, once MAX_PENDING_TEXTS wait: what they keep alive goes with them
    if (state.schemaParts.length && (state.schemaParts.length >= MAX_PENDING_TEXTS || schemaReadyNow(model))) completeSchemaParts(state, push);
    if (!held) options.release?.(migration);
  }
  runDeferred();

  // project-level checks run once, on the last migration in scope (or the newest one when none is)
  const last = newestWithFile(model.migrations, inScope) ?? newestWithFile(model.migrations, () => true);
  if (last?.file) {
    const run = instantiate(rules, model, last, last.file, catalog, push, state);
    run.call("Project:exit", run.context, last.file.rangeOf(0, 0));
  }
  completeSchemaParts(state, push);
  for (const { ms } of state.spent.values()) addTime(options.timings, "rules", ms);
  setIdentifierQuote('"');
  return out;
}

/** The newest migration with a file that `wanted` accepts (a search from the end: no list of the history made). */
function newestWithFile(migrations: LoadedMigration[], wanted: (m: LoadedMigration) => boolean): LoadedMigration | undefined {
  for (let i = migrations.length - 1; i >= 0; i--) if (hasFile(migrations[i]!) && wanted(migrations[i]!)) return migrations[i];
  return undefined;
}

/**
 * Completes the messages whose data holds a SchemaPart, now that the lint is done (the schema's worker has had the
 * whole lint to finish). A part that throws is the rule's bug: the part is left empty and an internal-error says so.
 */
function completeSchemaParts(state: RunState, push: (file: string, message: LintMessage) => void): void {
  for (const pending of state.schemaParts) {
    const texts = new Map<SchemaPart, string>();
    const textOf = (part: SchemaPart): string => {
      let text = texts.get(part);
      if (text === undefined) {
        try {
          text = part.text();
        } catch (err) {
          text = "";
          push(pending.file, internalError(pending.ruleId, pending.migration, err, pending.range));
        }
        texts.set(part, text);
      }
      return text;
    };
    const join = (pieces: Array<string | SchemaPart>) => pieces.map((p) => (typeof p === "string" ? p : textOf(p))).join("");
    beat(pending.label);
    try {
      if (pending.messagePieces) pending.message.message = join(pending.messagePieces);
      if (pending.helpPieces) pending.message.help = join(pending.helpPieces);
      if (pending.data) {
        const data: Record<string, string | number> = {};
        for (const [key, value] of Object.entries(pending.data)) data[key] = value instanceof SchemaPart ? textOf(value) : value;
        for (const later of pending.suggestions) {
          let keep = false;
          try {
            keep = completeSuggestion(later, data);
          } catch (err) {
            push(pending.file, internalError(pending.ruleId, pending.migration, err, pending.range));
          }
          if (!keep) pending.message.suggestions = pending.message.suggestions?.filter((s) => s !== later.suggestion);
        }
        if (pending.message.suggestions?.length === 0) delete pending.message.suggestions;
      }
    } finally {
      rest();
    }
  }
  state.schemaParts = [];
}

/** A finding whose texts wait for the schema (SchemaPart data, or a suggestion's fromSchema). */
interface PendingTexts {
  message: LintMessage;
  /** The message and help as `interpolate` would make them, but for the schema parts; null: complete already. */
  messagePieces: Array<string | SchemaPart> | null;
  helpPieces: Array<string | SchemaPart> | null;
  /** The report's data, kept only for suggestions whose description is made from it. */
  data: NonNullable<ReportDescriptor["data"]> | null;
  suggestions: LaterSuggestion[];
  ruleId: string;
  label: Uint8Array;
  file: string;
  migration: LoadedMigration;
  range: SourceRange;
}

/** `template` cut at its placeholders as `interpolate` fills them: text filled now, and the SchemaParts in their places. */
export function templatePieces(template: string, data: NonNullable<ReportDescriptor["data"]>): Array<string | SchemaPart> {
  const pieces: Array<string | SchemaPart> = [];
  let text = "";
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!Object.hasOwn(data, m[1]!)) continue; // left as written, as interpolate leaves it
    const value = data[m[1]!]!;
    text += template.slice(last, m.index);
    last = m.index + m[0].length;
    if (value instanceof SchemaPart) {
      pieces.push(text, value);
      text = "";
    } else text += String(value);
  }
  pieces.push(text + template.slice(last));
  return pieces;
}

/** Whether the schema can be read without waiting (for its worker's parse): also where it is parsed in this thread, or absent. */
function schemaReadyNow(model: ProjectModel): boolean {
  return model.schemaReady?.() ?? true;
}

/** RuleContext's prismaModel and prismaField for a run (the schema read, or waited for, outside the rules' time). */
function schemaLookups(model: ProjectModel, state: RunState): Pick<RuleContext, "prismaModel" | "prismaField"> {
  const schema = () => notTheRule(state, () => model.schema);
  return {
    prismaModel: (table) => schema()?.modelForTable(table.name, table.schema),
    prismaField: (table, column) => schema()?.modelForTable(table.name, table.schema)?.fields.find((f) => f.columnName === column && !f.relation),
  };
}

const schemaWordsOf = new WeakMap<ProjectModel, (name: string, dbName: string) => boolean>();
function schemaWords(model: ProjectModel): (name: string, dbName: string) => boolean {
  let mayMap = schemaWordsOf.get(model);
  if (!mayMap) schemaWordsOf.set(model, (mayMap = schemaTextMayMap(model.schemaSource!)));
  return mayMap;
}

/**
 * RuleContext.project.schemaMayMap for a schema's text: a model or field named `name` for `dbName` is either unmapped
 * (its name is `dbName`) or maps with @map / @@map("dbName"), a string in the text; and its name is an identifier of
 * the text (found with indexOf, answers kept by name: no index of the whole text, which for a 1.4 MB schema held
 * 35 MB more at the peak). Where a string has an escape, any string may be there.
 */
export function schemaTextMayMap(text: string): (name: string, dbName: string) => boolean {
  let lower: string | undefined;
  const identifiers = new Map<string, boolean>();
  const escapes = text.includes("\\");
  const identChar = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 95;
  const hasIdentifier = (word: string): boolean => {
    let found = identifiers.get(word);
    if (found === undefined) {
      lower ??= text.toLowerCase();
      found = false;
      for (let at = word ? lower.indexOf(word) : -1; at !== -1 && !found; at = lower.indexOf(word, at + 1)) {
        found = !identChar(lower.charCodeAt(at - 1)) && !identChar(lower.charCodeAt(at + word.length));
      }
      identifiers.set(word, found);
    }
    return found;
  };
  return (name, dbName) => hasIdentifier(name.toLowerCase()) && (name.toLowerCase() === dbName.toLowerCase() || escapes || text.includes(`"${dbName}"`));
}

/** A schema file as on disk (BOM removed), for RuleContext.project.schemaText; undefined when it cannot be read. */
function readSchemaText(file: string): string | undefined {
  observe(file, "content");
  try {
    const text = readFileSync(file, "utf8");
    return text.startsWith("\uFEFF") ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

/** True unless the history created the table in this migration (a table it does not know is taken as existing). */
function existedBefore(catalog: Catalog, table: QualifiedName, migrationIndex: number): boolean {
  const state = catalog.getTable(table);
  return !state || state.createdIn < migrationIndex;
}

/** A range from a rule, recomputed from its offsets and kept inside the file (a rule's arithmetic can be off). */
function clampRange(file: ParsedSqlFile, range: SourceRange): SourceRange {
  const n = file.text.length;
  const fix = (v: number) => (Number.isFinite(v) ? Math.max(0, Math.min(n, Math.floor(v))) : 0);
  const start = fix(range.start);
  return file.rangeOf(start, Math.max(start, fix(range.end)));
}

/** Creates the rule instances for one migration; `call` runs a visitor on each, isolating failures. */
function instantiate(rules: ResolvedRule[], model: ProjectModel, migration: LoadedMigration, file: ParsedSqlFile, catalog: Catalog, push: (file: string, message: LintMessage) => void, state: RunState) {
  const context: MigrationContext = { name: migration.entry.name, index: migration.index, entry: migration.entry, file };
  const occurrences = new Map<string, number>();
  type Instance = { rule: ResolvedRule; visitors: RuleVisitors; failed: boolean; label: Uint8Array; spent: { ms: number; over: boolean } };
  const instances: Instance[] = [];
  const byKind = new Map<string, Instance[]>();
  let current: Statement | null = null;
  // the instance whose create() or visitor is running, and where: whenSchema's work runs later as that visitor would
  let running: Instance | null = null;
  // a file's start, made once a migration (rangeOf makes a range: not once a rule, in every create())
  const fileStart = file.rangeOf(0, 0);
  let runningAt = fileStart;
  let transactionBlock: Set<number> | undefined;
  const schema = () => notTheRule(state, () => model.schema);
  let transactions: number[] | undefined;

  // the closures rules call, made once per migration rather than once per rule and migration
  const shared: Omit<RuleContext, "id" | "options" | "report"> = {
    migration: context,
    project: {
      root: model.root,
      // a getter: the schema may still be parsing in a worker, and most rule instances never read it
      get schema() {
        return schema();
      },
      lockProvider: model.lockProvider,
      dialect: model.dialect.id,
      capabilities: model.dialect.capabilities,
      identifierLimit: model.dialect.identifiers.limit,
      backfill: model.dialect.backfill,
      transactionControl: model.dialect.transactionControl,
      backup: model.dialect.backup,
      postgresVersion: model.postgresVersion,
      runner: model.runner,
      schemaText: (file) => model.schemaText?.(file) ?? readSchemaText(file),
      schemaMayMap: (name, dbName) => model.schemaSource === undefined || schemaWords(model)(name, dbName),
    },
    catalog,
    git: model.git ?? null,
    existedBefore: (table: QualifiedName) => existedBefore(catalog, table, migration.index),
    migrationName: (index) => model.migrations[index]?.entry.name,
    table: (table) => catalog.getTable(table),
    prismaModel: state.lookups.prismaModel,
    prismaField: state.lookups.prismaField,
    whenSchema: (work) => {
      const instance = running;
      if (!instance || state.draining || schemaReadyNow(model)) return work();
      const at = runningAt;
      state.deferred.push(() => invoke(instance, work, undefined, at, performance.now()));
    },
    locks: (op) => tableLocks(op, catalog, model.dialect, model.postgresVersion),
    typeChange: (from, to, column) => model.dialect.typeChange?.(from, to, column),
    inTransactionBlock: (statement) => (transactionBlock ??= statementsInTransactionBlock(file.statements)).has(statement.index),
    transactionOf: (statement) => (transactions ??= model.dialect.transactionIds(file.statements, model.runner.model))[statement.index]!,
    emptiedInTransaction: (table, statement) => {
      const emptied = catalog.getTable(table)?.emptied;
      if (!emptied || emptied.migration !== migration.index) return null;
      transactions ??= model.dialect.transactionIds(file.statements, model.runner.model);
      return transactions[emptied.statement] === transactions[statement.index] ? emptied : null;
    },
  };

  for (const rule of rules) {
    let spent = state.spent.get(rule.id);
    if (!spent) state.spent.set(rule.id, (spent = { ms: 0, over: false }));
    const instance = { rule, visitors: {} as RuleVisitors, failed: false, label: heartbeat ? labelEncoder.encode(`${rule.id}\0${migration.entry.name}`) : NO_LABEL, spent };
    const report = (descriptor: ReportDescriptor) => {
      const template = own(rule.rule.meta.messages, descriptor.messageId);
      if (template === undefined) throw new Error(`unknown messageId "${descriptor.messageId}"`);
      const range = descriptor.range ? clampRange(file, descriptor.range) : descriptor.node?.range ?? file.rangeOf(0, 0);
      const target = descriptor.file ?? file.path;
      const statement = descriptor.node ? ("statement" in descriptor.node ? descriptor.node.statement : descriptor.node) : current;
      const statementKey = [migration.entry.name, rule.id, descriptor.messageId, normalize(statement?.text ?? "")].join("\0");
      const seen = occurrences.get(statementKey) ?? 0;
      occurrences.set(statementKey, seen + 1);
      const helpTemplate = descriptor.help ?? rule.rule.meta.help?.[descriptor.messageId];
      const edits = descriptor.fix !== undefined || descriptor.suggest !== undefined ? reportFixes(rule.rule.meta, descriptor, file.text, target === file.path) : null;
      // a part naming schema.prisma is completed after the lint (the schema may still be parsing): the texts wait, the rule does not
      const laterData = !!descriptor.data && Object.values(descriptor.data).some((v) => v instanceof SchemaPart);
      const later = laterData || !!edits?.later;
      const message: LintMessage = {
        ruleId: rule.id,
        severity: descriptor.atMost === "warn" ? (Math.min(rule.severity, 1) as typeof rule.severity) : rule.severity,
        message: laterData ? "" : interpolate(template, descriptor.data),
        ...lineColumns(range),
        messageId: descriptor.messageId,
        ...(helpTemplate ? { help: laterData ? "" : interpolate(helpTemplate, descriptor.data) } : {}),
        docsUrl: rule.rule.meta.docs.url ?? `${DOCS_BASE}${rule.id}.md`,
        fingerprint: fingerprint([statementKey, String(seen)]),
        migration: migration.entry.name,
        ...(edits?.fix ? { fix: edits.fix } : {}),
        ...(edits?.suggestions ? { suggestions: edits.suggestions } : {}),
      };
      if (later) {
        // the texts as pieces, filled but for their schema parts: what waits for the schema is what the message will hold
        const data = descriptor.data ?? {};
        state.schemaParts.push({
          message,
          messagePieces: laterData ? templatePieces(template, data) : null,
          helpPieces: laterData && helpTemplate ? templatePieces(helpTemplate, data) : null,
          data: edits?.later ? data : null,
          suggestions: edits?.later ?? [],
          ruleId: rule.id,
          label: instance.label,
          file: file.path,
          migration,
          range,
        });
      }
      push(target, message);
      // the finding stands; what was wrong with its edits is the rule's bug, said once per rule and migration
      if (edits?.problems.length) {
        push(file.path, {
          ruleId: "internal-error",
          severity: 2,
          fatal: true,
          message: `Rule "${rule.id}" on ${migration.entry.name}: ${edits.problems.join("; ")}.`,
          ...lineColumns(range),
          fingerprint: fingerprint([migration.entry.name, "internal-error", rule.id, "fix"]),
          migration: migration.entry.name,
        });
      }
    };
    // a literal of one shape for every rule, copying the shared references one by one. Both shorter spellings
    // measured slower on cold trigger.dev: Object.create(shared) (a prototype per migration gives each migration's
    // contexts their own hidden class, and rule code got slower) and { ...shared, ... } (instantiate 18 -> 50 ms)
    const ruleContext: RuleContext = {
      id: rule.id,
      options: rule.options,
      migration: shared.migration,
      project: shared.project,
      catalog: shared.catalog,
      git: shared.git,
      existedBefore: shared.existedBefore,
      migrationName: shared.migrationName,
      table: shared.table,
      prismaModel: shared.prismaModel,
      prismaField: shared.prismaField,
      whenSchema: shared.whenSchema,
      locks: shared.locks,
      typeChange: shared.typeChange,
      inTransactionBlock: shared.inTransactionBlock,
      transactionOf: shared.transactionOf,
      emptiedInTransaction: shared.emptiedInTransaction,
      report,
    };
    beat(instance.label);
    running = instance;
    runningAt = fileStart;
    try {
      const visitors = rule.rule.create(ruleContext) as unknown;
      if (visitors && typeof (visitors as PromiseLike<unknown>).then === "function") {
        (visitors as Promise<unknown>).then(undefined, () => undefined);
        throw new TypeError("create() returned a promise; it must return the visitors synchronously");
      }
      instance.visitors = (visitors as RuleVisitors | undefined) ?? {};
    } catch (err) {
      instance.failed = true;
      push(file.path, internalError(rule.id, migration, err, fileStart));
    }
    running = null;
    rest();
    instances.push(instance);
  }

  /**
   * Runs a visitor (or work it left for later) of one instance, isolated: a throw becomes an internal-error and skips
   * the rule for the rest of the migration, and a rule over its time budget is switched off. Returns the clock at its
   * end (one clock read a visitor: where one ends, the next starts).
   */
  const invoke = (instance: Instance, visitor: (a: unknown) => unknown, arg: unknown, at: SourceRange, started: number): number => {
    const id = instance.rule.id;
    if (instance.failed || instance.spent.over) return started;
    const notTheRuleBefore = state.notTheRuleMs;
    beat(instance.label);
    running = instance;
    runningAt = at;
    try {
      const returned = visitor(arg);
      if (returned && typeof (returned as PromiseLike<unknown>).then === "function") {
        // a visitor must finish before the next operation changes the catalog: async work cannot be awaited here
        (returned as Promise<unknown>).then(undefined, () => undefined);
        throw new TypeError("the visitor returned a promise; rule visitors must be synchronous");
      }
    } catch (err) {
      // one crash per rule and migration is enough: skip the rule for the rest of it
      instance.failed = true;
      push(file.path, internalError(id, migration, err, at));
    }
    running = null;
    rest();
    // a rule that is far too slow (a runaway loop that ends, quadratic work on a big history) is switched off for the run
    const ended = performance.now();
    const spent = (instance.spent.ms += ended - started - (state.notTheRuleMs - notTheRuleBefore));
    if (spent > state.budgetMs) {
      instance.spent.over = true;
      push(file.path, {
        ruleId: "internal-error",
        severity: 2,
        fatal: true,
        message: `Rule "${id}" used more than its time budget (${Math.round(spent)} ms, budget ${state.budgetMs} ms) and was switched off from ${migration.entry.name} on; everything else was linted.`,
        ...lineColumns(at),
        fingerprint: fingerprint([migration.entry.name, "internal-error", id, "budget"]),
        migration: migration.entry.name,
      });
    }
    return ended;
  };

  return {
    context,
    setStatement(statement: Statement | null) {
      current = statement;
    },
    call(name: string, arg: unknown, at: SourceRange) {
      // the instances with a visitor for `name`, found once a migration (a call scanned every rule's visitors)
      let visiting = byKind.get(name);
      if (!visiting) byKind.set(name, (visiting = instances.filter((i) => (i.visitors as Record<string, unknown>)[name])));
      let started = performance.now();
      for (const instance of visiting) {
        const visitor = (instance.visitors as Record<string, ((a: unknown) => unknown) | undefined>)[name];
        if (visitor) started = invoke(instance, visitor, arg, at, started);
      }
    },
  };
}

const PARSE_ERROR_TEXT: Record<ParseErrorKind, (message: string) => string> = {
  syntax: (m) => `Cannot parse this statement: ${m}. Postgres will reject it too, so \`prisma migrate deploy\` fails here.`,
  encoding: (m) => `Cannot read this file as SQL: ${m}.`,
  limit: (m) => `migration-lint's parser cannot read this statement: ${m}. Postgres may still accept it; the statement is not linted.`,
  skipped: (m) =>
    `Seed data not fully checked: ${m}. Each still counts as an insert into its table for the rules, but a syntax error in a later row is not reported, while Postgres rejects the whole migration on it. Load large seed data with \`prisma db seed\` (or a script run after \`prisma migrate deploy\`) instead of a migration.`,
};

function parseErrorMessage(error: ParsedSqlFile["parseErrors"][number]): string {
  return PARSE_ERROR_TEXT[error.kind ?? "syntax"](error.message);
}

/** Describes a thrown value without throwing again (a value without a prototype, a throwing toString...). */
function describeError(err: unknown): string {
  try {
    if (err instanceof Error) return `${err.name}: ${err.message}`;
    return String(err);
  } catch {
    return "a value that cannot be printed";
  }
}

function internalError(ruleId: string, migration: LoadedMigration, err: unknown, range: SourceRange): LintMessage {
  const detail = describeError(err);
  return {
    ruleId: "internal-error",
    severity: 2,
    fatal: true,
    message: `Rule "${ruleId}" crashed on ${migration.entry.name}: ${detail}. The rule was skipped for the rest of this migration; everything else was linted.`,
    ...lineColumns(range),
    fingerprint: fingerprint([migration.entry.name, "internal-error", ruleId]),
    migration: migration.entry.name,
  };
}

export function lineColumns(range: SourceRange): Pick<LintMessage, "line" | "column" | "endLine" | "endColumn"> {
  return { line: range.loc.start.line, column: range.loc.start.column, endLine: range.loc.end.line, endColumn: range.loc.end.column };
}

const normalize = (sql: string) => sql.replace(/\s+/g, " ").trim();

export function fingerprint(parts: string[]): string {
  return sha1Hex(parts.join("\0")).slice(0, 16);
}
