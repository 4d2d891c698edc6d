import { isValidFargateSize } from "../../shared/catalog";
import { LAYERS } from "../../shared/layers";
import { RESERVED_TAG_KEYS } from "../../shared/tags";
import { arr, json, ofType, resourcePolicy, stackPolicy, TYPES, type ProjectPolicy } from "../rules";

/** Physical-name limits AWS enforces, for the names this project sets explicitly. */
const NAME_LIMITS: Array<{ type: string; prop: string; max: number }> = [
    { type: "aws:lb/loadBalancer:LoadBalancer", prop: "name", max: 32 },
    { type: "aws:lb/targetGroup:TargetGroup", prop: "name", max: 32 },
    { type: "aws:lb/targetGroup:TargetGroup", prop: "namePrefix", max: 6 },
    { type: TYPES.replicationGroup, prop: "replicationGroupId", max: 40 },
    { type: TYPES.rdsInstance, prop: "identifier", max: 63 },
    { type: "aws:iam/role:Role", prop: "name", max: 64 },
    { type: "aws:iam/role:Role", prop: "namePrefix", max: 38 },
];

/** AWS limits, checked before AWS rejects a deploy halfway through. */
export const limitPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "fargate-cpu-memory",
        control: "AWS limit",
        level: "mandatory",
        why: "Fargate runs only fixed CPU/memory combinations; any other fails at deploy time",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            if (!arr(r.props["requiresCompatibilities"]).includes("FARGATE")) return;
            const cpu = Number(r.props["cpu"]);
            const memory = Number(r.props["memory"]);
            if (!isValidFargateSize(cpu, memory))
                fail(
                    `${cpu} CPU units with ${memory} MiB is not a Fargate size`,
                    "pick a valid pair, e.g. 256/512, 512/1024, 1024/2048 (proliferate-services:serviceSizes)",
                );
        },
    }),
    resourcePolicy({
        name: "physical-name-lengths",
        control: "AWS limit",
        level: "mandatory",
        why: "names over AWS's limits fail at deploy time, after other resources already changed",
        types: [...new Set(NAME_LIMITS.map((l) => l.type))],
        check: (r, fail) => {
            for (const limit of NAME_LIMITS.filter((l) => l.type === r.type)) {
                const value = r.props[limit.prop];
                if (typeof value === "string" && value.length > limit.max)
                    fail(
                        `${limit.prop} "${value}" has ${value.length} characters; AWS allows ${limit.max}`,
                        "shorten it (shared/naming.ts physicalName shortens with a hash)",
                    );
            }
        },
    }),
    stackPolicy({
        name: "provider-default-tags",
        control: "Tagging",
        level: "mandatory",
        why: "every resource carries app, environment, class, layer and managed-by through the provider's defaultTags",
        check: (resources, fail) => {
            for (const p of ofType(resources, TYPES.provider)) {
                const tags = json<{ tags?: Record<string, string> }>(p.props["defaultTags"])?.tags ?? {};
                const missing = RESERVED_TAG_KEYS.filter((k) => !tags[k]);
                if (missing.length > 0)
                    fail(
                        p,
                        `defaultTags lack ${missing.join(", ")}`,
                        "create the provider with createLayerProvider() from shared/provider.ts",
                    );
                else if (!(LAYERS as readonly string[]).includes(tags["layer"] ?? ""))
                    fail(p, `defaultTags name an unknown layer "${tags["layer"]}"`, `use one of ${LAYERS.join(", ")}`);
            }
        },
    }),
];
