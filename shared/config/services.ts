import { z } from "zod";
import { APP_SETTINGS, requiredSettings, unusedSettings, type AppProfile, type AppSettingKey } from "../app-settings";
import { isValidFargateSize, type ServiceSize, type ServiceSpec } from "../catalog";
import { classDefaults, isProductionLike, type EnvironmentClass } from "../environment";
import { PROJECT_NAMES } from "../layers";
import { retentionField, upstreamStackFields } from "./common";
import { domainFields, parseDomains, type DomainSettings } from "./domains";
import { checkAwsRegion, checkEmail, checkUrl } from "./formats";
import { field } from "./field";
import { imageFields, parseImages, type ImageInputs, type ImagePlan } from "./images";
import { IssueList } from "./issues";
import { parseFields, pickDefined } from "./parse";
import type { ConfigSource } from "./source";

const PROJECT = PROJECT_NAMES.services;

const SETTING_DOCS: Record<AppSettingKey, [doc: string, example: string, check?: (v: string) => string | undefined]> = {
    appUrl: ["Public URL of the web app.", "https://app.example.com", (v) => checkUrl(v)],
    apiUrl: ["Public URL of the API (default: the gateway's URL).", "https://api.example.com", (v) => checkUrl(v)],
    githubAppId: [
        "GitHub App id. Required.",
        "123456",
        (v) => (/^\d+$/.test(v) ? undefined : "must be the numeric GitHub App id"),
    ],
    githubAppSlug: ["GitHub App slug. Required.", "proliferate-app"],
    autumnApiUrl: [
        "Autumn (billing) API URL. Required for deploymentProfile=cloud.",
        "https://api.useautumn.com",
        (v) => checkUrl(v),
    ],
    emailFrom: [
        "Sender of e-mails. Required for deploymentProfile=cloud.",
        "Proliferate <noreply@example.com>",
        checkEmail,
    ],
    e2bDomain: ["E2B domain. Required when defaultSandboxProvider is e2b.", "e2b.app"],
    e2bTemplate: ["E2B template. Required when defaultSandboxProvider is e2b.", "proliferate-sandbox"],
    e2bTemplateAlias: ["E2B template alias. Required when defaultSandboxProvider is e2b.", "proliferate"],
    modalAppName: ["Modal app name. Required when defaultSandboxProvider is modal.", "proliferate-sandboxes"],
    nangoGithubIntegrationId: ["Nango GitHub integration id. Required when integrationsEnabled is true.", "github"],
    nangoLinearIntegrationId: ["Nango Linear integration id. Required when integrationsEnabled is true.", "linear"],
    nangoSentryIntegrationId: ["Nango Sentry integration id. Required when integrationsEnabled is true.", "sentry"],
    s3Bucket: ["S3 bucket the gateway stores files in (optional).", "proliferate-uploads"],
    s3Region: ["Region of the S3 bucket (optional; set with s3Bucket).", "us-east-1", checkAwsRegion],
};

function settingField(key: AppSettingKey) {
    const [doc, example, check] = SETTING_DOCS[key];
    const f = field.string(doc, example);
    return check ? f.check(check) : f;
}
const appSettingFields = Object.fromEntries(
    (Object.keys(APP_SETTINGS) as AppSettingKey[]).map((k) => [k, settingField(k)]),
) as Record<AppSettingKey, ReturnType<typeof settingField>>;

const sizeOverride = z.record(
    z.string(),
    z.strictObject({
        cpu: z.number().int().optional(),
        memory: z.number().int().optional(),
        desiredCount: z.number().int().min(0).max(100).optional(),
    }),
);

/** Every config key of the services layer. */
export const servicesFields = {
    ...upstreamStackFields(["foundation", "secrets"] as const),
    ...imageFields,
    ...domainFields,
    serviceSizes: field
        .json(
            "Per-service cpu, memory (MiB) and desiredCount overrides, as a JSON object.",
            '{"worker":{"cpu":1024,"memory":2048,"desiredCount":2}}',
            sizeOverride,
        )
        .default({}),
    cpuArchitecture: field
        .enum(["X86_64", "ARM64"] as const, "CPU architecture the images are built for.")
        .default("X86_64"),
    logRetentionDays: retentionField(
        "Retention of the service log groups, in days. Default: 365 for production, 30 otherwise.",
    ),
    billingEnabled: field.boolean(
        "NEXT_PUBLIC_BILLING_ENABLED. Default: true for deploymentProfile=cloud, false otherwise.",
    ),
    albAccessLogs: field.boolean(
        "Load balancer access logs to an S3 bucket of this layer. Default: true for production, false otherwise; production cannot turn them off.",
    ),
    albAccessLogExpirationDays: field
        .integer("Days an access log object is kept before S3 deletes it.", 1, 3650)
        .default(90),
    ...appSettingFields,
};

/** The services layer's parsed config. */
export interface ServicesConfig {
    /** The image tag of the run and of each service (all undefined in bootstrap mode), and where it came from. */
    images: ImagePlan;
    /** Host names, certificate and DNS zone of the public services. */
    public: DomainSettings;
    sizes: Record<string, ServiceSize>;
    cpuArchitecture: "X86_64" | "ARM64";
    logRetentionDays: number;
    billingEnabled: boolean;
    /** Load balancer access logs: whether they are on and how long S3 keeps them. */
    accessLogs: { enabled: boolean; expirationDays: number };
    settings: Partial<Record<AppSettingKey, string>>;
}

/**
 * Parses and checks the services config; the profile comes from the secrets stack, the service
 * names from the catalog. `images` (the deploy's tag and the stack's last outputs) is given by the
 * program; pre-flight, which has neither, checks the config alone.
 */
export function parseServicesConfig(
    source: ConfigSource,
    envClass: EnvironmentClass,
    profile: AppProfile,
    services: readonly ServiceSpec[],
    images?: ImageInputs,
): ServicesConfig {
    const issues = new IssueList(PROJECT);
    const v = parseFields(source, servicesFields, issues);
    const prod = isProductionLike(envClass);
    const isSet = (k: string) => source.get(PROJECT, k) !== undefined;
    const serviceNames = services.map((s) => s.name);

    issues.requirements(servicesFields, isSet, requiredSettings(profile), unusedSettings(profile));
    issues.together(servicesFields, isSet, "s3Bucket", "s3Region");
    const billingEnabled = v.billingEnabled ?? profile.deploymentProfile === "cloud";
    if (billingEnabled && profile.deploymentProfile !== "cloud") {
        issues.add(
            "billingEnabled",
            servicesFields.billingEnabled,
            "is true, but billing needs deploymentProfile=cloud (the billing keys are only required there)",
            "false",
        );
    }

    if (prod && v.albAccessLogs === false) {
        issues.add(
            "albAccessLogs",
            servicesFields.albAccessLogs,
            "is false, but production keeps load balancer access logs (Security Hub ELB.5)",
            "true",
        );
    }

    const imagePlan = parseImages({
        source,
        issues,
        values: v,
        productionLike: prod,
        serviceNames,
        ...(images ? { inputs: images } : {}),
    });
    const publicSettings = parseDomains({ source, issues, values: v, productionLike: prod, services });

    const sizes: Record<string, ServiceSize> = {};
    for (const name of Object.keys(v.serviceSizes ?? {})) {
        if (!serviceNames.includes(name))
            issues.add(
                "serviceSizes",
                servicesFields.serviceSizes,
                `names "${name}", which is not a service (${serviceNames.join(", ")})`,
            );
    }
    for (const s of services) {
        const size = { ...s.size, ...(v.serviceSizes?.[s.name] ?? {}) };
        if (!isValidFargateSize(size.cpu, size.memory)) {
            issues.add(
                "serviceSizes",
                servicesFields.serviceSizes,
                `gives ${s.name} ${size.cpu} CPU units with ${size.memory} MiB, which Fargate does not offer (e.g. 256 CPU: 512-2048 MiB; 512: 1024-4096; 1024: 2048-8192)`,
            );
        }
        sizes[s.name] = size;
    }
    issues.throwIfAny(source.stack);

    return {
        images: imagePlan,
        public: publicSettings,
        sizes,
        cpuArchitecture: v.cpuArchitecture,
        logRetentionDays: v.logRetentionDays ?? classDefaults(envClass).logRetentionDays,
        billingEnabled,
        accessLogs: { enabled: v.albAccessLogs ?? prod, expirationDays: v.albAccessLogExpirationDays },
        settings: pickDefined(v, Object.keys(APP_SETTINGS) as AppSettingKey[]),
    };
}
