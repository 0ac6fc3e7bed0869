import { Chalk } from "chalk";
import { compareCodeUnits } from "../compare.js";
import { builtinRules } from "../../rules/index.js";
import { ENGINE_FINDINGS } from "../engine/engine-findings.js";

/** The rules table for `--list-rules`: id, default severity, preset, description; then the engine's own findings. */
export function listRules(color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const rules = Object.values(builtinRules).sort((a, b) => compareCodeUnits(a.meta.id, b.meta.id));
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  const lines = rules.map((r) => `${c.bold(r.meta.id.padEnd(width))}  ${r.meta.defaultSeverity.padEnd(5)}  ${r.meta.docs.preset.padEnd(11)}  ${r.meta.docs.description}`);
  // the engine's own findings take a severity in `rules` too; the ones marked "no" cannot be switched off
  const engine = ENGINE_FINDINGS.map((f) => `${c.bold(f.id.padEnd(width))}  ${(f.defaultSeverity === "by context" ? "-" : f.defaultSeverity).padEnd(5)}  ${(f.alwaysOn ? "no" : "yes").padEnd(11)}  ${f.description}`);
  return [`${"rule".padEnd(width)}  sev.   preset       description`, ...lines, "", `${"engine finding".padEnd(width)}  sev.   off?         description`, ...engine, ""].join("\n");
}
