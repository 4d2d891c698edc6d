import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../scripts/plan";
import { buildPlan } from "../../scripts/plan/report";
import { PROJECT_NAMES } from "../../shared/layers";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";

/** The repository root (tests run from dist/test/plan). */
const ROOT = resolve(__dirname, "..", "..", "..");

/** A temporary root holding only the data tables the plan reads, for stack files written by a test. */
function tempRoot(): string {
    const root = mkdtempSync(join(tmpdir(), "plan-test-"));
    mkdirSync(join(root, "shared", "data"), { recursive: true });
    for (const table of ["aws-prices.json", "replace-on-change.json"])
        copyFileSync(join(ROOT, "shared", "data", table), join(root, "shared", "data", table));
    return root;
}

const CANARY = "CANARY-9b1d4e7a2c5f8e3b6d0a";

describe("make plan", function () {
    this.timeout(60000);
    const roots: string[] = [];
    const root = () => {
        const r = tempRoot();
        roots.push(r);
        return r;
    };
    after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

    it("plans a stack without files from the dev examples, says so, and runs all four layers in under 5 s", async () => {
        const plan = await buildPlan(ROOT, "planx");
        expect(plan.code, plan.text).to.equal(0);
        expect(plan.text).to.include('stack "planx" has no stack files');
        expect(plan.text).to.include("Pulumi.dev.example.yaml");
        for (const layer of ["foundation", "data", "secrets", "services"])
            expect(plan.text).to.include(`== ${layer} (`);
        expect(plan.text).to.match(/databaseUrl = \[secret\]/);
        expect(plan.text).to.include("rollout (modelled worst case");
        expect(plan.text).to.match(/TOTAL stack "planx" \(examples\): \d+ resources/);
        expect(plan.monthly).to.be.greaterThan(50);
        // The goal on two cores; the measured time is printed in the plan's total line.
        expect(plan.programMillis).to.be.lessThan(5000);
        console.log(`      four layers planned in ${Math.round(plan.programMillis)} ms`);
    });

    it("plans a production-like stack from its files: three NAT gateways, Multi-AZ data, certificate listeners", async () => {
        const r = root();
        writeStackFiles(r, "prod", validStackConfig("prod"));
        const plan = await buildPlan(r, "prod");
        expect(plan.code, plan.text).to.equal(0);
        expect(plan.text).to.include("(stack files)");
        expect(plan.text).not.to.include("(examples)");
        expect(plan.text).to.include("3 NAT gateway(s) (OnePerAz)");
        expect(plan.text).to.match(/gateway-service: 2 task\(s\) × 1 vCPU \/ 2 GB/);
        expect(plan.text).to.match(/Multi-AZ/);
        expect(plan.text).to.include("port=443");
    });

    it("prices a stack in eu-west-1 at that region's list prices", async () => {
        const config = validStackConfig("dev");
        config.foundation["aws:region"] = "eu-west-1";
        const r = root();
        writeStackFiles(r, "dev", config);
        const plan = await buildPlan(r, "dev");
        expect(plan.code, plan.text).to.equal(0);
        expect(plan.text).to.include("cost (list prices, eu-west-1, per month)");
        expect(plan.text).to.match(/at eu-west-1 list prices of \d{4}-\d{2}-\d{2}/);
    });

    it("never shows a secret: canaries in encrypted values and in secrets written in clear stay out of the plan", async () => {
        const config = validStackConfig("prod");
        const S = PROJECT_NAMES.secrets;
        const D = PROJECT_NAMES.data;
        config.secrets[`${S}:anthropicApiKey`] = { secure: `v1:${CANARY}-ciphertext` };
        const r1 = root();
        writeStackFiles(r1, "prod", config);
        const encrypted = await buildPlan(r1, "prod");
        expect(encrypted.code, encrypted.text).to.equal(0);
        expect(encrypted.text).not.to.include(CANARY);

        config.secrets[`${S}:anthropicApiKey`] = `${CANARY}-anthropic`;
        config.data[`${D}:dbPassword`] = `${CANARY}-db`;
        const r2 = root();
        writeStackFiles(r2, "prod", config);
        const clear = await buildPlan(r2, "prod");
        // Pre-flight refuses a secret written in clear, and its report must not echo the value either.
        expect(clear.code).to.equal(1);
        expect(clear.text).not.to.include(CANARY);
    });

    it("gives pre-flight's errors and no plan at all for invalid config", async () => {
        const config = validStackConfig("dev");
        config.foundation[`${PROJECT_NAMES.foundation}:environmentClass`] = "bogus";
        config.data[`${PROJECT_NAMES.data}:redisNodeType`] = "cache.not-a-node";
        const r = root();
        writeStackFiles(r, "dev", config);
        const plan = await buildPlan(r, "dev");
        expect(plan.code).to.equal(1);
        expect(plan.text).to.include("environmentClass");
        expect(plan.text).to.include('no plan for stack "dev"');
        expect(plan.text).not.to.include("== foundation");
        expect(plan.text).not.to.include("TOTAL");
    });

    it("refuses a stack that is missing some layers' files, naming them", async () => {
        const config = validStackConfig("dev");
        const r = root();
        writeStackFiles(r, "dev", { foundation: config.foundation, data: config.data });
        const plan = await buildPlan(r, "dev");
        expect(plan.code).to.equal(1);
        expect(plan.text).to.include("stacks/secrets/Pulumi.dev.yaml");
    });

    it("main reads the stack from PROLIFERATE_STACK and refuses a bad name with exit code 2", async () => {
        const errors: string[] = [];
        const saved = console.error;
        console.error = (m: string) => errors.push(m);
        try {
            expect(await main([], {}, ROOT)).to.equal(2);
            expect(await main([], { PROLIFERATE_STACK: "a/b/c" }, ROOT)).to.equal(2);
        } finally {
            console.error = saved;
        }
        expect(errors.join("\n")).to.include("make plan STACK=");
    });

    it("runs as make runs it (node scripts/cli.cjs plan) with no Pulumi CLI on the PATH, in seconds", () => {
        const started = Date.now();
        const run = spawnSync(process.execPath, ["scripts/cli.cjs", "plan"], {
            cwd: ROOT,
            env: { PATH: "/nonexistent", PROLIFERATE_STACK: "planx", HOME: tmpdir() },
            encoding: "utf8",
        });
        const millis = Date.now() - started;
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/TOTAL stack "planx"/);
        expect(run.stdout).to.include("plan-fake-image");
        expect(millis).to.be.lessThan(10000);
        console.log(`      whole command (bundle + four layers) took ${millis} ms`);
    });
});
