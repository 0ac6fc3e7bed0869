/**
 * `--fix`, `--fix-dry-run` and `--apply-suggestion` (issue 17), on top of the public lint API: a migration's
 * non-overlapping fixes are applied in memory, the migration is linted again as an editor buffer would be, and so
 * on for up to 10 passes; then the edit is proven (src/fix/prove.ts) and only then written, atomically. Only
 * migrations applied nowhere are edited (src/fix/safety.ts). What is reported afterwards is what remains.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ProjectReport } from "../api/lint.js";
import type { EditorBuffer } from "../discover/buffer.js";
import { applyFixesToSource } from "../engine/fixer.js";
import type { LintMessage, LintResult, Suggestion } from "../engine/results.js";
import type { RuleMeta } from "../engine/rule.js";
import { MigrationLintError } from "../errors.js";
import { compareByteOrder, prismaMigrateSource } from "../sources/prisma-migrate.js";
import { writeFileAtomically } from "../write-file.js";
import { proveSameSchema, type HistoryFile, type Proof } from "./prove.js";
import { editPolicy, type EditPolicy } from "./safety.js";
import { disableSuggestion } from "./disable.js";

export type FixType = RuleMeta["type"];
export const FIX_TYPES: readonly FixType[] = ["problem", "suggestion", "layout"];

/** ESLint's limit: a migration's fixes are applied and linted again at most this many times. */
export const MAX_FIX_PASSES = 10;

export interface FixProject extends Pick<ProjectReport, "root" | "migrationsDir" | "dialect"> {}

export interface FixOptions {
  results: LintResult[];
  projects: FixProject[];
  /** Lints one migration again with this text in place of its file (LintOptions.buffer), as the first run did. */
  lint: (buffer: EditorBuffer) => Promise<LintResult[]>;
  /** `--fix-type`: only fixes of rules of these types (default: all). */
  types?: ReadonlySet<FixType>;
  /** The type of a rule (meta.type), for `types`. */
  ruleType?: (ruleId: string) => FixType | undefined;
  base?: string;
  databaseUrl?: string;
  /** False for `--fix-dry-run`: nothing is written. */
  write: boolean;
}

export interface FileChange {
  filePath: string;
  before: string;
  after: string;
  written: boolean;
}

export interface FixOutcome {
  /** The results with each fixed migration's replaced by what remains after its fixes. */
  results: LintResult[];
  changes: FileChange[];
  /** What was not fixed and why, one sentence each. */
  notes: string[];
}

/** Applies the fixes of every migration that has some, proves and writes them. */
export async function fixResults(options: FixOptions): Promise<FixOutcome> {
  const policies = new Map<string, Promise<EditPolicy>>();
  const wanted = (m: LintMessage) => !!m.fix && (!options.types || (m.ruleId !== null && options.types.has(options.ruleType?.(m.ruleId) ?? "problem")));
  const changes: FileChange[] = [];
  const notes: string[] = [];
  const results: LintResult[] = [];
  for (const result of options.results) {
    const migration = result.messages.find(wanted)?.migration;
    const project = migration !== undefined ? projectOf(options.projects, result.filePath) : undefined;
    if (!migration || !project || path.basename(result.filePath) !== "migration.sql") {
      results.push(result);
      continue;
    }
    let policy = policies.get(project.migrationsDir);
    if (!policy) policies.set(project.migrationsDir, (policy = editPolicy({ migrationsDir: project.migrationsDir, ...(options.base !== undefined ? { base: options.base } : {}), ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) })));
    const refusal = (await policy).refusal(migration);
    if (refusal) {
      notes.push(`not fixed: ${refusal}`);
      results.push(result);
      continue;
    }
    const before = readFileSync(result.filePath, "utf8");
    let text = before;
    let current = result;
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const fixes = current.messages.filter(wanted).map((m) => m.fix!);
      const applied = applyFixesToSource(text, fixes);
      if (!applied.applied.length) break;
      text = applied.text;
      current = (await options.lint({ filePath: result.filePath, text })).find((r) => r.filePath === result.filePath) ?? emptyResult(result.filePath);
    }
    if (text === before) {
      results.push(result);
      continue;
    }
    const proof = await proveMigrationEdit(project, migration, text);
    if (!proof.proven) {
      notes.push(`not fixed: ${migration}: ${proof.reason}; the file is left as it was.`);
      results.push(result);
      continue;
    }
    if (options.write) writeFileAtomically(result.filePath, text, `the fixed ${migration}/migration.sql`);
    changes.push({ filePath: result.filePath, before, after: text, written: options.write });
    results.push(current);
  }
  return { results, changes, notes };
}

export interface ApplySuggestionOptions {
  results: LintResult[];
  projects: FixProject[];
  /** `<fingerprint>[:<n>]`: the finding's id (as every format shows it) and the suggestion's number, from 1. */
  target: string;
  base?: string;
  databaseUrl?: string;
  write: boolean;
}

/** `--apply-suggestion`: one suggestion of one finding, on purpose. Its files are created (or replaced whole), the migration edited. */
export async function applySuggestion(options: ApplySuggestionOptions): Promise<{ changes: FileChange[]; notes: string[]; suggestion: Suggestion }> {
  const match = /^([0-9a-f]+)(?::(\d+|disable))?$/i.exec(options.target.trim());
  if (!match) throw new MigrationLintError("usage", `--apply-suggestion takes <id>[:<n>] (the finding's id as the report shows it, and the suggestion's number from 1, or "disable" for a disable directive), got "${options.target}".`);
  const [, id, n] = match;
  const found = options.results.flatMap((r) => r.messages.map((m) => ({ r, m }))).find(({ m }) => m.fingerprint === id!.toLowerCase());
  if (!found) throw new MigrationLintError("usage", `--apply-suggestion: no finding of this run has the id ${id} (ids are in every report: "id:" in stylish, fingerprint in JSON).`);
  const { r: result, m: message } = found;
  if (n?.toLowerCase() === "disable") {
    const project = projectOf(options.projects, result.filePath);
    const disable = project && path.basename(result.filePath) === "migration.sql" ? await disableSuggestion(readFileSync(result.filePath, "utf8"), message, project.dialect) : null;
    if (!disable) throw new MigrationLintError("usage", `--apply-suggestion: the finding ${id} (${message.ruleId}) cannot be disabled by a directive in its migration.sql.`);
    return applySuggestion({ ...options, target: id!, results: [{ ...result, messages: [{ ...message, suggestions: [disable] }] }] });
  }
  const suggestions = message.suggestions ?? [];
  if (!suggestions.length) throw new MigrationLintError("usage", `--apply-suggestion: the finding ${id} (${message.ruleId}) offers no suggestion.`);
  const index = n === undefined ? 1 : Number(n);
  if (n === undefined && suggestions.length > 1) throw new MigrationLintError("usage", `--apply-suggestion: the finding ${id} offers ${suggestions.length} suggestions; say which: ${suggestions.map((s, i) => `${id}:${i + 1} (${s.desc})`).join(", ")}.`);
  const suggestion = suggestions[index - 1];
  if (!suggestion) throw new MigrationLintError("usage", `--apply-suggestion: the finding ${id} has no suggestion ${index} (it offers ${suggestions.length}).`);
  const project = projectOf(options.projects, result.filePath);
  if (!project || !message.migration) throw new MigrationLintError("usage", `--apply-suggestion: ${result.filePath} is not a migration of a linted project.`);
  const refusal = (await editPolicy({ migrationsDir: project.migrationsDir, ...(options.base !== undefined ? { base: options.base } : {}), ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}) })).refusal(message.migration);
  if (refusal) throw new MigrationLintError("usage", `--apply-suggestion: ${refusal}`);

  const before = readFileSync(result.filePath, "utf8");
  const after = applyFixesToSource(before, [suggestion.fix]).text;
  const changes: FileChange[] = [{ filePath: result.filePath, before, after, written: false }];
  const history = await readHistory(project.migrationsDir);
  const edited = history.map((f) => (f.name === message.migration ? { name: f.name, text: after } : f));
  for (const file of suggestion.files ?? []) {
    const exists = existsSync(file.filePath);
    const folder = path.relative(project.migrationsDir, path.dirname(file.filePath));
    const newMigration = path.basename(file.filePath) === "migration.sql" && !folder.includes(path.sep) && !folder.startsWith("..");
    if (newMigration && exists) throw new MigrationLintError("usage", `--apply-suggestion: ${file.filePath} exists already; the suggestion creates it.`);
    if (newMigration) edited.push({ name: folder, text: file.text });
    changes.push({ filePath: file.filePath, before: exists ? readFileSync(file.filePath, "utf8") : "", after: file.text, written: false });
  }
  edited.sort((a, b) => compareByteOrder(a.name, b.name));
  // a suggestion may change the end schema on purpose (a person's intent): it must still replay, and a difference is said
  const proof = await proveSameSchema(project.dialect, history, edited);
  const notes: string[] = [];
  if (!proof.proven) {
    if (/fails on PGlite|does not parse|does not replay/.test(proof.reason)) throw new MigrationLintError("usage", `--apply-suggestion: not applied: ${proof.reason}.`);
    notes.push(`note: ${proof.reason}.`);
  }
  if (options.write) for (const change of changes) {
    writeFileAtomically(change.filePath, change.after, path.relative(project.root, change.filePath));
    change.written = true;
  }
  return { changes, notes, suggestion };
}

function projectOf(projects: FixProject[], file: string): FixProject | undefined {
  return projects.find((p) => file.startsWith(p.migrationsDir + path.sep));
}

/**
 * The proof every fix passes before it is written, by `--fix` and by the language server alike: the project's
 * history replayed as it is and with `text` as `migration`'s migration.sql, and the end schemas compared
 * (src/fix/prove.ts). `texts` (absolute path to text: an editor's unsaved buffers) stand in for the files.
 */
export async function proveMigrationEdit(project: Pick<FixProject, "migrationsDir" | "dialect">, migration: string, text: string, texts?: ReadonlyMap<string, string>): Promise<Proof> {
  const history = await readHistory(project.migrationsDir, texts);
  if (!history.some((f) => f.name === migration)) return { proven: false, reason: `${migration} has no migration.sql in ${project.migrationsDir}, so the fix cannot be proven` };
  return proveSameSchema(project.dialect, history, history.map((f) => (f.name === migration ? { name: f.name, text } : f)));
}

/** The project's migration.sql files in apply order, as Prisma reads the folder (src/sources/prisma-migrate.ts); `texts` in place of files. */
async function readHistory(migrationsDir: string, texts?: ReadonlyMap<string, string>): Promise<HistoryFile[]> {
  return (await prismaMigrateSource.list(migrationsDir)).flatMap((entry) => (entry.upPath ? [{ name: entry.name, text: texts?.get(entry.upPath) ?? readFileSync(entry.upPath, "utf8") }] : []));
}

function emptyResult(filePath: string): LintResult {
  return { filePath, messages: [], suppressedMessages: [], errorCount: 0, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, usedDeprecatedRules: [] };
}
