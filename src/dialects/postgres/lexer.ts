/**
 * A small, forgiving SQL tokenizer. libpg-query parses; this only finds the
 * boundaries the parser does not give us: comments, statement-ending
 * semicolons (to split a file whose whole-file parse failed), and top-level
 * commas (to give each clause of a multi-clause ALTER TABLE its own range).
 * It never throws: an unterminated string, quoted name, dollar quote or block
 * comment runs to the end of the text and is flagged.
 */

import { quotedEnd } from "../../parse/quoted-token.js";

export type TokenKind =
  | "line-comment"
  | "block-comment"
  | "string"
  | "quoted-ident"
  | "dollar-string"
  | "semicolon"
  | "comma"
  | "lparen"
  | "rparen"
  | "word"
  | "other";

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Set on a string, quoted name, dollar quote or block comment that never closes. */
  unterminated?: true;
}

const isWordChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xfeff;

const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

const KINDS: TokenKind[] = ["line-comment", "block-comment", "string", "quoted-ident", "dollar-string", "semicolon", "comma", "lparen", "rparen", "word", "other"];
const UNTERMINATED = 0x80;
/** Token kinds by their code in TokenList (the index in KINDS). */
const K = { lineComment: 0, blockComment: 1, string: 2, quotedIdent: 3, dollarString: 4, semicolon: 5, comma: 6, lparen: 7, rparen: 8, word: 9, other: 10 } as const;

/** Where the scan puts each token: its kind's code, its offsets, whether it never closes. */
interface TokenSink {
  add(kind: number, start: number, end: number, unterminated: boolean): void;
}

/**
 * The tokens of a file in three typed arrays (9 bytes a token) instead of
 * one object each (about 70 bytes): a 100 MB seed file has some 20 million
 * tokens, which as objects took 1.4 GB before anything was parsed.
 * `at(i)` makes the object form of one token when a caller wants it.
 */
export class TokenList {
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  add(kind: number, start: number, end: number, unterminated: boolean): void {
    if (this.length === this.kinds.length) this.grow();
    this.kinds[this.length] = kind | (unterminated ? UNTERMINATED : 0);
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }

  kindAt(i: number): TokenKind {
    return KINDS[this.kinds[i]! & ~UNTERMINATED]!;
  }
  startAt(i: number): number {
    return this.starts[i]!;
  }
  endAt(i: number): number {
    return this.ends[i]!;
  }
  isCommentAt(i: number): boolean {
    return (this.kinds[i]! & ~UNTERMINATED) <= 1;
  }

  at(i: number): Token | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const token: Token = { kind: this.kindAt(i), start: this.starts[i]!, end: this.ends[i]! };
    if (this.kinds[i]! & UNTERMINATED) token.unterminated = true;
    return token;
  }

  /** Index of the first token starting at or after `offset`. */
  lowerBound(offset: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const size = Math.max(64, Math.ceil(this.kinds.length * 1.5));
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
  }
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  scan(text, { add: (kind, start, end, unterminated) => tokens.push(unterminated ? { kind: KINDS[kind]!, start, end, unterminated } : { kind: KINDS[kind]!, start, end }) });
  return tokens;
}

/** The tokens of `text` in the compact form parse/sql.ts keeps for a file. */
export function tokenList(text: string): TokenList {
  // about a token every 6 characters of Prisma's SQL (quoted names, commas, parentheses); a small file's arrays stay small
  const tokens = new TokenList(Math.max(64, Math.min(Math.ceil(text.length / 6), 1 << 24)));
  scan(text, tokens);
  return tokens;
}

/** Scans `text` into `tokens` without making an object a token (a cold lint of trigger.dev lexes 400 KB of SQL). */
function scan(text: string, tokens: TokenSink): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const next = text.charCodeAt(i + 1);
    if (c === 45 && next === 45) {
      // -- line comment
      let j = i + 2;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      tokens.add(K.lineComment, start, j, false);
      i = j;
    } else if (c === 47 && next === 42) {
      // /* block comment */, nested as Postgres allows
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const d = text.charCodeAt(j);
        if (d === 47 && text.charCodeAt(j + 1) === 42) {
          depth++;
          j += 2;
        } else if (d === 42 && text.charCodeAt(j + 1) === 47) {
          depth--;
          j += 2;
        } else j++;
      }
      tokens.add(K.blockComment, start, depth > 0 ? n : j, depth > 0);
      i = j;
    } else if (c === 39) {
      i = addQuoted(tokens, text, start, start, 39, K.string, false);
    } else if (c === 34) {
      i = addQuoted(tokens, text, start, start, 34, K.quotedIdent, false);
    } else if (c === 36) {
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(text);
      if (m && !(i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        tokens.add(K.dollarString, start, i, close < 0);
      } else {
        // $1 parameter or a stray dollar
        let j = i + 1;
        while (j < n && isWordChar(text.charCodeAt(j))) j++;
        tokens.add(K.other, start, j, false);
        i = j;
      }
    } else if (c === 59) {
      tokens.add(K.semicolon, start, ++i, false);
    } else if (c === 44) {
      tokens.add(K.comma, start, ++i, false);
    } else if (c === 40) {
      tokens.add(K.lparen, start, ++i, false);
    } else if (c === 41) {
      tokens.add(K.rparen, start, ++i, false);
    } else if (isWordStart(c) || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      // E'...', B'...', X'...' and N'...' prefixes belong to the string that follows
      const prefix = j - i === 1 ? text[i]!.toLowerCase() : "";
      if (text.charCodeAt(j) === 39 && (prefix === "e" || prefix === "b" || prefix === "x" || prefix === "n")) {
        i = addQuoted(tokens, text, start, j, 39, K.string, prefix === "e");
      } else {
        tokens.add(K.word, start, j, false);
        i = j;
      }
    } else {
      tokens.add(K.other, start, ++i, false);
    }
  }
}

/** Reads a quoted token whose opening quote is at `quoteAt`; doubled quotes escape, and so do backslashes in E'' strings. */
function addQuoted(tokens: TokenSink, text: string, start: number, quoteAt: number, quote: number, kind: number, backslashEscapes: boolean): number {
  const end = quotedEnd(text, quoteAt, quote, backslashEscapes);
  tokens.add(kind, start, end < 0 ? text.length : end, end < 0);
  return end < 0 ? text.length : end;
}

export const isComment = (t: Token) => t.kind === "line-comment" || t.kind === "block-comment";

/**
 * Splits tokens into statements the way psql does, returning the token index
 * ranges [from, to) of each statement's non-comment content; empty
 * statements (only comments or `;;`) are skipped.
 *
 * A semicolon ends a statement only outside parentheses (`CREATE RULE ... DO
 * (INSERT ...; UPDATE ...)` is one statement) and outside the `BEGIN ATOMIC
 * ... END` body of a `CREATE [OR REPLACE] FUNCTION | PROCEDURE` (psql's
 * heuristic, psqlscan.l: BEGIN and, inside it, CASE open a block, END closes
 * one). Splitting at every semicolon cut such statements into pieces that do
 * not parse, and made the body's END look like a COMMIT.
 *
 * With `inParentheses`, semicolons inside parentheses split too (each piece
 * starting afresh): for a statement that failed to parse, so that an unclosed
 * parenthesis does not swallow every statement after it. BEGIN ATOMIC bodies
 * are still never split. `start`/`end` limit the scan to a token index range.
 */
export function splitStatements(
  text: string,
  tokens: TokenList,
  options: { start?: number; end?: number; inParentheses?: boolean } = {},
): Array<{ from: number; to: number }> {
  const { inParentheses = false } = options;
  const out: Array<{ from: number; to: number }> = [];
  let from = -1;
  let last = -1;
  // psql's state: parenthesis depth, BEGIN ... END depth, and the keyword shape of the first four words
  let parens = 0;
  let begins = 0;
  let words = 0;
  let shape = "";
  const reset = () => {
    from = -1;
    last = -1;
    parens = 0;
    begins = 0;
    words = 0;
    shape = "";
  };
  const end = Math.min(options.end ?? tokens.length, tokens.length);
  for (let k = options.start ?? 0; k < end; k++) {
    if (tokens.isCommentAt(k)) continue;
    const kind = tokens.kindAt(k);
    if (kind === "semicolon" && begins === 0 && (parens === 0 || inParentheses)) {
      if (from >= 0) out.push({ from, to: last + 1 });
      reset();
      continue;
    }
    if (from < 0) from = k;
    last = k;
    if (kind === "lparen") parens++;
    else if (kind === "rparen") parens = Math.max(0, parens - 1);
    else if (kind === "word" && (words < 4 || ROUTINE_SHAPE.test(shape)) && isWordStart(text.charCodeAt(tokens.startAt(k)))) {
      const word = text.slice(tokens.startAt(k), tokens.endAt(k)).toLowerCase();
      if (words < 4) shape += WORD_SHAPE[word] ?? "-";
      words++;
      if (parens === 0 && ROUTINE_SHAPE.test(shape)) {
        if (word === "begin") begins++;
        else if (word === "case" && begins > 0) begins++;
        else if (word === "end" && begins > 0) begins--;
      }
    }
  }
  if (from >= 0) out.push({ from, to: last + 1 });
  return out;
}

/** CREATE [OR REPLACE] FUNCTION | PROCEDURE: the statements whose BEGIN ... END psql keeps whole (past the fourth word, only these need their words read). */
const ROUTINE_SHAPE = /^c(?:[fp]|or[fp])/;

/** First letters psql records for the words that start CREATE [OR REPLACE] FUNCTION | PROCEDURE. */
const WORD_SHAPE: Record<string, string> = { create: "c", or: "o", replace: "r", function: "f", procedure: "p" };
