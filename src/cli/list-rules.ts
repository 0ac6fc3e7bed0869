import { Chalk } from "chalk";
import { compareCodeUnits } from "../compare.js";
import { builtinRules } from "../../rules/index.js";
import { ENGINE_FINDINGS } from "../engine/engine-findings.js";
import { DIALECT_CAPABILITIES, DIALECT_NAMES, ruleDialects } from "../dialects/capabilities.js";
import type { RuleMeta } from "../engine/rule.js";

/** The databases a rule runs on, from its meta (`all` for every dialect). */
export function dialectsColumn(meta: RuleMeta): string {
  const { runsOn } = ruleDialects(meta);
  return runsOn.length === Object.keys(DIALECT_CAPABILITIES).length ? "all" : runsOn.map((id) => DIALECT_NAMES[id]).join(", ");
}

/** The rules table for `--list-rules`: id, default severity, preset, the databases it runs on, description; then the engine's own findings. */
export function listRules(color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const rules = Object.values(builtinRules).sort((a, b) => compareCodeUnits(a.meta.id, b.meta.id));
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  const dialects = new Map(rules.map((r) => [r, dialectsColumn(r.meta)]));
  const dialectWidth = Math.max("databases".length, ...[...dialects.values()].map((d) => d.length));
  const lines = rules.map((r) => `${c.bold(r.meta.id.padEnd(width))}  ${r.meta.defaultSeverity.padEnd(5)}  ${r.meta.docs.preset.padEnd(11)}  ${dialects.get(r)!.padEnd(dialectWidth)}  ${r.meta.docs.description}`);
  // the engine's own findings take a severity in `rules` too; the ones marked "no" cannot be switched off
  const engine = ENGINE_FINDINGS.map((f) => `${c.bold(f.id.padEnd(width))}  ${(f.defaultSeverity === "by context" ? "-" : f.defaultSeverity).padEnd(5)}  ${(f.alwaysOn ? "no" : "yes").padEnd(11)}  ${f.description}`);
  return [`${"rule".padEnd(width)}  sev.   preset       ${"databases".padEnd(dialectWidth)}  description`, ...lines, "", `${"engine finding".padEnd(width)}  sev.   off?         description`, ...engine, ""].join("\n");
}
