import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTopologicalOrder, layerOrder } from "../../scripts/layers";
import { CONTRACTS } from "../../shared/contracts";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";

const REPO = join(__dirname, "..", "..", "..");
const RUNNER = join(REPO, "dist", "scripts", "layers.js");
const FAKE_BIN = join(REPO, "test", "fixtures", "bin");

interface Call {
    layer: string;
    args: string[];
    backend?: string;
    placeholders: string | null;
}

describe("layer order", () => {
    it("is a topological order of the layers' declared upstreams (from the contracts)", () => {
        expect(isTopologicalOrder(LAYERS, (l) => CONTRACTS[l].upstreams)).to.be.true;
        expect(isTopologicalOrder(["data", "foundation", "secrets", "services"], (l) => CONTRACTS[l].upstreams)).to.be.false;
    });

    it("is reversed for destroy and keeps dependency order for a selection", () => {
        expect(layerOrder("destroy")).to.deep.equal(["services", "secrets", "data", "foundation"]);
        expect(layerOrder("up", ["services", "foundation"])).to.deep.equal(["foundation", "services"]);
    });
});

describe("multi-stack runner with a recording fake pulumi CLI", () => {
    let root: string;
    let log: string;

    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "runner-"));
        log = join(root, "pulumi-calls.jsonl");
        writeFileSync(log, "");
        writeStackFiles(root, "dev", validStackConfig("dev"));
        writeStackFiles(root, "prod", validStackConfig("prod"));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    function runner(args: string[], env: Record<string, string> = {}) {
        const result = spawnSync(process.execPath, [RUNNER, ...args, "--root", root], {
            encoding: "utf8",
            env: {
                PATH: `${FAKE_BIN}:${process.env["PATH"] ?? ""}`,
                HOME: root,
                FAKE_PULUMI_LOG: log,
                PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
                AWS_ACCESS_KEY_ID: "test",
                ...env,
            },
        });
        const calls = readFileSync(log, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l) as Call);
        return { status: result.status, out: `${result.stdout}${result.stderr}`, calls };
    }
    const mainCalls = (calls: Call[], verb: string) => calls.filter((c) => c.args[0] === verb);

    it("deploy-all runs pulumi up in every layer in order, selecting or creating the same stack, passing FLAGS", () => {
        const { status, calls, out } = runner(["up", "--stack", "dev", "--flags", "--yes --diff"]);
        expect(status, out).to.equal(0);
        const ups = mainCalls(calls, "up");
        expect(ups.map((c) => c.layer)).to.deep.equal([...LAYERS]);
        expect(ups.every((c) => c.args.join(" ") === "up --stack dev --yes --diff")).to.be.true;
        const selects = calls.filter((c) => c.args[0] === "stack" && c.args[1] === "select");
        expect(selects.map((c) => c.args.join(" "))).to.deep.equal(LAYERS.map(() => "stack select --create dev"));
        expect(calls[0]?.backend).to.equal(`file://${join(root, ".pulumi-state")}`);
        expect(out).to.include("+ (cd stacks/foundation && pulumi up --stack dev --yes --diff)");
    });

    it("runs the policy pack with every preview and up, not with refresh or destroy", () => {
        const pack = join(REPO, "policy");
        const up = runner(["up", "--stack", "dev", "--policy-pack", pack, "--flags", "--yes"]);
        expect(mainCalls(up.calls, "up").every((c) => c.args.join(" ").includes(`--policy-pack ${pack}`))).to.be.true;
        const preview = runner(["preview", "--stack", "dev", "--policy-pack", pack]);
        expect(mainCalls(preview.calls, "preview").every((c) => c.args.includes("--policy-pack"))).to.be.true;
        const destroy = runner(["destroy", "--stack", "dev", "--policy-pack", pack, "--flags", "--yes"]);
        expect(mainCalls(destroy.calls, "destroy").some((c) => c.args.includes("--policy-pack"))).to.be.false;
        const missing = runner(["up", "--stack", "dev", "--policy-pack", join(root, "nowhere")]);
        expect(missing.status).to.equal(1);
        expect(missing.out).to.include("POLICY_PACK=");
    });

    it("stops at the first failing layer and prints done / failed / not started", () => {
        const { status, calls, out } = runner(["up", "--stack", "dev", "--flags", "--yes"], { FAKE_PULUMI_FAIL: "up:data" });
        expect(status).to.equal(1);
        expect(mainCalls(calls, "up").map((c) => c.layer)).to.deep.equal(["foundation", "data"]);
        expect(out).to.match(/foundation\s+done/).and.match(/data\s+failed/).and.match(/secrets\s+not started/).and.match(/services\s+not started/);
    });

    it("destroy-all runs in reverse order", () => {
        const { status, calls } = runner(["destroy", "--stack", "dev", "--flags", "--yes"]);
        expect(status).to.equal(0);
        expect(mainCalls(calls, "destroy").map((c) => c.layer)).to.deep.equal(["services", "secrets", "data", "foundation"]);
        expect(calls.filter((c) => c.args[1] === "select").every((c) => !c.args.includes("--create"))).to.be.true;
    });

    it("destroy refuses a production-like stack unless CONFIRM names it, and explains the protections", () => {
        const refused = runner(["destroy", "--stack", "prod", "--flags", "--yes"]);
        expect(refused.status).to.equal(1);
        expect(mainCalls(refused.calls, "destroy")).to.be.empty;
        expect(refused.out).to.include("CONFIRM=prod").and.include("pulumi state unprotect").and.include("--no-deletion-protection");
        const confirmed = runner(["destroy", "--stack", "prod", "--confirm", "prod", "--flags", "--yes"]);
        expect(confirmed.status).to.equal(0);
        expect(mainCalls(confirmed.calls, "destroy")).to.have.length(4);
    });

    it("deploy-services sets the image tag and updates only the services stack", () => {
        const { status, calls } = runner(["deploy-services", "--stack", "dev", "--image-tag", "git-abc1234", "--flags", "--yes"]);
        expect(status).to.equal(0);
        expect(new Set(calls.filter((c) => c.args[0] !== "version").map((c) => c.layer))).to.deep.equal(new Set(["services"]));
        expect(calls.find((c) => c.args[0] === "config")?.args).to.deep.equal(["config", "set", `${PROJECT_NAMES.services}:imageTag`, "git-abc1234", "--stack", "dev"]);
        expect(mainCalls(calls, "up").map((c) => c.layer)).to.deep.equal(["services"]);
    });

    it("deploy-services without IMAGE_TAG fails with the usage", () => {
        const { status, out, calls } = runner(["deploy-services", "--stack", "dev"]);
        expect(status).to.equal(1);
        expect(out).to.include("make deploy-services IMAGE_TAG=<tag>");
        expect(mainCalls(calls, "up")).to.be.empty;
    });

    it("preview-all uses placeholder outputs only for upstream layers that are not deployed, and up never does", () => {
        const preview = runner(["preview", "--stack", "dev"], { FAKE_PULUMI_DEPLOYED: "foundation" });
        const byLayer = Object.fromEntries(mainCalls(preview.calls, "preview").map((c) => [c.layer, c.placeholders])) as Record<Layer, string | null>;
        expect(byLayer).to.deep.equal({ foundation: null, data: null, secrets: "data", services: "secrets" });
        expect(preview.out).to.include("PLACEHOLDER OUTPUTS for data");
        const up = runner(["up", "--stack", "dev", "--flags", "--yes"]);
        expect(mainCalls(up.calls, "up").every((c) => c.placeholders === null)).to.be.true;
    });

    it("pre-flight stops deploy-all before any pulumi command when config is invalid", () => {
        const config = validStackConfig("dev");
        delete config.data[`${PROJECT_NAMES.data}:redisAuthToken`];
        writeStackFiles(root, "dev", config);
        const { status, out, calls } = runner(["up", "--stack", "dev", "--flags", "--yes"]);
        expect(status).to.equal(1);
        expect(out).to.include(`${PROJECT_NAMES.data}:redisAuthToken`).and.include("pulumi config set --secret");
        expect(calls.filter((c) => c.args[0] !== "version")).to.be.empty;
    });

    it("a per-layer run needs only that layer's config to be valid", () => {
        const config = validStackConfig("dev");
        delete config.services[`${PROJECT_NAMES.services}:githubAppId`];
        writeStackFiles(root, "dev", config);
        const { status, calls } = runner(["up", "--stack", "dev", "--layers", "foundation", "--flags", "--yes"]);
        expect(status).to.equal(0);
        expect(mainCalls(calls, "up").map((c) => c.layer)).to.deep.equal(["foundation"]);
    });

    it("drift previews every layer with --expect-no-changes and names the drifted ones", () => {
        const { status, out, calls } = runner(["drift", "--stack", "dev"], { FAKE_PULUMI_DRIFT: "data,services" });
        expect(status).to.equal(1);
        expect(mainCalls(calls, "preview").every((c) => c.args.includes("--expect-no-changes"))).to.be.true;
        expect(mainCalls(calls, "preview")).to.have.length(4);
        expect(out).to.include("drift: data, services differ");
    });

    it("outputs prints all layers as one JSON document, secrets redacted unless asked", () => {
        const { status, out } = runner(["outputs", "--stack", "dev"], { FAKE_PULUMI_DEPLOYED: "foundation,data,secrets,services" });
        expect(status).to.equal(0);
        const doc = JSON.parse(out.slice(out.indexOf("{"))) as Record<string, { secret: string }>;
        expect(Object.keys(doc)).to.deep.equal([...LAYERS]);
        expect(doc["data"]?.secret).to.equal("[secret]");
        const shown = runner(["outputs", "--stack", "dev", "--show-secrets"], { FAKE_PULUMI_DEPLOYED: "data" });
        expect(shown.out).to.include('"secret": "plain"');
    });

    it("a missing CLI, passphrase or AWS credentials is one line with the fix", () => {
        const noCli = spawnSync(process.execPath, [RUNNER, "up", "--stack", "dev", "--root", root], { encoding: "utf8", env: { PATH: "/nonexistent", HOME: root, PULUMI_CONFIG_PASSPHRASE: "x", AWS_PROFILE: "x" } });
        expect(noCli.status).to.equal(1);
        expect(noCli.stderr.trim().split("\n")).to.have.length(1);
        expect(noCli.stderr).to.include("pulumi CLI was not found").and.include("get.pulumi.com");
        const noSecrets = spawnSync(process.execPath, [RUNNER, "up", "--stack", "dev", "--root", root], { encoding: "utf8", env: { PATH: `${FAKE_BIN}:${process.env["PATH"] ?? ""}`, HOME: root, AWS_PROFILE: "x" } });
        expect(noSecrets.stderr).to.include("PULUMI_CONFIG_PASSPHRASE").and.not.include("    at ");
        const noAws = spawnSync(process.execPath, [RUNNER, "up", "--stack", "dev", "--root", root], { encoding: "utf8", env: { PATH: `${FAKE_BIN}:${process.env["PATH"] ?? ""}`, HOME: root, PULUMI_CONFIG_PASSPHRASE: "x" } });
        expect(noAws.status).to.equal(1);
        expect(noAws.stderr).to.include("no AWS credentials").and.include("aws sso login");
    });

    it("an unknown STACK or layer is refused with the usage", () => {
        const { status, out } = runner(["up", "--stack", "dev;rm -rf /"]);
        expect(status).to.equal(2);
        expect(out).to.include("is not a stack name");
    });
});
