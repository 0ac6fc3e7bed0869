import { Chalk } from "chalk";
import { compareCodeUnits } from "../compare.js";
import { builtinRules } from "../../rules/index.js";

/** The rules table for `--list-rules`: id, default severity, preset, description. */
export function listRules(color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const rules = Object.values(builtinRules).sort((a, b) => compareCodeUnits(a.meta.id, b.meta.id));
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  const lines = rules.map((r) => `${c.bold(r.meta.id.padEnd(width))}  ${r.meta.defaultSeverity.padEnd(5)}  ${r.meta.docs.preset.padEnd(11)}  ${r.meta.docs.description}`);
  return [`${"rule".padEnd(width)}  sev.   preset       description`, ...lines, ""].join("\n");
}
