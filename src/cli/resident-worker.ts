/**
 * The lint worker of a resident process (the language server, src/lsp/server.ts; the daemon, src/daemon/server.ts),
 * supervised: it keeps the history in memory between requests, and runs whatever code a lint runs on a thread that
 * can be stopped. Each request is watched through the heartbeat (a rule or an import that stops beating for the
 * time budget: watchHeartbeat) and by a deadline (code looping outside any rule, in a timer); either replaces the
 * worker. A worker that ends by itself (out of memory, process.exit) is replaced on the next request.
 *
 * The worker's side: it sets the heartbeat from workerData, answers `{ id, ok, value | error }` per request, and
 * posts `{ stray }` for what is thrown outside any request.
 */
import { Worker } from "node:worker_threads";
import type { MigrationLintError } from "../errors.js";
import { newHeartbeat, watchHeartbeat } from "./supervise.js";

export type WorkerError = { kind: MigrationLintError["kind"]; message: string; file?: string; line?: number };
export type ResidentWorkerMessage = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WorkerError } | { stray: string };

/** Same default as the engine's (src/engine/linter.ts), kept here so that a resident process loads no linter on its own thread. */
const DEFAULT_BUDGET_MS = 10_000;

/** A rule (or, with LOADING_LABEL, the config's import) that stopped answering. */
export class Stuck extends Error {
  constructor(
    readonly rule: string,
    readonly migration: string,
  ) {
    super(`stuck: ${rule} on ${migration}`);
  }
}

export class LintFailure extends Error {
  constructor(readonly error: WorkerError) {
    super(error.message);
  }
}

export class ResidentWorker<Request extends { id: number }> {
  private worker: Worker | null = null;
  private heartbeat = newHeartbeat();
  private next = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();

  /** `entry`: the worker's module; `warn` gets what it throws outside any request. */
  constructor(
    private readonly entry: URL,
    private readonly warn: (line: string) => void,
  ) {}

  private start(): Worker {
    this.heartbeat = newHeartbeat();
    // its stdout and stderr are the process's stderr: a language server's stdout is the protocol's
    const worker = new Worker(this.entry, { workerData: { heartbeat: this.heartbeat }, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    worker.stdout.pipe(process.stderr);
    worker.stderr.pipe(process.stderr);
    worker.on("message", (message: ResidentWorkerMessage) => {
      if ("stray" in message) return this.warn(message.stray);
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(new LintFailure(message.error));
    });
    const ended = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new LintFailure({ kind: "internal", message: why }));
    };
    worker.on("error", (err: Error) => ended(`the lint worker failed: ${err.message}`));
    worker.on("exit", (code) => ended(`the lint worker ended (exit code ${code}) before it answered; it starts again with the next request`));
    worker.unref();
    return worker;
  }

  /** Sends a request (its `id` is set here); rejects with Stuck or LintFailure, and the worker is replaced where it hung. */
  request(body: Request extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never, deadlineMs = 120_000): Promise<unknown> {
    const worker = (this.worker ??= this.start());
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const budget = (body as { ruleTimeBudgetMs?: number }).ruleTimeBudgetMs ?? DEFAULT_BUDGET_MS;
      // this request fails with why; the others waiting on the worker with "restarted"
      const replace = (err: Error) => {
        this.pending.delete(id);
        settle();
        this.restart();
        reject(err);
      };
      const stop = watchHeartbeat(this.heartbeat, budget, ({ rule, migration }) => replace(new Stuck(rule, migration)));
      const deadline = setTimeout(() => {
        replace(new LintFailure({ kind: "internal", message: `the lint worker did not answer within ${Math.max(deadlineMs, budget * 6) / 1000} s (user code looping outside any rule?) and was replaced` }));
      }, Math.max(deadlineMs, budget * 6));
      deadline.unref();
      const settle = () => {
        stop();
        clearTimeout(deadline);
      };
      this.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (err) => {
          settle();
          reject(err);
        },
      });
      worker.postMessage({ ...body, id });
    });
  }

  private failAll(err: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(err);
  }

  /** Ends the worker (its history and imported config with it); the next request starts a fresh one. */
  restart(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    this.failAll(new LintFailure({ kind: "internal", message: "the lint worker was restarted" }));
  }

  stop(): void {
    this.restart();
  }
}
