import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { formatSmoke, isBootstrap, smoke, smokeTargets } from "../../scripts/smoke";

describe("smoke checks against a local HTTP server", () => {
    let server: Server;
    let base: string;
    let flakyCalls = 0;

    before(async () => {
        server = createServer((req, res) => {
            if (req.url === "/ok/health") {
                res.writeHead(200).end("ok");
            } else if (req.url === "/flaky/health") {
                flakyCalls++;
                res.writeHead(flakyCalls < 3 ? 503 : 200).end();
            } else if (req.url === "/moved/health") {
                res.writeHead(301, { location: "/ok/health" }).end();
            } else if (req.url === "/away/health") {
                res.writeHead(302, { location: "https://login.example.com/" }).end();
            } else if (req.url === "/loop/health") {
                res.writeHead(302, { location: "/loop/health" }).end();
            } else if (req.url === "/moved-bad/health") {
                res.writeHead(302, { location: "/bad/health" }).end();
            } else if (req.url === "/slow/health") {
                setTimeout(() => res.writeHead(200).end("late"), 2000);
            } else {
                res.writeHead(500).end("broken");
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
        server.closeAllConnections();
        server.close();
    });

    const opts = { requestTimeoutMs: 300, retryIntervalMs: 50, deadlineMs: 1200 };

    it("derives each public service's health URL from the catalog", () => {
        expect(
            smokeTargets({ gateway: "https://api.example.com/", "llm-proxy": "https://llm.example.com" }),
        ).to.deep.equal([
            { service: "gateway", url: "https://api.example.com/health" },
            { service: "llm-proxy", url: "https://llm.example.com/health/liveliness" },
        ]);
        expect(() => smokeTargets({ gateway: "https://api.example.com" })).to.throw(/no URL for llm-proxy/);
    });

    it("is skipped only when every service is in bootstrap mode", () => {
        expect(isBootstrap({ images: { worker: null, gateway: null } })).to.be.true;
        expect(isBootstrap({ images: { worker: null, gateway: "repo:v1" } })).to.be.false;
        expect(isBootstrap({})).to.be.false;
    });

    it("passes a healthy service at once and a flaky one after retries", async () => {
        const [healthy, flaky] = await smoke(
            [
                { service: "a", url: `${base}/ok/health` },
                { service: "b", url: `${base}/flaky/health` },
            ],
            opts,
        );
        expect(healthy).to.include({ ok: true, attempts: 1, detail: "HTTP 200" });
        expect(flaky).to.include({ ok: true, attempts: 3 });
    });

    it("fails an unhealthy service with its last status, within the deadline", async () => {
        const started = Date.now();
        const [r] = await smoke([{ service: "bad", url: `${base}/bad/health` }], opts);
        expect(r).to.include({ ok: false, detail: "HTTP 500" });
        expect(r?.attempts).to.be.greaterThan(1);
        expect(Date.now() - started).to.be.lessThan(opts.deadlineMs + 500);
    });

    it("follows a redirect only on the same host, and counts it healthy only when it ends healthy", async () => {
        const quick = { requestTimeoutMs: 300, retryIntervalMs: 50, deadlineMs: 200 };
        const [moved, away, loop, movedBad] = await smoke(
            ["moved", "away", "loop", "moved-bad"].map((p) => ({ service: p, url: `${base}/${p}/health` })),
            quick,
        );
        expect(moved).to.include({ ok: true, detail: "HTTP 200 after a redirect to /ok/health" });
        expect(away).to.include({ ok: false, detail: "HTTP 302 redirects to another host (login.example.com)" });
        expect(loop).to.include({ ok: false, detail: "more than 5 redirects" });
        expect(movedBad).to.include({ ok: false, detail: "HTTP 500 after a redirect to /bad/health" });
    });

    it("probes only http(s) URLs, and having nothing to probe is a failure, not a pass", () => {
        for (const url of ["ftp://api.example.com", "file:///etc/passwd", "api.example.com", "javascript:alert(1)"]) {
            expect(() => smokeTargets({ gateway: url, "llm-proxy": "https://llm.example.com" }), url).to.throw(
                /not an http\(s\) URL/,
            );
        }
        expect(() => smokeTargets({}, [])).to.throw(/nothing can be checked/);
    });

    it("fails a service slower than the per-request timeout, and stops at the overall deadline", async () => {
        const started = Date.now();
        const results = await smoke([{ service: "slow", url: `${base}/slow/health` }], opts);
        expect(results[0]).to.include({ ok: false, detail: "no answer within 300 ms" });
        expect(Date.now() - started).to.be.lessThan(opts.deadlineMs + 500);
        expect(formatSmoke(results)).to.include("FAIL  slow").and.include("1 of 1 services failed");
    });
});
