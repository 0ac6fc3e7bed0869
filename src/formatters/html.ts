/**
 * `--format html`: one self-contained page to open in a browser. A timeline of the migration history (each
 * migration with its findings), severity and rule filters, each finding with its SQL excerpt, help, docs link
 * and the locks its statement takes on which table (the linter's lock model, `context.statementLocks`).
 *
 * Everything shown comes from SQL, file names, schema and plugins, so every value is escaped, and the page
 * loads nothing: its Content-Security-Policy allows no source at all but the inline stylesheet and script
 * (by hash), so even markup that slipped through could neither run nor fetch.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { LintMessage, LintResult } from "../engine/results.js";
import { lockEffect, type StatementLocks } from "../dialects/postgres/locks.js";
import { SCRIPT, STYLE } from "./html-assets.js";
import type { Formatter, FormatterContext } from "./types.js";
import { plural, relativePath, reportRoot, ruleIdOf, showControls, spanOf } from "./util.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in HTML content and in a quoted attribute; control characters shown escaped, as every format does. */
export function escapeHtml(text: string): string {
  return showControls(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only http(s) links are kept: a `javascript:` or `data:` docs URL from a plugin becomes plain text. */
const safeUrl = (url: string | undefined) => (url && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined);

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
/** The policy: nothing may load, and only this page's own stylesheet and script (by hash) may apply or run. */
const csp = (style: string) => `default-src 'none'; style-src ${hash(style)}; script-src ${hash(SCRIPT)}; base-uri 'none'; form-action 'none'`;

/**
 * The rule filter in CSS, one line per rule (`body[data-only="r3"]` hides findings of other rules): the
 * script only sets attributes on <body>, and the browser restyles once, which keeps filters quick on a
 * report of hundreds of migrations.
 */
const ruleFilterStyle = (ruleCount: number) => Array.from({ length: ruleCount }, (_, k) => `body[data-only="r${k}"] .finding:not(.r${k})`).join(",") + (ruleCount ? "{display:none}\n" : "");

/** At most this many lines of a finding's statement are shown, each cut at this many characters. */
const EXCERPT_LINES = 8;
const EXCERPT_WIDTH = 240;

const isError = (m: LintMessage) => m.fatal || m.severity === 2;
const severityOf = (m: LintMessage) => (isError(m) ? "error" : "warning");

/** `20240402101000_rename_name` → 2024-04-02 10:10 (Prisma's folder timestamp), or undefined. */
function timestampOf(name: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?/.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` : undefined;
}

interface Entry {
  result: LintResult;
  name: string;
  errors: number;
  warnings: number;
}

/** Migrations are grouped by their migrations folder, in history order; other files (schema, baseline) come first. */
function group(results: LintResult[]): Array<{ folder: string | null; entries: Entry[] }> {
  const groups = new Map<string | null, Entry[]>();
  for (const result of results) {
    const dir = path.dirname(result.filePath);
    const isMigration = path.basename(result.filePath) === "migration.sql" || result.messages.some((m) => m.migration);
    const folder = isMigration ? path.dirname(dir) : null;
    const errors = result.messages.filter(isError).length;
    const list = groups.get(folder) ?? [];
    list.push({ result, name: isMigration ? path.basename(dir) : path.basename(result.filePath), errors, warnings: result.messages.length - errors });
    groups.set(folder, list);
  }
  const byName = (a: Entry, b: Entry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...groups].map(([folder, entries]) => ({ folder, entries: entries.sort(byName) })).sort((a, b) => (a.folder === null ? -1 : b.folder === null ? 1 : a.folder < b.folder ? -1 : 1));
}

/** The lines of the finding's range (capped), numbered, with the reported span marked. */
function excerpt(m: LintMessage, lines: readonly string[] | undefined): string {
  if (!lines) return "";
  const span = spanOf(m);
  if (span.line > lines.length) return "";
  const last = Math.min(span.end?.line ?? span.line, lines.length, span.line + EXCERPT_LINES - 1);
  const out: string[] = [];
  for (let n = span.line; n <= last; n++) {
    const text = lines[n - 1]!;
    const from = n === span.line ? span.column - 1 : 0;
    const to = span.end ? (n === span.end.line ? span.end.column - 1 : text.length) : n === span.line ? text.length : 0;
    out.push(`<span class="ln">${n}</span>${markLine(text, from, Math.max(from, to))}`);
  }
  const more = (span.end?.line ?? span.line) - last;
  if (more > 0) out.push(`<span class="more">… ${plural(more, "more line")}</span>`);
  return `<pre class="sql"><code>${out.join("\n")}</code></pre>`;
}

function markLine(text: string, from: number, to: number): string {
  const cut = (s: string, room: number) => (s.length > room ? `${s.slice(0, Math.max(0, room))}…` : s);
  const before = text.slice(0, from);
  const marked = text.slice(from, to);
  const after = text.slice(to);
  const room = EXCERPT_WIDTH;
  return `${escapeHtml(cut(before, room))}${marked ? `<mark>${escapeHtml(cut(marked, room - before.length))}</mark>` : ""}${escapeHtml(cut(after, room - before.length - marked.length))}`;
}

const LOCK_CLASS = { "reads and writes": "reads", writes: "writes", nothing: "" } as const;

const lockBadge = (lock: StatementLocks["locks"][number]) => `<span class="lock ${LOCK_CLASS[lock.blocks]}${lock.existed ? "" : " new"}">${escapeHtml(lock.mode)} on ${escapeHtml(lock.table)}</span>`;

/** Under a finding: the locks of its statement, what the strongest one on an existing table blocks, and with --replay what Postgres took. */
function lockLine(statement: StatementLocks | undefined): string {
  if (!statement) return "";
  const out: string[] = [];
  if (statement.locks.length) {
    const strongest = statement.locks.find((l) => l.existed && l.blocks !== "nothing") ?? statement.locks.find((l) => l.existed) ?? statement.locks[0]!;
    out.push(`<p class="lockline"><b>Locks</b> ${statement.locks.map(lockBadge).join("")}— ${escapeHtml(lockEffect(strongest))}${statement.locks.length > 1 ? ` (${escapeHtml(strongest.table)})` : ""}</p>`);
  }
  if (statement.measured) out.push(`<p class="lockline">${measuredLocks(statement.measured)}</p>`);
  return out.join("");
}

/** What the lock trace measured (`--replay`): each lock Postgres granted the statement on an existing table. */
function measuredLocks(measured: NonNullable<StatementLocks["measured"]>): string {
  const badges = measured.locks.map((l) => {
    const extra = [l.rewrite ? "rewrote the table" : "", l.alreadyHeld ? "already held" : ""].filter(Boolean).join(", ");
    return `<span class="lock ${LOCK_CLASS[l.blocks]}">${escapeHtml(l.mode)} on ${escapeHtml(l.table)}</span>${extra ? `<span class="effect">${escapeHtml(extra)} </span>` : ""}`;
  });
  return `<b class="measured">Measured on ${escapeHtml(measured.database)}</b> ${badges.join("")}`;
}

/** The statement whose lines hold `line` (statements are in file order: a binary search, for files of thousands). */
function statementAt(statements: readonly StatementLocks[], line: number): StatementLocks | undefined {
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const s = statements[mid]!;
    if (line < s.line) high = mid - 1;
    else if (line > s.endLine) low = mid + 1;
    else return s;
  }
  return undefined;
}

/** One finding; a suppressed one (`ruleIndex` null) stays out of the filters and says what silenced it. */
function finding(m: LintMessage, lines: readonly string[] | undefined, statements: readonly StatementLocks[], ruleIndex: ReadonlyMap<string, number> | null): string {
  const severity = severityOf(m);
  const id = ruleIdOf(m);
  const docs = safeUrl(m.docsUrl);
  const span = spanOf(m);
  const statement = statementAt(statements, span.line);
  return [
    ruleIndex ? `<article class="finding ${severity} r${ruleIndex.get(id)}" data-severity="${severity}" data-rule="${escapeHtml(id)}">` : `<article class="finding ${severity}">`,
    `<div class="fhead"><span class="sev ${severity}">${severity}</span>`,
    docs ? `<a class="rule" href="${escapeHtml(docs)}" target="_blank" rel="noopener noreferrer">${escapeHtml(id)}</a>` : `<span class="rule">${escapeHtml(id)}</span>`,
    `<span class="at">line ${span.line}:${span.column}</span>`,
    m.fingerprint ? `<span class="fid mono" title="stable id of the finding (for the baseline)">${escapeHtml(m.fingerprint)}</span>` : "",
    `</div>`,
    `<p class="message">${escapeHtml(m.message)}</p>`,
    ruleIndex ? "" : suppressionNote(m),
    excerpt(m, lines),
    lockLine(statement),
    m.help || docs ? `<p class="help">${m.help ? `<b>Fix:</b> ${escapeHtml(m.help)} ` : ""}${docs ? `<a href="${escapeHtml(docs)}" target="_blank" rel="noopener noreferrer">Docs</a>` : ""}</p>` : "",
    `</article>`,
  ].join("");
}

/** Every statement of the migration that takes a table lock, in a table under its findings. */
function lockTable(statements: readonly StatementLocks[], lines: readonly string[] = []): string {
  if (!statements.length) return "";
  const rows = statements.map((s) => {
    // the first lines are enough for the 160 characters shown
    const text = lines.slice(s.line - 1, Math.min(s.endLine, s.line + 8)).join(" ").replace(/\s+/g, " ").trim();
    const locks = s.locks.map((l) => `<div>${lockBadge(l)}<span class="effect">${escapeHtml(lockEffect(l))}</span></div>`).join("") + (s.measured ? `<div>${measuredLocks(s.measured)}</div>` : "");
    return `<tr><td class="mono">${s.line}</td><td class="stmt mono">${escapeHtml(text.length > 160 ? `${text.slice(0, 160)}…` : text)}</td><td>${locks}</td></tr>`;
  });
  return `<table class="locks"><caption>Locks each statement takes</caption><thead><tr><th>Line</th><th>Statement</th><th>Lock on table</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function badges(entry: Entry): string {
  const out: string[] = [];
  if (entry.errors) out.push(`<span class="badge error">${plural(entry.errors, "error")}</span>`);
  if (entry.warnings) out.push(`<span class="badge warning">${plural(entry.warnings, "warning")}</span>`);
  if (!entry.errors && !entry.warnings) out.push(`<span class="badge clean">clean</span>`);
  const suppressed = entry.result.suppressedMessages?.length ?? 0;
  if (suppressed) out.push(`<span class="badge muted">${suppressed} suppressed</span>`);
  return `<span class="badges">${out.join("")}</span>`;
}

/** How a suppressed finding was silenced, with the justification its author gave. */
function suppressionNote(m: LintMessage): string {
  const notes = (m.suppressions ?? []).map((s) => {
    const by = s.kind === "directive" ? "an inline disable directive" : s.kind === "baseline" ? "the baseline" : "the replay";
    return `Suppressed by ${by}${s.justification ? `: ${s.justification}` : ""}`;
  });
  return notes.length ? `<p class="suppression">${notes.map(escapeHtml).join("<br>")}</p>` : "";
}

/** The migration's suppressed findings, folded away under their count. */
function suppressedSection(messages: LintMessage[], lines: readonly string[] | undefined, statements: readonly StatementLocks[]): string {
  if (!messages.length) return "";
  return `<details class="suppressed"><summary>${plural(messages.length, "suppressed finding")}</summary>${messages.map((m) => finding(m, lines, statements, null)).join("")}</details>`;
}

/** `e3:2 w0:1`: how many errors and warnings of which rule (by index) the migration has, for the filters' script. */
function countsOf(messages: LintMessage[], ruleIndex: ReadonlyMap<string, number>): string {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const key = `${isError(m) ? "e" : "w"}${ruleIndex.get(ruleIdOf(m))}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key}:${n}`).join(" ");
}

function migrationItem(entry: Entry, index: number, context: FormatterContext, root: string, ruleIndex: ReadonlyMap<string, number>): string {
  const { result } = entry;
  // split once per file: a finding's excerpt and the lock table read lines from it
  const lines = context.sourceOf(result.filePath)?.split(/\r\n|\r|\n/);
  const statements = context.statementLocks?.(result.filePath) ?? [];
  const kind = entry.errors ? "error" : entry.warnings ? "warning" : "clean";
  const when = timestampOf(entry.name);
  const findings = result.messages.map((m) => finding(m, lines, statements, ruleIndex)).join("");
  return [
    `<li class="migration ${kind}" id="m-${index}"${result.messages.length ? ` data-counts="${countsOf(result.messages, ruleIndex)}"` : ""}>`,
    `<details${entry.errors || entry.warnings ? " open" : ""}><summary>`,
    when ? `<time>${escapeHtml(when)}</time>` : "",
    `<span class="name" title="${escapeHtml(relativePath(root, result.filePath))}">${escapeHtml(entry.name)}</span>`,
    badges(entry),
    `</summary><div class="body">`,
    findings || `<p class="empty">No findings.</p>`,
    suppressedSection(result.suppressedMessages ?? [], lines, statements),
    lockTable(statements, lines),
    `</div></details></li>`,
  ].join("");
}

function* chunks(results: LintResult[], context: FormatterContext): Iterable<string> {
  const root = reportRoot(context);
  const groups = group(results);
  const entries = groups.flatMap((g) => g.entries);
  const errors = entries.reduce((n, e) => n + e.errors, 0);
  const warnings = entries.reduce((n, e) => n + e.warnings, 0);
  const suppressed = results.reduce((n, r) => n + (r.suppressedMessages?.length ?? 0), 0);
  const clean = entries.filter((e) => !e.errors && !e.warnings).length;
  const perRule = new Map<string, number>();
  for (const e of entries) for (const m of e.result.messages) perRule.set(ruleIdOf(m), (perRule.get(ruleIdOf(m)) ?? 0) + 1);
  const rules = [...perRule].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const ruleIndex = new Map(rules.map(([id], k) => [id, k]));
  const style = STYLE + ruleFilterStyle(rules.length);
  const total = errors + warnings;
  const migrationCount = groups.filter((g) => g.folder !== null).reduce((n, g) => n + g.entries.length, 0);
  const dated = entries.map((e) => timestampOf(e.name)).filter((t): t is string => !!t);

  yield [
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${csp(style)}">`,
    `<meta name="referrer" content="no-referrer"><meta name="color-scheme" content="light dark"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>migration-lint: ${total ? plural(total, "problem") : "no problems"}</title>`,
    `<style>${style}</style></head><body>`,
    `<header class="top"><div class="title"><h1>migration-lint</h1><span class="totals">`,
    `${plural(migrationCount, "migration")}${entries.length > migrationCount ? ` + ${plural(entries.length - migrationCount, "other file")}` : ""} · <b class="e">${plural(errors, "error")}</b> · <b class="w">${plural(warnings, "warning")}</b>${suppressed ? ` · ${suppressed} suppressed` : ""}</span></div>`,
    `<div class="controls">`,
    `<label class="chip error"><input type="checkbox" data-filter="error" checked>Errors <b>${errors}</b></label>`,
    `<label class="chip warning"><input type="checkbox" data-filter="warning" checked>Warnings <b>${warnings}</b></label>`,
    `<label class="chip clean"><input type="checkbox" data-filter="clean">Clean migrations <b>${clean}</b></label>`,
    rules.length ? `<select id="rule" aria-label="Rule"><option value="">All rules</option>${rules.map(([id, n], k) => `<option value="r${k}">${escapeHtml(id)} (${n})</option>`).join("")}</select>` : "",
    `<label class="chip order"><input type="checkbox" id="newest">Newest first</label>`,
    `<span class="shown" id="shown" aria-live="polite"></span></div>`,
    `<nav class="strip" aria-label="Timeline">${entries.map((e, i) => `<a href="#m-${i}" class="${e.errors ? "error" : e.warnings ? "warning" : "clean"}" title="${escapeHtml(`${e.name}: ${plural(e.errors, "error")}, ${plural(e.warnings, "warning")}`)}"></a>`).join("")}</nav>`,
    dated.length ? `<div class="axis"><span>${escapeHtml(dated.reduce((a, b) => (b < a ? b : a)).slice(0, 10))}</span><span>${escapeHtml(dated.reduce((a, b) => (b > a ? b : a)).slice(0, 10))}</span></div>` : "",
    `</header><main>`,
  ].join("");

  let index = 0;
  for (const g of groups) {
    yield `<h2>${g.folder === null ? "Other files" : escapeHtml(relativePath(root, g.folder))}</h2><ol class="timeline">`;
    for (const entry of g.entries) yield migrationItem(entry, index++, context, root, ruleIndex);
    yield `</ol>`;
  }
  if (!entries.length) yield `<p class="empty">Nothing was linted.</p>`;
  yield `</main><footer>Locks: what each statement takes by migration-lint's lock model, the one its rules use; with <code>--replay</code>, also what Postgres really took on existing tables ("Measured").</footer><script>${SCRIPT}</script></body></html>\n`;
}

const html: Formatter = Object.assign((results: LintResult[], context: FormatterContext) => [...chunks(results, context)].join(""), { chunks });
export default html;
