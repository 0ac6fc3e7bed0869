import type { RuleModule } from "../src/engine/rule.js";
export const RULES_TABLE_START: string;
export const RULES_TABLE_END: string;
export function renderRulesTable(rules: Record<string, RuleModule<any>>): string;
