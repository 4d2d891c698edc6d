import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Namer } from "../naming";

/**
 * The service principal ELB log delivery writes as in regions opened since August 2022. Older
 * regions (us-east-1, eu-west-1, ...) deliver as the regional ELB account instead, so the policy
 * names both: the account comes from aws.elb.getServiceAccount for the stack's region.
 */
export const ELB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Key prefix under which every load balancer writes (`<prefix>/<service>/AWSLogs/<account>/...`). */
export const ACCESS_LOG_PREFIX = "alb";

/** Arguments of {@link AccessLogBucket}. */
export interface AccessLogBucketArgs {
    /** Days before S3 deletes a log object. Default: none; the config default is 90. */
    expirationDays: number;
    /** Production-like: the bucket is never emptied on destroy (forceDestroy off). */
    productionLike: boolean;
    /** Physical names of the environment. */
    names: Namer;
}

/**
 * The bucket policy: ELB log delivery may only put objects under the access-log prefix, and any
 * request not over TLS is denied. Pure, so tests and the policy pack read the same statements.
 */
export function accessLogBucketPolicy(bucketArn: string, elbAccountArn?: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ElbLogDelivery",
                Effect: "Allow",
                Principal: { Service: ELB_LOG_DELIVERY },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${ACCESS_LOG_PREFIX}/*`,
            },
            ...(elbAccountArn
                ? [
                      {
                          Sid: "ElbAccountLogDelivery",
                          Effect: "Allow",
                          Principal: { AWS: elbAccountArn },
                          Action: "s3:PutObject",
                          Resource: `${bucketArn}/${ACCESS_LOG_PREFIX}/*`,
                      },
                  ]
                : []),
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * The S3 bucket the public load balancers write access logs to: SSE-S3 (ELB log delivery does not
 * support SSE-KMS), no public access, bucket-owner objects, TLS only, expired after N days. Not
 * versioned: log objects are written once and never overwritten, so versions would only keep
 * expired logs alive and double the lifecycle rules.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    /** Bucket name, for the load balancers' `accessLogs.bucket`. */
    readonly bucketName: pulumi.Output<string>;
    /** The bucket policy; load balancers depend on it (ELB checks it may write when logs are enabled). */
    readonly policy: aws.s3.BucketPolicy;

    constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("proliferate:services:AccessLogBucket", name, {}, opts);
        const parent = { parent: this };
        // A prefix, not a name: bucket names are global across all AWS accounts, and the provider's
        // 26-character suffix makes a clash with someone else's bucket impossible.
        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            { bucketPrefix: `${args.names.name("alb-logs", 36)}-`, forceDestroy: !args.productionLike },
            parent,
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            parent,
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            parent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            parent,
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: { prefix: "" },
                        expiration: { days: args.expirationDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            parent,
        );
        // After the public access block: with it in place the policy is checked as non-public.
        this.policy = new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucket.id,
                policy: pulumi
                    .all([bucket.arn, aws.elb.getServiceAccountOutput({}, { parent: this }).arn])
                    .apply(([arn, elbAccount]) => JSON.stringify(accessLogBucketPolicy(arn, elbAccount))),
            },
            { parent: this, dependsOn: [publicAccess] },
        );
        this.bucketName = bucket.bucket;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
