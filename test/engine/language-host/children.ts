// The processes this host has started (programs and plugins), so that Cancel, an ended RPC or the
// host's own shutdown can stop them, and nothing outlives the engine.

import type { ChildProcess } from "node:child_process";

/** How long a child gets between SIGINT and SIGKILL, as the Go host's cmd.WaitDelay. */
export const INTERRUPT_GRACE_MS = 5_000;

/** A program started by Run, or a plugin (policy pack) started by RunPlugin. */
export type ChildRole = "program" | "plugin";

/** The live children of this host. */
export class Children {
    private readonly live = new Map<ChildProcess, ChildRole>();

    /** Tracks `child` until it exits. */
    add<T extends ChildProcess>(child: T, role: ChildRole): T {
        this.live.set(child, role);
        child.once("exit", () => this.live.delete(child));
        child.once("error", () => this.live.delete(child));
        return child;
    }

    /**
     * Asks live children to stop: the Cancel RPC stops programs only (plugins end with their own
     * RPC, as in the Go host); the host's shutdown stops everything.
     */
    interruptAll(role?: ChildRole): void {
        for (const [child, r] of this.live) if (!role || r === role) interrupt(child);
    }

    /** Stops every live child at once. */
    killAll(): void {
        for (const child of this.live.keys()) kill(child);
    }

    /** Resolves once no child is left. */
    async drained(): Promise<void> {
        const exits = [...this.live.keys()].map(
            (child) => new Promise<void>((resolve) => child.once("exit", () => resolve())),
        );
        await Promise.all(exits);
    }

    get size(): number {
        return this.live.size;
    }
}

/** SIGINT first, so cmd/run can tell the engine it was cancelled; SIGKILL if it is still there later. */
export function interrupt(child: ChildProcess): void {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGINT");
    const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }, INTERRUPT_GRACE_MS);
    timer.unref();
    child.once("exit", () => clearTimeout(timer));
}

/** Stops `child` at once: what the Go host's exec.CommandContext does to a plugin when its RPC ends. */
export function kill(child: ChildProcess): void {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
