import type { Formatter } from "./types.js";

/** ESLint's JSON result shape, unchanged: an array of per-file results. */
const json: Formatter = (results) => JSON.stringify(results);
export default json;
