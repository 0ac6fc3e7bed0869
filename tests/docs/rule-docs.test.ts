/**
 * The docs cannot drift from the code: every rule has a page, every page's
 * Bad examples are reported by its rule and its Good examples are not, and
 * the README's rules table is the one the code generates.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtinRules } from "../../rules/index.js";
import { ENGINE_FINDINGS } from "../../src/engine/engine-findings.js";
import { runRuleCase } from "../../src/testing/rule-tester.js";
import { renderRulesTable, RULES_TABLE_END, RULES_TABLE_START } from "../../scripts/rules-table.mjs";

const root = path.resolve(__dirname, "../..");

interface Example {
  section: "bad" | "good";
  sql: string;
  history: string[];
  config: Record<string, unknown>;
}

/** Pulls the ```sql examples of a page with the history and config in force above each. */
export function examplesOf(page: string): Example[] {
  const examples: Example[] = [];
  let section: Example["section"] | null = null;
  let history: string[] = [];
  let config: Record<string, unknown> = {};
  const pattern = /^## (.+)$|<!-- history\n([\s\S]*?)-->|<!-- config (\{[\s\S]*?\}) -->|```sql\n([\s\S]*?)```/gm;
  for (const m of page.matchAll(pattern)) {
    if (m[1] !== undefined) section = /^bad\b/i.test(m[1]) ? "bad" : /^good\b/i.test(m[1]) ? "good" : null;
    else if (m[2] !== undefined) history = m[2].trim() ? [m[2]] : [];
    else if (m[3] !== undefined) config = JSON.parse(m[3]) as Record<string, unknown>;
    else if (m[4] !== undefined && section) examples.push({ section, sql: m[4], history, config });
  }
  return examples;
}

describe("rule docs", () => {
  for (const [id, rule] of Object.entries(builtinRules)) {
    describe(id, () => {
      const file = path.join(root, "docs/rules", `${id}.md`);
      const page = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";

      it("has a page with every section", () => {
        expect(page, `docs/rules/${id}.md is missing`).not.toBe("");
        for (const heading of ["## What it reports", "## Why it is dangerous", "## Bad", "## Good", "## How to fix", "## How to disable"]) {
          expect(page, `docs/rules/${id}.md lacks "${heading}"`).toContain(heading);
        }
      });

      // git rules judge history, not SQL: their examples are git scenarios, tested in tests/git
      const needsGit = !!rule.meta.requires?.git;

      it.skipIf(needsGit)("has at least one Bad and one Good SQL example", () => {
        const examples = examplesOf(page);
        expect(examples.some((e) => e.section === "bad")).toBe(true);
        expect(examples.some((e) => e.section === "good")).toBe(true);
      });

      it.skipIf(needsGit)("reports every Bad example and no Good example", async () => {
        for (const example of examplesOf(page)) {
          // test-case fields ride along in the config comment; the rest are config keys
          const { options, schema, lockProvider, prismaVersion, ...config } = example.config as { options?: Record<string, unknown>; schema?: string; lockProvider?: string; prismaVersion?: string };
          const found = await runRuleCase(rule.meta.id, {
            sql: example.sql,
            history: example.history,
            config,
            ...(options ? { options } : {}),
            ...(schema !== undefined ? { schema } : {}),
            ...(lockProvider ? { lockProvider } : {}),
            ...(prismaVersion ? { prismaVersion } : {}),
          });
          const label = `${example.section} example of ${id}:\n${example.sql}`;
          if (example.section === "bad") expect(found.length, label).toBeGreaterThan(0);
          else expect(found.map((m) => m.message), label).toEqual([]);
        }
      });
    });
  }
});

describe("README rules table", () => {
  it("matches the code (regenerate with `npm run docs:rules`)", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const start = readme.indexOf(RULES_TABLE_START);
    const end = readme.indexOf(RULES_TABLE_END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + RULES_TABLE_START.length, end).trim()).toBe(renderRulesTable(builtinRules).trim());
  });
});

describe("engine findings", () => {
  /** Every id the engine reports under: `ruleId: "..."` literals and the ids passed to its finding helpers. */
  function idsInSource(): Set<string> {
    const ids = new Set<string>();
    const walkDir = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walkDir(full);
        else if (entry.name.endsWith(".ts")) {
          for (const m of fs.readFileSync(full, "utf8").matchAll(/(?:ruleId: |Finding\([^()"]*)"([a-z]+(?:-[a-z]+)+)"/g)) ids.add(m[1]!);
        }
      }
    };
    walkDir(path.join(root, "src"));
    return ids;
  }

  it("every id the engine reports is listed in src/engine/engine-findings.ts", () => {
    const listed = new Set(ENGINE_FINDINGS.map((f) => f.id));
    const found = [...idsInSource()].filter((id) => !Object.hasOwn(builtinRules, id));
    expect(found.length).toBeGreaterThanOrEqual(8);
    expect(found.filter((id) => !listed.has(id))).toEqual([]);
  });

  for (const finding of ENGINE_FINDINGS) {
    it(`${finding.id} has a page that says what it means, what to do and how to configure it`, () => {
      const file = path.join(root, "docs/rules", `${finding.id}.md`);
      expect(fs.existsSync(file), `docs/rules/${finding.id}.md is missing`).toBe(true);
      const page = fs.readFileSync(file, "utf8");
      for (const heading of [`# ${finding.id}`, "## What it means", "## What to do", "## How to configure it"]) expect(page).toContain(heading);
      expect(page).toContain(`| Can be switched off | ${finding.alwaysOn ? "no" : "yes"} |`);
      expect(page).toContain(`"${finding.id}": "`);
    });
  }
});
