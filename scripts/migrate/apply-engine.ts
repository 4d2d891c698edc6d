import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Layer } from "../../shared/layers";
import type { PulumiProcesses, PulumiResult } from "../runner/pulumi-process";

/**
 * The pulumi commands a migration runs, through the runner's process handling (PulumiProcesses:
 * own process group, one forwarded SIGINT/SIGTERM, event log). Each command is printed before it runs,
 * like the runner does; its captured output is shown only when it fails (the last lines of stderr:
 * pulumi prints no config or secret values in these commands).
 */

/** A pulumi command failed: what ran, and what pulumi said. */
export class PulumiFailure extends Error {}
/** The run got SIGINT/SIGTERM while pulumi ran. */
export class Interrupted extends Error {
    constructor(readonly signal: NodeJS.Signals) {
        super(`interrupted by ${signal}`);
    }
}

const tail = (text: string, lines = 15) => text.trim().split("\n").slice(-lines).join("\n");

export class MigrationPulumi {
    constructor(
        private readonly procs: PulumiProcesses,
        private readonly env: NodeJS.ProcessEnv,
        private readonly root: string,
        private readonly say: (line: string) => void = (l) => console.error(l),
        /** `--policy-pack <dir>` for the previews, or none. */
        private readonly policyArgs: readonly string[] = [],
    ) {}

    private async run(args: string[], opts: { layer?: Layer; eventLog?: boolean; quiet?: boolean } = {}) {
        const where = opts.layer ? `(cd stacks/${opts.layer} && pulumi` : "(pulumi";
        if (!opts.quiet)
            this.say(`+ ${where} ${args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(" ")})`);
        const r: PulumiResult = await this.procs.run({
            cwd: opts.layer ? join(this.root, "stacks", opts.layer) : this.root,
            args: [...args, "--non-interactive"],
            env: this.env,
            capture: true,
            eventLog: Boolean(opts.eventLog),
        });
        if (r.interruptedBy) throw new Interrupted(r.interruptedBy);
        return r;
    }

    private async ok(args: string[], opts: { layer?: Layer; eventLog?: boolean; quiet?: boolean } = {}) {
        const r = await this.run(args, opts);
        if (r.code !== 0) {
            throw new PulumiFailure(
                `pulumi ${args.slice(0, 2).join(" ")} failed (exit ${r.code}${r.spawnError ? `, ${r.spawnError}` : ""}):\n${tail(r.stderr || r.stdout)}`,
            );
        }
        return r;
    }

    /** `pulumi stack export` text, exactly as printed (its sha256 is what the mapping records). */
    async exportText(stack: string): Promise<string> {
        return (await this.ok(["stack", "export", "--stack", stack], { quiet: true })).stdout;
    }

    /** Whether the stack exists (export fails with "no stack named" otherwise). */
    async exists(stack: string): Promise<boolean> {
        const r = await this.run(["stack", "export", "--stack", stack], { quiet: true });
        if (r.code === 0) return true;
        if (/no stack named|not found|does not exist/i.test(r.stderr)) return false;
        throw new PulumiFailure(`pulumi stack export --stack ${stack} failed (exit ${r.code}):\n${tail(r.stderr)}`);
    }

    async move(source: string, dest: string, urns: readonly string[]): Promise<void> {
        await this.ok(["state", "move", "--source", source, "--dest", dest, "--yes", ...urns]);
    }

    async rename(stack: string, urn: string, name: string): Promise<void> {
        await this.ok(["state", "rename", "--stack", stack, "--yes", urn, name]);
    }

    async deleteResource(stack: string, urn: string): Promise<void> {
        await this.ok(["state", "delete", "--stack", stack, "--yes", urn]);
    }

    /** The layer's preview, as engine events. */
    async preview(layer: Layer, stack: string): Promise<EngineEvent[]> {
        return (await this.ok(["preview", "--stack", stack, ...this.policyArgs], { layer, eventLog: true })).events;
    }

    /**
     * Records the layer's stack outputs without touching any cloud object: an `up` that targets only the
     * root stack resource. The downstream layers' previews read these outputs; without them they would
     * preview against placeholders, which proves nothing. (On the engine, the only other step such an up
     * takes is the layer's provider config, e.g. its `layer` default tag: provider state, no cloud call.)
     */
    async publishOutputs(layer: Layer, stack: string, rootUrn: string): Promise<void> {
        await this.ok(["up", "--stack", stack, "--yes", "--skip-preview", "--target", rootUrn], { layer });
    }

    async importStack(stack: string, file: string): Promise<void> {
        await this.ok(["stack", "import", "--stack", stack, "--file", file]);
    }
}
