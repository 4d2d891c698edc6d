import { z } from "zod";
import { LAYERS } from "../../shared/layers";
import { PLAN_SCHEMA, PLAN_SCHEMA_VERSION, type PlanDocument } from "./document";

/**
 * The plan document's schema at run time, typed against the interfaces in document.ts so the two
 * cannot disagree. Strict objects: a field the schema does not know is an error, so a consumer of
 * version 1 can rely on what it reads. `make docs` writes it as JSON Schema to docs/plan.schema.json.
 */

const layer = z.enum(LAYERS);
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const resource = z.strictObject({
    key: z.string(),
    type: z.string(),
    name: z.string(),
    parent: z.string().optional(),
    custom: z.boolean(),
    settings: z.record(z.string(), scalar),
    inputDigests: z.record(z.string(), z.string().regex(/^[0-9a-f]{16}$/)),
});

const output = z.strictObject({
    name: z.string(),
    secret: z.boolean(),
    value: z.unknown().optional(),
    shape: z.string(),
});

const rollout = z.strictObject({
    service: z.string(),
    desiredCount: z.number().int(),
    batch: z.number().int(),
    waves: z.number().int(),
    steps: z.array(z.strictObject({ step: z.string(), seconds: z.number() })),
    totalSeconds: z.number(),
    goalSeconds: z.number(),
    withinGoal: z.boolean(),
});

const planLayer = z.strictObject({
    layer,
    project: z.string(),
    order: z.number().int().min(1).max(LAYERS.length),
    resources: z.array(resource),
    outputs: z.array(output),
    reads: z.array(z.strictObject({ upstream: layer, output: z.string() })),
    policies: z.strictObject({
        run: z.number().int(),
        resourcesChecked: z.number().int(),
        violations: z.array(
            z.strictObject({
                policy: z.string(),
                level: z.enum(["advisory", "mandatory", "remediate", "disabled"]),
                message: z.string(),
            }),
        ),
    }),
    cost: z.strictObject({
        monthly: z.number(),
        lines: z.array(
            z.strictObject({
                type: z.string(),
                name: z.string(),
                monthly: z.number(),
                basis: z.string(),
                unpriced: z.boolean().optional(),
            }),
        ),
    }),
    rollout: z.array(rollout),
    millis: z.number(),
});

const keyFields = z.strictObject({ key: z.string(), fields: z.array(z.string()) });

const diff = z.strictObject({
    base: z.strictObject({ ref: z.string(), commit: z.string() }),
    layers: z.array(
        z.strictObject({
            layer,
            added: z.array(z.string()),
            removed: z.array(z.string()),
            changed: z.array(keyFields),
            replaced: z.array(keyFields),
            monthlyDelta: z.number(),
        }),
    ),
    monthlyDelta: z.number(),
    contract: z.array(
        z.strictObject({
            layer,
            output: z.string(),
            change: z.enum(["added", "removed", "renamed", "narrowed", "widened", "secrecy"]),
            to: z.string().optional(),
            detail: z.string(),
            readBy: z.array(layer),
            severity: z.enum(["error", "info"]),
            message: z.string(),
        }),
    ),
    errors: z.number().int(),
});

/** The version-1 plan document. */
export const planDocumentSchema: z.ZodType<PlanDocument> = z.strictObject({
    schema: z.literal(PLAN_SCHEMA),
    version: z.literal(PLAN_SCHEMA_VERSION),
    stack: z.string(),
    commit: z.string(),
    config: z.strictObject({
        source: z.enum(["stack-files", "examples"]),
        files: z.array(z.string()),
        placeholders: z.array(z.string()),
    }),
    code: z.number().int(),
    problems: z.string().optional(),
    region: z.string(),
    prices: z.strictObject({
        file: z.string(),
        asOf: z.string(),
        sources: z.array(z.string()),
        assumptions: z.record(z.string(), z.unknown()),
    }),
    layers: z.array(planLayer),
    totals: z.strictObject({
        resources: z.number().int(),
        violations: z.number().int(),
        mandatoryViolations: z.number().int(),
        monthly: z.number(),
        programMillis: z.number(),
    }),
    diff: diff.optional(),
});

/** The schema as JSON Schema (draft 2020-12), as docs/plan.schema.json holds it. */
export function planJsonSchema(): string {
    const schema = z.toJSONSchema(planDocumentSchema, { target: "draft-2020-12", unrepresentable: "any" });
    return `${JSON.stringify({ $id: `${PLAN_SCHEMA}/v${PLAN_SCHEMA_VERSION}`, title: "make plan FORMAT=json", ...schema }, null, 2)}\n`;
}
