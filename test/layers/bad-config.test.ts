import { expect } from "chai";
import { PROJECT_NAMES } from "../../shared/layers";
import { runChain, type Chain } from "../harness/chain";
import { dataOptions, foundationOptions, secretsOptions, servicesOptions, type Profile } from "../harness/fixtures";
import { badConfigTable } from "../harness/bad-config";
import { runLayer, runLayerExpectingError, type UpstreamState } from "../harness/mocks";

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;
const S = PROJECT_NAMES.secrets;
const V = PROJECT_NAMES.services;

let foundationProgram: typeof import("../../stacks/foundation/program");
let dataProgram: typeof import("../../stacks/data/program");
let devFoundation: UpstreamState;
let prodFoundation: UpstreamState;
let chains: Record<Profile, Chain>;
let secretsProgram: typeof import("../../stacks/secrets/program");
let servicesProgram: typeof import("../../stacks/services/program");

before(async () => {
    secretsProgram = await import("../../stacks/secrets/program");
    servicesProgram = await import("../../stacks/services/program");
    chains = { dev: await runChain("dev"), prod: await runChain("prod") };
    foundationProgram = await import("../../stacks/foundation/program");
    dataProgram = await import("../../stacks/data/program");
    devFoundation = (await runLayer(() => foundationProgram.foundation(), foundationOptions("dev"))).asUpstream();
    prodFoundation = (await runLayer(() => foundationProgram.foundation(), foundationOptions("prod"))).asUpstream();
});

badConfigTable(
    "foundation",
    [
        {
            title: "missing region",
            config: { "aws:region": "<unset>" },
            keys: ["aws:region"],
            fixes: ["pulumi config set aws:region us-east-1"],
        },
        {
            title: "missing environmentClass",
            config: { [`${F}:environmentClass`]: "<unset>" },
            keys: [`${F}:environmentClass`],
            fixes: [`pulumi config set ${F}:environmentClass development`],
        },
        {
            title: "misspelt enum value",
            config: { [`${F}:environmentClass`]: "prodution" },
            keys: [`${F}:environmentClass`],
            fixes: [`pulumi config set ${F}:environmentClass`],
        },
        {
            title: "placeholder value",
            config: { [`${F}:appName`]: "changeme" },
            keys: [`${F}:appName`],
            fixes: [`pulumi config set ${F}:appName proliferate`],
        },
        {
            title: "invalid CIDR",
            config: { [`${F}:vpcCidr`]: "10.0.0/16" },
            keys: [`${F}:vpcCidr`],
            fixes: [`pulumi config set ${F}:vpcCidr 10.0.0.0/16`],
        },
        {
            title: "CIDR with host bits",
            config: { [`${F}:vpcCidr`]: "10.0.1.0/16" },
            keys: [`${F}:vpcCidr`, "10.0.0.0/16"],
            fixes: [`pulumi config set ${F}:vpcCidr`],
        },
        {
            title: "public VPC range",
            config: { [`${F}:vpcCidr`]: "8.8.0.0/16" },
            keys: [`${F}:vpcCidr`],
            fixes: [`pulumi config set ${F}:vpcCidr 10.0.0.0/16`],
        },
        {
            title: "too many AZs",
            config: { [`${F}:availabilityZoneCount`]: "5" },
            keys: [`${F}:availabilityZoneCount`],
            fixes: [`pulumi config set ${F}:availabilityZoneCount 2`],
        },
        {
            title: "non-numeric AZ count",
            config: { [`${F}:availabilityZoneCount`]: "two" },
            keys: [`${F}:availabilityZoneCount`],
            fixes: [`pulumi config set ${F}:availabilityZoneCount`],
        },
        {
            title: "database open to the internet",
            config: { [`${F}:dbAllowedCidrs`]: '["0.0.0.0/0"]' },
            keys: [`${F}:dbAllowedCidrs`, "0.0.0.0/0"],
            fixes: [`pulumi config set ${F}:dbAllowedCidrs`],
        },
        {
            title: "tags overriding a project tag",
            config: { [`${F}:tags`]: '{"layer":"x"}' },
            keys: [`${F}:tags`, "layer"],
            fixes: [`pulumi config set ${F}:tags`],
        },
        {
            title: "production with a single NAT gateway",
            profile: "prod",
            config: { [`${F}:natGateways`]: "single" },
            keys: [`${F}:natGateways`],
            fixes: [`pulumi config set ${F}:natGateways perAz`],
        },
        {
            title: "production without flow logs",
            profile: "prod",
            config: { [`${F}:flowLogsEnabled`]: "false" },
            keys: [`${F}:flowLogsEnabled`],
            fixes: [`pulumi config set ${F}:flowLogsEnabled true`],
        },
        {
            title: "flow log retention set while flow logs are off",
            config: { [`${F}:flowLogsRetentionDays`]: "30" },
            keys: [`${F}:flowLogsRetentionDays`, "ignored"],
            fixes: [`pulumi config rm ${F}:flowLogsRetentionDays`],
        },
        {
            title: "retention CloudWatch does not accept",
            profile: "prod",
            config: { [`${F}:flowLogsRetentionDays`]: "10" },
            keys: [`${F}:flowLogsRetentionDays`],
            fixes: [`pulumi config set ${F}:flowLogsRetentionDays`],
        },
        {
            title: "several problems are reported together",
            config: { "aws:region": "us-east", [`${F}:vpcCidr`]: "300.0.0.0/16", [`${F}:environmentClass`]: "TODO" },
            keys: ["aws:region", `${F}:vpcCidr`, `${F}:environmentClass`, "3 configuration problems"],
            fixes: ["pulumi config set aws:region us-east-1", `pulumi config set ${F}:vpcCidr 10.0.0.0/16`],
        },
    ],
    (c) => {
        return { program: () => foundationProgram.foundation(), opts: foundationOptions(c.profile ?? "dev", c.config) };
    },
);

const TOKEN = "short-token";
badConfigTable(
    "data",
    [
        {
            title: "missing secret",
            config: { [`${D}:redisAuthToken`]: "<unset>" },
            keys: [`${D}:redisAuthToken`],
            fixes: [`pulumi config set --secret ${D}:redisAuthToken "$(openssl rand -hex 32)"`],
        },
        {
            title: "placeholder secret (value never echoed)",
            config: { [`${D}:dbPassword`]: "changeme-later" },
            keys: [`${D}:dbPassword`, "placeholder"],
            fixes: [`pulumi config set --secret ${D}:dbPassword`],
            never: ["changeme-later"],
        },
        {
            title: "secret too short (value never echoed)",
            config: { [`${D}:redisAuthToken`]: TOKEN },
            keys: [`${D}:redisAuthToken`, "16-128"],
            fixes: [`pulumi config set --secret ${D}:redisAuthToken`],
            never: [TOKEN],
        },
        {
            title: "password with a forbidden character",
            config: { [`${D}:dbPassword`]: "abc@defghijk" },
            keys: [`${D}:dbPassword`, '"@"'],
            fixes: [`pulumi config set --secret ${D}:dbPassword`],
            never: ["abc@defghijk"],
        },
        {
            title: "dbPassword missing while RDS is on",
            config: { [`${D}:dbPassword`]: "<unset>" },
            keys: [`${D}:dbPassword`, "enableRds"],
            fixes: [`pulumi config set --secret ${D}:dbPassword`],
        },
        {
            title: "override missing with RDS off",
            config: { [`${D}:enableRds`]: "false", [`${D}:dbPassword`]: "<unset>" },
            keys: [`${D}:databaseUrlOverride`, "enableRds is false"],
            fixes: [`pulumi config set --secret ${D}:databaseUrlOverride`],
        },
        {
            title: "RDS settings set while RDS is off are not silently ignored",
            config: {
                [`${D}:enableRds`]: "false",
                [`${D}:databaseUrlOverride`]: "postgresql://u:p@db.example.com:5432/x",
            },
            keys: [`${D}:dbPassword`, "ignored"],
            fixes: [`pulumi config rm ${D}:dbPassword`],
        },
        {
            title: "override that is not a Postgres URL",
            config: {
                [`${D}:enableRds`]: "false",
                [`${D}:dbPassword`]: "<unset>",
                [`${D}:databaseUrlOverride`]: "mysql://u:p@h/x",
            },
            keys: [`${D}:databaseUrlOverride`, "postgres"],
            fixes: [`pulumi config set --secret ${D}:databaseUrlOverride`],
            never: ["u:p@h"],
        },
        {
            title: "unknown cache engine",
            config: { [`${D}:redisEngine`]: "memcached" },
            keys: [`${D}:redisEngine`],
            fixes: [`pulumi config set ${D}:redisEngine redis`],
        },
        {
            title: "unsupported engine version",
            config: { [`${D}:redisEngineVersion`]: "5.0" },
            keys: [`${D}:redisEngineVersion`, "7.1"],
            fixes: [`pulumi config set ${D}:redisEngineVersion 7.1`],
        },
        {
            title: "unsupported Postgres version",
            config: { [`${D}:dbEngineVersion`]: "9.6" },
            keys: [`${D}:dbEngineVersion`],
            fixes: [`pulumi config set ${D}:dbEngineVersion 16`],
        },
        {
            title: "replica count without replication",
            config: { [`${D}:redisReplicaCount`]: "2" },
            keys: [`${D}:redisReplicaCount`, "ignored"],
            fixes: [`pulumi config rm ${D}:redisReplicaCount`],
        },
        {
            title: "production without multi-AZ Postgres",
            profile: "prod",
            config: { [`${D}:dbMultiAz`]: "false" },
            keys: [`${D}:dbMultiAz`, "RDS.5"],
            fixes: [`pulumi config set ${D}:dbMultiAz true`],
        },
        {
            title: "production without Redis failover",
            profile: "prod",
            config: { [`${D}:redisReplicationEnabled`]: "false", [`${D}:redisReplicaCount`]: "<unset>" },
            keys: [`${D}:redisReplicationEnabled`],
            fixes: [`pulumi config set ${D}:redisReplicationEnabled true`],
        },
        {
            title: "storage ceiling below the allocation",
            config: { [`${D}:dbAllocatedStorageGb`]: "200", [`${D}:dbMaxAllocatedStorageGb`]: "100" },
            keys: [`${D}:dbMaxAllocatedStorageGb`],
            fixes: [`pulumi config set ${D}:dbMaxAllocatedStorageGb 1000`],
        },
        {
            title: "malformed foundationStack override",
            config: { [`${D}:foundationStack`]: "just-a-name" },
            keys: [`${D}:foundationStack`, "<org>/<project>/<stack>"],
            fixes: [`pulumi config set ${D}:foundationStack organization/proliferate-foundation/dev`],
        },
        {
            title: "reserved master user name",
            config: { [`${D}:dbUsername`]: "rdsadmin" },
            keys: [`${D}:dbUsername`, "reserved"],
            fixes: [`pulumi config set ${D}:dbUsername proliferate`],
        },
    ],
    (c) => ({
        program: () => dataProgram.data(),
        opts: dataOptions(c.profile ?? "dev", c.profile === "prod" ? prodFoundation : devFoundation, c.config),
    }),
);

describe("data: a missing upstream output", () => {
    it("fails naming the upstream stack, the missing keys and the command that deploys it", async () => {
        const partial: UpstreamState = {
            outputs: Object.fromEntries(
                Object.entries(devFoundation.outputs).filter(
                    ([k]) => k !== "privateSubnetIds" && k !== "redisSecurityGroupId",
                ),
            ),
            secretOutputNames: [],
        };
        const { error, resources } = await runLayerExpectingError(
            () => dataProgram.data(),
            dataOptions("dev", partial),
        );
        expect(error.message).to.include('stack "organization/proliferate-foundation/dev"');
        expect(error.message).to.include("privateSubnetIds, redisSecurityGroupId");
        expect(error.message).to.include("cd stacks/foundation && pulumi up --stack dev");
        expect(resources.filter((r) => r.type !== "pulumi:pulumi:StackReference")).to.be.empty;
    });

    it("fails naming the stack and the override key when the upstream stack does not exist", async () => {
        const opts = dataOptions("dev", devFoundation);
        opts.upstreams = {};
        const { error } = await runLayerExpectingError(() => dataProgram.data(), opts);
        expect(error.message).to.include("organization/proliferate-foundation/dev");
        expect(error.message).to.include(`pulumi config set ${D}:foundationStack`);
        expect(error.message).to.include("cd stacks/foundation && pulumi up --stack dev");
    });

    it("reads a differently named foundation stack when foundationStack is set", async () => {
        const opts = dataOptions("dev", devFoundation, {
            [`${D}:foundationStack`]: "acme/proliferate-foundation/shared-dev",
        });
        opts.upstreams = { "acme/proliferate-foundation/shared-dev": devFoundation };
        const run = await runLayer(() => dataProgram.data(), opts);
        expect(run.one("pulumi:pulumi:StackReference").inputs["name"]).to.equal(
            "acme/proliferate-foundation/shared-dev",
        );
    });
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
