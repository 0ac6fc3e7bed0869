/** `explain` renders the doc pages for a terminal (src/cli/render-markdown.ts): every page, rule or engine id. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/cli/render-markdown.js";
import { ENGINE_IDS } from "../../src/engine/engine-findings.js";
import { builtinRules } from "../../rules/index.js";

const DOCS = path.resolve(__dirname, "../../docs/rules");
const ids = [...Object.keys(builtinRules), ...ENGINE_IDS.keys()];

describe("renderMarkdown", () => {
  it.each(ids)("%s: its page renders with no Markdown or HTML markup left", (id) => {
    const page = fs.readFileSync(path.join(DOCS, `${id}.md`), "utf8");
    const plain = renderMarkdown(page, false);
    expect(plain.startsWith(`${id}\n${"=".repeat(id.length)}\n`)).toBe(true);
    expect(plain).not.toMatch(/<!--|-->|```|^#+ |^\|.*\|$|\]\(/m);
    // every SQL line of the page's code blocks is still there, indented
    for (const block of page.matchAll(/```sql\n([\s\S]*?)```/g)) for (const line of block[1]!.split("\n").filter((l) => l.trim())) expect(plain).toContain(`    ${line.trimEnd()}\n`);
    expect(renderMarkdown(page, true)).toContain("\u001b[1m");
  });

  it("aligns tables, drops an empty header row, and shows links as text and target", () => {
    const md = "| | |\n|---|---|\n| Default severity | `error` |\n| Preset | none |\n\n| id | what |\n|---|---|\n| a | long text |\n\nSee [require-concurrently](require-concurrently.md), [docs/replay.md](../replay.md) and [the issue](https://example.invalid/1).\n";
    expect(renderMarkdown(md, false)).toBe(
      "  Default severity   `error`\n  Preset             none\n\n  id   what\n  ──   ─────────\n  a    long text\n\n" +
        "See require-concurrently (migration-lint explain require-concurrently), docs/replay.md and the issue (https://example.invalid/1).\n",
    );
  });

  it("indents lists and their continuation lines, and keeps ordered numbers", () => {
    expect(renderMarkdown("- one\n  two\n- three\n\n1. first\n2. second\n", false)).toBe("  • one\n    two\n  • three\n\n  1. first\n  2. second\n");
  });
});
