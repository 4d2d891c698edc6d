import { expect } from "chai";
import { PROJECT_NAMES } from "../../shared/layers";
import { badConfigTable } from "../harness/bad-config";
import { dataOptions, foundationOptions } from "../harness/fixtures";
import { runLayer, runLayerExpectingError, type UpstreamState } from "../harness/mocks";

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;

let foundationProgram: typeof import("../../stacks/foundation/program");
let dataProgram: typeof import("../../stacks/data/program");
let devFoundation: UpstreamState;
let prodFoundation: UpstreamState;

before(async () => {
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
            fixes: [`pulumi config set ${F}:availabilityZoneCount 3`],
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
