import { expect } from "chai";
import { emptyAccount, putResource, type Account, type StoredResource } from "./sim/account";
import { T } from "./sim/types";
import { RESOURCE_SPECS } from "./aws/resources";
import { bucketNameProblem, checkAccessLogBucket } from "./aws/resources/storage";
import type { SimContext } from "./aws/resources/spec";

// The simulated S3 rules the access-log bucket meets on the real engine: name rules, the global
// bucket namespace, configuration resources needing their bucket, and ELB's write check.

const now = new Date("2026-01-01T00:00:00Z");
const ctxOf = (acct: Account, region = "us-east-1"): SimContext => ({ acct, region, now });
const create = (type: string, inputs: Record<string, unknown>, ctx: SimContext) => {
    const spec = RESOURCE_SPECS[type]!;
    const made = spec.create(inputs, ctx);
    const stored: StoredResource = { type, id: made.id, region: ctx.region, inputs, computed: made.computed };
    putResource(ctx.acct, stored);
    return stored;
};

describe("simulated AWS: S3", () => {
    it("accepts S3's bucket names and refuses the others", () => {
        expect(bucketNameProblem("proliferate-prod-alb-logs-20260101000000000000000001")).to.equal(undefined);
        for (const bad of ["ab", "a".repeat(64), "Upper-case", "under_score", "-edge", "a..b", "192.168.1.1"])
            expect(bucketNameProblem(bad), bad).to.be.a("string");
    });

    it("completes a bucketPrefix and keeps bucket names unique across regions", () => {
        const acct = emptyAccount();
        const b = create(T.Bucket, { bucketPrefix: "logs-" }, ctxOf(acct));
        expect(b.id).to.match(/^logs-\d{26}$/);
        expect(b.computed["arn"]).to.equal(`arn:aws:s3:::${b.id}`);
        create(T.Bucket, { bucket: "taken-name" }, ctxOf(acct));
        expect(() => create(T.Bucket, { bucket: "taken-name" }, ctxOf(acct, "eu-west-1"))).to.throw(
            /BucketAlreadyExists|not available/,
        );
    });

    it("refuses configuration of a bucket that does not exist, and invalid settings", () => {
        const ctx = ctxOf(emptyAccount());
        expect(() => create(T.BucketPublicAccessBlock, { bucket: "nope" }, ctx)).to.throw(/does not exist/);
        create(T.Bucket, { bucket: "logs-bucket" }, ctx);
        const sse = (sseAlgorithm: string) => ({
            bucket: "logs-bucket",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }],
        });
        expect(create(T.BucketEncryption, sse("AES256"), ctx).id).to.equal("logs-bucket");
        expect(() => create(T.BucketEncryption, sse("DES"), ctx)).to.throw(/sseAlgorithm/);
        const lifecycle = (days: number) => ({
            bucket: "logs-bucket",
            rules: [{ id: "x", status: "Enabled", expiration: { days } }],
        });
        expect(() => create(T.BucketLifecycle, lifecycle(0), ctx)).to.throw(/positive integer/);
        expect(() => create(T.BucketPolicy, { bucket: "logs-bucket", policy: "{" }, ctx)).to.throw(/valid JSON/);
    });

    it("lets a load balancer log only to an existing bucket whose policy admits ELB log delivery", () => {
        const ctx = ctxOf(emptyAccount());
        const inputs = { accessLogs: { bucket: "logs-bucket", enabled: true } };
        expect(() => checkAccessLogBucket(inputs, ctx)).to.throw(/Access Denied/);
        create(T.Bucket, { bucket: "logs-bucket" }, ctx);
        expect(() => checkAccessLogBucket(inputs, ctx)).to.throw(/Access Denied/);
        const policy = { Statement: [{ Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } }] };
        create(T.BucketPolicy, { bucket: "logs-bucket", policy: JSON.stringify(policy) }, ctx);
        expect(() => checkAccessLogBucket(inputs, ctx)).not.to.throw();
        expect(() => checkAccessLogBucket({ accessLogs: { bucket: "x", enabled: false } }, ctx)).not.to.throw();
    });
});
