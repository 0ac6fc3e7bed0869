/**
 * Property tests over SQL generated from a small grammar of the operations
 * migration-lint models: linting never throws, every finding points inside
 * the file, valid SQL never yields a parse error and becomes exactly its
 * statements, one broken statement leaves the others parsed, and results are
 * deterministic (run to run, and whatever order the files were created in).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { lintText } from "../../src/api/lint-text.js";
import { runLint } from "../../src/api/lint.js";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import type { LintResult } from "../../src/engine/results.js";
import { expectInside } from "../hostile/helpers.js";
import { fcSettings, fcTimeout } from "./settings.js";

// ---------------------------------------------------------------------------
// The grammar. Statements are token lists; the separators between tokens are
// generated too (spaces, tabs, newlines, CRLF, comments).

type Tokens = readonly string[];

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteString = (value: string) => `'${value.replace(/'/g, "''")}'`;

const NAME_CHARS = ["a", "b", "z", "_", "1", "é", "ü", "中", "😀", "ß", " ", "-", '"', "'", "$", ";", "İ"];
// unquoted names with a prefix no SQL keyword has (`as`, `on`, `int` ... would not parse as names everywhere)
const plainName = fc.stringMatching(/^[a-z]{0,3}_[a-z0-9_$]{0,10}$/).map((n) => `n${n}`);
const quotedName = fc.string({ unit: fc.constantFrom(...NAME_CHARS), minLength: 1, maxLength: 20 }).map(quoteIdent);
/** Table, column, index, type and constraint names: plain, or quoted with unicode, quotes and spaces; sometimes over 63 bytes. */
const name = fc.oneof({ weight: 3, arbitrary: plainName }, { weight: 3, arbitrary: quotedName }, { weight: 1, arbitrary: fc.constant(quoteIdent("x".repeat(70))) });
const stringValue = fc.string({ unit: fc.constantFrom("a", "'", "é", "😀", "\\", "$", ";", "--", "/*", " ", "\n"), maxLength: 12 }).map(quoteString);

const type = fc.constantFrom("INTEGER", "BIGINT", "TEXT", "VARCHAR(191)", "TIMESTAMP(3)", "TIMESTAMPTZ", "BOOLEAN", "JSONB", "DECIMAL(65,30)", "SERIAL", "TEXT[]", "CHAR(3)", "UUID", '"Role"');
const scalar = fc.oneof(fc.integer({ min: -5, max: 1_000_000 }).map(String), stringValue, fc.constantFrom("true", "NULL", "now()", "CURRENT_TIMESTAMP", "gen_random_uuid()", "'{}'::jsonb"));
const expression: fc.Arbitrary<Tokens> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar.map((s) => [s]),
    // always parenthesised: DEFAULT takes a restricted expression, and comparisons do not chain
    fc.tuple(tie("expr") as fc.Arbitrary<Tokens>, fc.constantFrom("+", "*", "||", ">", "=", "AND"), tie("expr") as fc.Arbitrary<Tokens>).map(([a, op, b]) => ["(", ...a, op, ...b, ")"]),
    fc.tuple(name, (tie("expr") as fc.Arbitrary<Tokens>)).map(([n, e]) => ["coalesce", "(", n, ",", ...e, ")"]),
  ),
})).expr;

const columnConstraint: fc.Arbitrary<Tokens> = fc.oneof(
  fc.constant(["NOT", "NULL"]),
  fc.constant(["NULL"]),
  fc.constant(["PRIMARY", "KEY"]),
  fc.constant(["UNIQUE"]),
  expression.map((e) => ["DEFAULT", ...e]),
  fc.tuple(name, name).map(([t, c]) => ["REFERENCES", t, "(", c, ")", "ON", "DELETE", "CASCADE"]),
  expression.map((e) => ["CHECK", "(", ...e, ")"]),
);
const columnDef: fc.Arbitrary<Tokens> = fc.tuple(name, type, fc.array(columnConstraint, { maxLength: 3 })).map(([n, t, cs]) => [n, t, ...cs.flat()]);
const notValid = fc.boolean().map((b) => (b ? ["NOT", "VALID"] : []));

const alterClause: fc.Arbitrary<Tokens> = fc.oneof(
  fc.tuple(fc.boolean(), columnDef).map(([ine, c]) => ["ADD", "COLUMN", ...(ine ? ["IF", "NOT", "EXISTS"] : []), ...c]),
  fc.tuple(fc.boolean(), name, fc.boolean()).map(([ie, c, cascade]) => ["DROP", "COLUMN", ...(ie ? ["IF", "EXISTS"] : []), c, ...(cascade ? ["CASCADE"] : [])]),
  fc.tuple(name, type, fc.option(expression, { nil: undefined })).map(([c, t, using]) => ["ALTER", "COLUMN", c, "TYPE", t, ...(using ? ["USING", ...using] : [])]),
  fc.tuple(name, fc.constantFrom(["SET", "NOT", "NULL"], ["DROP", "NOT", "NULL"], ["DROP", "DEFAULT"])).map(([c, rest]) => ["ALTER", "COLUMN", c, ...rest]),
  fc.tuple(name, expression).map(([c, e]) => ["ALTER", "COLUMN", c, "SET", "DEFAULT", ...e]),
  fc.tuple(name, name, name, name, notValid).map(([n, c, t, rc, nv]) => ["ADD", "CONSTRAINT", n, "FOREIGN", "KEY", "(", c, ")", "REFERENCES", t, "(", rc, ")", "ON", "DELETE", "SET", "NULL", ...nv]),
  fc.tuple(name, expression, notValid).map(([n, e, nv]) => ["ADD", "CONSTRAINT", n, "CHECK", "(", ...e, ")", ...nv]),
  fc.tuple(name, name).map(([n, c]) => ["ADD", "CONSTRAINT", n, "UNIQUE", "(", c, ")"]),
  name.map((n) => ["VALIDATE", "CONSTRAINT", n]),
  name.map((n) => ["DROP", "CONSTRAINT", n]),
);

const statement: fc.Arbitrary<Tokens> = fc.oneof(
  fc.tuple(name, fc.boolean(), fc.array(columnDef, { minLength: 1, maxLength: 4 }), fc.option(fc.tuple(name, name), { nil: undefined })).map(([t, ine, cols, pk]) => {
    const elements: Tokens[] = [...cols, ...(pk ? [["CONSTRAINT", pk[0], "PRIMARY", "KEY", "(", pk[1], ")"]] : [])];
    return ["CREATE", "TABLE", ...(ine ? ["IF", "NOT", "EXISTS"] : []), t, "(", ...elements.flatMap((e, i) => (i ? [",", ...e] : e)), ")"];
  }),
  fc.tuple(name, fc.array(alterClause, { minLength: 1, maxLength: 4 })).map(([t, clauses]) => ["ALTER", "TABLE", t, ...clauses.flatMap((c, i) => (i ? [",", ...c] : c))]),
  fc.tuple(name, name, fc.boolean(), fc.boolean(), fc.boolean(), fc.array(name, { minLength: 1, maxLength: 3 }), fc.option(expression, { nil: undefined })).map(([i, t, unique, concurrently, ine, cols, where]) => [
    "CREATE", ...(unique ? ["UNIQUE"] : []), "INDEX", ...(concurrently ? ["CONCURRENTLY"] : []), ...(ine ? ["IF", "NOT", "EXISTS"] : []), i, "ON", t, "(", ...cols.flatMap((c, k) => (k ? [",", c] : [c])), ")", ...(where ? ["WHERE", ...where] : []),
  ]),
  fc.tuple(name, fc.boolean(), fc.boolean()).map(([i, concurrently, ie]) => ["DROP", "INDEX", ...(concurrently ? ["CONCURRENTLY"] : []), ...(ie ? ["IF", "EXISTS"] : []), i]),
  fc.tuple(name, fc.array(stringValue, { minLength: 1, maxLength: 4 })).map(([t, values]) => ["CREATE", "TYPE", t, "AS", "ENUM", "(", ...values.flatMap((v, k) => (k ? [",", v] : [v])), ")"]),
  fc.tuple(name, fc.boolean(), stringValue, fc.option(fc.tuple(fc.constantFrom("BEFORE", "AFTER"), stringValue), { nil: undefined })).map(([t, ine, v, where]) => ["ALTER", "TYPE", t, "ADD", "VALUE", ...(ine ? ["IF", "NOT", "EXISTS"] : []), v, ...(where ?? [])]),
  fc.tuple(name, name, expression, fc.option(expression, { nil: undefined })).map(([t, c, e, where]) => ["UPDATE", t, "SET", c, "=", ...e, ...(where ? ["WHERE", ...where] : [])]),
  fc.tuple(name, fc.option(expression, { nil: undefined })).map(([t, where]) => ["DELETE", "FROM", t, ...(where ? ["WHERE", ...where] : [])]),
  fc.tuple(name, name, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([t, c, rows]) => ["INSERT", "INTO", t, "(", c, ")", "VALUES", ...rows.flatMap((r, k) => (k ? [",", "(", r, ")"] : ["(", r, ")"]))]),
  fc.tuple(name, fc.boolean(), fc.boolean()).map(([t, ie, cascade]) => ["DROP", "TABLE", ...(ie ? ["IF", "EXISTS"] : []), t, ...(cascade ? ["CASCADE"] : [])]),
  fc.tuple(name, name, name).map(([t, a, b]) => ["ALTER", "TABLE", t, "RENAME", "COLUMN", a, "TO", b]),
  fc.constantFrom(["BEGIN"], ["COMMIT"], ["SET", "lock_timeout", "=", "'5s'"], ["SET", "LOCAL", "statement_timeout", "TO", "1000"], ["RESET", "lock_timeout"]),
);

const separator = fc.oneof(
  { weight: 12, arbitrary: fc.constant(" ") },
  { weight: 1, arbitrary: fc.constantFrom("\n", "\t", "\r\n", "  \n    ", "\n\n") },
  { weight: 1, arbitrary: fc.constantFrom(" /* c */ ", " /* nested /* ü */ */ ", " -- note ; 'x\n", "\r\n-- AlterTable\r\n") },
  // comments the engine reads: inline directives (also malformed ones) and Prisma's Warnings block
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "\n-- migration-lint-disable-next-line destructive-change -- generated\n",
      "\n-- migration-lint-disable-next-line\n",
      "\n-- migration-lint-disable no-such-rule\n",
      "\n-- migration-lint-enable\n",
      "\n/*\n  Warnings:\n\n  - You are about to drop the column `c` on the `t` table. All the data in the column will be lost.\n*/\n",
      "\n/* Warnings:\n  - \n*/ ",
    ),
  },
);

/** Renders token lists with generated separators; each statement ends with `;` and a line end. */
const script = (count: { minLength: number; maxLength: number }) =>
  fc
    .tuple(fc.array(statement, count), fc.array(separator, { minLength: 1, maxLength: 64 }), fc.constantFrom("\n", "\r\n", "\n\n"), fc.boolean())
    .map(([statements, seps, eol, leadingComment]) => {
      let next = 0;
      const render = (tokens: Tokens) => tokens.map((t, i) => (i ? seps[next++ % seps.length]! + t : t)).join("");
      const texts = statements.map(render);
      const sql = (leadingComment ? `-- CreateTable${eol}` : "") + texts.map((t) => `${t};${eol}`).join("");
      return { sql, statements: texts };
    });

const crlfOrMixed = (sql: string, mode: "lf" | "crlf" | "mixed") =>
  mode === "lf" ? sql : mode === "crlf" ? sql.replace(/\r?\n/g, "\r\n") : sql.replace(/\r?\n/g, (_m, offset: number) => (offset % 3 ? "\n" : "\r\n"));

const lint = (name: string, sql: string, config?: Parameters<typeof lintText>[0]["config"]) =>
  lintText({ migrations: [{ name: "20240101000000_init", sql: 'CREATE TABLE "t" ("id" INTEGER NOT NULL, "c" TEXT);' }, { name, sql }], ...(config ? { config } : {}) });

// ---------------------------------------------------------------------------

describe("generated SQL", () => {
  it("never crashes, findings stay inside the file, no parse errors, deterministic", async () => {
    await fc.assert(
      fc.asyncProperty(script({ minLength: 0, maxLength: 8 }), fc.constantFrom("lf", "crlf", "mixed") as fc.Arbitrary<"lf" | "crlf" | "mixed">, async ({ sql: generated }, mode) => {
        const sql = crlfOrMixed(generated, mode);
        const first = await lint("20240102000000_generated", sql, { extends: "all" });
        expect(first).toHaveLength(1);
        expectInside(first[0]!.messages, sql);
        expect(first[0]!.messages.filter((m) => m.ruleId === "parse-error" || m.ruleId === "internal-error")).toEqual([]);
        expect(await lint("20240102000000_generated", sql, { extends: "all" })).toEqual(first);
      }),
      fcSettings(1_717_171_717, 600),
    );
  }, fcTimeout());

  it("becomes exactly its statements, with operations, whether parsed whole or one by one", async () => {
    await fc.assert(
      fc.asyncProperty(script({ minLength: 1, maxLength: 8 }), fc.nat(), async ({ sql, statements }, at) => {
        const whole = await parseSqlFile("m.sql", sql);
        buildOperations(whole);
        expect(whole.parseErrors).toEqual([]);
        expect(whole.statements.map((s) => s.text.replace(/\s+/g, " "))).toEqual(statements.map((s) => s.replace(/\s+/g, " ")));
        for (const s of whole.statements) expect(s.operations.length).toBeGreaterThan(0);

        // one broken statement forces the statement-by-statement path: the others parse the same
        const k = at % (statements.length + 1);
        const broken = [...statements.slice(0, k), "ALTER TABLE t ADD COLUMN (", ...statements.slice(k)];
        const file = await parseSqlFile("m.sql", broken.map((s) => `${s};\n`).join(""));
        buildOperations(file);
        expect(file.parseErrors).toHaveLength(1);
        expect(file.statements.map((s) => s.nodeType)).toEqual([...whole.statements.slice(0, k).map((s) => s.nodeType), null, ...whole.statements.slice(k).map((s) => s.nodeType)]);
        expect(file.statements.map((s) => s.operations.map((o) => o.kind))).toEqual([
          ...whole.statements.slice(0, k).map((s) => s.operations.map((o) => o.kind)),
          [],
          ...whole.statements.slice(k).map((s) => s.operations.map((o) => o.kind)),
        ]);
        const errorLine = file.parseErrors[0]!.range.loc.start.line;
        expect(errorLine).toBe(file.statements[k]!.range.loc.start.line);
      }),
      fcSettings(424_242, 500),
    );
  }, fcTimeout());
});

describe("runLint on a generated project", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the project; `reverse` creates the migration folders in the opposite order (a different readdir order on many file systems). */
  function writeProject(migrations: Array<{ name: string; sql: string }>, reverse: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-lint-property-"));
    made.push(dir);
    fs.mkdirSync(path.join(dir, ".git"));
    fs.mkdirSync(path.join(dir, "prisma", "migrations"), { recursive: true });
    fs.writeFileSync(path.join(dir, "prisma", "schema.prisma"), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
    for (const m of reverse ? [...migrations].reverse() : migrations) {
      fs.mkdirSync(path.join(dir, "prisma", "migrations", m.name));
      fs.writeFileSync(path.join(dir, "prisma", "migrations", m.name, "migration.sql"), m.sql);
    }
    return dir;
  }

  // every path in the results (each result's file, and the files a suggestion creates) relative to the project
  const relative = (dir: string, results: LintResult[]) => JSON.parse(JSON.stringify(results).split(dir).join("<project>")) as LintResult[];

  it("gives the same results run after run, and whatever order the folders were created in", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(script({ minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 5 }), async (scripts) => {
        const migrations = scripts.map((s, i) => ({ name: `2024010${i + 1}000000_step_${i + 1}`, sql: s.sql }));
        const a = writeProject(migrations, false);
        const b = writeProject(migrations, true);
        const first = await runLint({ cwd: a, config: { extends: "all" }, baseline: false });
        const again = await runLint({ cwd: a, config: { extends: "all" }, baseline: false });
        const other = await runLint({ cwd: b, config: { extends: "all" }, baseline: false });
        expect(again.results).toEqual(first.results);
        expect(relative(b, other.results)).toEqual(relative(a, first.results));
        for (const r of first.results) expectInside(r.messages, fs.readFileSync(r.filePath, "utf8"), r.filePath);
      }),
      fcSettings(7, 25),
    );
  }, fcTimeout());
});
