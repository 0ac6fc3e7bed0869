#!/usr/bin/env node
/**
 * The README's rules table, generated from the rules' meta so it cannot
 * drift. `npm run docs:rules` rewrites it in place; a test checks it.
 */
export const RULES_TABLE_START = "<!-- rules-table:start -->";
export const RULES_TABLE_END = "<!-- rules-table:end -->";

const PRESETS = ["recommended", "strict", "all"];

/** @param {Record<string, { meta: { id: string; defaultSeverity: string; docs: { description: string; preset: string } } }>} rules */
export function renderRulesTable(rules) {
  const rows = Object.values(rules)
    .sort((a, b) => PRESETS.indexOf(a.meta.docs.preset) - PRESETS.indexOf(b.meta.docs.preset) || a.meta.id.localeCompare(b.meta.id))
    .map((r) => {
      const presets = PRESETS.slice(PRESETS.indexOf(r.meta.docs.preset)).join(", ");
      return `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.defaultSeverity} | ${presets} | ${r.meta.docs.description.replace(/\|/g, "\\|")} |`;
    });
  return ["| rule | default | presets | what it reports |", "|---|---|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const { builtinRules } = await import(path.join(root, "dist/rules/index.js"));
  const readmePath = path.join(root, "README.md");
  const readme = fs.readFileSync(readmePath, "utf8");
  const start = readme.indexOf(RULES_TABLE_START);
  const end = readme.indexOf(RULES_TABLE_END);
  if (start < 0 || end < 0) throw new Error("README.md lacks the rules-table markers");
  const next = `${readme.slice(0, start + RULES_TABLE_START.length)}\n${renderRulesTable(builtinRules)}\n${readme.slice(end)}`;
  fs.writeFileSync(readmePath, next);
  console.log(`README.md rules table: ${Object.keys(builtinRules).length} rules`);
}
