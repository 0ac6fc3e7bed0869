/**
 * The language server's hover on a statement of a migration.sql: the table locks it takes and what they block,
 * how Prisma's runner sends it (docs/runner-model.md), and where each table and column it touches came from in
 * the history (the catalog's createdIn / addedIn). Runs in the server's worker, from the catalog its history
 * kept just before the migration (src/cache/memory.ts), without linting again.
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { Catalog } from "../history/catalog.js";
import { tableLocks } from "../engine/linter.js";
import { quoteName } from "../engine/rule.js";
import { statementLockList } from "../api/lint-project.js";
import { lockEffect } from "../dialects/postgres/locks.js";
import { decodeSource } from "../model/load.js";
import type { LintHistory, RememberedProject } from "../cache/memory.js";
import type { Operation, ParsedSqlFile, QualifiedName, Statement } from "../types.js";

export const RUNNER_MODEL_URL = "https://github.com/migration-lint/migration-lint/blob/main/docs/runner-model.md";

export interface StatementHover {
  /** Markdown. */
  contents: string;
  /** The statement's offsets in the BOM-less text. */
  start: number;
  end: number;
}

/**
 * Describes the statement at `offset` of the migration.sql at `file` (text: as the editor holds it), or null when
 * the history does not know the file (not linted yet) or no statement is there.
 */
export async function describeStatementAt(history: LintHistory, roots: string[], file: string, text: string, offset: number, unsaved: ReadonlyMap<string, string>): Promise<StatementHover | null> {
  const name = path.basename(path.dirname(file));
  for (const root of roots) {
    const known = history.remembered(root);
    const index = known?.names.indexOf(name) ?? -1;
    if (!known || index < 0 || path.dirname(path.dirname(file)) !== known.migrationsDir) continue;
    const recalled = history.recall(root, index)!;
    const { project } = recalled;
    const catalog = recalled.catalog ? Catalog.fromSnapshot(recalled.catalog) : new Catalog();
    // the migrations between the kept catalog and this one (usually none: the history keeps the catalog before a migration being edited)
    for (let at = recalled.from; at < index; at++) {
      const upPath = project.files[at];
      if (!upPath) continue;
      const parsed = await parse(project, upPath, unsaved.get(upPath) ?? readText(upPath));
      if (parsed) applyAll(project, parsed, parsed.statements, catalog, at);
    }
    const parsed = await project.dialect.parseFile(file, decodeSource(Buffer.from(text)).text);
    const statement = parsed.statements.find((s) => s.range.start <= offset && offset <= s.range.end);
    if (!statement) return null;
    catalog.startMigration(index);
    project.dialect.withHistory?.(parsed, catalog);
    applyAll(project, parsed, parsed.statements.slice(0, statement.index), catalog, index);
    return { contents: describe(project, parsed, statement, catalog, index), start: statement.range.start, end: statement.range.end };
  }
  return null;
}

function readText(file: string): string | null {
  try {
    return decodeSource(readFileSync(file)).text;
  } catch {
    return null;
  }
}

async function parse(project: RememberedProject, file: string, text: string | null): Promise<ParsedSqlFile | null> {
  return text === null ? null : project.dialect.parseFile(file, text);
}

function applyAll(project: RememberedProject, file: ParsedSqlFile, statements: Statement[], catalog: Catalog, index: number): void {
  catalog.startMigration(index);
  project.dialect.withHistory?.(file, catalog);
  for (const statement of statements) for (const op of statement.operations) catalog.apply(op, index);
}

function describe(project: RememberedProject, file: ParsedSqlFile, statement: Statement, catalog: Catalog, index: number): string {
  const out: string[] = [];
  const existed = (table: QualifiedName) => {
    const state = catalog.getTable(table);
    return !state || state.createdIn < index;
  };
  const locks = statementLockList(statement.operations.flatMap((op) => tableLocks(op, catalog, project.dialect, project.postgresVersion).map((lock) => ({ ...lock, existed: existed(lock.table) }))), project.dialect);
  if (locks.length) {
    out.push("**Locks**");
    for (const lock of locks) out.push(`- \`${lock.mode}\` on \`${lock.table}\`: ${lockEffect(lock)}`);
  } else if (statement.operations.length) {
    out.push("**Locks**: none on existing tables by this model.");
  }
  out.push("", runnerLine(project, file, statement));
  const origins = originsOf(statement.operations, catalog, project, index);
  if (origins.length) out.push("", "**History**", ...origins.map((line) => `- ${line}`));
  return out.join("\n");
}

/** How the runner sends the statement: alone, or in one transaction with which others of the file. */
function runnerLine(project: RememberedProject, file: ParsedSqlFile, statement: Statement): string {
  const { runner } = project;
  const version = runner.prismaVersion ? `Prisma ${runner.prismaVersion}` : "Prisma (version unknown: the whole-file model is assumed)";
  const ids = project.dialect.transactionIds(file.statements, runner.model);
  const together = file.statements.filter((s) => ids[s.index] === ids[statement.index]);
  const lines = (s: Statement[]) => `lines ${s[0]!.range.loc.start.line}–${s.at(-1)!.range.loc.end.line}`;
  const how = runner.model === "per-statement" ? `${version} sends the statements of this file one at a time` : `${version} sends this whole file in one transaction`;
  const where =
    together.length <= 1
      ? "this statement commits on its own, and its locks are released when it ends"
      : `this statement shares one transaction with ${together.length - 1} other statement${together.length === 2 ? "" : "s"} (${lines(together)}): its locks are held until that transaction commits`;
  return `**Runner**: ${how}; ${where}. [Runner model](${RUNNER_MODEL_URL})`;
}

/** Where each table and column the statement touches came from: the migration that created or added it. */
function originsOf(operations: Operation[], catalog: Catalog, project: RememberedProject, index: number): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  const from = (at: number) => (at < 0 ? "before the history" : at === index ? "this migration" : project.names[at] ?? `migration #${at + 1}`);
  const table = (ref: QualifiedName) => {
    const state = catalog.getTable(ref);
    const key = `t:${quoteName(ref)}`;
    if (seen.has(key)) return;
    seen.add(key);
    lines.push(state ? `table \`${quoteName(ref)}\`: created in ${from(state.createdIn)}` : `table \`${quoteName(ref)}\`: not created by any migration of this history`);
  };
  const column = (ref: QualifiedName, name: string) => {
    const state = catalog.getColumn(ref, name);
    const key = `c:${quoteName(ref)}.${name}`;
    if (seen.has(key) || !state) return;
    seen.add(key);
    lines.push(`column \`${quoteName(ref)}.${quoteName({ schema: null, name })}\`${state.type ? ` (${state.type.name})` : ""}: added in ${from(state.addedIn)}`);
  };
  for (const op of operations) {
    if (!("table" in op) || typeof op.table !== "object" || op.table === null) continue;
    const ref = op.table;
    table(ref);
    if (op.kind === "drop-column" || op.kind === "rename-column" || op.kind === "alter-column") column(ref, op.column);
    else if (op.kind === "create-index") for (const c of op.columns) column(ref, c);
    else if (op.kind === "add-constraint") for (const c of op.constraint.columns) column(ref, c);
  }
  return lines;
}
