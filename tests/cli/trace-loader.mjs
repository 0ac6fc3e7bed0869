/**
 * Preload for `node --import`: records every module the process loads into the
 * file named by MIGRATION_LINT_TRACE_FILE, one URL or path per line.
 * - ESM: a `resolve` hook (it runs in the loader thread, so this same file is
 *   registered as the hooks module and only registers from the main thread).
 * - CommonJS (including `createRequire` loads): `require.cache` at exit.
 */
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { isMainThread } from "node:worker_threads";

const traceFile = process.env.MIGRATION_LINT_TRACE_FILE;

if (isMainThread && traceFile) {
  register(import.meta.url);
  const require = createRequire(import.meta.url);
  process.on("exit", () => {
    const files = Object.keys(require.cache);
    if (files.length) appendFileSync(traceFile, files.map((f) => `cjs ${f}\n`).join(""));
  });
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (traceFile) appendFileSync(traceFile, `esm ${result.url}\n`);
  return result;
}
