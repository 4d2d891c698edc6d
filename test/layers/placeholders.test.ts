import { expect } from "chai";
import { PLACEHOLDER_ENVIRONMENT_ENV, PLACEHOLDER_LAYERS_ENV } from "../../shared/contracts/reader";
import { secretsOptions, servicesOptions } from "../harness/fixtures";
import { runLayer, runLayerExpectingError, type UpstreamState } from "../harness/mocks";

const NONE: UpstreamState = { outputs: {}, secretOutputNames: [] };

describe("placeholder upstream outputs (preview of a brand-new environment)", () => {
    afterEach(() => {
        delete process.env[PLACEHOLDER_LAYERS_ENV];
        delete process.env[PLACEHOLDER_ENVIRONMENT_ENV];
    });

    it("a preview of the services layer runs before any upstream stack is deployed, reading no StackReference", async () => {
        process.env[PLACEHOLDER_LAYERS_ENV] = "foundation,secrets";
        process.env[PLACEHOLDER_ENVIRONMENT_ENV] = JSON.stringify({
            app: "proliferate",
            name: "dev",
            class: "development",
            region: "eu-west-1",
            tags: {},
        });
        const { services } = await import("../../stacks/services/program");
        const opts = servicesOptions("dev", { foundation: NONE, secrets: NONE });
        opts.upstreams = {};
        const run = await runLayer(() => services(), { ...opts, preview: true });
        expect(run.ofType("pulumi:pulumi:StackReference")).to.be.empty;
        expect(run.one("pulumi:providers:aws").inputs["region"]).to.equal("eu-west-1");
        const svc = run.ofType("aws:ecs/service:Service").find((r) => r.name === "gateway-service");
        expect((svc?.inputs["networkConfiguration"] as { securityGroups: string[] }).securityGroups).to.deep.equal([
            "sg-placeholder-gateway-task",
        ]);
    });

    it("placeholders keep secret outputs secret", async () => {
        process.env[PLACEHOLDER_LAYERS_ENV] = "foundation,data";
        const { secrets } = await import("../../stacks/secrets/program");
        const opts = secretsOptions("dev", { foundation: NONE, data: NONE });
        opts.upstreams = {};
        const run = await runLayer(() => secrets(), { ...opts, preview: true });
        const versions = run.ofType("aws:secretsmanager/secretVersion:SecretVersion");
        expect(versions).to.have.length(3);
        expect(versions.every((v) => v.secretInputs?.includes("secretString"))).to.be.true;
    });

    it("a preview of the data layer with an external database runs against placeholders (pre-flight checks its path)", async () => {
        process.env[PLACEHOLDER_LAYERS_ENV] = "foundation";
        const { data } = await import("../../stacks/data/program");
        const { dataOptions } = await import("../harness/fixtures");
        const opts = dataOptions("dev", NONE, {
            "proliferate-data:enableRds": "false",
            "proliferate-data:dbPassword": "<unset>",
            "proliferate-data:databaseUrlOverride": "postgresql://app:test-pass-01@10.200.4.20:5432/app",
        });
        opts.upstreams = {};
        const run = await runLayer(() => data(), { ...opts, preview: true });
        expect(run.ofType("aws:rds/instance:Instance")).to.be.empty;
    });

    it("up refuses placeholders, naming the layer to deploy first", async () => {
        process.env[PLACEHOLDER_LAYERS_ENV] = "foundation";
        const { data } = await import("../../stacks/data/program");
        const { dataOptions } = await import("../harness/fixtures");
        const { error, resources } = await runLayerExpectingError(() => data(), dataOptions("dev", NONE));
        expect(error.message).to.include("placeholders are only for previews");
        expect(error.message).to.include("cd stacks/foundation && pulumi up --stack dev");
        expect(resources).to.be.empty;
    });
});
