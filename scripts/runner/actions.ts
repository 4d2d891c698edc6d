/**
 * The runner's actions, one small function each behind one dispatch table. Each returns the exit
 * code: 0 ok, 1 failed (or drift found), 2 could not check, 130/143 interrupted by SIGINT/SIGTERM.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONTRACTS } from "../../shared/contracts";
import { PLACEHOLDER_ENVIRONMENT_ENV, PLACEHOLDER_LAYERS_ENV } from "../../shared/contracts/reader";
import { isProductionLike } from "../../shared/environment";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { PreflightResult } from "../preflight";
import { hasChanges, summarise, type PulumiProcesses, type PulumiResult } from "./pulumi-process";
import { stackFileName, validateImageTag, type Action, type RunRequest } from "./request";
import { formatSummary, type LayerResult } from "./summary";

/** What every action gets. */
export interface RunContext {
    req: RunRequest;
    /** The environment pulumi runs with (backend resolved). */
    env: NodeJS.ProcessEnv;
    procs: PulumiProcesses;
    /** Pre-flight of the stack's config (actions that deploy or destroy). */
    checked?: PreflightResult;
    /** `--policy-pack <dir>` when a pack is configured. */
    policyArgs: string[];
    /** With TIMEOUT: how long pulumi gets after each escalation step (SIGINT, SIGTERM) before the next. */
    graceMs?: number;
}

/** Layers in the order an action visits them: dependency order, reversed for destroy. */
export function layerOrder(action: Action, selected: readonly Layer[] = LAYERS): Layer[] {
    const order = LAYERS.filter((l) => selected.includes(l));
    return action === "destroy" ? order.reverse() : order;
}

/** True when every layer comes after all the upstream layers its contract declares. */
export function isTopologicalOrder(order: readonly Layer[], upstreams: (layer: Layer) => readonly Layer[]): boolean {
    return order.every((layer, i) => upstreams(layer).every((u) => order.indexOf(u) >= 0 && order.indexOf(u) < i));
}

const say = (line: string) => console.error(line);
const EXIT_FOR_SIGNAL: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Runs pulumi in a layer's folder, printing the command first unless it only reads. */
function pulumi(
    ctx: RunContext,
    layer: Layer,
    args: string[],
    opts: { read?: boolean; quiet?: boolean; env?: NodeJS.ProcessEnv; eventLog?: boolean } = {},
) {
    if (!opts.read || opts.quiet === false) say(`+ (cd stacks/${layer} && pulumi ${args.join(" ")})`);
    return ctx.procs.run({
        cwd: join(ctx.req.root, "stacks", layer),
        args,
        env: opts.env ?? ctx.env,
        capture: Boolean(opts.read),
        eventLog: Boolean(opts.eventLog),
        // TIMEOUT bounds the operations that change or preview a layer, not the quick reads.
        ...(opts.eventLog && ctx.req.timeoutMs !== undefined ? { timeoutMs: ctx.req.timeoutMs, graceMs: ctx.graceMs } : {}),
    });
}

/** True when pulumi said the stack does not exist (as opposed to any other failure). */
const isNoStack = (r: PulumiResult) => /no stack named .* found/i.test(r.stderr);

const stackArgs = (ctx: RunContext) => ["--stack", ctx.req.stack];

/** Selects (or, for up and preview, creates) the layer's stack. */
async function selectStack(ctx: RunContext, layer: Layer, create: boolean): Promise<PulumiResult> {
    const provider = create && ctx.env["SECRETS_PROVIDER"] ? ["--secrets-provider", ctx.env["SECRETS_PROVIDER"]] : [];
    const args = ["stack", "select", ...(create ? ["--create"] : []), ctx.req.stack, ...provider];
    const r = await pulumi(ctx, layer, args, { read: true, quiet: false });
    if (r.code !== 0 && !isNoStack(r)) process.stderr.write(r.stderr);
    return r;
}

/** Layers that read `layer`'s outputs, directly or through another layer. */
export function dependents(layer: Layer): Layer[] {
    const found = new Set<Layer>();
    let grew = true;
    while (grew) {
        grew = false;
        for (const l of LAYERS) {
            if (found.has(l)) continue;
            if (CONTRACTS[l].upstreams.some((u) => u === layer || found.has(u))) {
                found.add(l);
                grew = true;
            }
        }
    }
    return LAYERS.filter((l) => found.has(l));
}

/** Resources a layer's stack manages (the stack and provider entries not counted); 0 when it has no stack. */
async function resourceCount(ctx: RunContext, layer: Layer): Promise<{ count: number } | { error: string }> {
    const r = await pulumi(ctx, layer, ["stack", "export", ...stackArgs(ctx)], { read: true });
    if (r.code !== 0) return isNoStack(r) ? { count: 0 } : { error: r.stderr.trim().split("\n").pop() || `pulumi exited with ${r.code}` };
    try {
        const doc = JSON.parse(r.stdout) as { deployment?: { resources?: Array<{ type?: string }> } };
        const managed = (doc.deployment?.resources ?? []).filter((res) => res.type !== "pulumi:pulumi:Stack" && !res.type?.startsWith("pulumi:providers:"));
        return { count: managed.length };
    } catch {
        return { error: "pulumi stack export printed something that is not JSON" };
    }
}

/**
 * The downstream guard: an upstream layer may not be destroyed while a layer that reads it still
 * holds resources (its tasks would lose their network, security groups or secrets). Returns why not.
 */
async function downstreamInUse(ctx: RunContext, layer: Layer): Promise<string | undefined> {
    if (ctx.req.ignoreDownstream) return undefined;
    const live: string[] = [];
    for (const d of dependents(layer)) {
        const n = await resourceCount(ctx, d);
        if ("error" in n) live.push(`${d} (could not be checked: ${n.error})`);
        else if (n.count > 0) live.push(`${d} (${n.count} resources)`);
    }
    if (live.length === 0) return undefined;
    const first = dependents(layer).reverse().filter((d) => live.some((l) => l.startsWith(d)));
    return [
        `refusing to destroy ${layer} of stack "${ctx.req.stack}": downstream stacks still use it: ${live.join(", ")}.`,
        `  Destroy them first (${first.map((d) => `make destroy-${d} STACK=${ctx.req.stack}`).join(", then ")}), or destroy everything in order with make destroy-all STACK=${ctx.req.stack}.`,
        `  To destroy ${layer} anyway (its dependents will break), add IGNORE_DOWNSTREAM=1.`,
    ].join("\n");
}

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

/** The outcome of one pulumi operation from its exit and its engine events. */
function outcomeOf(r: PulumiResult, started: number): Omit<LayerResult, "layer"> {
    const { changes, errors } = summarise(r.events);
    const durationMs = Date.now() - started;
    if (r.timedOut) return { outcome: "interrupted", changes, durationMs, timedOut: true, note: "stopped at the TIMEOUT time limit" };
    if (r.interruptedBy) return { outcome: "interrupted", changes, durationMs, note: `stopped by ${r.interruptedBy}` };
    if (r.code !== 0) {
        const note = r.spawnError ?? errors[0] ?? `pulumi exited with ${r.code ?? "a signal"}`;
        return { outcome: "failed", changes, durationMs, note };
    }
    return { outcome: hasChanges(changes) ? "changed" : "ok", changes, durationMs };
}

/** Ends a run: the summary table, and the exit code. */
function finish(ctx: RunContext, results: readonly LayerResult[], failedCode = 1): number {
    say(`\n${formatSummary(ctx.req.action, ctx.req.stack, results)}`);
    if (ctx.procs.interrupted) {
        say(`Interrupted by ${ctx.procs.interrupted}: no further layer was started. If a layer shows "interrupted", run the same command again; if pulumi reports pending operations, see docs/operations.md "Recovery".`);
        return EXIT_FOR_SIGNAL[ctx.procs.interrupted] ?? 1;
    }
    if (results.some((r) => r.timedOut)) {
        say("A layer reached the TIMEOUT time limit and was cancelled: no further layer was started. Run the same command again (with a larger TIMEOUT if the layer was still working).");
        return 124;
    }
    if (results.some((r) => r.outcome === "refused")) return 1;
    if (results.some((r) => r.outcome === "failed")) {
        say("Fix the failed layer and run the same command again: finished layers are no-ops on a rerun.");
        return failedCode;
    }
    return 0;
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
                Object.assign(result, { outcome: "refused", note: "downstream stacks still use it", durationMs: Date.now() - started });
                break;
            }
        }
        const env = verb === "preview" ? await previewEnv(ctx, layer, deployed) : ctx.env;
        // Policies run wherever pulumi evaluates the program for changes: previews and updates.
        const policies = create ? ctx.policyArgs : [];
        const r = await pulumi(ctx, layer, [verb, ...stackArgs(ctx), ...policies, ...ctx.req.flags], { env, eventLog: true });
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

/** deploy-services: set the image tag and update only the services stack; the config file is restored if that fails. */
async function deployServices(ctx: RunContext): Promise<number> {
    const tag = ctx.req.imageTag ?? "";
    const environment = ctx.checked?.environment;
    validateImageTag(tag, environment ? isProductionLike(environment.class) : true, ctx.req.stack);
    const file = join(ctx.req.root, "stacks", "services", `Pulumi.${stackFileName(ctx.req.stack)}.yaml`);
    const before = existsSync(file) ? readFileSync(file) : undefined;
    const restore = () => {
        if (before === undefined) rmSync(file, { force: true });
        else writeFileSync(file, before);
        say(`The image tag was not deployed: ${file.slice(ctx.req.root.length + 1)} is back as it was before this command.`);
    };
    const started = Date.now();
    const result: LayerResult = { layer: "services", outcome: "not started" };
    const select = await selectStack(ctx, "services", false);
    if (select.code !== 0) {
        Object.assign(result, outcomeOf(select, started), { note: `stack ${ctx.req.stack} does not exist; deploy the services layer first (make up-services STACK=${ctx.req.stack})` });
        return finish(ctx, [result]);
    }
    const set = await pulumi(ctx, "services", ["config", "set", `${PROJECT_NAMES.services}:imageTag`, tag, ...stackArgs(ctx)]);
    if (set.code !== 0 || set.interruptedBy) {
        restore();
        Object.assign(result, outcomeOf(set, started));
        return finish(ctx, [result]);
    }
    const r = await pulumi(ctx, "services", ["up", ...stackArgs(ctx), ...ctx.policyArgs, ...ctx.req.flags], { eventLog: true });
    Object.assign(result, outcomeOf(r, started));
    if (result.outcome === "failed" || result.outcome === "interrupted") restore();
    return finish(ctx, [result]);
}

/** outputs: every layer's outputs as one JSON document on stdout; any unreadable layer makes the exit non-zero. */
async function outputs(ctx: RunContext): Promise<number> {
    const combined: Record<string, unknown> = {};
    const failures: string[] = [];
    for (const layer of layerOrder("outputs", ctx.req.layers)) {
        const args = ["stack", "output", "--json", ...(ctx.req.showSecrets ? ["--show-secrets"] : []), ...stackArgs(ctx)];
        const r = await pulumi(ctx, layer, args, { read: true });
        let value: unknown = null;
        if (r.code === 0) {
            try {
                value = JSON.parse(r.stdout || "{}") as unknown;
            } catch {
                failures.push(`${layer}: pulumi printed output that is not JSON`);
            }
        } else {
            const reason = r.spawnError ?? (r.stderr.trim().split("\n").pop() || `pulumi exited with ${r.code ?? "a signal"}`);
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
            Object.assign(result, { outcome: "could not check", note: `no stack ${ctx.req.stack} (never deployed?)`, durationMs: Date.now() - started });
            continue;
        }
        const r = await pulumi(ctx, result.layer, ["preview", "--refresh", ...stackArgs(ctx), ...ctx.req.flags], { eventLog: true });
        const o = outcomeOf(r, started);
        if (o.outcome === "failed") Object.assign(result, o, { outcome: "could not check" });
        else if (o.outcome === "changed") Object.assign(result, o, { outcome: "drifted", note: "differs from its code and config" });
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
