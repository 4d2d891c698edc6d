/**
 * The downstream guard: an upstream layer may not be destroyed while a layer that reads it still
 * holds resources (its tasks would lose their network, security groups or secrets).
 */
import { CONTRACTS } from "../../shared/contracts";
import { LAYERS, type Layer } from "../../shared/layers";
import { isNoStack, pulumi, stackArgs, type RunContext } from "./context";

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
    if (r.code !== 0)
        return isNoStack(r)
            ? { count: 0 }
            : { error: r.stderr.trim().split("\n").pop() || `pulumi exited with ${r.code}` };
    try {
        const doc = JSON.parse(r.stdout) as { deployment?: { resources?: Array<{ type?: string }> } };
        const managed = (doc.deployment?.resources ?? []).filter(
            (res) => res.type !== "pulumi:pulumi:Stack" && !res.type?.startsWith("pulumi:providers:"),
        );
        return { count: managed.length };
    } catch {
        return { error: "pulumi stack export printed something that is not JSON" };
    }
}

/** Why `layer` may not be destroyed now, or undefined when nothing downstream uses it (or IGNORE_DOWNSTREAM=1). */
export async function downstreamInUse(ctx: RunContext, layer: Layer): Promise<string | undefined> {
    if (ctx.req.ignoreDownstream) return undefined;
    const live: string[] = [];
    for (const d of dependents(layer)) {
        const n = await resourceCount(ctx, d);
        if ("error" in n) live.push(`${d} (could not be checked: ${n.error})`);
        else if (n.count > 0) live.push(`${d} (${n.count} resources)`);
    }
    if (live.length === 0) return undefined;
    const first = dependents(layer)
        .reverse()
        .filter((d) => live.some((l) => l.startsWith(d)));
    return [
        `refusing to destroy ${layer} of stack "${ctx.req.stack}": downstream stacks still use it: ${live.join(", ")}.`,
        `  Destroy them first (${first.map((d) => `make destroy-${d} STACK=${ctx.req.stack}`).join(", then ")}), or destroy everything in order with make destroy-all STACK=${ctx.req.stack}.`,
        `  To destroy ${layer} anyway (its dependents will break), add IGNORE_DOWNSTREAM=1.`,
    ].join("\n");
}
