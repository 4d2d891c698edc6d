import { ALL_POLICIES } from "../../policy/policies";
import { LAYER_FIELDS } from "../../shared/config/registry";
import { LAYERS, PROJECT_NAMES } from "../../shared/layers";
import { formatPreflight } from "../preflight";
import { costLines, readPriceTable, totalOf } from "./cost";
import { PLAN_SCHEMA, PLAN_SCHEMA_VERSION, type PlanDocument, type PlanLayer } from "./document";
import { planOutputs, planResources, readReplaceTable, scrubDeep, workingCommit } from "./document-parts";
import { runPolicies } from "./policy-check";
import { scrub } from "./render";
import { rollouts, ROLLOUT_GOAL_SECONDS } from "./rollout";
import { runPlanLayers, type PlannedLayers } from "./run";
import { readPlanConfig, type PlanConfig } from "./stack-config";
import { renderText } from "./text";

/**
 * `make plan`: the plan of one stack as a PlanDocument (scripts/plan/document.ts), from which every
 * format is rendered. Pre-flight first: with a config problem the document carries its report and
 * no layer at all, never half a plan. Every string in the document is scrubbed of the config's
 * secret values before anyone renders it.
 */

/** A finished plan as text (the default format), with the numbers tests and callers read. */
export interface Plan {
    /** 0 planned, 1 config problems or a mandatory policy violation. */
    code: number;
    text: string;
    /** Wall time of running the four programs, ms. */
    programMillis: number;
    /** Estimated USD per month, all layers. */
    monthly: number;
}

/** Every value a plan must not show: the placeholders and any secret key's value as written. */
export function secretValues(config: PlanConfig): string[] {
    const values: string[] = [];
    for (const layer of LAYERS) {
        const { config: c, secretKeys } = config.layers[layer];
        for (const [key, value] of Object.entries(c)) {
            const field = LAYER_FIELDS[layer][key.split(":").pop() ?? ""];
            if (secretKeys.includes(key) || field?.secret) values.push(value);
        }
    }
    return values;
}

/** Plans `stack` from the stack files under `root` (or the checked-in examples when it has none). */
export async function buildPlanDocument(root: string, stack: string, examplesOnly = false): Promise<PlanDocument> {
    return (await planWithSecrets(root, stack, examplesOnly)).doc;
}

/** The plan, and the secret values every rendering of it must be scrubbed of. */
export async function planWithSecrets(
    root: string,
    stack: string,
    examplesOnly = false,
): Promise<{ doc: PlanDocument; secrets: string[] }> {
    const config = readPlanConfig(root, stack, examplesOnly);
    const secrets = secretValues(config);
    const table = readPriceTable(root);
    const doc: PlanDocument = {
        schema: PLAN_SCHEMA,
        version: PLAN_SCHEMA_VERSION,
        stack,
        commit: workingCommit(root),
        config: {
            source: config.source === "example" ? "examples" : "stack-files",
            files: config.files,
            placeholders: config.filled,
        },
        code: 0,
        region: "",
        prices: {
            file: "shared/data/aws-prices.json",
            asOf: table.asOf,
            sources: table.source,
            assumptions: { hoursPerMonth: table.hoursPerMonth, ...table.usageAssumptions },
        },
        layers: [],
        totals: { resources: 0, violations: 0, mandatoryViolations: 0, monthly: 0, programMillis: 0 },
    };
    const refuse = (problems: string, until = "its config is valid") => ({
        doc: scrubDeep(
            { ...doc, code: 1, problems: `${problems}\nplan: no plan for stack "${stack}" until ${until}.` },
            secrets,
        ),
        secrets,
    });
    if (!config.preflight.ok) return refuse(formatPreflight(stack, config.preflight));
    let planned: PlannedLayers;
    try {
        planned = await runPlanLayers(stack, config.layers);
    } catch (err) {
        // A rule only the program checks (pre-flight passed), or a program that fails (a consumer
        // reading an output its upstream no longer has): its message, and no half plan.
        const message = String((err as Error).message ?? err);
        return refuse(message, / program failed: /.test(message) ? "every layer program runs" : "its config is valid");
    }
    const { runs, millis, reads } = planned;
    doc.region = String((runs.foundation.outputs["environment"] as { region?: string } | undefined)?.region);
    const replaceTable = readReplaceTable(root);
    for (const [index, layer] of LAYERS.entries()) {
        const run = runs[layer];
        const policy = await runPolicies(ALL_POLICIES, run.resources);
        const costs = costLines(run.resources, table, doc.region);
        const entry: PlanLayer = {
            layer,
            project: PROJECT_NAMES[layer],
            order: index + 1,
            resources: planResources(run.resources, replaceTable),
            outputs: planOutputs(run.outputs, run.secretOutputs),
            reads: reads[layer].map((r) => ({ upstream: r.upstream, output: r.key })),
            policies: {
                run: policy.policiesRun,
                resourcesChecked: policy.resourcesChecked,
                violations: policy.violations.map((v) => ({ policy: v.policy, level: v.level, message: v.message })),
            },
            cost: { monthly: totalOf(costs), lines: costs },
            rollout: rollouts(run.resources).map((r) => ({ ...r, goalSeconds: ROLLOUT_GOAL_SECONDS })),
            millis: Math.round(millis[layer]),
        };
        doc.layers.push(entry);
        doc.totals.resources += run.resources.length;
        doc.totals.violations += policy.violations.length;
        doc.totals.mandatoryViolations += policy.mandatory.length;
        doc.totals.monthly += entry.cost.monthly;
        doc.totals.programMillis += millis[layer];
    }
    doc.totals.programMillis = Math.round(doc.totals.programMillis);
    doc.code = doc.totals.mandatoryViolations > 0 ? 1 : 0;
    return { doc: scrubDeep(doc, secrets), secrets };
}

/** Plans `stack` and renders it as text: what `make plan` prints by default. */
export async function buildPlan(root: string, stack: string): Promise<Plan> {
    const { doc, secrets } = await planWithSecrets(root, stack);
    return {
        code: doc.code,
        text: scrub(renderText(doc), secrets),
        programMillis: doc.totals.programMillis,
        monthly: doc.totals.monthly,
    };
}
