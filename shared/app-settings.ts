/**
 * The application's settings and secrets, and the rules that decide which are required.
 *
 * Defined once here and used by both the secrets layer (which values must be stored) and the
 * services layer (which settings each container gets), so the two can never disagree.
 * Functional spec: "What is required vs optional".
 */

/** `cloud`: the hosted product with billing and e-mail. `self-hosted`: both optional. */
export const DEPLOYMENT_PROFILES = ["cloud", "self-hosted"] as const;
export type DeploymentProfile = (typeof DEPLOYMENT_PROFILES)[number];

/** Where sandboxes run. */
export const SANDBOX_PROVIDERS = ["e2b", "modal"] as const;
export type SandboxProvider = (typeof SANDBOX_PROVIDERS)[number];

/** The choices the requirements depend on. Set in the secrets layer and exported to the services layer. */
export interface AppProfile {
    /** cloud or self-hosted. */
    deploymentProfile: DeploymentProfile;
    /** e2b or modal. */
    defaultSandboxProvider: SandboxProvider;
    /** Third-party integrations through Nango. */
    integrationsEnabled: boolean;
}

/** Secret config keys of the secrets layer, and the variable name each has inside a payload. */
export const APP_SECRETS = {
    serviceAuthToken: "SERVICE_AUTH_TOKEN",
    userSecretsEncryptionKey: "USER_SECRETS_ENCRYPTION_KEY",
    anthropicApiKey: "ANTHROPIC_API_KEY",
    betterAuthSecret: "BETTER_AUTH_SECRET",
    githubAppPrivateKey: "GITHUB_APP_PRIVATE_KEY",
    githubAppWebhookSecret: "GITHUB_APP_WEBHOOK_SECRET",
    billingJwtSecret: "BILLING_JWT_SECRET",
    autumnApiKey: "AUTUMN_API_KEY",
    resendApiKey: "RESEND_API_KEY",
    e2bApiKey: "E2B_API_KEY",
    modalTokenId: "MODAL_TOKEN_ID",
    modalTokenSecret: "MODAL_TOKEN_SECRET",
    nangoSecretKey: "NANGO_SECRET_KEY",
    llmProxyMasterKey: "LITELLM_MASTER_KEY",
    s3AccessKeyId: "S3_ACCESS_KEY_ID",
    s3SecretAccessKey: "S3_SECRET_ACCESS_KEY",
} as const;
/** A secret config key. */
export type AppSecretKey = keyof typeof APP_SECRETS;

/** Values the secrets layer takes from the data layer. */
export const DATA_SECRETS = { databaseUrl: "DATABASE_URL", redisUrl: "REDIS_URL" } as const;
/** A payload variable name. */
export type PayloadKey = (typeof APP_SECRETS)[AppSecretKey] | (typeof DATA_SECRETS)[keyof typeof DATA_SECRETS];

/** Why each secret is required, for the error message when it is missing. */
export interface Requirement<K extends string> {
    key: K;
    reason: string;
}

/**
 * The secret keys a profile requires. The LLM proxy always runs in this system, so its master key
 * is always required. A self-hosted deployment has no billing and may send no e-mail: the billing
 * (billingJwtSecret, autumnApiKey) and e-mail (resendApiKey) keys become optional there.
 */
export function requiredSecrets(p: AppProfile): Array<Requirement<AppSecretKey>> {
    const always: AppSecretKey[] = [
        "serviceAuthToken",
        "userSecretsEncryptionKey",
        "anthropicApiKey",
        "betterAuthSecret",
        "githubAppPrivateKey",
        "githubAppWebhookSecret",
    ];
    const req: Array<Requirement<AppSecretKey>> = always.map((key) => ({
        key,
        reason: "required for every deployment",
    }));
    req.push({ key: "llmProxyMasterKey", reason: "required because the LLM proxy runs" });
    if (p.deploymentProfile === "cloud") {
        for (const key of ["billingJwtSecret", "autumnApiKey", "resendApiKey"] as const) {
            req.push({ key, reason: "required for deploymentProfile=cloud (billing and e-mail)" });
        }
    }
    if (p.defaultSandboxProvider === "e2b") {
        req.push({ key: "e2bApiKey", reason: "required because defaultSandboxProvider is e2b" });
    } else {
        req.push({ key: "modalTokenId", reason: "required because defaultSandboxProvider is modal" });
        req.push({ key: "modalTokenSecret", reason: "required because defaultSandboxProvider is modal" });
    }
    if (p.integrationsEnabled) {
        req.push({ key: "nangoSecretKey", reason: "required because integrationsEnabled is true" });
    }
    return req;
}

/**
 * Secret keys that only make sense under some profile; setting one outside it is an error, so a
 * value is never silently ignored (for example modalTokenId with defaultSandboxProvider=e2b).
 */
export function unusedSecrets(p: AppProfile): Array<Requirement<AppSecretKey>> {
    const unused: Array<Requirement<AppSecretKey>> = [];
    if (p.defaultSandboxProvider !== "e2b")
        unused.push({ key: "e2bApiKey", reason: "defaultSandboxProvider is not e2b" });
    if (p.defaultSandboxProvider !== "modal") {
        unused.push({ key: "modalTokenId", reason: "defaultSandboxProvider is not modal" });
        unused.push({ key: "modalTokenSecret", reason: "defaultSandboxProvider is not modal" });
    }
    if (!p.integrationsEnabled) unused.push({ key: "nangoSecretKey", reason: "integrationsEnabled is false" });
    return unused;
}

/** Non-secret application settings of the services layer, and the variable name each has in a container. */
export const APP_SETTINGS = {
    appUrl: "APP_URL",
    apiUrl: "API_URL",
    githubAppId: "GITHUB_APP_ID",
    githubAppSlug: "GITHUB_APP_SLUG",
    autumnApiUrl: "AUTUMN_API_URL",
    emailFrom: "EMAIL_FROM",
    e2bDomain: "E2B_DOMAIN",
    e2bTemplate: "E2B_TEMPLATE",
    e2bTemplateAlias: "E2B_TEMPLATE_ALIAS",
    modalAppName: "MODAL_APP_NAME",
    nangoGithubIntegrationId: "NANGO_GITHUB_INTEGRATION_ID",
    nangoLinearIntegrationId: "NANGO_LINEAR_INTEGRATION_ID",
    nangoSentryIntegrationId: "NANGO_SENTRY_INTEGRATION_ID",
    s3Bucket: "S3_BUCKET",
    s3Region: "S3_REGION",
} as const;
/** A non-secret setting key. */
export type AppSettingKey = keyof typeof APP_SETTINGS;

/** The non-secret settings a profile requires (same rules as {@link requiredSecrets}). */
export function requiredSettings(p: AppProfile): Array<Requirement<AppSettingKey>> {
    const req: Array<Requirement<AppSettingKey>> = (["githubAppId", "githubAppSlug"] as const).map((key) => ({
        key,
        reason: "required for every deployment",
    }));
    if (p.deploymentProfile === "cloud") {
        req.push({ key: "autumnApiUrl", reason: "required for deploymentProfile=cloud (billing)" });
        req.push({ key: "emailFrom", reason: "required for deploymentProfile=cloud (e-mail)" });
    }
    if (p.defaultSandboxProvider === "e2b") {
        for (const key of ["e2bDomain", "e2bTemplate", "e2bTemplateAlias"] as const)
            req.push({ key, reason: "required because defaultSandboxProvider is e2b" });
    } else {
        req.push({ key: "modalAppName", reason: "required because defaultSandboxProvider is modal" });
    }
    if (p.integrationsEnabled) {
        for (const key of [
            "nangoGithubIntegrationId",
            "nangoLinearIntegrationId",
            "nangoSentryIntegrationId",
        ] as const) {
            req.push({ key, reason: "required because integrationsEnabled is true" });
        }
    }
    return req;
}

/** Non-secret settings that only make sense under some profile. */
export function unusedSettings(p: AppProfile): Array<Requirement<AppSettingKey>> {
    const unused: Array<Requirement<AppSettingKey>> = [];
    if (p.defaultSandboxProvider !== "e2b") {
        for (const key of ["e2bDomain", "e2bTemplate", "e2bTemplateAlias"] as const)
            unused.push({ key, reason: "defaultSandboxProvider is not e2b" });
    }
    if (p.defaultSandboxProvider !== "modal")
        unused.push({ key: "modalAppName", reason: "defaultSandboxProvider is not modal" });
    if (!p.integrationsEnabled) {
        for (const key of [
            "nangoGithubIntegrationId",
            "nangoLinearIntegrationId",
            "nangoSentryIntegrationId",
        ] as const) {
            unused.push({ key, reason: "integrationsEnabled is false" });
        }
    }
    return unused;
}

/** The payload of one service: the variables it may read (its catalog row's `secretKeys`) whose value is available. Pure. */
export function composePayload(
    keys: readonly PayloadKey[],
    available: Partial<Record<PayloadKey, string>>,
): Record<string, string> {
    const payload: Record<string, string> = {};
    for (const key of keys) {
        const value = available[key];
        if (value !== undefined) {
            payload[key] = value;
        }
    }
    return payload;
}
