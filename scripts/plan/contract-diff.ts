import type { Layer } from "../../shared/layers";
import type { ContractChange, PlanDocument, PlanOutput } from "./document";

/**
 * The output-contract gate of `make plan BASE=`: every output a layer had at BASE and no longer has
 * (removed or renamed), or now gives in a narrower shape, is an error when a downstream layer read it
 * at BASE. The deployed consumer still reads the old output, and the layers deploy producer first, so
 * the consumer's next `pulumi up` would fail between the two deploys. The message names the consumer
 * and the safe order. Pure over two documents.
 */

/** A parsed output shape (see shapeOf in document-parts.ts). */
type Shape =
    { kind: "prim"; name: string } | { kind: "object"; fields: Map<string, Shape> } | { kind: "array"; items: Shape[] };

/** Parses a shape string such as `{host:string,ports:number[]}` or `(number|string)[]`. */
export function parseShape(text: string): Shape {
    let i = 0;
    const fail = (): never => {
        throw new Error(`not an output shape: ${JSON.stringify(text)} (at ${i})`);
    };
    const take = (s: string) => (text.startsWith(s, i) ? ((i += s.length), true) : false);
    const word = () => {
        const m = /^[^:,{}()[\]|]+/.exec(text.slice(i)) ?? fail();
        i += m[0].length;
        return m[0];
    };
    const one = (): Shape => {
        let shape: Shape;
        if (take("{")) {
            const fields = new Map<string, Shape>();
            while (!take("}")) {
                const key = word();
                if (!take(":")) fail();
                fields.set(key, one());
                take(",");
            }
            shape = { kind: "object", fields };
        } else if (take("(")) {
            const items = [one()];
            while (take("|")) items.push(one());
            if (!take(")") || !take("[]")) fail();
            return { kind: "array", items };
        } else shape = { kind: "prim", name: word() };
        while (take("[]"))
            shape = { kind: "array", items: shape.kind === "prim" && shape.name === "unknown" ? [] : [shape] };
        return shape;
    };
    const shape = one();
    if (i !== text.length) fail();
    return shape;
}

/** What a reader of `base` would miss in `head`: one line per field removed or retyped. */
export function narrowing(base: Shape, head: Shape, path = ""): string[] {
    const at = path || "the value";
    if (base.kind === "prim" && (base.name === "null" || base.name === "unknown")) return [];
    if (base.kind !== head.kind) return [`${at}: ${describe(base)} -> ${describe(head)}`];
    if (base.kind === "prim" && head.kind === "prim")
        return base.name === head.name ? [] : [`${at}: ${base.name} -> ${head.name}`];
    if (base.kind === "object" && head.kind === "object") {
        return [...base.fields].flatMap(([k, b]) => {
            const h = head.fields.get(k);
            return h ? narrowing(b, h, `${path}.${k}`) : [`${path}.${k} removed`];
        });
    }
    if (base.kind === "array" && head.kind === "array") {
        // Every kind of item a reader saw must still be one of the kinds it may get.
        return base.items.flatMap((b) =>
            head.items.some((h) => narrowing(b, h).length === 0) || head.items.length === 0
                ? []
                : [`${path}[] items: ${describe(b)} -> ${head.items.map(describe).join("|")}`],
        );
    }
    return [];
}

function describe(s: Shape): string {
    return s.kind === "prim" ? s.name : s.kind === "array" ? "a list" : "an object";
}

const tick = (s: string) => `\`${s}\``;

/** The consumers that read `output` of `layer` at BASE. */
function readersAt(base: PlanDocument, layer: Layer, output: string): Layer[] {
    return base.layers
        .filter((l) => l.reads.some((r) => r.upstream === layer && r.output === output))
        .map((l) => l.layer);
}

/** The contract changes of every layer between `base` (commit `commit`) and `head`. */
export function contractChanges(base: PlanDocument, head: PlanDocument, commit: string): ContractChange[] {
    const changes: ContractChange[] = [];
    const short = commit.slice(0, 12);
    for (const now of head.layers) {
        const was = base.layers.find((l) => l.layer === now.layer);
        if (!was) continue;
        const layer = now.layer;
        const after = new Map(now.outputs.map((o) => [o.name, o]));
        const before = new Map(was.outputs.map((o) => [o.name, o]));
        const added = now.outputs.filter((o) => !before.has(o.name));
        const push = (
            c: Omit<ContractChange, "layer" | "readBy" | "severity" | "message">,
            o: PlanOutput,
            breaking: boolean,
        ) => {
            const readBy = readersAt(base, layer, o.name);
            const error = breaking && readBy.length > 0;
            const who = readBy.join(" and ");
            const message = error
                ? `${layer} output ${tick(o.name)} ${c.detail}, but ${who} read${readBy.length > 1 ? "" : "s"} it at BASE (${short}). ` +
                  `The deployed ${who} stack still reads it and ${layer} deploys first, so ${who}'s next \`pulumi up\` fails until it is redeployed from this commit. ` +
                  `Safe order: ${safeOrder(layer, o.name, who, c.change, c.to)}.`
                : `${layer} output ${tick(o.name)} ${c.detail}${readBy.length > 0 ? ` (read by ${who} at BASE; not breaking)` : " (no layer reads it)"}.`;
            changes.push({ ...c, layer, readBy, severity: error ? "error" : "info", message });
        };
        for (const [name, o] of before) {
            const h = after.get(name);
            if (!h) {
                // A rename: exactly one new output of the same shape and secrecy.
                const twins = added.filter((a) => a.shape === o.shape && a.secret === o.secret);
                const to = twins.length === 1 ? twins[0]?.name : undefined;
                if (to) push({ output: name, change: "renamed", to, detail: `is renamed to ${tick(to)}` }, o, true);
                else push({ output: name, change: "removed", detail: "is removed" }, o, true);
                continue;
            }
            const lost = narrowing(parseShape(o.shape), parseShape(h.shape));
            if (lost.length > 0)
                push({ output: name, change: "narrowed", detail: `is narrowed (${lost.join("; ")})` }, o, true);
            else if (o.shape !== h.shape)
                push({ output: name, change: "widened", detail: `is widened (${o.shape} -> ${h.shape})` }, o, false);
            if (o.secret !== h.secret)
                push(
                    {
                        output: name,
                        change: "secrecy",
                        detail: h.secret ? "becomes a secret" : "is no longer a secret",
                    },
                    o,
                    false,
                );
        }
        const renamedTo = new Set(changes.filter((c) => c.layer === layer && c.to).map((c) => c.to));
        for (const o of added.filter((a) => !renamedTo.has(a.name)))
            push({ output: o.name, change: "added", detail: "is added" }, o, false);
    }
    return changes;
}

/** The order that never leaves a deployed consumer without what it reads. */
function safeOrder(layer: Layer, output: string, who: string, change: string, to?: string): string {
    if (change === "renamed" && to)
        return `1) add ${tick(to)} to ${layer} and keep ${tick(output)}, deploy ${layer}; 2) switch ${who} to ${tick(to)}, deploy ${who}; 3) remove ${tick(output)} from ${layer} in a later change`;
    if (change === "narrowed")
        return `1) add the new shape to ${layer} as a new output and keep ${tick(output)}, deploy ${layer}; 2) switch ${who} to the new output, deploy ${who}; 3) remove ${tick(output)} from ${layer} in a later change`;
    return `1) stop reading ${tick(output)} in ${who} (or add its replacement to ${layer} first), deploy ${who}; 2) remove ${tick(output)} from ${layer} in a later change`;
}
