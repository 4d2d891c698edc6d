/**
 * Debian's Chromium, headless, for the browser test of the HTML plan report: found or installed by
 * tools/chromium/ensure.sh, driven with playwright-core (which brings no browser of its own), with
 * the launch flags that keep it from hanging on a closed network, in a fresh profile per launch.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const REPO = join(__dirname, "..", "..", "..");

/** Flags for this machine: no sandbox as root, no GPU, and nothing that phones home. */
export const CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/** The browser's path from tools/chromium/ensure.sh (installing it when missing); throws, never skips. */
export function ensureChromium(): string {
    const r = spawnSync(join(REPO, "tools", "chromium", "ensure.sh"), [], {
        encoding: "utf8",
        timeout: 600_000,
        stdio: ["ignore", "pipe", "pipe"],
    });
    const path = r.stdout.trim().split("\n").pop() ?? "";
    if (r.status !== 0 || path === "")
        throw new Error(
            `no Chromium for the browser test (tools/chromium/ensure.sh exited ${r.status ?? r.signal}):\n${r.stderr}`,
        );
    return path;
}

/** What a page did while it loaded. */
export interface PageLog {
    /** Console messages of type error (Chromium reports CSP refusals there too). */
    consoleErrors: string[];
    /** Uncaught page errors. */
    pageErrors: string[];
    /** `securitypolicyviolation` events: "<directive> <blocked URI>". */
    cspViolations: string[];
    /** Every URL the page requested, the document included. */
    requests: string[];
}

/** A headless Chromium with a fresh profile; `close()` removes the profile. */
export class HeadlessChromium {
    private constructor(
        private readonly context: BrowserContext,
        private readonly profile: string,
    ) {}

    static async launch(executablePath: string): Promise<HeadlessChromium> {
        const profile = mkdtempSync(join(tmpdir(), "plan-report-chromium-"));
        const context = await chromium.launchPersistentContext(profile, {
            executablePath,
            headless: true,
            args: CHROMIUM_ARGS,
            viewport: { width: 1280, height: 900 },
            timeout: 60_000,
        });
        return new HeadlessChromium(context, profile);
    }

    /** Opens `url` in a new page and records what it logs, requests and refuses until it has loaded. */
    async open(url: string): Promise<{ page: Page; log: PageLog }> {
        const page = await this.context.newPage();
        const log: PageLog = { consoleErrors: [], pageErrors: [], cspViolations: [], requests: [] };
        page.on("console", (m) => {
            if (m.type() === "error") log.consoleErrors.push(m.text());
        });
        page.on("pageerror", (e) => log.pageErrors.push(e.message));
        page.on("request", (r) => log.requests.push(r.url()));
        // Injected by the browser before any page script, so the page's CSP does not apply to it.
        await page.exposeFunction("__reportCsp", (v: string) => log.cspViolations.push(v));
        await page.addInitScript({
            content: `document.addEventListener("securitypolicyviolation", (e) => { void window.__reportCsp(e.violatedDirective + " " + e.blockedURI); });`,
        });
        await page.goto(url, { waitUntil: "load" });
        // Violation events are dispatched asynchronously; let them arrive.
        await page.waitForTimeout(100);
        return { page, log };
    }

    async close(): Promise<void> {
        await this.context.close();
        rmSync(this.profile, { recursive: true, force: true });
    }
}
