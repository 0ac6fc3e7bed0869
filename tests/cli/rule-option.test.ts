/** `--rule` values in ESLint's notation (src/cli/rule-option.ts). */
import { describe, expect, it } from "vitest";
import { parseRuleOptions } from "../../src/cli/rule-option.js";

describe("parseRuleOptions", () => {
  it.each([
    [["destructive-change: off"], { "destructive-change": "off" }],
    [['{"destructive-change": "warn"}'], { "destructive-change": "warn" }],
    [["destructive-change: 2"], { "destructive-change": 2 }],
    [["destructive-change: [error, {allowPreserved: true}]"], { "destructive-change": ["error", { allowPreserved: true }] }],
    [[`x: [warn, {n: 3, s: 'a b', t: "c", nothing: null, list: [1, two]}]`], { x: ["warn", { n: 3, s: "a b", t: "c", nothing: null, list: [1, "two"] }] }],
    [["a: off, b: warn"], { a: "off", b: "warn" }],
    [["@acme/no-x: warn"], { "@acme/no-x": "warn" }],
    [["a: off", "a: warn", "b: error"], { a: "warn", b: "error" }],
    [["__proto__: off"], JSON.parse('{"__proto__": "off"}')],
  ])("%j", (values, expected) => {
    expect(parseRuleOptions(values)).toEqual(expected);
  });

  it.each([
    ["destructive-change", 'expected ":" after "destructive-change"'],
    ["x: [warn", 'expected "," or "]"'],
    ["x: {a: 1", 'expected "," or "}"'],
    ["x: ", "a value is missing"],
    ["x: 'warn", "the ' quote is not closed"],
    ["", "no rule given"],
    ["x: warn extra: 1", 'expected ","'],
  ])("%j is refused: %s", (value, reason) => {
    expect(() => parseRuleOptions([value])).toThrow(reason);
  });
});
