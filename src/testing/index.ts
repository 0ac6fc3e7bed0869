/**
 * `migration-lint/testing`: the data-driven rule tester, for built-in rules
 * and plugin authors alike.
 */
export { RuleTester, runRuleCase, runRuleCases, checkInvalid } from "./rule-tester.js";
export type { RuleTestCase, InvalidRuleTestCase, RuleCases } from "./rule-tester.js";
