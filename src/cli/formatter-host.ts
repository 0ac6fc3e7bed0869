/**
 * A formatter module is user code: the CLI imports and runs it in a worker
 * thread and waits for each answer at most the time budget, so that one that
 * loops (at import or while formatting) is stopped and reported instead of
 * hanging the run. The answer is awaited synchronously (Atomics.wait, then
 * receiveMessageOnPort), so the formatter keeps its plain-function shape.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { MigrationLintError } from "../errors.js";
import type { Formatter } from "../formatters/types.js";

export type FormatterAnswer = { ok: true; output?: string } | { ok: false; error: { kind: MigrationLintError["kind"]; message: string } };

export function supervisedFormatterLoader(limitMs: number): (name: string, file: string) => Promise<Formatter> {
  return async (name, file) => {
    // the worker sets signal[0] to 1 once its answer is on the port
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL("./formatter-worker.js", import.meta.url), { workerData: { name, file, port: port2, signal }, transferList: [port2] });
    worker.unref();
    const answer = (doing: string): string | undefined => {
      if (Atomics.wait(signal, 0, 0, limitMs) === "timed-out") {
        void worker.terminate();
        throw new MigrationLintError("config", `Formatter "${name}" (${file}) did not finish ${doing} within ${limitMs} ms (an endless loop?) and was stopped. --rule-time-budget sets the limit.`);
      }
      Atomics.store(signal, 0, 0);
      const reply = receiveMessageOnPort(port1)?.message as FormatterAnswer | undefined;
      if (!reply) throw new MigrationLintError("internal", `Formatter "${name}" (${file}): its worker answered nothing.`);
      if (!reply.ok) throw new MigrationLintError(reply.error.kind, reply.error.message);
      return reply.output;
    };
    answer("loading");
    return (results, context) => {
      const sources = results.flatMap((r): Array<[string, string]> => {
        const text = context.sourceOf(r.filePath);
        return text === undefined ? [] : [[r.filePath, text]];
      });
      const { cwd, color, repositoryRoot } = context;
      port1.postMessage({ results, context: { cwd, color, ...(repositoryRoot ? { repositoryRoot } : {}) }, sources });
      return answer("formatting") ?? "";
    };
  };
}
