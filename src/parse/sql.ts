import type { ParsedSqlFile, SqlComment, Statement } from "../types.js";
import { byteOffsetMapper, SourceText } from "./source-text.js";
import { isComment, splitStatements, tokenize, type Token } from "./lexer.js";

/** The subset of libpg-query this module uses; loaded lazily so `--help` never pays for the WASM parser. */
interface PgParser {
  parseSync(sql: string): { stmts?: Array<{ stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }> };
}

let parserPromise: Promise<PgParser> | undefined;

/** Loads the PostgreSQL parser (WASM) once per process. */
export function loadPostgresParser(): Promise<PgParser> {
  parserPromise ??= import("libpg-query").then(async (mod) => {
    await mod.loadModule();
    return mod as unknown as PgParser;
  });
  return parserPromise;
}

/** Extra per-file data the model builder needs (tokens for clause ranges). */
export interface SqlFileInternals {
  source: SourceText;
  tokens: Token[];
  /** Per statement index: maps a libpg-query `location` (a byte offset into what was parsed) to an offset in the file text. */
  locationMappers: Array<(byteLocation: number) => number>;
}

const internals = new WeakMap<ParsedSqlFile, SqlFileInternals>();
export const fileInternals = (file: ParsedSqlFile): SqlFileInternals => internals.get(file)!;

/**
 * Parses a Postgres migration file. Never throws on bad SQL: the whole file is
 * parsed in one go when it can be; when that fails it is split into
 * statements and each is parsed alone, so one bad statement becomes a
 * `parseErrors` entry at its own line and the rest of the file is still linted.
 */
export async function parseSqlFile(path: string, raw: string): Promise<ParsedSqlFile> {
  const parser = await loadPostgresParser();
  const source = new SourceText(raw);
  const text = source.text;
  const tokens = tokenize(text);
  const rangeOf = (start: number, end: number) => source.rangeOf(start, end);

  const comments: SqlComment[] = tokens.filter(isComment).map((t) => ({
    kind: t.kind === "line-comment" ? "line" : "block",
    text: t.kind === "line-comment" ? text.slice(t.start + 2, t.end) : text.slice(t.start + 2, t.unterminated ? t.end : t.end - 2),
    range: rangeOf(t.start, t.end),
  }));

  const statements: Statement[] = [];
  const locationMappers: SqlFileInternals["locationMappers"] = [];
  const parseErrors: ParsedSqlFile["parseErrors"] = [];
  const addStatement = (start: number, end: number, node: Record<string, unknown> | null, mapLocation: (b: number) => number) => {
    locationMappers.push(mapLocation);
    const nodeType = node ? Object.keys(node)[0] ?? null : null;
    statements.push({
      index: statements.length,
      text: text.slice(start, end),
      range: rangeOf(start, end),
      nodeType,
      node,
      leadingComments: [],
      operations: [],
    });
  };

  let whole: ReturnType<PgParser["parseSync"]> | undefined;
  let wholeError: unknown;
  try {
    whole = parser.parseSync(text);
  } catch (err) {
    wholeError = err;
  }

  if (whole) {
    const toIndex = byteOffsetMapper(text);
    for (const raw of whole.stmts ?? []) {
      if (!raw.stmt) continue;
      const from = toIndex(raw.stmt_location ?? 0);
      const to = raw.stmt_len ? toIndex((raw.stmt_location ?? 0) + raw.stmt_len) : text.length;
      const [start, end] = trimToCode(tokens, from, to);
      addStatement(start, end, raw.stmt, toIndex);
    }
  } else {
    for (const { from, to } of splitStatements(tokens)) {
      const start = tokens[from]!.start;
      const end = tokens[to - 1]!.end;
      const chunk = text.slice(start, end);
      try {
        const result = parser.parseSync(chunk);
        const chunkToIndex = byteOffsetMapper(chunk);
        const toFileIndex = (b: number) => start + chunkToIndex(b);
        for (const raw of result.stmts ?? []) if (raw.stmt) addStatement(start, end, raw.stmt, toFileIndex);
      } catch (err) {
        parseErrors.push(errorAt(err, chunk, start, end, rangeOf));
        addStatement(start, end, null, () => start);
      }
    }
    // e.g. an unterminated block comment: no statement to blame, so report where Postgres stopped
    if (!parseErrors.length) parseErrors.push(errorAt(wholeError, text, 0, text.length, rangeOf));
  }

  attachLeadingComments(statements, comments);
  const file: ParsedSqlFile = { path, text, statements, comments, parseErrors, rangeOf };
  internals.set(file, { source, tokens, locationMappers });
  return file;
}

/**
 * A file known only by its text: no statements, no comments. For migrations
 * whose findings come from the cache and whose catalog effect is in a cached
 * snapshot; rules that run on it (the git rules) look at the migration, not its SQL.
 */
export function liteSqlFile(path: string, raw: string): ParsedSqlFile {
  const source = new SourceText(raw);
  const file: ParsedSqlFile = { path, text: source.text, statements: [], comments: [], parseErrors: [], rangeOf: (start, end) => source.rangeOf(start, end) };
  internals.set(file, { source, tokens: [], locationMappers: [] });
  return file;
}

/** A parse error at the position libpg-query names (a 0-based byte offset into `parsed`, which starts at `start` in the file). */
function errorAt(err: unknown, parsed: string, start: number, end: number, rangeOf: ParsedSqlFile["rangeOf"]): ParsedSqlFile["parseErrors"][number] {
  const cursor = (err as { sqlDetails?: { cursorPosition?: number } } | undefined)?.sqlDetails?.cursorPosition;
  const at = cursor !== undefined && cursor >= 0 ? start + byteOffsetMapper(parsed)(cursor) : start;
  const message = err instanceof Error ? err.message : String(err);
  return { message, range: rangeOf(Math.min(at, end), end) };
}

/** Narrows [from, to) to the first and last non-comment token inside it. */
function trimToCode(tokens: Token[], from: number, to: number): [number, number] {
  let lo = lowerBound(tokens, from);
  while (lo < tokens.length && tokens[lo]!.start < to && isComment(tokens[lo]!)) lo++;
  let hi = lowerBound(tokens, to) - 1;
  while (hi > lo && (isComment(tokens[hi]!) || tokens[hi]!.kind === "semicolon")) hi--;
  const first = tokens[lo];
  const last = tokens[hi];
  if (!first || !last || first.start >= to) return [from, to];
  return [first.start, last.end];
}

/** Index of the first token starting at or after `offset`. */
export function lowerBound(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function attachLeadingComments(statements: Statement[], comments: SqlComment[]): void {
  let c = 0;
  let previousEnd = 0;
  for (const statement of statements) {
    while (c < comments.length && comments[c]!.range.start < previousEnd) c++;
    while (c < comments.length && comments[c]!.range.end <= statement.range.start) {
      statement.leadingComments.push(comments[c]!);
      c++;
    }
    previousEnd = statement.range.end;
  }
}
