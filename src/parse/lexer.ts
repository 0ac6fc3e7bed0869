/**
 * A small, forgiving SQL tokenizer. libpg-query parses; this only finds the
 * boundaries the parser does not give us: comments, statement-ending
 * semicolons (to split a file whose whole-file parse failed), and top-level
 * commas (to give each clause of a multi-clause ALTER TABLE its own range).
 * It never throws: an unterminated string, quoted name, dollar quote or block
 * comment runs to the end of the text and is flagged.
 */

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

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
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
      tokens.push({ kind: "line-comment", start, end: j });
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
      tokens.push(depth > 0 ? { kind: "block-comment", start, end: n, unterminated: true } : { kind: "block-comment", start, end: j });
      i = j;
    } else if (c === 39) {
      i = pushQuoted(tokens, text, start, start, 39, "string", false);
    } else if (c === 34) {
      i = pushQuoted(tokens, text, start, start, 34, "quoted-ident", false);
    } else if (c === 36) {
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(text);
      if (m && !(i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        if (close < 0) {
          tokens.push({ kind: "dollar-string", start, end: n, unterminated: true });
          i = n;
        } else {
          tokens.push({ kind: "dollar-string", start, end: close + tag.length });
          i = close + tag.length;
        }
      } else {
        // $1 parameter or a stray dollar
        let j = i + 1;
        while (j < n && isWordChar(text.charCodeAt(j))) j++;
        tokens.push({ kind: "other", start, end: j });
        i = j;
      }
    } else if (c === 59) {
      tokens.push({ kind: "semicolon", start, end: i + 1 });
      i++;
    } else if (c === 44) {
      tokens.push({ kind: "comma", start, end: i + 1 });
      i++;
    } else if (c === 40) {
      tokens.push({ kind: "lparen", start, end: i + 1 });
      i++;
    } else if (c === 41) {
      tokens.push({ kind: "rparen", start, end: i + 1 });
      i++;
    } else if (isWordStart(c) || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      // E'...', B'...', X'...' and N'...' prefixes belong to the string that follows
      const prefix = j - i === 1 ? text[i]!.toLowerCase() : "";
      if (text.charCodeAt(j) === 39 && (prefix === "e" || prefix === "b" || prefix === "x" || prefix === "n")) {
        i = pushQuoted(tokens, text, start, j, 39, "string", prefix === "e");
      } else {
        tokens.push({ kind: "word", start, end: j });
        i = j;
      }
    } else {
      tokens.push({ kind: "other", start, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** Reads a quoted token whose opening quote is at `quoteAt`; doubled quotes escape, and so do backslashes in E'' strings. */
function pushQuoted(tokens: Token[], text: string, start: number, quoteAt: number, quote: number, kind: TokenKind, backslashEscapes: boolean): number {
  const n = text.length;
  let j = quoteAt + 1;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (backslashEscapes && d === 92) {
      j += 2;
      continue;
    }
    if (d === quote) {
      if (text.charCodeAt(j + 1) === quote) {
        j += 2;
        continue;
      }
      tokens.push({ kind, start, end: j + 1 });
      return j + 1;
    }
    j++;
  }
  tokens.push({ kind, start, end: n, unterminated: true });
  return n;
}

export const isComment = (t: Token) => t.kind === "line-comment" || t.kind === "block-comment";

/**
 * Splits tokens into statements at top-level semicolons. Returns the token
 * index ranges [from, to) of each statement's non-comment content; empty
 * statements (only comments or `;;`) are skipped.
 */
export function splitStatements(tokens: Token[]): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  let from = -1;
  let last = -1;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isComment(t)) continue;
    if (t.kind === "semicolon") {
      if (from >= 0) out.push({ from, to: last + 1 });
      from = -1;
      last = -1;
      continue;
    }
    if (from < 0) from = k;
    last = k;
  }
  if (from >= 0) out.push({ from, to: last + 1 });
  return out;
}
