import { createHash } from "node:crypto";

/**
 * Physical AWS names: `<app>-<env>-<role>`, lower case, single hyphens, within the limit of the
 * resource type. Logical Pulumi names stay short roles (`gateway-alb`); physical names carry the
 * app and environment so several environments can share one account.
 */

/** AWS name length limits for the resources this project names explicitly. */
export const NAME_LIMITS = {
    /** Application Load Balancer name. */
    loadBalancer: 32,
    /** ELBv2 target group name. */
    targetGroup: 32,
    /** ElastiCache replication group id. */
    elasticacheReplicationGroup: 40,
    /** ElastiCache subnet group / parameter group name. */
    elasticacheSubnetGroup: 255,
    /** RDS DB instance identifier. */
    rdsIdentifier: 63,
    /** RDS subnet group / parameter group name. */
    rdsGroup: 255,
    /** IAM role name. */
    iamRole: 64,
    /** ECS cluster and service names. */
    ecs: 255,
    /** ECR repository name. */
    ecrRepository: 256,
    /** Security group name. */
    securityGroup: 255,
    /** CloudWatch log group name. */
    logGroup: 512,
    /** Secrets Manager secret name. */
    secret: 512,
} as const;

/** The two parts every physical name starts with. */
export interface NameContext {
    /** Application name, e.g. `proliferate`. */
    app: string;
    /** Environment name, e.g. `dev` or `prod`. */
    env: string;
}

/** The shape every generated name has: starts with a letter, lower-case alphanumerics, single hyphens. */
export const PHYSICAL_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A name segment (app, env, role) is lower-case letters and digits with single hyphens, starting with a letter. */
export function isValidNameSegment(value: string): boolean {
    return PHYSICAL_NAME_PATTERN.test(value);
}

function normalize(value: string): string {
    return value
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-{2,}/g, "-")
        .replace(/^-+|-+$/g, "");
}

/**
 * `<app>-<env>-<role>`, at most `maxLength` characters. A name that would be longer keeps its
 * start and ends in a 6-character hash of the full name, so it stays unique and never changes
 * between runs (a changed physical name would replace the resource).
 */
export function physicalName(ctx: NameContext, role: string, maxLength: number): string {
    const full = normalize(`${ctx.app}-${ctx.env}-${role}`);
    if (maxLength < 8) {
        throw new Error(`physicalName: maxLength ${maxLength} leaves no room for a name and its hash`);
    }
    if (full.length <= maxLength) {
        return full;
    }
    const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
    const head = full.slice(0, maxLength - hash.length - 1).replace(/-+$/, "");
    return `${head}-${hash}`;
}

/** Builds names for one environment; layers create one and pass it to their components. */
export class Namer {
    constructor(readonly ctx: NameContext) {}

    /** `<app>-<env>-<role>` within `maxLength`. */
    name(role: string, maxLength: number): string {
        return physicalName(this.ctx, role, maxLength);
    }

    /** `<app>/<env>/<role>`: the path-style names Secrets Manager and ECR group by prefix. */
    path(role: string): string {
        return `${normalize(this.ctx.app)}/${normalize(this.ctx.env)}/${normalize(role)}`;
    }
}
