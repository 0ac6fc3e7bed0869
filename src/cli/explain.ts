/** `migration-lint explain <rule>`: the rule's doc page, shipped in docs/rules/. */
import { own } from "../own.js";
import { existsSync, readFileSync } from "node:fs";
import { builtinRules } from "../../rules/index.js";
import type { CliIO } from "./main.js";

function docsFile(id: string): string | null {
  // docs/ sits beside src/ in the repository and beside dist/ in the package
  for (const candidate of [`../../docs/rules/${id}.md`, `../../../docs/rules/${id}.md`]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return readFileSync(url, "utf8");
  }
  return null;
}

export function explain(args: string[], io: CliIO): number {
  const id = args[0];
  if (!id || args.length > 1) {
    io.stderr("migration-lint: usage: migration-lint explain <rule>\n");
    return 2;
  }
  const rule = own(builtinRules, id);
  if (!rule) {
    const close = Object.keys(builtinRules).filter((r) => r.includes(id) || id.includes(r));
    io.stderr(`migration-lint: unknown rule "${id}".${close.length ? ` Did you mean ${close.map((r) => `"${r}"`).join(", ")}?` : ""} Run \`migration-lint --list-rules\` to see the rules.\n`);
    return 2;
  }
  const page = docsFile(id);
  io.stdout(page ?? `# ${id}\n\n${rule.meta.docs.description}\n`);
  return 0;
}
