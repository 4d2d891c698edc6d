// An optional record of the RPCs the engine made, one JSON line each, for tests and for finding out
// what a given CLI release calls. Off unless LANGUAGE_HOST_TRACE_FILE names a file: the host's stderr
// is not a log (the engine shows every line of it to the user).

import { appendFileSync } from "node:fs";

/** The environment variable naming the trace file. */
export const TRACE_FILE_VARIABLE = "LANGUAGE_HOST_TRACE_FILE";

/** Appends one record `{ time, pid, rpc, ...details }`; never throws (tracing must not break a run). */
export function trace(rpc: string, details: Record<string, unknown> = {}): void {
    const file = process.env[TRACE_FILE_VARIABLE];
    if (!file) return;
    try {
        appendFileSync(
            file,
            `${JSON.stringify({ time: new Date().toISOString(), pid: process.pid, rpc, ...details })}\n`,
        );
    } catch {
        // A missing trace directory is not worth failing a deployment over.
    }
}
