import { accessLogBucketPolicy } from "../../shared/components/access-log-bucket";
import { container, goodLb, goodTd, LB, type PolicyCase, PROD, res, TD } from "./policy-fixtures";

/** Cases of the read-only root (ECS.5), access-log (ELB.5) and S3 policies. */

const S3 = "aws:s3/";
const bucket = res(`${S3}bucket:Bucket`, "logs-bucket", { bucket: "proliferate-prod-alb-logs-1", id: "x" });
const sse = (sseAlgorithm: string) =>
    res(`${S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`, "logs-sse", {
        bucket: "proliferate-prod-alb-logs-1",
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }],
    });
const block = (on: boolean) =>
    res(`${S3}bucketPublicAccessBlock:BucketPublicAccessBlock`, "logs-block", {
        bucket: "proliferate-prod-alb-logs-1",
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: on,
        restrictPublicBuckets: true,
    });
const policy = (statements: unknown) =>
    res(`${S3}bucketPolicy:BucketPolicy`, "logs-policy", {
        bucket: "proliferate-prod-alb-logs-1",
        policy: JSON.stringify(statements),
    });
const arn = "arn:aws:s3:::proliferate-prod-alb-logs-1";
const tlsOnly = policy(accessLogBucketPolicy(arn));
const deliveryOnly = policy({
    Version: "2012-10-17",
    Statement: [(accessLogBucketPolicy(arn) as { Statement: unknown[] }).Statement[0]],
});

export const STORAGE_CASES: Record<string, PolicyCase> = {
    "ecs-5-read-only-root-filesystem": {
        // llm-proxy states in the catalog why its root stays writable, so it is exempt.
        good: [
            res(TD, "task", goodTd),
            res(TD, "proxy", {
                ...goodTd,
                containerDefinitions: container({ name: "llm-proxy", readonlyRootFilesystem: false }),
            }),
        ],
        bad: [res(TD, "task", { ...goodTd, containerDefinitions: container({ readonlyRootFilesystem: false }) })],
        names: "task",
    },
    "elb-5-access-logs": {
        good: [res(LB, "alb", goodLb, { provider: PROD })],
        bad: [res(LB, "alb", { ...goodLb, accessLogs: undefined }, { provider: PROD })],
        names: "alb",
    },
    "s3-encryption-at-rest": {
        good: [bucket, sse("AES256"), block(true), tlsOnly],
        bad: [bucket, block(true), tlsOnly],
        names: "logs-bucket",
    },
    "s3-8-block-public-access": {
        good: [bucket, sse("AES256"), block(true), tlsOnly],
        bad: [bucket, sse("AES256"), block(false), tlsOnly],
        names: "logs-bucket",
    },
    "s3-5-ssl-only": {
        good: [bucket, sse("AES256"), block(true), tlsOnly],
        bad: [bucket, sse("AES256"), block(true), deliveryOnly],
        names: "logs-bucket",
    },
};
