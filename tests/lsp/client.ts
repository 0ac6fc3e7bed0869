/** A language client for tests: `migration-lint lsp --stdio` driven over stdio by vscode-languageserver-protocol's own connection. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams } from "vscode-languageserver-protocol/node";

export const BIN = path.resolve(__dirname, "../../bin/migration-lint.js");

export const uriOf = (file: string) => pathToFileURL(file).href;

export interface TestClient {
  connection: ProtocolConnection;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  /** Resolves with the first diagnostics published for `file` that `accept` takes (the latest ones already published included). */
  diagnostics(file: string, accept?: (diagnostics: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** window/showMessage and window/logMessage texts so far. */
  messages: string[];
  /** Ends the session as a client does (shutdown, exit) and resolves with the server's exit code. */
  close(): Promise<number | null>;
}

export function startServer(cwd: string, options: { env?: Record<string, string>; bin?: string } = {}): TestClient {
  const child = spawn(process.execPath, [options.bin ?? BIN, "lsp", "--stdio"], { cwd, env: { ...process.env, ...options.env } });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const latest = new Map<string, Diagnostic[]>();
  const waiters: Array<{ uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  const messages: string[] = [];
  connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    latest.set(params.uri, params.diagnostics);
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.accept(params.diagnostics)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params.diagnostics);
      }
    }
  });
  connection.onNotification("window/showMessage", (params: { message: string }) => messages.push(params.message));
  connection.onNotification("window/logMessage", (params: { message: string }) => messages.push(params.message));
  connection.onRequest("window/showDocument", (params: { uri: string }) => {
    messages.push(`showDocument ${params.uri}`);
    return { success: true };
  });
  connection.onRequest("window/showMessageRequest", (params: { message: string }) => (messages.push(params.message), null));
  connection.onRequest("client/registerCapability", () => null);
  connection.listen();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    connection,
    child,
    stderr: () => stderr,
    messages,
    diagnostics(file, accept = () => true, timeoutMs = 30_000) {
      const uri = uriOf(file);
      const now = latest.get(uri);
      if (now && accept(now)) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no accepted diagnostics for ${uri} within ${timeoutMs} ms; latest: ${JSON.stringify(latest.get(uri))}; stderr: ${stderr}; messages: ${messages.join(" | ")}`)), timeoutMs);
        waiters.push({ uri, accept, resolve: (d) => (clearTimeout(timer), resolve(d)) });
      });
    },
    async close() {
      await connection.sendRequest("shutdown");
      await connection.sendNotification("exit");
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}

/** What a client that resolves code actions says (VS Code does): the fix's edit comes on codeAction/resolve. */
export const RESOLVES_CODE_ACTIONS = { codeAction: { dataSupport: true, resolveSupport: { properties: ["edit"] }, disabledSupport: true } };

export function initialize(client: TestClient, root: string, initializationOptions: Record<string, unknown> = {}, textDocument: Record<string, unknown> = {}) {
  return client.connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: uriOf(root),
    workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
    capabilities: {
      workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ["create"] } },
      window: { showDocument: { support: true } },
      textDocument: { publishDiagnostics: { relatedInformation: false }, ...textDocument },
    },
    initializationOptions: { debounceMs: 20, ...initializationOptions },
  });
}

/** A temporary Prisma project: `files` by path relative to its root. */
export function project(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ml-lsp-")));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}
