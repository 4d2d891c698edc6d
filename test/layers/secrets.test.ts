import { expect } from "chai";
import { PROJECT_NAMES } from "../../shared/layers";
import { runChain, type Chain } from "../harness/chain";
import { APP_SECRET_VALUES } from "../harness/fixtures";

const S = PROJECT_NAMES.secrets;
const SECRET = "aws:secretsmanager/secret:Secret";
const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

function payload(chain: Chain, service: string): Record<string, string> {
    const v = chain.secrets.ofType(VERSION).find((r) => r.name === `${service}-secret-value`);
    return JSON.parse(String(v?.inputs["secretString"])) as Record<string, string>;
}

describe("secrets layer (under mocks)", () => {
    let dev: Chain;
    let prod: Chain;

    before(async () => {
        dev = await runChain("dev");
        prod = await runChain("prod");
    });

    it("creates one secret per service, named <app>/<env>/<service>", () => {
        expect(
            dev.secrets
                .ofType(SECRET)
                .map((r) => r.inputs["name"])
                .sort(),
        ).to.deep.equal(["proliferate/dev/gateway", "proliferate/dev/llm-proxy", "proliferate/dev/worker"]);
        expect(dev.secrets.outputs["secretNames"]).to.deep.equal({
            worker: "proliferate/dev/worker",
            gateway: "proliferate/dev/gateway",
            "llm-proxy": "proliferate/dev/llm-proxy",
        });
    });

    it("deletes development secrets at once (destroy then deploy reuses the names), keeps production's 30 days and protects them", () => {
        expect(dev.secrets.ofType(SECRET).every((r) => r.inputs["recoveryWindowInDays"] === 0 && !r.protect)).to.be
            .true;
        expect(prod.secrets.ofType(SECRET).every((r) => r.inputs["recoveryWindowInDays"] === 30 && r.protect)).to.be
            .true;
    });

    it("a development window can still be chosen (7-30), and production keeps at least 14 days", async () => {
        const chain = await runChain("dev", { extra: { secrets: { [`${S}:recoveryWindowDays`]: "7" } } });
        expect(chain.secrets.ofType(SECRET).every((r) => r.inputs["recoveryWindowInDays"] === 7)).to.be.true;
    });

    it("protects the production secrets but never their versions, which a new value replaces", () => {
        expect(prod.secrets.ofType(VERSION)).to.have.length(3);
        expect(prod.secrets.ofType(VERSION).every((v) => v.protect === false)).to.be.true;
        expect(prod.secrets.ofType(SECRET).every((r) => r.protect === true)).to.be.true;
    });

    it("exports each secret's current version id for the task definitions", () => {
        const ids = dev.secrets.outputs["secretVersionIds"] as Record<string, string>;
        expect(Object.keys(ids).sort()).to.deep.equal(["gateway", "llm-proxy", "worker"]);
        for (const v of dev.secrets.ofType(VERSION)) {
            expect(ids[v.name.replace(/-secret-value$/, "")]).to.equal(v.state?.["versionId"]);
        }
    });

    it("gives each service only its own keys: the LLM proxy never sees GitHub or billing secrets", () => {
        expect(Object.keys(payload(dev, "llm-proxy")).sort()).to.deep.equal([
            "ANTHROPIC_API_KEY",
            "DATABASE_URL",
            "LITELLM_MASTER_KEY",
        ]);
        expect(payload(dev, "llm-proxy")["LITELLM_MASTER_KEY"]).to.equal(APP_SECRET_VALUES["llmProxyMasterKey"]);
        expect(payload(dev, "gateway")).not.to.have.property("ANTHROPIC_API_KEY");
        expect(payload(dev, "worker")).not.to.have.property("BETTER_AUTH_SECRET");
    });

    it("puts the sandbox provider's keys in the worker's payload only for that provider", () => {
        expect(payload(dev, "worker")).to.include({ E2B_API_KEY: APP_SECRET_VALUES["e2bApiKey"] });
        expect(payload(dev, "worker")).not.to.have.any.keys("MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET", "NANGO_SECRET_KEY");
        expect(payload(prod, "worker")).to.include({
            MODAL_TOKEN_ID: APP_SECRET_VALUES["modalTokenId"],
            NANGO_SECRET_KEY: APP_SECRET_VALUES["nangoSecretKey"],
        });
        expect(payload(prod, "worker")).not.to.have.property("E2B_API_KEY");
    });

    it("exports ARNs, names, key names and the profile, never a value", () => {
        expect(Object.keys(dev.secrets.outputs["secretArns"] as object).sort()).to.deep.equal([
            "gateway",
            "llm-proxy",
            "worker",
        ]);
        expect((dev.secrets.outputs["secretKeys"] as Record<string, string[]>)["llm-proxy"]).to.deep.equal([
            "DATABASE_URL",
            "LITELLM_MASTER_KEY",
            "ANTHROPIC_API_KEY",
        ]);
        expect(dev.secrets.outputs["appProfile"]).to.deep.equal({
            deploymentProfile: "cloud",
            defaultSandboxProvider: "e2b",
            integrationsEnabled: false,
        });
        expect(dev.secrets.secretOutputs.size).to.equal(0);
    });

    it("encrypts with a customer-managed KMS key when one is configured, and exports it for the execution roles", async () => {
        const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const chain = await runChain("dev", { extra: { secrets: { [`${S}:kmsKeyArn`]: key } } });
        expect(chain.secrets.ofType(SECRET).every((r) => r.inputs["kmsKeyId"] === key)).to.be.true;
        const policy = chain.services
            .ofType("aws:iam/rolePolicy:RolePolicy")
            .find((r) => r.name === "worker-execution");
        const statements = (
            JSON.parse(String(policy?.inputs["policy"])) as {
                Statement: Array<{ Sid: string; Resource: string; Condition?: unknown }>;
            }
        ).Statement;
        expect(statements.find((s) => s.Sid === "DecryptOwnSecret")).to.deep.include({
            Resource: key,
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
        });
    });
});
