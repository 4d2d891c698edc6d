import type { PlanOutput, PlanResource } from "./document";
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

/** The key settings of `r` (leaf name → value); an input that was a secret is never included. */
export function keySettings(r: RecordedResource): Record<string, string | number | boolean> {
    const secret = new Set(r.secretInputs ?? []);
    const settings: Record<string, string | number | boolean> = {};
    for (const path of KEY_SETTINGS[r.type] ?? []) {
        if (secret.has(path.split(".")[0] ?? "")) continue;
        const v = at(r.inputs, path);
        if (v === undefined) continue;
        settings[path.split(".").pop() ?? path] = Array.isArray(v)
            ? v.length
            : typeof v === "object" && v !== null
              ? "{…}"
              : typeof v === "number" || typeof v === "boolean" || typeof v === "string"
                ? v
                : JSON.stringify(v);
    }
    return settings;
}

/** The resources as a tree under their parents (as the engine records them), top-level first. */
export function resourceTree(resources: readonly PlanResource[]): string[] {
    const known = new Set(resources.map((r) => r.key));
    const lines: string[] = [];
    const show = (r: PlanResource, depth: number) => {
        const settings = Object.entries(r.settings)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(" ");
        lines.push(
            `${"  ".repeat(depth + 1)}${r.custom ? "+" : "□"} ${r.type} ${r.name}${settings ? `  ${settings}` : ""}`,
        );
        for (const child of resources.filter((c) => c.parent === r.key)) show(child, depth + 1);
    };
    for (const r of resources.filter((x) => x.parent === undefined || !known.has(x.parent))) show(r, 0);
    return lines;
}

/** The outputs, secret ones redacted, long values cut. */
export function outputLines(outputs: readonly PlanOutput[]): string[] {
    return outputs.map((o) => {
        if (o.secret) return `    ${o.name} = ${REDACTED}`;
        const text = JSON.stringify(o.value) ?? "undefined";
        return `    ${o.name} = ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
    });
}

/** Replaces every occurrence of each of `secrets` in `text` (belt and braces over the rules above). */
export function scrub(text: string, secrets: readonly string[]): string {
    return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join(REDACTED), text);
}
