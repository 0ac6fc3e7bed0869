/**
 * A report's `fix` and `suggest` turned into the message's `fix` and `suggestions`, as ESLint does: only
 * from a rule that declares them (`meta.fixable`, `meta.hasSuggestions`), and never at the cost of the
 * finding: a fixer that throws, or one the rule did not declare, loses its edit and says why.
 */
import { own } from "../own.js";
import { buildFix } from "./fixer.js";
import type { Fix, Suggestion } from "./results.js";
import { interpolate, type ReportDescriptor, type RuleMeta, type SuggestionDescriptor } from "./rule.js";

export interface ReportFixes {
  fix?: Fix;
  suggestions?: Suggestion[];
  /** Why an edit the rule gave was dropped (the finding stays): one sentence each. */
  problems: string[];
  /** Suggestions whose schema part is completed when the report is built (SuggestionDescriptor.fromSchema): see completeSuggestion. */
  later?: LaterSuggestion[];
}

export interface LaterSuggestion {
  suggestion: Suggestion;
  descriptor: SuggestionDescriptor;
  template: string | undefined;
}

export function reportFixes(meta: RuleMeta, descriptor: ReportDescriptor, text: string, ownFile: boolean): ReportFixes {
  const out: ReportFixes = { problems: [] };
  const attempt = <T>(what: string, run: () => T): T | undefined => {
    try {
      return run();
    } catch (err) {
      out.problems.push(`its ${what} threw (${describe(err)}); the finding is reported without it`);
      return undefined;
    }
  };
  if (descriptor.fix !== undefined) {
    if (!meta.fixable) out.problems.push('it reported a fix without declaring meta.fixable ("code"); the fix was dropped');
    else if (!ownFile) out.problems.push("it reported a fix on a finding in another file; a fix edits the migration itself, so it was dropped");
    else if (typeof descriptor.fix !== "function") out.problems.push("its fix is not a function of the fixer; the fix was dropped");
    else {
      const fix = attempt("fix", () => buildFix(descriptor.fix!, text));
      if (fix) out.fix = fix;
    }
  }
  if (descriptor.suggest !== undefined) {
    if (!meta.hasSuggestions) out.problems.push("it reported suggestions without declaring meta.hasSuggestions; they were dropped");
    else if (!ownFile) out.problems.push("it reported suggestions on a finding in another file; they were dropped");
    else if (!Array.isArray(descriptor.suggest)) out.problems.push("its suggest is not an array; it was dropped");
    else {
      const suggestions: Suggestion[] = [];
      for (const [i, s] of descriptor.suggest.entries()) {
        const suggestion = attempt(`suggestion ${i + 1}`, () => buildSuggestion(meta, descriptor, s, text));
        if (suggestion) suggestions.push(suggestion);
        if (suggestion && typeof s.fromSchema === "function") (out.later ??= []).push({ suggestion, descriptor: s, template: s.messageId === undefined ? undefined : own(meta.messages, s.messageId) });
      }
      if (suggestions.length) out.suggestions = suggestions;
    }
  }
  return out;
}

function buildSuggestion(meta: RuleMeta, descriptor: ReportDescriptor, s: NonNullable<ReportDescriptor["suggest"]>[number], text: string): Suggestion | undefined {
  let desc: string;
  // a suggestion with a schema part says what it does once that is known (completeSuggestion)
  if (typeof s.fromSchema === "function") desc = "";
  else if (s.messageId !== undefined) {
    const template = own(meta.messages, s.messageId);
    if (template === undefined) throw new Error(`unknown messageId "${s.messageId}"`);
    desc = interpolate(template, s.data ?? descriptor.data);
  } else if (typeof s.desc === "string" && s.desc) desc = s.desc;
  else throw new Error("a suggestion needs a messageId or a desc");
  if (typeof s.fix !== "function") throw new Error("a suggestion's fix must be a function of the fixer");
  // a suggestion that only creates files edits nothing here: an empty edit at the start
  const fix = buildFix(s.fix, text) ?? { range: [0, 0], text: "" };
  const files = s.files?.map((f) => {
    if (typeof f?.filePath !== "string" || typeof f.text !== "string") throw new Error("a suggestion's files are { filePath, text }");
    return { filePath: f.filePath, text: f.text };
  });
  return { desc, ...(s.messageId !== undefined ? { messageId: s.messageId } : {}), fix, ...(files?.length ? { files } : {}) };
}

/**
 * A suggestion's schema part, now that the lint is done: false when it drops the suggestion, else its description
 * (from the part's `data`, else the report's, completed) and the files it rewrites are filled in. Throws what the part throws.
 */
export function completeSuggestion(later: LaterSuggestion, reportData: Record<string, string | number>): boolean {
  const part = later.descriptor.fromSchema!();
  if (!part) return false;
  const { suggestion, descriptor } = later;
  if (later.template !== undefined) suggestion.desc = interpolate(later.template, part.data ?? descriptor.data ?? reportData);
  else if (typeof descriptor.desc === "string" && descriptor.desc) suggestion.desc = descriptor.desc;
  else throw new Error("a suggestion needs a messageId or a desc");
  const files = [...(descriptor.files ?? []), ...(part.files ?? [])].map((f) => {
    if (typeof f?.filePath !== "string" || typeof f.text !== "string") throw new Error("a suggestion's files are { filePath, text }");
    return { filePath: f.filePath, text: f.text };
  });
  if (files.length) suggestion.files = files;
  return true;
}

function describe(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return "a value that cannot be printed";
  }
}
