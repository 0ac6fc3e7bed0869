/** `migration-lint explain <rule>`: the doc page of a rule or of an engine finding, shipped in docs/rules/, rendered for a terminal. */
import { own } from "../own.js";
import { showControls } from "../controls.js";
import { didYouMean } from "../did-you-mean.js";
import { existsSync, readFileSync } from "node:fs";
import { builtinRules } from "../../rules/index.js";
import { ENGINE_IDS } from "../engine/engine-findings.js";
import type { CliIO } from "./main.js";
import { DIALECT_NAMES, ruleDialects } from "../dialects/capabilities.js";
import type { RuleMeta } from "../engine/rule.js";

/** Where the rule runs, from its meta (as the engine decides it: `appliesTo`), as a section of its page. */
function databasesSection(meta: RuleMeta): string {
  const { runsOn, skips } = ruleDialects(meta);
  const names = runsOn.map((id) => DIALECT_NAMES[id]).join(", ");
  const skipped = skips.map((s) => `Not on ${DIALECT_NAMES[s.id]}: ${s.why}.`).join(" ");
  return `\n## Databases\n\nRuns on ${names || "no database"}.${skipped ? ` ${skipped}` : ""}\n`;
}

function docsFile(id: string): string | null {
  // docs/ sits beside src/ in the repository and beside dist/ in the package
  for (const candidate of [`../../docs/rules/${id}.md`, `../../../docs/rules/${id}.md`]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return readFileSync(url, "utf8");
  }
  return null;
}

export async function explain(args: string[], io: CliIO, color: boolean): Promise<number> {
  const id = args[0];
  if (!id || args.length > 1) {
    io.stderr("migration-lint: usage: migration-lint explain <rule>\n");
    return 2;
  }
  const rule = own(builtinRules, id);
  const engine = ENGINE_IDS.get(id);
  if (!rule && !engine) {
    io.stderr(`migration-lint: unknown rule "${showControls(id)}".${didYouMean(id, [...Object.keys(builtinRules), ...ENGINE_IDS.keys()])} Run \`migration-lint --list-rules\` to see the rules.\n`);
    return 2;
  }
  const page = (docsFile(id) ?? `# ${id}\n\n${rule?.meta.docs.description ?? engine?.description}\n`) + (rule ? databasesSection(rule.meta) : "");
  const { renderMarkdown } = await import("./render-markdown.js");
  io.stdout(renderMarkdown(page, color));
  return 0;
}
