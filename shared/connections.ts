import { DATA_SECRETS } from "./app-settings";
import type { ServiceSpec } from "./catalog";
import type { SecurityGroupRole } from "./network-plan";

/**
 * Who talks to whom, as data. Each catalog row declares the connections its service opens; this
 * module turns them into routes (port, scheme, the group or CIDR that must admit them), from which
 * foundation derives every security-group rule and the services layer sets every address. A
 * connection that is declared has a rule by construction; one that is not has no address to use.
 */

/** Redis port (ElastiCache, TLS). */
export const REDIS_PORT = 6379;
/** Postgres port of the RDS instance. */
export const POSTGRES_PORT = 5432;
/** HTTPS, the only port tasks may use towards the internet (AWS APIs, model and SaaS providers). */
export const HTTPS_PORT = 443;

/**
 * Suffix of the private names services call each other by (ECS Service Connect client aliases,
 * e.g. `gateway.internal`). `.internal` is reserved for private use, so it never resolves publicly.
 */
export const PRIVATE_DOMAIN = "internal";

/** What a connection reaches: another service of the catalog, Redis, or the database (RDS or external). */
export type ConnectionTarget = { service: string } | "redis" | "database";

/** One connection a service opens. */
export interface Connection {
    /**
     * The variable that carries the address. For a service target the services layer sets it as a
     * plain environment variable (the private URL); for Redis and the database it is the payload key
     * of the service's secret (`REDIS_URL`, `DATABASE_URL`).
     */
    variable: string;
    /** Where it goes. */
    to: ConnectionTarget;
}

/** A database outside the stack (`enableRds=false`): where tasks may open connections to it. */
export interface ExternalDatabase {
    /** IPv4 blocks the database's addresses are in. */
    cidrs: string[];
    /** TCP port it listens on. */
    port: number;
}

/** One connection with its network path. */
export interface Route {
    /** Calling service. */
    from: string;
    /** Variable carrying the address. */
    variable: string;
    /** What is reached, for people: a service name, `redis`, `postgres` or `external database`. */
    to: string;
    port: number;
    /** URL scheme of the address. */
    scheme: "http" | "rediss" | "postgresql";
    /** The security group that admits it (and the caller's egress names it), or the CIDR blocks egress opens to. */
    peer: { securityGroup: SecurityGroupRole } | { cidrs: string[] };
}

/** The private address of a service that accepts connections: `http://<name>.internal:<port>`. */
export function privateAddress(service: Pick<ServiceSpec, "name" | "port">): {
    host: string;
    port: number;
    url: string;
} {
    if (service.port === undefined) {
        throw new Error(`service ${service.name} has no port, so nothing can connect to it`);
    }
    const host = `${service.name}.${PRIVATE_DOMAIN}`;
    return { host, port: service.port, url: `http://${host}:${service.port}` };
}

/** The task security group of a service. */
export function taskGroup(service: string): SecurityGroupRole {
    return `${service}-task`;
}

/**
 * Every route of the catalog. A database connection has two possible paths: the RDS group (always,
 * since foundation does not know whether the data layer runs RDS) and, when one is configured, the
 * external database's CIDR blocks.
 */
export function routes(services: readonly ServiceSpec[], externalDatabase?: ExternalDatabase | null): Route[] {
    const out: Route[] = [];
    for (const s of services) {
        for (const c of s.connections) {
            const base = { from: s.name, variable: c.variable };
            if (c.to === "redis") {
                out.push({
                    ...base,
                    to: "redis",
                    port: REDIS_PORT,
                    scheme: "rediss",
                    peer: { securityGroup: "redis" },
                });
            } else if (c.to === "database") {
                out.push({
                    ...base,
                    to: "postgres",
                    port: POSTGRES_PORT,
                    scheme: "postgresql",
                    peer: { securityGroup: "postgres" },
                });
                if (externalDatabase) {
                    out.push({
                        ...base,
                        to: "external database",
                        port: externalDatabase.port,
                        scheme: "postgresql",
                        peer: { cidrs: externalDatabase.cidrs },
                    });
                }
            } else {
                const name = c.to.service;
                const target = services.find((t) => t.name === name);
                if (target?.port === undefined) continue; // validateConnections reports it
                out.push({
                    ...base,
                    to: target.name,
                    port: target.port,
                    scheme: "http",
                    peer: { securityGroup: taskGroup(target.name) },
                });
            }
        }
    }
    return out;
}

/** The private URL each service-to-service connection of `service` sets, by variable. */
export function privateUrls(service: ServiceSpec, services: readonly ServiceSpec[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of service.connections) {
        if (typeof c.to !== "object") continue;
        const name = c.to.service;
        const target = services.find((t) => t.name === name);
        if (target) out[c.variable] = privateAddress(target).url;
    }
    return out;
}

/** Mistakes in the connections of a catalog, each naming the service and what to change. */
export function validateConnections(services: readonly ServiceSpec[]): string[] {
    const problems: string[] = [];
    const storeVariable = { redis: DATA_SECRETS.redisUrl, database: DATA_SECRETS.databaseUrl } as const;
    for (const s of services) {
        const seen = new Set<string>();
        for (const c of s.connections) {
            if (seen.has(c.variable)) problems.push(`service "${s.name}": ${c.variable} is connected twice`);
            seen.add(c.variable);
            if (typeof c.to === "object") {
                const name = c.to.service;
                const target = services.find((t) => t.name === name);
                if (!target) problems.push(`service "${s.name}": ${c.variable} connects to unknown service "${name}"`);
                else if (target.name === s.name) problems.push(`service "${s.name}": ${c.variable} connects to itself`);
                else if (target.port === undefined)
                    problems.push(`service "${s.name}": ${c.variable} connects to "${name}", which has no port`);
                if ((s.secretKeys as readonly string[]).includes(c.variable))
                    problems.push(`service "${s.name}": ${c.variable} is a secret key; a service address is plain`);
            } else if (c.variable !== storeVariable[c.to]) {
                problems.push(`service "${s.name}": the ${c.to} address is ${storeVariable[c.to]}, not ${c.variable}`);
            }
        }
        for (const [store, variable] of Object.entries(storeVariable)) {
            const reads = (s.secretKeys as readonly string[]).includes(variable);
            const connects = s.connections.some((c) => c.to === store);
            if (reads !== connects)
                problems.push(
                    reads
                        ? `service "${s.name}" reads ${variable} but declares no connection to ${store}`
                        : `service "${s.name}" connects to ${store} but does not read ${variable} from its secret`,
                );
        }
    }
    return problems;
}
