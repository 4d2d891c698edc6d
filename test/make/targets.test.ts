/**
 * Every make target a user runs, run through make in a fresh copy of the repository, against the
 * stand-in pulumi: which layers are touched and in which order, the policy pack on every preview
 * and up, exit codes, stop-at-first-failure, and what each command prints.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { LAYERS } from "../../shared/layers";
import { freshCopyPerSuite, healthServerPerSuite, layersOf, RepoCopy, touched, verbCalls } from "./make-harness";

const REVERSED = [...LAYERS].reverse();

/** The result column of a layer's summary row. */
const row = (out: string, layer: string) => new RegExp(`^\\s+${layer}\\s+([a-z ]+?)\\s{2,}`, "m").exec(out)?.[1];

describe("make targets, run through make against the stand-in pulumi", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    let healthUrl: string;
    freshCopyPerSuite((r) => (repo = r));
    healthServerPerSuite((url) => (healthUrl = url));

    /** Services outputs that point the smoke checks at the local server. */
    const servicesOutputs = () =>
        JSON.stringify({
            services: {
                serviceUrls: { gateway: healthUrl, "llm-proxy": healthUrl },
                images: { gateway: "repo:git-1" },
            },
        });

    it("make deploy-all STACK=dev runs pulumi up in every layer in order with the policy pack, then the smoke checks", async () => {
        const run = await repo.make(["deploy-all", "STACK=dev", "FLAGS=--yes"], {
            FAKE_PULUMI_OUTPUTS: servicesOutputs(),
            FAKE_PULUMI_CHANGES: "up:foundation=create:30;up:services=create:12,update:1",
        });
        expect(run.status, run.out).to.equal(0);
        const ups = verbCalls(run.calls, "up");
        expect(ups.map((c) => c.layer)).to.deep.equal([...LAYERS]);
        for (const call of ups) {
            expect(call.args.slice(0, 3)).to.deep.equal(["up", "--stack", "dev"]);
            expect(call.args[call.args.indexOf("--policy-pack") + 1]).to.equal(repo.path("policy"));
            expect(call.args).to.include("--yes").and.include("--event-log");
        }
        const selects = run.calls.filter((c) => c.args[0] === "stack" && c.args[1] === "select");
        expect(selects.map((c) => c.args.join(" "))).to.deep.equal(LAYERS.map(() => "stack select --create dev"));
        expect(run.out).to.include('pre-flight: stack "dev" config is valid');
        // The summary table is built from the engine's event log, not from exit codes.
        expect(run.out).to.match(/foundation\s+changed\s+30\s+0\s+0\s+0/);
        expect(run.out).to.match(/data\s+ok\s+0\s+0\s+0\s+0/);
        expect(run.out).to.match(/services\s+changed\s+12\s+1\s+0\s+0/);
        expect(run.out).to.include("smoke: all 2 services healthy");
    });

    it("a failing layer stops make deploy-all: the layers after it never start, and the exit is non-zero", async () => {
        const run = await repo.make(["deploy-all", "FLAGS=--yes"], { FAKE_PULUMI_FAIL: "up:data" });
        expect(run.status).to.equal(2);
        expect(layersOf(run.calls, "up")).to.deep.equal(["foundation", "data"]);
        expect(touched(run.calls)).to.not.include("secrets").and.not.include("services");
        expect(run.out)
            .to.match(/data\s+failed/)
            .and.match(/secrets\s+not started/)
            .and.match(/services\s+not started/);
        expect(run.out).to.include("data: error: fake failure in data");
        expect(run.out).to.not.include("smoke:");
    });

    it("make preview-all previews every layer with the policy pack, using placeholders only for undeployed upstreams", async () => {
        const run = await repo.make(["preview-all"], { FAKE_PULUMI_DEPLOYED: "foundation" });
        expect(run.status, run.out).to.equal(0);
        const previews = verbCalls(run.calls, "preview");
        expect(previews.map((c) => c.layer)).to.deep.equal([...LAYERS]);
        expect(previews.every((c) => c.args.includes("--policy-pack"))).to.be.true;
        expect(Object.fromEntries(previews.map((c) => [c.layer, c.placeholders]))).to.deep.equal({
            foundation: null,
            data: null,
            secrets: "data",
            services: "secrets",
        });
    });

    for (const layer of LAYERS) {
        it(`make up-${layer} and make preview-${layer} touch only stacks/${layer}`, async () => {
            const up = await repo.make([`up-${layer}`, "FLAGS=--yes"], { FAKE_PULUMI_DEPLOYED: LAYERS.join(",") });
            expect(up.status, up.out).to.equal(0);
            expect(layersOf(up.calls, "up")).to.deep.equal([layer]);
            expect(touched(up.calls)).to.deep.equal([layer]);
            const preview = await repo.make([`preview-${layer}`], { FAKE_PULUMI_DEPLOYED: LAYERS.join(",") });
            expect(preview.status, preview.out).to.equal(0);
            expect(layersOf(preview.calls, "preview")).to.deep.equal([layer]);
            expect(verbCalls(preview.calls, "preview")[0]?.args).to.include("--policy-pack");
        });

        it(`make destroy-${layer} destroys only stacks/${layer}, without the policy pack`, async () => {
            const run = await repo.make([`destroy-${layer}`, "FLAGS=--yes"]);
            expect(run.status, run.out).to.equal(0);
            expect(layersOf(run.calls, "destroy")).to.deep.equal([layer]);
            expect(verbCalls(run.calls, "destroy")[0]?.args).to.not.include("--policy-pack");
        });
    }

    it("make up-<unknown layer> is refused before pulumi runs", async () => {
        const run = await repo.make(["up-network"]);
        expect(run.status).to.equal(2);
        expect(run.out).to.include('layer "network" is unknown; use one of foundation, data, secrets, services');
        expect(run.calls).to.be.empty;
    });

    it("make destroy-all goes in reverse order, and a production-like stack needs CONFIRM", async () => {
        const dev = await repo.make(["destroy-all", "FLAGS=--yes"]);
        expect(dev.status, dev.out).to.equal(0);
        expect(layersOf(dev.calls, "destroy")).to.deep.equal(REVERSED);
        const refused = await repo.make(["destroy-all", "STACK=prod", "FLAGS=--yes"]);
        expect(refused.status).to.equal(2);
        expect(verbCalls(refused.calls, "destroy")).to.be.empty;
        expect(refused.out).to.include("CONFIRM=prod").and.include("pulumi state unprotect");
        const confirmed = await repo.make(["destroy-all", "STACK=prod", "CONFIRM=prod", "FLAGS=--yes"]);
        expect(confirmed.status, confirmed.out).to.equal(0);
        expect(layersOf(confirmed.calls, "destroy")).to.deep.equal(REVERSED);
    });

    it("make refresh-all refreshes every layer in order, without the policy pack", async () => {
        const run = await repo.make(["refresh-all", "FLAGS=--yes"]);
        expect(run.status, run.out).to.equal(0);
        expect(layersOf(run.calls, "refresh")).to.deep.equal([...LAYERS]);
        expect(verbCalls(run.calls, "refresh").some((c) => c.args.includes("--policy-pack"))).to.be.false;
    });

    it("make deploy-services hands the image tag to pulumi up in stacks/services only, never into a stack file", async () => {
        const file = repo.path("stacks", "services", "Pulumi.dev.yaml");
        const before = readFileSync(file, "utf8");
        const run = await repo.make(["deploy-services", "IMAGE_TAG=git-abc1234", "FLAGS=--yes"], {
            PROLIFERATE_DEPLOYED_BY: "alice@example.com",
        });
        expect(run.status, run.out).to.equal(0);
        expect(touched(run.calls)).to.deep.equal(["services"]);
        const up = verbCalls(run.calls, "up");
        expect(up.map((c) => c.layer)).to.deep.equal(["services"]);
        expect(up[0]?.args).to.include("--policy-pack");
        expect(up[0]?.imageTag).to.equal("git-abc1234");
        expect(up[0]?.deployedBy).to.equal("alice@example.com");
        expect(run.calls.some((c) => c.args[0] === "config")).to.be.false;
        expect(readFileSync(file, "utf8")).to.equal(before);
    });

    it("make deploy-all without IMAGE_TAG hands no tag over (the program keeps the deployed one), and says who deploys", async () => {
        const run = await repo.make(["deploy-all", "FLAGS=--yes", "SMOKE=0"], { GITHUB_ACTOR: "octocat" });
        expect(run.status, run.out).to.equal(0);
        const up = verbCalls(run.calls, "up");
        expect(up.every((c) => c.imageTag === "")).to.be.true;
        expect(up.every((c) => c.deployedBy === "octocat (GitHub Actions)")).to.be.true;
        expect(run.out).to.include("smoke: skipped (SMOKE=0)");
    });

    it("make deploy-services leaves the stack file as it was when the update fails", async () => {
        const file = repo.path("stacks", "services", "Pulumi.dev.yaml");
        const before = readFileSync(file, "utf8");
        const run = await repo.make(["deploy-services", "IMAGE_TAG=git-abc1234", "FLAGS=--yes"], {
            FAKE_PULUMI_FAIL: "up:services",
        });
        expect(run.status).to.equal(2);
        expect(row(run.out, "services")).to.equal("failed");
        expect(readFileSync(file, "utf8")).to.equal(before);
    });

    it("make help lists every target users type", async () => {
        const run = await repo.make(["help"]);
        expect(run.status).to.equal(0);
        for (const target of [
            "deploy-all",
            "preview-all",
            "up-%",
            "preview-%",
            "destroy-%",
            "deploy-services",
            "outputs",
            "drift",
            "check-config",
            "smoke",
        ]) {
            expect(run.stdout).to.include(`  ${target} `);
        }
    });
});
