import {
    albGroup,
    goodDb,
    goodRg,
    type PolicyCase,
    PROD,
    providerRes,
    RDS,
    res,
    RG,
    rule,
    taskGroup,
} from "./policy-fixtures";

/** Cases of the EC2 networking, RDS, ElastiCache, Secrets Manager, KMS and provider policies. */
export const NETWORK_DATA_CASES: Record<string, PolicyCase> = {
    "ec2-2-default-security-group-closed": {
        good: [
            res("awsx:ec2:Vpc", "vpc", {}),
            res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg", {}),
        ],
        bad: [
            res("awsx:ec2:Vpc", "vpc", {}),
            res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg", {
                ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", self: true }],
            }),
        ],
        names: "default-sg",
    },
    "ec2-18-19-no-unrestricted-ingress": {
        good: [
            albGroup,
            taskGroup,
            rule(albGroup, { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
            rule(taskGroup, { referencedSecurityGroupId: "sg-alb", fromPort: 8080, toPort: 8080 }),
        ],
        bad: [taskGroup, rule(taskGroup, { cidrIpv6: "::/0", fromPort: 443, toPort: 443 })],
        names: "gateway-task-rule",
    },
    "ec2-6-vpc-flow-logs": {
        good: [providerRes("production"), res("awsx:ec2:Vpc", "vpc", {}), res("aws:ec2/flowLog:FlowLog", "flow", {})],
        bad: [providerRes("production"), res("awsx:ec2:Vpc", "vpc", {})],
        names: "vpc",
    },
    "rds-2-not-public": {
        good: [res(RDS, "db", goodDb)],
        bad: [res(RDS, "db", { ...goodDb, publiclyAccessible: true })],
        names: "db",
    },
    "rds-3-encrypted": {
        good: [res(RDS, "db", goodDb)],
        bad: [res(RDS, "db", { ...goodDb, storageEncrypted: false })],
        names: "db",
    },
    "rds-11-automatic-backups": {
        good: [res(RDS, "db", goodDb)],
        bad: [res(RDS, "db", { ...goodDb, backupRetentionPeriod: 0 })],
        names: "db",
    },
    "rds-13-minor-upgrades": {
        good: [res(RDS, "db", goodDb)],
        bad: [res(RDS, "db", { ...goodDb, autoMinorVersionUpgrade: false })],
        names: "db",
    },
    "rds-17-copy-tags-to-snapshots": {
        good: [res(RDS, "db", goodDb)],
        bad: [res(RDS, "db", { ...goodDb, copyTagsToSnapshot: false })],
        names: "db",
    },
    "elasticache-2-minor-upgrades": {
        good: [res(RG, "redis", goodRg)],
        bad: [res(RG, "redis", { ...goodRg, autoMinorVersionUpgrade: false })],
        names: "redis",
    },
    "elasticache-4-encrypted-at-rest": {
        good: [res(RG, "redis", goodRg)],
        bad: [res(RG, "redis", { ...goodRg, atRestEncryptionEnabled: false })],
        names: "redis",
    },
    "elasticache-5-encrypted-in-transit": {
        good: [res(RG, "redis", goodRg)],
        bad: [res(RG, "redis", { ...goodRg, transitEncryptionEnabled: false })],
        names: "redis",
    },
    "elasticache-6-auth": {
        good: [res(RG, "redis", goodRg)],
        bad: [res(RG, "redis", { ...goodRg, authToken: undefined })],
        names: "redis",
    },
    "elasticache-7-no-default-subnet-group": {
        good: [res(RG, "redis", goodRg)],
        bad: [res(RG, "redis", { ...goodRg, subnetGroupName: undefined })],
        names: "redis",
    },
    "kms-key-rotation": {
        good: [res("aws:kms/key:Key", "key", { enableKeyRotation: true })],
        bad: [res("aws:kms/key:Key", "key", { enableKeyRotation: false })],
        names: "key",
    },
    "rds-5-multi-az": {
        good: [res(RDS, "db", goodDb, { provider: PROD })],
        bad: [res(RDS, "db", { ...goodDb, multiAz: false }, { provider: PROD })],
        names: "db",
    },
    "rds-8-deletion-protection": {
        good: [res(RDS, "db", goodDb, { provider: PROD })],
        bad: [res(RDS, "db", { ...goodDb, deletionProtection: false }, { provider: PROD })],
        names: "db",
    },
    "elasticache-1-automatic-backups": {
        good: [res(RG, "redis", goodRg, { provider: PROD })],
        bad: [res(RG, "redis", { ...goodRg, snapshotRetentionLimit: 0 }, { provider: PROD })],
        names: "redis",
    },
    "elasticache-3-automatic-failover": {
        good: [res(RG, "redis", goodRg, { provider: PROD })],
        bad: [res(RG, "redis", { ...goodRg, automaticFailoverEnabled: false }, { provider: PROD })],
        names: "redis",
    },
    "protect-stateful-resources": {
        good: [res(RDS, "db", goodDb, { provider: PROD, opts: { protect: true } })],
        bad: [
            res("aws:secretsmanager/secret:Secret", "worker-secret", {}, { provider: PROD, opts: { protect: false } }),
        ],
        names: "worker-secret",
    },
    "nat-gateway-per-az": {
        good: [providerRes("production"), res("awsx:ec2:Vpc", "vpc", { natGateways: { strategy: "OnePerAz" } })],
        bad: [providerRes("production"), res("awsx:ec2:Vpc", "vpc", { natGateways: { strategy: "Single" } })],
        names: "vpc",
    },
    "provider-default-tags": {
        good: [providerRes("development")],
        bad: [res("pulumi:providers:aws", "aws", { region: "us-east-1" })],
        names: "aws",
    },
    "secretsmanager-1-rotation": {
        good: [
            res("aws:secretsmanager/secret:Secret", "s", {}),
            res("aws:secretsmanager/secretRotation:SecretRotation", "rot", {}),
        ],
        bad: [res("aws:secretsmanager/secret:Secret", "s", {})],
        names: "s",
    },
    "cost-high-availability-in-development": {
        good: [providerRes("development"), res(RDS, "db", { ...goodDb, multiAz: false })],
        bad: [providerRes("development"), res(RDS, "db", goodDb)],
        names: "db",
    },
};
