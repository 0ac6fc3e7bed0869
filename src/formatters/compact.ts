/**
 * ESLint's compact format: one line per finding, with the absolute path, so
 * editors and CI problem matchers can parse it.
 *
 *   /abs/path/migration.sql: line 3, col 1, Error - Drops table "User" ... (destructive-change)
 *
 *   1 problem
 */
import type { Formatter } from "./types.js";
import { severityLabel, showControls } from "./util.js";

/** Line breaks inside a message would split a finding over several lines: fold them. */
const oneLine = (text: string) => text.replace(/\s*(?:\r\n|\r|\n)\s*/g, " ");

const compact: Formatter = (results) => {
  let output = "";
  let total = 0;
  for (const result of results) {
    total += result.messages.length;
    for (const m of result.messages) {
      output += `${showControls(result.filePath)}: line ${m.line || 0}, col ${m.column || 0}, ${severityLabel(m)} - ${showControls(oneLine(m.message))}`;
      output += m.ruleId ? ` (${showControls(m.ruleId)})` : "";
      output += m.fingerprint ? ` [${m.fingerprint}]` : "";
      output += "\n";
    }
  }
  if (total > 0) output += `\n${total} problem${total === 1 ? "" : "s"}`;
  return output;
};

export default compact;
