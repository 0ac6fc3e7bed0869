#!/usr/bin/env node
/**
 * Findings comparison with squawk 2.66 on the real corpus (../shared/corpus).
 *
 *   npm run bench:compare        # builds first; writes bench/results/compare.md and prints it
 *   CORPUS=/path/to/corpus npm run bench:compare
 *
 * For every Prisma project of the corpus (each folder with a migration_lock.toml):
 *
 * - migration-lint runs twice on the whole history: with the `recommended`
 *   preset and with `all`, each forced by a temp config file
 *   (`{"extends": "recommended"}`, passed with -c, plus --no-baseline) so that
 *   a project's own config or baseline cannot interfere; `-f json`.
 * - squawk 2.66 runs with its defaults (`squawk --reporter json <files>`, from a
 *   temp dir so no .squawk.toml applies) on the same migration.sql files.
 *   squawk reports 0-based lines (checked: a statement on file line 2 comes
 *   back as line 1); they are shown and matched 1-based here.
 *
 * It prints (a) findings per rule for each tool, per project and in total,
 * (b) per project how many migrations have at least one finding for each tool,
 * and (c) the coverage check: every DROP COLUMN / DROP TABLE / DROP DATABASE /
 * column type change / rename squawk reports on a table that existed before
 * the migration must also be reported by migration-lint (recommended).
 *
 * Method of (c):
 * 1. squawk's findings of those kinds: ban-drop-column, ban-drop-table,
 *    ban-drop-database, changing-column-type, renaming-column, renaming-table.
 *    Each maps to the rules of ours that report the same change:
 *    drops -> destructive-change or implicit-rename (a drop that is really a
 *    rename), or, for a column whose data the file copied first, breaking-rename
 *    (a rename in effect) or column-type-change (a column swap); type change ->
 *    column-type-change, renames -> breaking-rename.
 * 2. Each finding is placed in its SQL statement (statement spans from
 *    libpg-query, the parser migration-lint itself uses), and its table is
 *    read from the statement text (ALTER TABLE <t> / DROP TABLE <t>, ...).
 * 3. "Existed before the migration" is a text check: the table is new when
 *    the same migration.sql has a CREATE TABLE of that name before the
 *    statement; those findings are excluded (ours does not report changes to
 *    tables created in the same migration, which hold no data). Everything
 *    else counts, so a DROP TABLE IF EXISTS of a table that never existed
 *    stays in the list: the diagnosis column says whether any earlier
 *    migration of the project creates the table.
 * 4. A squawk finding is covered when one of ours of a mapped rule is in the
 *    same file and its line..endLine range holds squawk's line ("line") or
 *    overlaps the statement ("statement"). The uncovered ones are printed
 *    with file:line, the SQL line and what else we report on that statement,
 *    for a human to judge (our bug, or squawk noise).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { corpus, corpusProjects, ensureSquawk, markdownTable, root, snapshotBuild, SQUAWK_VERSION } from "./lib.mjs";

const { loadModule, parseSync } = await import("libpg-query");
await loadModule();

const squawk = ensureSquawk().path;
const tmp = mkdtempSync(path.join(os.tmpdir(), "migration-lint-compare-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const { cli } = snapshotBuild(tmp);
const presets = ["recommended", "all"];
const configFiles = Object.fromEntries(
  presets.map((preset) => {
    const file = path.join(tmp, `${preset}.json`);
    writeFileSync(file, `${JSON.stringify({ extends: preset })}\n`);
    return [preset, file];
  }),
);

/** squawk rule -> the rules of ours that report the same thing (for the totals table); [] = nothing comparable. */
const SQUAWK_TO_OURS = {
  "adding-field-with-default": ["add-required-column"],
  "adding-foreign-key-constraint": ["constraint-not-valid"],
  "adding-not-nullable-field": ["set-not-null"],
  "adding-required-field": ["add-required-column"],
  "adding-serial-primary-key-field": ["unique-constraint"],
  "ban-alter-domain-with-add-constraint": ["domain-constraint"],
  "ban-char-field": ["ban-char"],
  "ban-concurrent-index-creation-in-transaction": ["concurrently-in-transaction"],
  "ban-create-domain-with-constraint": ["domain-constraint"],
  // a drop after copying the data into another column is a rename in effect (breaking-rename), a column swap a type change
  "ban-drop-column": ["destructive-change", "implicit-rename", "breaking-rename", "column-type-change"],
  "ban-drop-database": ["destructive-change"],
  "ban-drop-not-null": ["drop-not-null"],
  "ban-drop-table": ["destructive-change", "implicit-rename"],
  "ban-truncate-cascade": ["destructive-change"],
  "ban-uncommitted-transaction": ["transaction-balance"],
  "changing-column-type": ["column-type-change"],
  "constraint-missing-not-valid": ["constraint-not-valid"],
  "disallowed-unique-constraint": ["unique-constraint"],
  "identifier-too-long": ["identifier-too-long"],
  "prefer-big-int": ["prefer-bigint"],
  "prefer-bigint-over-int": ["prefer-bigint"],
  "prefer-bigint-over-smallint": ["prefer-bigint"],
  "prefer-identity": ["prefer-identity"],
  "prefer-robust-stmts": [],
  "prefer-text-field": ["prefer-text"],
  "prefer-timestamp-tz": ["prefer-timestamptz"],
  "renaming-column": ["breaking-rename"],
  "renaming-table": ["breaking-rename"],
  "require-concurrent-index-creation": ["require-concurrently"],
  "require-concurrent-index-deletion": ["require-concurrently"],
  "require-enum-value-ordering": [],
  "require-lock-timeout": ["lock-timeout"],
  "require-statement-timeout": [],
  "transaction-nesting": ["transaction-balance"],
};
/** The coverage check's kinds: squawk rule -> what it is, and which of ours must also report it. */
const COVERAGE = {
  "ban-drop-column": { kind: "DROP COLUMN", ours: ["destructive-change", "implicit-rename", "breaking-rename", "column-type-change"] },
  "ban-drop-table": { kind: "DROP TABLE", ours: ["destructive-change", "implicit-rename"] },
  "ban-drop-database": { kind: "DROP DATABASE", ours: ["destructive-change"] },
  "changing-column-type": { kind: "type change", ours: ["column-type-change"] },
  "renaming-column": { kind: "rename", ours: ["breaking-rename"] },
  "renaming-table": { kind: "rename", ours: ["breaking-rename"] },
};
/** squawk rules that fire on nearly every statement of a Prisma migration. */
const SQUAWK_UBIQUITOUS = new Set(["prefer-robust-stmts", "require-lock-timeout", "require-statement-timeout"]);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 30, ...options });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${path.basename(command)} ${args.slice(0, 3).join(" ")} ... failed (exit ${result.status}): ${result.stderr || result.error}`);
  return result.stdout;
}

/** Short project names: the repository, plus the package folder when a repository has several. */
const projects = corpusProjects();
for (const p of projects) {
  const repo = p.label.split("/")[0].split("__")[1] ?? p.label;
  const siblings = projects.filter((q) => q.label.split("/")[0] === p.label.split("/")[0]).length;
  p.short = siblings > 1 ? `${repo}/${path.basename(p.projectDir)}` : repo;
}

/** Statement spans of a file, 1-based lines, from libpg-query (null when the file does not parse). */
function statementSpans(text) {
  let parsed;
  try {
    parsed = parseSync(text);
  } catch {
    return null;
  }
  const bytes = Buffer.from(text, "utf8");
  const lineAt = (byteOffset) => {
    let line = 1;
    for (let i = 0; i < byteOffset && i < bytes.length; i++) if (bytes[i] === 10) line++;
    return line;
  };
  return (parsed.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    return { startLine: lineAt(start), endLine: lineAt(end), start: bytes.subarray(0, start).toString("utf8").length, text: bytes.subarray(start, end).toString("utf8") };
  });
}

const ident = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const qualified = String.raw`(?:${ident}\s*\.\s*)?(${ident})`;
const unquote = (name) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase());
/** The tables a statement drops, alters or renames. */
function statementTables(sql) {
  const body = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ");
  let m = body.match(new RegExp(String.raw`^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([\s\S]+?)(?:\s+(?:CASCADE|RESTRICT))?\s*;?\s*$`, "i"));
  if (m) return m[1].split(",").map((part) => unquote(part.trim().match(new RegExp(String.raw`${qualified}\s*$`))?.[1] ?? part.trim()));
  m = body.match(new RegExp(String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${qualified}`, "i"));
  if (m) return [unquote(m[1])];
  return [];
}
/** Tables created by CREATE TABLE in `text` (before `upTo` when given). */
function createdTables(text, upTo = text.length) {
  const out = new Set();
  for (const m of text.slice(0, upTo).matchAll(new RegExp(String.raw`CREATE\s+(?:UNLOGGED\s+|TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${qualified}`, "gi"))) out.add(unquote(m[1]));
  for (const m of text.slice(0, upTo).matchAll(new RegExp(String.raw`ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${qualified}\s+RENAME\s+TO\s+(${ident})`, "gi"))) out.add(unquote(m[2]));
  return out;
}

const count = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
const perProject = [];
const gaps = [];
const coverageRows = [];

for (const project of projects) {
  const { projectDir, files, schema, migrationsDir } = project;
  const fileSet = new Set(files);
  const ours = {};
  for (const preset of presets) {
    const results = JSON.parse(run(process.execPath, [cli, "--cwd", projectDir, "--schema", schema, "--migrations", migrationsDir, "-c", configFiles[preset], "--no-baseline", "-f", "json", "--no-cache"]));
    const byRule = new Map();
    const byFile = new Map();
    for (const r of results) {
      for (const m of r.messages) {
        count(byRule, m.ruleId ?? "(none)");
        const file = fileSet.has(r.filePath) ? r.filePath : fileSet.has(path.join(r.filePath, "migration.sql")) ? path.join(r.filePath, "migration.sql") : null;
        if (file) byFile.set(file, [...(byFile.get(file) ?? []), m]);
      }
    }
    ours[preset] = { byRule, byFile };
  }
  const squawkFindings = JSON.parse(run(squawk, ["--reporter", "json", ...files], { cwd: tmp }) || "[]").map((f) => ({ ...f, file: path.resolve(tmp, f.file), line1: f.line + 1 }));
  const sqByRule = new Map();
  const sqByFile = new Map();
  for (const f of squawkFindings) {
    count(sqByRule, f.rule_name);
    sqByFile.set(f.file, [...(sqByFile.get(f.file) ?? []), f]);
  }

  // (b) migrations with findings
  const has = (byFile, file, filter = () => true) => (byFile.get(file) ?? []).some(filter);
  const mig = { migrations: files.length, rec: 0, all: 0, squawk: 0, squawkCore: 0, both: 0, onlyOurs: 0, onlySquawk: 0 };
  for (const file of files) {
    const r = has(ours.recommended.byFile, file);
    const s = has(sqByFile, file);
    mig.rec += r ? 1 : 0;
    mig.all += has(ours.all.byFile, file) ? 1 : 0;
    mig.squawk += s ? 1 : 0;
    mig.squawkCore += has(sqByFile, file, (f) => !SQUAWK_UBIQUITOUS.has(f.rule_name)) ? 1 : 0;
    mig.both += r && s ? 1 : 0;
    mig.onlyOurs += r && !s ? 1 : 0;
    mig.onlySquawk += !r && s ? 1 : 0;
  }

  // (c) coverage
  const cov = { total: 0, newTable: 0, lineMatch: 0, statementMatch: 0, missed: 0 };
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  const spans = new Map();
  for (const f of squawkFindings) {
    const rule = COVERAGE[f.rule_name];
    if (!rule) continue;
    cov.total++;
    const text = texts.get(f.file);
    if (!spans.has(f.file)) spans.set(f.file, statementSpans(text));
    const stmt = spans.get(f.file)?.find((s) => s.startLine <= f.line1 && f.line1 <= s.endLine) ?? { startLine: f.line1, endLine: f.line1, start: 0, text: text.split("\n")[f.line1 - 1] ?? "" };
    const tables = statementTables(stmt.text);
    const createdHere = createdTables(text, stmt.start);
    if (tables.length && tables.every((t) => createdHere.has(t))) {
      cov.newTable++;
      continue;
    }
    const mine = ours.recommended.byFile.get(f.file) ?? [];
    const mapped = mine.filter((m) => rule.ours.includes(m.ruleId));
    if (mapped.some((m) => m.line <= f.line1 && f.line1 <= (m.endLine ?? m.line))) {
      cov.lineMatch++;
      continue;
    }
    if (mapped.some((m) => m.line <= stmt.endLine && (m.endLine ?? m.line) >= stmt.startLine)) {
      cov.statementMatch++;
      continue;
    }
    cov.missed++;
    const index = files.indexOf(f.file);
    const earlier = new Set();
    for (const prev of files.slice(0, index)) for (const t of createdTables(texts.get(prev))) earlier.add(t);
    const onStatement = mine.filter((m) => m.line <= stmt.endLine && (m.endLine ?? m.line) >= stmt.startLine).map((m) => m.ruleId);
    gaps.push({
      project: project.short,
      where: `${path.relative(corpus, f.file)}:${f.line1}`,
      rule: f.rule_name,
      kind: rule.kind,
      sql: (text.split("\n")[f.line1 - 1] ?? "").trim(),
      tables: tables.join(", ") || "?",
      earlier: tables.length ? tables.map((t) => `${t}: ${earlier.has(t) ? "created earlier" : "never created before"}`).join("; ") : "?",
      ours: [...new Set(onStatement)].join(", ") || "nothing",
      elsewhere: mine.filter((m) => !(m.line <= stmt.endLine && (m.endLine ?? m.line) >= stmt.startLine)).map((m) => `${m.ruleId}:${m.line}`).join(", ") || "nothing",
    });
  }
  coverageRows.push([project.short, cov.total, cov.newTable, cov.total - cov.newTable, cov.lineMatch, cov.statementMatch, cov.missed]);
  perProject.push({ project, ours, sqByRule, mig });
}

// (a) findings per rule
const names = perProject.map((p) => p.project.short);
const sum = (list) => list.reduce((a, b) => a + b, 0);
function ruleTable(rules, get, extra = []) {
  const rows = rules.map((rule) => {
    const cells = perProject.map((p) => get(p, rule));
    return [rule, ...cells.map(String), String(sum(cells)), ...extra.map((e) => String(e(rule)))];
  });
  const totals = perProject.map((p) => sum(rules.map((rule) => get(p, rule))));
  rows.push(["**total**", ...totals.map(String), String(sum(totals)), ...extra.map((e) => String(sum(rules.map(e))))]);
  return rows;
}
const allOf = (preset, rule) => sum(perProject.map((p) => p.ours[preset].byRule.get(rule) ?? 0));
const ourRules = [...new Set(perProject.flatMap((p) => [...p.ours.recommended.byRule.keys(), ...p.ours.all.byRule.keys()]))].sort();
const squawkRules = [...new Set(perProject.flatMap((p) => [...p.sqByRule.keys()]))].sort();
const numeric = (n) => ["l", ...Array(n).fill("r")];

const out = [];
const say = (s = "") => out.push(s);
say(`# migration-lint vs squawk ${SQUAWK_VERSION}: findings on the corpus`);
say();
say(`${sum(projects.map((p) => p.files.length))} migrations in ${projects.length} Prisma projects of \`${path.relative(root, corpus)}\`; migration-lint ${JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version} with \`{"extends": "recommended"}\` (and \`all\`) forced by -c; squawk with its defaults; node ${process.version}.`);
say();
say("## (a) Findings per rule");
say();
say("migration-lint, `recommended` per project, total, and the `all` preset's total:");
say();
say(markdownTable(["rule", ...names, "total recommended", "total all"], ruleTable(ourRules, (p, rule) => p.ours.recommended.byRule.get(rule) ?? 0, [(rule) => allOf("all", rule)]), numeric(names.length + 2)));
say();
say("squawk, defaults:");
say();
say(markdownTable(["rule", ...names, "total"], ruleTable(squawkRules, (p, rule) => p.sqByRule.get(rule) ?? 0), numeric(names.length + 1)));
say();
say("## (b) Migrations with at least one finding");
say();
const migRows = perProject.map(({ project, mig }) => [project.short, mig.migrations, mig.rec, mig.all, mig.squawk, mig.squawkCore, mig.both, mig.onlyOurs, mig.onlySquawk]);
migRows.push(["**total**", ...migRows[0].slice(1).map((_, i) => sum(migRows.map((r) => r[i + 1])))]);
say(markdownTable(["project", "migrations", "ours (recommended)", "ours (all)", "squawk", "squawk w/o robust-stmts & timeouts", "both (recommended + squawk)", "only ours (recommended)", "only squawk"], migRows.map((r) => r.map(String)), numeric(8)));
say();
say("## (c) Coverage: squawk's DROP COLUMN / DROP TABLE / type change / rename findings on existing tables");
say();
say(markdownTable(["project", "squawk findings", "on tables created in the same file", "on existing tables", "ours on the same line", "ours on the same statement", "not reported by us"], coverageRows.map((r) => r.map(String)), numeric(6)));
say();
if (!gaps.length) say("Every one of them is also reported by migration-lint (recommended).");
else {
  say(`${gaps.length} not reported by migration-lint (recommended):`);
  say();
  say(markdownTable(["file:line (1-based)", "squawk rule", "SQL line", "table(s)", "history (text check)", "ours on that statement", "ours elsewhere in the file (rule:line)"], gaps.map((g) => [g.where, g.rule, `\`${g.sql.replace(/\|/g, "\\|")}\``, g.tables, g.earlier, g.ours, g.elsewhere])));
}
console.log(out.join("\n"));

// the totals file: squawk's rules against ours
const ourTotal = (preset, rules) => sum(rules.map((rule) => allOf(preset, rule)));
const md = [];
md.push(`# squawk ${SQUAWK_VERSION} vs migration-lint: findings per rule on the corpus`);
md.push("");
md.push(`Written by \`npm run bench:compare\` (bench/compare.mjs) on ${new Date().toISOString().slice(0, 10)}: ${sum(projects.map((p) => p.files.length))} migrations of ${projects.length} Prisma projects in \`../shared/corpus\`. squawk with its defaults; migration-lint with the \`recommended\` and \`all\` presets. "ours" counts the findings of the rules listed (the same finding can appear under two squawk rules that map to the same rule of ours).`);
md.push("");
const mdRows = squawkRules.map((rule) => {
  const mapped = SQUAWK_TO_OURS[rule] ?? [];
  const total = sum(perProject.map((p) => p.sqByRule.get(rule) ?? 0));
  return [rule, String(total), mapped.join(", ") || "(none)", mapped.length ? String(ourTotal("recommended", mapped)) : "", mapped.length ? String(ourTotal("all", mapped)) : ""];
});
mdRows.push(["**total**", String(sum(perProject.map((p) => sum([...p.sqByRule.values()])))), "", String(sum(perProject.map((p) => sum([...p.ours.recommended.byRule.values()])))), String(sum(perProject.map((p) => sum([...p.ours.all.byRule.values()]))))]);
md.push(markdownTable(["squawk rule", "squawk", "our rule(s)", "ours (recommended)", "ours (all)"], mdRows, ["l", "r", "l", "r", "r"]));
md.push("");
const unmatchedOurs = ourRules.filter((rule) => !Object.values(SQUAWK_TO_OURS).some((list) => list.includes(rule)) || !squawkRules.some((s) => (SQUAWK_TO_OURS[s] ?? []).includes(rule)));
md.push("Rules of ours with no squawk counterpart among its findings here:");
md.push("");
md.push(markdownTable(["our rule", "ours (recommended)", "ours (all)"], unmatchedOurs.map((rule) => [rule, String(allOf("recommended", rule)), String(allOf("all", rule))]), ["l", "r", "r"]));
md.push("");
md.push("Migrations with at least one finding:");
md.push("");
md.push(markdownTable(["project", "migrations", "ours (recommended)", "ours (all)", "squawk", "squawk w/o robust-stmts & timeouts"], migRows.map((r) => r.slice(0, 6).map(String)), numeric(5)));
md.push("");
const covTotal = coverageRows.reduce((acc, r) => acc.map((v, i) => v + r[i + 1]), [0, 0, 0, 0, 0, 0]);
md.push(`Coverage check (squawk's DROP COLUMN / DROP TABLE / type change / rename findings on tables not created in the same file, matched by file and line or statement): ${covTotal[2]} of ${covTotal[0]} findings are on existing tables; we report ${covTotal[3] + covTotal[4]} of them, ${covTotal[5]} not${gaps.length ? ` (${gaps.map((g) => g.where).join(", ")})` : ""}.`);
md.push("");
const resultsDir = path.join(root, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, "compare.md"), md.join("\n"));
console.log(`\n---\n\nWrote ${path.relative(root, path.join(resultsDir, "compare.md"))}:\n`);
console.log(md.join("\n"));
