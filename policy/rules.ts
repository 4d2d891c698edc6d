import type {
    EnforcementLevel,
    ReportViolation,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";

/**
 * A small layer over @pulumi/policy: every policy carries its Security Hub (FSBP) id and the
 * environment classes it applies to, and reports violations that name the resource and the fix.
 * Policies read plain JSON props, as the analyzer gives them; nothing here starts the pack's server.
 */

/** Where a policy applies. */
export type Scope = "all" | "production" | "development";

/** Type tokens more than one policy module checks. */
export const TYPES = {
    provider: "pulumi:providers:aws",
    awsxVpc: "awsx:ec2:Vpc",
    rdsInstance: "aws:rds/instance:Instance",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    secret: "aws:secretsmanager/secret:Secret",
    /** Application load balancers under both of the provider's modules. */
    loadBalancers: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
} as const;

/** What the README's policy table shows for each policy. */
export interface PolicyMeta {
    /** Security Hub FSBP control id, or a short label for project rules (e.g. "AWS limit"). */
    control: string;
    /** Environment classes the policy applies to. */
    scope: Scope;
    /** One line: why the policy exists. */
    why: string;
}

/** A policy with its metadata. */
export type ProjectPolicy = (ResourceValidationPolicy | StackValidationPolicy) & { meta: PolicyMeta };

/** The resource fields policies use (both args of a resource policy and resources of a stack policy have them). */
export interface Res {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    opts?: { protect?: boolean };
    provider?: { props: Record<string, unknown> } | undefined;
    propertyDependencies?: Record<string, Res[]>;
}

/** A prop value as text for messages. */
export function text(value: unknown): string {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value);
}

/** Provider props hold nested values as JSON strings; parse when needed. */
export function json<T>(value: unknown): T | undefined {
    if (typeof value !== "string") return value as T | undefined;
    try {
        return JSON.parse(value) as T;
    } catch {
        return undefined;
    }
}

/** The environment class from the provider's defaultTags (set from the foundation config); unknown counts as production. */
export function isProduction(provider: { props: Record<string, unknown> } | undefined): boolean {
    const tags = json<{ tags?: Record<string, string> }>(provider?.props["defaultTags"])?.tags;
    return tags?.["environment-class"] !== "development";
}

/** Whether a policy of `scope` applies where `provider` (possibly unknown: production) deploys. */
function applies(scope: Scope, provider: { props: Record<string, unknown> } | undefined): boolean {
    return scope === "all" || (scope === "production") === isProduction(provider);
}

function violation(report: ReportViolation, res: Res, problem: string, fix: string): void {
    report(`${res.name} (${res.type}): ${problem}. Fix: ${fix}`, res.urn);
}

/** What every policy of the pack declares, whatever it validates. */
interface PolicyHead {
    name: string;
    control: string;
    level: EnforcementLevel;
    scope?: Scope;
    why: string;
}

function head(o: PolicyHead) {
    const scope = o.scope ?? "all";
    return {
        scope,
        fields: {
            name: o.name,
            description: `${o.control}: ${o.why}`,
            enforcementLevel: o.level,
            meta: { control: o.control, scope, why: o.why },
        },
    };
}

/** A check of one resource; call `fail(problem, fix)` for each violation. */
export type ResourceCheck = (res: Res, fail: (problem: string, fix: string) => void) => void;

/** A policy over resources of the given type tokens. */
export function resourcePolicy(o: PolicyHead & { types: readonly string[]; check: ResourceCheck }): ProjectPolicy {
    const { scope, fields } = head(o);
    return {
        ...fields,
        validateResource: (args, report) => {
            if (!o.types.includes(args.type)) return;
            if (!applies(scope, args.provider)) return;
            const res = args as unknown as Res;
            o.check(res, (problem, fix) => violation(report, res, problem, fix));
        },
    };
}

/** A check over all resources of a stack. */
export type StackCheck = (resources: readonly Res[], fail: (res: Res, problem: string, fix: string) => void) => void;

/** A policy over the whole stack (relations between resources). */
export function stackPolicy(o: PolicyHead & { check: StackCheck }): ProjectPolicy {
    const { scope, fields } = head(o);
    return {
        ...fields,
        validateStack: (args, report) => {
            const resources = args.resources as unknown as Res[];
            if (
                !applies(
                    scope,
                    resources.find((r) => r.type === TYPES.provider),
                )
            )
                return;
            o.check(resources, (res, problem, fix) => violation(report, res, problem, fix));
        },
    };
}

/** The resources a property of `res` refers to: the engine's property dependencies. */
export function refs(res: Res, prop: string): Res[] {
    return res.propertyDependencies?.[prop] ?? [];
}

/** Resources of a type token. */
export function ofType(resources: readonly Res[], type: string): Res[] {
    return resources.filter((r) => r.type === type);
}

/** Plain-object view of a nested prop (object or JSON string). */
export function obj(value: unknown): Record<string, unknown> {
    const v = json<unknown>(value);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Array view of a nested prop. */
export function arr(value: unknown): unknown[] {
    const v = json<unknown>(value);
    return Array.isArray(v) ? v : [];
}

/** The containers of an ECS task definition. */
export interface Container {
    name?: string;
    image?: string;
    privileged?: boolean;
    readonlyRootFilesystem?: boolean;
    environment?: Array<{ name: string; value: string }>;
    secrets?: Array<{ name: string; valueFrom: string }>;
    logConfiguration?: { logDriver?: string };
}

/** Parses `containerDefinitions` (a JSON string in props). */
export function containers(res: Res): Container[] {
    return arr(res.props["containerDefinitions"]) as Container[];
}
