import { MigrationLintError } from "../errors.js";
import type { Formatter } from "./types.js";

/** Built-in formatters, loaded only when asked for. */
const BUILTIN: Record<string, () => Promise<{ default: Formatter }>> = {
  stylish: () => import("./stylish.js"),
  json: () => import("./json.js"),
};

export const formatterNames = Object.keys(BUILTIN);

export async function loadFormatter(name: string): Promise<Formatter> {
  const load = BUILTIN[name];
  if (!load) throw new MigrationLintError("usage", `Unknown format "${name}". Available formats: ${formatterNames.join(", ")}.`);
  return (await load()).default;
}

export type { Formatter, FormatterContext } from "./types.js";
