/**
 * Properties of the byte/offset plumbing the hostile fixes rely on: the
 * UTF-8 byte offset -> string offset map (libpg-query reports byte offsets),
 * and the search for the first invalid UTF-8 byte.
 */
import { isUtf8 } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byteOffsetMapper } from "../../src/parse/source-text.js";
import { decodeSource, firstInvalidUtf8 } from "../../src/model/load.js";
import { fcSettings } from "./settings.js";

/** The reference: one entry per byte, as Emscripten's stringToUTF8 encodes (a lone surrogate is 3 bytes). */
function naiveMapper(text: string): (b: number) => number {
  const table: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < size; k++) table.push(i);
    if (code >= 0x10000) i++;
  }
  return (b) => (b >= table.length ? text.length : b < 0 ? 0 : table[b]!);
}

const text = fc.string({ unit: fc.oneof(fc.constantFrom("a", " ", "\n", "é", "中", "😀", "\ud800", "\udc00", "\u0000", "\uffff"), fc.string({ unit: "grapheme", maxLength: 1 })), maxLength: 60 });

describe("byteOffsetMapper", () => {
  it("maps every byte offset like a per-byte table", () => {
    fc.assert(
      fc.property(text, (t) => {
        const fast = byteOffsetMapper(t);
        const slow = naiveMapper(t);
        const bytes = Buffer.byteLength(t.replace(/[\ud800-\udfff]/g, "\uffff"), "utf8") + 4; // lone surrogates: 3 bytes, like U+FFFF
        for (let b = -2; b <= bytes; b++) expect(fast(b), `byte ${b} of ${JSON.stringify(t)}`).toBe(slow(b));
      }),
      fcSettings(11, 800),
    );
  });
});

describe("firstInvalidUtf8", () => {
  it("agrees with the platform's UTF-8 validation, and the prefix before it is valid", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      // mostly valid text with a few stray bytes
      fc.tuple(fc.string({ unit: "grapheme", maxLength: 20 }), fc.uint8Array({ maxLength: 3 }), fc.nat()).map(([s, junk, at]) => {
        const valid = Buffer.from(s, "utf8");
        const i = at % (valid.length + 1);
        return new Uint8Array(Buffer.concat([valid.subarray(0, i), junk, valid.subarray(i)]));
      }),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstInvalidUtf8(b);
        expect(at === b.length).toBe(isUtf8(b));
        expect(isUtf8(b.subarray(0, at))).toBe(true);
        const decoded = decodeSource(Buffer.from(b));
        expect(decoded.problem === null).toBe(isUtf8(b) && !(b[0] === 0xff && b[1] === 0xfe) && !(b[0] === 0xfe && b[1] === 0xff));
        if (decoded.problem) expect(decoded.problem.offset).toBeLessThanOrEqual(decoded.text.length);
      }),
      fcSettings(12, 1500),
    );
  });
});
