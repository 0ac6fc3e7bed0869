/**
 * Turns a configuration object into the rules to run: validates its keys,
 * expands presets (`extends`), loads plugins, resolves severities and
 * validates and defaults each rule's options. Any problem is a
 * MigrationLintError("config") naming the file and the key.
 */
import { own, setOwn } from "../own.js";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { compareCodeUnits } from "../compare.js";
import { didYouMean } from "../did-you-mean.js";
import { syntaxErrorLine } from "./syntax-error.js";
import { describeLoadError, loadTypeScript } from "./load.js";
import { MigrationLintError, errorMessage } from "../errors.js";
import type { PresetName, RuleModule } from "../engine/rule.js";
import { ENGINE_IDS } from "../engine/engine-findings.js";
import type { SeverityInput } from "../types.js";
import type { MigrationLintConfig, MigrationLintPlugin, ResolvedConfig, ResolvedRule, RuleSetting } from "./types.js";

export const DEFAULT_POSTGRES_VERSION = 14;
/** What can run the migration files instead of `prisma migrate deploy` (docs/runner-model.md). */
export const RUNNERS = ["prisma", "d1", "transaction"] as const;
export const PRESETS: PresetName[] = ["recommended", "strict", "all"];

type AnyRule = RuleModule<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONFIG_KEYS: Record<keyof MigrationLintConfig, (value: unknown) => string | null> = {
  extends: (v) => (typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")) ? null : "must be a string or an array of strings"),
  rules: (v) => (v && typeof v === "object" && !Array.isArray(v) ? null : "must be an object of rule settings"),
  plugins: (v) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? null : "must be an array of package names or paths"),
  schema: (v) => (typeof v === "string" ? null : "must be a path"),
  migrations: (v) => (typeof v === "string" ? null : "must be a path"),
  postgresVersion: (v) => (typeof v === "number" && Number.isInteger(v) && v >= 9 && v <= 30 ? null : "must be a Postgres major version such as 14"),
  prismaVersion: (v) => (typeof v === "string" && /^\d+\.\d+\.\d+/.test(v) ? null : 'must be a version such as "6.19.0"'),
  ignore: (v) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? null : "must be an array of migration names or globs"),
  startAfter: (v) => (typeof v === "string" ? null : "must be a migration folder name"),
  requireDisableReason: (v) => (typeof v === "boolean" ? null : "must be true or false"),
  baseline: (v) => (typeof v === "string" ? null : "must be a path"),
  runner: (v) => (typeof v === "string" && (RUNNERS as readonly string[]).includes(v) ? null : `must be one of ${RUNNERS.map((r) => `"${r}"`).join(", ")}`),
};

const SEVERITIES: Record<string, 0 | 1 | 2> = { off: 0, warn: 1, error: 2, "0": 0, "1": 1, "2": 2 };

function severityOf(value: unknown): 0 | 1 | 2 | undefined {
  return typeof value === "string" || typeof value === "number" ? own(SEVERITIES, String(value)) : undefined;
}

export interface ResolveOptions {
  config: MigrationLintConfig | null;
  filepath: string | null;
  builtinRules: Record<string, AnyRule>;
  /** Rules from outside the config: `--rulesdir` folders, or a rule under test. Enabled only by `rules` settings. */
  extraRules?: Record<string, AnyRule>;
  /** Folder plugins are resolved from (defaults to the config file's folder). */
  cwd: string;
  /** Settings from the command line (`--rule`), applied over the config's; their problems are usage errors, not the config file's. */
  ruleOverrides?: Record<string, RuleSetting>;
}

/** The file each plugin or rules-folder rule was loaded from (its code is part of the cache key). */
const ruleSources = new WeakMap<object, string>();

export async function resolveConfig(options: ResolveOptions): Promise<ResolvedConfig> {
  const { filepath } = options;
  const where = filepath ? { file: filepath } : undefined;
  const fail = (message: string): never => {
    throw new MigrationLintError("config", message, where);
  };
  const failInConfig = fail;
  const failOnCommandLine = (message: string): never => {
    throw new MigrationLintError("usage", message);
  };
  const config: MigrationLintConfig = options.config ?? { extends: "recommended" };

  for (const [key, value] of Object.entries(config)) {
    const check = own(CONFIG_KEYS, key);
    if (!check) fail(`Unknown configuration key "${key}".${didYouMean(key, Object.keys(CONFIG_KEYS))} Allowed keys: ${Object.keys(CONFIG_KEYS).join(", ")}.`);
    const problem = check!(value);
    if (problem) fail(`Configuration key "${key}" ${problem}.`);
  }

  const baseDir = filepath ? path.dirname(filepath) : options.cwd;
  const rules: Record<string, AnyRule> = { ...options.builtinRules, ...(options.extraRules ?? {}) };
  const pluginConfigs = new Map<string, Record<string, MigrationLintConfig>>();
  for (const spec of config.plugins ?? []) {
    const { name, plugin } = await loadPlugin(spec, baseDir, fail);
    for (const [ruleName, rule] of Object.entries(plugin.rules ?? {})) setOwn(rules, `${name}/${ruleName}`, rule);
    pluginConfigs.set(name, plugin.configs ?? {});
  }

  // severities and options by rule id, presets first, then the config's own rules
  const settings = new Map<string, { severity: 0 | 1 | 2; options?: Record<string, unknown>; fromCommandLine?: boolean }>();
  const extendsList = config.extends === undefined ? [] : Array.isArray(config.extends) ? config.extends : [config.extends];
  const engineSeverities: Record<string, 0 | 1 | 2> = {};
  const apply = (ruleSettings: Record<string, RuleSetting>, origin: string, fail = failInConfig) => {
    for (const [id, setting] of Object.entries(ruleSettings)) {
      const engine = own(rules, id) ? undefined : ENGINE_IDS.get(id);
      if (!own(rules, id) && !engine) fail(`Unknown rule "${id}" in ${origin}.${didYouMean(id, [...Object.keys(rules), ...ENGINE_IDS.keys()])} Run \`migration-lint --list-rules\` to see the rules.`);
      const [rawSeverity, ruleOptions] = Array.isArray(setting) ? setting : [setting];
      const severity = severityOf(rawSeverity);
      if (severity === undefined) fail(`Rule "${id}" in ${origin}: severity must be "off", "warn", "error" (or 0, 1, 2), got ${JSON.stringify(rawSeverity)}.`);
      if (engine) {
        if (ruleOptions !== undefined) fail(`"${id}" in ${origin} is a finding of the engine and takes no options, got ${JSON.stringify(ruleOptions)}.`);
        if (severity === 0 && engine.alwaysOn) fail(`"${id}" in ${origin} cannot be switched off: ${engine.alwaysOn}. Set it to "warn" to keep it from failing the run (a run that checked nothing still exits 2); see \`migration-lint explain ${id}\`.`);
        engineSeverities[id] = severity!;
        continue;
      }
      if (ruleOptions !== undefined && (typeof ruleOptions !== "object" || ruleOptions === null || Array.isArray(ruleOptions))) {
        fail(`Rule "${id}" in ${origin}: options must be an object, got ${JSON.stringify(ruleOptions)}.`);
      }
      const previous = settings.get(id);
      settings.set(id, { severity: severity!, options: (ruleOptions as Record<string, unknown> | undefined) ?? previous?.options, fromCommandLine: fail === failOnCommandLine && ruleOptions !== undefined });
    }
  };
  for (const name of extendsList) {
    if ((PRESETS as string[]).includes(name)) {
      apply(presetRules(name as PresetName, options.builtinRules), `preset "${name}"`);
      continue;
    }
    const m = /^plugin:(.+)\/([^/]+)$/.exec(name);
    const pluginConfig = m ? own(pluginConfigs.get(m[1]!), m[2]!) : undefined;
    if (!pluginConfig) fail(`Unknown preset "${name}" in "extends". Use ${PRESETS.map((p) => `"${p}"`).join(", ")} or "plugin:<name>/<config>" of a plugin listed in "plugins".`);
    apply(pluginConfig!.rules ?? {}, `preset "${name}"`);
  }
  apply(config.rules ?? {}, "rules");
  if (options.ruleOverrides) apply(options.ruleOverrides, "--rule", failOnCommandLine);

  const resolved: ResolvedRule[] = [];
  for (const [id, setting] of settings) {
    if (setting.severity === 0) continue;
    const rule = own(rules, id)!;
    const ruleOptions = await validateOptions(id, rule, setting.options, setting.fromCommandLine ? failOnCommandLine : fail);
    const source = ruleSources.get(rule);
    resolved.push({ id, rule, severity: setting.severity, options: ruleOptions, ...(source ? { source } : {}) });
  }
  resolved.sort((a, b) => compareCodeUnits(a.id, b.id));

  return {
    filepath,
    extends: extendsList,
    rules: resolved,
    engineSeverities,
    plugins: config.plugins ?? [],
    schema: config.schema !== undefined ? path.resolve(baseDir, config.schema) : undefined,
    migrations: config.migrations !== undefined ? path.resolve(baseDir, config.migrations) : undefined,
    postgresVersion: config.postgresVersion ?? DEFAULT_POSTGRES_VERSION,
    prismaVersion: config.prismaVersion,
    ignore: config.ignore ?? [],
    startAfter: config.startAfter,
    requireDisableReason: config.requireDisableReason ?? true,
    baseline: config.baseline !== undefined ? path.resolve(baseDir, config.baseline) : undefined,
    runner: config.runner,
  };
}

/**
 * A configuration that turns every rule off (e.g. only `"destructive-change": "off"`, no `extends`) would lint
 * nothing and pass every migration: that is never what its author meant, so it stops the run instead.
 */
export function requireSomeRule(config: ResolvedConfig): void {
  if (config.rules.length > 0) return;
  const how = config.extends.length ? `"extends" (${config.extends.join(", ")}) and "rules" leave every rule off` : `it has no "extends" and its "rules" turn none on`;
  throw new MigrationLintError(
    "config",
    `The configuration enables no rule (${how}), so nothing would be checked. Add "extends": "recommended" to keep the preset, or set a rule to "warn" or "error".`,
    config.filepath ? { file: config.filepath } : undefined,
  );
}

/** The rules a built-in preset enables, at their default severities. */
export function presetRules(preset: PresetName, builtinRules: Record<string, AnyRule>): Record<string, SeverityInput> {
  const level = PRESETS.indexOf(preset);
  const out: Record<string, SeverityInput> = {};
  for (const [id, rule] of Object.entries(builtinRules)) {
    if (PRESETS.indexOf(rule.meta.docs.preset) <= level) out[id] = rule.meta.defaultSeverity;
  }
  return out;
}

async function validateOptions(id: string, rule: AnyRule, given: Record<string, unknown> | undefined, fail: (m: string) => never): Promise<Record<string, unknown>> {
  const options = { ...(rule.meta.defaultOptions ?? {}), ...(given ?? {}) };
  if (!rule.meta.schema) {
    if (given && Object.keys(given).length) fail(`Rule "${id}" takes no options, got ${JSON.stringify(given)}.`);
    return options;
  }
  // defaults are valid by construction (a test checks every rule's defaults against its schema): skip loading ajv
  if (given === undefined) return options;
  const validate = await compileSchema(rule.meta.schema);
  if (!validate(options)) {
    const error = validate.errors?.[0];
    const at = error?.instancePath ? `option "${error.instancePath.slice(1).replace(/\//g, ".")}"` : "options";
    const detail = error?.keyword === "additionalProperties" ? `has unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"` : error?.message ?? "are invalid";
    fail(`Rule "${id}": ${at} ${detail}.`);
  }
  return options;
}

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string; message?: string; params: unknown }> | null };
const compiled = new WeakMap<object, Validator>();
let ajvInstance: Promise<{ compile(schema: object): Validator }> | undefined;

async function compileSchema(schema: Record<string, unknown>): Promise<Validator> {
  const cached = compiled.get(schema);
  if (cached) return cached;
  ajvInstance ??= import("ajv").then((mod) => {
    const Ajv = (mod.default ?? mod) as unknown as new (opts: object) => { compile(schema: object): Validator };
    return new Ajv({ useDefaults: true, allErrors: false, strict: false });
  });
  const validate = (await ajvInstance).compile(schema);
  compiled.set(schema, validate);
  return validate;
}

/** The files `--rulesdir` loads: JavaScript, and TypeScript through jiti as configs are (not declaration files). */
const RULE_FILE = /^(?!.*\.d\.[cm]?ts$).*\.[cm]?[jt]s$/;

/**
 * `--rulesdir`: every .js/.mjs/.cjs/.ts/.mts/.cts file of the folder whose default export
 * is a rule module becomes a rule, under its `meta.id` (else the file name).
 */
export async function loadRulesDirs(dirs: string[], cwd: string): Promise<Record<string, AnyRule>> {
  const { readdirSync } = await import("node:fs");
  const rules: Record<string, AnyRule> = {};
  for (const dir of dirs) {
    const folder = path.resolve(cwd, dir);
    let files: string[];
    try {
      files = readdirSync(folder).filter((f) => RULE_FILE.test(f)).sort();
    } catch (err) {
      throw new MigrationLintError("usage", `--rulesdir ${dir}: ${errorMessage(err)}`);
    }
    for (const file of files) {
      const full = path.join(folder, file);
      let mod: { default?: AnyRule };
      try {
        mod = /\.[cm]?ts$/.test(file) ? { default: (await loadTypeScript(full)) as AnyRule } : ((await import(pathToFileURL(full).href)) as { default?: AnyRule });
      } catch (err) {
        // jiti's (TypeScript) errors end with the file and line on a line of their own: the reason is the first line
        const { reason, line: tsLine } = /\.[cm]?ts$/.test(file) ? describeLoadError(err) : { reason: errorMessage(err), line: undefined };
        const line = tsLine ?? syntaxErrorLine(full, err);
        throw new MigrationLintError("config", `Rule file failed to load: ${reason}`, { file: full, ...(line ? { line } : {}) });
      }
      const problem = ruleShapeProblem(mod.default);
      if (problem) throw new MigrationLintError("config", `A rules folder file must export a rule as its default export: ${problem}.`, { file: full });
      const rule = mod.default!;
      ruleSources.set(rule, full);
      setOwn(rules, rule.meta.id || file.replace(/\.[cm]?[jt]s$/, ""), rule);
    }
  }
  return rules;
}

/** What is wrong with a value that should be a rule module, or null. */
function ruleShapeProblem(rule: unknown): string | null {
  if (!rule || typeof rule !== "object") return "it is not a rule module ({ meta, create })";
  const { meta, create } = rule as Partial<AnyRule>;
  if (typeof create !== "function") return "create must be a function";
  if (!meta || typeof meta !== "object") return "meta is missing";
  if (!meta.messages || typeof meta.messages !== "object") return "meta.messages must be an object of message templates";
  if (!meta.docs || typeof meta.docs !== "object") return "meta.docs is missing";
  return null;
}

async function loadPlugin(spec: string, baseDir: string, fail: (m: string) => never): Promise<{ name: string; plugin: MigrationLintPlugin }> {
  const isPath = spec.startsWith(".") || path.isAbsolute(spec);
  let url: string;
  try {
    url = isPath ? pathToFileURL(path.resolve(baseDir, spec)).href : pathToFileURL(createRequire(path.join(baseDir, "noop.js")).resolve(spec)).href;
  } catch {
    return fail(`Plugin "${spec}" not found (looked from ${baseDir}). Install it or fix the path.`);
  }
  let mod: { default?: MigrationLintPlugin } & MigrationLintPlugin;
  try {
    mod = await import(url);
  } catch (err) {
    const file = fileURLToPath(url);
    const line = syntaxErrorLine(file, err);
    return fail(`Plugin "${spec}" failed to load: ${errorMessage(err)}${line ? ` (${file}:${line})` : ""}`);
  }
  const plugin = mod.default ?? mod;
  if (!plugin || typeof plugin !== "object" || (!plugin.rules && !plugin.configs)) fail(`Plugin "${spec}" must export { rules, configs }.`);
  if (plugin.rules !== undefined && (typeof plugin.rules !== "object" || plugin.rules === null)) fail(`Plugin "${spec}": "rules" must be an object of rule modules.`);
  for (const [name, rule] of Object.entries(plugin.rules ?? {})) {
    const problem = ruleShapeProblem(rule);
    if (problem) fail(`Plugin "${spec}", rule "${pluginName(spec)}/${name}": ${problem}.`);
  }
  for (const rule of Object.values(plugin.rules ?? {})) ruleSources.set(rule, fileURLToPath(url));
  return { name: pluginName(spec), plugin };
}

/**
 * `migration-lint-plugin-foo` -> `foo`, `@acme/migration-lint-plugin` -> `@acme`,
 * `./x/my-plugin.js` -> `my-plugin`, `./migration-lint-plugin-acme/index.js` -> `acme`.
 */
export function pluginName(spec: string): string {
  if (spec.startsWith(".") || path.isAbsolute(spec)) {
    const base = path.basename(spec).replace(/\.[cm]?[jt]s$/, "");
    const name = base === "index" ? path.basename(path.dirname(spec)) : base;
    return name.replace(/^migration-lint-plugin-/, "");
  }
  const scoped = /^(@[^/]+)\/migration-lint-plugin(?:-(.+))?$/.exec(spec);
  if (scoped) return scoped[2] ? `${scoped[1]}/${scoped[2]}` : scoped[1]!;
  return spec.replace(/^migration-lint-plugin-/, "");
}
