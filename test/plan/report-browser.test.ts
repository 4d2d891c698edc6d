import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderHtml } from "../../scripts/plan/html";
import { ensureChromium, HeadlessChromium } from "./browser-harness";
import { planDocument } from "./fixtures/plan-document";

/**
 * The HTML plan report as a person sees it: opened from disk in Debian's Chromium, headless. It
 * must render without script or network, show the four layers of the diagram in deploy order with
 * the arrows between them, break no CSP rule, and leave a screenshot for a human to look at.
 * Chromium comes from tools/chromium/ensure.sh: no browser is a failure, never a skip.
 */

const REPO = join(__dirname, "..", "..", "..");
const SCREENSHOT = join(REPO, "dist", "test-artifacts", "plan-report.png");
const DEPLOY_ORDER = ["foundation", "data", "secrets", "services"];

describe("the HTML plan report in headless Chromium", function () {
    // The first run may install Chromium (apt-get); later runs take a few seconds.
    this.timeout(600_000);
    let browser: HeadlessChromium | undefined;
    let dir = "";
    const chrome = (): HeadlessChromium => {
        if (!browser) throw new Error("Chromium did not start (see the before hook)");
        return browser;
    };

    before(async () => {
        browser = await HeadlessChromium.launch(ensureChromium());
        dir = mkdtempSync(join(tmpdir(), "plan-report-html-"));
    });
    after(async () => {
        await browser?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** The report of `html` written to a file and opened from it, like a downloaded artifact. */
    const openHtml = async (name: string, html: string) => {
        const file = join(dir, name);
        writeFileSync(file, html);
        return chrome().open(pathToFileURL(file).href);
    };

    it("renders the diagram's four layers in deploy order with the arrows, loads nothing, breaks no CSP rule, and is screenshotted", async function () {
        this.timeout(30_000);
        const doc = planDocument();
        // Listed out of order: the report must draw them in deploy order all the same.
        doc.layers.reverse();
        const { page, log } = await openHtml("report.html", renderHtml(doc));

        expect(await page.title()).to.equal("Plan of stack dev (0123456789ab)");
        const boxes: { layer: string; x: number; y: number }[] = [];
        for (const layer of DEPLOY_ORDER) {
            const box = page.locator(`svg.diagram [data-layer="${layer}"]`);
            expect(await box.count(), layer).to.equal(1);
            expect(await box.isVisible(), `${layer} box visible`).to.equal(true);
            const bounds = await box.boundingBox();
            expect(bounds, `${layer} box has a size`).to.not.equal(null);
            expect(bounds?.width ?? 0, `${layer} width`).to.be.greaterThan(50);
            expect(bounds?.height ?? 0, `${layer} height`).to.be.greaterThan(50);
            boxes.push({ layer, x: bounds?.x ?? 0, y: bounds?.y ?? 0 });
        }
        const leftToRight = boxes.every((b, i) => i === 0 || b.x > (boxes[i - 1]?.x ?? 0));
        const topToBottom = boxes.every((b, i) => i === 0 || b.y > (boxes[i - 1]?.y ?? 0));
        expect(leftToRight || topToBottom, `boxes in deploy order: ${JSON.stringify(boxes)}`).to.equal(true);

        // One arrow per (consumer, upstream) pair the fixture's layers read; a self-read is none.
        const expected = new Set(
            planDocument().layers.flatMap((l) =>
                l.reads.filter((r) => r.upstream !== l.layer).map((r) => `${l.layer}<-${r.upstream}`),
            ),
        );
        const arrows = page.locator("svg.diagram [data-edge]");
        const edges: (string | null)[] = [];
        for (let i = 0; i < (await arrows.count()); i++) edges.push(await arrows.nth(i).getAttribute("data-edge"));
        expect(new Set(edges)).to.deep.equal(expected);
        for (const edge of expected) {
            const bounds = await page.locator(`svg.diagram [data-edge="${edge}"]`).boundingBox();
            expect((bounds?.width ?? 0) + (bounds?.height ?? 0), `${edge} drawn`).to.be.greaterThan(10);
        }
        // The label of an arrow names what is read.
        expect(await page.locator('[data-edge="data<-foundation"]').textContent()).to.include("redisSecurityGroupId");

        expect(log.consoleErrors, "console errors").to.deep.equal([]);
        expect(log.pageErrors, "page errors").to.deep.equal([]);
        expect(log.cspViolations, "CSP violations").to.deep.equal([]);
        expect(
            log.requests.filter((u) => !u.startsWith("file:")),
            "requests beyond the file",
        ).to.deep.equal([]);
        // The hostile value is shown as text, and no script ran from it.
        expect(await page.locator("body").innerText()).to.include("<script>alert('plan')</script>|pipe");

        mkdirSync(join(REPO, "dist", "test-artifacts"), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        const png = readFileSync(SCREENSHOT);
        expect(png.subarray(0, 8).toString("hex"), "PNG signature").to.equal("89504e470d0a1a0a");
        expect(statSync(SCREENSHOT).size).to.be.greaterThan(20_000);
        console.log(`      screenshot: ${SCREENSHOT} (${Math.round(png.length / 1024)} KiB)`);
    });

    it("notices a CSP violation when a page has one (so the check above can fail)", async () => {
        const html = renderHtml(planDocument()).replace(
            "</body>",
            '<img alt="" src="http://127.0.0.1:9/blocked.png"></body>',
        );
        const { log } = await openHtml("violating.html", html);
        expect(log.cspViolations.join("\n")).to.match(/img-src http:\/\/127\.0\.0\.1:9\/blocked\.png/);
    });
});

describe("tools/chromium/ensure.sh", () => {
    let dir = "";
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "chromium-ensure-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs the script with stand-in `id` and `apt-get` first on PATH; apt-get's calls are logged. */
    function ensure(uid: number, aptWorksBeforeUpdate: boolean) {
        const bin = join(dir, "bin");
        const browser = join(dir, "chromium");
        const log = join(dir, "apt.log");
        // Each call starts from a machine without the browser, its package lists and the log.
        for (const f of [bin, browser, log, join(dir, "updated")]) rmSync(f, { recursive: true, force: true });
        mkdirSync(bin);
        const stub = (name: string, body: string) => {
            writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
            chmodSync(join(bin, name), 0o755);
        };
        stub("id", `echo ${uid}`);
        stub(
            "apt-get",
            [
                `echo "$*" >> ${log}`,
                `if [[ "$1" == update ]]; then touch ${dir}/updated; exit 0; fi`,
                `if [[ ${aptWorksBeforeUpdate ? "1" : "0"} == 0 && ! -f ${dir}/updated ]]; then echo "E: Unable to locate package chromium"; exit 100; fi`,
                `printf '#!/bin/sh\\n' > ${browser}; chmod +x ${browser}`,
            ].join("\n"),
        );
        const r = spawnSync(join(REPO, "tools", "chromium", "ensure.sh"), [], {
            encoding: "utf8",
            env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, PROLIFERATE_CHROMIUM: browser },
        });
        const calls = (() => {
            try {
                return readFileSync(log, "utf8").trim().split("\n");
            } catch {
                return [];
            }
        })();
        return { ...r, browser, calls };
    }

    it("as root installs Debian's chromium, updating the package lists only when the first install fails", () => {
        const r = ensure(0, false);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.calls).to.deep.equal([
            "install -y -q --no-install-recommends chromium",
            "update -q",
            "install -y -q --no-install-recommends chromium",
        ]);
        expect(r.stdout.trim().split("\n").pop()).to.equal(r.browser);
        const again = ensure(0, true);
        expect(again.calls).to.deep.equal(["install -y -q --no-install-recommends chromium"]);
    });

    it("as another user fails, naming the package to install, and installs nothing", () => {
        const r = ensure(1000, true);
        expect(r.status).to.equal(1);
        expect(r.stderr).to.include("apt-get install -y --no-install-recommends chromium");
        expect(r.calls).to.deep.equal([]);
        expect(r.stdout).to.equal("");
    });
});
