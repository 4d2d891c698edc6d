import { z } from "zod";
import { DEPLOYMENT_PROFILES, SANDBOX_PROVIDERS, type AppProfile } from "../app-settings";
import type { Contract } from "./contract";

/** Outputs of the secrets layer: where each service's secret is and what it holds. Never a value. */
export interface SecretsOutputs {
    /** The application profile the secrets were checked against; the services layer applies the same rules. */
    appProfile: AppProfile;
    /** Secret ARN by service name. */
    secretArns: Record<string, string>;
    /** Secret name by service name (`<app>/<env>/<service>`). */
    secretNames: Record<string, string>;
    /** Variable names inside each service's payload (names only). */
    secretKeys: Record<string, string[]>;
    /**
     * The current version id of each service's secret. The services layer pins it in the task
     * definition, so a changed value starts a new deployment of exactly the services that read it.
     */
    secretVersionIds: Record<string, string>;
    /** Customer-managed KMS key of the secrets, or null for the AWS-managed key. */
    kmsKeyArn: string | null;
}

export const secretsContract: Contract<SecretsOutputs> = {
    layer: "secrets",
    upstreams: ["foundation", "data"],
    outputs: {
        appProfile: {
            doc: "Deployment profile, sandbox provider, integrations flag.",
            secret: false,
            readBy: ["services"],
            schema: z.object({
                deploymentProfile: z.enum(DEPLOYMENT_PROFILES),
                defaultSandboxProvider: z.enum(SANDBOX_PROVIDERS),
                integrationsEnabled: z.boolean(),
            }),
        },
        secretArns: {
            doc: "Secret ARN per service.",
            secret: false,
            readBy: ["services"],
            schema: z.record(z.string(), z.string().startsWith("arn:")),
        },
        secretNames: {
            doc: "Secret name per service.",
            secret: false,
            readBy: "people",
            schema: z.record(z.string(), z.string()),
        },
        secretKeys: {
            doc: "Variable names in each service's secret.",
            secret: false,
            readBy: ["services"],
            schema: z.record(z.string(), z.array(z.string())),
        },
        secretVersionIds: {
            doc: "Current secret version id per service (pinned by the task definitions).",
            secret: false,
            readBy: ["services"],
            schema: z.record(z.string(), z.string().min(1)),
        },
        kmsKeyArn: {
            doc: "Customer-managed KMS key, or null.",
            secret: false,
            readBy: ["services"],
            schema: z.string().nullable(),
        },
    },
    placeholder: {
        appProfile: { deploymentProfile: "cloud", defaultSandboxProvider: "e2b", integrationsEnabled: false },
        secretArns: {
            worker: "arn:aws:secretsmanager:us-east-1:000000000000:secret:placeholder/worker",
            gateway: "arn:aws:secretsmanager:us-east-1:000000000000:secret:placeholder/gateway",
            "llm-proxy": "arn:aws:secretsmanager:us-east-1:000000000000:secret:placeholder/llm-proxy",
        },
        secretNames: {
            worker: "placeholder/worker",
            gateway: "placeholder/gateway",
            "llm-proxy": "placeholder/llm-proxy",
        },
        secretKeys: { worker: ["DATABASE_URL"], gateway: ["DATABASE_URL"], "llm-proxy": ["DATABASE_URL"] },
        secretVersionIds: {
            worker: "00000000-0000-4000-8000-000000000001",
            gateway: "00000000-0000-4000-8000-000000000002",
            "llm-proxy": "00000000-0000-4000-8000-000000000003",
        },
        kmsKeyArn: null,
    },
};
