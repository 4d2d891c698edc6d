import { expect } from "chai";
import * as fc from "fast-check";
import {
    composePayload,
    requiredSecrets,
    requiredSettings,
    unusedSecrets,
    type AppProfile,
} from "../../shared/app-settings";
import { isValidFargateSize, SERVICES, validateCatalog } from "../../shared/catalog";
import { parseServicesConfig } from "../../shared/config/services";
import { parseSecretsConfig } from "../../shared/config/secrets";
import { MapConfigSource } from "../../shared/config/schema";

const keysOf = (r: Array<{ key: string }>) => r.map((x) => x.key).sort();

describe("application settings rules (shared by the secrets and services layers)", () => {
    const cloudE2b: AppProfile = {
        deploymentProfile: "cloud",
        defaultSandboxProvider: "e2b",
        integrationsEnabled: false,
    };

    it("a cloud deployment requires billing and e-mail keys; self-hosted does not", () => {
        expect(keysOf(requiredSecrets(cloudE2b))).to.include.members([
            "billingJwtSecret",
            "autumnApiKey",
            "resendApiKey",
        ]);
        const selfHosted = keysOf(requiredSecrets({ ...cloudE2b, deploymentProfile: "self-hosted" }));
        expect(selfHosted).not.to.include.members(["billingJwtSecret"]);
        expect(selfHosted).not.to.include("autumnApiKey");
        expect(keysOf(requiredSettings({ ...cloudE2b, deploymentProfile: "self-hosted" }))).not.to.include("emailFrom");
    });

    it("the sandbox provider decides the provider keys; integrations add Nango", () => {
        expect(keysOf(requiredSecrets(cloudE2b)))
            .to.include("e2bApiKey")
            .and.not.include("modalTokenId");
        expect(keysOf(requiredSecrets({ ...cloudE2b, defaultSandboxProvider: "modal" }))).to.include.members([
            "modalTokenId",
            "modalTokenSecret",
        ]);
        expect(keysOf(requiredSecrets({ ...cloudE2b, integrationsEnabled: true }))).to.include("nangoSecretKey");
        expect(keysOf(requiredSettings({ ...cloudE2b, integrationsEnabled: true }))).to.include.members([
            "nangoGithubIntegrationId",
            "nangoLinearIntegrationId",
            "nangoSentryIntegrationId",
        ]);
    });

    it("property: a key is never both required and unused", () => {
        const profile = fc.record({
            deploymentProfile: fc.constantFrom("cloud" as const, "self-hosted" as const),
            defaultSandboxProvider: fc.constantFrom("e2b" as const, "modal" as const),
            integrationsEnabled: fc.boolean(),
        });
        fc.assert(
            fc.property(profile, (p) => {
                const required = new Set(keysOf(requiredSecrets(p)));
                expect(keysOf(unusedSecrets(p)).filter((k) => required.has(k))).to.deep.equal([]);
            }),
        );
    });

    it("a payload holds exactly the service's keys whose value exists", () => {
        expect(
            composePayload(["DATABASE_URL", "E2B_API_KEY", "LITELLM_MASTER_KEY"], {
                DATABASE_URL: "d",
                LITELLM_MASTER_KEY: "m",
                ANTHROPIC_API_KEY: "a",
            }),
        ).to.deep.equal({
            DATABASE_URL: "d",
            LITELLM_MASTER_KEY: "m",
        });
    });

    it("a self-hosted environment deploys without billing or e-mail keys, with billing off", () => {
        const S = "proliferate-secrets";
        const secrets: Record<string, string> = {
            [`${S}:deploymentProfile`]: "self-hosted",
            [`${S}:defaultSandboxProvider`]: "e2b",
        };
        for (const k of [
            "serviceAuthToken",
            "userSecretsEncryptionKey",
            "anthropicApiKey",
            "betterAuthSecret",
            "githubAppWebhookSecret",
            "llmProxyMasterKey",
            "e2bApiKey",
        ]) {
            secrets[`${S}:${k}`] = `test-value-for-${k}`;
        }
        secrets[`${S}:githubAppPrivateKey`] = "-----BEGIN PRIVATE KEY-----\nTEST\n-----END PRIVATE KEY-----";
        const parsed = parseSecretsConfig(new MapConfigSource(secrets, "x"), "development");
        expect(parsed.secrets).not.to.have.any.keys("billingJwtSecret", "autumnApiKey", "resendApiKey");
        const V = "proliferate-services";
        const services = parseServicesConfig(
            new MapConfigSource(
                {
                    [`${V}:githubAppId`]: "1",
                    [`${V}:githubAppSlug`]: "app",
                    [`${V}:e2bDomain`]: "e2b.app",
                    [`${V}:e2bTemplate`]: "t",
                    [`${V}:e2bTemplateAlias`]: "a",
                },
                "x",
            ),
            "development",
            parsed.profile,
            SERVICES,
        );
        expect(services.billingEnabled).to.equal(false);
    });
});

describe("Fargate sizes and the catalog", () => {
    const table: Array<[number, number, boolean]> = [
        [256, 512, true],
        [256, 2048, true],
        [256, 4096, false],
        [512, 1024, true],
        [512, 512, false],
        [1024, 8192, true],
        [4096, 30720, true],
        [4096, 31744, false],
        [8192, 20480, true],
        [8192, 18432, false],
        [16384, 122880, true],
        [300, 1024, false],
    ];
    for (const [cpu, memory, ok] of table) {
        it(`${cpu} CPU with ${memory} MiB is ${ok ? "" : "not "}a Fargate size`, () =>
            expect(isValidFargateSize(cpu, memory)).to.equal(ok));
    }

    it("the shipped catalog is valid, and validation names each problem", () => {
        expect(validateCatalog(SERVICES)).to.deep.equal([]);
        const bad = validateCatalog([
            ...SERVICES,
            { ...SERVICES[1]!, name: "gateway" },
            { ...SERVICES[0]!, name: "Bad_Name", size: { cpu: 256, memory: 8192, desiredCount: 1 } },
        ]);
        expect(bad.join("\n"))
            .to.include('"gateway" is listed twice')
            .and.include('"Bad_Name"')
            .and.include("not a Fargate size");
    });
});
