/**
 * SQLite migration files -> statements with exact ranges and comments.
 * Statements are cut by our tokenizer (src/dialects/sqlite/lexer.ts) and each
 * is parsed alone by sqlparser-rs (`@guanmingchiu/sqlparser-ts`, WASM, SQLite
 * dialect), loaded on first use. PRAGMA, whose value sqlparser-rs rejects when
 * it is a keyword (`PRAGMA foreign_keys=OFF`, in every Prisma table rebuild), is
 * read by SQLite's own PRAGMA grammar here. The measurement behind the choice
 * is in docs/dialects.md.
 */
import type { ParsedSqlFile, SqlComment, Statement } from "../../types.js";
import { attachLeadingComments, SourceText } from "../../parse/source-text.js";
import { isSqliteComment, splitSqliteStatements, tokenizeSqlite, type SqliteToken } from "./lexer.js";
import { loadSqlparser, sqlparserError } from "../sqlparser.js";

/** A PRAGMA as SQLite's grammar has it: `PRAGMA [schema.]name [= value | (value)]` (https://www.sqlite.org/pragma.html#syntax). */
export interface PragmaNode {
  Pragma: { schema: string | null; name: string; value: string | null };
}

const unquote = (text: string) => (/^["`[]/.test(text) ? text.slice(1, -1).replace(/""/g, '"').replace(/``/g, "`") : text);

/** Reads a PRAGMA statement's tokens (semicolon excluded); null when they do not follow the grammar. */
export function parsePragma(text: string, tokens: SqliteToken[]): PragmaNode | null {
  const t = (i: number) => (tokens[i] ? text.slice(tokens[i]!.start, tokens[i]!.end) : undefined);
  const isName = (i: number) => tokens[i]?.kind === "word" || tokens[i]?.kind === "identifier";
  if (t(0)?.toUpperCase() !== "PRAGMA" || !isName(1)) return null;
  let i = 1;
  let schema: string | null = null;
  if (t(2) === "." && isName(3)) {
    schema = unquote(t(1)!);
    i = 3;
  }
  const name = unquote(t(i)!);
  const rest = tokens.slice(i + 1);
  if (rest.length === 0) return { Pragma: { schema, name, value: null } };
  // a value: a signed number, a name (ON, OFF, a table) or a string literal
  const valueOf = (from: number, to: number) => {
    const parts = tokens.slice(from, to);
    const sign = parts.length === 2 && (t(from) === "-" || t(from) === "+") && parts[1]!.kind === "word";
    if (parts.length !== 1 && !sign) return null;
    const last = parts.at(-1)!;
    return last.kind === "other" ? null : text.slice(parts[0]!.start, last.end);
  };
  const at = i + 1;
  if (t(at) === "=" && tokens.length > at + 1) {
    const value = valueOf(at + 1, tokens.length);
    return value === null ? null : { Pragma: { schema, name, value: unquote(value) } };
  }
  if (t(at) === "(" && t(tokens.length - 1) === ")") {
    const value = valueOf(at + 1, tokens.length - 1);
    return value === null ? null : { Pragma: { schema, name, value: unquote(value) } };
  }
  return null;
}

/** Parses a SQLite migration file. Never throws on bad SQL: a statement that does not parse becomes a parse error at its own line. */
export async function parseSqliteFile(path: string, raw: string): Promise<ParsedSqlFile> {
  const source = new SourceText(raw);
  const text = source.text;
  const tokens = tokenizeSqlite(text);
  const rangeOf: ParsedSqlFile["rangeOf"] = (start, end) => source.rangeOf(start, end);
  const comments: SqlComment[] = tokens.filter(isSqliteComment).map((t) => ({
    kind: t.kind === "line-comment" ? "line" : "block",
    text: text.slice(t.start + 2, t.kind === "line-comment" || !text.endsWith("*/", t.end) || t.end - t.start < 4 ? t.end : t.end - 2),
    range: rangeOf(t.start, t.end),
  }));
  const statements: Statement[] = [];
  const parseErrors: ParsedSqlFile["parseErrors"] = [];
  const spans = splitSqliteStatements(text, tokens);
  const parser = spans.length ? await loadSqlparser() : null;
  for (const span of spans) {
    const code = tokens.slice(span.from, span.to).filter((t) => !isSqliteComment(t));
    const body = code.at(-1)?.kind === "semicolon" ? code.slice(0, -1) : code;
    if (!body.length) continue;
    const start = body[0]!.start;
    const end = body.at(-1)!.end;
    const statementText = text.slice(start, end);
    let node: unknown = null;
    if (text.slice(start, body[0]!.end).toUpperCase() === "PRAGMA") {
      node = parsePragma(text, body);
      if (!node) parseErrors.push({ kind: "syntax", message: "not a PRAGMA as SQLite reads it: PRAGMA [schema.]name [= value | (value)]", range: rangeOf(start, end) });
    } else {
      try {
        const parsed = parser!.parse(statementText, "sqlite");
        node = parsed.length === 1 ? parsed[0] : null;
        if (parsed.length !== 1) parseErrors.push({ kind: "syntax", message: `expected one statement here, the parser read ${parsed.length}`, range: rangeOf(start, end) });
      } catch (error) {
        parseErrors.push(errorAt(error, source, start, end));
      }
    }
    const nodeType = node && typeof node === "object" ? Object.keys(node)[0] ?? null : null;
    statements.push({ index: statements.length, text: statementText, range: rangeOf(start, end), nodeType, node: nodeType ? node : null, leadingComments: [], operations: [] });
  }
  attachLeadingComments(statements, comments);
  return { path, text, statements, comments, parseErrors, rangeOf };
}

/** sqlparser-rs ends its message with "at Line: L, Column: C" (1-based, in the statement's text): point there. */
function errorAt(error: unknown, source: SourceText, start: number, end: number): ParsedSqlFile["parseErrors"][number] {
  const { message, line: errorLine, column: errorColumn } = sqlparserError(error);
  let at = start;
  if (errorLine !== null && errorColumn !== null) {
    const startPos = source.positionAt(start);
    const line = startPos.line + errorLine - 1;
    const column = errorLine === 1 ? startPos.column + errorColumn - 1 : errorColumn;
    at = Math.min(Math.max(start, source.offsetAt(line, column)), end);
  }
  return { kind: "syntax", message, range: source.rangeOf(at, end) };
}
