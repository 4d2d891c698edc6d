import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTopologicalOrder, layerOrder } from "../../scripts/runner/actions";
import { refuseRetargeting, splitFlags } from "../../scripts/runner/flags";
import { readEvents, summarise } from "../../scripts/runner/pulumi-process";
import {
    readRequest,
    REQUEST_ENV,
    stackFileName,
    UsageError,
    validateImageTag,
    validateStackName,
} from "../../scripts/runner/request";
import { formatSummary } from "../../scripts/runner/summary";
import { CONTRACTS } from "../../shared/contracts";
import { LAYERS } from "../../shared/layers";

describe("layer order", () => {
    it("is a topological order of the layers' declared upstreams (from the contracts)", () => {
        expect(isTopologicalOrder(LAYERS, (l) => CONTRACTS[l].upstreams)).to.be.true;
        expect(isTopologicalOrder(["data", "foundation", "secrets", "services"], (l) => CONTRACTS[l].upstreams)).to.be
            .false;
    });

    it("is reversed for destroy and keeps dependency order for a selection", () => {
        expect(layerOrder("destroy")).to.deep.equal(["services", "secrets", "data", "foundation"]);
        expect(layerOrder("up", ["services", "foundation"])).to.deep.equal(["foundation", "services"]);
    });
});

describe("runner request (what make exports)", () => {
    const env = (extra: Record<string, string>) => ({ [REQUEST_ENV.stack]: "dev", ...extra });

    it("accepts Pulumi stack names, optionally org-qualified, and names the file without the org", () => {
        for (const ok of ["dev", "prod-eu.1", "acme/dev", "my_org/stage-2"]) expect(validateStackName(ok)).to.equal(ok);
        expect(stackFileName("acme/dev")).to.equal("dev");
        for (const bad of ["", "dev prod", "dev$(x)", "a/b/c", "/dev", "dev/", "x".repeat(101)]) {
            expect(() => validateStackName(bad), bad).to.throw(UsageError, /STACK/);
        }
    });

    it("checks Docker's tag grammar, and refuses latest only for production-like stacks", () => {
        for (const ok of ["git-abc1234", "v1.2.3", "_x", "a".repeat(128), "latest"])
            expect(validateImageTag(ok, false, "dev")).to.equal(ok);
        for (const bad of ["", ".x", "-x", "a b", "a/b", "a:b", "a".repeat(129)]) {
            expect(() => validateImageTag(bad, false, "dev"), bad).to.throw(UsageError, /not a Docker tag/);
        }
        expect(() => validateImageTag("latest", true, "prod")).to.throw(UsageError, /"latest" is refused/);
    });

    it("takes the layer from the pattern target and refuses unknown layers and SHOW_SECRETS values", () => {
        expect(readRequest("up", env({ [REQUEST_ENV.layer]: "data" }), "/r").layers).to.deep.equal(["data"]);
        expect(readRequest("up", env({}), "/r").layers).to.deep.equal([...LAYERS]);
        expect(readRequest("deploy-services", env({ [REQUEST_ENV.imageTag]: "t1" }), "/r").layers).to.deep.equal([
            "services",
        ]);
        expect(() => readRequest("up", env({ [REQUEST_ENV.layer]: "net" }), "/r")).to.throw(/layer "net" is unknown/);
        expect(() => readRequest("outputs", env({ [REQUEST_ENV.showSecrets]: "true" }), "/r")).to.throw(
            /SHOW_SECRETS="true"/,
        );
        expect(readRequest("outputs", env({ [REQUEST_ENV.showSecrets]: "1" }), "/r").showSecrets).to.be.true;
        expect(() => readRequest("deploy", env({}), "/r")).to.throw(/action "deploy" is unknown/);
    });
});

describe("FLAGS", () => {
    it("splits like shell words without expanding anything", () => {
        expect(splitFlags(`--yes --message "fix the NAT" --target 'urn:a b' a\\ b ""`)).to.deep.equal([
            "--yes",
            "--message",
            "fix the NAT",
            "--target",
            "urn:a b",
            "a b",
            "",
        ]);
        expect(splitFlags("  ")).to.deep.equal([]);
        expect(splitFlags(`--message 'cost $5'`)).to.deep.equal(["--message", "cost $5"]);
        for (const bad of ["$(x)", "`x`", '"$HOME"', "a;b", "a|b", "a&&b", "a>b", "'open", "trailing\\"]) {
            expect(() => splitFlags(bad), bad).to.throw(UsageError, /FLAGS/);
        }
    });

    it("refuses flags that retarget the run, in every spelling, and keeps the others", () => {
        for (const bad of [
            ["--stack", "x"],
            ["--stack=x"],
            ["-s", "x"],
            ["-ys"],
            ["-yfs", "x"],
            ["-C", "d"],
            ["-Cd"],
            ["--cwd=d"],
            ["--config-file", "f"],
            ["--secrets-provider=x"],
            ["--policy-pack", "p"],
            ["--event-log", "f"],
        ]) {
            expect(() => refuseRetargeting(bad), bad.join(" ")).to.throw(UsageError, /FLAGS may not contain/);
        }
        for (const ok of [
            ["--yes"],
            ["-y"],
            ["-yf"],
            ["-msetup"],
            ["--target", "urn:pulumi:dev::p::t::s"],
            ["--diff"],
            ["--refresh"],
            ["-p", "4"],
        ]) {
            expect(() => refuseRetargeting(ok), ok.join(" ")).to.not.throw();
        }
    });
});

describe("engine event log", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "events-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("counts changes from the last summary event and first lines of error diagnostics, ignoring a torn line", () => {
        const file = join(dir, "events.jsonl");
        const lines = [
            { sequence: 0, timestamp: 1, preludeEvent: { config: {} } },
            {
                sequence: 1,
                timestamp: 1,
                diagnosticEvent: { message: "\u001b[31merror: boom\u001b[0m\n  at x", color: "raw", severity: "error" },
            },
            { sequence: 2, timestamp: 1, diagnosticEvent: { message: "just info", color: "raw", severity: "info" } },
            {
                sequence: 3,
                timestamp: 2,
                summaryEvent: {
                    maybeCorrupt: false,
                    durationSeconds: 7,
                    resourceChanges: { create: 2, same: 9, replace: 1 },
                    PolicyPacks: {},
                },
            },
        ];
        writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n{"sequence": 4, "timesta`);
        const s = summarise(readEvents(file));
        expect(s.changes).to.deep.equal({ create: 2, update: 0, replace: 1, delete: 0 });
        expect(s.errors).to.deep.equal(["error: boom"]);
        expect(s.durationSeconds).to.equal(7);
        expect(summarise([]).changes).to.equal(null);
        expect(readEvents(join(dir, "missing"))).to.deep.equal([]);
    });

    it("formats one aligned row per layer with counts, or - when the engine reported none", () => {
        const text = formatSummary("up", "dev", [
            {
                layer: "foundation",
                outcome: "changed",
                changes: { create: 30, update: 0, replace: 0, delete: 0 },
                durationMs: 61_000,
            },
            { layer: "data", outcome: "failed", changes: null, durationMs: 1200, note: "error: boom" },
            { layer: "secrets", outcome: "not started" },
        ]);
        expect(text).to.match(/foundation\s+changed\s+30\s+0\s+0\s+0\s+61\.0s/);
        expect(text).to.match(/data\s+failed\s+-\s+-\s+-\s+-\s+1\.2s/);
        expect(text).to.match(/secrets\s+not started\s+-/);
        expect(text).to.include("data: error: boom");
    });
});
