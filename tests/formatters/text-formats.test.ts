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

  it("says so when there is nothing to report", () => {
    expect(markdown([], fixtureContext())).toBe("## migration-lint\n\nNo problems found.\n");
    const onlySuppressed: LintResult[] = fixtureResults().slice(0, 1);
    expect(markdown(onlySuppressed, fixtureContext({ cwd: CWD }))).toBe("## migration-lint\n\nNo problems found.\n\n1 suppressed finding not shown.\n");
  });
});
