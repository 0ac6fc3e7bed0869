/** The Markdown report for a GitHub Actions step summary: the same as `markdown`, cut at the summary's 1 MiB instead of a comment's 65,536 characters. */
import { markdownReport, STEP_SUMMARY_LIMIT } from "./markdown.js";

export default markdownReport(STEP_SUMMARY_LIMIT, (text) => Buffer.byteLength(text, "utf8"), "bytes, the most a step summary holds", "Run migration-lint locally (or with `--format json`) for every finding.");
