import { arr, json, obj, ofType, refs, stackPolicy, type ProjectPolicy, type Res } from "../../rules";

/**
 * S3 controls of AWS Security Hub FSBP for the buckets the project creates (today only the load
 * balancer access-log bucket). In @pulumi/aws v7 encryption, public access block and policy are
 * separate resources naming the bucket, so these are stack policies that join them to the bucket.
 */

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** The resources of a type that name the bucket: by reference (engine) or by the bucket's name or id. */
function attachedTo(resources: readonly Res[], bucket: Res, type: string): Res[] {
    const ids = new Set<unknown>([bucket.props["bucket"], bucket.props["id"]].filter((v) => typeof v === "string"));
    return ofType(resources, type).filter(
        (r) => refs(r, "bucket").some((b) => b.urn === bucket.urn) || ids.has(r.props["bucket"]),
    );
}

/** True when the policy document denies every request made without TLS. */
export function deniesInsecureTransport(policy: unknown): boolean {
    const doc = json<{ Statement?: unknown }>(policy);
    return arr(doc?.Statement).some((s) => {
        const st = obj(s);
        const secure = obj(obj(st["Condition"])["Bool"])["aws:SecureTransport"];
        const actions = arr(st["Action"]).length > 0 ? arr(st["Action"]) : [st["Action"]];
        return st["Effect"] === "Deny" && String(secure) === "false" && actions.some((a) => a === "s3:*");
    });
}

export const storagePolicies: ProjectPolicy[] = [
    stackPolicy({
        name: "s3-encryption-at-rest",
        control: "S3 SSE",
        level: "mandatory",
        why: "objects are encrypted at rest by default; ELB access logs accept SSE-S3 only, so no KMS key is needed",
        check: (resources, fail) => {
            for (const b of ofType(resources, BUCKET)) {
                const ok = attachedTo(resources, b, SSE).some((c) =>
                    arr(c.props["rules"]).some((r) =>
                        ["AES256", "aws:kms", "aws:kms:dsse"].includes(
                            String(obj(obj(r)["applyServerSideEncryptionByDefault"])["sseAlgorithm"]),
                        ),
                    ),
                );
                if (!ok)
                    fail(
                        b,
                        "has no default encryption",
                        'add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "AES256"',
                    );
            }
        },
    }),
    stackPolicy({
        name: "s3-8-block-public-access",
        control: "S3.8",
        level: "mandatory",
        why: "no bucket of the project is public; the block also stops a later ACL or policy from making it so",
        check: (resources, fail) => {
            const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
            for (const b of ofType(resources, BUCKET)) {
                const ok = attachedTo(resources, b, PUBLIC_ACCESS_BLOCK).some((p) =>
                    flags.every((f) => p.props[f] === true),
                );
                if (!ok)
                    fail(
                        b,
                        "has no public access block with all four settings on",
                        `add an aws.s3.BucketPublicAccessBlock with ${flags.join(", ")} true`,
                    );
            }
        },
    }),
    stackPolicy({
        name: "s3-5-ssl-only",
        control: "S3.5",
        level: "mandatory",
        why: "requests without TLS are refused by the bucket policy, whoever makes them",
        check: (resources, fail) => {
            for (const b of ofType(resources, BUCKET)) {
                const ok = attachedTo(resources, b, BUCKET_POLICY).some((p) =>
                    deniesInsecureTransport(p.props["policy"]),
                );
                if (!ok)
                    fail(
                        b,
                        "accepts requests without TLS",
                        'add a bucket policy statement denying "s3:*" when aws:SecureTransport is "false"',
                    );
            }
        },
    }),
];
