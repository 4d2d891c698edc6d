/**
 * An in-memory stand-in for the pulumi commands migrate-apply runs (MigrationPulumi), for the unit
 * tests: stacks as resource lists, `state move` with the behaviour found on the real engine (the given
 * URNs and their descendants move, project/stack rewritten, providers copied), `state rename`, `state
 * delete`, exports, imports, and previews answered from a table. It can fail or be "interrupted" at
 * the n-th call of a command, to test the journal's resume.
 */
import { readFileSync } from "node:fs";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Layer } from "../../shared/layers";
import { Interrupted, PulumiFailure, type MigrationPulumi } from "../../scripts/migrate/apply-engine";
import { parseUrn } from "../../scripts/migrate/apply-plan";
import type { ExportedResource } from "../../scripts/migrate/state-export";

/** A resource of a fake stack: the fields of an exported one that moves and renames touch. */
export type FakeResource = Pick<ExportedResource, "urn" | "type" | "custom" | "id" | "parent" | "provider">;

const projectOf = (stack: string) => stack.split("/")[1] ?? "";
const nameOf = (stack: string) => stack.split("/")[2] ?? "";

export class FakePulumi {
    readonly stacks = new Map<string, FakeResource[]>();
    readonly calls: string[] = [];
    /** Preview ops per layer: resource steps the preview reports. */
    previews: Partial<Record<Layer, Array<{ op: string; type: string; urn: string }>>> = {};
    /** `<command>#<n>`: the n-th call of that command (1-based) throws Interrupted after doing its work. */
    interruptAfter?: string;
    failOn?: string;
    private counts = new Map<string, number>();

    private call(command: string, detail: string): () => void {
        const n = (this.counts.get(command) ?? 0) + 1;
        this.counts.set(command, n);
        this.calls.push(`${command} ${detail}`);
        if (this.failOn === `${command}#${n}`) throw new PulumiFailure(`pulumi ${command} failed (fake)`);
        // The work is done first, then the interruption is noticed (as when Ctrl-C lands late).
        return () => {
            if (this.interruptAfter === `${command}#${n}`) throw new Interrupted("SIGINT");
        };
    }

    /** A stack with its root resource; `resources` get it as parent unless they name one. */
    addStack(stack: string, resources: Array<Omit<FakeResource, "urn"> & { name: string; parentName?: string }> = []) {
        const root: FakeResource = {
            urn: `urn:pulumi:${nameOf(stack)}::${projectOf(stack)}::pulumi:pulumi:Stack::${projectOf(stack)}-${nameOf(stack)}`,
            type: "pulumi:pulumi:Stack",
            custom: false,
        };
        const list: FakeResource[] = [root];
        for (const r of resources) {
            const parent = r.parentName ? list.find((x) => x.urn.endsWith(`::${r.parentName}`)) : root;
            const chain = parent && parent !== root ? `${parseUrn(parent.urn)?.qualifiedType}$${r.type}` : r.type;
            list.push({
                urn: `urn:pulumi:${nameOf(stack)}::${projectOf(stack)}::${chain}::${r.name}`,
                type: r.type,
                custom: r.custom,
                ...(r.id ? { id: r.id } : {}),
                ...(parent ? { parent: parent.urn } : {}),
                ...(r.provider ? { provider: r.provider } : {}),
            });
        }
        this.stacks.set(stack, list);
    }

    exportOf(stack: string): string {
        return `${JSON.stringify({ version: 3, deployment: { resources: this.stacks.get(stack) ?? [] } }, null, 4)}\n`;
    }

    private get(stack: string): FakeResource[] {
        const s = this.stacks.get(stack);
        if (!s) throw new PulumiFailure(`no stack named '${stack}' found`);
        return s;
    }

    /** The fake as MigrationPulumi: each command runs on the next tick, a throw becomes a rejection. */
    asEngine(): MigrationPulumi {
        const later =
            <A extends unknown[], R>(fn: (...args: A) => R) =>
            (...args: A): Promise<R> =>
                Promise.resolve().then(() => fn(...args));
        return {
            exportText: later((stack: string) => {
                this.call("export", stack)();
                this.get(stack);
                return this.exportOf(stack);
            }),
            exists: later((stack: string) => this.stacks.has(stack)),
            move: later((source: string, dest: string, urns: readonly string[]) => this.move(source, dest, urns)),
            rename: later((stack: string, urn: string, name: string) => this.rename(stack, urn, name)),
            deleteResource: later((stack: string, urn: string) => {
                const done = this.call("delete", urn);
                this.stacks.set(
                    stack,
                    this.get(stack).filter((r) => r.urn !== urn),
                );
                done();
            }),
            preview: later((layer: Layer, stack: string): EngineEvent[] => {
                this.call("preview", `${layer} ${stack}`)();
                return (this.previews[layer] ?? []).map(
                    (m, i) =>
                        ({
                            sequence: i,
                            timestamp: 0,
                            resourcePreEvent: { metadata: { ...m, provider: "" } },
                        }) as unknown as EngineEvent,
                );
            }),
            publishOutputs: later((layer: Layer, stack: string) => this.call("publish", `${layer} ${stack}`)()),
            importStack: later((stack: string, file: string) => {
                const done = this.call("import", stack);
                const doc = JSON.parse(readFileSync(file, "utf8")) as { deployment: { resources: FakeResource[] } };
                this.stacks.set(stack, doc.deployment.resources);
                done();
            }),
        } as unknown as MigrationPulumi;
    }

    /** `state move` as found on the engine: the URNs and their descendants, project/stack rewritten. */
    private move(source: string, dest: string, urns: readonly string[]): void {
        const done = this.call("move", `${dest} ${urns.length}`);
        const from = this.get(source);
        const to = this.get(dest);
        const moving = from.filter((r) => urns.includes(r.urn) || hasAncestor(r, urns, from));
        const rewrite = (u: string) =>
            u.replace(/^urn:pulumi:[^:]+::[^:]+::/, `urn:pulumi:${nameOf(dest)}::${projectOf(dest)}::`);
        const root = to[0]?.urn;
        for (const r of moving) {
            const parentMoves = r.parent !== undefined && moving.some((m) => m.urn === r.parent);
            const parent = parentMoves ? rewrite(r.parent as string) : root;
            to.push({ ...r, urn: rewrite(r.urn), ...(parent ? { parent } : {}) });
        }
        this.stacks.set(
            source,
            from.filter((r) => !moving.includes(r)),
        );
        done();
    }

    private rename(stack: string, urn: string, name: string): void {
        const done = this.call("rename", `${urn} ${name}`);
        const list = this.get(stack);
        const r = list.find((x) => x.urn === urn);
        if (!r) throw new PulumiFailure(`no resource ${urn}`);
        const renamed = urn.replace(/::[^:]+$/, `::${name}`);
        for (const x of list) if (x.parent === urn) x.parent = renamed;
        r.urn = renamed;
        done();
    }
}

function hasAncestor(r: FakeResource, urns: readonly string[], all: FakeResource[]): boolean {
    for (let p = r.parent; p !== undefined; p = all.find((x) => x.urn === p)?.parent) if (urns.includes(p)) return true;
    return false;
}
