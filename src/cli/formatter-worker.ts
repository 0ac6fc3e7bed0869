/** Worker thread of a formatter module (see formatter-host.ts): imports it, then formats what it is sent. */
import { workerData, type MessagePort } from "node:worker_threads";
import { importFormatter } from "../formatters/index.js";
import type { Formatter, FormatterContext } from "../formatters/types.js";
import type { LintResult } from "../engine/results.js";
import { MigrationLintError, errorMessage } from "../errors.js";
import { refuseProcessExit } from "./exit-guard.js";
import type { FormatterAnswer } from "./formatter-host.js";

const { name, file, port, signal } = workerData as { name: string; file: string; port: MessagePort; signal: Int32Array };
refuseProcessExit();

const reply = (answer: FormatterAnswer) => {
  port.postMessage(answer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
};
const failure = (err: unknown): FormatterAnswer => ({
  ok: false,
  error: err instanceof MigrationLintError ? { kind: err.kind, message: err.message } : { kind: "config", message: `Formatter "${name}" (${file}) failed: ${errorMessage(err)}` },
});
process.on("uncaughtException", (err) => reply(failure(err)));

let formatter: Formatter | null = null;
try {
  formatter = await importFormatter(name, file);
  reply({ ok: true });
} catch (err) {
  reply(failure(err));
}
port.on("message", ({ results, context, sources }: { results: LintResult[]; context: Omit<FormatterContext, "sourceOf">; sources: Array<[string, string]> }) => {
  const texts = new Map(sources);
  try {
    reply({ ok: true, output: formatter!(results, { ...context, sourceOf: (filePath) => texts.get(filePath) }) });
  } catch (err) {
    reply(failure(err));
  }
});
