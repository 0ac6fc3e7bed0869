/**
 * The reports a run writes: `--format <name>` (repeatable), each to standard output or, as
 * `--format <name>:<file>`, to its own file, all from one lint. One format may go to standard output
 * (or to `--output-file`); the others need a file.
 */
import path from "node:path";
import { MigrationLintError } from "../errors.js";
import { writeReportFile } from "../write-file.js";
import type { LintResult } from "../engine/results.js";
import type { Formatter, FormatterContext } from "../formatters/types.js";
import type { ProjectReport } from "../api/lint.js";
import type { StatementLocks } from "../dialects/postgres/locks.js";

/**
 * `FormatterContext.statementLocks` from the projects' recorded locks, by file; with `--replay`, each
 * statement the lock trace saw take a lock gets what Postgres really took (`measured`).
 */
export function statementLocksOf(projects: readonly ProjectReport[]): (filePath: string) => StatementLocks[] | undefined {
  const byFile = new Map<string, StatementLocks[]>();
  const add = (s: StatementLocks) => {
    const list = byFile.get(s.file);
    if (list) list.push(s);
    else byFile.set(s.file, [s]);
    return s;
  };
  for (const project of projects) {
    for (const s of project.statementLocks ?? []) add({ ...s });
    for (const entry of project.replay?.lockTrace ?? []) {
      if (!entry.locks.length) continue;
      const statement = byFile.get(entry.file)?.find((s) => s.line === entry.line) ?? add({ file: entry.file, migration: entry.migration, line: entry.line, endLine: entry.line, locks: [] });
      statement.measured = { database: project.replay!.database, locks: entry.locks };
    }
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line);
  return (filePath) => byFile.get(filePath);
}

export interface ReportSpec {
  format: string;
  /** Absolute path; undefined for standard output. */
  file?: string;
}

/**
 * Splits `name:file` at the first colon that is not part of the formatter's own name: the scheme of a
 * `file:` URL and a Windows drive letter (`C:\formatter.js`) belong to the name, so `sarif:C:\reports\x.sarif`
 * and `file:///x/f.js:out.txt` split as meant. Without such a colon, or with nothing after it, there is no file.
 */
export function splitFormatSpec(spec: string): { format: string; file?: string } {
  const ownColons = /^(?:file:)?\/*(?:[A-Za-z]:[\\/])?/.exec(spec)![0].length;
  const colon = spec.indexOf(":", ownColons);
  if (colon < 0 || colon === spec.length - 1) return { format: spec };
  return { format: spec.slice(0, colon), file: spec.slice(colon + 1) };
}

/** The reports asked for by `--format` values (default stylish) and `--output-file`; relative files are resolved against `base` (the shell's directory). */
export function reportSpecs(formats: readonly string[], outputFile: string | undefined, base: string): ReportSpec[] {
  const specs = (formats.length ? formats : ["stylish"]).map(splitFormatSpec);
  const unnamed = specs.filter((s) => s.file === undefined);
  if (unnamed.length > 1) {
    const [first, ...others] = unnamed.map((s) => s.format);
    throw new MigrationLintError(
      "usage",
      `Only one --format can write to ${outputFile ? "--output-file" : "standard output"} (${first}); give the others a file each, like --format ${others[0]}:report.${others[0]}.`,
    );
  }
  if (outputFile !== undefined && !unnamed.length) throw new MigrationLintError("usage", `--output-file ${outputFile} would stay empty: every --format names its own file.`);
  const resolved = specs.map((s) => ({ format: s.format, file: s.file !== undefined ? path.resolve(base, s.file) : outputFile !== undefined ? path.resolve(base, outputFile) : undefined }));
  const files = resolved.map((s) => s.file).filter((f): f is string => f !== undefined);
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice) throw new MigrationLintError("usage", `Two reports would be written to the same file: ${twice}.`);
  return resolved;
}

/** Writes each report; `toStdout` takes the one without a file. */
export async function writeReports(
  reports: ReadonlyArray<ReportSpec & { formatter: Formatter }>,
  results: LintResult[],
  context: FormatterContext,
  toStdout: (text: string) => void,
  /** Files the run read: no report may overwrite them. */
  inputs: ReadonlySet<string> = new Set(),
  /** What every piece goes through before it is written (the CLI's redaction of secrets, src/redact.ts). */
  shown: (text: string) => string = (text) => text,
): Promise<void> {
  for (const { formatter, file } of reports) {
    // colours only on a terminal; a formatter that offers chunks is written piece by piece (~1 MB at a time),
    // never whole: on a 5,000-migration history the JSON report is 11 MB, and holding it was the run's memory peak
    const reportContext = { ...context, color: context.color && file === undefined };
    const pieces = mapped(batched(formatter.chunks ? formatter.chunks(results, reportContext) : [formatter(results, reportContext)]), shown);
    if (file !== undefined) {
      await writeReportFile(file, pieces, inputs);
    } else {
      let last = "";
      for (const piece of pieces) toStdout((last = piece));
      if (last && !last.endsWith("\n")) toStdout("\n");
    }
  }
}

function* mapped(pieces: Iterable<string>, map: (text: string) => string): Iterable<string> {
  for (const piece of pieces) yield map(piece);
}

/** Joins small pieces into ones of about `size` characters (fewer writes), holding no more than that. */
function* batched(pieces: Iterable<string>, size = 1 << 20): Iterable<string> {
  let buffer = "";
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= size) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer) yield buffer;
}
