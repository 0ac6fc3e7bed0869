/**
 * JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure
 * Pipelines, CircleCI): one test suite per file, one failing test case per
 * finding, and one passing test case for a file without findings.
 *
 * Errors and warnings are `<failure>`s; findings that stopped a file from
 * being understood (fatal: parse and file errors) are `<error>`s.
 */
import type { LintMessage } from "../engine/results.js";
import type { Formatter } from "./types.js";
import { relativePath, reportRoot, ruleIdOf, severityLabel, showControls } from "./util.js";

/** Characters XML 1.0 cannot hold at all, even escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes element text. */
export function xmlText(value: string): string {
  return value.replace(INVALID_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes an attribute value (double-quoted); whitespace is kept as character references so that parsers do not normalize it away. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

/**
 * Control characters are shown escaped (XML 1.0 cannot hold most of them, and CI logs print these reports);
 * line breaks inside a value are kept as character references, so the data parses back the same and no
 * line of the file starts with what a message put there.
 */
const shown = (value: string) => showControls(value, { keepLineBreaks: true });
const attrs = (pairs: Array<[string, string | number]>) => pairs.map(([k, v]) => ` ${k}="${xmlAttr(shown(String(v)))}"`).join("");

/** The failure's text, XML-escaped: one line per part. */
function details(m: LintMessage): string {
  const lines = [`line ${m.line}, col ${m.column}, ${severityLabel(m)} - ${m.message} (${ruleIdOf(m)})`];
  if (m.help) lines.push(`help: ${m.help}`);
  if (m.docsUrl) lines.push(`docs: ${m.docsUrl}`);
  if (m.fingerprint) lines.push(`id: ${m.fingerprint}`);
  return lines.map((line) => xmlText(shown(line)).replace(/\r/g, "&#13;").replace(/\n/g, "&#10;")).join("\n");
}

const junit: Formatter = (results, context) => {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;

  for (const result of results) {
    const file = relativePath(reportRoot(context), result.filePath);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    for (const m of result.messages) {
      const element = m.fatal ? "error" : "failure";
      if (m.fatal) suiteErrors++;
      else suiteFailures++;
      const type = m.severity === 2 ? "error" : "warning";
      cases.push(
        `    <testcase${attrs([["classname", file], ["name", ruleIdOf(m)], ["time", 0]])}>\n` +
          `      <${element}${attrs([["message", m.message], ["type", type]])}>${details(m)}</${element}>\n` +
          `    </testcase>`,
      );
    }
    if (!cases.length) cases.push(`    <testcase${attrs([["classname", file], ["name", "migration-lint"], ["time", 0]])} />`);
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    suites.push(
      `  <testsuite${attrs([["name", file], ["tests", cases.length], ["failures", suiteFailures], ["errors", suiteErrors], ["time", 0]])}>\n${cases.join("\n")}\n  </testsuite>`,
    );
  }

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attrs([["name", "migration-lint"], ["tests", tests], ["failures", failures], ["errors", errors], ["time", 0]])}>`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
};

export default junit;
