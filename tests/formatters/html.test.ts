import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runLint } from "../../src/api/lint.js";
import { statementLocksOf } from "../../src/cli/reports.js";
import type { LintResult } from "../../src/engine/results.js";
import html, { escapeHtml } from "../../src/formatters/html.js";
import { loadFormatter } from "../../src/formatters/index.js";
import { fixtureContext, fixtureResults } from "./fixtures/results.js";
import { HOSTILE_COLUMN, HOSTILE_MIGRATION, hostileProject } from "./html-project.js";

/** The report of the hostile project, as the CLI makes it (`-f html`: the statements' locks recorded). */
async function hostileReport(): Promise<string> {
  const root = hostileProject();
  try {
    const run = await runLint({ cwd: root, statementLocks: true, baseline: false });
    return html(run.results, { cwd: root, color: false, sourceOf: (file) => run.sources.get(file), statementLocks: statementLocksOf(run.projects) });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Every start tag of the page with its quoted attribute values emptied (escaped text has no raw < or "). */
const tagsOf = (page: string) => page.match(/<[a-z][^>]*>/gi)!.map((tag) => tag.replace(/"[^"]*"/g, '""'));

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

describe("html", () => {
  it("is a built-in format", async () => {
    expect(await loadFormatter("html")).toBe(html);
  });

  it("escapes every value from the SQL, file names and plugins: a migration named like a tag, an identifier with a quote and <script>", async () => {
    const page = await hostileReport();
    // the page's own script is the only element of its kind; nothing from the project became markup
    expect(page.match(/<script\b/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<img\b/i);
    // no element carries an event handler: attribute values stripped, what is left of each tag has no on...=
    expect(tagsOf(page).filter((tag) => /\son\w+=/i.test(tag))).toEqual([]);
    expect(page).toContain(escapeHtml(HOSTILE_MIGRATION));
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page).toContain(`<span class="ln">5</span>ALTER TABLE &quot;User&quot; <mark>ADD COLUMN ${escapeHtml(HOSTILE_COLUMN)} TEXT NOT NULL</mark>;`); // the excerpt marks the reported span
    expect(page).toContain(escapeHtml(HOSTILE_COLUMN));
    expect(page).toContain("&quot;x&quot;&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
  });

  it("escapes quotes for attributes, shows control characters, and keeps only http(s) docs links", () => {
    expect(escapeHtml(`a"b'c<d>&e\u001b[31m\u202e`)).toBe("a&quot;b&#39;c&lt;d&gt;&amp;e\\x1b[31m\\u202e");
    const results: LintResult[] = fixtureResults();
    const message = results[1]!.messages[0]!;
    message.ruleId = 'acme/<b>"x"';
    message.docsUrl = "javascript:alert(document.domain)";
    const page = html(results, fixtureContext());
    expect(page).not.toContain("javascript:");
    expect(page).toContain('data-rule="acme/&lt;b&gt;&quot;x&quot;"');
    expect(page).toContain('>acme/&lt;b&gt;&quot;x&quot; (1)</option>');
    expect(page).toContain('<span class="rule">acme/&lt;b&gt;&quot;x&quot;</span>');
  });

  it("loads nothing: a Content-Security-Policy that allows only its own inline style and script, by hash", async () => {
    const page = await hostileReport();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    expect(csp).toBeDefined();
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(csp).toBe(`default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; base-uri 'none'; form-action 'none'`);
    // no attribute or stylesheet that fetches: the only URLs are links a reader clicks
    expect(tagsOf(page).filter((tag) => /\s(src|srcset|action|poster|background|data|formaction)=/i.test(tag))).toEqual([]);
    expect(page).not.toMatch(/url\(|@import/i);
    for (const [, url] of page.matchAll(/href="([^"]*)"/g)) expect(url).toMatch(/^(#m-\d+|https:\/\/github\.com\/migration-lint\/migration-lint\/blob\/main\/docs\/rules\/[a-z-]+\.md)$/);
  });

  it("shows each finding with its excerpt, help, docs link and the locks of its statement, and a lock table per migration", async () => {
    const page = await hostileReport();
    const dropIndex = /<article class="finding warning r0"[^>]*data-rule="require-concurrently">[\s\S]*?<\/article>/.exec(page)![0];
    expect(dropIndex).toContain('<span class="ln">2</span><mark>DROP INDEX &quot;User_email_key&quot;</mark>;');
    expect(dropIndex).toContain('<span class="lock reads">ACCESS EXCLUSIVE on &quot;User&quot;</span>— blocks reads and writes');
    expect(dropIndex).toContain("<b>Fix:</b> Use `DROP INDEX CONCURRENTLY");
    expect(dropIndex).toContain('<a href="https://github.com/migration-lint/migration-lint/blob/main/docs/rules/require-concurrently.md" target="_blank" rel="noopener noreferrer">Docs</a>');
    expect(page).toContain('<span class="lock writes">SHARE on &quot;Post&quot;</span><span class="effect">blocks writes while it builds the index</span>');
    // the init migration's foreign key locks two tables it created itself: no traffic waits on them
    expect(page).toContain('<span class="lock writes new">SHARE ROW EXCLUSIVE on &quot;Post&quot;</span><span class="effect">table created in this migration: no traffic waits on it</span>');
    // a timeline entry per migration, in history order, the clean one first and closed
    const items = [...page.matchAll(/<li class="migration (\w+)" id="m-(\d+)"(?: data-counts="[^"]*")?><details( open)?>/g)].map((m) => [m[1], m[2], !!m[3]]);
    expect(items).toEqual([
      ["clean", "0", false],
      ["error", "1", true],
    ]);
    expect(page).toContain('<label class="chip error"><input type="checkbox" data-filter="error" checked>Errors <b>1</b></label>');
    expect(page).toContain('<label class="chip warning"><input type="checkbox" data-filter="warning" checked>Warnings <b>2</b></label>');
    expect(page).toContain('<option value="r0">require-concurrently (2)</option>');
    expect(page).toContain('<li class="migration error" id="m-1" data-counts="w0:2 e1:1">');
  });

  it("with --replay, shows under each statement the locks Postgres really took (the lock trace)", { timeout: 180_000 }, async () => {
    const cwd = fileURLToPath(new URL("../../fixtures/example/", import.meta.url));
    const run = await runLint({ cwd, replay: true, statementLocks: true, baseline: false });
    const page = html(run.results, { cwd, color: false, sourceOf: (file) => run.sources.get(file), statementLocks: statementLocksOf(run.projects) });
    const typeChange = /<article class="finding error r\d+" data-severity="error" data-rule="column-type-change">[\s\S]*?<\/article>/.exec(page)![0];
    expect(typeChange).toMatch(/<b class="measured">Measured on PGlite \(Postgres \d+\)<\/b> <span class="lock reads">ACCESS EXCLUSIVE on &quot;User&quot;<\/span><span class="effect">rewrote the table, already held <\/span><span class="lock writes">SHARE on &quot;User&quot;<\/span><span class="effect">rewrote the table <\/span><\/p>/);
    // the foreign key of add_profile has no finding: its measured locks are in the migration's lock table
    expect(page).toMatch(/<tr><td class="mono">14<\/td><td class="stmt mono">ALTER TABLE &quot;Profile&quot; ADD CONSTRAINT [^<]*<\/td><td><div><span class="lock writes new">SHARE ROW EXCLUSIVE on &quot;Profile&quot;<\/span>.*?<b class="measured">Measured on PGlite[^<]*<\/b> <span class="lock writes">SHARE ROW EXCLUSIVE on &quot;User&quot;<\/span>/);
  });

  it("finds each finding's statement among thousands, and reads the file once for all of them", () => {
    const file = "/home/ci/shop/prisma/migrations/20240101000000_big/migration.sql";
    // statement k spans lines 2k+1 and 2k+2, and locks table "Tk"
    const count = 3000;
    const source = Array.from({ length: count }, (_, k) => `ALTER TABLE "T${k}"\n  DROP COLUMN "c";`).join("\n");
    const statementLocks = Array.from({ length: count }, (_, k) => ({ file, migration: "20240101000000_big", line: 2 * k + 1, endLine: 2 * k + 2, locks: [{ table: `"T${k}"`, mode: "ACCESS EXCLUSIVE" as const, blocks: "reads and writes" as const, duration: "instant" as const, existed: true }] }));
    const messages = Array.from({ length: count }, (_, k) => ({ ruleId: "destructive-change", severity: 2 as const, message: `drops T${k}.c`, line: 2 * k + 2, column: 3, endLine: 2 * k + 2, endColumn: 18, fingerprint: String(k) }));
    let reads = 0;
    const page = html([{ filePath: file, messages, suppressedMessages: [], errorCount: count, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, usedDeprecatedRules: [] }], {
      cwd: "/home/ci/shop",
      color: false,
      sourceOf: () => (reads++, source),
      statementLocks: () => statementLocks,
    });
    expect(reads).toBe(1);
    const findings = page.match(/<article[\s\S]*?<\/article>/g)!;
    expect(findings).toHaveLength(count);
    for (const k of [0, 1, 1499, count - 1]) {
      expect(findings[k]).toContain(`<span class="ln">${2 * k + 2}</span>  <mark>DROP COLUMN &quot;c&quot;</mark>;`);
      expect(findings[k]).toContain(`ACCESS EXCLUSIVE on &quot;T${k}&quot;</span>— blocks reads and writes`);
    }
  });

  it("lists suppressed findings apart, folded, outside the filters, with what silenced them and why", () => {
    const page = html(fixtureResults(), fixtureContext());
    const [baselined, directive] = page.match(/<details class="suppressed">[\s\S]*?<\/details>/g)!;
    expect(baselined).toContain("<summary>1 suppressed finding</summary>");
    expect(baselined).toContain('<article class="finding error"><div class="fhead">');
    expect(baselined).toContain('Drops column &quot;nickname&quot; of &quot;User&quot;: its data is lost, and app instances still running the previous release fail on queries that select it.</p><p class="suppression">Suppressed by the baseline</p>');
    expect(directive).toContain("Empties &quot;AuditLog&quot;");
    expect(directive).toContain('<p class="suppression">Suppressed by an inline disable directive: AuditLog was archived to S3 in release 41</p>');
    // not counted by the filters: the migration's counts and the rule list hold only the findings shown
    expect(page).toContain('<label class="chip error"><input type="checkbox" data-filter="error" checked>Errors <b>3</b></label>');
  });

  it("says so when nothing was linted, and is streamed in pieces that make the same page", () => {
    expect(html([], fixtureContext())).toContain('<p class="empty">Nothing was linted.</p>');
    const results = fixtureResults();
    expect([...html.chunks!(results, fixtureContext())].join("")).toBe(html(results, fixtureContext()));
    expect(path.basename(results[0]!.filePath)).toBe("migration.sql");
  });
});
