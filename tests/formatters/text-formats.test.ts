import type { LintResult } from "../../src/engine/results.js";
import compact from "../../src/formatters/compact.js";
import json from "../../src/formatters/json.js";
import markdown, { escapeCell } from "../../src/formatters/markdown.js";
import { CWD, DROP_FILE, fixtureContext, fixtureResults } from "./fixtures/results.js";

describe("json", () => {
  it("is JSON.stringify of the results, whole or in chunks of one result each", () => {
    const results = fixtureResults();
    expect(json(results, fixtureContext())).toBe(JSON.stringify(results));
    const chunks = [...json.chunks!(results, fixtureContext())];
    expect(chunks).toHaveLength(results.length + 2);
    expect(chunks.join("")).toBe(JSON.stringify(results));
    expect(json([], fixtureContext())).toBe("[]");
  });
});

describe("compact", () => {
  it("is ESLint's compact format: absolute paths, one line per finding, a total", () => {
    const lines = compact(fixtureResults(), fixtureContext()).split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${DROP_FILE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: line 3, col 1, Error - Drops table "LegacyInvoice" .* \\(destructive-change\\) \\[[0-9a-f]{16}\\]$`));
    expect(lines[1]).toMatch(/: line 6, col 1, Warning - Backfills 100% .* It holds the lock until done\. \(acme\/batched-backfill\) \[[0-9a-f]{16}\]$/);
    expect(lines.slice(-2)).toEqual(["", "4 problems"]);
    expect(lines).toHaveLength(6);
  });

  it("prints nothing for a clean run, and says problem for one", () => {
    expect(compact([], fixtureContext())).toBe("");
    const one = fixtureResults().slice(2);
    expect(compact(one, fixtureContext()).endsWith("\n\n1 problem")).toBe(true);
  });
});

describe("markdown", () => {
  it("escapes what would break a table cell or render as markup", () => {
    expect(escapeCell("a | b\nc\r\nd <script> & *x* _y_ [l](u) `c` \\")).toBe("a \\| b<br>c<br>d &lt;script&gt; &amp; \\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` \\\\");
  });

  it("keeps one table row per finding", () => {
    const text = markdown(fixtureResults(), fixtureContext());
    const rows = text.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(4);
    // every row has exactly the 5 cells (the last one the finding's stable id): unescaped pipes only as separators
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(text).toContain("## migration-lint: 4 problems (3 errors, 1 warning)");
    expect(text).toContain("| [destructive-change](https://github.com/migration-lint/migration-lint/blob/main/docs/rules/destructive-change.md) | 2 | 0 |");
    expect(text).toContain("2 suppressed findings not shown.");
  });

  describe("cut to fit a pull request comment (65,536 characters) or a step summary (1 MiB)", () => {
    /** `count` migrations, oldest first, each with one finding whose message is `size` characters long. */
    function manyFindings(count: number, size: number, char = "x"): LintResult[] {
      return Array.from({ length: count }, (_, i) => {
        const name = `2024${String(i).padStart(10, "0")}_m${i}`;
        return {
          filePath: `${CWD}/prisma/migrations/${name}/migration.sql`,
          messages: [{ ruleId: "destructive-change", severity: i % 3 === 0 ? 2 : 1, message: `${name} ${char.repeat(size)}`, line: 1, column: 1, endLine: 1, endColumn: 1, fingerprint: `f${i}` }],
          suppressedMessages: [],
          errorCount: i % 3 === 0 ? 1 : 0,
          fatalErrorCount: 0,
          warningCount: i % 3 === 0 ? 0 : 1,
          fixableErrorCount: 0,
          fixableWarningCount: 0,
        } as LintResult;
      });
    }

    it("keeps the summary and the newest migrations' findings, and says what was cut", () => {
      const results = manyFindings(400, 300);
      const text = markdown(results, fixtureContext({ cwd: CWD }));
      expect(text.length).toBeLessThanOrEqual(65_536);
      expect(text.startsWith("## migration-lint: 400 problems (134 errors, 266 warnings)\n\n| Rule | Errors | Warnings |")).toBe(true);
      const shown = [...text.matchAll(/^\| `prisma\/migrations\/(\S+)\/migration\.sql:1`/gm)].map((m) => m[1]!);
      expect(shown.length).toBeGreaterThan(100);
      expect(shown.length).toBeLessThan(400);
      // newest first, and the ones left out are the oldest
      expect(shown[0]).toBe("20240000000399_m399");
      expect(shown).toEqual([...shown].sort().reverse());
      const left = results.slice(0, 400 - shown.length);
      const leftErrors = left.filter((r) => r.errorCount).length;
      expect(text.endsWith(`\n\n**${400 - shown.length} more findings not shown** (${leftErrors} errors, ${left.length - leftErrors} warnings, in older migrations): the report is cut to 65,536 characters, the most a pull request comment holds. The whole report is in the job summary of the workflow run (the GitHub Action writes it with \`--format markdown-summary\`), or run migration-lint locally.\n`)).toBe(true);
      // as many rows as fit: one more would not
      expect(text.length + 400).toBeGreaterThan(65_536);
    });

    it("markdown-summary holds 1 MiB, measured in UTF-8 bytes", async () => {
      const summary = (await import("../../src/formatters/markdown-summary.js")).default;
      const results = manyFindings(2000, 300, "é");
      expect(summary(manyFindings(400, 300), fixtureContext({ cwd: CWD }))).not.toContain("not shown");
      const text = summary(results, fixtureContext({ cwd: CWD }));
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
      expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024 - 1000);
      expect(text).toMatch(/more findings not shown\*\* \(\d+ errors, \d+ warnings, in older migrations\): the report is cut to 1,048,576 bytes, the most a step summary holds\./);
    });
  });

  it("says so when there is nothing to report", () => {
    expect(markdown([], fixtureContext())).toBe("## migration-lint\n\nNo problems found.\n");
    const onlySuppressed: LintResult[] = fixtureResults().slice(0, 1);
    expect(markdown(onlySuppressed, fixtureContext({ cwd: CWD }))).toBe("## migration-lint\n\nNo problems found.\n\n1 suppressed finding not shown.\n");
  });
});
