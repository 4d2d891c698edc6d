import { expect } from "chai";
import { SERVICES } from "../../shared/catalog";
import { ELB_LOG_DELIVERY } from "../../shared/components/access-log-bucket";
import { PROJECT_NAMES } from "../../shared/layers";
import { runChain, type Chain } from "../harness/chain";
import type { RecordedResource } from "../harness/mocks";

// Security-review hardening of the services layer (issue 15, point 6): read-only root
// filesystems with explicit writable volumes, and load balancer access logs to a locked-down bucket.

const V = PROJECT_NAMES.services;
const S3 = "aws:s3/";
const BUCKET = `${S3}bucket:Bucket`;
const LB = "aws:lb/loadBalancer:LoadBalancer";

const taskOf = (chain: Chain, service: string): RecordedResource => {
    const r = chain.services.ofType("aws:ecs/taskDefinition:TaskDefinition").find((x) => x.name === `${service}-task`);
    if (!r) throw new Error(`no task definition for ${service}`);
    return r;
};
const containerOf = (chain: Chain, service: string) =>
    (JSON.parse(String(taskOf(chain, service).inputs["containerDefinitions"])) as Array<Record<string, unknown>>)[0]!;
const s3 = (chain: Chain, type: string) => chain.services.one(`${S3}${type}:${type[0]!.toUpperCase()}${type.slice(1)}`);

describe("services layer hardening (under mocks)", () => {
    let dev: Chain;
    let prod: Chain;

    before(async () => {
        dev = await runChain("dev");
        prod = await runChain("prod");
    });

    it("runs each service read-only with its catalog paths as task volumes, unless the catalog says why not", () => {
        for (const s of SERVICES) {
            const c = containerOf(dev, s.name);
            const volumes = taskOf(dev, s.name).inputs["volumes"] as Array<{ name: string }>;
            if (s.writableRoot !== undefined) {
                expect(c["readonlyRootFilesystem"], s.name).to.equal(false);
                expect(volumes, s.name).to.deep.equal([]);
                continue;
            }
            expect(c["readonlyRootFilesystem"], s.name).to.equal(true);
            const mounts = c["mountPoints"] as Array<{
                sourceVolume: string;
                containerPath: string;
                readOnly: boolean;
            }>;
            expect(mounts.map((m) => m.containerPath).sort(), s.name).to.deep.equal(
                [...(s.writablePaths ?? [])].sort(),
            );
            for (const m of mounts) {
                expect(m.readOnly).to.equal(false);
                // An ephemeral Fargate volume: a name and nothing else (no host path, no EFS).
                expect(volumes, s.name).to.deep.include({ name: m.sourceVolume });
            }
        }
        expect(containerOf(dev, "worker")["readonlyRootFilesystem"]).to.equal(true);
        expect(containerOf(dev, "gateway")["mountPoints"]).to.deep.equal([
            { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
        ]);
    });

    it("writes production access logs to one encrypted, private, TLS-only bucket that expires them", () => {
        const bucket = prod.services.one(BUCKET).inputs;
        expect(bucket["bucketPrefix"]).to.match(/^proliferate-[a-z0-9-]+-alb-logs-$/);
        expect(bucket["forceDestroy"]).to.equal(false);
        expect(s3(prod, "bucketServerSideEncryptionConfiguration").inputs["rules"]).to.deep.equal([
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
        const block = s3(prod, "bucketPublicAccessBlock").inputs;
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
            expect(block[k], k).to.equal(true);
        expect(s3(prod, "bucketOwnershipControls").inputs["rule"]).to.deep.equal({
            objectOwnership: "BucketOwnerEnforced",
        });
        const rules = s3(prod, "bucketLifecycleConfiguration").inputs["rules"] as Array<Record<string, unknown>>;
        expect(rules[0]!["expiration"]).to.deep.equal({ days: 90 });
        const policy = JSON.parse(String(s3(prod, "bucketPolicy").inputs["policy"])) as {
            Statement: Array<Record<string, unknown>>;
        };
        const [allow, account, deny] = policy.Statement;
        expect(allow!["Principal"]).to.deep.equal({ Service: ELB_LOG_DELIVERY });
        expect(allow!["Action"]).to.equal("s3:PutObject");
        // Regions older than August 2022 (us-east-1 among them) deliver as the regional ELB account.
        expect(account!["Principal"]).to.deep.equal({ AWS: "arn:aws:iam::127311923021:root" });
        expect(account!["Action"]).to.equal("s3:PutObject");
        expect(account!["Resource"]).to.equal(allow!["Resource"]);
        expect(deny!["Effect"]).to.equal("Deny");
        expect(deny!["Condition"]).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
    });

    it("points every production load balancer's access logs at that bucket, one prefix per service", () => {
        const bucketName = prod.services.one(BUCKET).state?.["bucket"];
        expect(bucketName).to.be.a("string");
        const lbs = prod.services.ofType(LB);
        expect(lbs).to.have.length(SERVICES.filter((s) => s.public).length);
        for (const lb of lbs) {
            expect(lb.inputs["accessLogs"]).to.deep.equal({
                bucket: bucketName,
                enabled: true,
                prefix: `alb/${lb.name.replace(/-alb$/, "")}`,
            });
        }
    });

    it("creates no bucket and no access logs in development unless asked, and keeps them the days configured", async () => {
        expect(dev.services.ofType(BUCKET)).to.have.length(0);
        for (const lb of dev.services.ofType(LB)) expect(lb.inputs["accessLogs"]).to.equal(undefined);
        const on = await runChain("dev", {
            extra: { services: { [`${V}:albAccessLogs`]: "true", [`${V}:albAccessLogExpirationDays`]: "14" } },
        });
        expect(on.services.ofType(BUCKET)).to.have.length(1);
        expect(on.services.one(BUCKET).inputs["forceDestroy"]).to.equal(true);
        const rules = s3(on, "bucketLifecycleConfiguration").inputs["rules"] as Array<Record<string, unknown>>;
        expect(rules[0]!["expiration"]).to.deep.equal({ days: 14 });
        for (const lb of on.services.ofType(LB))
            expect((lb.inputs["accessLogs"] as Record<string, unknown>)["enabled"]).to.equal(true);
    });
});
