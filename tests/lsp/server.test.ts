/**
 * `migration-lint lsp --stdio` driven over stdio by a real client library (vscode-languageserver-protocol's
 * connection): initialize, didOpen, didChange, publishDiagnostics, codeAction, applying a fix's WorkspaceEdit,
 * hover; a plugin rule that carries a fix and a suggestion, loaded through the config as a user loads it, and the
 * built-in lock-timeout fix. Needs the build (dist/cli/lsp.js), as the CLI tests do.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { CodeAction, Diagnostic, Hover, TextDocumentEdit, CreateFile } from "vscode-languageserver-protocol/node";
import { initialize, project, startServer, uriOf, type TestClient } from "./client.js";

const made: string[] = [];
const clients: TestClient[] = [];
afterAll(() => {
  for (const client of clients) client.child.kill();
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const SCHEMA = `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id    Int     @id @default(autoincrement())\n  email String?\n}\n`;
const INIT = `-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "name" TEXT,\n    "email" TEXT,\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n`;
const CHANGE = `-- AlterTable\nALTER TABLE "User" DROP COLUMN "name";\n`;

/** A plugin rule, as a user ships one: every DROP COLUMN gets a fix (a comment above it) and a suggestion that creates a migration. */
const PLUGIN = `export default {
  rules: {
    "note-drops": {
      meta: { id: "note-drops", type: "suggestion", docs: { description: "Notes drops.", preset: "all", url: "https://example.com/note-drops" }, defaultSeverity: "warn", fixable: "code", hasSuggestions: true, messages: { drop: "Drops {{column}}.", later: "Drop {{column}} in a later migration" } },
      create(context) {
        return {
          "drop-column": (op) => context.report({
            node: op,
            messageId: "drop",
            data: { column: op.column },
            fix: (fixer) => fixer.insertTextBefore(op.statement, "-- reviewed: " + op.column + " is unused\\n"),
            suggest: [{
              messageId: "later",
              fix: (fixer) => fixer.remove(op.statement),
              files: [{ filePath: context.migration.entry.dir + "_1_later/migration.sql", text: op.statement.text + ";\\n" }],
            }],
          }),
        };
      },
    },
  },
};
`;

/** The project, with the plugin `acme` (its code) and the rules the config sets. */
function fixture(plugin = PLUGIN, rules: Record<string, string> = { "acme/note-drops": "warn", "lock-timeout": "warn" }): { root: string; change: string } {
  const root = project({
    ".migration-lintrc.json": JSON.stringify({ extends: ["recommended"], plugins: ["./tools/migration-lint-plugin-acme/index.mjs"], rules }),
    "tools/migration-lint-plugin-acme/index.mjs": plugin,
    "prisma/schema.prisma": SCHEMA,
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "prisma/migrations/20240101000000_init/migration.sql": INIT,
    "prisma/migrations/20240201000000_drop_user_name/migration.sql": CHANGE,
  });
  made.push(root);
  return { root, change: path.join(root, "prisma/migrations/20240201000000_drop_user_name/migration.sql") };
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();

/** Applies a WorkspaceEdit's edits of one document to its text, as a client does. */
function applyTo(document: TextDocument, action: CodeAction): string {
  const edits = (action.edit!.documentChanges ?? []).filter((c): c is TextDocumentEdit => "textDocument" in c && c.textDocument.uri === document.uri).flatMap((c) => c.edits);
  return TextDocument.applyEdits(document, edits as Parameters<typeof TextDocument.applyEdits>[1]);
}

describe("the language server over stdio", () => {
  it("publishes diagnostics, offers the fixes and actions, applies a fix, re-lints unsaved text, and hovers", { timeout: 60_000 }, async () => {
    const { root, change } = fixture();
    const client = startServer(root);
    clients.push(client);
    const init = (await initialize(client, root)) as { capabilities: { codeActionProvider: unknown; hoverProvider: boolean } };
    expect(init.capabilities.hoverProvider).toBe(true);
    await client.connection.sendNotification("initialized", {});

    // the whole project is linted at start, as the CLI lints it: the plugin's rule and the built-in ones
    let diagnostics = await client.diagnostics(change, (d) => d.length > 0);
    expect(codes(diagnostics)).toEqual(["acme/note-drops", "destructive-change", "lock-timeout"]);
    const destructive = diagnostics.find((d) => d.code === "destructive-change")!;
    expect(destructive).toMatchObject({
      severity: 1,
      source: "migration-lint",
      codeDescription: { href: "https://github.com/migration-lint/migration-lint/blob/main/docs/rules/destructive-change.md" },
      range: { start: { line: 1, character: 19 } },
    });
    expect(destructive.message).toMatch(/Drops column "name" of "User"[\s\S]*\n\n/); // message, then help

    let document = TextDocument.create(uriOf(change), "sql", 1, CHANGE);
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: document.uri, languageId: "sql", version: 1, text: CHANGE } });
    diagnostics = await client.diagnostics(change, (d) => d.length === 3);
    const note = diagnostics.find((d) => d.code === "acme/note-drops")!;

    const actions = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: document.uri }, range: note.range, context: { diagnostics: [note] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual([
      "Fix: acme/note-drops",
      "Drop name in a later migration",
      "Disable acme/note-drops for this statement",
      "Add this acme/note-drops finding to the baseline",
      "Show documentation for acme/note-drops",
    ]);
    const [fix, suggestion, disable, baseline, docs] = actions as [CodeAction, CodeAction, CodeAction, CodeAction, CodeAction];
    expect(fix).toMatchObject({ kind: "quickfix", isPreferred: true });
    // the suggestion creates the new migration folder's file through the workspace edit
    const created = suggestion.edit!.documentChanges!.filter((c): c is CreateFile => "kind" in c && c.kind === "create");
    expect(created.map((c) => c.uri)).toEqual([uriOf(path.join(root, "prisma/migrations/20240201000000_drop_user_name_1_later/migration.sql"))]);
    expect(applyTo(document, suggestion)).toBe(`-- AlterTable\n;\n`);
    expect(applyTo(document, disable)).toBe(`-- AlterTable\n-- migration-lint-disable-next-line acme/note-drops -- TODO: say why this is safe here\nALTER TABLE "User" DROP COLUMN "name";\n`);
    const baselineEdit = baseline.edit!.documentChanges!;
    expect(baselineEdit[0]).toMatchObject({ kind: "create", uri: uriOf(path.join(root, ".migration-lint-baseline.json")) });
    const baselineText = (baselineEdit[1] as TextDocumentEdit).edits[0]!.newText;
    expect(JSON.parse(baselineText)).toEqual({ version: 1, entries: [expect.objectContaining({ migration: "20240201000000_drop_user_name", ruleId: "acme/note-drops", fingerprint: expect.any(String) })] });
    expect(docs.command).toMatchObject({ command: "migration-lint.showDocumentation", arguments: ["https://example.com/note-drops"] });
    await client.connection.sendRequest("workspace/executeCommand", docs.command);
    expect(client.messages).toContain("showDocument https://example.com/note-drops");

    // executing the fix: its WorkspaceEdit applied to the editor's text, then the edit sent as the client sends it
    const fixed = applyTo(document, fix);
    expect(fixed).toBe(`-- AlterTable\n-- reviewed: name is unused\nALTER TABLE "User" DROP COLUMN "name";\n`);
    document = TextDocument.create(document.uri, "sql", 2, fixed);
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri: document.uri, version: 2 }, contentChanges: [{ text: fixed }] });
    // the plugin still notes the drop (its fix is a comment), now a line lower: the unsaved text was linted
    diagnostics = await client.diagnostics(change, (d) => d.find((x) => x.code === "acme/note-drops")?.range.start.line === 2);
    expect(codes(diagnostics)).toEqual(["acme/note-drops", "destructive-change", "lock-timeout"]);

    // an unsafe statement typed into the buffer, never saved: the built-in rules see it, with the built-in fix
    const typed = `${fixed}CREATE INDEX "User_email_idx" ON "User"("email");\n`;
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri: document.uri, version: 3 }, contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: `CREATE INDEX "User_email_idx" ON "User"("email");\n` }] });
    document = TextDocument.create(document.uri, "sql", 3, typed);
    diagnostics = await client.diagnostics(change, (d) => d.some((x) => x.code === "require-concurrently"));
    expect(codes(diagnostics)).toEqual(["acme/note-drops", "destructive-change", "lock-timeout", "require-concurrently"]);
    expect(fs.readFileSync(change, "utf8")).toBe(CHANGE); // nothing was written
    const lockTimeout = diagnostics.find((d) => d.code === "lock-timeout")!;
    const builtin = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: document.uri }, range: lockTimeout.range, context: { diagnostics: [lockTimeout] } })) as CodeAction[];
    const builtinFix = builtin.find((a) => a.isPreferred)!;
    expect(applyTo(document, builtinFix)).toBe(`SET LOCAL lock_timeout = '5s';\n\n${typed}`);

    // hover on the CREATE INDEX: its lock, what it blocks, the runner, and where its table and column came from
    const hover = (await client.connection.sendRequest("textDocument/hover", { textDocument: { uri: document.uri }, position: { line: 3, character: 5 } })) as Hover;
    const text = (hover.contents as { value: string }).value;
    expect(text).toContain('`SHARE` on `"User"`: blocks writes while it builds the index');
    expect(text).toMatch(/\*\*Runner\*\*: Prisma .* sends this whole file in one transaction; this statement shares one transaction with 1 other statement/);
    expect(text).toContain('table `"User"`: created in 20240101000000_init');
    expect(text).toContain('column `"User"."email"` (text): added in 20240101000000_init');
    expect(hover.range).toEqual({ start: { line: 3, character: 0 }, end: { line: 3, character: 48 } });

    // fix all: every fix of the file in one edit
    const all = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: document.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ["source.fixAll"] } })) as CodeAction[];
    expect(all.map((a) => a.kind)).toEqual(["source.fixAll.migration-lint"]);
    expect(applyTo(document, all[0]!)).toBe(`SET LOCAL lock_timeout = '5s';\n\n-- AlterTable\n-- reviewed: name is unused\n-- reviewed: name is unused\nALTER TABLE "User" DROP COLUMN "name";\nCREATE INDEX "User_email_idx" ON "User"("email");\n`);

    expect(await client.close()).toBe(0);
  });

  it("offers no disable directive for a migration at the git base (applied: editing it breaks Prisma's checksum), only the baseline", { timeout: 60_000 }, async () => {
    const { root, change } = fixture();
    const git = (...args: string[]) => spawnGit(root, args);
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
    const client = startServer(root);
    clients.push(client);
    await initialize(client, root, { base: "main" });
    await client.connection.sendNotification("initialized", {});
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(change), languageId: "sql", version: 1, text: CHANGE } });
    const diagnostics = await client.diagnostics(change, (d) => d.length === 3);
    const destructive = diagnostics.find((d) => d.code === "destructive-change")!;
    const actions = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: uriOf(change) }, range: destructive.range, context: { diagnostics: [destructive] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual(["Add this destructive-change finding to the baseline", "Show documentation for destructive-change"]);
    expect(await client.close()).toBe(0);
  });
});

describe("user code cannot hang or end the server", () => {
  it("a plugin rule stuck in a loop is stopped; the lint goes on without it and says so; a process.exit is refused", { timeout: 60_000 }, async () => {
    const spin = `export default { rules: {
      spin: { meta: { id: "spin", type: "problem", docs: { description: "Loops.", preset: "all" }, defaultSeverity: "error", messages: { m: "never" } }, create: () => ({ "drop-column": () => { for (;;) {} } }) },
      quit: { meta: { id: "quit", type: "problem", docs: { description: "Exits.", preset: "all" }, defaultSeverity: "error", messages: { m: "never" } }, create: () => ({ "drop-column": () => process.exit(0) }) },
    } };\n`;
    const { root, change } = fixture(spin, { "acme/spin": "error", "acme/quit": "error" });
    const client = startServer(root);
    clients.push(client);
    await initialize(client, root, { ruleTimeBudgetMs: 300 });
    await client.connection.sendNotification("initialized", {});
    const diagnostics = await client.diagnostics(change, (d) => d.some((x) => x.code === "destructive-change"));
    const internal = diagnostics.filter((d) => d.code === "internal-error").map((d) => d.message);
    expect(internal).toEqual(expect.arrayContaining([expect.stringMatching(/^Rule "acme\/spin" did not finish within 300 ms on 20240201000000_drop_user_name/), expect.stringMatching(/process\.exit\(0\) was called/)]));
    // still answering
    expect(await client.close()).toBe(0);
  });
});

function spawnGit(cwd: string, args: string[]): void {
  const run = require("node:child_process").spawnSync("git", args, { cwd, encoding: "utf8" }) as { status: number; stderr: string };
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
}
