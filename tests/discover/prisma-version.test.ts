import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  detectPrismaVersion,
  minVersionOfRange,
  versionFromBunLock,
  versionFromPnpmLock,
  versionFromYarnLock,
} from "../../src/discover/prisma-version.js";
import { fixture, tempDir, writeTree } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
async function temp(files: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  await writeTree(dir, files);
  return dir;
}

describe("detectPrismaVersion", () => {
  it("reads package-lock.json", async () => {
    expect(await detectPrismaVersion(fixture("versions", "npm"))).toEqual({ version: "5.14.0", source: "package-lock.json" });
  });

  it("reads pnpm-lock.yaml (v6)", async () => {
    expect(await detectPrismaVersion(fixture("versions", "pnpm-v6"))).toEqual({ version: "4.16.2", source: "pnpm-lock.yaml" });
  });

  it("reads yarn.lock (classic and berry)", async () => {
    expect(await detectPrismaVersion(fixture("versions", "yarn-classic"))).toEqual({ version: "5.3.1", source: "yarn.lock" });
    expect(await detectPrismaVersion(fixture("versions", "yarn-berry"))).toEqual({ version: "6.1.0", source: "yarn.lock" });
  });

  it("reads bun.lock", async () => {
    expect(await detectPrismaVersion(fixture("versions", "bun"))).toEqual({ version: "6.2.1", source: "bun.lock" });
  });

  it("falls back to the minimum of a package.json range (skipping latest)", async () => {
    expect(await detectPrismaVersion(fixture("versions", "range"))).toEqual({ version: "5.7.1", source: "package.json" });
  });

  it("walks up to the monorepo lockfile, which beats the package's own range", async () => {
    expect(await detectPrismaVersion(fixture("monorepo", "packages", "a"))).toEqual({ version: "5.22.0", source: "pnpm-lock.yaml" });
    expect(await detectPrismaVersion(fixture("monorepo", "packages", "a", "prisma"))).toEqual({ version: "5.22.0", source: "pnpm-lock.yaml" });
  });

  it("prefers an installed node_modules/prisma over lockfiles", async () => {
    const dir = await temp({
      "package.json": JSON.stringify({ devDependencies: { prisma: "^5.0.0" } }),
      "package-lock.json": JSON.stringify({ lockfileVersion: 3, packages: { "node_modules/prisma": { version: "5.1.0" } } }),
      "node_modules/prisma/package.json": JSON.stringify({ name: "prisma", version: "5.9.1" }),
    });
    expect(await detectPrismaVersion(dir)).toEqual({ version: "5.9.1", source: "node_modules" });
  });

  it("uses node_modules/@prisma/client when prisma itself is not installed", async () => {
    const dir = await temp({
      "apps/web/package.json": JSON.stringify({ dependencies: { "@prisma/client": "^6" } }),
      "node_modules/@prisma/client/package.json": JSON.stringify({ name: "@prisma/client", version: "6.3.0" }),
    });
    expect(await detectPrismaVersion(path.join(dir, "apps", "web"))).toEqual({ version: "6.3.0", source: "node_modules" });
  });

  it("prefers the project's nested entry in a workspace package-lock.json", async () => {
    const dir = await temp({
      "package-lock.json": JSON.stringify({
        lockfileVersion: 3,
        packages: {
          "node_modules/prisma": { version: "5.0.0" },
          "apps/api/node_modules/prisma": { version: "6.5.0" },
        },
      }),
      "apps/api/package.json": "{}",
    });
    expect(await detectPrismaVersion(path.join(dir, "apps", "api"))).toEqual({ version: "6.5.0", source: "package-lock.json" });
  });

  it("skips unreadable and malformed files and returns null when nothing is known", async () => {
    const dir = await temp({
      "package.json": "{ not json",
      "package-lock.json": "{}",
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "yarn.lock": "# yarn lockfile v1\n",
      "node_modules/prisma/package.json": "{}",
    });
    expect(await detectPrismaVersion(dir)).toBeNull();
    const ws = await temp({ "package.json": JSON.stringify({ devDependencies: { prisma: "workspace:*" }, dependencies: { "@prisma/client": "*" } }) });
    expect(await detectPrismaVersion(ws)).toBeNull();
  });

  it("returns null for a missing directory", async () => {
    const dir = await temp({});
    expect(await detectPrismaVersion(path.join(dir, "nope", "deeper"))).toBeNull();
  });
});

describe("lockfile readers", () => {
  it("pnpm: v5, v6 and v9 keys, not @prisma/client first", () => {
    expect(versionFromPnpmLock("packages:\n\n  /prisma/4.8.1:\n    resolution: {}\n")).toBe("4.8.1");
    expect(versionFromPnpmLock("packages:\n\n  /@prisma/client/4.8.1:\n    dev: false\n  /prisma@4.9.0:\n    dev: true\n")).toBe("4.9.0");
    expect(versionFromPnpmLock("packages:\n\n  prisma@6.0.1(typescript@5.6.3):\n    resolution: {}\n")).toBe("6.0.1");
    expect(versionFromPnpmLock("packages:\n\n  '@prisma/client@5.2.0':\n    resolution: {}\n")).toBe("5.2.0");
    expect(versionFromPnpmLock("packages:\n\n  prisma-dbml-generator@0.10.0:\n    resolution: {}\n")).toBeNull();
  });

  it("yarn: multi-pattern headers", () => {
    expect(versionFromYarnLock('"prisma@^5.0.0", prisma@^5.2.0:\n  version "5.2.0"\n')).toBe("5.2.0");
    expect(versionFromYarnLock('prisma-foo@^1.0.0:\n  version "1.0.0"\n')).toBeNull();
  });

  it("bun", () => {
    expect(versionFromBunLock('"@prisma/client": ["@prisma/client@6.0.0", "", {}, "sha512-x"],')).toBe("6.0.0");
  });

  it("minimum version of a range", () => {
    expect(minVersionOfRange("^5.10.2")).toBe("5.10.2");
    expect(minVersionOfRange("~5.1")).toBe("5.1.0");
    expect(minVersionOfRange(">=5.0.0 <6")).toBe("5.0.0");
    expect(minVersionOfRange("^6 || ^5.3")).toBe("5.3.0");
    expect(minVersionOfRange("5.x")).toBe("5.0.0");
    expect(minVersionOfRange("=4.16.2")).toBe("4.16.2");
    expect(minVersionOfRange("npm:prisma@^5.4.0")).toBe("5.4.0");
    expect(minVersionOfRange("latest")).toBeNull();
    expect(minVersionOfRange("*")).toBeNull();
    expect(minVersionOfRange("workspace:^")).toBeNull();
    expect(minVersionOfRange("github:prisma/prisma")).toBeNull();
  });
});
