/**
 * Drift-only's session is read-only because replay checks it, not because it
 * asked: a server (or a pooler between) that did not apply the settings ends
 * the run. A real server always applies them, so this runs against a stand-in
 * for node-postgres that reports what a misbehaving one would.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";

const state = vi.hoisted(() => ({ sent: [] as string[], readOnly: "on", conforming: "on" }));

vi.mock("pg", () => {
  class Client {
    on(): void {}
    async connect(): Promise<void> {}
    async end(): Promise<void> {}
    async query(query: string | { text: string }): Promise<{ rows: unknown[] }> {
      const text = typeof query === "string" ? query : query.text;
      state.sent.push(text);
      if (text.includes("current_setting('transaction_read_only')")) return { rows: [{ readOnly: state.readOnly, conforming: state.conforming }] };
      if (text.includes("server_version_num")) return { rows: [{ v: "160000" }] };
      return { rows: [] };
    }
  }
  return { default: { Client } };
});

const { openReadOnly } = await import("../../src/replay/target.js");

describe("drift-only's read-only session is checked", () => {
  beforeEach(() => {
    state.sent = [];
    state.readOnly = "on";
    state.conforming = "on";
  });

  it("forces standard_conforming_strings on and READ ONLY, then reads both back", async () => {
    const target = await openReadOnly("postgresql://u:pw@db.example.com/prod");
    await target.cleanup();
    expect(state.sent.slice(0, 4)).toEqual([
      "SET standard_conforming_strings = on",
      "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
      "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY",
      expect.stringContaining("current_setting('transaction_read_only')"),
    ]);
  });

  it.each([
    ["transaction_read_only", { readOnly: "off" }],
    ["standard_conforming_strings", { conforming: "off" }],
  ])("ends the run when the session reports %s off", async (setting, reported) => {
    Object.assign(state, reported);
    const error = await openReadOnly("postgresql://u:pw@db.example.com/prod").catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(new RegExp(`^Cannot open a read-only transaction on postgresql://u:\\*\\*\\*@db\\.example\\.com/prod: .*${setting} = off`));
    expect(state.sent.some((text) => text.startsWith("SELECT CAST") || text.includes("pg_class"))).toBe(false);
  });
});
