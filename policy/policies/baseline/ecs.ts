import { SERVICES } from "../../../shared/catalog";
import { arr, containers, obj, resourcePolicy, TYPES, type ProjectPolicy } from "../../rules";

/** ECS controls of AWS Security Hub FSBP, mandatory in every environment. */

/** Environment variable names that hold secrets. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL)/i;
/** Values that are secrets whatever their name. */
/** Containers the catalog says cannot run read-only (the reason is in shared/catalog.ts). */
const WRITABLE_ROOT = new Set(SERVICES.filter((s) => s.writableRoot !== undefined).map((s) => s.name));
const SECRET_VALUES: Array<[RegExp, string]> = [
    [/:\/\/[^/\s:@]*:[^@\s]+@/, "a URL with a password"],
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
    [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key"],
    [/^(sk|rk|pk)-[A-Za-z0-9_-]{16,}$/, "an API key"],
];

export const ecsPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "ecs-2-no-public-ip",
        control: "ECS.2",
        level: "mandatory",
        why: "tasks run in private subnets and are reached only through their load balancer",
        types: ["aws:ecs/service:Service"],
        check: (r, fail) => {
            if (obj(r.props["networkConfiguration"])["assignPublicIp"] === true)
                fail(
                    "tasks get a public IP",
                    "set networkConfiguration.assignPublicIp: false and use private subnets with NAT",
                );
        },
    }),
    resourcePolicy({
        name: "ecs-4-non-privileged",
        control: "ECS.4",
        level: "mandatory",
        why: "a privileged container can take over its host",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r))
                if (c.privileged === true) fail(`container ${c.name ?? "?"} is privileged`, "set privileged: false");
        },
    }),
    // In every environment, not production only: an image that writes outside its volumes should
    // fail in development first. A service exempts itself only by stating why in the catalog.
    resourcePolicy({
        name: "ecs-5-read-only-root-filesystem",
        control: "ECS.5",
        level: "mandatory",
        why: "a read-only root stops an attacker from changing binaries; services the catalog gives a writableRoot reason are exempt",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r))
                if (c.readonlyRootFilesystem !== true && !WRITABLE_ROOT.has(c.name ?? ""))
                    fail(
                        `container ${c.name ?? "?"} has a writable root filesystem`,
                        "set readonlyRootFilesystem: true with the paths it writes as writablePaths in shared/catalog.ts, or state why it cannot in writableRoot",
                    );
        },
    }),
    resourcePolicy({
        name: "ecs-8-no-secrets-in-environment",
        control: "ECS.8",
        level: "mandatory",
        why: "environment variables show in the console, the API and logs; secrets go in `secrets` (Secrets Manager)",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r)) {
                for (const e of c.environment ?? []) {
                    const found = SECRET_NAME.test(e.name)
                        ? "a secret-looking name"
                        : SECRET_VALUES.find(([re]) => re.test(String(e.value)))?.[1];
                    if (found)
                        fail(
                            `container ${c.name ?? "?"} has ${found} in environment variable ${e.name}`,
                            "move it to the service's Secrets Manager secret and reference it in `secrets` (valueFrom)",
                        );
                }
            }
        },
    }),
    resourcePolicy({
        name: "ecs-9-logging",
        control: "ECS.9",
        level: "mandatory",
        why: "without a log driver, a crashing task leaves no trace",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r))
                if (!c.logConfiguration?.logDriver)
                    fail(
                        `container ${c.name ?? "?"} has no logConfiguration`,
                        "add logConfiguration with the awslogs driver",
                    );
        },
    }),
    resourcePolicy({
        name: "ecs-12-container-insights",
        control: "ECS.12",
        level: "mandatory",
        why: "Container Insights gives the per-task CPU, memory and restart metrics on-call needs",
        types: ["aws:ecs/cluster:Cluster"],
        check: (r, fail) => {
            const on = (arr(r.props["settings"]) as Array<{ name?: string; value?: string }>).some(
                (s) => s.name === "containerInsights" && (s.value === "enabled" || s.value === "enhanced"),
            );
            if (!on)
                fail("Container Insights is off", 'add settings: [{ name: "containerInsights", value: "enabled" }]');
        },
    }),
];
