/**
 * Runs the real Makefile targets, the way users type them, in a fresh copy of the repository with
 * the stand-in `pulumi` (test/fixtures/bin/pulumi) first on PATH.
 *
 * The copy holds the working tree's files (no .git, no local stack files, no state) with their
 * timestamps, plus dist/ as `make build` left it, and a link to node_modules: what a user has after
 * `npm ci && make build`. The environment is built from scratch, so nothing of the outer `make test`
 * (MAKEFLAGS, PROLIFERATE_*) leaks in.
 */
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { validStackConfig, writeStackFiles } from "../harness/stack-files";
import type { Profile } from "../harness/fixtures";

export const REPO = join(__dirname, "..", "..", "..");
const FAKE_BIN = join(REPO, "test", "fixtures", "bin");

/** One recorded stand-in call. */
export interface Call {
    layer: string;
    args: string[];
    backend?: string;
    placeholders: string | null;
    interrupted?: string;
    ignored?: string;
    /** PROLIFERATE_IMAGE_TAG and PROLIFERATE_DEPLOYED_BY as the stand-in saw them. */
    imageTag: string | null;
    deployedBy: string | null;
}

/** How one make run ended. */
export interface MakeRun {
    status: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    /** stdout and stderr together, for messages. */
    out: string;
    calls: Call[];
}

const SKIP = new Set(["node_modules", ".git", ".pulumi-state", ".pulumi"]);

/** A fresh copy of the repository to run make in. */
export class RepoCopy {
    readonly root: string;
    private readonly scratch: string;

    /** @param source the working tree to copy (default: this repository's). */
    constructor(source = REPO) {
        this.scratch = mkdtempSync(join(tmpdir(), "make-targets-"));
        this.root = join(this.scratch, "repo");
        cpSync(source, this.root, {
            recursive: true,
            preserveTimestamps: true,
            filter: (src) => {
                const rel = relative(source, src);
                if (rel === "") return true;
                const top = rel.split("/")[0] ?? "";
                if (SKIP.has(top)) return false;
                // A developer's own stack files never reach the copy.
                return !(/^stacks\/[^/]+\/Pulumi\.[^/]+\.yaml$/.test(rel) && !rel.endsWith(".example.yaml"));
            },
        });
        symlinkSync(join(REPO, "node_modules"), join(this.root, "node_modules"));
        mkdirSync(join(this.scratch, "home"));
        mkdirSync(join(this.scratch, "pids"));
    }

    /** Directory where running stand-ins leave their pid files. */
    get pidDir(): string {
        return join(this.scratch, "pids");
    }

    /** Files in the pid directory: stand-in pulumi processes still running. */
    runningStandIns(): string[] {
        return spawnSync("ls", [this.pidDir], { encoding: "utf8" })
            .stdout.split("\n")
            .filter((l) => l !== "");
    }

    /** The environment every make run gets (plus `extra`; the value "__unset__" removes a variable). */
    env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        const env: NodeJS.ProcessEnv = {
            PATH: `${FAKE_BIN}:${process.env["PATH"] ?? ""}`,
            HOME: join(this.scratch, "home"),
            FAKE_PULUMI_LOG: this.logFile,
            FAKE_PULUMI_PIDS: this.pidDir,
            PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
            BACKEND: `file://${join(this.scratch, "state")}`,
            AWS_ACCESS_KEY_ID: "test-key-id",
            ...extra,
        };
        for (const [key, value] of Object.entries(env)) if (value === "__unset__") delete env[key];
        return env;
    }

    private get logFile(): string {
        return join(this.scratch, "pulumi-calls.jsonl");
    }

    /** Starts a new call log, and forgets which layers the stand-in destroyed. */
    private resetLog(): void {
        writeFileSync(this.logFile, "");
        rmSync(`${this.logFile}.destroyed`, { force: true });
    }

    /** The stand-in calls recorded since the last `make` call started. */
    calls(): Call[] {
        if (!existsSync(this.logFile)) return [];
        return readFileSync(this.logFile, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l) as Call);
    }

    /** `make <args...>` in the copy, as a user types it; env entries are FAKE_PULUMI_* and the like. */
    async make(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<MakeRun> {
        this.resetLog();
        // Asynchronous, so that servers in this process (smoke-check targets) keep answering.
        const child = spawn("make", args, { cwd: this.root, env: this.env(env), stdio: ["ignore", "pipe", "pipe"] });
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        const [stdout, stderr] = [[] as Buffer[], [] as Buffer[]];
        child.stdout.on("data", (b: Buffer) => stdout.push(b));
        child.stderr.on("data", (b: Buffer) => stderr.push(b));
        const end = await new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
            child.on("close", (status, signal) => resolve({ status, signal })),
        );
        clearTimeout(timer);
        const out = Buffer.concat(stdout).toString("utf8");
        const err = Buffer.concat(stderr).toString("utf8");
        return { ...end, stdout: out, stderr: err, out: `${out}${err}`, calls: this.calls() };
    }

    /**
     * `make <args...>` in its own process group, interrupted like a terminal's Ctrl-C does (the signal
     * goes to the whole foreground group) once `ready` holds.
     */
    async makeInterrupted(
        args: string[],
        env: Record<string, string>,
        signal: NodeJS.Signals,
        ready: (output: string) => boolean,
    ): Promise<MakeRun> {
        this.resetLog();
        const child = spawn("make", args, {
            cwd: this.root,
            env: this.env(env),
            detached: true,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
        child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
        const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
            child.on("close", (status, sig) => resolve({ status, signal: sig })),
        );
        const deadline = Date.now() + 30_000;
        while (!ready(`${stdout}${stderr}`)) {
            if (Date.now() > deadline) throw new Error(`not ready within 30 s:\n${stdout}${stderr}`);
            await new Promise((r) => setTimeout(r, 50));
        }
        process.kill(-(child.pid as number), signal);
        const end = await exited;
        return { ...end, stdout, stderr, out: `${stdout}${stderr}`, calls: this.calls() };
    }

    /** Path inside the copy. */
    path(...parts: string[]): string {
        return join(this.root, ...parts);
    }

    /** `make build` in the copy: a no-op when dist/ is current, a real build otherwise. */
    build(): void {
        const r = spawnSync("make", ["build"], { cwd: this.root, env: this.env(), encoding: "utf8", timeout: 240_000 });
        if (r.status !== 0) throw new Error(`make build failed in the copy:\n${r.stdout}${r.stderr}`);
    }

    remove(): void {
        rmSync(this.scratch, { recursive: true, force: true });
    }
}

/** The calls of one pulumi verb (`up`, `preview`, ...), in order. */
export const verbCalls = (calls: readonly Call[], verb: string) => calls.filter((c) => c.args[0] === verb);

/** The layers, in order, that ran a verb. */
export const layersOf = (calls: readonly Call[], verb: string) => verbCalls(calls, verb).map((c) => c.layer);

/** Every layer folder the stand-in was run in, except for `pulumi version`. */
export const touched = (calls: readonly Call[]) => [
    ...new Set(calls.filter((c) => c.args[0] !== "version").map((c) => c.layer)),
];

/**
 * Mocha hooks for a suite: one fresh, built copy for the whole suite (handed to `use`), removed at
 * the end, with the valid stack files of `profiles` written again before each test.
 */
export function freshCopyPerSuite(use: (repo: RepoCopy) => void, profiles: Profile[] = ["dev", "prod"]): void {
    let repo: RepoCopy | undefined;
    before(() => {
        repo = new RepoCopy();
        repo.build();
        use(repo);
    });
    after(() => repo?.remove());
    beforeEach(() => {
        for (const profile of profiles) writeStackFiles(repo?.root ?? "", profile, validStackConfig(profile));
    });
}

/** Mocha hooks: a local HTTP server whose /health and /health/liveliness answer 200 (smoke targets). */
export function healthServerPerSuite(use: (baseUrl: string) => void): void {
    const server = createServer((req, res) => {
        res.statusCode = req.url === "/health" || req.url === "/health/liveliness" ? 200 : 404;
        res.end("ok");
    });
    before(async () => {
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
    after(() => server.close());
}
