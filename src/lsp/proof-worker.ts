/**
 * The language server's proof worker: proves a fix before the editor gets its edit (issue 17: "every fix is
 * proven before it is written"), with the proof `--fix` runs (src/fix: proveMigrationEdit, PGlite replaying the
 * history before and after). A replay keeps a thread busy for seconds; here it keeps neither the server's thread
 * (the protocol, diagnostics) nor the lint worker's. No user code runs here. One proof at a time, in order.
 */
import { parentPort } from "node:worker_threads";
import type { ResidentWorkerMessage } from "../cli/resident-worker.js";
import { errorMessage } from "../errors.js";
import { proveMigrationEdit } from "../fix/index.js";
import type { Proof } from "../fix/prove.js";
import type { ProofRequest } from "./protocol.js";

let queue = Promise.resolve();
parentPort!.on("message", (request: ProofRequest) => {
  queue = queue.then(async () => {
    let proof: Proof;
    try {
      proof = await proveMigrationEdit(request, request.migration, request.text, new Map(request.unsaved));
    } catch (err) {
      proof = { proven: false, reason: `the proof failed: ${errorMessage(err)}` };
    }
    parentPort!.postMessage({ id: request.id, ok: true, value: proof } satisfies ResidentWorkerMessage);
  });
});
