/**
 * migration-lint for VS Code: a thin client of `migration-lint lsp --stdio`. It runs the workspace's own
 * node_modules/migration-lint (so the editor and the CLI say the same, like the ESLint extension), else the
 * `migrationLint.path` setting, else the copy bundled in the extension (server/).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { workspace, window, type ExtensionContext } from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  await start(context);
  context.subscriptions.push(
    workspace.onDidChangeConfiguration(async (event) => {
      // which server runs, and whether one does, needs a new client; the rest the server takes as it goes
      if (event.affectsConfiguration("migrationLint.enable") || event.affectsConfiguration("migrationLint.path")) {
        await stop();
        await start(context);
      }
    }),
  );
}

export function deactivate(): Promise<void> | undefined {
  return stop();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

async function start(context: ExtensionContext): Promise<void> {
  const settings = workspace.getConfiguration("migrationLint");
  if (!settings.get<boolean>("enable", true)) return;
  const server = serverEntry(settings.get<string>("path", ""), context.asAbsolutePath(path.join("server", "bin", "migration-lint.js")));
  const run = { module: server.bin, args: ["lsp"], transport: TransportKind.stdio, options: { cwd: workspace.workspaceFolders?.[0]?.uri.fsPath } };
  const serverOptions: ServerOptions = { run, debug: run };
  const watcher = workspace.createFileSystemWatcher("**/{.migration-lintrc,.migration-lintrc.*,migration-lint.config.*,package.json,*.prisma,migration.sql,down.sql,.migration-lint-baseline.json}");
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: "**/migration.sql" },
      { scheme: "file", pattern: "**/down.sql" },
      { scheme: "file", pattern: "**/*.prisma" },
    ],
    initializationOptions: serverSettings(),
    synchronize: { fileEvents: watcher, configurationSection: "migrationLint" },
  };
  client = new LanguageClient("migrationLint", "migration-lint", serverOptions, clientOptions);
  client.info(`migration-lint ${server.version ?? ""} from ${server.bin} (${server.from})`);
  try {
    await client.start();
  } catch (err) {
    void window.showErrorMessage(`migration-lint could not start its language server (${server.bin}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

function serverSettings(): Record<string, unknown> {
  const settings = workspace.getConfiguration("migrationLint");
  return { base: settings.get<string>("base", "") || null, databaseUrl: settings.get<string>("databaseUrl", "") || null, debounceMs: settings.get<number>("debounceMs", 250), ruleTimeBudgetMs: settings.get<number>("ruleTimeBudgetMs", 10_000) };
}

/** The migration-lint to run: the setting, the workspace's own, or the bundled copy. */
function serverEntry(setting: string, bundled: string): { bin: string; version: string | null; from: string } {
  const candidates: Array<{ dir: string; from: string }> = [];
  if (setting) candidates.push({ dir: path.resolve(workspace.workspaceFolders?.[0]?.uri.fsPath ?? "", setting), from: "the migrationLint.path setting" });
  for (const folder of workspace.workspaceFolders ?? []) candidates.push({ dir: path.join(folder.uri.fsPath, "node_modules", "migration-lint"), from: `the workspace's node_modules` });
  for (const { dir, from } of candidates) {
    const found = packageBin(dir);
    if (found) return { ...found, from };
  }
  return { bin: bundled, version: packageBin(path.dirname(path.dirname(bundled)))?.version ?? null, from: "the copy bundled with the extension" };
}

/** A migration-lint package folder (or its bin file) that has the language server (0.1.0 and later). */
function packageBin(dirOrBin: string): { bin: string; version: string | null } | null {
  const dir = dirOrBin.endsWith(".js") ? path.dirname(path.dirname(dirOrBin)) : dirOrBin;
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string; bin?: Record<string, string> };
    const bin = pkg.name === "migration-lint" && pkg.bin?.["migration-lint"] ? path.join(dir, pkg.bin["migration-lint"]) : null;
    if (!bin || !existsSync(bin) || !existsSync(path.join(dir, "dist", "cli", "lsp.js"))) return null;
    return { bin, version: pkg.version ?? null };
  } catch {
    return null;
  }
}
