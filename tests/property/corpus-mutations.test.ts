/**
 * Mutations of real migrations (../shared/corpus, when present): random
 * edits never crash linting and findings stay inside the file; an edit inside
 * one statement that breaks it yields a parse error there while every
 * statement after it still parses to the same thing.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lintText } from "../../src/api/lint-text.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { tokenize } from "../../src/dialects/postgres/lexer.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import type { ParsedSqlFile } from "../../src/types.js";
import { ROOT, expectInside } from "../hostile/helpers.js";
import { fcSettings, fcTimeout } from "./settings.js";
import { CORPUS, corpusMigrationFiles } from "../corpus/projects.js";


type Mutation =
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "duplicate-line"; line: number }
  | { kind: "swap-lines"; a: number; b: number };

const insertion = fc.oneof(
  fc.constantFrom("'", '"', "$$", "$tag$", "/*", "*/", "--", ";", "(", ")", "\0", "\r", "\uFEFF", "E'\\", "BEGIN;", "COMMIT;", "\u00e9", "\ud83d"),
  fc.string({ unit: "binary", maxLength: 8 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: insertion }),
  fc.record({ kind: fc.constant("duplicate-line" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), a: fc.nat(), b: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  switch (m.kind) {
    case "delete": {
      const at = text.length ? m.at % text.length : 0;
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case "insert": {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "duplicate-line": {
      const lines = text.split("\n");
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    }
    case "swap-lines": {
      const lines = text.split("\n");
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join("\n");
    }
  }
}

const shape = (file: ParsedSqlFile) => file.statements.map((s) => ({ text: s.text, nodeType: s.nodeType, operations: s.operations.map((o) => o.kind) }));

describe.skipIf(!fs.existsSync(CORPUS))("mutated corpus migrations", () => {
  const files = corpusMigrationFiles("postgresql");
  const texts = new Map<number, string>();
  const textOf = (i: number) => {
    const index = i % files.length;
    if (!texts.has(index)) texts.set(index, fs.readFileSync(files[index]!, "utf8"));
    return texts.get(index)!;
  };

  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThan(1000);
  });

  it("a file over the segment size (the whole corpus, twice) parses to the same statements as its parts", async () => {
    // above 1 MB, parseSqlFile parses in segments cut between statements: the cut must never split a statement
    const parts = files.map((_, i) => textOf(i));
    const expected: Array<ReturnType<typeof shape>[number]> = [];
    for (const part of parts) {
      const file = await parseSqlFile("part.sql", part);
      buildOperations(file);
      expect(file.parseErrors).toEqual([]);
      expected.push(...shape(file));
    }
    const whole = [...parts, ...parts].join("\n;\n");
    expect(whole.length).toBeGreaterThan(1 << 20);
    const file = await parseSqlFile("all.sql", whole);
    buildOperations(file);
    expect(file.parseErrors).toEqual([]);
    expect(shape(file)).toEqual([...expected, ...expected]);
    for (const s of file.statements) expect(whole.slice(s.range.start, s.range.end)).toBe(s.text);
  }, fcTimeout(60_000));

  it("random edits: linting never throws, findings stay inside the file, the result is deterministic", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (pick, mutations) => {
        const sql = mutations.reduce(mutate, textOf(pick));
        const lint = () => lintText({ migrations: [{ name: "20240101000000_mutated_corpus_file", sql }], config: { extends: "all" } });
        const results = await lint();
        expect(results).toHaveLength(1);
        expectInside(results[0]!.messages, sql, files[pick % files.length]);
        expect(results[0]!.messages.filter((m) => m.ruleId === "internal-error")).toEqual([]);
        expect(await lint()).toEqual(results);
      }),
      fcSettings(20_240_601, 400),
    );
  }, fcTimeout());

  it("breaking one statement: a parse error there, every later statement parsed as before", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 12 }), fc.constantFrom("delete", "garble"), async (pick, which, offset, length, how) => {
        const text = textOf(pick);
        const original = await parseSqlFile("m.sql", text);
        buildOperations(original);
        fc.pre(original.parseErrors.length === 0 && original.statements.length > 1);
        const k = which % original.statements.length;
        const target = original.statements[k]!;
        // edit inside the statement, away from anything that could reach past it: quotes, dollar quotes, comments
        const at = target.range.start + (offset % Math.max(1, target.range.end - target.range.start));
        const cut = text.slice(at, Math.min(at + length, target.range.end));
        const replacement = how === "delete" ? "" : " )( SELEC ,, ";
        const edited = text.slice(0, at) + replacement + text.slice(at + cut.length);
        const tokens = (t: string) => tokenize(t).filter((tok) => tok.kind !== "line-comment" && tok.kind !== "block-comment");
        const before = tokenize(text);
        const after = tokenize(edited);
        fc.pre(!/['"$;]|--|\/\*|\*\//.test(cut) && !after.some((t) => t.unterminated) && after.filter((t) => t.kind === "semicolon").length === before.filter((t) => t.kind === "semicolon").length);
        fc.pre(tokens(edited).length > 0 && after.filter((t) => t.kind === "line-comment" || t.kind === "block-comment").length === before.filter((t) => t.kind === "line-comment" || t.kind === "block-comment").length);

        const file = await parseSqlFile("m.sql", edited);
        buildOperations(file);
        const later = shape(original).slice(k + 1);
        const tail = shape(file).slice(shape(file).length - later.length);
        expect(tail).toEqual(later); // later statements: same text, node type and operations
        expect(shape(file).slice(0, k)).toEqual(shape(original).slice(0, k));
        if (file.parseErrors.length) {
          // the error is in the edited statement, and only there
          expect(file.parseErrors).toHaveLength(1);
          const error = file.parseErrors[0]!.range;
          expect(error.start).toBeGreaterThanOrEqual(target.range.start);
          expect(error.start).toBeLessThanOrEqual(target.range.end + replacement.length);
          expect(file.statements.filter((s) => s.node === null)).toHaveLength(1);
        }
        const results = await lintText({ migrations: [{ name: "20240101000000_broken_corpus_file", sql: edited }] });
        expectInside(results[0]!.messages, edited);
      }),
      fcSettings(77, 400),
    );
  }, fcTimeout());
});
