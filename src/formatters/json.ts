import type { LintResult } from "../engine/results.js";
import type { Formatter } from "./types.js";
import { escapeJsonControls } from "./util.js";

/** ESLint's JSON result shape, unchanged: an array of per-file results, in pieces of one result each. */
function* chunks(results: LintResult[]): Iterable<string> {
  yield "[";
  for (const [i, result] of results.entries()) yield `${i ? "," : ""}${escapeJsonControls(JSON.stringify(result))}`;
  yield "]";
}

/** The same data as JSON.stringify(results), with DEL, C1 and bidi controls escaped as \\uXXXX too. */
const json: Formatter = Object.assign((results: LintResult[]) => [...chunks(results)].join(""), { chunks });
export default json;
