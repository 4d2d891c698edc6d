import { expect } from "chai";
import { PROJECT_NAMES } from "../../shared/layers";
import { dataOptions, DB_PASSWORD, foundationOptions, REDIS_TOKEN } from "../harness/fixtures";
import { runLayer, type LayerRun, type UpstreamState } from "../harness/mocks";

type DataProgram = typeof import("../../stacks/data/program");

const D = PROJECT_NAMES.data;
const F = PROJECT_NAMES.foundation;
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const DB = "aws:rds/instance:Instance";

describe("data layer (under mocks)", () => {
    let program: DataProgram;
    let devFoundation: UpstreamState;
    let prodFoundation: UpstreamState;
    let dev: LayerRun;
    let prod: LayerRun;

    before(async () => {
        const foundation = await import("../../stacks/foundation/program");
        program = await import("../../stacks/data/program");
        devFoundation = (await runLayer(() => foundation.foundation(), foundationOptions("dev"))).asUpstream();
        prodFoundation = (await runLayer(() => foundation.foundation(), foundationOptions("prod"))).asUpstream();
        dev = await runLayer(() => program.data(), dataOptions("dev", devFoundation));
        prod = await runLayer(() => program.data(), dataOptions("prod", prodFoundation));
    });

    it("reads its subnets and security groups from the foundation stack through a StackReference", () => {
        const ref = dev.one("pulumi:pulumi:StackReference");
        expect(ref.inputs["name"]).to.equal("organization/proliferate-foundation/dev");
        const subnets = devFoundation.outputs["privateSubnetIds"];
        expect(dev.one("aws:elasticache/subnetGroup:SubnetGroup").inputs["subnetIds"]).to.deep.equal(subnets);
        expect(dev.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"]).to.deep.equal(subnets);
        expect(dev.one(RG).inputs["securityGroupIds"]).to.deep.equal([devFoundation.outputs["redisSecurityGroupId"]]);
        expect(dev.one(DB).inputs["vpcSecurityGroupIds"]).to.deep.equal([
            devFoundation.outputs["postgresSecurityGroupId"],
        ]);
    });

    it("single mode: one node, no failover, and both encryptions and the AUTH token still on", () => {
        const rg = dev.one(RG).inputs;
        expect(rg["numCacheClusters"]).to.equal(1);
        expect(rg["automaticFailoverEnabled"]).to.equal(false);
        expect(rg["multiAzEnabled"]).to.equal(false);
        expect(rg["atRestEncryptionEnabled"]).to.equal(true);
        expect(rg["transitEncryptionEnabled"]).to.equal(true);
        expect(rg["authToken"]).to.equal(REDIS_TOKEN);
        expect(dev.ofType("aws:elasticache/cluster:Cluster")).to.be.empty;
    });

    it("replication mode: two or more nodes with automatic failover and multi-AZ", () => {
        const rg = prod.one(RG).inputs;
        expect(rg["numCacheClusters"]).to.equal(3); // primary + redisReplicaCount=2
        expect(rg["automaticFailoverEnabled"]).to.equal(true);
        expect(rg["multiAzEnabled"]).to.equal(true);
        expect(rg["atRestEncryptionEnabled"]).to.equal(true);
        expect(rg["snapshotRetentionLimit"]).to.equal(7);
    });

    it("uses the parameter group family of the engine version", () => {
        expect(dev.one("aws:elasticache/parameterGroup:ParameterGroup").inputs["family"]).to.equal("redis7");
        expect(dev.one("aws:rds/parameterGroup:ParameterGroup").inputs["family"]).to.equal("postgres16");
    });

    it("exports a rediss:// URL with the token, as a secret", () => {
        const host = dev.outputs["redisHost"] as string;
        expect(dev.outputs["redisUrl"]).to.equal(`rediss://:${REDIS_TOKEN}@${host}:6379`);
        expect(dev.secretOutputs.has("redisUrl")).to.be.true;
    });

    it("Postgres: encrypted gp3, not public, TLS forced, backups, minor upgrades, tags to snapshots", () => {
        const db = dev.one(DB).inputs;
        expect(db["storageEncrypted"]).to.equal(true);
        expect(db["storageType"]).to.equal("gp3");
        expect(db["publiclyAccessible"]).to.equal(false);
        expect(db["backupRetentionPeriod"]).to.equal(7);
        expect(db["autoMinorVersionUpgrade"]).to.equal(true);
        expect(db["copyTagsToSnapshot"]).to.equal(true);
        expect(db["password"]).to.equal(DB_PASSWORD);
        const params = dev.one("aws:rds/parameterGroup:ParameterGroup").inputs["parameters"] as Array<{
            name: string;
            value: string;
        }>;
        expect(params).to.deep.include({ name: "rds.force_ssl", value: "1" });
    });

    it("development: no deletion protection, no final snapshot, single-AZ, not protected", () => {
        const db = dev.one(DB).inputs;
        expect(db["deletionProtection"]).to.equal(false);
        expect(db["skipFinalSnapshot"]).to.equal(true);
        expect(db["multiAz"]).to.equal(false);
    });

    it("production: multi-AZ, deletion protection and a kept final snapshot", () => {
        const db = prod.one(DB).inputs;
        expect(db["multiAz"]).to.equal(true);
        expect(db["deletionProtection"]).to.equal(true);
        expect(db["skipFinalSnapshot"]).to.equal(false);
        expect(db["finalSnapshotIdentifier"]).to.equal("proliferate-dev-postgres-final");
    });

    it("exports databaseUrl as a secret with sslmode=require, and the database location without credentials", () => {
        const url = new URL(dev.outputs["databaseUrl"] as string);
        expect(url.protocol).to.equal("postgresql:");
        expect(url.searchParams.get("sslmode")).to.equal("require");
        expect(decodeURIComponent(url.password)).to.equal(DB_PASSWORD);
        expect(dev.secretOutputs.has("databaseUrl")).to.be.true;
        const database = dev.outputs["database"] as Record<string, unknown>;
        expect(database).to.deep.equal({ mode: "rds", host: url.hostname, port: 5432, name: "proliferate" });
        expect(JSON.stringify(database)).not.to.include(DB_PASSWORD);
    });

    it("enableRds=false creates no database and exports the override as databaseUrl", async () => {
        const override = "postgresql://app:s3cr3t-Value@db.example.internal:5432/app?sslmode=require";
        const foundation = await import("../../stacks/foundation/program");
        const withExternal = await runLayer(
            () => foundation.foundation(),
            foundationOptions("dev", { [`${F}:externalDatabaseCidrs`]: '["10.200.0.0/16"]' }),
        );
        expect(withExternal.outputs["externalDatabase"]).to.deep.equal({ cidrs: ["10.200.0.0/16"], port: 5432 });
        const run = await runLayer(
            () => program.data(),
            dataOptions("dev", withExternal.asUpstream(), {
                [`${D}:enableRds`]: "false",
                [`${D}:dbPassword`]: "<unset>",
                [`${D}:databaseUrlOverride`]: override,
            }),
        );
        expect(run.ofType(DB)).to.be.empty;
        expect(run.ofType("aws:rds/subnetGroup:SubnetGroup")).to.be.empty;
        expect(run.outputs["databaseUrl"]).to.equal(override);
        expect(run.secretOutputs.has("databaseUrl")).to.be.true;
        expect(run.outputs["database"]).to.deep.equal({ mode: "external" });
    });

    it("protects the database and the cache in production only", () => {
        expect(prod.one(DB).protect).to.equal(true);
        expect(prod.one(RG).protect).to.equal(true);
        expect(dev.one(DB).protect).to.equal(false);
        expect(dev.one(RG).protect).to.equal(false);
    });
});
