import { SERVICES, type ServiceSpec } from "../../shared/catalog";
import { DEPLOYED_BY_ENV, IMAGE_TAG_ENV } from "../../shared/image-deployment";
import { PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { RunOptions, UpstreamState } from "./mocks";

/**
 * Valid configurations for a development-like and a production-like environment. Secret values
 * here are test-only random strings, never real credentials.
 */
export type Profile = "dev" | "prod";

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;

/** In `extra`, the value `<unset>` removes a key the fixture would otherwise set. */
export const UNSET = "<unset>";

function dropUnset(config: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== UNSET));
}

/** The stack name every fixture uses. */
export const STACK = "dev";

/** The full name a consumer's StackReference uses for an upstream layer by default. */
export function upstreamName(layer: Layer, stack = STACK): string {
    return `organization/${PROJECT_NAMES[layer]}/${stack}`;
}

export function foundationOptions(profile: Profile, extra: Record<string, string> = {}): RunOptions {
    return {
        project: F,
        stack: STACK,
        config: dropUnset({
            "aws:region": "us-east-1",
            [`${F}:environmentClass`]: profile === "prod" ? "production" : "development",
            ...(profile === "prod"
                ? { [`${F}:availabilityZoneCount`]: "3", [`${F}:dbAllowedCidrs`]: '["10.100.0.0/16"]' }
                : {}),
            ...extra,
        }),
    };
}

export const REDIS_TOKEN = "test-redis-token-6f1c9a2b7d3e4f50";
export const DB_PASSWORD = "test-db-pass-8c2d1e9f";

export function dataOptions(
    profile: Profile,
    foundation: UpstreamState,
    extra: Record<string, string> = {},
): RunOptions {
    const config = dropUnset({
        [`${D}:redisAuthToken`]: REDIS_TOKEN,
        [`${D}:dbPassword`]: DB_PASSWORD,
        ...(profile === "prod" ? { [`${D}:redisReplicaCount`]: "2" } : {}),
        ...extra,
    });
    return {
        project: D,
        stack: STACK,
        config,
        secretKeys: [`${D}:redisAuthToken`, `${D}:dbPassword`, `${D}:databaseUrlOverride`],
        upstreams: { [upstreamName("foundation")]: foundation },
    };
}

/** A fourth service, for the tests that prove adding a service is adding a row. */
export const ADMIN_SERVICE: ServiceSpec = {
    name: "admin",
    port: 9000,
    public: true,
    healthCheckPath: "/healthz",
    secretKeys: ["DATABASE_URL", "SERVICE_AUTH_TOKEN"],
    connections: [{ variable: "DATABASE_URL", to: "database" }],
    environment: (ctx) => ({ PORT: "9000", APP_URL: ctx.settings.appUrl }),
    size: { cpu: 256, memory: 512, desiredCount: 1 },
};

const S = PROJECT_NAMES.secrets;
const V = PROJECT_NAMES.services;

/** Test-only stand-ins for the application secrets (random strings, never real credentials). */
export const APP_SECRET_VALUES: Record<string, string> = {
    serviceAuthToken: "test-service-auth-5d7e2a91c4",
    userSecretsEncryptionKey: "test-user-secrets-key-0b8f3e6a",
    anthropicApiKey: "test-anthropic-key-71c2d9e4",
    betterAuthSecret: "test-better-auth-9a4e1f7c",
    githubAppPrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nTEST-ONLY-NOT-A-KEY\n-----END RSA PRIVATE KEY-----",
    githubAppWebhookSecret: "test-webhook-secret-2f6b8d0e",
    billingJwtSecret: "test-billing-jwt-c3a7e9f1",
    autumnApiKey: "test-autumn-key-8e2c4a6b",
    resendApiKey: "test-resend-key-4b9d1f3a",
    e2bApiKey: "test-e2b-key-6c1e8a2d",
    modalTokenId: "test-modal-id-9f3b7c5e",
    modalTokenSecret: "test-modal-secret-1d5a9e3c",
    nangoSecretKey: "test-nango-key-7a3c5e9b",
    llmProxyMasterKey: "sk-test-litellm-0e4c8a2f",
};

/** Dev: cloud profile with E2B. Prod: cloud profile with Modal and integrations (the other branches). */
export function secretsOptions(
    profile: Profile,
    upstreams: { foundation: UpstreamState; data: UpstreamState },
    extra: Record<string, string> = {},
): RunOptions {
    const common = [
        "serviceAuthToken",
        "userSecretsEncryptionKey",
        "anthropicApiKey",
        "betterAuthSecret",
        "githubAppPrivateKey",
        "githubAppWebhookSecret",
        "billingJwtSecret",
        "autumnApiKey",
        "resendApiKey",
        "llmProxyMasterKey",
    ];
    const keys =
        profile === "prod"
            ? [...common, "modalTokenId", "modalTokenSecret", "nangoSecretKey"]
            : [...common, "e2bApiKey"];
    const config = dropUnset({
        ...Object.fromEntries(keys.map((k) => [`${S}:${k}`, APP_SECRET_VALUES[k] as string])),
        [`${S}:defaultSandboxProvider`]: profile === "prod" ? "modal" : "e2b",
        ...(profile === "prod" ? { [`${S}:integrationsEnabled`]: "true" } : {}),
        ...extra,
    });
    return {
        project: S,
        stack: STACK,
        config,
        secretKeys: Object.keys(APP_SECRET_VALUES).map((k) => `${S}:${k}`),
        upstreams: { [upstreamName("foundation")]: upstreams.foundation, [upstreamName("data")]: upstreams.data },
    };
}

export const CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
/** The names on the fixtures' certificate. */
export const CERTIFICATE_DOMAINS = ["*.example.com"];
/** A Route 53 zone for the tests that ask for DNS records (the fixtures' config sets none). */
export const HOSTED_ZONE_ID = "Z0TESTZONE12345";
/** The image tag the fixtures deploy (through the environment, as `make deploy-services` does). */
export const IMAGE_TAG = "git-3f2c1ab";
/** Who the fixtures deploy as. */
export const DEPLOYED_BY = "ci@example.com";

/** `domains` config naming each public service of a catalog as `<service>.example.com`. */
export function domainsOf(catalog: readonly ServiceSpec[] = SERVICES): string {
    return JSON.stringify(
        Object.fromEntries(catalog.filter((s) => s.public).map((s) => [s.name, `${s.name}.example.com`])),
    );
}

/** What a services run knows besides config: the catalog it deploys, its environment, its own last outputs. */
export interface ServicesRun {
    /** Catalog the domains are named for. Default: SERVICES. */
    catalog?: readonly ServiceSpec[];
    /** Environment variables; the image tag and deployer by default (undefined unsets one). */
    env?: Record<string, string | undefined>;
    /** The services stack's outputs from its last deploy. Default: none (first deploy). */
    previous?: UpstreamState;
}

export function servicesOptions(
    profile: Profile,
    upstreams: { foundation: UpstreamState; secrets: UpstreamState },
    extra: Record<string, string> = {},
    run: ServicesRun = {},
): RunOptions {
    const config = dropUnset({
        [`${V}:appUrl`]: "https://app.example.com",
        [`${V}:githubAppId`]: "123456",
        [`${V}:githubAppSlug`]: "proliferate-test",
        [`${V}:autumnApiUrl`]: "https://api.useautumn.com",
        [`${V}:emailFrom`]: "Proliferate <noreply@example.com>",
        ...(profile === "prod"
            ? {
                  [`${V}:certificateArn`]: CERTIFICATE_ARN,
                  [`${V}:domains`]: domainsOf(run.catalog),
                  [`${V}:certificateDomains`]: JSON.stringify(CERTIFICATE_DOMAINS),
                  [`${V}:modalAppName`]: "proliferate-sandboxes",
                  [`${V}:nangoGithubIntegrationId`]: "github",
                  [`${V}:nangoLinearIntegrationId`]: "linear",
                  [`${V}:nangoSentryIntegrationId`]: "sentry",
                  [`${V}:serviceSizes`]: '{"gateway":{"cpu":1024,"memory":2048,"desiredCount":2}}',
              }
            : {
                  [`${V}:e2bDomain`]: "e2b.app",
                  [`${V}:e2bTemplate`]: "proliferate-sandbox",
                  [`${V}:e2bTemplateAlias`]: "proliferate",
              }),
        ...extra,
    });
    return {
        project: V,
        stack: STACK,
        config,
        upstreams: { [upstreamName("foundation")]: upstreams.foundation, [upstreamName("secrets")]: upstreams.secrets },
        env: { [IMAGE_TAG_ENV]: IMAGE_TAG, [DEPLOYED_BY_ENV]: DEPLOYED_BY, ...run.env },
        ...(run.previous ? { previous: run.previous } : {}),
    };
}
