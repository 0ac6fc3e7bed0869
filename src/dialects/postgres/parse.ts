import { createRequire } from "node:module";
import type { ParsedSqlFile, SqlComment, Statement } from "../../types.js";
import { byteOffsetMapper, SourceText } from "../../parse/source-text.js";
import { isComment, splitStatements, tokenize, type Token } from "./lexer.js";

/** The subset of libpg-query this module uses; loaded lazily so `--help` never pays for the WASM parser. */
interface PgParser {
  parseSync(sql: string): PgParseResult;
}
interface PgParseResult {
  stmts?: Array<{ stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }>;
}

let parserPromise: Promise<PgParser> | undefined;
let loadedParser: PgParser | undefined;

/** Loads the PostgreSQL parser (WASM) once per process (again after `discardParser`). */
export function loadPostgresParser(): Promise<PgParser> {
  parserPromise ??= instantiateParser();
  return parserPromise;
}

/**
 * A new instance of libpg-query's WASM module. The package keeps one
 * instance per evaluation of its entry file, so a fresh one comes from
 * evaluating that file again (dropped from the require cache first).
 */
async function instantiateParser(): Promise<PgParser> {
  const require = createRequire(import.meta.url);
  const id = require.resolve("libpg-query");
  delete require.cache[id];
  const mod = require(id) as PgParser & { loadModule(): Promise<void> };
  await mod.loadModule();
  loadedParser = mod;
  return mod;
}

/**
 * Forgets a parser instance that failed with something other than a SQL
 * error. A WASM trap (the parser's recursion overflowing the stack on a
 * deeply nested statement, "memory access out of bounds") unwinds without
 * restoring the module's own stack pointer and memory contexts: measured on
 * libpg-query 18, after about 25 such traps every later parse, even
 * `SELECT 1`, failed with "memory access out of bounds", and the ones before
 * ran on a shrinking stack. So one hostile migration poisoned the parsing of
 * every migration after it; a fresh instance costs ~30-100 ms.
 */
function discardParser(parser: PgParser): void {
  if (loadedParser !== parser) return;
  loadedParser = undefined;
  parserPromise = undefined;
}

/** Parses one SQL script; a failure is returned, never thrown. */
async function parseScript(sql: string): Promise<{ result: PgParseResult } | { error: unknown }> {
  const parser = await loadPostgresParser();
  try {
    return { result: parser.parseSync(sql) };
  } catch (error) {
    if ((error as { sqlDetails?: unknown } | null)?.sqlDetails === undefined) discardParser(parser);
    return { error };
  }
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
 * Text above this many characters is parsed in segments of about this size,
 * cut between statements. One libpg-query call on a 50 MB seed file took
 * 9 s and grew the WASM heap (which never shrinks) and the JSON of the parse
 * tree to over 1 GB; in 1 MB segments the same file parses in about half the
 * time with a bounded heap. Smaller files are parsed whole, in one call.
 */
const SEGMENT_CHARS = 1 << 20;

/**
 * Parses a Postgres migration file. Never throws on bad SQL: each segment
 * (the whole file, unless it is large) is parsed in one go when it can be;
 * when that fails it is split into statements and each is parsed alone, so
 * one bad statement becomes a `parseErrors` entry at its own line and the
 * rest of the file is still linted.
 */
export async function parseSqlFile(path: string, raw: string): Promise<ParsedSqlFile> {
  const source = new SourceText(raw);
  const text = source.text;
  // libpg-query reads its input as a C string, so it silently stopped at a NUL
  // byte and every statement after it went unlinted. Postgres rejects a query
  // holding one, and Prisma fails on it: report it, and parse the rest with the
  // NULs read as spaces (same offsets).
  const firstNul = text.indexOf("\0");
  const sql = firstNul < 0 ? text : text.replaceAll("\0", " ");
  const tokens = tokenize(sql);
  // not a closure over this function's scope: the file keeps `rangeOf`, and with it would keep every token (V8 closures share one context)
  const rangeOf = rangeMapper(source);

  const comments: SqlComment[] = tokens.filter(isComment).map((t) => ({
    kind: t.kind === "line-comment" ? "line" : "block",
    text: text.slice(t.start + 2, t.kind === "line-comment" || t.unterminated ? t.end : t.end - 2),
    range: rangeOf(t.start, t.end),
  }));

  const statements: Statement[] = [];
  const locationMappers: SqlFileInternals["locationMappers"] = [];
  const parseErrors: ParsedSqlFile["parseErrors"] = [];
  if (firstNul >= 0) {
    const count = text.split("\0").length - 1;
    parseErrors.push({
      kind: "encoding",
      message: `the file contains ${count === 1 ? "a NUL byte (0x00)" : `${count} NUL bytes (0x00), the first`} here, which Postgres does not accept in SQL text; the file may not be text, or be saved as UTF-16 without a byte order mark`,
      range: rangeOf(firstNul, firstNul + 1),
    });
  }
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
  /** Adds the statements libpg-query found in `sql[start, end)`; its locations are byte offsets into that slice. */
  const addParsed = (result: PgParseResult, chunk: string, start: number, end: number) => {
    const toIndex = byteOffsetMapper(chunk);
    const toFileIndex = (b: number) => start + toIndex(b);
    for (const parsed of result.stmts ?? []) {
      if (!parsed.stmt) continue;
      const location = parsed.stmt_location ?? 0;
      const from = toFileIndex(location);
      const to = parsed.stmt_len ? toFileIndex(location + parsed.stmt_len) : end;
      const [s, e] = trimToCode(tokens, from, to);
      addStatement(s, e, parsed.stmt, toFileIndex);
    }
  };

  /** One statement (token range) alone; if it fails and holds `;` inside parentheses, its pieces one by one. */
  const parseStatement = async (span: { from: number; to: number }, pieces: boolean): Promise<void> => {
    const start = tokens[span.from]!.start;
    const end = tokens[span.to - 1]!.end;
    const chunk = sql.slice(start, end);
    const attempt = await parseScript(chunk);
    if ("result" in attempt) return addParsed(attempt.result, chunk, start, end);
    const split = pieces ? splitStatements(sql, tokens, { start: span.from, end: span.to, inParentheses: true }) : [];
    if (split.length > 1) {
      for (const piece of split) await parseStatement(piece, false);
      return;
    }
    parseErrors.push(errorAt(attempt.error, chunk, start, end, rangeOf));
    addStatement(start, end, null, () => start);
  };

  for (const [start, end] of segments(sql, tokens)) {
    const chunk = sql.slice(start, end);
    if (chunk.length === 0) continue; // an empty file: nothing to run (libpg-query throws "Query cannot be empty")
    const attempt = await parseScript(chunk);
    if ("result" in attempt) {
      addParsed(attempt.result, chunk, start, end);
      continue;
    }
    const before = parseErrors.length;
    for (const span of splitStatements(sql, tokens, { start: lowerBound(tokens, start), end: lowerBound(tokens, end) })) await parseStatement(span, true);
    // e.g. an unterminated block comment: no statement to blame, so report where Postgres stopped
    if (parseErrors.length === before) parseErrors.push(errorAt(attempt.error, chunk, start, end, rangeOf));
  }

  attachLeadingComments(statements, comments);
  const file: ParsedSqlFile = { path, text, statements, comments, parseErrors, rangeOf };
  internals.set(file, { source, tokens, locationMappers });
  return file;
}

/** `source.rangeOf` as a function, made outside parseSqlFile so that it holds nothing else alive. */
function rangeMapper(source: SourceText): ParsedSqlFile["rangeOf"] {
  return (start, end) => source.rangeOf(start, end);
}

/** `[start, end)` ranges covering `sql`: one, or for a large file several of about SEGMENT_CHARS, each cut just before a statement. */
function segments(sql: string, tokens: Token[]): Array<[number, number]> {
  if (sql.length <= SEGMENT_CHARS) return [[0, sql.length]];
  const out: Array<[number, number]> = [];
  let segmentStart = 0;
  for (const span of splitStatements(sql, tokens)) {
    const statementStart = tokens[span.from]!.start;
    if (statementStart > segmentStart && tokens[span.to - 1]!.end - segmentStart > SEGMENT_CHARS) {
      out.push([segmentStart, statementStart]);
      segmentStart = statementStart;
    }
  }
  out.push([segmentStart, sql.length]);
  return out;
}

/**
 * Drops what only parsing and linting need (raw libpg-query nodes, tokens)
 * once a migration is linted; statements, operations, ranges and comments stay.
 */
export function releaseSyntaxTrees(file: ParsedSqlFile): void {
  for (const statement of file.statements) {
    statement.node = null;
    for (const op of statement.operations) (op as { node: unknown }).node = null;
  }
  internals.delete(file);
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
  let message = err instanceof Error ? err.message : String(err);
  let kind: "syntax" | "limit" = "syntax";
  // not a SQL error but the parser giving up: say so instead of passing on a JavaScript/WASM message
  if (err instanceof RangeError || /call stack|stack depth|memory exhausted/i.test(message)) {
    message = `the statement is nested too deeply to parse (${message})`;
    kind = "limit";
  } else if (err instanceof Error && (err as { sqlDetails?: unknown }).sqlDetails === undefined) {
    message = `the parser failed on this statement (${err.name}: ${message})`;
    kind = "limit";
  }
  return { message, range: rangeOf(Math.min(at, end), end), kind };
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
