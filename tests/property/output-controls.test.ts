/**
 * Whatever SQL identifiers, file names, rule ids and messages contain, no output of any format carries a
 * raw control character (ANSI/OSC escapes, CR, DEL, C1, bidi overrides) other than the format's own line
 * breaks, and no line a finding produces can start a GitHub Actions workflow command (`::error ...`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LintMessage, LintResult } from "../../src/engine/results.js";
import { formatterNames, loadFormatter } from "../../src/formatters/index.js";
import { formatLockTrace } from "../../src/cli/lock-trace.js";
import type { ProjectReport } from "../../src/api/lint.js";
import { fcSettings, fcTimeout } from "./settings.js";

const CWD = "/home/ci/shop";

/** Text that mixes plain characters with every kind of control character and the pieces of an injection. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom("a", " ", "\"", "%", ":", ",", "|", "@", "<", "`", "é", "😀", "\t", "\n", "\r", "\r\n", "\x1b", "\x1b[31m", "\x1b]8;;http://x\x07", "\x07", "\x00", "\x7f", "\x85", "\x9b", "\u2028", "\u202e", "\u2066", "::error file=x::pwned", "::stop-commands::t"),
    fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 24,
});

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const message = fc.record({
  ruleId: fc.option(hostile, { nil: null }),
  severity: fc.constantFrom(1 as const, 2 as const),
  message: hostile,
  help: fc.option(hostile, { nil: undefined }),
  docsUrl: fc.option(hostile.map((s) => `https://example.com/${s}`), { nil: undefined }),
  line: fc.integer({ min: 1, max: 3 }),
  column: fc.integer({ min: 1, max: 10 }),
  fingerprint: fc.constant("0123456789abcdef"),
  migration: hostile,
});

const run = fc.record({
  folder: hostile,
  source: fc.array(hostile, { minLength: 1, maxLength: 3 }).map((lines) => lines.join("\n")),
  messages: fc.array(message, { minLength: 1, maxLength: 3 }),
});

function resultsOf(r: { folder: string; source: string; messages: Array<Omit<LintMessage, "endLine" | "endColumn">> }): LintResult[] {
  const messages = r.messages.map((m) => ({ ...m, endLine: m.line, endColumn: m.column + 3 })) as LintMessage[];
  const errorCount = messages.filter((m) => m.severity === 2).length;
  return [
    {
      filePath: `${CWD}/prisma/migrations/${r.folder}/migration.sql`,
      messages,
      suppressedMessages: [],
      errorCount,
      fatalErrorCount: 0,
      warningCount: messages.length - errorCount,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
    } as LintResult,
  ];
}

/** Chalk's own colour codes (SGR: ESC [ digits m) are the stylish format's, and the only escapes allowed. */
const withoutOwnColours = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

describe("no raw control character in any output", () => {
  it.each(formatterNames)("%s", async (name) => {
    const format = await loadFormatter(name);
    fc.assert(
      fc.property(run, fc.boolean(), (r, color) => {
        const results = resultsOf(r);
        const output = withoutOwnColours(format(results, { cwd: CWD, color, sourceOf: () => r.source }));
        const lines = output.split("\n");
        for (const line of lines) expect(line, JSON.stringify(line)).not.toMatch(RAW_CONTROL);
        // a workflow command only where the github format writes its own, one line per finding
        const commands = lines.filter((l) => l.startsWith("::"));
        if (name === "github") {
          expect(commands).toHaveLength(results[0]!.messages.length);
          for (const c of commands) expect(c).toMatch(/^::(error|warning) file=/);
        } else {
          expect(commands).toEqual([]);
        }
        if (name === "markdown") expect(output).not.toMatch(/(^|[^\w`@])@[A-Za-z0-9]/m);
        if (name === "json" || name === "sarif" || name === "gitlab") JSON.parse(output);
      }),
      fcSettings(1301, 150),
    );
  }, fcTimeout());

  it("the --lock-trace listing", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (folder, statement, table) => {
        const project = {
          replay: { database: "PGlite", applied: 1, totalMs: 1, restored: 0, lockTrace: [{ file: `${CWD}/${folder}/migration.sql`, migration: folder, line: 1, statement, locks: [{ table, mode: "SHARE", blocks: "writes" }], note: undefined }] },
        } as unknown as ProjectReport;
        const text = formatLockTrace([project], CWD);
        for (const line of text.split("\n")) {
          expect(line).not.toMatch(RAW_CONTROL);
          expect(line.startsWith("::")).toBe(false);
        }
      }),
      fcSettings(1302, 200),
    );
  });
});
