/**
 * The end-to-end harness: the real Pulumi CLI (built from its Go modules by tools/pulumi-engine),
 * the project's TypeScript stand-in for the Node.js language host, the simulated `aws` and `awsx`
 * provider plugins (test/engine), and moto standing in for S3 (state) and KMS (secrets). Nothing here
 * reaches AWS: every "AWS" resource lives in the simulator's state file.
 *
 * Commands run through make in a fresh copy of the repository (test/make/make-harness.ts), the way
 * users run them, with the engine, the stand-ins and moto first on PATH.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { LAYERS, type Layer } from "../../shared/layers";
import { dataOptions, foundationOptions, secretsOptions, servicesOptions, type Profile } from "../harness/fixtures";
import type { RunOptions } from "../harness/mocks";
import { REPO, RepoCopy } from "../make/make-harness";

/** Runs a tool that prints a directory as the last line of stdout; undefined when it fails. */
function binDir(script: string): string | undefined {
    const r = spawnSync(script, [], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) return undefined;
    return r.stdout.trim().split("\n").pop();
}

/** Where the real engine and the Python tools are, or why the end-to-end run cannot happen. */
export function e2eTools(): { engine: string; python: string } | { missing: string } {
    const engine = binDir(join(REPO, "tools", "pulumi-engine", "build.sh"));
    if (!engine)
        return { missing: "the Pulumi CLI could not be built (tools/pulumi-engine/build.sh failed; see above)" };
    const python = binDir(join(REPO, "test", "e2e", "python-tools.sh"));
    if (!python) return { missing: "moto and the AWS CLI could not be installed (test/e2e/python-tools.sh failed)" };
    return { engine, python };
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as { port: number }).port;
            server.close(() => resolve(port));
        });
    });
}

/** moto_server on a free loopback port: S3 and KMS for the state backend. */
export class Moto {
    private constructor(
        private readonly child: ChildProcess,
        readonly endpoint: string,
    ) {}

    static async start(pythonBin: string): Promise<Moto> {
        const port = await freePort();
        const child = spawn(join(pythonBin, "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
            stdio: "ignore",
        });
        const endpoint = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + 30_000;
        for (;;) {
            try {
                await fetch(`${endpoint}/moto-api/`);
                return new Moto(child, endpoint);
            } catch {
                if (Date.now() > deadline || child.exitCode !== null)
                    throw new Error(`moto_server did not start on ${endpoint}`);
                await new Promise((r) => setTimeout(r, 200));
            }
        }
    }

    stop(): void {
        this.child.kill("SIGTERM");
    }
}

/** The options of each layer's valid fixture config (plain and secret keys). */
function fixtureOptions(profile: Profile): Record<Layer, RunOptions> {
    const none = { outputs: {}, secretOutputNames: [] };
    return {
        foundation: foundationOptions(profile),
        data: dataOptions(profile, none),
        secrets: secretsOptions(profile, { foundation: none, data: none }),
        services: servicesOptions(profile, { foundation: none, secrets: none }),
    };
}

/** A repository copy wired to the real engine, the simulator and a state backend. */
export class EngineRepo {
    readonly repo: RepoCopy;
    readonly env: Record<string, string>;

    constructor(
        tools: { engine: string; python: string },
        backend: { url: string; secretsProvider?: string; endpoint?: string },
        source?: string,
    ) {
        this.repo = new RepoCopy(source);
        const scratch = join(this.repo.root, "..");
        this.env = {
            PATH: [
                join(this.repo.root, "test", "engine", "bin"),
                tools.engine,
                tools.python,
                process.env["PATH"] ?? "",
            ].join(":"),
            PULUMI_HOME: join(scratch, "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            SIMULATED_AWS_STATE: join(scratch, "simulated-aws.json"),
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
            AWS_DEFAULT_REGION: "us-east-1",
            BACKEND: backend.url,
            ...(backend.secretsProvider
                ? { SECRETS_PROVIDER: backend.secretsProvider, PULUMI_CONFIG_PASSPHRASE: "__unset__" }
                : {}),
            ...(backend.endpoint ? { AWS_ENDPOINT_URL: backend.endpoint } : {}),
        };
    }

    /** `make <args>` in the copy with the engine environment (plus `extra`). */
    make(args: string[], extra: Record<string, string> = {}, timeoutMs = 600_000) {
        return this.repo.make(args, { ...this.env, ...extra }, timeoutMs);
    }

    /** `make <args>` in its own process group, interrupted with `signal` once `ready(output)` holds. */
    makeInterrupted(args: string[], signal: NodeJS.Signals, ready: (output: string) => boolean) {
        return this.repo.makeInterrupted(args, this.env, signal, ready);
    }

    /** pulumi processes still running from this copy (engine, language host or plugins). */
    leftoverProcesses(): string[] {
        const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout.split("\n");
        return ps.filter(
            (line) => line.includes(this.repo.root) || (line.startsWith("pulumi ") && line.includes("--stack e2e")),
        );
    }

    /** The real pulumi CLI in a layer folder of the copy. */
    pulumi(
        layer: Layer,
        args: string[],
        extra: Record<string, string> = {},
    ): { status: number | null; stdout: string; stderr: string } {
        const r = spawnSync("pulumi", args, {
            cwd: this.repo.path("stacks", layer),
            // By hand, pulumi reads the backend from PULUMI_BACKEND_URL (the runner maps BACKEND to it).
            env: this.repo.env({ ...this.env, PULUMI_BACKEND_URL: this.env["BACKEND"] ?? "", ...extra }),
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    /**
     * A stack's config the way a user makes it: `pulumi stack init` with the secrets provider, the
     * plain keys in Pulumi.<stack>.yaml, every secret through `pulumi config set --secret`.
     */
    configure(stack: string, profile: Profile): void {
        const options = fixtureOptions(profile);
        for (const layer of LAYERS) {
            const { config, secretKeys = [] } = options[layer];
            const provider = this.env["SECRETS_PROVIDER"] ? ["--secrets-provider", this.env["SECRETS_PROVIDER"]] : [];
            const init = this.pulumi(layer, ["stack", "init", stack, ...provider]);
            if (init.status !== 0 && !/already exists/.test(init.stderr))
                throw new Error(`stack init in ${layer}: ${init.stderr}`);
            const file = this.repo.path("stacks", layer, `Pulumi.${stack}.yaml`);
            // stack init wrote the secrets provider's settings into the file; keep them.
            const doc = parseDocument(existsSync(file) ? readFileSync(file, "utf8") : "");
            const plain = Object.fromEntries(Object.entries(config).filter(([k]) => !secretKeys.includes(k)));
            doc.set("config", plain);
            writeFileSync(file, String(doc));
            for (const key of secretKeys) {
                const value = config[key];
                if (value === undefined) continue;
                const set = this.pulumi(layer, ["config", "set", "--secret", "--stack", stack, "--", key, value]);
                if (set.status !== 0) throw new Error(`config set ${key}: ${set.stderr}`);
            }
        }
    }

    /** The stack's state as `pulumi stack export` prints it. */
    exportState(
        layer: Layer,
        stack: string,
    ): {
        deployment: { resources?: Array<{ type: string; urn: string; id?: string }>; pending_operations?: unknown[] };
    } {
        const r = this.pulumi(layer, ["stack", "export", "--stack", stack]);
        if (r.status !== 0) throw new Error(`stack export ${layer}: ${r.stderr}`);
        return JSON.parse(r.stdout) as ReturnType<EngineRepo["exportState"]>;
    }

    remove(): void {
        this.repo.remove();
    }
}
