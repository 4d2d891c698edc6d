/**
 * Spawning `pulumi`: asynchronously, with its engine event log read back as structured data, and
 * with signals handled so that an interrupted run never leaves pulumi running or starts another layer.
 *
 * Signals. On a terminal, Ctrl-C reaches the whole foreground process group (make, this runner and
 * pulumi) and pulumi cancels gracefully on its own; a second SIGINT would force-cancel it, so SIGINT
 * is not forwarded there. Without a terminal (CI, tests) pulumi gets a process group of its own and
 * this runner forwards exactly one SIGINT or SIGTERM to it. SIGTERM, which make passes to its
 * children (CI cancellation), is always forwarded.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** How one pulumi process ended. */
export interface PulumiResult {
    /** Exit code, or null when it died of a signal. */
    code: number | null;
    /** Captured output (capture mode only). */
    stdout: string;
    stderr: string;
    /** The engine's events, when an event log was requested. */
    events: EngineEvent[];
    /** The signal that interrupted this run while the process ran, if any. */
    interruptedBy?: NodeJS.Signals;
    /** Set when the process could not be started at all (e.g. ENOENT). */
    spawnError?: string;
    /** Set when the call's time limit stopped it. */
    timedOut?: boolean;
}

/** One pulumi invocation. */
export interface PulumiCall {
    cwd: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    /** Capture stdout/stderr instead of showing them (read commands). */
    capture?: boolean;
    /** Written to pulumi's stdin, then closed (capture mode only): how a secret reaches `config set --secret` without argv. */
    stdin?: string;
    /** Pass --event-log and return the engine's events. */
    eventLog?: boolean;
    /**
     * Time limit: then pulumi gets SIGINT (a graceful cancel), SIGTERM after `graceMs`, and SIGKILL
     * after another `graceMs`.
     */
    timeoutMs?: number;
    graceMs?: number;
}

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/** Runs pulumi processes one at a time for a run, and remembers whether the run was interrupted. */
export class PulumiProcesses {
    /** The first SIGINT/SIGTERM this run received. */
    interrupted: NodeJS.Signals | undefined;
    private child: ReturnType<typeof spawn> | undefined;
    private readonly interactive = Boolean(process.stdin.isTTY);
    private readonly handlers = new Map<NodeJS.Signals, () => void>();

    constructor(private readonly executable = "pulumi") {
        for (const signal of FORWARDED) {
            const handler = () => this.onSignal(signal);
            this.handlers.set(signal, handler);
            process.on(signal, handler);
        }
    }

    private onSignal(signal: NodeJS.Signals): void {
        const first = this.interrupted === undefined;
        this.interrupted ??= signal;
        if (!first) return;
        // On a terminal pulumi already received the SIGINT through the process group.
        if (signal === "SIGINT" && this.interactive) return;
        this.signalChild(signal);
    }

    /** Sends a signal to the running pulumi (its whole process group when it has one of its own). */
    private signalChild(signal: NodeJS.Signals): void {
        const child = this.child;
        if (!child?.pid || child.exitCode !== null) return;
        try {
            if (this.interactive) child.kill(signal);
            else process.kill(-child.pid, signal);
        } catch {
            // already gone
        }
    }

    /** Removes the signal handlers (end of the run). */
    dispose(): void {
        for (const [signal, handler] of this.handlers) process.off(signal, handler);
    }

    /** Runs one pulumi command and waits for it to exit. */
    async run(call: PulumiCall): Promise<PulumiResult> {
        const logDir = call.eventLog ? mkdtempSync(join(tmpdir(), "pulumi-events-")) : undefined;
        const logFile = logDir ? join(logDir, "events.jsonl") : undefined;
        const args = logFile ? [...call.args, "--event-log", logFile] : call.args;
        // --event-log is one of the CLI's debug flags: it exists only with PULUMI_DEBUG_COMMANDS set
        // (as the Automation API sets it); without it pulumi stops with "unknown flag: --event-log".
        const env = logFile ? { ...call.env, PULUMI_DEBUG_COMMANDS: "true" } : call.env;
        const interruptedBefore = this.interrupted;
        try {
            const result = await new Promise<PulumiResult>((resolve) => {
                const child = spawn(this.executable, args, {
                    cwd: call.cwd,
                    env,
                    stdio: call.capture ? [call.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"] : "inherit",
                    // Without a terminal pulumi gets its own process group, so a group-wide SIGINT
                    // reaches it once, from us (see the module comment).
                    detached: !this.interactive,
                });
                this.child = child;
                // A pulumi that exits without reading its input must not crash this process (EPIPE).
                child.stdin?.on("error", () => undefined);
                if (call.stdin !== undefined) child.stdin?.end(call.stdin);
                const out: Buffer[] = [];
                const err: Buffer[] = [];
                child.stdout?.on("data", (b: Buffer) => out.push(b));
                child.stderr?.on("data", (b: Buffer) => err.push(b));
                let spawnError: string | undefined;
                let timedOut = false;
                const timers: NodeJS.Timeout[] = [];
                if (call.timeoutMs !== undefined) {
                    const grace = call.graceMs ?? 30_000;
                    const escalate = (signal: NodeJS.Signals, after: number) =>
                        timers.push(setTimeout(() => ((timedOut = true), this.signalChild(signal)), after));
                    escalate("SIGINT", call.timeoutMs);
                    escalate("SIGTERM", call.timeoutMs + grace);
                    escalate("SIGKILL", call.timeoutMs + 2 * grace);
                }
                child.on("error", (e) => (spawnError = e.message));
                child.on("close", (code) => {
                    for (const t of timers) clearTimeout(t);
                    this.child = undefined;
                    resolve({
                        ...(timedOut ? { timedOut } : {}),
                        code: spawnError ? 127 : code,
                        stdout: Buffer.concat(out).toString("utf8"),
                        stderr: Buffer.concat(err).toString("utf8"),
                        events: [],
                        ...(spawnError ? { spawnError } : {}),
                    });
                });
            });
            if (logFile) result.events = readEvents(logFile);
            if (this.interrupted && !interruptedBefore) result.interruptedBy = this.interrupted;
            return result;
        } finally {
            if (logDir) rmSync(logDir, { recursive: true, force: true });
        }
    }
}

/** Reads an engine event log (one JSON event per line); a torn last line is ignored. */
export function readEvents(file: string): EngineEvent[] {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        return [];
    }
    const events: EngineEvent[] = [];
    for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        try {
            events.push(JSON.parse(line) as EngineEvent);
        } catch {
            // an interrupted writer can leave half a line
        }
    }
    return events;
}

/** Counts of what a pulumi operation changed (or, for a preview, would change). */
export interface ChangeCounts {
    create: number;
    update: number;
    replace: number;
    delete: number;
}

/** What the event log says about one operation. */
export interface OperationSummary {
    /** Null when the engine emitted no summary (it failed before or while running the program). */
    changes: ChangeCounts | null;
    /** The engine's error diagnostics, first line of each. */
    errors: string[];
    durationSeconds?: number;
}

/** Summarises an operation from its engine events. */
export function summarise(events: readonly EngineEvent[]): OperationSummary {
    const errors = events
        .map((e) => e.diagnosticEvent)
        .filter((d) => d?.severity === "error")
        .map(
            (d) =>
                (d?.message ?? "")
                    .replace(/\u001b\[[0-9;]*m|<\{%[^%]*%\}>/g, "")
                    .trim()
                    .split("\n")[0] ?? "",
        )
        .filter((m) => m !== "");
    const summary = [...events].reverse().find((e) => e.summaryEvent)?.summaryEvent;
    if (!summary) return { changes: null, errors };
    const c = summary.resourceChanges as Record<string, number | undefined>;
    const n = (k: string) => c[k] ?? 0;
    return {
        changes: { create: n("create"), update: n("update"), replace: n("replace"), delete: n("delete") },
        errors,
        durationSeconds: summary.durationSeconds,
    };
}

/** True when the counts show any change. */
export function hasChanges(c: ChangeCounts | null): boolean {
    return c !== null && c.create + c.update + c.replace + c.delete > 0;
}
