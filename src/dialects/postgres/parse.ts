import { createRequire } from "node:module";
import type { ParsedSqlFile, SqlComment, Statement } from "../../types.js";
import { attachLeadingComments, byteOffsetMapper, SourceText } from "../../parse/source-text.js";
import { dropSyntaxTrees } from "../../parse/quoted-token.js";
import { splitStatements, tokenList, TokenList } from "./lexer.js";

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
  tokens: TokenList;
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
  const tokens = tokenList(sql);
  // not a closure over this function's scope: the file keeps `rangeOf`, and with it would keep every token (V8 closures share one context)
  const rangeOf = rangeMapper(source);

  const comments: SqlComment[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens.isCommentAt(i)) continue;
    const t = tokens.at(i)!;
    comments.push({
      kind: t.kind === "line-comment" ? "line" : "block",
      text: text.slice(t.start + 2, t.kind === "line-comment" || t.unterminated ? t.end : t.end - 2),
      range: rangeOf(t.start, t.end),
    });
  }

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
    const start = tokens.startAt(span.from);
    const end = tokens.endAt(span.to - 1);
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

  /** `sql[start, end)` in one libpg-query call; when that fails, statement by statement. */
  const parseChunk = async (start: number, end: number): Promise<void> => {
    const chunk = sql.slice(start, end);
    if (chunk.length === 0) return; // nothing to run (libpg-query throws "Query cannot be empty")
    const attempt = await parseScript(chunk);
    if ("result" in attempt) return addParsed(attempt.result, chunk, start, end);
    const before = parseErrors.length;
    for (const span of splitStatements(sql, tokens, { start: tokens.lowerBound(start), end: tokens.lowerBound(end) })) await parseStatement(span, true);
    // e.g. an unterminated block comment: no statement to blame, so report where Postgres stopped
    if (parseErrors.length === before) parseErrors.push(errorAt(attempt.error, chunk, start, end, rangeOf));
  };

  if (sql.length <= SEGMENT_CHARS) {
    await parseChunk(0, sql.length);
  } else {
    // a large file: segments of about SEGMENT_CHARS cut between statements, and seed rows past the budget read by their head
    const seeds = new SeedRows();
    let segmentStart = 0;
    for (const span of splitStatements(sql, tokens)) {
      const statementStart = tokens.startAt(span.from);
      const statementEnd = tokens.endAt(span.to - 1);
      const insert = seeds.overBudget(sql, tokens, span);
      if (!insert) {
        if (statementEnd - segmentStart > SEGMENT_CHARS && statementStart > segmentStart) {
          await parseChunk(segmentStart, statementStart);
          segmentStart = statementStart;
        }
        continue;
      }
      await parseChunk(segmentStart, statementStart);
      segmentStart = statementEnd;
      if (seeds.continuesRun(insert)) continue;
      // the first of a run: parsed up to its first row, which says everything the catalog and rules use (an insert into that table)
      const head = sql.slice(statementStart, insert.firstRowEnd);
      const attempt = await parseScript(head);
      if ("result" in attempt) addParsed(attempt.result, head, statementStart, insert.firstRowEnd);
      else await parseStatement(span, true);
    }
    await parseChunk(segmentStart, sql.length);
    const skipped = seeds.summary();
    if (skipped) {
      parseErrors.push({
        kind: "skipped",
        message: `${skipped.count === 1 ? "an INSERT ... VALUES statement" : `${skipped.count} INSERT ... VALUES statements`} from here to line ${rangeOf(skipped.lastEnd, skipped.lastEnd).loc.start.line} (${(skipped.chars / 1024 / 1024).toFixed(1)} MB) ${skipped.count === 1 ? "was" : "were"} read only for the table ${skipped.count === 1 ? "it inserts" : "they insert"} into, not row by row: the file holds more than ${SEED_PARSE_CHARS / 1024 / 1024} MB of inserted rows, and parsing every row would take memory in proportion (3 GB for a 100 MB file)`,
        range: rangeOf(skipped.firstStart, skipped.firstRowEnd),
      });
    }
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

/**
 * INSERT ... VALUES text a large file may hold before later INSERT ... VALUES
 * statements are parsed only up to their first row. Each row's parse tree
 * stays in memory until its migration is linted: a 100 MB seed file peaked at
 * 3 GB, most of it rows no rule reads (an INSERT's table is what the catalog
 * and the rules use). Far above any migration of the corpus (the largest is
 * under 100 KB); only files larger than SEGMENT_CHARS are considered.
 */
export const SEED_PARSE_CHARS = 2 << 20;

/** `INSERT INTO <name> [(<columns>)] VALUES (...)...`: where its VALUES keyword and its first row end are. */
interface ValuesInsert {
  /** The text before VALUES, spaces normalized: statements with the same target continue one run. */
  target: string;
  start: number;
  firstRowEnd: number;
  end: number;
}

/** Counts INSERT ... VALUES text of a file and groups the statements past SEED_PARSE_CHARS into runs of the same target. */
class SeedRows {
  private chars = 0;
  private run: string | null = null;
  private skipped: { count: number; chars: number; firstStart: number; firstRowEnd: number; lastEnd: number } | null = null;

  /** The statement as a seed insert when the budget is spent, else null (and any run ends). */
  overBudget(sql: string, tokens: TokenList, span: { from: number; to: number }): ValuesInsert | null {
    const insert = valuesInsert(sql, tokens, span);
    if (insert) this.chars += insert.end - insert.start;
    if (insert && this.chars > SEED_PARSE_CHARS) return insert;
    this.run = null;
    return null;
  }

  /** Records a skipped insert; true when it continues the run of the one before (so it needs no statement of its own). */
  continuesRun(insert: ValuesInsert): boolean {
    const size = insert.end - insert.start;
    this.skipped ??= { count: 0, chars: 0, firstStart: insert.start, firstRowEnd: insert.firstRowEnd, lastEnd: insert.end };
    this.skipped.count++;
    this.skipped.chars += size;
    this.skipped.lastEnd = insert.end;
    const continues = this.run === insert.target;
    this.run = insert.target;
    return continues;
  }

  summary() {
    return this.skipped;
  }
}

/** Reads `INSERT INTO name [(columns)] VALUES (` from the statement's tokens; null for any other shape (then the statement is parsed whole). */
function valuesInsert(sql: string, tokens: TokenList, span: { from: number; to: number }): ValuesInsert | null {
  let i = span.from;
  const skipComments = () => {
    while (i < span.to && tokens.isCommentAt(i)) i++;
  };
  const word = (upper: string): boolean => {
    skipComments();
    if (i >= span.to || tokens.kindAt(i) !== "word" || sql.slice(tokens.startAt(i), tokens.endAt(i)).toUpperCase() !== upper) return false;
    i++;
    return true;
  };
  const name = (): boolean => {
    skipComments();
    if (i >= span.to || (tokens.kindAt(i) !== "word" && tokens.kindAt(i) !== "quoted-ident")) return false;
    i++;
    return true;
  };
  /** Past the parenthesis group opening at `i`; its closing token index, or -1. */
  const group = (): number => {
    skipComments();
    if (i >= span.to || tokens.kindAt(i) !== "lparen") return -1;
    for (let depth = 0; i < span.to; i++) {
      const kind = tokens.kindAt(i);
      if (kind === "lparen") depth++;
      else if (kind === "rparen" && --depth === 0) return i++;
    }
    return -1;
  };
  if (!word("INSERT") || !word("INTO") || !name()) return null;
  while (i + 1 < span.to && tokens.kindAt(i) === "other" && sql[tokens.startAt(i)] === "." && tokens.endAt(i) - tokens.startAt(i) === 1) {
    i++;
    if (!name()) return null;
  }
  skipComments();
  if (i < span.to && tokens.kindAt(i) === "lparen" && group() < 0) return null;
  const valuesAt = i;
  if (!word("VALUES")) return null;
  const firstRowClose = group();
  if (firstRowClose < 0) return null;
  skipComments();
  const start = tokens.startAt(span.from);
  return {
    target: sql.slice(start, tokens.startAt(valuesAt)).replace(/\s+/g, " "),
    start,
    firstRowEnd: tokens.endAt(firstRowClose),
    end: tokens.endAt(span.to - 1),
  };
}

/**
 * Drops what only parsing and linting need (raw libpg-query nodes, tokens)
 * once a migration is linted; statements, operations, ranges and comments stay.
 */
export function releaseSyntaxTrees(file: ParsedSqlFile): void {
  dropSyntaxTrees(file);
  internals.delete(file);
}

/**
 * A file known only by its text: no statements, no comments. For migrations
 * whose findings come from the cache and whose catalog effect is in a cached
 * snapshot; rules that run on it (the git rules) look at the migration, not its SQL.
 */
/** The tokens of every lite file: none, and nothing adds any (a history's 820 lite files made 2,460 typed arrays a run). */
const NO_TOKENS = new TokenList(0);

export function liteSqlFile(path: string, raw: string): ParsedSqlFile {
  const source = new SourceText(raw);
  const file: ParsedSqlFile = { path, text: source.text, statements: [], comments: [], parseErrors: [], rangeOf: (start, end) => source.rangeOf(start, end) };
  internals.set(file, { source, tokens: NO_TOKENS, locationMappers: [] });
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
function trimToCode(tokens: TokenList, from: number, to: number): [number, number] {
  let lo = tokens.lowerBound(from);
  while (lo < tokens.length && tokens.startAt(lo) < to && tokens.isCommentAt(lo)) lo++;
  let hi = tokens.lowerBound(to) - 1;
  while (hi > lo && (tokens.isCommentAt(hi) || tokens.kindAt(hi) === "semicolon")) hi--;
  if (lo >= tokens.length || hi < 0 || tokens.startAt(lo) >= to) return [from, to];
  return [tokens.startAt(lo), tokens.endAt(hi)];
}
