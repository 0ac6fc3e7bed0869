/**
 * The npm package as a consumer gets it: `npm pack` of this checkout (dist/ as `npm test` built it; packing
 * with scripts would build it again), its file list, and the tarball installed into a temporary consumer
 * project the way npm installs it (dependencies only, from npm's cache where it can, so none of this
 * repository's devDependencies, such as @types/pg, is in sight). The public types must compile under
 * `--strict` without skipLibCheck, and the installed package must run.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinRules } from "../../rules/index.js";
import { DB, DROP_COLUMN, ROOT, monorepoFiles, run, temp, writeTree } from "./hosts.js";

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  repository?: { url: string };
  exports: Record<string, string | Record<string, string>>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const quietNpm = { npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
const npm = (cwd: string, ...args: string[]) => run("npm", args, { cwd, env: quietNpm });
const tsc = (cwd: string, ...args: string[]) => run(process.execPath, [TSC, ...args], { cwd });

let tarball: string;
let files: string[];
beforeAll(() => {
  const destination = temp("ml-pack-");
  const packed = npm(ROOT, "pack", "--ignore-scripts", "--json", "--pack-destination", destination);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(destination, info!.filename);
  files = info!.files.map((f) => f.path);
}, 120_000);

describe("npm pack", () => {
  it("holds the CLI, the library with its types, the bundles and the docs, and nothing of the repository's own", () => {
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e))), ...Object.values(manifest.typesVersions["*"]!).flat()];
    for (const target of targets) expect(files, target).toContain(path.posix.normalize(target));
    for (const file of ["README.md", "package.json", "dist/cli/main.js", "dist/cli/worker.js", "dist/cli/lint-worker.js", "dist/vendor/prisma-ast.cjs", "dist/src/testing/index.d.ts"]) expect(files, file).toContain(file);
    for (const id of Object.keys(builtinRules)) expect(files, id).toContain(`docs/rules/${id}.md`);
    expect(files.filter((f) => /^(src|tests|fixtures|bench|scripts|node_modules)\/|^\.|\.tsbuildinfo$/.test(f))).toEqual([]);
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
  });
});

describe("the packed tarball installed into a consumer project", () => {
  let consumer: string;
  let repo: string;
  beforeAll(() => {
    repo = temp("ml-consumer-repo-");
    writeTree(repo, { ...monorepoFiles(), ...DROP_COLUMN });
    consumer = temp("ml-consumer-");
    fs.writeFileSync(path.join(consumer, "package.json"), `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" })}\n`);
    const install = (...mode: string[]) => npm(consumer, "install", ...mode, "--no-package-lock", "--ignore-scripts", tarball);
    // offline from the cache `npm ci` filled; the registry only for what it lacks
    let installed = install("--offline");
    if (installed.status !== 0) installed = install("--prefer-offline");
    if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
    writeTree(consumer, {
      "consumer.ts": `import { lint, runLint, loadConfig, lintText, loadFormatter, formatterNames, defineConfig, defineRule, builtinRules, MigrationLintError } from "migration-lint";
import type { Formatter, FormatterContext, LintMessage, LintResult, LintRun, RuleModule, MigrationLintConfig } from "migration-lint";
import { RuleTester } from "migration-lint/testing";

export const config: MigrationLintConfig = defineConfig({ extends: ["recommended"], rules: { "destructive-change": "error" } });
export const rule: RuleModule = defineRule({
  meta: { id: "no-truncate", type: "problem", docs: { description: "TRUNCATE is banned.", preset: "all" }, defaultSeverity: "error", messages: { truncate: "No TRUNCATE." } },
  create(context) {
    return { truncate: (op) => context.report({ node: op, messageId: "truncate" }) };
  },
});
export const tester = RuleTester;
export const unused = [loadConfig, lintText, MigrationLintError, formatterNames];

// (no @types/node in the consumer: the public types must not need it)
const cwd = ${JSON.stringify(path.join(repo, DB))};
const results: LintResult[] = await lint({ cwd });
const run: LintRun = await runLint({ cwd });
const github: Formatter = await loadFormatter("github");
const context: FormatterContext = { cwd, color: false, sourceOf: (file) => run.sources.get(file) };
const errors: LintMessage[] = results.flatMap((r) => r.messages).filter((m) => m.severity === 2);
console.log(JSON.stringify({ rules: Object.keys(builtinRules).length, errors: errors.map((m) => m.ruleId), github: github(results, context).split("\\n")[0] }));
`,
    });
  }, 300_000);

  it("compiles under --strict without skipLibCheck as a CommonJS consumer with tsc's default resolution (node10)", () => {
    // top-level await is ESM-only: a copy with the body wrapped in a function
    const source = fs.readFileSync(path.join(consumer, "consumer.ts"), "utf8");
    const split = source.indexOf("\nexport const config");
    fs.writeFileSync(path.join(consumer, "consumer-cjs.ts"), `${source.slice(0, split)}\nexport async function main(): Promise<void> {\n${source.slice(split).replace(/^export /gm, "")}\n}\n`);
    const compiled = tsc(consumer, "--strict", "--skipLibCheck", "false", "--noEmit", "--module", "commonjs", "--target", "es2022", "consumer-cjs.ts");
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
  });

  it("compiles under --strict without skipLibCheck as an ES module consumer (module nodenext, as tsc --init), and runs: the library lints a project, the CLI answers --version", () => {
    const compiled = tsc(consumer, "--strict", "--skipLibCheck", "false", "--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess", "--module", "nodenext", "--target", "es2022", "--outDir", "out", "consumer.ts");
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
    const linted = run(process.execPath, [path.join(consumer, "out/consumer.js")], { cwd: consumer });
    expect(linted.stderr).toBe("");
    const report = JSON.parse(linted.stdout) as { rules: number; errors: string[]; github: string };
    expect(report.rules).toBe(Object.keys(builtinRules).length);
    expect(report.errors).toContain("destructive-change");
    expect(report.github).toMatch(/^::error file=prisma\/migrations\/20240201000000_drop_user_name\/migration\.sql,line=8,/);
    const version = run(path.join(consumer, "node_modules/.bin/migration-lint"), ["--version"], { cwd: consumer });
    expect(version.stdout).toBe(`${manifest.version}\n`);
  });
});
