/**
 * The make targets that read a deployed environment (outputs, drift, smoke) and the one-line errors
 * for missing tools, run through make in a fresh copy against the stand-in pulumi.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LAYERS } from "../../shared/layers";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";
import { freshCopyPerSuite, healthServerPerSuite, RepoCopy, verbCalls } from "./make-harness";

describe("make outputs, drift and smoke, through make against the stand-in pulumi", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    let healthUrl: string;
    freshCopyPerSuite((r) => (repo = r), ["dev"]);
    healthServerPerSuite((url) => (healthUrl = url));

    /** Services outputs that point the smoke checks at the local server. */
    const servicesOutputs = () =>
        JSON.stringify({
            services: {
                serviceUrls: { gateway: healthUrl, "llm-proxy": healthUrl },
                images: { gateway: "repo:git-1" },
            },
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

    it("the runner itself tells drift (exit 1) from a layer it could not check (exit 2); make reports both as 2", async () => {
        const runner = (env: Record<string, string>) =>
            spawnSync(process.execPath, ["scripts/cli.cjs", "layers", "drift"], {
                cwd: repo.root,
                env: repo.env({ PROLIFERATE_STACK: "dev", ...env }),
                encoding: "utf8",
            });
        expect(runner({}).status).to.equal(0);
        expect(runner({ FAKE_PULUMI_CHANGES: "preview:data=update:1" }).status).to.equal(1);
        expect(
            runner({ FAKE_PULUMI_CHANGES: "preview:data=update:1", FAKE_PULUMI_NO_STACK: "services" }).status,
        ).to.equal(2);
        expect((await repo.make(["drift"], { FAKE_PULUMI_CHANGES: "preview:data=update:1" })).status).to.equal(2);
    });

    it("make check-config checks all four layers' stack files and names each problem with its fix", async () => {
        const ok = await repo.make(["check-config"]);
        expect(ok.status, ok.out).to.equal(0);
        expect(ok.out).to.include('pre-flight: stack "dev" config is valid in all 4 layers');
        expect(ok.calls).to.deep.equal([]);
        const config = validStackConfig("dev");
        delete config.data["proliferate-data:redisAuthToken"];
        writeStackFiles(repo.root, "dev", config);
        const broken = await repo.make(["check-config"]);
        expect(broken.status).to.equal(2);
        expect(broken.out).to.include("proliferate-data:redisAuthToken").and.include("pulumi config set --secret");
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
});
