import { ALL_POLICIES } from "../../policy/policies";
import { LAYER_FIELDS } from "../../shared/config/registry";
import { LAYERS } from "../../shared/layers";
import { formatPreflight } from "../preflight";
import { costLines, formatCost, readPriceTable, totalOf, usd } from "./cost";
import { runPolicies } from "./policy-check";
import { outputLines, resourceTree, scrub } from "./render";
import { formatRollout, rollouts, ROLLOUT_GOAL_SECONDS } from "./rollout";
import { runPlanLayers } from "./run";
import { readPlanConfig, type PlanConfig } from "./stack-config";

/**
 * `make plan`: the whole plan of one stack as text, and the exit code. Pre-flight first: with a
 * config problem the plan is its report and nothing else, never half a plan.
 */

/** A finished plan. */
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
function secretValues(config: PlanConfig): string[] {
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

/** Plans `stack` from the stack files under `root` (or the dev examples when it has none). */
export async function buildPlan(root: string, stack: string): Promise<Plan> {
    const config = readPlanConfig(root, stack);
    const secrets = secretValues(config);
    const lines: string[] = [];
    if (config.source === "example") {
        lines.push(
            `NOTE: stack "${stack}" has no stack files; this plan uses the checked-in dev examples (${config.files.join(", ")}).`,
            config.filled.length > 0
                ? `NOTE: secrets the examples leave unset are fake placeholders: ${config.filled.join(", ")}.`
                : "",
        );
    }
    if (!config.preflight.ok) {
        lines.push(
            formatPreflight(stack, config.preflight),
            `plan: no plan for stack "${stack}" until its config is valid.`,
        );
        return { code: 1, text: scrub(lines.filter(Boolean).join("\n"), secrets), programMillis: 0, monthly: 0 };
    }
    let planned: Awaited<ReturnType<typeof runPlanLayers>>;
    try {
        planned = await runPlanLayers(stack, config.layers);
    } catch (err) {
        // A rule only the program checks (pre-flight passed): its message, and no half plan.
        lines.push(
            String((err as Error).message ?? err),
            `plan: no plan for stack "${stack}" until its config is valid.`,
        );
        return { code: 1, text: scrub(lines.filter(Boolean).join("\n"), secrets), programMillis: 0, monthly: 0 };
    }
    const { runs, millis } = planned;
    const region = String((runs.foundation.outputs["environment"] as { region?: string } | undefined)?.region);
    const table = readPriceTable(root);
    let monthly = 0;
    let mandatory = 0;
    let resourceCount = 0;
    for (const layer of LAYERS) {
        const run = runs[layer];
        const policy = await runPolicies(ALL_POLICIES, run.resources);
        const costs = costLines(run.resources, table, region);
        const layerCost = totalOf(costs);
        monthly += layerCost;
        mandatory += policy.mandatory.length;
        resourceCount += run.resources.length;
        lines.push(
            "",
            `== ${layer} (${run.resources.length} resources) ==`,
            "  resources:",
            ...resourceTree(run.resources),
            "  outputs:",
            ...outputLines(run.outputs, run.secretOutputs),
            `  policies: ${policy.policiesRun} run over ${policy.resourcesChecked} resources, ${policy.violations.length} violation(s), ${policy.mandatory.length} mandatory`,
            ...policy.violations.map((v) => `    [${v.level}] ${v.policy}: ${v.message}`),
            `  cost (list prices, ${region}, per month):`,
            ...costs.map((c) => `  ${formatCost(c)}`),
            ...(layer === "services" ? rolloutLines(runs.services.resources) : []),
            `  total ${layer}: ${run.resources.length} resources, ${policy.violations.length} policy violation(s), ${usd(layerCost)}/month, ran in ${Math.round(millis[layer])} ms`,
        );
    }
    const programMillis = LAYERS.reduce((s, l) => s + millis[l], 0);
    lines.push(
        "",
        `TOTAL stack "${stack}" (${config.source === "example" ? "dev examples" : "stack files"}): ${resourceCount} resources, ${mandatory} mandatory policy violation(s), about ${usd(monthly)}/month at ${region} list prices of ${table.asOf} (verify: shared/data/aws-prices.json), planned in ${Math.round(programMillis)} ms. Nothing was deployed; every id, ARN and secret shown is fake.`,
    );
    return { code: mandatory > 0 ? 1 : 0, text: scrub(lines.join("\n"), secrets), programMillis, monthly };
}

function rolloutLines(resources: Parameters<typeof rollouts>[0]): string[] {
    const all = rollouts(resources);
    return [
        `  rollout (modelled worst case, goal ${ROLLOUT_GOAL_SECONDS} s):`,
        ...all.map((r) => `    ${formatRollout(r)}`),
    ];
}
