/**
 * Operating an environment safely, through make against the stand-ins: the state backend is never
 * guessed, a hung layer is stopped by TIMEOUT, an upstream layer is not destroyed under a live
 * downstream one, destroy-all reaches every layer that has a stack, and bootstrap-backend creates
 * only on a genuine not-found.
 */
import { expect } from "chai";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshCopyPerSuite, layersOf, RepoCopy, touched, verbCalls } from "./make-harness";

describe("operations, through make against the stand-ins", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    freshCopyPerSuite((r) => (repo = r));

    describe("state backend", () => {
        const unset = { BACKEND: "__unset__" };

        it("uses an explicit BACKEND and prints it", async () => {
            const run = await repo.make(["preview-all"], { BACKEND: "file:///tmp/explicit-state" });
            expect(run.status, run.out).to.equal(0);
            expect(run.stderr).to.include("state backend: file:///tmp/explicit-state (from BACKEND)");
            expect(verbCalls(run.calls, "preview").every((c) => c.backend === "file:///tmp/explicit-state")).to.be.true;
        });

        it("uses the backend pulumi login chose before any fallback, printed without secrets", async () => {
            const login = "s3://acme-state?region=eu-west-1&awssdk=v2&secret_key=hunter2";
            const run = await repo.make(["preview-all", "STACK=prod"], { ...unset, FAKE_PULUMI_LOGIN: login });
            expect(run.status, run.out).to.equal(0);
            expect(run.stderr).to.include(
                "state backend: s3://acme-state?region=eu-west-1&awssdk=v2 (from pulumi login)",
            );
            expect(run.out).to.not.include("hunter2");
            expect(verbCalls(run.calls, "preview").every((c) => c.backend === login)).to.be.true;
        });

        it("falls back to the project-local file backend only for a development stack outside CI, and says so", async () => {
            const dev = await repo.make(["preview-all"], unset);
            expect(dev.status, dev.out).to.equal(0);
            expect(dev.stderr).to.include(
                `state backend: file://${repo.path(".pulumi-state")} (from project-local fallback (development stack outside CI))`,
            );
            for (const [stack, extra, why] of [
                ["dev", { CI: "true" }, "in CI (CI=true)"],
                ["prod", {}, "for a production-like stack"],
            ] as const) {
                const run = await repo.make(["deploy-all", `STACK=${stack}`, "FLAGS=--yes"], { ...unset, ...extra });
                expect(run.status, run.out).to.equal(2);
                expect(run.stderr).to.include(`no state backend is set ${why}`).and.include("set BACKEND");
                expect(verbCalls(run.calls, "up")).to.be.empty;
                expect(run.calls.filter((c) => c.args[0] === "stack")).to.be.empty;
            }
        });

        it("refuses an empty passphrase for the passphrase secrets provider", async () => {
            const run = await repo.make(["preview-all"], { PULUMI_CONFIG_PASSPHRASE: "" });
            expect(run.status).to.equal(2);
            expect(run.stderr).to.include("PULUMI_CONFIG_PASSPHRASE is set but empty");
            expect(verbCalls(run.calls, "preview")).to.be.empty;
            const kms = await repo.make(["preview-all"], {
                PULUMI_CONFIG_PASSPHRASE: "",
                SECRETS_PROVIDER: "awskms://alias/x",
            });
            expect(kms.status, kms.out).to.equal(0);
        });
    });

    describe("TIMEOUT", () => {
        const standIns = () => readdirSync(repo.pidDir);

        it("cancels a hung layer, starts no other, and leaves no pulumi running", async () => {
            const started = Date.now();
            const run = await repo.make(["deploy-all", "FLAGS=--yes", "TIMEOUT=1"], { FAKE_PULUMI_HANG: "up:data" });
            expect(run.status).to.equal(2);
            expect(Date.now() - started).to.be.lessThan(20_000);
            expect(run.calls.filter((c) => c.interrupted).map((c) => c.interrupted)).to.deep.equal(["SIGINT"]);
            expect(run.out)
                .to.match(/data\s+interrupted/)
                .and.match(/secrets\s+not started/);
            expect(run.out).to.include("reached the TIMEOUT time limit");
            expect(touched(run.calls)).to.not.include("services");
            expect(standIns()).to.deep.equal([]);
        });

        it("escalates to SIGTERM after the grace period when pulumi ignores SIGINT", async () => {
            const run = await repo.make(["up-data", "FLAGS=--yes", "TIMEOUT=1"], {
                FAKE_PULUMI_HANG: "up:data",
                FAKE_PULUMI_STUBBORN: "1",
            });
            expect(run.status).to.equal(2);
            expect(run.calls.filter((c) => c.ignored).map((c) => c.ignored)).to.deep.equal(["SIGINT"]);
            expect(run.calls.filter((c) => c.interrupted).map((c) => c.interrupted)).to.deep.equal(["SIGTERM"]);
            expect(standIns()).to.deep.equal([]);
        });

        it("refuses a TIMEOUT that is not a time limit", async () => {
            for (const value of ["soon", "-5", "0", "1.5m"]) {
                const run = await repo.make(["deploy-all", `TIMEOUT=${value}`]);
                expect(run.status, value).to.equal(2);
                expect(run.stderr, value).to.include(`TIMEOUT="${value}" is not a time limit`);
                expect(run.calls, value).to.be.empty;
            }
        });
    });

    describe("destroy", () => {
        it("refuses to destroy an upstream layer while downstream stacks hold resources, naming them and the order", async () => {
            const run = await repo.make(["destroy-data", "FLAGS=--yes"], {
                FAKE_PULUMI_RESOURCES: "secrets:3,services:12",
            });
            expect(run.status).to.equal(2);
            expect(verbCalls(run.calls, "destroy")).to.be.empty;
            expect(run.stderr)
                .to.include(
                    'refusing to destroy data of stack "dev": downstream stacks still use it: secrets (3 resources), services (12 resources)',
                )
                .and.include("make destroy-services STACK=dev, then make destroy-secrets STACK=dev")
                .and.include("IGNORE_DOWNSTREAM=1");
            const forced = await repo.make(["destroy-data", "FLAGS=--yes", "IGNORE_DOWNSTREAM=1"], {
                FAKE_PULUMI_RESOURCES: "secrets:3,services:12",
            });
            expect(forced.status, forced.out).to.equal(0);
            expect(layersOf(forced.calls, "destroy")).to.deep.equal(["data"]);
            const foundation = await repo.make(["destroy-foundation", "FLAGS=--yes"], {
                FAKE_PULUMI_RESOURCES: "services:1",
            });
            expect(foundation.status).to.equal(2);
            expect(foundation.stderr).to.include("downstream stacks still use it: services (1 resources)");
        });

        it("make destroy-all empties the layers in reverse order, passing the guard as each downstream empties", async () => {
            const run = await repo.make(["destroy-all", "FLAGS=--yes"], {
                FAKE_PULUMI_RESOURCES: "data:4,secrets:3,services:12",
            });
            expect(run.status, run.out).to.equal(0);
            expect(layersOf(run.calls, "destroy")).to.deep.equal(["services", "secrets", "data", "foundation"]);
        });

        it("make destroy-all destroys every layer that has a stack and reports those that had none", async () => {
            const run = await repo.make(["destroy-all", "FLAGS=--yes"], { FAKE_PULUMI_NO_STACK: "services,secrets" });
            expect(run.status, run.out).to.equal(0);
            expect(layersOf(run.calls, "destroy")).to.deep.equal(["data", "foundation"]);
            expect(run.out)
                .to.match(/services\s+no stack/)
                .and.match(/secrets\s+no stack/)
                .and.match(/foundation\s+ok/);
        });
    });

    describe("make bootstrap-backend", () => {
        const awsCalls = () =>
            readFileSync(join(repo.root, "..", "aws.log"), "utf8")
                .split("\n")
                .filter((l) => l !== "");
        const bootstrap = async (vars: string[], env: Record<string, string> = {}) => {
            const log = join(repo.root, "..", "aws.log");
            writeFileSync(log, "");
            const run = await repo.make(["bootstrap-backend", ...vars], { FAKE_AWS_LOG: log, ...env });
            return { ...run, aws: awsCalls() };
        };

        it("creates a rotated KMS key and a versioned, encrypted, private, TLS-only bucket, naming the owner on every bucket call", async () => {
            const run = await bootstrap(["BUCKET=acme-state", "AWS_REGION=eu-west-1"]);
            expect(run.status, run.out).to.equal(0);
            const find = (prefix: string) => run.aws.find((c) => c.startsWith(prefix)) ?? "";
            expect(find("kms create-alias")).to.include(
                "--alias-name alias/proliferate-pulumi --target-key-id key-new",
            );
            expect(find("kms enable-key-rotation")).to.include("--key-id key-new");
            expect(find("s3api create-bucket")).to.include("LocationConstraint=eu-west-1");
            expect(find("s3api put-bucket-versioning")).to.include("Status=Enabled");
            expect(find("s3api put-bucket-encryption")).to.include('"SSEAlgorithm":"aws:kms"').and.include("key-new");
            expect(find("s3api put-public-access-block")).to.include(
                "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            );
            expect(find("s3api put-bucket-policy")).to.include('"aws:SecureTransport":"false"');
            const bucketCalls = run.aws.filter((c) => c.startsWith("s3api") && !c.startsWith("s3api create-bucket"));
            expect(bucketCalls).to.have.length(6);
            expect(bucketCalls.every((c) => c.includes("--expected-bucket-owner 123456789012"))).to.be.true;
            expect(run.aws.some((c) => c.startsWith("dynamodb"))).to.be.false;
            expect(run.stdout)
                .to.include("pulumi login 's3://acme-state?region=eu-west-1'")
                .and.include("export BACKEND='s3://acme-state?region=eu-west-1'")
                .and.include("export SECRETS_PROVIDER='awskms://alias/proliferate-pulumi?region=eu-west-1'");
        });

        it("is idempotent: an existing key and bucket are reused, their settings applied again", async () => {
            const run = await bootstrap(["BUCKET=acme-state"], { FAKE_AWS_EXISTING: "1" });
            expect(run.status, run.out).to.equal(0);
            expect(run.aws.some((c) => c.startsWith("kms create-key") || c.startsWith("s3api create-bucket"))).to.be
                .false;
            expect(run.aws.find((c) => c.startsWith("kms enable-key-rotation"))).to.include("key-existing");
        });

        it("stops on any look-up error other than not-found, creating nothing", async () => {
            for (const failing of ["kms describe-key", "s3api head-bucket"]) {
                const run = await bootstrap(["BUCKET=acme-state"], { FAKE_AWS_FAIL: failing });
                expect(run.status, failing).to.equal(2);
                expect(run.stderr, failing)
                    .to.include(`error: aws ${failing} failed, and not with a not-found`)
                    .and.include("AccessDenied");
                expect(
                    run.aws.some((c) => c.includes("create-key") || c.includes("create-bucket")),
                    failing,
                ).to.be.false;
            }
        });

        it("refuses to run without BUCKET, saying how to set it", async () => {
            const run = await bootstrap([]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.include("set BUCKET=");
            expect(run.aws).to.be.empty;
        });
    });
});
