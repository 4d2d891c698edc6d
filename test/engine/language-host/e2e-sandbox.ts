// A throw-away world for running the real `pulumi` CLI with this substitute language host: temp
// PULUMI_HOME, file backend, a bin dir holding only the launcher, and the host's RPC trace.
//
// Only the language host goes on PATH, not the rest of test/engine/bin: these tests are about the
// host, so they must not depend on the simulated AWS plugins being built. (The engine looks for the
// plugins GetRequiredPackages names — aws, awsx, docker — and, with automatic acquisition off, goes on
// without the ones it cannot find.)

import { spawnSync } from "node:child_process";
import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";

import { LAUNCHER, REPO_ROOT } from "./host-fixtures";
import { TRACE_FILE_VARIABLE } from "./trace";

/** The directory holding a built `pulumi` CLI (PULUMI_ENGINE_BIN, else tools/pulumi-engine/build.sh's cache), if any. */
export function engineBinDir(): string | undefined {
    const explicit = process.env["PULUMI_ENGINE_BIN"];
    if (explicit) return existsSync(join(explicit, "pulumi")) ? explicit : undefined;
    const cache = process.env["PULUMI_ENGINE_CACHE"] ?? join(homedir(), ".cache", "proliferate-pulumi-engine");
    if (!existsSync(cache)) return undefined;
    return readdirSync(cache)
        .sort()
        .reverse()
        .map((release) => join(cache, release, "bin"))
        .find((dir) => existsSync(join(dir, "pulumi")));
}

/** One finished `pulumi` command. */
export interface CliRun {
    code: number;
    /** stdout and stderr together, as a user sees them. */
    output: string;
    stdout: string;
}

/** One traced RPC (see trace.ts). */
export interface TraceRecord {
    pid: number;
    rpc: string;
    [detail: string]: unknown;
}

/** The sandbox: directories, environment and a `pulumi` runner. */
export class CliSandbox {
    readonly root = mkdtempSync(join(tmpdir(), "langhost-e2e-"));
    readonly traceFile = join(this.root, "trace.jsonl");
    readonly env: NodeJS.ProcessEnv;

    constructor(engineBin: string) {
        const bin = join(this.root, "bin");
        mkdirSync(bin);
        mkdirSync(join(this.root, "state"));
        symlinkSync(LAUNCHER, join(bin, "pulumi-language-nodejs"));
        const repoBin = join(REPO_ROOT, "test", "engine", "bin");
        const inherited = (process.env["PATH"] ?? "").split(delimiter).filter((dir) => dir && dir !== repoBin);
        this.env = {
            ...process.env,
            PATH: [bin, engineBin, ...inherited].join(delimiter),
            PULUMI_HOME: join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${join(this.root, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "test",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            NO_COLOR: "1",
            [TRACE_FILE_VARIABLE]: this.traceFile,
        };
    }

    /** Writes a Node.js project (`typescript: false`, main index.js) sharing the repository's node_modules. */
    program(name: string, indexJs: string): string {
        const dir = join(this.root, name);
        mkdirSync(dir);
        writeFileSync(
            join(dir, "Pulumi.yaml"),
            `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
        );
        writeFileSync(
            join(dir, "package.json"),
            JSON.stringify({ name, version: "0.0.1", private: true, main: "index.js" }),
        );
        writeFileSync(join(dir, "index.js"), indexJs);
        symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
        return dir;
    }

    /** Writes a policy pack (PulumiPolicy.yaml + package.json + index.js) sharing the repository's node_modules. */
    policyPack(name: string, indexJs: string): string {
        const dir = this.program(name, indexJs);
        rmSync(join(dir, "Pulumi.yaml"));
        writeFileSync(join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        return dir;
    }

    /** Runs `pulumi <args> --non-interactive` in `cwd`. */
    pulumi(cwd: string, args: string[], timeoutMs = 180_000): CliRun {
        const r = spawnSync("pulumi", [...args, "--non-interactive"], {
            cwd,
            env: this.env,
            encoding: "utf8",
            timeout: timeoutMs,
        });
        const stdout = r.stdout ?? "";
        return { code: r.status ?? -1, stdout, output: `${stdout}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
    }

    /** Every RPC the hosts traced so far. */
    trace(): TraceRecord[] {
        if (!existsSync(this.traceFile)) return [];
        return readFileSync(this.traceFile, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as TraceRecord);
    }

    dispose(): void {
        rmSync(this.root, { recursive: true, force: true });
    }
}
