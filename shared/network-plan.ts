import type { ServiceSpec } from "./catalog";
import { HTTPS_PORT, POSTGRES_PORT, routes, taskGroup, type ExternalDatabase, type Route } from "./connections";

/**
 * Pure network plans: subnet sizes and the security-group rule table. The components turn these
 * into resources; keeping them pure lets tests check every rule without Pulumi.
 */

/** CIDR masks for the awsx VPC: each AZ gets one block, split into a private and a public subnet. */
export interface SubnetMasks {
    /** Mask of each AZ's block. */
    availabilityZone: number;
    /** Private subnet mask (half of the AZ block: tasks, Redis, Postgres). */
    private: number;
    /** Public subnet mask (a quarter of the AZ block: load balancers and NAT gateways only). */
    public: number;
}

/** Splits a VPC of `/vpcPrefix` over `azCount` zones. Throws when the subnets would be smaller than /28. */
export function subnetMasks(vpcPrefix: number, azCount: number): SubnetMasks {
    if (!Number.isInteger(azCount) || azCount < 1) {
        throw new Error(`subnetMasks: azCount must be a positive whole number, got ${azCount}`);
    }
    const availabilityZone = vpcPrefix + Math.ceil(Math.log2(azCount));
    const masks = { availabilityZone, private: availabilityZone + 1, public: availabilityZone + 2 };
    if (masks.public > 28) {
        throw new Error(
            `a /${vpcPrefix} VPC is too small for ${azCount} AZs: public subnets would be /${masks.public}, AWS allows at most /28`,
        );
    }
    return masks;
}

/** A security group of the system, by role. */
export type SecurityGroupRole = `${string}-alb` | `${string}-task` | "redis" | "postgres";

/** Where a rule's traffic comes from or goes to. */
export type Peer = { cidrIpv4: string } | { cidrIpv6: string } | { securityGroup: SecurityGroupRole };

/** One standalone security group rule. */
export interface SecurityGroupRule {
    /** The group the rule belongs to. */
    group: SecurityGroupRole;
    direction: "ingress" | "egress";
    /** TCP port. */
    port: number;
    peer: Peer;
    /** Shown in the AWS console next to the rule. */
    description: string;
}

const ANYWHERE: Peer[] = [{ cidrIpv4: "0.0.0.0/0" }, { cidrIpv6: "::/0" }];
export { POSTGRES_PORT, REDIS_PORT } from "./connections";

/** The security groups the catalog needs: an ALB and a task group per public service, a task group per other service, Redis, Postgres. */
export function securityGroupRoles(services: readonly ServiceSpec[]): SecurityGroupRole[] {
    return [
        ...services.flatMap((s): SecurityGroupRole[] =>
            s.public ? [`${s.name}-alb`, `${s.name}-task`] : [`${s.name}-task`],
        ),
        "redis",
        "postgres",
    ];
}

/** Rule descriptions of the data stores, unchanged from before connections were declared (a changed description is an update). */
function describeRoute(route: Route, direction: "ingress" | "egress"): string {
    if (direction === "ingress") return `from ${route.from} tasks`;
    if (route.to === "redis") return "to Redis";
    if (route.to === "postgres") return "to Postgres";
    if (route.to === "external database") return "to the external database (externalDatabaseCidrs)";
    return `to ${route.to} tasks (Service Connect)`;
}

/**
 * Every rule of the system (functional spec, section 4), derived from the catalog's connections:
 * - ALBs admit 80/443 from anywhere (IPv4 and IPv6) and send only to their own tasks' port;
 * - tasks admit their own ALB on the container port, and each service that declares a connection to
 *   them on that port (Service Connect); a service nobody calls and without an ALB admits nothing;
 * - tasks reach HTTPS anywhere (AWS APIs, model providers) and exactly the data stores and services
 *   their connections name: each connection is an egress rule on the caller's group and an ingress
 *   rule on the target's group for the same port, or egress to `externalDatabase`'s blocks;
 * - Postgres also admits `dbAllowedCidrs`; Redis and Postgres send nothing (replies to admitted
 *   connections are allowed by state tracking).
 */
export function securityGroupRules(
    services: readonly ServiceSpec[],
    dbAllowedCidrs: readonly string[],
    externalDatabase?: ExternalDatabase | null,
): SecurityGroupRule[] {
    const rules: SecurityGroupRule[] = [];
    for (const s of services) {
        const task = taskGroup(s.name);
        if (s.public && s.port !== undefined) {
            const alb: SecurityGroupRole = `${s.name}-alb`;
            for (const port of [80, 443]) {
                for (const peer of ANYWHERE) {
                    rules.push({
                        group: alb,
                        direction: "ingress",
                        port,
                        peer,
                        description: `${port === 80 ? "HTTP" : "HTTPS"} from the internet`,
                    });
                }
            }
            rules.push({
                group: alb,
                direction: "egress",
                port: s.port,
                peer: { securityGroup: task },
                description: `to ${s.name} tasks`,
            });
            rules.push({
                group: task,
                direction: "ingress",
                port: s.port,
                peer: { securityGroup: alb },
                description: `from the ${s.name} load balancer`,
            });
        }
        for (const peer of ANYWHERE) {
            rules.push({
                group: task,
                direction: "egress",
                port: HTTPS_PORT,
                peer,
                description: "HTTPS to AWS APIs and external providers",
            });
        }
    }
    for (const route of routes(services, externalDatabase)) {
        const from = taskGroup(route.from);
        if ("securityGroup" in route.peer) {
            const target = route.peer.securityGroup;
            rules.push({
                group: from,
                direction: "egress",
                port: route.port,
                peer: { securityGroup: target },
                description: describeRoute(route, "egress"),
            });
            rules.push({
                group: target,
                direction: "ingress",
                port: route.port,
                peer: { securityGroup: from },
                description: describeRoute(route, "ingress"),
            });
        } else {
            // Outside the VPC's groups: the database's own firewall admits it, so only egress is ours.
            for (const cidr of route.peer.cidrs) {
                rules.push({
                    group: from,
                    direction: "egress",
                    port: route.port,
                    peer: { cidrIpv4: cidr },
                    description: describeRoute(route, "egress"),
                });
            }
        }
    }
    for (const cidr of dbAllowedCidrs) {
        rules.push({
            group: "postgres",
            direction: "ingress",
            port: POSTGRES_PORT,
            peer: { cidrIpv4: cidr },
            description: "from an allowed network (dbAllowedCidrs)",
        });
    }
    // Two connections of one service to the same target on one port need one rule, not two.
    const seen = new Set<string>();
    return rules.filter((r) => {
        const key = ruleName(r);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

/** A short, stable logical name for a rule, e.g. `gateway-alb-in-443-ipv6-any`. */
export function ruleName(rule: SecurityGroupRule): string {
    const peer =
        "securityGroup" in rule.peer
            ? rule.peer.securityGroup
            : "cidrIpv4" in rule.peer
              ? rule.peer.cidrIpv4 === "0.0.0.0/0"
                  ? "ipv4-any"
                  : rule.peer.cidrIpv4.replace(/[./]/g, "-")
              : rule.peer.cidrIpv6 === "::/0"
                ? "ipv6-any"
                : rule.peer.cidrIpv6.replace(/[:/]/g, "-");
    return `${rule.group}-${rule.direction === "ingress" ? "in" : "out"}-${rule.port}-${peer}`;
}
