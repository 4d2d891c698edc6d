/**
 * Every make target a user runs, run through make in a fresh copy of the repository, against the
 * stand-in pulumi: which layers are touched and in which order, the policy pack on every preview
 * and up, exit codes, stop-at-first-failure, and what each command prints.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LAYERS } from "../../shared/layers";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";
import { layersOf, RepoCopy, touched, verbCalls } from "./make-harness";

const REVERSED = [...LAYERS].reverse();

/** The result column of a layer's summary row. */
const row = (out: string, layer: string) => new RegExp(`^\\s+${layer}\\s+([a-z ]+?)\\s{2,}`, "m").exec(out)?.[1];

describe("make targets, run through make against the stand-in pulumi", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    let server: Server;
    let healthUrl: string;

    before(async () => {
        repo = new RepoCopy();
        repo.build();
        server = createServer((req, res) => {
            res.statusCode = req.url === "/health" || req.url === "/health/liveliness" ? 200 : 404;
            res.end("ok");
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        healthUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
        server.close();
        repo.remove();
    });
    beforeEach(() => {
        writeStackFiles(repo.root, "dev", validStackConfig("dev"));
        writeStackFiles(repo.root, "prod", validStackConfig("prod"));
    });

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

    it("make outputs prints exactly one JSON document on stdout, large outputs whole, secrets redacted", async () => {
        const run = await repo.make(["outputs"], {
            FAKE_PULUMI_DEPLOYED: LAYERS.join(","),
            FAKE_PULUMI_OUTPUT_BYTES: "3000000",
        });
        expect(run.status, run.stderr).to.equal(0);
        const doc = JSON.parse(run.stdout) as Record<string, { secret: string; large: string }>;
        expect(Object.keys(doc)).to.deep.equal([...LAYERS]);
        expect(doc["data"]?.secret).to.equal("[secret]");
        expect(doc["services"]?.large).to.have.length(3_000_000);
        expect(run.stdout).to.not.include("plain-secret-value");
    });

    it("make outputs SHOW_SECRETS=1 reveals secrets; any other value is an error, not a reveal", async () => {
        const shown = await repo.make(["outputs", "SHOW_SECRETS=1"], { FAKE_PULUMI_DEPLOYED: "data" });
        expect(shown.status).to.equal(0);
        expect((JSON.parse(shown.stdout) as Record<string, { secret: string }>)["data"]?.secret).to.equal(
            "plain-secret-value",
        );
        for (const value of ["yes", "true", "0"]) {
            const refused = await repo.make(["outputs", `SHOW_SECRETS=${value}`], { FAKE_PULUMI_DEPLOYED: "data" });
            expect(refused.status).to.equal(2);
            expect(refused.stdout).to.equal("");
            expect(refused.stderr).to.include(`SHOW_SECRETS="${value}"`).and.include("SHOW_SECRETS=1");
            expect(refused.calls).to.be.empty;
        }
    });

    it("make outputs fails when a layer's outputs cannot be read, with the reason on stderr and JSON on stdout", async () => {
        const run = await repo.make(["outputs"], {
            FAKE_PULUMI_DEPLOYED: LAYERS.join(","),
            FAKE_PULUMI_OUTPUT_FAIL: "secrets",
        });
        expect(run.status).to.equal(2);
        const doc = JSON.parse(run.stdout) as Record<string, unknown>;
        expect(doc["secrets"]).to.equal(null);
        expect(doc["data"]).to.not.equal(null);
        expect(run.stderr).to.include("could not read the outputs of secrets").and.include("AccessDenied");
    });

    it("make drift reports no changes only for layers it checked", async () => {
        const clean = await repo.make(["drift"]);
        expect(clean.status, clean.out).to.equal(0);
        expect(verbCalls(clean.calls, "preview").every((c) => c.args.includes("--refresh"))).to.be.true;
        expect(clean.out).to.include("no drift: foundation, data, secrets, services");
        const drifted = await repo.make(["drift"], { FAKE_PULUMI_CHANGES: "preview:data=update:2" });
        expect(drifted.status).to.equal(2);
        expect(drifted.out).to.match(/data\s+drifted\s+0\s+2\s+0\s+0/);
        expect(drifted.out).to.include("drift: data differ").and.include("no drift: foundation, secrets, services");
        const unchecked = await repo.make(["drift"], {
            FAKE_PULUMI_NO_STACK: "services",
            FAKE_PULUMI_FAIL: "preview:secrets",
        });
        expect(unchecked.status).to.equal(2);
        expect(unchecked.out)
            .to.match(/services\s+could not check/)
            .and.match(/secrets\s+could not check/);
        expect(unchecked.out)
            .to.include("no drift: foundation, data")
            .and.include("could not check: secrets, services");
        expect(unchecked.out).to.not.match(/no drift:.*services/);
    });

    it("make smoke probes the health URLs the services stack exports", async () => {
        const ok = await repo.make(["smoke"], { FAKE_PULUMI_OUTPUTS: servicesOutputs() });
        expect(ok.status, ok.out).to.equal(0);
        expect(ok.out).to.include(`PASS  gateway    ${healthUrl}/health`).and.include(`${healthUrl}/health/liveliness`);
        const down = await repo.make(["smoke", "SMOKE_DEADLINE_SECONDS=1"], {
            FAKE_PULUMI_OUTPUTS: JSON.stringify({
                services: { serviceUrls: { gateway: `${healthUrl}/down`, "llm-proxy": healthUrl } },
            }),
        });
        expect(down.status).to.equal(2);
        expect(down.out).to.include("FAIL  gateway").and.include("HTTP 404");
    });

    it("a missing pulumi CLI, passphrase or AWS credentials is one line with the fix, before pulumi runs", async () => {
        const withoutPulumi = (process.env["PATH"] ?? "")
            .split(":")
            .filter((d) => !d.includes("fixtures"))
            .join(":");
        const noCli = await repo.make(["preview-all"], { PATH: withoutPulumi });
        expect(noCli.status).to.equal(2);
        expect(noCli.stderr).to.include("error: the pulumi CLI was not found on PATH").and.include("get.pulumi.com");
        const bare = await repo.make(["preview-all"], {
            PULUMI_CONFIG_PASSPHRASE: "__unset__",
            AWS_ACCESS_KEY_ID: "__unset__",
        });
        expect(bare.status).to.equal(2);
        expect(bare.stderr)
            .to.include("no secrets passphrase: export PULUMI_CONFIG_PASSPHRASE")
            .and.include("no AWS credentials found");
        expect(bare.stderr).to.not.include("    at ");
        expect(verbCalls(bare.calls, "preview")).to.be.empty;
    });

    it("make smoke reports a certificate that does not cover the host as such, and passes one that does", async () => {
        const dir = mkdtempSync(join(tmpdir(), "smoke-tls-"));
        try {
            const cert = (name: string) => {
                const r = spawnSync(
                    "openssl",
                    [
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        `/CN=${name}`,
                        "-addext",
                        `subjectAltName=DNS:${name}`,
                        "-keyout",
                        join(dir, `${name}.key`),
                        "-out",
                        join(dir, `${name}.pem`),
                    ],
                    { encoding: "utf8" },
                );
                if (r.status !== 0) throw new Error(r.stderr);
                return {
                    key: readFileSync(join(dir, `${name}.key`)),
                    cert: readFileSync(join(dir, `${name}.pem`)),
                    ca: join(dir, `${name}.pem`),
                };
            };
            for (const [name, host, expected] of [
                [
                    "other.example",
                    "127.0.0.1",
                    "the TLS certificate does not cover this host name (127.0.0.1, ERR_TLS_CERT_ALTNAME_INVALID)",
                ],
                ["localhost", "localhost", "PASS  gateway"],
            ] as const) {
                const tls = cert(name);
                const https = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) =>
                    res.writeHead(200).end("ok"),
                );
                await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
                const url = `https://${host}:${(https.address() as AddressInfo).port}`;
                const run = await repo.make(["smoke", "SMOKE_DEADLINE_SECONDS=1"], {
                    NODE_EXTRA_CA_CERTS: tls.ca,
                    FAKE_PULUMI_OUTPUTS: JSON.stringify({
                        services: { serviceUrls: { gateway: url, "llm-proxy": url } },
                    }),
                });
                https.close();
                expect(run.out, name).to.include(expected);
                expect(run.status, name).to.equal(name === "localhost" ? 0 : 2);
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
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
