import { expect } from "chai";
import { PROJECT_NAMES } from "../../shared/layers";
import { badConfigTable } from "../harness/bad-config";
import { runChain, type Chain } from "../harness/chain";
import { secretsOptions, servicesOptions, type Profile } from "../harness/fixtures";
import { runLayerExpectingError } from "../harness/mocks";

const S = PROJECT_NAMES.secrets;
const V = PROJECT_NAMES.services;

let chains: Record<Profile, Chain>;
let secretsProgram: typeof import("../../stacks/secrets/program");
let servicesProgram: typeof import("../../stacks/services/program");

before(async () => {
    secretsProgram = await import("../../stacks/secrets/program");
    servicesProgram = await import("../../stacks/services/program");
    chains = { dev: await runChain("dev"), prod: await runChain("prod") };
});

badConfigTable(
    "secrets",
    [
        {
            title: "missing sandbox provider",
            config: { [`${S}:defaultSandboxProvider`]: "<unset>" },
            keys: [`${S}:defaultSandboxProvider`],
            fixes: [`pulumi config set ${S}:defaultSandboxProvider e2b`],
        },
        {
            title: "unknown sandbox provider",
            config: { [`${S}:defaultSandboxProvider`]: "docker" },
            keys: [`${S}:defaultSandboxProvider`],
            fixes: [`pulumi config set ${S}:defaultSandboxProvider`],
        },
        {
            title: "missing always-required secret",
            config: { [`${S}:anthropicApiKey`]: "<unset>" },
            keys: [`${S}:anthropicApiKey`, "required for every deployment"],
            fixes: [`pulumi config set --secret ${S}:anthropicApiKey`],
        },
        {
            title: "e2b provider without its key",
            config: { [`${S}:e2bApiKey`]: "<unset>" },
            keys: [`${S}:e2bApiKey`, "defaultSandboxProvider is e2b"],
            fixes: [`pulumi config set --secret ${S}:e2bApiKey`],
        },
        {
            title: "modal provider without its keys, and the e2b key left behind",
            config: { [`${S}:defaultSandboxProvider`]: "modal" },
            keys: [`${S}:modalTokenId`, `${S}:modalTokenSecret`, `${S}:e2bApiKey`, "ignored"],
            fixes: [`pulumi config set --secret ${S}:modalTokenId`, `pulumi config rm ${S}:e2bApiKey`],
        },
        {
            title: "integrations without the Nango key",
            config: { [`${S}:integrationsEnabled`]: "true" },
            keys: [`${S}:nangoSecretKey`, "integrationsEnabled is true"],
            fixes: [`pulumi config set --secret ${S}:nangoSecretKey`],
        },
        {
            title: "cloud profile without billing keys",
            config: { [`${S}:autumnApiKey`]: "<unset>", [`${S}:resendApiKey`]: "<unset>" },
            keys: [`${S}:autumnApiKey`, `${S}:resendApiKey`, "deploymentProfile=cloud"],
            fixes: [`pulumi config set --secret ${S}:autumnApiKey`],
        },
        {
            title: "placeholder secret (value never echoed)",
            config: { [`${S}:serviceAuthToken`]: "replace-me-please" },
            keys: [`${S}:serviceAuthToken`, "placeholder"],
            fixes: [`pulumi config set --secret ${S}:serviceAuthToken`],
            never: ["replace-me-please"],
        },
        {
            title: "GitHub key that is not PEM (value never echoed)",
            config: { [`${S}:githubAppPrivateKey`]: "not-a-pem-key-value" },
            keys: [`${S}:githubAppPrivateKey`, "PEM"],
            fixes: [`pulumi config set --secret ${S}:githubAppPrivateKey`],
            never: ["not-a-pem-key-value"],
        },
        {
            title: "half of the S3 key pair",
            config: { [`${S}:s3AccessKeyId`]: "AKIATESTONLY0000" },
            keys: [`${S}:s3SecretAccessKey`, "together"],
            fixes: [`pulumi config set --secret ${S}:s3SecretAccessKey`],
        },
        {
            title: "KMS key that is not a KMS key ARN",
            config: { [`${S}:kmsKeyArn`]: "arn:aws:iam::123456789012:role/x" },
            keys: [`${S}:kmsKeyArn`],
            fixes: [`pulumi config set ${S}:kmsKeyArn arn:aws:kms:`],
        },
        {
            title: "recovery window out of range",
            config: { [`${S}:recoveryWindowDays`]: "3" },
            keys: [`${S}:recoveryWindowDays`],
            fixes: [`pulumi config set ${S}:recoveryWindowDays`],
        },
        {
            title: "production with a short recovery window",
            profile: "prod",
            config: { [`${S}:recoveryWindowDays`]: "7" },
            keys: [`${S}:recoveryWindowDays`, "14 days"],
            fixes: [`pulumi config set ${S}:recoveryWindowDays 30`],
        },
    ],
    (c) => {
        const chain = chains[c.profile ?? "dev"];
        return {
            program: () => secretsProgram.secrets(),
            opts: secretsOptions(
                c.profile ?? "dev",
                { foundation: chain.foundation.asUpstream(), data: chain.data.asUpstream() },
                c.config,
            ),
        };
    },
);

badConfigTable(
    "services",
    [
        {
            title: "missing required setting",
            config: { [`${V}:githubAppId`]: "<unset>" },
            keys: [`${V}:githubAppId`],
            fixes: [`pulumi config set ${V}:githubAppId 123456`],
        },
        {
            title: "non-numeric GitHub App id",
            config: { [`${V}:githubAppId`]: "my-app" },
            keys: [`${V}:githubAppId`],
            fixes: [`pulumi config set ${V}:githubAppId 123456`],
        },
        {
            title: "bad URL",
            config: { [`${V}:appUrl`]: "app.example.com" },
            keys: [`${V}:appUrl`, "absolute URL"],
            fixes: [`pulumi config set ${V}:appUrl https://app.example.com`],
        },
        {
            title: "bad e-mail",
            config: { [`${V}:emailFrom`]: "noreply" },
            keys: [`${V}:emailFrom`],
            fixes: [`pulumi config set ${V}:emailFrom`],
        },
        {
            title: "e2b settings missing for the e2b provider",
            config: { [`${V}:e2bDomain`]: "<unset>" },
            keys: [`${V}:e2bDomain`, "defaultSandboxProvider is e2b"],
            fixes: [`pulumi config set ${V}:e2bDomain e2b.app`],
        },
        {
            title: "modal setting under the e2b provider is not ignored",
            config: { [`${V}:modalAppName`]: "x" },
            keys: [`${V}:modalAppName`, "ignored"],
            fixes: [`pulumi config rm ${V}:modalAppName`],
        },
        {
            title: "production refuses a mutable per-service tag",
            profile: "prod",
            config: { [`${V}:imageTags`]: '{"gateway":"main"}' },
            keys: [`${V}:imageTags`, "gateway"],
            fixes: [`pulumi config set ${V}:imageTags`],
        },
        {
            title: "image override for an unknown service",
            config: { [`${V}:imageTags`]: '{"gatewy":"v1"}' },
            keys: [`${V}:imageTags`, "gatewy"],
            fixes: [`pulumi config set ${V}:imageTags`],
        },
        {
            title: "production turning load balancer access logs off",
            profile: "prod",
            config: { [`${V}:albAccessLogs`]: "false" },
            keys: [`${V}:albAccessLogs`, "ELB.5"],
            fixes: [`pulumi config set ${V}:albAccessLogs true`],
        },
        {
            title: "production without a certificate",
            profile: "prod",
            config: { [`${V}:certificateArn`]: "<unset>" },
            keys: [`${V}:certificateArn`, "production"],
            fixes: [`pulumi config set ${V}:certificateArn arn:aws:acm:`],
        },
        {
            title: "certificate ARN of another service",
            config: { [`${V}:certificateArn`]: "arn:aws:iam::123456789012:server-certificate/x" },
            keys: [`${V}:certificateArn`],
            fixes: [`pulumi config set ${V}:certificateArn`],
        },
        {
            title: "invalid Fargate size",
            config: { [`${V}:serviceSizes`]: '{"worker":{"cpu":256,"memory":4096}}' },
            keys: [`${V}:serviceSizes`, "worker", "256"],
            fixes: [`pulumi config set ${V}:serviceSizes`],
        },
        {
            title: "size for an unknown service",
            config: { [`${V}:serviceSizes`]: '{"wrker":{"desiredCount":2}}' },
            keys: [`${V}:serviceSizes`, "wrker"],
            fixes: [`pulumi config set ${V}:serviceSizes`],
        },
        {
            title: "half of the S3 settings",
            config: { [`${V}:s3Bucket`]: "uploads" },
            keys: [`${V}:s3Region`],
            fixes: [`pulumi config set ${V}:s3Region us-east-1`],
        },
        {
            title: "retention CloudWatch does not accept",
            config: { [`${V}:logRetentionDays`]: "45" },
            keys: [`${V}:logRetentionDays`],
            fixes: [`pulumi config set ${V}:logRetentionDays`],
        },
    ],
    (c) => {
        const chain = chains[c.profile ?? "dev"];
        return {
            program: () => servicesProgram.services(),
            opts: servicesOptions(
                c.profile ?? "dev",
                { foundation: chain.foundation.asUpstream(), secrets: chain.secrets.asUpstream() },
                c.config,
            ),
        };
    },
);

describe("services: upstream stacks that do not know a catalog service", () => {
    it("fails naming the service and the layer to redeploy, before creating anything", async () => {
        const chain = chains.dev;
        const secrets = chain.secrets.asUpstream();
        const arns = { ...(secrets.outputs["secretArns"] as Record<string, string>) };
        delete arns["llm-proxy"];
        const { error, resources } = await runLayerExpectingError(
            () => servicesProgram.services(),
            servicesOptions("dev", {
                foundation: chain.foundation.asUpstream(),
                secrets: { ...secrets, outputs: { ...secrets.outputs, secretArns: arns } },
            }),
        );
        expect(error.message).to.include("has no secret for service llm-proxy");
        expect(error.message).to.include("cd stacks/secrets && pulumi up --stack dev");
        expect(resources.filter((r) => r.type !== "pulumi:pulumi:StackReference")).to.be.empty;
    });

    it("refuses an upstream output of the wrong shape without printing it", async () => {
        const chain = chains.dev;
        const secrets = chain.secrets.asUpstream();
        const { error } = await runLayerExpectingError(
            () => servicesProgram.services(),
            servicesOptions("dev", {
                foundation: chain.foundation.asUpstream(),
                secrets: { ...secrets, outputs: { ...secrets.outputs, secretArns: ["not", "a", "map"] } },
            }),
        );
        expect(error.message).to.include("secretArns");
        expect(error.message).to.include("not the shape its contract declares");
    });
});
