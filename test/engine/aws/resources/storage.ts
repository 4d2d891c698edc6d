import type { StoredResource } from "../../sim/account";
import { ensure, SimulatedAwsError } from "../../sim/errors";
import { T } from "../../sim/types";
import { bool, isRecord, plain, str, type Props } from "../../sim/values";
import { ensureUnique, findWhere, mustFind, nameOrPrefix, required, type ResourceSpec, type SimContext } from "./spec";

// S3: the services layer's load balancer access-log bucket and its separate configuration
// resources (@pulumi/aws v7 splits them off the bucket). No object is ever written in the
// simulator, so a bucket is always empty and deleting it needs no forceDestroy.

/** S3's bucket naming rules (general purpose buckets): 3-63 lowercase letters, digits, dots, hyphens. */
export function bucketNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > 63) return "must be 3 to 63 characters long";
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
        return "may contain only lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit";
    if (name.includes("..")) return "must not contain two adjacent dots";
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
    if (name.startsWith("xn--") || name.endsWith("-s3alias")) return "uses a prefix or suffix S3 reserves";
    return undefined;
}

const bucket: ResourceSpec = {
    autoname: { property: "bucket", maxLength: 63, lowercase: true, prefixProperty: "bucketPrefix" },
    create(inputs, ctx) {
        const name = nameOrPrefix(inputs, "bucket", "bucketPrefix") ?? required(inputs, "bucket", "s3:CreateBucket");
        const problem = bucketNameProblem(name);
        if (problem) throw new SimulatedAwsError("InvalidBucketName", `The specified bucket is not valid: ${problem}`);
        // Bucket names are one namespace across every account and region.
        ensureUnique(
            ctx,
            T.Bucket,
            "bucket",
            name,
            "BucketAlreadyExists",
            "The requested bucket name is not available",
            true,
        );
        return {
            id: name,
            computed: {
                bucket: name,
                arn: `arn:aws:s3:::${name}`,
                bucketDomainName: `${name}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
                region: ctx.region,
                forceDestroy: bool(inputs, "forceDestroy", false),
            },
        };
    },
};

/** The bucket a configuration resource names; S3's NoSuchBucket when it does not exist. */
function bucketOf(inputs: Props, ctx: SimContext, api: string): StoredResource {
    const name = required(inputs, "bucket", api);
    return mustFind(ctx, T.Bucket, name, "NoSuchBucket", "The specified bucket does not exist");
}

/** A configuration resource: one per bucket, identified by the bucket's name. */
function perBucket(api: string, validate?: (inputs: Props) => void): ResourceSpec {
    return {
        create(inputs, ctx) {
            const b = bucketOf(inputs, ctx, api);
            validate?.(inputs);
            return { id: b.id, computed: {} };
        },
        update(old, news) {
            validate?.(news);
            return old.computed;
        },
    };
}

const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

function validateEncryption(inputs: Props): void {
    const rules = Array.isArray(inputs["rules"]) ? (plain(inputs["rules"]) as unknown[]) : [];
    ensure(rules.length > 0, "MalformedXML", "ServerSideEncryptionConfiguration needs a rule");
    for (const r of rules) {
        const byDefault =
            isRecord(r) && isRecord(r["applyServerSideEncryptionByDefault"])
                ? r["applyServerSideEncryptionByDefault"]
                : {};
        const algorithm = str(byDefault, "sseAlgorithm");
        ensure(
            algorithm !== undefined && ALGORITHMS.includes(algorithm),
            "InvalidArgument",
            `sseAlgorithm must be one of ${ALGORITHMS.join(", ")}`,
        );
    }
}

function validateLifecycle(inputs: Props): void {
    const rules = Array.isArray(inputs["rules"]) ? (plain(inputs["rules"]) as unknown[]) : [];
    ensure(rules.length > 0 && rules.length <= 1000, "MalformedXML", "a lifecycle configuration has 1 to 1000 rules");
    for (const r of rules) {
        const rule = isRecord(r) ? r : {};
        ensure(
            ["Enabled", "Disabled"].includes(str(rule, "status") ?? ""),
            "MalformedXML",
            "a lifecycle rule's status is Enabled or Disabled",
        );
        const expiration = isRecord(rule["expiration"]) ? rule["expiration"] : {};
        const days = expiration["days"];
        ensure(
            days === undefined || (typeof days === "number" && Number.isInteger(days) && days > 0),
            "InvalidArgument",
            "'Days' for Expiration action must be a positive integer",
        );
    }
}

function validatePolicy(inputs: Props): void {
    let doc: unknown;
    try {
        doc = JSON.parse(str(inputs, "policy") ?? "");
    } catch {
        throw new SimulatedAwsError("MalformedPolicy", "Policies must be valid JSON");
    }
    ensure(
        isRecord(doc) && Array.isArray(doc["Statement"]) && doc["Statement"].length > 0,
        "MalformedPolicy",
        "Policy has no statements",
    );
}

function validateOwnership(inputs: Props): void {
    const rule = isRecord(inputs["rule"]) ? inputs["rule"] : {};
    ensure(
        ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].includes(str(rule, "objectOwnership") ?? ""),
        "MalformedXML",
        "objectOwnership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter",
    );
}

/**
 * What ELB checks when access logs are turned on: the bucket exists and its policy lets log
 * delivery write, else the load balancer's create or update fails with Access Denied.
 */
export function checkAccessLogBucket(inputs: Props, ctx: SimContext): void {
    const logs = isRecord(inputs["accessLogs"]) ? inputs["accessLogs"] : {};
    if (!bool(logs, "enabled", false)) return;
    const name = str(logs, "bucket") ?? "";
    const denied = new SimulatedAwsError(
        "InvalidConfigurationRequest",
        `Access Denied for bucket: ${name}. Please check S3bucket permission`,
    );
    if (!findWhere(ctx, T.Bucket, (b) => b.id === name, true)) throw denied;
    const policy = findWhere(ctx, T.BucketPolicy, (p) => p.id === name, true);
    if (!policy || !(str(policy.inputs, "policy") ?? "").includes("logdelivery.elasticloadbalancing.amazonaws.com"))
        throw denied;
}

export const STORAGE_SPECS: Readonly<Record<string, ResourceSpec>> = {
    [T.Bucket]: bucket,
    [T.BucketEncryption]: perBucket("s3:PutBucketEncryption", validateEncryption),
    [T.BucketLifecycle]: perBucket("s3:PutBucketLifecycleConfiguration", validateLifecycle),
    [T.BucketOwnershipControls]: perBucket("s3:PutBucketOwnershipControls", validateOwnership),
    [T.BucketPolicy]: perBucket("s3:PutBucketPolicy", validatePolicy),
    [T.BucketPublicAccessBlock]: perBucket("s3:PutPublicAccessBlock"),
};
