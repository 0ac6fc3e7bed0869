/**
 * `--format html` opened in a real browser: Debian's Chromium, driven by playwright-core (never a browser it
 * downloads). Renders the example project, the hostile project of tests/formatters/html-project.ts and, when
 * ../shared/corpus is there, trigger.dev's 820 migrations; clicks the severity and rule filters and checks what
 * is shown; checks that the page makes no request but its own file, runs no injected markup, and that its
 * Content-Security-Policy lets its own script run (a blocked one would leave the counter empty and log an
 * error). Screenshots go to a temporary folder whose path is printed. Skipped with the reason where Chromium
 * is missing (.ci/run installs it as root).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { ROOT, temp } from "./hosts.js";
import { HOSTILE_MIGRATION, hostileProject } from "../formatters/html-project.js";
import { CORPUS } from "../corpus/projects.js";

const CHROMIUM = "/usr/bin/chromium";
const BIN = path.join(ROOT, "bin", "migration-lint.js");
const TRIGGER = path.join(CORPUS, "triggerdotdev__trigger.dev", "internal-packages", "database");
const skipReason = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium as root)`;
const SHOTS = mkdtempSync(path.join(os.tmpdir(), "migration-lint-html-shots-"));

/** Writes the HTML report of the project at `cwd` with the built CLI and returns its path. */
function report(cwd: string, name: string): string {
  const file = path.join(temp("migration-lint-html-"), `${name}.html`);
  const run = spawnSync(process.execPath, [BIN, "--cwd", cwd, "--no-baseline", "-f", `html:${file}`], { encoding: "utf8" });
  if (run.status !== 1) throw new Error(`migration-lint exited with ${run.status}: ${run.stderr}`);
  return file;
}

interface Opened {
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console errors (a CSP violation is one) and uncaught page errors. */
  errors: string[];
  dialogs: string[];
  loadMs: number;
}

let context: BrowserContext | undefined;
let profile: string | undefined;

async function open(file: string): Promise<Opened> {
  if (!context) {
    const { chromium } = await import("playwright-core");
    profile = mkdtempSync(path.join(os.tmpdir(), "migration-lint-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
    });
  }
  const page = await context.newPage();
  const opened: Opened = { page, requests: [], errors: [], dialogs: [], loadMs: 0 };
  page.on("request", (r) => opened.requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && opened.errors.push(m.text()));
  page.on("pageerror", (e) => opened.errors.push(e.message));
  page.on("dialog", (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  // anything but the report itself is refused, so that a leak shows as a recorded request, never as traffic
  const self = pathToFileURL(file).href;
  await page.route("**/*", (route) => (route.request().url() === self ? route.continue() : route.abort()));
  await page.goto(self, { waitUntil: "load" });
  opened.loadMs = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
  return opened;
}

/** What the filters leave on screen: findings by severity and rule, and the migrations shown. */
function shown(page: Page) {
  return page.evaluate(() => {
    const visible = (el: Element) => el.checkVisibility();
    const findings = [...document.querySelectorAll(".finding")].filter(visible);
    return {
      errors: findings.filter((f) => f.getAttribute("data-severity") === "error").length,
      warnings: findings.filter((f) => f.getAttribute("data-severity") === "warning").length,
      rules: [...new Set(findings.map((f) => f.getAttribute("data-rule")))].sort(),
      migrations: [...document.querySelectorAll("li.migration")].filter(visible).map((m) => m.querySelector(".name")!.textContent),
      counter: document.getElementById("shown")!.textContent,
    };
  });
}

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  console.log(`HTML report screenshots: ${SHOTS}`);
});

describe.skipIf(skipReason)(`--format html in headless Chromium${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("filters the example project's findings by severity and rule, and loads nothing", { timeout: 120_000 }, async () => {
    const { page, requests, errors, dialogs } = await open(report(path.join(ROOT, "fixtures", "example"), "example"));
    expect(await shown(page)).toEqual({
      errors: 5,
      warnings: 1,
      rules: ["column-type-change", "destructive-change", "implicit-rename", "require-concurrently"],
      migrations: ["20240402101000_rename_name", "20240515143000_remove_guest_role", "20240601090000_drop_coupons", "20240620100000_index_orders_created"],
      counter: "Showing 6 findings in 4 of 7 migrations",
    });
    await page.screenshot({ path: path.join(SHOTS, "example.png"), fullPage: true });

    await page.getByLabel("Errors").uncheck();
    expect(await shown(page)).toMatchObject({ errors: 0, warnings: 1, migrations: ["20240620100000_index_orders_created"], counter: "Showing 1 finding in 1 of 7 migrations" });
    await page.getByLabel("Warnings").uncheck();
    await page.getByLabel("Clean migrations").check();
    expect(await shown(page)).toMatchObject({ errors: 0, warnings: 0, migrations: ["20240105093000_init", "20240212120000_add_profile", "20240310081500_order_status"] });
    await page.getByLabel("Errors").check();
    await page.getByLabel("Clean migrations").uncheck();
    await page.getByLabel("Rule").selectOption({ label: "destructive-change (3)" });
    expect(await shown(page)).toMatchObject({ errors: 3, warnings: 0, rules: ["destructive-change"], counter: "Showing 3 findings in 3 of 7 migrations" });

    // newest first turns the timeline around
    await page.getByLabel("Newest first").check();
    const tops = await page.locator("li.migration:not([hidden])").evaluateAll((items) => items.map((li) => li.getBoundingClientRect().top));
    expect(tops).toHaveLength(3);
    expect([...tops].sort((a, b) => b - a)).toEqual(tops);
    await page.getByLabel("Newest first").uncheck();

    // a click on the timeline strip goes to the migration, in the page
    await page.getByLabel("Rule").selectOption({ label: "All rules" });
    await page.locator(".strip a").nth(5).click();
    expect(new URL(page.url()).hash).toBe("#m-5");

    expect(requests).toEqual([page.url().replace(/#.*$/, "")]);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it("shows hostile names as text: no element, handler or script from the project runs", { timeout: 120_000 }, async () => {
    const root = hostileProject();
    try {
      const { page, requests, errors, dialogs } = await open(report(root, "hostile"));
      await page.getByLabel("Clean migrations").check();
      expect(await page.locator(".name").allTextContents()).toEqual(["20240101000000_init", HOSTILE_MIGRATION]);
      expect(await page.evaluate(() => ({ scripts: document.scripts.length, images: document.images.length, handlers: document.querySelectorAll("[onerror],[onload],[onclick]").length }))).toEqual({ scripts: 1, images: 0, handlers: 0 });
      expect(await page.locator(".finding .message").nth(1).textContent()).toContain('"x""<script>alert(1)</script>"');
      await page.screenshot({ path: path.join(SHOTS, "hostile.png"), fullPage: true });
      expect(requests).toHaveLength(1);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const noCorpus = existsSync(TRIGGER) ? undefined : `no corpus at ${CORPUS}`;
  it.skipIf(noCorpus)(`stays usable on trigger.dev's 820 migrations${noCorpus ? ` (skipped: ${noCorpus})` : ""}`, { timeout: 300_000 }, async () => {
    const file = report(TRIGGER, "trigger.dev");
    const bytes = statSync(file).size;
    const gzipped = gzipSync(readFileSync(file)).length;
    const { page, requests, errors, loadMs } = await open(file);
    const all = await shown(page);
    const header = await page.locator(".totals").textContent();
    console.log(`trigger.dev HTML report: ${bytes} bytes (${gzipped} gzipped), loaded in ${Math.round(loadMs)} ms; ${all.counter}`);
    expect(header).toContain(`${all.errors} errors`);
    expect(all.migrations.length).toBeGreaterThan(100);
    // a report people open: a few MB at most (its load time is printed, not asserted: CI load varies)
    expect(bytes).toBeLessThan(6_000_000);
    await page.screenshot({ path: path.join(SHOTS, "trigger.dev.png") });

    const started = Date.now();
    await page.getByLabel("Warnings").uncheck();
    const errorsOnly = await shown(page);
    console.log(`trigger.dev: the Warnings filter applied in ${Date.now() - started} ms`);
    expect(errorsOnly).toMatchObject({ errors: all.errors, warnings: 0 });
    expect(errorsOnly.migrations.length).toBeLessThan(all.migrations.length);
    expect(requests).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
