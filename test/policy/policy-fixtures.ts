import { SG_ROLE_TAG } from "../../policy/policies/baseline";
import type { Res } from "../../policy/rules";

// Resources in the analyzer's shape that the policy cases are built from.

/** One policy's case: resources that comply, resources that violate it, and the resource the violation must name. */
export interface PolicyCase {
    good: Res[];
    bad: Res[];
    names: string;
}

/** A resource in the analyzer's shape. */
export function res(type: string, name: string, props: Record<string, unknown>, extra: Partial<Res> = {}): Res {
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
export const PROD = providerOf("production");
export const DEV = providerOf("development");
export const providerRes = (cls: string) => res("pulumi:providers:aws", "aws", providerOf(cls).props);

export const RDS = "aws:rds/instance:Instance";
export const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
export const TD = "aws:ecs/taskDefinition:TaskDefinition";
export const LB = "aws:lb/loadBalancer:LoadBalancer";
export const LISTENER = "aws:lb/listener:Listener";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

export const goodDb = {
    publiclyAccessible: false,
    storageEncrypted: true,
    backupRetentionPeriod: 7,
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    multiAz: true,
    deletionProtection: true,
};
export const goodRg = {
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken: "t",
    subnetGroupName: "proliferate-dev-redis",
    autoMinorVersionUpgrade: true,
    snapshotRetentionLimit: 7,
    automaticFailoverEnabled: true,
    numCacheClusters: 2,
};
export const container = (c: Record<string, unknown>) =>
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
export const goodTd = {
    requiresCompatibilities: ["FARGATE"],
    cpu: "512",
    memory: "1024",
    containerDefinitions: container({}),
};
export const goodLb = {
    loadBalancerType: "application",
    dropInvalidHeaderFields: true,
    desyncMitigationMode: "defensive",
    subnets: ["a", "b"],
    enableDeletionProtection: true,
    name: "proliferate-prod-gateway",
    accessLogs: { enabled: true, bucket: "logs" },
};
export const albGroup = res("aws:ec2/securityGroup:SecurityGroup", "gateway-alb", {
    tags: { [SG_ROLE_TAG]: "load-balancer" },
});
export const taskGroup = res("aws:ec2/securityGroup:SecurityGroup", "gateway-task", {
    tags: { [SG_ROLE_TAG]: "task" },
});
export const rule = (group: Res, props: Record<string, unknown>) =>
    res(
        INGRESS,
        `${group.name}-rule`,
        { ipProtocol: "tcp", ...props },
        { propertyDependencies: { securityGroupId: [group] } },
    );
export const lb = res(LB, "gateway-alb", goodLb);
export const domainLb = res(LB, "gateway-alb", { ...goodLb, tags: { "proliferate:domain": "api.example.com" } });
export const listener = (name: string, props: Record<string, unknown>) =>
    res(LISTENER, name, props, { propertyDependencies: { loadBalancerArn: [lb] } });
export const policyDoc = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
export const repo = res("aws:ecr/repository:Repository", "worker-repo", {
    name: "proliferate/dev/worker",
    imageScanningConfiguration: { scanOnPush: true },
    imageTagMutability: "IMMUTABLE",
});
