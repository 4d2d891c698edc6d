/**
 * The services of the system, as data. Foundation creates their security groups from this table,
 * and the services layer builds one Fargate service per row; adding a service is adding a row.
 */

/** One service of the system. */
export interface ServiceSpec {
    /** Service name; also the role part of its physical names (`<app>-<env>-<name>`). */
    name: string;
    /** Container port the service listens on; omitted for services that accept no traffic. */
    port?: number;
    /** True for services behind a public Application Load Balancer. */
    public: boolean;
    /** Path the load balancer health check requests; required for public services. */
    healthCheckPath?: string;
}

/** The system's three services (functional spec, sections 8 and "LLM Proxy / Gateway / Worker"). */
export const SERVICES: readonly ServiceSpec[] = [
    // Background jobs: no load balancer and no ingress at all.
    { name: "worker", public: false },
    { name: "gateway", port: 8080, public: true, healthCheckPath: "/health" },
    // LiteLLM-compatible proxy; its liveness endpoint is /health/liveliness.
    { name: "llm-proxy", port: 4000, public: true, healthCheckPath: "/health/liveliness" },
];

/** Checks a catalog for the mistakes that would otherwise surface as AWS errors mid-deploy. */
export function validateCatalog(services: readonly ServiceSpec[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const s of services) {
        if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s.name) || s.name.length > 16) {
            problems.push(`service "${s.name}": names are lower-case letters, digits and single hyphens, at most 16 characters`);
        }
        if (seen.has(s.name)) {
            problems.push(`service "${s.name}" is listed twice`);
        }
        seen.add(s.name);
        if (s.port !== undefined && (!Number.isInteger(s.port) || s.port < 1024 || s.port > 65535)) {
            problems.push(`service "${s.name}": port ${s.port} must be an unprivileged port (1024-65535)`);
        }
        if (s.public && (s.port === undefined || s.healthCheckPath === undefined)) {
            problems.push(`service "${s.name}" is public, so it needs a port and a healthCheckPath`);
        }
        if (s.healthCheckPath !== undefined && !s.healthCheckPath.startsWith("/")) {
            problems.push(`service "${s.name}": healthCheckPath must start with "/"`);
        }
    }
    return problems;
}
