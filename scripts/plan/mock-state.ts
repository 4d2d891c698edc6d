import { createHash } from "node:crypto";

/**
 * What the mock monitor answers: the provider functions the programs may call, and the computed
 * outputs of the resource types whose outputs the programs use. Kept apart from the runner in
 * mocks.ts so each stays small.
 */

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION_AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];

/** Provider functions the programs may call, with realistic answers. */
export const CALLS: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
    // The regional ELB account access logs are delivered as (us-east-1's, as AWS documents it).
    "aws:elb/getServiceAccount:getServiceAccount": () => ({
        id: "127311923021",
        arn: "arn:aws:iam::127311923021:root",
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
        names: MOCK_REGION_AZS,
        zoneIds: MOCK_REGION_AZS.map((_, i) => `use1-az${i + 1}`),
        id: "us-east-1",
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/test`,
        userId: "AIDTEST",
        id: MOCK_ACCOUNT,
    }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    "aws:index/getRegion:getRegion": () => ({ name: "us-east-1", region: "us-east-1", id: "us-east-1" }),
};

/** Realistic computed outputs for the resource types whose outputs the programs use. */
export function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string, fallback: string) => (typeof inputs[k] === "string" ? inputs[k] : fallback);
    const [pkg, mod] = type.split(/[:/]/);
    const state: Record<string, unknown> = {
        arn: `arn:aws:${mod ?? pkg}:us-east-1:${MOCK_ACCOUNT}:${name}`,
        name: str("name", `${name}-${"abc1234"}`),
    };
    switch (type) {
        case "awsx:ec2:Vpc": {
            const azs = (inputs["availabilityZoneNames"] as string[] | undefined) ?? MOCK_REGION_AZS.slice(0, 2);
            return {
                vpcId: "vpc-0mock",
                publicSubnetIds: azs.map((az) => `subnet-public-${az}`),
                privateSubnetIds: azs.map((az) => `subnet-private-${az}`),
                routeTables: azs.flatMap((az) => [{ id: `rtb-public-${az}` }, { id: `rtb-private-${az}` }]),
            };
        }
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                ...state,
                primaryEndpointAddress: `master.${str("replicationGroupId", name)}.abc123.use1.cache.amazonaws.com`,
            };
        case "aws:rds/instance:Instance": {
            const address = `${str("identifier", name)}.abc123.us-east-1.rds.amazonaws.com`;
            return { ...state, address, endpoint: `${address}:5432` };
        }
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                ...state,
                dnsName: `${str("name", name)}-123456.us-east-1.elb.amazonaws.com`,
                arnSuffix: `app/${str("name", name)}/abc`,
                // The canonical hosted zone of ALBs in us-east-1 (what alias records point at).
                zoneId: "Z35SXDOTRQ7X7K",
            };
        case "aws:lb/targetGroup:TargetGroup":
            return { ...state, arnSuffix: `targetgroup/${name}/abc` };
        case "aws:ecr/repository:Repository":
            return { ...state, repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${str("name", name)}` };
        case "aws:secretsmanager/secret:Secret":
            return {
                ...state,
                arn: `arn:aws:secretsmanager:us-east-1:${MOCK_ACCOUNT}:secret:${str("name", name)}-AbCdEf`,
            };
        case "aws:secretsmanager/secretVersion:SecretVersion": {
            // Secrets Manager gives each stored value a new version id: derived from the value here,
            // so a changed secret shows up as a changed id downstream, as it does in AWS.
            const digest = createHash("sha256")
                .update(`${str("secretId", "")}\n${str("secretString", "")}`)
                .digest("hex");
            const versionId = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
            return { ...state, arn: str("secretId", state["arn"] as string), versionId, versionStages: ["AWSCURRENT"] };
        }
        case "aws:cloudwatch/logGroup:LogGroup":
            return { ...state, arn: `arn:aws:logs:us-east-1:${MOCK_ACCOUNT}:log-group:${str("name", name)}` };
        case "aws:s3/bucket:Bucket": {
            // The provider completes a bucketPrefix with a 26-character unique suffix.
            const bucket = str("bucket", `${str("bucketPrefix", `${name}-`)}20260101000000000000000001`);
            return { ...state, bucket, id: bucket, arn: `arn:aws:s3:::${bucket}` };
        }
        case "aws:iam/role:Role":
            return { ...state, arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${str("name", name)}` };
        default:
            return state;
    }
}
