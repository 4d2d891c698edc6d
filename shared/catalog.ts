import type { Input } from "@pulumi/pulumi";
import type { AppProfile, AppSettingKey, PayloadKey } from "./app-settings";
import { validateConnections, type Connection } from "./connections";

/**
 * The services of the system, as data. Foundation creates their security groups from this table,
 * the secrets layer writes one secret per row with the row's `secretKeys`, and the services layer
 * builds one Fargate service per row: adding a service is adding a row. Each row also declares the
 * connections its service opens (shared/connections.ts): foundation derives every security-group
 * rule from them, and the services layer sets the private address of each called service.
 */

/** What a row's `environment` function may use. */
export interface ServiceEnvContext {
    /** Non-secret application settings from the services layer's config (unset ones are absent). */
    settings: Partial<Record<AppSettingKey, string>>;
    /** The application profile from the secrets layer. */
    profile: AppProfile;
    /** Public URL of each public service (https when a certificate is configured); for links given to users, never for calls between services. */
    urls: Record<string, Input<string>>;
    /** Whether billing is on (`NEXT_PUBLIC_BILLING_ENABLED`). */
    billingEnabled: boolean;
}

/** CPU units and memory (MiB) of one task, and how many tasks run. */
export interface ServiceSize {
    /** Fargate CPU units (256 = 0.25 vCPU). */
    cpu: number;
    /** Memory in MiB; must be a valid Fargate combination with `cpu`. */
    memory: number;
    /** Number of tasks. */
    desiredCount: number;
}

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
    /** Variables of the service's Secrets Manager payload it may read (least privilege). */
    secretKeys: readonly PayloadKey[];
    /**
     * Every connection the service opens to another service or a data store. The address of a
     * service target is set as a plain variable by the services layer; data store addresses are
     * secret keys. A service without connections reaches only the internet on 443.
     */
    connections: readonly Connection[];
    /**
     * Variables holding the system's own public URLs that the service only hands out (links,
     * callbacks) and never calls. Default: none. The connectivity test exempts exactly these.
     */
    advertised?: readonly string[];
    /** Plain environment variables; `undefined` values are left out. Never put a secret here. */
    environment: (ctx: ServiceEnvContext) => Record<string, Input<string> | undefined>;
    /** Default size; `serviceSizes` config overrides it per service. */
    size: ServiceSize;
    /**
     * Directories the container writes to; each becomes an ephemeral task volume and the root
     * filesystem is read-only (Security Hub ECS.5). Default: none (read-only, nothing writable).
     */
    writablePaths?: readonly string[];
    /**
     * Why the service cannot run with a read-only root filesystem; setting it keeps the root
     * writable and exempts the service from ECS.5. Default: unset (read-only root).
     */
    writableRoot?: string;
}

const common = (ctx: ServiceEnvContext) => ({
    DEPLOYMENT_PROFILE: ctx.profile.deploymentProfile,
    NEXT_PUBLIC_BILLING_ENABLED: String(ctx.billingEnabled),
    APP_URL: ctx.settings.appUrl,
});

/** The system's three services (functional spec, section 8). */
export const SERVICES: readonly ServiceSpec[] = [
    {
        // Background jobs: no load balancer and no ingress at all.
        name: "worker",
        public: false,
        secretKeys: [
            "DATABASE_URL",
            "REDIS_URL",
            "SERVICE_AUTH_TOKEN",
            "USER_SECRETS_ENCRYPTION_KEY",
            "ANTHROPIC_API_KEY",
            "GITHUB_APP_PRIVATE_KEY",
            "BILLING_JWT_SECRET",
            "AUTUMN_API_KEY",
            "E2B_API_KEY",
            "MODAL_TOKEN_ID",
            "MODAL_TOKEN_SECRET",
            "NANGO_SECRET_KEY",
        ],
        // The gateway and the LLM proxy are called over their private Service Connect names, never
        // through their public load balancers.
        connections: [
            { variable: "GATEWAY_URL", to: { service: "gateway" } },
            { variable: "LLM_PROXY_URL", to: { service: "llm-proxy" } },
            { variable: "DATABASE_URL", to: "database" },
            { variable: "REDIS_URL", to: "redis" },
        ],
        environment: (ctx) => ({
            ...common(ctx),
            AUTUMN_API_URL: ctx.settings.autumnApiUrl,
            DEFAULT_SANDBOX_PROVIDER: ctx.profile.defaultSandboxProvider,
            E2B_DOMAIN: ctx.settings.e2bDomain,
            E2B_TEMPLATE: ctx.settings.e2bTemplate,
            E2B_TEMPLATE_ALIAS: ctx.settings.e2bTemplateAlias,
            MODAL_APP_NAME: ctx.settings.modalAppName,
            GITHUB_APP_ID: ctx.settings.githubAppId,
        }),
        size: { cpu: 512, memory: 1024, desiredCount: 1 },
        // Node.js writes only temporary files (uploads in flight, git checkouts of jobs).
        writablePaths: ["/tmp"],
    },
    {
        name: "gateway",
        port: 8080,
        public: true,
        healthCheckPath: "/health",
        secretKeys: [
            "DATABASE_URL",
            "REDIS_URL",
            "SERVICE_AUTH_TOKEN",
            "USER_SECRETS_ENCRYPTION_KEY",
            "BETTER_AUTH_SECRET",
            "GITHUB_APP_PRIVATE_KEY",
            "GITHUB_APP_WEBHOOK_SECRET",
            "BILLING_JWT_SECRET",
            "RESEND_API_KEY",
            "NANGO_SECRET_KEY",
            "S3_ACCESS_KEY_ID",
            "S3_SECRET_ACCESS_KEY",
        ],
        connections: [
            { variable: "DATABASE_URL", to: "database" },
            { variable: "REDIS_URL", to: "redis" },
        ],
        // Its own public URL, for links in e-mails and OAuth callbacks.
        advertised: ["API_URL"],
        environment: (ctx) => ({
            ...common(ctx),
            PORT: "8080",
            API_URL: ctx.settings.apiUrl ?? ctx.urls["gateway"],
            GITHUB_APP_ID: ctx.settings.githubAppId,
            GITHUB_APP_SLUG: ctx.settings.githubAppSlug,
            EMAIL_FROM: ctx.settings.emailFrom,
            NANGO_GITHUB_INTEGRATION_ID: ctx.settings.nangoGithubIntegrationId,
            NANGO_LINEAR_INTEGRATION_ID: ctx.settings.nangoLinearIntegrationId,
            NANGO_SENTRY_INTEGRATION_ID: ctx.settings.nangoSentryIntegrationId,
            S3_BUCKET: ctx.settings.s3Bucket,
            S3_REGION: ctx.settings.s3Region,
        }),
        size: { cpu: 512, memory: 1024, desiredCount: 1 },
        writablePaths: ["/tmp"],
    },
    {
        // LiteLLM-compatible proxy; its liveness endpoint is /health/liveliness.
        name: "llm-proxy",
        port: 4000,
        public: true,
        healthCheckPath: "/health/liveliness",
        secretKeys: ["DATABASE_URL", "LITELLM_MASTER_KEY", "ANTHROPIC_API_KEY"],
        connections: [{ variable: "DATABASE_URL", to: "database" }],
        environment: (ctx) => ({ DEPLOYMENT_PROFILE: ctx.profile.deploymentProfile, PORT: "4000" }),
        size: { cpu: 512, memory: 1024, desiredCount: 1 },
        writableRoot:
            "LiteLLM generates its Prisma client into its own install directory at every start (prisma generate), so the image's root must stay writable",
    },
];

/**
 * Valid Fargate CPU/memory combinations (MiB): 256: 512-2048; 512: 1-4 GiB; 1024: 2-8 GiB;
 * 2048: 4-16 GiB; 4096: 8-30 GiB in 1 GiB steps; 8192: 16-60 GiB in 4 GiB steps;
 * 16384: 32-120 GiB in 8 GiB steps.
 */
export function isValidFargateSize(cpu: number, memory: number): boolean {
    const gib = (n: number) => n * 1024;
    const range = (min: number, max: number, step: number) =>
        memory >= min && memory <= max && (memory - min) % step === 0;
    switch (cpu) {
        case 256:
            return [512, 1024, 2048].includes(memory);
        case 512:
            return range(gib(1), gib(4), gib(1));
        case 1024:
            return range(gib(2), gib(8), gib(1));
        case 2048:
            return range(gib(4), gib(16), gib(1));
        case 4096:
            return range(gib(8), gib(30), gib(1));
        case 8192:
            return range(gib(16), gib(60), gib(4));
        case 16384:
            return range(gib(32), gib(120), gib(8));
        default:
            return false;
    }
}

/** Checks a catalog for the mistakes that would otherwise surface as AWS errors mid-deploy. */
export function validateCatalog(services: readonly ServiceSpec[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const s of services) {
        if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s.name) || s.name.length > 16) {
            problems.push(
                `service "${s.name}": names are lower-case letters, digits and single hyphens, at most 16 characters`,
            );
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
        if (!isValidFargateSize(s.size.cpu, s.size.memory)) {
            problems.push(
                `service "${s.name}": ${s.size.cpu} CPU units with ${s.size.memory} MiB is not a Fargate size`,
            );
        }
        for (const p of s.writablePaths ?? []) {
            if (!/^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(p))
                problems.push(`service "${s.name}": writable path "${p}" must be an absolute directory, e.g. "/tmp"`);
        }
        if (s.writableRoot !== undefined && (s.writablePaths ?? []).length > 0) {
            problems.push(`service "${s.name}": has a writableRoot, so its writablePaths are pointless; drop one`);
        }
    }
    problems.push(...validateConnections(services));
    return problems;
}
