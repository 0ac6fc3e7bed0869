/**
 * SARIF 2.1.0, as GitHub code scanning (and other SARIF viewers) read it:
 * one run, a rule descriptor for every rule that reported, one result per
 * finding, suppressed findings included with their `suppressions`.
 *
 * Paths are relative to the repository root (`context.repositoryRoot`, else
 * `cwd`) under the `%SRCROOT%` base id, as code scanning reads them,
 * whichever folder the linter ran in.
 */
import { own } from "../own.js";
import { packageVersion } from "../version.js";
import { pathToFileURL } from "node:url";
import { builtinRules } from "../../rules/index.js";
import type { RuleMeta } from "../engine/rule.js";
import type { Fix, LintMessage } from "../engine/results.js";
import { SourceText } from "../parse/source-text.js";
import type { Formatter, FormatterContext } from "./types.js";
import { escapeJsonControls, isOutside, relativePath, reportRoot, ruleIdOf, spanOf, type MessageSuppression, type SuppressedMessage } from "./util.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const INFORMATION_URI = "https://github.com/migration-lint/migration-lint";
/** Key of our finding id in `partialFingerprints`; bump the version if the fingerprint scheme changes. */
export const FINGERPRINT_KEY = "migrationLint/v1";
const SRCROOT = "%SRCROOT%";

/** The parts of rule meta the SARIF descriptors use. */
export interface SarifRuleMeta {
  docs?: Partial<Pick<RuleMeta["docs"], "description" | "url">>;
  defaultSeverity?: RuleMeta["defaultSeverity"];
}

/**
 * A formatter context may carry the meta of every configured rule, plugin
 * rules included (ESLint passes the same as `rulesMeta`); built-in rules are
 * known without it.
 */
export type SarifFormatterContext = FormatterContext & { rulesMeta?: Record<string, SarifRuleMeta> };

export interface SarifFormatterOptions {
  /** Rule meta by id (default: the built-in rules). */
  rules?: Record<string, SarifRuleMeta>;
  /** `tool.driver.version` (default: the version in migration-lint's package.json; null leaves it out). */
  version?: string | null;
}

/** Findings the engine reports itself, under these ids, have no rule module. */
const ENGINE_RULES: Record<string, { short: string; full: string; help: string; level?: Level }> = {
  "parse-error": {
    level: "error",
    short: "A migration statement that cannot be parsed.",
    full: "migration-lint could not parse a statement of the migration as PostgreSQL. Postgres rejects it too, so `prisma migrate deploy` fails on it.",
    help: "Fix the SQL of the statement: run it against a scratch database to see Postgres's own error.",
  },
  "file-error": {
    level: "error",
    short: "A migration that cannot be read.",
    full: "A migration folder has no readable migration.sql, so it could not be linted (and Prisma cannot apply it).",
    help: "Make sure every migration folder holds a readable migration.sql, or remove the stray folder.",
  },
  "internal-error": {
    level: "error",
    short: "A rule crashed while linting a migration.",
    full: "A rule threw an error on a migration and was skipped for the rest of it; everything else was linted.",
    help: "This is a bug in migration-lint or in the plugin that provides the rule; please report it with the migration that triggers it.",
  },
  "invalid-directive": {
    short: "A migration-lint directive comment that suppresses nothing.",
    full: "A migration-lint-disable comment without the required reason, or naming an unknown rule, suppresses nothing.",
    help: "Name existing rules and give the reason after ` -- `, e.g. `-- migration-lint-disable-next-line destructive-change -- table was emptied in release 42`.",
  },
  "unused-directive": {
    short: "A migration-lint directive comment with nothing to suppress.",
    full: "A migration-lint-disable comment that suppresses no finding: the finding it was written for is gone.",
    help: "Remove the comment.",
  },
};

type Level = "error" | "warning";

interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: Level };
}

const levelOf = (m: LintMessage): Level => (m.fatal || m.severity === 2 ? "error" : "warning");

/** The first sentence of a description, for `shortDescription`. */
function firstSentence(text: string): string {
  const match = /^.*?[.!?](?=\s|$)/s.exec(text.trim());
  return match ? match[0] : text.trim();
}

function descriptor(id: string, meta: SarifRuleMeta | undefined, first: LintMessage): ReportingDescriptor {
  const engine = own(ENGINE_RULES, id);
  const helpUri = meta?.docs?.url ?? first.docsUrl;
  const full = engine?.full ?? meta?.docs?.description ?? `Findings of the rule ${id}.`;
  const short = engine?.short ?? firstSentence(full);
  const helpText = engine?.help ?? full;
  const level: Level = engine?.level ?? (meta?.defaultSeverity ? (meta.defaultSeverity === "warn" ? "warning" : "error") : levelOf(first));
  return {
    id,
    name: id,
    shortDescription: { text: short },
    fullDescription: { text: full },
    ...(helpUri ? { helpUri } : {}),
    help: {
      text: helpUri ? `${helpText}\n\nDocumentation: ${helpUri}` : helpText,
      markdown: helpUri ? `${helpText}\n\n[Documentation](${helpUri})` : helpText,
    },
    defaultConfiguration: { level },
  };
}


/** Base URI of `%SRCROOT%`: the folder paths are relative to, as a file URI ending in a slash. */
function srcRoot(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith("/") ? href : `${href}/`;
}

function artifactLocation(root: string, filePath: string): { uri: string; uriBaseId?: string } {
  const rel = relativePath(root, filePath);
  if (isOutside(rel)) return { uri: pathToFileURL(filePath).href };
  return { uri: rel.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function suppressionsOf(m: SuppressedMessage) {
  const list: MessageSuppression[] = m.suppressions?.length ? m.suppressions : [{ kind: "directive" }];
  return list.map((s) => ({
    kind: s.kind === "directive" ? "inSource" : "external",
    ...(s.justification ? { justification: s.justification } : {}),
  }));
}

/** A text edit as a SARIF replacement: the region it replaces (line and column in the file's text, BOM excluded) and what it inserts. */
function replacement(fix: Fix, source: SourceText | null) {
  const [start, end] = fix.range;
  const deletedRegion = source
    ? (() => {
        const from = source.positionAt(start);
        const to = source.positionAt(end);
        return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
      })()
    : { charOffset: start, charLength: end - start };
  return { deletedRegion, insertedContent: { text: fix.text } };
}

/** SARIF 2.1.0 `fixes` (§3.55): the finding's fix first, then each suggestion, with the files a suggestion creates. */
function sarifFixes(m: LintMessage, filePath: string, context: FormatterContext) {
  const text = context.sourceOf(filePath);
  const source = text === undefined ? null : new SourceText(text);
  const root = reportRoot(context);
  const change = (fix: Fix) => ({ artifactLocation: artifactLocation(root, filePath), replacements: [replacement(fix, source)] });
  // a file the suggestion creates, or replaces whole (schema.prisma, whose text the run read)
  const created = (file: { filePath: string; text: string }) => ({
    artifactLocation: artifactLocation(root, file.filePath),
    replacements: [{ deletedRegion: { charOffset: 0, charLength: context.sourceOf(file.filePath)?.length ?? 0 }, insertedContent: { text: file.text } }],
  });
  return [
    ...(m.fix ? [{ description: { text: "Apply the fix (what `migration-lint --fix` writes)." }, artifactChanges: [change(m.fix)] }] : []),
    ...(m.suggestions ?? []).map((s) => ({ description: { text: s.desc }, artifactChanges: [change(s.fix), ...(s.files ?? []).map(created)] })),
  ];
}

export function createSarifFormatter(options: SarifFormatterOptions = {}): Formatter {
  return (results, context) => {
    const rulesMeta = (context as SarifFormatterContext).rulesMeta;
    const knownRules: Record<string, SarifRuleMeta | undefined> = options.rules ?? Object.fromEntries(Object.entries(builtinRules).map(([id, rule]) => [id, rule.meta as RuleMeta]));
    const version = options.version === undefined ? packageVersion() : options.version;

    const rules: ReportingDescriptor[] = [];
    const ruleIndex = new Map<string, number>();
    const indexOf = (m: LintMessage) => {
      const id = ruleIdOf(m);
      let index = ruleIndex.get(id);
      if (index === undefined) {
        index = rules.push(descriptor(id, own(rulesMeta, id) ?? own(knownRules, id), m)) - 1;
        ruleIndex.set(id, index);
      }
      return index;
    };

    const sarifResults: unknown[] = [];
    const add = (filePath: string, m: LintMessage, suppressed: boolean) => {
      const span = spanOf(m);
      sarifResults.push({
        ruleId: ruleIdOf(m),
        ruleIndex: indexOf(m),
        level: levelOf(m),
        message: { text: m.help ? `${m.message}\n${m.help}` : m.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(reportRoot(context), filePath),
              region: {
                startLine: span.line,
                startColumn: span.column,
                ...(span.end ? { endLine: span.end.line, endColumn: span.end.column } : {}),
              },
            },
          },
        ],
        ...(m.fingerprint ? { partialFingerprints: { [FINGERPRINT_KEY]: m.fingerprint } } : {}),
        ...(suppressed ? { suppressions: suppressionsOf(m as SuppressedMessage) } : {}),
        ...(m.fix || m.suggestions?.length ? { fixes: sarifFixes(m, filePath, context) } : {}),
      });
    };
    for (const result of results) {
      for (const m of result.messages) add(result.filePath, m, false);
      for (const m of result.suppressedMessages ?? []) add(result.filePath, m, true);
    }

    const log = {
      $schema: SARIF_SCHEMA,
      version: "2.1.0",
      runs: [
        {
          tool: {
            driver: {
              name: "migration-lint",
              informationUri: INFORMATION_URI,
              ...(version ? { version, semanticVersion: version } : {}),
              rules,
            },
          },
          originalUriBaseIds: { [SRCROOT]: { uri: srcRoot(reportRoot(context)) } },
          columnKind: "utf16CodeUnits",
          results: sarifResults,
        },
      ],
    };
    return `${escapeJsonControls(JSON.stringify(log, null, 2))}\n`;
  };
}

const sarif: Formatter = createSarifFormatter();
export default sarif;
