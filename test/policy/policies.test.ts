import { expect } from "chai";
import { ALL_POLICIES } from "../../policy/policies";
import { SG_ROLE_TAG } from "../../policy/policies/baseline";
import type { Res } from "../../policy/rules";
import { runOnPolicyResources } from "../harness/policy-harness";

/** A resource in the analyzer's shape. */
function res(type: string, name: string, props: Record<string, unknown>, extra: Partial<Res> = {}): Res {
    return {
        type,
        name,
        urn: `urn:pulumi:dev::test::${type}::${name}`,
        props,
        opts: { protect: false },
        propertyDependencies: {},
        ...extra,
    };
}

const providerOf = (cls: string) => ({
    props: {
        defaultTags: JSON.stringify({
            tags: {
                app: "proliferate",
                environment: "x",
                "environment-class": cls,
                layer: "data",
                "managed-by": "pulumi",
            },
        }),
    },
});
const PROD = providerOf("production");
const DEV = providerOf("development");
const providerRes = (cls: string) => res("pulumi:providers:aws", "aws", providerOf(cls).props);

const RDS = "aws:rds/instance:Instance";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

const goodDb = {
    publiclyAccessible: false,
    storageEncrypted: true,
    backupRetentionPeriod: 7,
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    multiAz: true,
    deletionProtection: true,
};
const goodRg = {
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken: "t",
    subnetGroupName: "proliferate-dev-redis",
    autoMinorVersionUpgrade: true,
    snapshotRetentionLimit: 7,
    automaticFailoverEnabled: true,
    numCacheClusters: 2,
};
const container = (c: Record<string, unknown>) =>
    JSON.stringify([
        {
            name: "app",
            image: "repo:v1",
            privileged: false,
            readonlyRootFilesystem: true,
            logConfiguration: { logDriver: "awslogs" },
            environment: [{ name: "APP_URL", value: "https://app.example.com" }],
            ...c,
        },
    ]);
const goodTd = {
    requiresCompatibilities: ["FARGATE"],
    cpu: "512",
    memory: "1024",
    containerDefinitions: container({}),
};
const goodLb = {
    loadBalancerType: "application",
    dropInvalidHeaderFields: true,
    desyncMitigationMode: "defensive",
    subnets: ["a", "b"],
    enableDeletionProtection: true,
    name: "proliferate-prod-gateway",
    accessLogs: { enabled: true, bucket: "logs" },
};
const albGroup = res("aws:ec2/securityGroup:SecurityGroup", "gateway-alb", {
    tags: { [SG_ROLE_TAG]: "load-balancer" },
});
const taskGroup = res("aws:ec2/securityGroup:SecurityGroup", "gateway-task", { tags: { [SG_ROLE_TAG]: "task" } });
const rule = (group: Res, props: Record<string, unknown>) =>
    res(
        INGRESS,
        `${group.name}-rule`,
        { ipProtocol: "tcp", ...props },
        { propertyDependencies: { securityGroupId: [group] } },
    );
const lb = res(LB, "gateway-alb", goodLb);
const domainLb = res(LB, "gateway-alb", { ...goodLb, tags: { "proliferate:domain": "api.example.com" } });
const listener = (name: string, props: Record<string, unknown>) =>
    res(LISTENER, name, props, { propertyDependencies: { loadBalancerArn: [lb] } });
const policyDoc = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const repo = res("aws:ecr/repository:Repository", "worker-repo", {
    name: "proliferate/dev/worker",
    imageScanningConfiguration: { scanOnPush: true },
    imageTagMutability: "IMMUTABLE",
});

/** For each policy: resources that comply, resources that violate it, and the resource the violation must name. */
const CASES: Record<string, { good: Res[]; bad: Res[]; names: string }> = {
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
    "ecs-2-no-public-ip": {
        good: [res("aws:ecs/service:Service", "svc", { networkConfiguration: { assignPublicIp: false } })],
        bad: [res("aws:ecs/service:Service", "svc", { networkConfiguration: { assignPublicIp: true } })],
        names: "svc",
    },
    "ecs-4-non-privileged": {
        good: [res(TD, "task", goodTd)],
        bad: [res(TD, "task", { ...goodTd, containerDefinitions: container({ privileged: true }) })],
        names: "task",
    },
    "ecs-8-no-secrets-in-environment": {
        good: [
            res(TD, "task", {
                ...goodTd,
                containerDefinitions: container({
                    environment: [
                        { name: "GITHUB_APP_ID", value: "123" },
                        { name: "API_URL", value: "https://api.example.com" },
                    ],
                }),
            }),
        ],
        bad: [
            res(TD, "task", {
                ...goodTd,
                containerDefinitions: container({
                    environment: [{ name: "DB", value: "postgresql://u:hunter2@db:5432/x" }],
                }),
            }),
        ],
        names: "task",
    },
    "ecs-9-logging": {
        good: [res(TD, "task", goodTd)],
        bad: [res(TD, "task", { ...goodTd, containerDefinitions: container({ logConfiguration: undefined }) })],
        names: "task",
    },
    "ecs-12-container-insights": {
        good: [
            res("aws:ecs/cluster:Cluster", "cluster", { settings: [{ name: "containerInsights", value: "enabled" }] }),
        ],
        bad: [res("aws:ecs/cluster:Cluster", "cluster", { settings: [] })],
        names: "cluster",
    },
    "elb-1-redirect-http-to-https": {
        good: [
            lb,
            listener("https", { protocol: "HTTPS", port: 443 }),
            listener("http", {
                protocol: "HTTP",
                port: 80,
                defaultActions: [
                    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
                ],
            }),
        ],
        bad: [
            lb,
            listener("https", { protocol: "HTTPS", port: 443 }),
            listener("http", {
                protocol: "HTTP",
                port: 80,
                defaultActions: [{ type: "forward", targetGroupArn: "tg" }],
            }),
        ],
        names: "http",
    },
    "elb-https-host-name-covered": {
        good: [
            domainLb,
            res(
                LISTENER,
                "https",
                {
                    protocol: "HTTPS",
                    port: 443,
                    tags: { "proliferate:certificate-domains": "example.com *.example.com" },
                },
                { propertyDependencies: { loadBalancerArn: [domainLb] } },
            ),
        ],
        bad: [
            domainLb,
            res(
                LISTENER,
                "https",
                { protocol: "HTTPS", port: 443, tags: { "proliferate:certificate-domains": "*.example.org" } },
                { propertyDependencies: { loadBalancerArn: [domainLb] } },
            ),
        ],
        names: "https",
    },
    "elb-4-drop-invalid-headers": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, dropInvalidHeaderFields: false })],
        names: "alb",
    },
    "elb-12-desync-mitigation": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, desyncMitigationMode: "monitor" })],
        names: "alb",
    },
    "elb-13-multiple-azs": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, subnets: ["a"] })],
        names: "alb",
    },
    "elb-recommended-tls-policy": {
        good: [res(LISTENER, "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })],
        bad: [res(LISTENER, "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })],
        names: "https",
    },
    "ecr-1-scan-on-push": {
        good: [repo],
        bad: [res(repo.type, repo.name, { ...repo.props, imageScanningConfiguration: { scanOnPush: false } })],
        names: "worker-repo",
    },
    "ecr-2-immutable-tags": {
        good: [repo],
        bad: [res(repo.type, repo.name, { ...repo.props, imageTagMutability: "MUTABLE" })],
        names: "worker-repo",
    },
    "ecr-3-lifecycle-policy": {
        good: [
            repo,
            res(
                "aws:ecr/lifecyclePolicy:LifecyclePolicy",
                "lifecycle",
                { repository: "proliferate/dev/worker" },
                { propertyDependencies: { repository: [repo] } },
            ),
        ],
        bad: [repo],
        names: "worker-repo",
    },
    "iam-least-privilege": {
        good: [
            res("aws:iam/rolePolicy:RolePolicy", "exec", {
                policy: policyDoc([
                    {
                        Sid: "Read",
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue"],
                        Resource: "arn:aws:secretsmanager:us-east-1:1:secret:x",
                    },
                    { Sid: "Login", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                ]),
            }),
        ],
        bad: [
            res("aws:iam/rolePolicy:RolePolicy", "exec", {
                policy: policyDoc([
                    { Sid: "Read", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "*" },
                ]),
            }),
        ],
        names: "exec",
    },
    "log-group-retention": {
        good: [res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30 })],
        bad: [res("aws:cloudwatch/logGroup:LogGroup", "logs", {})],
        names: "logs",
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
    "elb-6-deletion-protection": {
        good: [res(LB, "alb", goodLb, { provider: PROD })],
        bad: [res(LB, "alb", { ...goodLb, enableDeletionProtection: false }, { provider: PROD })],
        names: "alb",
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
    "fargate-cpu-memory": {
        good: [res(TD, "task", goodTd)],
        bad: [res(TD, "task", { ...goodTd, cpu: "256", memory: "4096" })],
        names: "task",
    },
    "physical-name-lengths": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, name: "proliferate-production-llm-proxy-alb" })],
        names: "alb",
    },
    "provider-default-tags": {
        good: [providerRes("development")],
        bad: [res("pulumi:providers:aws", "aws", { region: "us-east-1" })],
        names: "aws",
    },
    "ecs-5-read-only-root-filesystem": {
        good: [res(TD, "task", goodTd)],
        bad: [res(TD, "task", { ...goodTd, containerDefinitions: container({ readonlyRootFilesystem: false }) })],
        names: "task",
    },
    "elb-5-access-logs": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, accessLogs: undefined })],
        names: "alb",
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

describe("every policy: a compliant and a violating input", () => {
    it("every policy of the pack has a case here, and every case names a policy", () => {
        expect(Object.keys(CASES).sort()).to.deep.equal(ALL_POLICIES.map((p) => p.name).sort());
    });

    for (const policy of ALL_POLICIES) {
        const c = CASES[policy.name];
        if (!c) continue;
        it(`${policy.name} (${policy.meta.control}, ${policy.enforcementLevel}${policy.meta.scope === "production" ? ", production" : ""})`, async () => {
            const good = await runOnPolicyResources([policy], c.good);
            expect(
                good.violations.map((v) => v.message),
                "compliant input",
            ).to.deep.equal([]);
            const bad = await runOnPolicyResources([policy], c.bad);
            expect(bad.violations, "violating input").to.have.length.greaterThan(0);
            for (const v of bad.violations) {
                expect(v.message).to.include(`${c.names} (`);
                expect(v.message).to.match(/\. Fix: \S/);
                expect(v.urn).to.match(/^urn:pulumi:/);
            }
        });
    }

    it("EC2.2 counts an awsx Vpc once when the engine also registers its aws:ec2 Vpc child", async () => {
        const ec2 = ALL_POLICIES.filter((p) => p.name === "ec2-2-default-security-group-closed");
        const onEngine = [
            res("awsx:ec2:Vpc", "vpc", {}),
            res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }),
            res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg", {}),
        ];
        expect((await runOnPolicyResources(ec2, onEngine)).violations).to.deep.equal([]);
        const unmanaged = await runOnPolicyResources(ec2, onEngine.slice(0, 2));
        expect(unmanaged.violations.map((v) => v.message).join()).to.include("is not managed");
    });

    it("elb-https-host-name-covered refuses HTTPS on a load balancer without a host name, in every environment", async () => {
        const policy = ALL_POLICIES.filter((p) => p.name === "elb-https-host-name-covered");
        const run = await runOnPolicyResources(policy, [
            providerRes("development"),
            lb,
            listener("https", { protocol: "HTTPS", port: 443 }),
        ]);
        expect(run.mandatory.map((v) => v.message)).to.have.length(1);
        expect(run.mandatory[0]?.message).to.include("without a host name").and.include("proliferate-services:domains");
    });

    it("production-only policies do not apply to a development environment", async () => {
        const dev = await runOnPolicyResources(
            ALL_POLICIES.filter((p) => p.meta.scope === "production"),
            [
                res(RDS, "db", { ...goodDb, multiAz: false, deletionProtection: false }, { provider: DEV }),
                providerRes("development"),
                res("awsx:ec2:Vpc", "vpc", { natGateways: { strategy: "Single" } }),
            ],
        );
        expect(dev.violations).to.deep.equal([]);
    });

    it("the pack's config can lower or disable a policy, as pulumi's --policy-pack-config does", async () => {
        const bad = [res(RDS, "db", { ...goodDb, publiclyAccessible: true }, { provider: DEV })];
        expect((await runOnPolicyResources(ALL_POLICIES, bad)).mandatory.map((v) => v.policy)).to.deep.equal([
            "rds-2-not-public",
        ]);
        const lowered = await runOnPolicyResources(ALL_POLICIES, bad, { "rds-2-not-public": "advisory" });
        expect(lowered.mandatory).to.deep.equal([]);
        expect(lowered.violations.map((v) => v.policy)).to.include("rds-2-not-public");
        expect(
            (await runOnPolicyResources(ALL_POLICIES, bad, { "rds-2-not-public": "disabled" })).violations.map(
                (v) => v.policy,
            ),
        ).not.to.include("rds-2-not-public");
    });
});
