import type { Position, SqlComment, SourceRange, Statement } from "../types.js";

const BOM = "\uFEFF";

/**
 * Decoded text of a file with the maps every location needs:
 * string offset -> 1-based line/column, and UTF-8 byte offset -> string offset
 * (libpg-query reports byte offsets into the UTF-8 encoding of what it was given).
 */
export class SourceText {
  readonly text: string;
  /** True when the file started with a UTF-8 byte order mark (removed from `text`). */
  readonly hadBom: boolean;
  private lineStarts: number[] | undefined;

  constructor(raw: string) {
    this.hadBom = raw.startsWith(BOM);
    this.text = this.hadBom ? raw.slice(1) : raw;
  }

  /** 1-based line and column of a string offset. `\n`, `\r\n` and a lone `\r` all end a line. */
  positionAt(offset: number): Position {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - starts[lo]! + 1 };
  }

  /** The offset of a 1-based line and column: the first offset at or after it (a column past the line's end gives the next line's start). */
  offsetAt(line: number, column: number): number {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    if (line < 1) return 0;
    const start = starts[line - 1];
    if (start === undefined) return this.text.length;
    const next = starts[line] ?? this.text.length;
    return Math.min(start + Math.max(0, column - 1), next);
  }

  rangeOf(start: number, end: number): SourceRange {
    return { start, end, loc: { start: this.positionAt(start), end: this.positionAt(end) } };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    const start = starts[line - 1];
    if (start === undefined) return "";
    const next = starts[line] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, "");
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * Maps UTF-8 byte offsets of `text` to string offsets. ASCII text (the common
 * case) maps to itself without building a table. Otherwise only the non-ASCII
 * characters are recorded (where each starts and ends, in bytes and in string
 * units) and a lookup is a binary search: a per-byte table cost 8 bytes of
 * memory per byte of SQL, which a large seed file with a few accented
 * characters turned into hundreds of megabytes. A byte offset inside a
 * multi-byte character maps to the start of that character.
 */
export function byteOffsetMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => (b <= 0 ? 0 : Math.min(b, text.length));
  const startByte: number[] = [];
  const endByte: number[] = [];
  const startIndex: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code < 0x80) {
      bytes++;
      continue;
    }
    // the encoder libpg-query uses (Emscripten's stringToUTF8) encodes a lone surrogate as 3 bytes too
    const size = code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    startByte.push(bytes);
    startIndex.push(i);
    bytes += size;
    endByte.push(bytes);
    if (code >= 0x10000) i++; // surrogate pair: two string units, one code point
  }
  const starts = Float64Array.from(startByte);
  const ends = Float64Array.from(endByte);
  const indexes = Float64Array.from(startIndex);
  const total = bytes;
  return (b) => {
    if (b >= total) return text.length;
    if (b <= 0) return 0;
    // the last non-ASCII character starting at or before b
    let lo = 0;
    let hi = starts.length - 1;
    if (starts[0]! > b) return b;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= b) lo = mid;
      else hi = mid - 1;
    }
    if (b < ends[lo]!) return indexes[lo]!;
    const after = indexes[lo]! + (ends[lo]! - starts[lo]! === 4 ? 2 : 1);
    return after + (b - ends[lo]!);
  };
}

/** Gives each statement the comments between the previous statement and it (every dialect's parser ends with this). */
export function attachLeadingComments(statements: Statement[], comments: SqlComment[]): void {
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
