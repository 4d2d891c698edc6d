import { z } from "zod";
import { APP_SETTINGS, requiredSettings, unusedSettings, type AppProfile, type AppSettingKey } from "../app-settings";
import { isValidFargateSize, type ServiceSize, type ServiceSpec } from "../catalog";
import { classDefaults, isProductionLike, type EnvironmentClass } from "../environment";
import { PROJECT_NAMES } from "../layers";
import { retentionField, upstreamStackFields } from "./common";
import { checkArn, checkAwsRegion, checkEmail, checkUrl } from "./formats";
import { field } from "./field";
import { IssueList } from "./issues";
import { parseFields, pickDefined } from "./parse";
import type { ConfigSource } from "./source";

const PROJECT = PROJECT_NAMES.services;

/** Tags that are moved to new images over time; production refuses them. */
export const MUTABLE_TAGS = [
    "latest",
    "main",
    "master",
    "dev",
    "develop",
    "development",
    "stable",
    "prod",
    "production",
    "staging",
    "edge",
    "nightly",
    "head",
    "current",
];

/** An image tag (`[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`) or a digest (`sha256:<64 hex>`). */
export function checkImageTag(tag: string): string | undefined {
    return /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag) || /^sha256:[0-9a-f]{64}$/.test(tag)
        ? undefined
        : "is not an image tag or a sha256: digest";
}

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
    imageTag: field
        .string(
            "Image tag (or sha256: digest) every service runs; production refuses mutable tags like latest.",
            "git-3f2c1ab",
        )
        .check(checkImageTag),
    imageTags: field
        .json(
            "Per-service image tag overrides, as a JSON object.",
            '{"llm-proxy":"v1.52.0"}',
            z.record(z.string(), z.string()),
        )
        .default({})
        .check((m) =>
            Object.values(m)
                .map(checkImageTag)
                .find((r) => r !== undefined),
        ),
    bootstrap: field
        .boolean(
            "First deploy of a new environment: create repositories, cluster and load balancers, run no tasks (no image exists yet).",
        )
        .default(false),
    certificateArn: field
        .string(
            "ACM certificate for the load balancers: HTTPS with HTTP→HTTPS redirect. Required for production.",
            "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .check((v) => checkArn(v, "acm", "certificate/")),
    serviceSizes: field
        .json(
            "Per-service cpu, memory (MiB) and desiredCount overrides, as a JSON object.",
            '{"worker":{"cpu":1024,"memory":2048,"desiredCount":2}}',
            sizeOverride,
        )
        .default({}),
    publicUrls: field
        .json(
            "Public URL per public service, when DNS points a domain at its load balancer (default: the load balancer's DNS name).",
            '{"gateway":"https://api.example.com"}',
            z.record(z.string(), z.string()),
        )
        .default({})
        .check((m) =>
            Object.values(m)
                .map((u) => checkUrl(u))
                .find((r) => r !== undefined),
        ),
    cpuArchitecture: field
        .enum(["X86_64", "ARM64"] as const, "CPU architecture the images are built for.")
        .default("X86_64"),
    logRetentionDays: retentionField(
        "Retention of the service log groups, in days. Default: 365 for production, 30 otherwise.",
    ),
    billingEnabled: field.boolean(
        "NEXT_PUBLIC_BILLING_ENABLED. Default: true for deploymentProfile=cloud, false otherwise.",
    ),
    ...appSettingFields,
};

/** The services layer's parsed config. */
export interface ServicesConfig {
    /** Image tag per service; undefined in bootstrap mode. */
    imageTags: Record<string, string | undefined>;
    bootstrap: boolean;
    certificateArn?: string;
    /** URL overrides per public service. */
    publicUrls: Record<string, string>;
    sizes: Record<string, ServiceSize>;
    cpuArchitecture: "X86_64" | "ARM64";
    logRetentionDays: number;
    billingEnabled: boolean;
    settings: Partial<Record<AppSettingKey, string>>;
}

/** Parses and checks the services config; the profile comes from the secrets stack, the service names from the catalog. */
export function parseServicesConfig(
    source: ConfigSource,
    envClass: EnvironmentClass,
    profile: AppProfile,
    services: readonly ServiceSpec[],
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

    // Images: a tag for every service, immutable in production, or an explicit bootstrap.
    if (v.bootstrap && (isSet("imageTag") || Object.keys(v.imageTags ?? {}).length > 0)) {
        issues.addRaw({
            key: `${PROJECT}:bootstrap`,
            problem: "is true, which runs no tasks, but image tags are set too",
            fix: `pulumi config rm ${PROJECT}:bootstrap`,
        });
    }
    for (const name of Object.keys(v.imageTags ?? {})) {
        if (!serviceNames.includes(name)) {
            issues.add(
                "imageTags",
                servicesFields.imageTags,
                `names "${name}", which is not a service (${serviceNames.join(", ")})`,
            );
        }
    }
    const imageTags: Record<string, string | undefined> = {};
    for (const name of serviceNames) {
        const tag = v.imageTags?.[name] ?? v.imageTag;
        imageTags[name] = v.bootstrap ? undefined : tag;
        if (!v.bootstrap && tag === undefined && !issues.issues.some((i) => i.key === `${PROJECT}:imageTag`)) {
            issues.add(
                "imageTag",
                servicesFields.imageTag,
                `is not set, so service ${name} has no image. Set the tag to deploy, or for the very first deploy of a new environment (no image pushed yet) set ${PROJECT}:bootstrap true.`,
            );
        }
        if (prod && tag !== undefined && MUTABLE_TAGS.includes(tag.toLowerCase())) {
            const key = v.imageTags?.[name] !== undefined ? "imageTags" : "imageTag";
            issues.add(
                key,
                servicesFields[key],
                `is "${tag}" for ${name}, a mutable tag; production deploys an immutable tag (a git SHA, a version, or a sha256: digest)`,
            );
        }
    }

    if (prod && !isSet("certificateArn")) {
        issues.add(
            "certificateArn",
            servicesFields.certificateArn,
            "is required for production: the load balancers serve HTTPS and redirect HTTP.",
        );
    }

    for (const name of Object.keys(v.publicUrls ?? {})) {
        if (!services.some((s) => s.name === name && s.public)) {
            issues.add(
                "publicUrls",
                servicesFields.publicUrls,
                `names "${name}", which is not a public service (${services
                    .filter((s) => s.public)
                    .map((s) => s.name)
                    .join(", ")})`,
            );
        }
    }
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
        imageTags,
        bootstrap: v.bootstrap,
        ...(v.certificateArn !== undefined ? { certificateArn: v.certificateArn } : {}),
        publicUrls: v.publicUrls,
        sizes,
        cpuArchitecture: v.cpuArchitecture,
        logRetentionDays: v.logRetentionDays ?? classDefaults(envClass).logRetentionDays,
        billingEnabled,
        settings: pickDefined(v, Object.keys(APP_SETTINGS) as AppSettingKey[]),
    };
}
