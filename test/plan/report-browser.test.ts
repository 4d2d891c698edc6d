import { expect } from "chai";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { PlanDocument } from "../../scripts/plan/document";
import { renderHtml } from "../../scripts/plan/html";
import { RepoCopy } from "../make/make-harness";
import { ensureChromium, HeadlessChromium } from "./browser-harness";
import { CONTRACT_MESSAGE } from "./fixtures/plan-diff";
import { HOSTILE_VALUE, planDocument } from "./fixtures/plan-document";

/**
 * The HTML plan report as a person sees it: `make plan STACK=dev FORMAT=html OUT=...` in a fresh
 * copy of the repository, the file opened in Debian's Chromium, headless. It must render without
 * script or network, show the four layers of the diagram in deploy order with the arrows the
 * document's reads call for, break no CSP rule, and leave a screenshot for a human to look at.
 * Chromium comes from tools/chromium/ensure.sh: no browser is a failure, never a skip.
 */

const REPO = join(__dirname, "..", "..", "..");
const SCREENSHOT = join(REPO, "dist", "test-artifacts", "plan-report.png");
const DEPLOY_ORDER = ["foundation", "data", "secrets", "services"];

/** The arrows a document calls for: one per (consumer, upstream) pair read, a self-read none. */
const edgesOf = (doc: PlanDocument): Set<string> =>
    new Set(
        doc.layers.flatMap((l) =>
            l.reads.filter((r) => r.upstream !== l.layer).map((r) => `${l.layer}<-${r.upstream}`),
        ),
    );

describe("the HTML plan report in headless Chromium", function () {
    // The first run may install Chromium (apt-get); later runs take a few seconds.
    this.timeout(600_000);
    let browser: HeadlessChromium | undefined;
    let repo: RepoCopy | undefined;
    const chrome = (): HeadlessChromium => {
        if (!browser) throw new Error("Chromium did not start (see the before hook)");
        return browser;
    };
    const copy = (): RepoCopy => {
        if (!repo) throw new Error("no repository copy (see the before hook)");
        return repo;
    };

    before(async () => {
        repo = new RepoCopy();
        browser = await HeadlessChromium.launch(ensureChromium());
    });
    after(async () => {
        await browser?.close();
        repo?.remove();
    });

    /** `html` written to a file and opened from it, like a downloaded artifact. */
    const openHtml = async (name: string, html: string) => {
        writeFileSync(copy().path(name), html);
        return chrome().open(pathToFileURL(copy().path(name)).href);
    };

    it("make plan STACK=dev FORMAT=html: four layers in deploy order, the arrows of the document's reads, nothing loaded, no CSP violation; screenshot", async function () {
        this.timeout(60_000);
        // The report users get, and the JSON document of the same plan to check it against.
        const [html, json] = await Promise.all([
            copy().make(["plan", "STACK=dev", "FORMAT=html", `OUT=${copy().path("report.html")}`]),
            copy().make(["plan", "STACK=dev", "FORMAT=json", `OUT=${copy().path("plan.json")}`]),
        ]);
        expect(html.status, html.out).to.equal(0);
        expect(json.status, json.out).to.equal(0);
        const doc = JSON.parse(readFileSync(copy().path("plan.json"), "utf8")) as PlanDocument;
        const file = readFileSync(copy().path("report.html"), "utf8");
        // The examples' secrets are fake placeholders, and even those never reach the report.
        expect(file).not.to.match(/plan-fake-(dbPassword|redisAuthToken|serviceAuthToken)-0000/);

        const { page, log } = await chrome().open(pathToFileURL(copy().path("report.html")).href);
        expect(await page.title()).to.match(/^Plan of stack dev \(/);
        const boxes: { layer: string; x: number; y: number }[] = [];
        for (const layer of DEPLOY_ORDER) {
            const box = page.locator(`svg.diagram [data-layer="${layer}"]`);
            expect(await box.count(), layer).to.equal(1);
            expect(await box.isVisible(), `${layer} box visible`).to.equal(true);
            const bounds = await box.boundingBox();
            expect(bounds?.width ?? 0, `${layer} width`).to.be.greaterThan(50);
            expect(bounds?.height ?? 0, `${layer} height`).to.be.greaterThan(50);
            expect(await box.textContent(), `${layer} box lists its resources`).to.match(/\d+ resources/);
            boxes.push({ layer, x: bounds?.x ?? 0, y: bounds?.y ?? 0 });
        }
        const leftToRight = boxes.every((b, i) => i === 0 || b.x > (boxes[i - 1]?.x ?? 0));
        const topToBottom = boxes.every((b, i) => i === 0 || b.y > (boxes[i - 1]?.y ?? 0));
        expect(leftToRight || topToBottom, `boxes in deploy order: ${JSON.stringify(boxes)}`).to.equal(true);

        const expected = edgesOf(doc);
        // The layers read upstream outputs (docs/architecture.md): at least data from foundation.
        expect([...expected]).to.include("data<-foundation");
        const arrows = page.locator("svg.diagram [data-edge]");
        const edges: (string | null)[] = [];
        for (let i = 0; i < (await arrows.count()); i++) edges.push(await arrows.nth(i).getAttribute("data-edge"));
        expect(new Set(edges)).to.deep.equal(expected);
        for (const edge of expected) {
            const arrow = page.locator(`svg.diagram [data-edge="${edge}"]`);
            const bounds = await arrow.boundingBox();
            expect((bounds?.width ?? 0) + (bounds?.height ?? 0), `${edge} drawn`).to.be.greaterThan(10);
            const [consumer, upstream] = edge.split("<-");
            const read = doc.layers.find((l) => l.layer === consumer)?.reads.find((r) => r.upstream === upstream);
            expect(await arrow.textContent(), `${edge} labelled`).to.include(read?.output ?? "?");
        }

        expect(log.consoleErrors, "console errors").to.deep.equal([]);
        expect(log.pageErrors, "page errors").to.deep.equal([]);
        expect(log.cspViolations, "CSP violations").to.deep.equal([]);
        expect(
            log.requests.filter((u) => !u.startsWith("file:")),
            "requests beyond the file",
        ).to.deep.equal([]);

        mkdirSync(join(REPO, "dist", "test-artifacts"), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        const png = readFileSync(SCREENSHOT);
        expect(png.subarray(0, 8).toString("hex"), "PNG signature").to.equal("89504e470d0a1a0a");
        expect(statSync(SCREENSHOT).size).to.be.greaterThan(20_000);
        console.log(`      screenshot: ${SCREENSHOT} (${Math.round(png.length / 1024)} KiB)`);
    });

    it("the fixture's report: the contract error shows first, the hostile value is text, layers listed out of order are drawn in order", async () => {
        const doc = planDocument();
        doc.layers.reverse();
        const { page, log } = await openHtml("fixture.html", renderHtml(doc));
        const alert = page.locator("#contract-errors");
        expect(await alert.isVisible()).to.equal(true);
        // Names in backticks are shown as code, without the backticks.
        expect(await alert.innerText()).to.include(CONTRACT_MESSAGE.replace(/`/g, ""));
        const first = await page.locator("main > section").first().getAttribute("id");
        expect(first).to.equal("contract-errors");
        expect(await page.locator("body").innerText()).to.include(HOSTILE_VALUE);
        const xs: number[] = [];
        for (const layer of DEPLOY_ORDER)
            xs.push((await page.locator(`[data-layer="${layer}"]`).boundingBox())?.x ?? -1);
        expect(xs).to.deep.equal([...xs].sort((a, b) => a - b));
        expect(new Set(xs).size).to.equal(4);
        expect(log.consoleErrors).to.deep.equal([]);
        expect(log.cspViolations).to.deep.equal([]);
    });

    it("notices a CSP violation when a page has one (so the checks above can fail)", async () => {
        const html = renderHtml(planDocument()).replace(
            "</body>",
            '<img alt="" src="http://127.0.0.1:9/blocked.png"></body>',
        );
        const { log } = await openHtml("violating.html", html);
        expect(log.cspViolations.join("\n")).to.match(/img-src http:\/\/127\.0\.0\.1:9\/blocked\.png/);
    });
});
