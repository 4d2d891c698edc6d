import {
    APP_SECRETS,
    DEPLOYMENT_PROFILES,
    requiredSecrets,
    SANDBOX_PROVIDERS,
    unusedSecrets,
    type AppProfile,
    type AppSecretKey,
} from "../app-settings";
import { classDefaults, isProductionLike, type EnvironmentClass } from "../environment";
import { PROJECT_NAMES } from "../layers";
import { upstreamStackFields } from "./common";
import { checkArn } from "./formats";
import { field, secretShape } from "./field";
import { IssueList } from "./issues";
import { parseFields, pickDefined } from "./parse";
import type { Secret } from "./secret";
import type { ConfigSource } from "./source";

const PROJECT = PROJECT_NAMES.secrets;

const pem = (s: Secret) =>
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(s.reveal())
        ? undefined
        : "is not a PEM private key (-----BEGIN ... PRIVATE KEY-----)";

/** Docs and example of each application secret. */
const SECRET_DOCS: Record<AppSecretKey, [doc: string, example: string]> = {
    serviceAuthToken: ["Shared token the services authenticate each other with.", "$(openssl rand -hex 32)"],
    userSecretsEncryptionKey: ["Key that encrypts users' stored secrets.", "$(openssl rand -hex 32)"],
    anthropicApiKey: ["Anthropic API key.", "sk-ant-api03-your-anthropic-key"],
    betterAuthSecret: ["Better Auth session secret.", "$(openssl rand -hex 32)"],
    githubAppPrivateKey: ["GitHub App private key (PEM).", "$(cat github-app.private-key.pem)"],
    githubAppWebhookSecret: ["GitHub App webhook secret.", "the-webhook-secret-of-your-github-app"],
    billingJwtSecret: ["Billing JWT secret. Required for deploymentProfile=cloud.", "$(openssl rand -hex 32)"],
    autumnApiKey: ["Autumn (billing) API key. Required for deploymentProfile=cloud.", "am_sk_your_autumn_key"],
    resendApiKey: ["Resend (e-mail) API key. Required for deploymentProfile=cloud.", "re_your_resend_key"],
    e2bApiKey: ["E2B API key. Required when defaultSandboxProvider is e2b.", "e2b_your_e2b_api_key"],
    modalTokenId: ["Modal token id. Required when defaultSandboxProvider is modal.", "ak-your-modal-token-id"],
    modalTokenSecret: [
        "Modal token secret. Required when defaultSandboxProvider is modal.",
        "as-your-modal-token-secret",
    ],
    nangoSecretKey: ["Nango secret key. Required when integrationsEnabled is true.", "your-nango-secret-key"],
    llmProxyMasterKey: [
        "LLM proxy (LiteLLM) master key; always required, the proxy always runs.",
        "sk-$(openssl rand -hex 24)",
    ],
    s3AccessKeyId: ["Access key id for S3 (optional; set with s3SecretAccessKey).", "AKIAIOSFODNN7EXAMPLE"],
    s3SecretAccessKey: [
        "Secret access key for S3 (optional; set with s3AccessKeyId).",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ],
};

function secretField(key: AppSecretKey) {
    const [doc, example] = SECRET_DOCS[key];
    const f = field.secret(doc, example).check(secretShape(8, 16384));
    return key === "githubAppPrivateKey" ? f.check(pem) : f;
}

const appSecretFields = Object.fromEntries(
    (Object.keys(APP_SECRETS) as AppSecretKey[]).map((k) => [k, secretField(k)]),
) as Record<AppSecretKey, ReturnType<typeof secretField>>;

/** Every config key of the secrets layer. */
export const secretsFields = {
    ...upstreamStackFields(["foundation", "data"] as const),
    deploymentProfile: field
        .enum(
            DEPLOYMENT_PROFILES,
            "cloud: the hosted product (billing and e-mail keys required); self-hosted: those keys optional.",
        )
        .default("cloud"),
    defaultSandboxProvider: field
        .enum(SANDBOX_PROVIDERS, "Where sandboxes run: e2b or modal; decides which provider keys are required.")
        .required(),
    integrationsEnabled: field
        .boolean("Third-party integrations through Nango; true requires nangoSecretKey.")
        .default(false),
    recoveryWindowDays: field
        .integer(
            "Days a deleted secret can be restored: 0 (deleted at once, so a destroyed environment can be deployed again under the same names) or 7-30. Default: 30 for production, 0 otherwise.",
            0,
            30,
        )
        .check((d) =>
            d > 0 && d < 7 ? "is not a Secrets Manager recovery window: use 0 (no recovery) or 7-30" : undefined,
        ),
    kmsKeyArn: field
        .string(
            "Customer-managed KMS key for the secrets (default: the AWS-managed aws/secretsmanager key).",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .check((v) => checkArn(v, "kms", "key/")),
    ...appSecretFields,
};

/** The secrets layer's parsed config. */
export interface SecretsConfig {
    /** The choices the requirements depend on; exported for the services layer. */
    profile: AppProfile;
    /** The application secrets that are set. */
    secrets: Partial<Record<AppSecretKey, Secret>>;
    recoveryWindowDays: number;
    kmsKeyArn?: string;
}

/** Parses and checks the secrets config against the rules of shared/app-settings.ts. */
export function parseSecretsConfig(source: ConfigSource, envClass: EnvironmentClass): SecretsConfig {
    const issues = new IssueList(PROJECT);
    const v = parseFields(source, secretsFields, issues);
    const prod = isProductionLike(envClass);
    const profile: AppProfile = {
        deploymentProfile: v.deploymentProfile,
        defaultSandboxProvider: v.defaultSandboxProvider,
        integrationsEnabled: v.integrationsEnabled,
    };
    const isSet = (k: string) => source.get(PROJECT, k) !== undefined;
    if (
        v.defaultSandboxProvider !== undefined &&
        v.deploymentProfile !== undefined &&
        v.integrationsEnabled !== undefined
    ) {
        issues.requirements(secretsFields, isSet, requiredSecrets(profile), unusedSecrets(profile));
    }
    issues.together(secretsFields, isSet, "s3AccessKeyId", "s3SecretAccessKey");
    const recoveryWindowDays = v.recoveryWindowDays ?? classDefaults(envClass).secretRecoveryDays;
    if (prod && recoveryWindowDays < 14) {
        issues.add(
            "recoveryWindowDays",
            secretsFields.recoveryWindowDays,
            `is ${recoveryWindowDays}; production keeps deleted secrets restorable for at least 14 days`,
            "30",
        );
    }
    issues.throwIfAny(source.stack);

    return {
        profile,
        secrets: pickDefined(v, Object.keys(APP_SECRETS) as AppSecretKey[]),
        recoveryWindowDays,
        ...(v.kmsKeyArn !== undefined ? { kmsKeyArn: v.kmsKeyArn } : {}),
    };
}
