/**
 * Runs a composite action's steps the way the GitHub Actions runner does, closely enough to test action.yml
 * for real: `${{ ... }}` expressions substituted into `run`, `env` and `working-directory` (composite
 * actions get their inputs only that way, not as INPUT_* variables), each `shell: bash` step written to a
 * file and run as `bash --noprofile --norc -eo pipefail {0}`, in `working-directory` relative to
 * GITHUB_WORKSPACE, with GITHUB_ACTION_PATH, GITHUB_WORKSPACE, RUNNER_TEMP and a fresh GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY file per step; step outputs read back from GITHUB_OUTPUT (`name=value` and
 * `name<<DELIMITER` forms); a failing step stops the action. `if:` conditions of the forms `a == 'x'`, `a != ''`
 * joined by `&&` over step outputs. `uses: actions/cache/restore@v4` and `actions/cache/save@v4` run against a
 * folder standing in for GitHub's cache service, with its documented matching: an exact `key` restores with
 * `cache-hit` true; otherwise each `restore-keys` prefix in order restores the newest entry it matches, with
 * `cache-hit` false; `save` of a key that exists, or of a path that does not, warns and saves nothing
 * (https://github.com/actions/cache#cache-hits-and-misses, #outputs). Anything else (another shell, another
 * action, an expression it does not know) throws, so the test cannot pass on something this runner ignores.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { load as loadYaml } from "js-yaml";

interface ActionStep {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  if?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}

interface ActionDefinition {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepRun {
  id: string;
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface ActionRun {
  steps: StepRun[];
  /** The action's outputs, as the workflow's `steps.<id>.outputs` sees them. */
  outputs: Record<string, string>;
  /** Everything the steps wrote to GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  /** Every step's stdout, in order: where workflow commands (annotations) are read from. */
  stdout: string;
  /** 0 when every step succeeded, else the failing step's exit status. */
  status: number | null;
}

/** Reads a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` ... `DELIMITER` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${heredoc[2]} for ${heredoc[1]}`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    } else if (line.trim()) throw new Error(`GITHUB_OUTPUT: cannot read line "${line}"`);
  }
  return outputs;
}

export function runCompositeAction(options: {
  /** The action's checkout (holds action.yml): GITHUB_ACTION_PATH. */
  actionPath: string;
  workspace: string;
  /** A scratch folder for RUNNER_TEMP and the runner's own files. */
  temp: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** The folder that stands in for GitHub's cache service (shared between runs to model a repository's caches). */
  cacheStore?: string;
}): ActionRun {
  const action = loadYaml(fs.readFileSync(path.join(options.actionPath, "action.yml"), "utf8")) as ActionDefinition;
  if (action.runs.using !== "composite") throw new Error(`not a composite action: runs.using is ${action.runs.using}`);
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const given = options.inputs?.[name];
    if (given === undefined && input.required) throw new Error(`input ${name} is required`);
    inputs[name] = given ?? input.default ?? "";
  }
  for (const name of Object.keys(options.inputs ?? {})) if (!(name in inputs)) throw new Error(`unexpected input ${name}`);

  const runnerTemp = path.join(options.temp, "runner-temp");
  fs.mkdirSync(runnerTemp, { recursive: true });
  const stepOutputs: Record<string, Record<string, string>> = {};
  const evaluate = (text: string) =>
    text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
      const input = /^inputs\.([\w-]+)$/.exec(expression);
      if (input) {
        if (!(input[1]! in inputs)) throw new Error(`unknown input in \${{ ${expression} }}`);
        return inputs[input[1]!]!;
      }
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
      if (output) return stepOutputs[output[1]!]?.[output[2]!] ?? "";
      if (expression === "github.action_path") return options.actionPath;
      if (expression === "github.workspace") return options.workspace;
      if (expression === "runner.temp") return runnerTemp;
      throw new Error(`expression this runner does not evaluate: \${{ ${expression} }}`);
    });

  /** An `if:` condition: `operand (==|!=) operand` joined by `&&`, operands being step outputs or quoted strings. */
  const condition = (text: string): boolean =>
    text.split("&&").every((part) => {
      const m = /^\s*(.+?)\s*(==|!=)\s*(.+?)\s*$/.exec(part);
      if (!m) throw new Error(`if: this runner does not evaluate "${part}"`);
      const operand = (o: string) => (/^'[^']*'$/.test(o) ? o.slice(1, -1) : evaluate(`\${{ ${o} }}`));
      return (operand(m[1]!) === operand(m[3]!)) === (m[2] === "==");
    });
  const store = options.cacheStore ?? path.join(options.temp, "cache-service");

  const steps: StepRun[] = [];
  const summaries: string[] = [];
  let status: number | null = 0;
  for (const [index, step] of action.runs.steps.entries()) {
    const id = step.id ?? `__step${index}`;
    if (step.if !== undefined && !condition(step.if)) continue;
    if (step.uses) {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(v)]));
      const outputs = runCacheAction(step.uses, inputs, store);
      stepOutputs[id] = outputs;
      steps.push({ id, status: 0, stdout: "", stderr: outputs.warning ?? "", outputs });
      continue;
    }
    if (step.shell !== "bash" || step.run === undefined) throw new Error(`step ${index} is not a plain \`shell: bash\` run step`);
    const files = path.join(options.temp, `step-${index}`);
    fs.mkdirSync(files, { recursive: true });
    const script = path.join(files, "script.sh");
    const outputFile = path.join(files, "output");
    const summaryFile = path.join(files, "summary");
    fs.writeFileSync(script, evaluate(step.run));
    fs.writeFileSync(outputFile, "");
    fs.writeFileSync(summaryFile, "");
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...options.env,
      GITHUB_ACTIONS: "true",
      CI: "true",
      GITHUB_ACTION_PATH: options.actionPath,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: "Linux",
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(value);
    const cwd = path.resolve(options.workspace, evaluate(step["working-directory"] ?? "."));
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (result.error) throw result.error;
    const outputs = parseOutputFile(fs.readFileSync(outputFile, "utf8"));
    stepOutputs[id] = outputs;
    summaries.push(fs.readFileSync(summaryFile, "utf8"));
    steps.push({ id, status: result.status, stdout: result.stdout, stderr: result.stderr, outputs });
    if (result.status !== 0) {
      status = result.status;
      break;
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([name, output]) => [name, evaluate(output.value)]));
  return { steps, outputs, summary: summaries.join(""), stdout: steps.map((s) => s.stdout).join(""), status };
}

/** actions/cache/restore and actions/cache/save against a folder of entries: `<store>/<key>/` holds the path's files, newest by mtime. */
function runCacheAction(uses: string, inputs: Record<string, string>, store: string): Record<string, string> {
  const { path: cached, key } = inputs;
  if (!cached || !key || cached.includes("\n")) throw new Error(`${uses}: this runner takes one path and a key`);
  fs.mkdirSync(store, { recursive: true });
  const entry = (name: string) => path.join(store, encodeURIComponent(name));
  if (uses === "actions/cache/restore@v4") {
    const names = fs.readdirSync(store).map(decodeURIComponent);
    const newest = (prefix: string) =>
      names.filter((n) => n.startsWith(prefix)).sort((a, b) => fs.statSync(entry(b)).mtimeMs - fs.statSync(entry(a)).mtimeMs)[0];
    const exact = names.includes(key) ? key : undefined;
    const prefixes = (inputs["restore-keys"] ?? "").split("\n").map((p) => p.trim()).filter(Boolean);
    const matched = exact ?? prefixes.map(newest).find((n) => n !== undefined);
    if (!matched) return { "cache-hit": "false", "cache-primary-key": key };
    fs.cpSync(entry(matched), cached, { recursive: true });
    return { "cache-hit": exact ? "true" : "false", "cache-primary-key": key, "cache-matched-key": matched };
  }
  if (uses === "actions/cache/save@v4") {
    if (fs.existsSync(entry(key))) return { warning: `Failed to save: cache entry ${key} exists` };
    if (!fs.existsSync(cached)) return { warning: "Path Validation Error: the path to cache does not exist, no cache is saved" };
    fs.cpSync(cached, entry(key), { recursive: true });
    return {};
  }
  throw new Error(`uses: ${uses} is not an action this runner runs`);
}
