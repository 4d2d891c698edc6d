import type { RecordedResource } from "./mock-engine";

/**
 * How a plan shows resources and outputs: a few settings per resource type, never an input that
 * was a secret, and secret outputs redacted. Pure functions over recorded runs.
 */

/** The shown text of a redacted value. */
export const REDACTED = "[secret]";

/** The settings shown per resource type (dotted paths into the inputs). */
const KEY_SETTINGS: Record<string, string[]> = {
    "awsx:ec2:Vpc": ["cidrBlock", "availabilityZoneNames", "natGateways.strategy"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["serviceName", "vpcEndpointType"],
    "aws:rds/instance:Instance": [
        "engine",
        "engineVersion",
        "instanceClass",
        "multiAz",
        "allocatedStorage",
        "backupRetentionPeriod",
        "deletionProtection",
        "publiclyAccessible",
    ],
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        "engine",
        "engineVersion",
        "nodeType",
        "numCacheClusters",
        "multiAzEnabled",
    ],
    "aws:lb/loadBalancer:LoadBalancer": ["loadBalancerType", "internal", "enableDeletionProtection"],
    "aws:lb/targetGroup:TargetGroup": [
        "port",
        "healthCheck.path",
        "healthCheck.interval",
        "healthCheck.healthyThreshold",
        "deregistrationDelay",
    ],
    "aws:lb/listener:Listener": ["port", "protocol"],
    "aws:ecs/service:Service": [
        "desiredCount",
        "deploymentMinimumHealthyPercent",
        "deploymentMaximumPercent",
        "launchType",
    ],
    "aws:ecs/taskDefinition:TaskDefinition": ["cpu", "memory", "runtimePlatform.cpuArchitecture"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "retentionInDays"],
    "aws:secretsmanager/secret:Secret": ["name", "recoveryWindowInDays"],
    "aws:kms/key:Key": ["enableKeyRotation", "deletionWindowInDays"],
    "aws:ecr/repository:Repository": ["name", "imageTagMutability"],
    "pulumi:pulumi:StackReference": ["name"],
};

function at(obj: Record<string, unknown>, path: string): unknown {
    return path
        .split(".")
        .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** The key settings of `r`, as `key=value`; an input that was a secret is never shown. */
export function keySettings(r: RecordedResource): string {
    const secret = new Set(r.secretInputs ?? []);
    return (KEY_SETTINGS[r.type] ?? [])
        .filter((path) => !secret.has(path.split(".")[0] ?? ""))
        .map((path) => [path, at(r.inputs, path)] as const)
        .filter(([, v]) => v !== undefined)
        .map(
            ([path, v]) =>
                `${path.split(".").pop()}=${Array.isArray(v) ? v.length : typeof v === "object" ? "{…}" : String(v as string | number | boolean)}`,
        )
        .join(" ");
}

/** The resources as a tree under their parents (as the engine records them), stack references first. */
export function resourceTree(resources: readonly RecordedResource[]): string[] {
    const keyOf = (r: RecordedResource) => `${r.type}::${r.name}`;
    const known = new Set(resources.map(keyOf));
    const lines: string[] = [];
    const show = (r: RecordedResource, depth: number) => {
        const settings = keySettings(r);
        lines.push(
            `${"  ".repeat(depth + 1)}${r.custom ? "+" : "□"} ${r.type} ${r.name}${settings ? `  ${settings}` : ""}`,
        );
        for (const child of resources.filter((c) => c.parent === keyOf(r))) show(child, depth + 1);
    };
    for (const r of resources.filter((x) => x.parent === undefined || !known.has(x.parent))) show(r, 0);
    return lines;
}

/** The outputs, secret ones redacted, long values cut. */
export function outputLines(outputs: Record<string, unknown>, secret: ReadonlySet<string>): string[] {
    return Object.entries(outputs).map(([k, v]) => {
        if (secret.has(k)) return `    ${k} = ${REDACTED}`;
        const text = JSON.stringify(v) ?? "undefined";
        return `    ${k} = ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
    });
}

/** Replaces every occurrence of each of `secrets` in `text` (belt and braces over the rules above). */
export function scrub(text: string, secrets: readonly string[]): string {
    return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join(REDACTED), text);
}
