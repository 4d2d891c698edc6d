import { arr, resourcePolicy, TYPES, type ProjectPolicy } from "../../rules";

/** ElastiCache controls of AWS Security Hub FSBP, mandatory in every environment. */

const CACHE = [TYPES.replicationGroup, "aws:elasticache/cluster:Cluster"];
export const cachePolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "elasticache-2-minor-upgrades",
        control: "ElastiCache.2",
        level: "mandatory",
        why: "minor versions carry security fixes",
        types: CACHE,
        check: (r, fail) => {
            if (r.props["autoMinorVersionUpgrade"] === false || r.props["autoMinorVersionUpgrade"] === "false")
                fail("automatic minor version upgrades are off", "set autoMinorVersionUpgrade: true");
        },
    }),
    resourcePolicy({
        name: "elasticache-4-encrypted-at-rest",
        control: "ElastiCache.4",
        level: "mandatory",
        why: "cached data and snapshots must be encrypted at rest",
        types: [TYPES.replicationGroup],
        check: (r, fail) => {
            if (r.props["atRestEncryptionEnabled"] !== true && r.props["atRestEncryptionEnabled"] !== "true")
                fail("encryption at rest is off", "set atRestEncryptionEnabled: true (replaces the group)");
        },
    }),
    resourcePolicy({
        name: "elasticache-5-encrypted-in-transit",
        control: "ElastiCache.5",
        level: "mandatory",
        why: "the AUTH token and the data must not cross the network in clear",
        types: [TYPES.replicationGroup],
        check: (r, fail) => {
            if (r.props["transitEncryptionEnabled"] !== true)
                fail(
                    "in-transit encryption (TLS) is off",
                    "set transitEncryptionEnabled: true and connect with rediss://",
                );
        },
    }),
    resourcePolicy({
        name: "elasticache-6-auth",
        control: "ElastiCache.6",
        level: "mandatory",
        why: "a cache reachable without credentials is open to every task in the VPC",
        types: [TYPES.replicationGroup],
        check: (r, fail) => {
            if (!r.props["authToken"] && arr(r.props["userGroupIds"]).length === 0)
                fail(
                    "neither an AUTH token nor RBAC user groups are set",
                    "set authToken (with transitEncryptionEnabled) or userGroupIds",
                );
        },
    }),
    resourcePolicy({
        name: "elasticache-7-no-default-subnet-group",
        control: "ElastiCache.7",
        level: "mandatory",
        why: "the default subnet group spans the default VPC's public subnets",
        types: CACHE,
        check: (r, fail) => {
            const group = r.props["subnetGroupName"];
            if (!group || group === "default")
                fail(
                    "uses the default subnet group",
                    "create an aws.elasticache.SubnetGroup on private subnets and set subnetGroupName",
                );
        },
    }),
];
