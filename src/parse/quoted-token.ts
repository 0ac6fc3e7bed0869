/**
 * The scan of one quoted token (a string or a quoted name) that every dialect's lexer shares: a doubled
 * quote escapes the quote, and where the dialect says so a backslash escapes the next character. An
 * unterminated token runs to the end of the text and is flagged.
 */
export function scanQuoted<K extends string>(
  tokens: { push(token: { kind: K; start: number; end: number; unterminated?: true }): unknown },
  text: string,
  start: number,
  quoteAt: number,
  quote: number,
  kind: K,
  backslashEscapes: boolean,
): number {
  const end = quotedEnd(text, quoteAt, quote, backslashEscapes);
  if (end < 0) {
    tokens.push({ kind, start, end: text.length, unterminated: true });
    return text.length;
  }
  tokens.push({ kind, start, end });
  return end;
}

/** Where the quoted token whose opening quote is at `quoteAt` ends (just past its closing quote), or -1 when it never closes. */
export function quotedEnd(text: string, quoteAt: number, quote: number, backslashEscapes: boolean): number {
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
      return j + 1;
    }
    j++;
  }
  return -1;
}

/** Drops the parser's trees from a linted file (statements, operations, ranges and comments stay), so memory stays flat on long histories. */
export function dropSyntaxTrees(file: { statements: Array<{ node: unknown; operations: Array<{ node: unknown }> }> }): void {
  for (const statement of file.statements) {
    statement.node = null;
    for (const op of statement.operations) op.node = null;
  }
}
