/**
 * The runner's actions, one small function each behind one dispatch table. Each returns the exit
 * code: 0 ok, 1 failed (or drift found), 2 could not check, 130/143 interrupted by SIGINT/SIGTERM.
 */
import { CONTRACTS } from "../../shared/contracts";
import { PLACEHOLDER_ENVIRONMENT_ENV, PLACEHOLDER_LAYERS_ENV } from "../../shared/contracts/reader";
import { isProductionLike } from "../../shared/environment";
import { PROJECT_NAMES, type Layer } from "../../shared/layers";
import {
    EXIT_FOR_SIGNAL,
    finish,
    isNoStack,
    layerOrder,
    outcomeOf,
    pulumi,
    say,
    selectStack,
    stackArgs,
    type RunContext,
} from "./context";
import { downstreamInUse } from "./guard";
import { DEPLOYED_BY_ENV } from "./environment";
import type { Action } from "./request";
import type { LayerResult } from "./summary";

export { isTopologicalOrder, layerOrder, type RunContext } from "./context";

/** True when the layer's stack exists and has outputs (it was deployed at least once). */
async function hasOutputs(ctx: RunContext, layer: Layer): Promise<boolean> {
    const r = await pulumi(ctx, layer, ["stack", "output", "--json", ...stackArgs(ctx)], { read: true });
    if (r.code !== 0) return false;
    try {
        return Object.keys(JSON.parse(r.stdout || "{}") as object).length > 0;
    } catch {
        return false;
    }
}

/** Placeholder settings for a preview whose upstream layers have no outputs yet. */
async function previewEnv(ctx: RunContext, layer: Layer, deployed: Map<Layer, boolean>): Promise<NodeJS.ProcessEnv> {
    const missing: Layer[] = [];
    for (const upstream of CONTRACTS[layer].upstreams) {
        if (!deployed.has(upstream)) deployed.set(upstream, await hasOutputs(ctx, upstream));
        if (!deployed.get(upstream)) missing.push(upstream);
    }
    if (missing.length === 0) return ctx.env;
    say(`    PLACEHOLDER OUTPUTS for ${missing.join(", ")} (not deployed yet): this preview is approximate`);
    const environment = ctx.checked?.environment;
    return {
        ...ctx.env,
        [PLACEHOLDER_LAYERS_ENV]: missing.join(","),
        ...(environment ? { [PLACEHOLDER_ENVIRONMENT_ENV]: JSON.stringify(environment) } : {}),
    };
}

/** up, preview, refresh, destroy: one pulumi operation per layer, in order, stopping at the first failure. */
async function perLayer(ctx: RunContext, verb: "up" | "preview" | "refresh" | "destroy"): Promise<number> {
    const order = layerOrder(verb, ctx.req.layers);
    const results: LayerResult[] = order.map((layer) => ({ layer, outcome: "not started" }));
    const deployed = new Map<Layer, boolean>();
    const create = verb === "up" || verb === "preview";
    for (const [i, result] of results.entries()) {
        if (ctx.procs.interrupted) break;
        const layer = result.layer;
        say(`\n==> [${i + 1}/${results.length}] ${layer} (${PROJECT_NAMES[layer]}), stack ${ctx.req.stack}`);
        const started = Date.now();
        const select = await selectStack(ctx, layer, create);
        if (select.code !== 0 && verb === "destroy" && isNoStack(select) && !select.interruptedBy) {
            // Nothing to destroy here; the layers below may still have stacks (and bills).
            Object.assign(result, { outcome: "no stack", durationMs: Date.now() - started });
            continue;
        }
        if (select.code !== 0) {
            Object.assign(result, outcomeOf(select, started));
            if (result.outcome === "failed") result.note = `stack ${ctx.req.stack} could not be selected`;
            break;
        }
        if (verb === "destroy") {
            const refusal = await downstreamInUse(ctx, layer);
            if (refusal) {
                say(`error: ${refusal}`);
                Object.assign(result, {
                    outcome: "refused",
                    note: "downstream stacks still use it",
                    durationMs: Date.now() - started,
                });
                break;
            }
        }
        const env = verb === "preview" ? await previewEnv(ctx, layer, deployed) : ctx.env;
        // Policies run wherever pulumi evaluates the program for changes: previews and updates.
        const policies = create ? ctx.policyArgs : [];
        const r = await pulumi(ctx, layer, [verb, ...stackArgs(ctx), ...policies, ...ctx.req.flags], {
            env,
            eventLog: true,
        });
        Object.assign(result, outcomeOf(r, started));
        if (result.outcome === "failed" || result.outcome === "interrupted") break;
    }
    return finish(ctx, results);
}

/** destroy: the production guard first, then the layers in reverse order. */
async function destroy(ctx: RunContext): Promise<number> {
    const environment = ctx.checked?.environment;
    const production = environment ? isProductionLike(environment.class) : true;
    const stack = ctx.req.stack;
    if (production && ctx.req.confirm !== stack) {
        say(
            [
                `error: stack "${stack}" is ${environment ? "production-like" : "of unknown class (foundation config unreadable), so treated as production-like"}; destroy refuses it unless CONFIRM=${stack}.`,
                "  Protected on purpose, and how to release each deliberately before destroying:",
                `  - Pulumi \`protect\` on the RDS instance, the Redis replication group and the secrets: \`pulumi state unprotect --all --yes --stack ${stack}\` in stacks/data and stacks/secrets;`,
                "  - RDS deletion protection: `aws rds modify-db-instance --db-instance-identifier <id> --no-deletion-protection --apply-immediately` (a final snapshot is still kept);",
                "  - ALB deletion protection: `aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=deletion_protection.enabled,Value=false`;",
                "  - ECR repositories are not force-deleted in production: delete their images first.",
            ].join("\n"),
        );
        return 1;
    }
    return perLayer(ctx, "destroy");
}

/**
 * deploy-services: update only the services stack to a new image. The tag reaches the program as
 * PROLIFERATE_IMAGE_TAG for this update only, and is never written into a checkout's stack file: the
 * program exports the tag it deployed, and every later run, from any checkout, reads it back from
 * the stack itself (so a deploy-all elsewhere keeps it).
 */
async function deployServices(ctx: RunContext): Promise<number> {
    const started = Date.now();
    const result: LayerResult = { layer: "services", outcome: "not started" };
    const select = await selectStack(ctx, "services", false);
    if (select.code !== 0) {
        Object.assign(result, outcomeOf(select, started), {
            note: `stack ${ctx.req.stack} does not exist; deploy the services layer first (make up-services STACK=${ctx.req.stack})`,
        });
        return finish(ctx, [result]);
    }
    say(`    image tag ${ctx.req.imageTag ?? ""}, deployed by ${ctx.env[DEPLOYED_BY_ENV] ?? "unknown"}`);
    const r = await pulumi(ctx, "services", ["up", ...stackArgs(ctx), ...ctx.policyArgs, ...ctx.req.flags], {
        eventLog: true,
    });
    Object.assign(result, outcomeOf(r, started));
    return finish(ctx, [result]);
}

/** outputs: every layer's outputs as one JSON document on stdout; any unreadable layer makes the exit non-zero. */
async function outputs(ctx: RunContext): Promise<number> {
    const combined: Record<string, unknown> = {};
    const failures: string[] = [];
    for (const layer of layerOrder("outputs", ctx.req.layers)) {
        const args = [
            "stack",
            "output",
            "--json",
            ...(ctx.req.showSecrets ? ["--show-secrets"] : []),
            ...stackArgs(ctx),
        ];
        const r = await pulumi(ctx, layer, args, { read: true });
        let value: unknown = null;
        if (r.code === 0) {
            try {
                value = JSON.parse(r.stdout || "{}") as unknown;
            } catch {
                failures.push(`${layer}: pulumi printed output that is not JSON`);
            }
        } else {
            const reason =
                r.spawnError ?? (r.stderr.trim().split("\n").pop() || `pulumi exited with ${r.code ?? "a signal"}`);
            failures.push(`${layer}: ${reason}`);
        }
        combined[layer] = value;
    }
    process.stdout.write(`${JSON.stringify(combined, null, 2)}\n`);
    for (const f of failures) say(`error: could not read the outputs of ${f}`);
    if (ctx.procs.interrupted) return EXIT_FOR_SIGNAL[ctx.procs.interrupted] ?? 1;
    return failures.length > 0 ? 1 : 0;
}

/** drift: refresh-and-preview every layer; each is "no changes", "drifted" or "could not check". */
async function drift(ctx: RunContext): Promise<number> {
    const results: LayerResult[] = ctx.req.layers.map((layer) => ({ layer, outcome: "not started" }));
    for (const result of results) {
        if (ctx.procs.interrupted) break;
        const started = Date.now();
        say(`\n==> ${result.layer}: checking for drift`);
        const select = await selectStack(ctx, result.layer, false);
        if (select.interruptedBy) {
            Object.assign(result, outcomeOf(select, started));
            break;
        }
        if (select.code !== 0) {
            Object.assign(result, {
                outcome: "could not check",
                note: `no stack ${ctx.req.stack} (never deployed?)`,
                durationMs: Date.now() - started,
            });
            continue;
        }
        const r = await pulumi(ctx, result.layer, ["preview", "--refresh", ...stackArgs(ctx), ...ctx.req.flags], {
            eventLog: true,
        });
        const o = outcomeOf(r, started);
        if (o.outcome === "failed") Object.assign(result, o, { outcome: "could not check" });
        else if (o.outcome === "changed")
            Object.assign(result, o, { outcome: "drifted", note: "differs from its code and config" });
        else if (o.outcome === "ok") Object.assign(result, o, { outcome: "no changes" });
        else Object.assign(result, o);
    }
    const code = finish(ctx, results);
    if (code !== 0) return code;
    const checked = results.filter((r) => r.outcome === "no changes").map((r) => r.layer);
    const drifted = results.filter((r) => r.outcome === "drifted").map((r) => r.layer);
    const unchecked = results.filter((r) => r.outcome === "could not check").map((r) => r.layer);
    if (checked.length > 0) say(`no drift: ${checked.join(", ")}`);
    if (drifted.length > 0) say(`drift: ${drifted.join(", ")} differ from their code and config`);
    if (unchecked.length > 0) say(`could not check: ${unchecked.join(", ")}`);
    return unchecked.length > 0 ? 2 : drifted.length > 0 ? 1 : 0;
}

/** The dispatch table. */
export const ACTION_HANDLERS: Record<Action, (ctx: RunContext) => Promise<number>> = {
    up: (ctx) => perLayer(ctx, "up"),
    preview: (ctx) => perLayer(ctx, "preview"),
    refresh: (ctx) => perLayer(ctx, "refresh"),
    destroy,
    "deploy-services": deployServices,
    outputs,
    drift,
};
