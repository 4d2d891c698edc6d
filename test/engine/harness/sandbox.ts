import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

// A throw-away world for the real Pulumi engine: its own PULUMI_HOME, file backend and simulated
// account file under one temp dir, with the simulated plugins first on PATH.

/** The repository root (this file is dist/test/engine/harness/sandbox.js once compiled). */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..", "..");

/** Where the simulated plugin launchers live. */
export const SIMULATED_PLUGIN_DIR = join(REPO_ROOT, "test", "engine", "bin");

/**
 * The directory holding the `pulumi` CLI: PULUMI_ENGINE_BIN, else the newest build of
 * tools/pulumi-engine/build.sh in its cache; undefined when there is none. Without a
 * `pulumi-language-nodejs` beside it, the stand-in in test/engine/bin (on PATH) runs programs.
 */
export function engineBinDir(): string | undefined {
    const complete = (dir: string) => existsSync(join(dir, "pulumi"));
    const explicit = process.env["PULUMI_ENGINE_BIN"];
    if (explicit) return complete(explicit) ? explicit : undefined;
    const cache = process.env["PULUMI_ENGINE_CACHE"] ?? join(homedir(), ".cache", "proliferate-pulumi-engine");
    if (!existsSync(cache)) return undefined;
    const dirs = readdirSync(cache)
        .sort()
        .reverse()
        .map((v) => join(cache, v, "bin"));
    return dirs.find(complete);
}

/** Result of one `pulumi` run. */
export interface PulumiRun {
    code: number;
    stdout: string;
    stderr: string;
}

/** One sandbox: temp dirs, environment, and a `pulumi` runner bound to them. */
export class Sandbox {
    readonly root = mkdtempSync(join(tmpdir(), "sim-aws-e2e-"));
    readonly stateFile = join(this.root, "simulated-aws.json");
    readonly env: NodeJS.ProcessEnv;

    constructor(readonly engineBin: string) {
        mkdirSync(join(this.root, "backend"));
        this.env = {
            ...process.env,
            // Simulated plugins first: the engine takes an ambient pulumi-resource-<name> from PATH (README).
            PATH: [SIMULATED_PLUGIN_DIR, engineBin, process.env["PATH"] ?? ""].join(delimiter),
            PULUMI_HOME: join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${join(this.root, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: "test",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            SIMULATED_AWS_STATE: this.stateFile,
            AWS_REGION: "",
            AWS_DEFAULT_REGION: "",
            NO_COLOR: "1",
        };
    }

    /** Writes a Node.js Pulumi project (Pulumi.yaml, package.json, index.js) sharing the repo's node_modules. */
    project(name: string, indexJs: string): string {
        const dir = join(this.root, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(
            join(dir, "Pulumi.yaml"),
            `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\ndescription: simulated AWS end-to-end fixture\n`,
        );
        writeFileSync(
            join(dir, "package.json"),
            JSON.stringify(
                {
                    name,
                    private: true,
                    main: "index.js",
                    dependencies: { "@pulumi/pulumi": "*", "@pulumi/aws": "*", "@pulumi/awsx": "*" },
                },
                null,
                2,
            ),
        );
        writeFileSync(join(dir, "index.js"), indexJs);
        symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
        return dir;
    }

    /** Runs `pulumi <args>` in `cwd` with the sandbox environment. */
    pulumi(cwd: string, args: string[], timeoutMs = 300_000): PulumiRun {
        const r = spawnSync(join(this.engineBin, "pulumi"), [...args, "--non-interactive"], {
            cwd,
            env: this.env,
            encoding: "utf8",
            timeout: timeoutMs,
            maxBuffer: 64 * 1024 * 1024,
        });
        return {
            code: r.status ?? -1,
            stdout: r.stdout ?? "",
            stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`,
        };
    }

    /** Removes the sandbox (kept when KEEP_SIMULATED_AWS_SANDBOX is set, to inspect a failure). */
    dispose(): void {
        if (process.env["KEEP_SIMULATED_AWS_SANDBOX"]) {
            console.log(`    sandbox kept: ${this.root}`);
            return;
        }
        rmSync(this.root, { recursive: true, force: true });
    }

    /** Like `pulumi`, but throws with the output when the command fails. */
    ok(cwd: string, args: string[]): PulumiRun {
        const r = this.pulumi(cwd, args);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
        return r;
    }
}
