/**
 * `make e2e`: one environment's life, through make, on the real Pulumi engine over a simulated AWS
 * (see harness.ts), with state in S3 and secrets encrypted by KMS (both moto), then the same first
 * deploy on a file backend with passphrase secrets. The steps build on each other like an
 * operator's day; each later change of behaviour adds its step here.
 *
 * What it does not prove: anything about real AWS (the provider plugins are simulated), and the
 * smoke checks (the simulated load balancers answer no HTTP; deploy-all runs with SMOKE=0).
 */
import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { LAYERS } from "../../shared/layers";
import type { MakeRun } from "../make/make-harness";
import { EngineRepo, e2eTools, Moto } from "./harness";

const STACK = "e2e";

/** A layer's row of a run's summary table: result and create/update/replace/delete counts. */
function row(run: MakeRun, layer: string): { result: string; counts: number[] } {
    const m = new RegExp(`^\\s+${layer}\\s+([a-z ]+?)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+\\S+$`, "m").exec(
        run.stderr,
    );
    if (!m) throw new Error(`no summary row for ${layer}:\n${run.out.slice(-3000)}`);
    return { result: m[1] ?? "", counts: [m[2], m[3], m[4], m[5]].map((c) => Number(c)) };
}

describe("make e2e: an environment's life on the real engine over a simulated AWS", function () {
    this.timeout(900_000);
    let moto: Moto | undefined;
    let env: EngineRepo;
    const smokeOff = ["SMOKE=0"];

    before(async function () {
        const tools = e2eTools();
        if ("missing" in tools) {
            console.error(`    skipped: ${tools.missing}`);
            this.skip();
        }
        moto = await Moto.start(tools.python);
        env = new EngineRepo(tools, {
            url: `s3://proliferate-e2e-state?region=us-east-1&endpoint=${moto.endpoint}&use_path_style=true`,
            secretsProvider: `awskms://alias/proliferate-pulumi?region=us-east-1&endpoint=${moto.endpoint}`,
            endpoint: moto.endpoint,
        });
        env.repo.build();
    });
    after(() => {
        env?.remove();
        moto?.stop();
    });

    it("make bootstrap-backend creates the state bucket and KMS key", async () => {
        const run = await env.make(["bootstrap-backend", "BUCKET=proliferate-e2e-state", "AWS_REGION=us-east-1"]);
        expect(run.status, run.out).to.equal(0);
        expect(run.stdout).to.include("created KMS key").and.include("created bucket proliferate-e2e-state");
        // moto evaluates aws:SecureTransport as false even over TLS, so the deny-non-TLS bucket policy
        // would refuse every request here. On AWS it stays; here it is removed after the check above.
        const del = spawnSync("aws", ["s3api", "delete-bucket-policy", "--bucket", "proliferate-e2e-state"], {
            env: env.repo.env(env.env),
            encoding: "utf8",
        });
        expect(del.status, del.stderr).to.equal(0);
    });

    it("a new environment: check-config, preview-all before any upstream exists, deploy-all, no drift", async () => {
        env.configure(STACK, "dev");
        const check = await env.make(["check-config", `STACK=${STACK}`]);
        expect(check.status, check.out).to.equal(0);

        const preview = await env.make(["preview-all", `STACK=${STACK}`]);
        expect(preview.status, preview.out).to.equal(0);
        expect(preview.stderr).to.include("PLACEHOLDER OUTPUTS for foundation");
        for (const layer of LAYERS) expect(row(preview, layer).counts[0], layer).to.be.greaterThan(0);

        const deploy = await env.make(["deploy-all", `STACK=${STACK}`, "FLAGS=--yes", ...smokeOff]);
        expect(deploy.status, deploy.out).to.equal(0);
        for (const layer of LAYERS) expect(row(deploy, layer).result, layer).to.equal("changed");
        expect(deploy.stderr).to.include("(from BACKEND)").and.include("s3://proliferate-e2e-state");
        // State lives in the bucket, encrypted with the KMS key: no secret in clear text there.
        const state = env.exportState("data", STACK);
        expect(state.deployment.resources?.some((r) => r.type === "aws:rds/instance:Instance")).to.be.true;

        const drift = await env.make(["drift", `STACK=${STACK}`]);
        expect(drift.status, drift.out).to.equal(0);
        expect(drift.stderr).to.include("no drift: foundation, data, secrets, services");
    });

    it("make outputs returns every layer's outputs as JSON with secrets redacted", async () => {
        const run = await env.make(["outputs", `STACK=${STACK}`]);
        expect(run.status, run.stderr).to.equal(0);
        const doc = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
        expect(Object.keys(doc)).to.deep.equal([...LAYERS]);
        expect(doc["foundation"]?.["vpcId"]).to.match(/^vpc-/);
        expect(JSON.stringify(doc["data"])).to.include("[secret]");
        expect(run.stdout).to.not.include("postgresql://");
    });

    it("make deploy-services changes resources only in the services stack", async () => {
        const run = await env.make(["deploy-services", `STACK=${STACK}`, "IMAGE_TAG=git-e2e0001", "FLAGS=--yes"]);
        expect(run.status, run.out).to.equal(0);
        const services = row(run, "services");
        expect(services.result).to.equal("changed");
        expect(run.stderr).to.not.match(/^\s+(foundation|data|secrets)\s/m);
        // Nothing else moved: the upstream layers show no changes afterwards.
        const drift = await env.make(["drift", `STACK=${STACK}`]);
        expect(drift.stderr, drift.out).to.include("no drift: foundation, data, secrets, services");
    });

    it("the policy pack, loaded by the real engine, blocks a violating change with the policy's message", async () => {
        const component = env.repo.path("shared", "components", "postgres.ts");
        const original = readFileSync(component, "utf8");
        writeFileSync(component, original.replace("publiclyAccessible: false", "publiclyAccessible: true"));
        try {
            const run = await env.make(["up-data", `STACK=${STACK}`, "FLAGS=--yes"]);
            expect(run.status).to.equal(2);
            expect(run.out).to.include("rds-2-not-public").and.include("mandatory");
            expect(row(run, "data").result).to.equal("failed");
            const state = env.exportState("data", STACK);
            const db = state.deployment.resources?.find((r) => r.type === "aws:rds/instance:Instance") as unknown as {
                outputs: { publiclyAccessible?: boolean };
            };
            expect(db.outputs.publiclyAccessible).to.not.equal(true);
        } finally {
            writeFileSync(component, original);
        }
    });

    it("destroying an upstream layer under live downstream stacks is refused, and destroy-all empties every layer", async () => {
        const refused = await env.make(["destroy-foundation", `STACK=${STACK}`, "FLAGS=--yes"]);
        expect(refused.status).to.equal(2);
        expect(refused.stderr).to.include("refusing to destroy foundation").and.include("make destroy-services");
        expect(env.exportState("foundation", STACK).deployment.resources?.length).to.be.greaterThan(10);

        const all = await env.make(["destroy-all", `STACK=${STACK}`, "FLAGS=--yes"]);
        expect(all.status, all.out).to.equal(0);
        for (const layer of LAYERS) {
            const left = (env.exportState(layer, STACK).deployment.resources ?? []).filter(
                (r) => !r.type.startsWith("pulumi:"),
            );
            expect(left, layer).to.deep.equal([]);
        }
    });

    it("an interrupted deploy-all leaves no pulumi running and no lock; the documented recovery and a re-run complete it", async () => {
        // After destroy-all the environment is rebuilt; Ctrl-C lands while foundation is being created.
        let seen = 0;
        const interrupted = await env.makeInterrupted(
            ["deploy-all", `STACK=${STACK}`, "FLAGS=--yes", ...smokeOff],
            "SIGINT",
            (output) => {
                if (!output.includes("creating")) return false;
                seen++;
                return seen > 20; // about a second into the creates
            },
        );
        expect(interrupted.out).to.include("Interrupted by SIGINT");
        expect(interrupted.out)
            .to.match(/foundation\s+interrupted/)
            .and.match(/services\s+not started/);
        expect(env.leftoverProcesses(), "pulumi processes left running").to.deep.equal([]);
        const locks = spawnSync("aws", ["s3", "ls", "--recursive", "s3://proliferate-e2e-state/.pulumi/locks/"], {
            env: env.repo.env(env.env),
            encoding: "utf8",
        });
        expect(locks.stdout.trim(), "a stack lock was left behind").to.equal("");
        // Recovery (docs/operations.md#recovery): refresh clears what the cancelled update left pending.
        const refresh = await env.make(["refresh-foundation", `STACK=${STACK}`, "FLAGS=--yes --clear-pending-creates"]);
        expect(refresh.status, refresh.out).to.equal(0);
        expect(env.exportState("foundation", STACK).deployment.pending_operations ?? []).to.deep.equal([]);
        const again = await env.make(["deploy-all", `STACK=${STACK}`, "FLAGS=--yes", ...smokeOff]);
        expect(again.status, again.out).to.equal(0);
    });

    it("pulumi up by hand inside stacks/services with a new image tag changes only that stack", () => {
        const before = LAYERS.map((l) => JSON.stringify(env.exportState(l, STACK).deployment.resources));
        const up = env.pulumi("services", ["up", "--yes", "--stack", STACK], { PROLIFERATE_IMAGE_TAG: "git-e2e0002" });
        expect(up.status, up.stderr).to.equal(0);
        const tag = env.pulumi("services", ["stack", "output", "imageTag", "--stack", STACK]);
        expect(tag.stdout.trim()).to.equal("git-e2e0002");
        const after = LAYERS.map((l) => JSON.stringify(env.exportState(l, STACK).deployment.resources));
        expect(after.slice(0, 3)).to.deep.equal(before.slice(0, 3));
        expect(after[3]).to.not.equal(before[3]);
        // The next deploy-all, from any checkout, keeps that tag: it is read back from the stack itself.
    });

    it("a later deploy-all without IMAGE_TAG keeps the deployed tag, and a rollback uses previousTag", async () => {
        const imageTag = () => env.pulumi("services", ["stack", "output", "imageTag", "--stack", STACK]).stdout.trim();
        const again = await env.make(["deploy-all", `STACK=${STACK}`, "FLAGS=--yes", ...smokeOff]);
        expect(again.status, again.out).to.equal(0);
        expect(imageTag()).to.equal("git-e2e0002");
        const next = await env.make(["deploy-services", `STACK=${STACK}`, "IMAGE_TAG=git-e2e0003", "FLAGS=--yes"]);
        expect(next.status, next.out).to.equal(0);
        const outputs = await env.make(["outputs", `STACK=${STACK}`]);
        const services = (JSON.parse(outputs.stdout) as Record<string, Record<string, unknown>>)["services"] ?? {};
        const record = services["imageDeployment"] as { tag?: string; previousTag?: string; deployedBy?: string };
        expect(record.tag).to.equal("git-e2e0003");
        expect(record.previousTag).to.equal("git-e2e0002");
        expect(record.deployedBy).to.be.a("string").and.not.equal("");
        const rollback = await env.make([
            "deploy-services",
            `STACK=${STACK}`,
            `IMAGE_TAG=${record.previousTag}`,
            "FLAGS=--yes",
        ]);
        expect(rollback.status, rollback.out).to.equal(0);
        expect(imageTag()).to.equal("git-e2e0002");
    });

    it("a production-class environment: a secret rotation updates in place and rolls only the service that reads it", async () => {
        env.configure("e2eprod", "prod");
        const deploy = await env.make(["deploy-all", "STACK=e2eprod", "FLAGS=--yes", ...smokeOff]);
        expect(deploy.status, deploy.out).to.equal(0);
        const taskDefinitions = () =>
            Object.fromEntries(
                (env.exportState("services", "e2eprod").deployment.resources ?? [])
                    .filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")
                    .map((r) => [r.urn.split("::").pop() ?? "", r.id]),
            );
        const before = taskDefinitions();
        // BETTER_AUTH_SECRET is read by the gateway only (docs/configuration.md#secret-mapping).
        const set = env.pulumi("secrets", [
            "config",
            "set",
            "--secret",
            "--stack",
            "e2eprod",
            "--",
            "proliferate-secrets:betterAuthSecret",
            "rotated-e2e-value-4f1c",
        ]);
        expect(set.status, set.stderr).to.equal(0);
        const secrets = await env.make(["up-secrets", "STACK=e2eprod", "FLAGS=--yes"]);
        expect(secrets.status, secrets.out).to.equal(0);
        expect(secrets.out).to.not.include("protect");
        const rolled = await env.make(["up-services", "STACK=e2eprod", "FLAGS=--yes"]);
        expect(rolled.status, rolled.out).to.equal(0);
        const after = taskDefinitions();
        const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
        expect(changed).to.deep.equal(["gateway-task"]);
        expect(rolled.out).to.not.include("rotated-e2e-value-4f1c");
    });

    it("destroy-all of a production-class stack needs CONFIRM, and protected resources then stop it", async () => {
        const refused = await env.make(["destroy-all", "STACK=e2eprod", "FLAGS=--yes"]);
        expect(refused.status).to.equal(2);
        expect(refused.stderr).to.include("CONFIRM=e2eprod").and.include("pulumi state unprotect");
        const confirmed = await env.make(["destroy-all", "STACK=e2eprod", "CONFIRM=e2eprod", "FLAGS=--yes"]);
        expect(confirmed.status).to.equal(2);
        // What stops it first is a protection the refusal above listed: the load balancers' deletion
        // protection (AWS) or Pulumi's protect on the secrets, Redis and Postgres.
        expect(confirmed.out, confirmed.stderr.slice(-3000)).to.match(/deletion protection|protected/i);
        expect(confirmed.stderr).to.match(/(services|secrets|data)\s+failed/);
        const data = env.exportState("data", "e2eprod").deployment.resources ?? [];
        expect(data.some((r) => r.type === "aws:rds/instance:Instance")).to.be.true;
    });

    it("the same first deploy on a file backend with passphrase secrets", async () => {
        const fileEnv = new EngineRepo(e2eTools() as { engine: string; python: string }, { url: "file://" });
        try {
            const dir = fileEnv.repo.path("..", "file-state");
            mkdirSync(dir, { recursive: true });
            fileEnv.env["BACKEND"] = `file://${dir}`;
            fileEnv.env["PULUMI_CONFIG_PASSPHRASE"] = "e2e-only-passphrase";
            fileEnv.repo.build();
            fileEnv.configure("local", "dev");
            const run = await fileEnv.make(["deploy-all", "STACK=local", "FLAGS=--yes", ...smokeOff]);
            expect(run.status, run.out).to.equal(0);
            expect(run.stderr).to.include("state backend: file://");
            const outputs = await fileEnv.make(["outputs", "STACK=local"]);
            expect((JSON.parse(outputs.stdout) as Record<string, unknown>)["services"]).to.not.equal(null);
        } finally {
            fileEnv.remove();
        }
    });
});
