/**
 * What every action of a run shares: the run's context, how pulumi is called in a layer folder,
 * how one operation's outcome is read, and how a run ends (summary table and exit code).
 */
import { join } from "node:path";
import { LAYERS, type Layer } from "../../shared/layers";
import type { PreflightResult } from "../preflight";
import { hasChanges, summarise, type PulumiProcesses, type PulumiResult } from "./pulumi-process";
import type { Action, RunRequest } from "./request";
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

export const say = (line: string) => console.error(line);
export const EXIT_FOR_SIGNAL: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Runs pulumi in a layer's folder, printing the command first unless it only reads. */
export function pulumi(
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
        ...(opts.eventLog && ctx.req.timeoutMs !== undefined
            ? { timeoutMs: ctx.req.timeoutMs, graceMs: ctx.graceMs }
            : {}),
    });
}

/** True when pulumi said the stack does not exist (as opposed to any other failure). */
export const isNoStack = (r: PulumiResult) => /no stack named .* found/i.test(r.stderr);

export const stackArgs = (ctx: RunContext) => ["--stack", ctx.req.stack];

/** Selects (or, for up and preview, creates) the layer's stack. */
export async function selectStack(ctx: RunContext, layer: Layer, create: boolean): Promise<PulumiResult> {
    const provider = create && ctx.env["SECRETS_PROVIDER"] ? ["--secrets-provider", ctx.env["SECRETS_PROVIDER"]] : [];
    const args = ["stack", "select", ...(create ? ["--create"] : []), ctx.req.stack, ...provider];
    const r = await pulumi(ctx, layer, args, { read: true, quiet: false });
    if (r.code !== 0 && !isNoStack(r)) process.stderr.write(r.stderr);
    return r;
}

/** The outcome of one pulumi operation from its exit and its engine events. */
export function outcomeOf(r: PulumiResult, started: number): Omit<LayerResult, "layer"> {
    const { changes, errors } = summarise(r.events);
    const durationMs = Date.now() - started;
    if (r.timedOut)
        return {
            outcome: "interrupted",
            changes,
            durationMs,
            timedOut: true,
            note: "stopped at the TIMEOUT time limit",
        };
    if (r.interruptedBy) return { outcome: "interrupted", changes, durationMs, note: `stopped by ${r.interruptedBy}` };
    if (r.code !== 0) {
        const note = r.spawnError ?? errors[0] ?? `pulumi exited with ${r.code ?? "a signal"}`;
        return { outcome: "failed", changes, durationMs, note };
    }
    return { outcome: hasChanges(changes) ? "changed" : "ok", changes, durationMs };
}

/** Ends a run: the summary table, and the exit code. */
export function finish(ctx: RunContext, results: readonly LayerResult[], failedCode = 1): number {
    say(`\n${formatSummary(ctx.req.action, ctx.req.stack, results)}`);
    if (ctx.procs.interrupted) {
        say(
            `Interrupted by ${ctx.procs.interrupted}: no further layer was started. If a layer shows "interrupted", run the same command again; if pulumi reports pending operations, see docs/operations.md "Recovery".`,
        );
        return EXIT_FOR_SIGNAL[ctx.procs.interrupted] ?? 1;
    }
    if (results.some((r) => r.timedOut)) {
        say(
            "A layer reached the TIMEOUT time limit and was cancelled: no further layer was started. Run the same command again (with a larger TIMEOUT if the layer was still working).",
        );
        return 124;
    }
    if (results.some((r) => r.outcome === "refused")) return 1;
    if (results.some((r) => r.outcome === "failed")) {
        say("Fix the failed layer and run the same command again: finished layers are no-ops on a rerun.");
        return failedCode;
    }
    return 0;
}
