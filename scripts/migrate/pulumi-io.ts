import { join } from "node:path";
import type { Layer } from "../../shared/layers";
import type { PulumiProcesses, PulumiResult } from "../runner/pulumi-process";
import { isNoStack } from "../runner/context";
import { parseConfigJson, type Setting, type SourceValue } from "./config-map";

/**
 * The pulumi commands of a plan: reading the monolith (state export, decrypted config) and preparing
 * the layer stacks (existence, emptiness, init, config set). Each command that changes something is
 * printed first; a secret travels to pulumi on stdin only, never in argv or in what is printed.
 */

/** A pulumi command that failed: what was run and pulumi's own error. */
export class PulumiFailure extends Error {}

const say = (line: string) => console.error(line);

export class PlanCli {
    constructor(
        private readonly procs: PulumiProcesses,
        private readonly env: NodeJS.ProcessEnv,
        private readonly root: string,
        private readonly sourceDir: string,
    ) {}

    private async run(cwd: string, args: string[], stdin?: string): Promise<PulumiResult> {
        return this.procs.run({ cwd, args, env: this.env, capture: true, ...(stdin !== undefined ? { stdin } : {}) });
    }

    private failed(what: string, r: PulumiResult): PulumiFailure {
        const detail = (r.spawnError ?? r.stderr.trim()) || `exit ${r.code ?? "by a signal"}`;
        return new PulumiFailure(`${what} failed: ${detail}`);
    }

    /** `pulumi stack export` of the monolith: the exact text (its sha256 goes into the mapping). */
    async exportSource(source: string): Promise<string> {
        const r = await this.run(this.sourceDir, ["stack", "export", "--stack", source]);
        if (r.code !== 0) throw this.failed(`pulumi stack export --stack ${source} (in ${this.sourceDir})`, r);
        return r.stdout;
    }

    /** The monolith's config, secrets decrypted with the passphrase or KMS key the user has; kept in memory. */
    async sourceConfig(source: string): Promise<Record<string, SourceValue>> {
        const r = await this.run(this.sourceDir, ["config", "--show-secrets", "--json", "--stack", source]);
        // Never echo stdout here: it holds decrypted secrets.
        if (r.code !== 0)
            throw this.failed(`pulumi config --show-secrets --json --stack ${source} (in ${this.sourceDir})`, r);
        try {
            return parseConfigJson(r.stdout);
        } catch {
            throw new PulumiFailure(`pulumi config --json --stack ${source} printed something that is not JSON`);
        }
    }

    private layerDir(layer: Layer): string {
        return join(this.root, "stacks", layer);
    }

    /** "missing", or the number of resources the layer stack holds besides its root stack resource and providers. */
    async targetResources(layer: Layer, stack: string): Promise<"missing" | number> {
        const r = await this.run(this.layerDir(layer), ["stack", "export", "--stack", stack]);
        if (r.code !== 0 && isNoStack(r)) return "missing";
        if (r.code !== 0) throw this.failed(`(cd stacks/${layer} && pulumi stack export --stack ${stack})`, r);
        const doc = JSON.parse(r.stdout) as { deployment?: { resources?: Array<{ type?: string }> } };
        return (doc.deployment?.resources ?? []).filter(
            (x) => x.type !== "pulumi:pulumi:Stack" && !x.type?.startsWith("pulumi:providers:"),
        ).length;
    }

    async initStack(layer: Layer, stack: string): Promise<void> {
        const provider = this.env["SECRETS_PROVIDER"] ? ["--secrets-provider", this.env["SECRETS_PROVIDER"]] : [];
        const args = ["stack", "init", stack, ...provider];
        say(`+ (cd stacks/${layer} && pulumi ${args.join(" ")})`);
        const r = await this.run(this.layerDir(layer), args);
        if (r.code !== 0) throw this.failed(`(cd stacks/${layer} && pulumi stack init ${stack})`, r);
    }

    /** Sets one key; a secret's value goes on stdin (pulumi reads it from there when stdin is no terminal). */
    async setConfig(layer: Layer, stack: string, s: Setting): Promise<void> {
        const args = s.secret
            ? ["config", "set", "--secret", "--stack", stack, "--", s.key]
            : ["config", "set", "--stack", stack, "--", s.key, s.value];
        const shown = s.secret ? `${args.join(" ")} < (secret value on stdin)` : args.join(" ");
        say(`+ (cd stacks/${layer} && pulumi ${shown})`);
        // pulumi drops one trailing newline from what it reads (checked on v3.260.0): one is added so the value arrives exactly.
        const r = await this.run(this.layerDir(layer), args, s.secret ? `${s.value}\n` : undefined);
        if (r.code !== 0)
            throw this.failed(`(cd stacks/${layer} && pulumi config set ${s.secret ? "--secret " : ""}${s.key})`, r);
    }
}
