// When to stop: the host must not outlive the engine that started it. The engine stops a plugin with
// SIGINT to its process group (SIGKILL 5 s later); if the engine dies instead, our stdin (a pipe the
// engine holds open and never writes) reaches end-of-file. The Go host also asks the engine's gRPC
// health service every 5 minutes and stops when it is unreachable; this host does all three.

import * as grpc from "@grpc/grpc-js";
import { fstatSync } from "node:fs";

/** How often the engine's health is checked, as the Go host's rpcutil.Healthcheck(…, 5*time.Minute, …). */
export const HEALTH_CHECK_INTERVAL_MS = 5 * 60_000;

/** Calls `onGone` once on SIGINT, SIGTERM or end of a piped stdin. */
export function watchParent(onGone: (reason: string) => void): void {
    let gone = false;
    const once = (reason: string) => {
        if (gone) return;
        gone = true;
        onGone(reason);
    };
    process.once("SIGINT", () => once("SIGINT"));
    process.once("SIGTERM", () => once("SIGTERM"));
    // Only a pipe says anything (a FIFO from Go's exec, a socket pair from Node's spawn); a terminal
    // or /dev/null (someone running the host by hand) does not.
    const stdin = fstatSync(0);
    if (stdin.isFIFO() || stdin.isSocket()) {
        process.stdin.once("end", () => once("stdin closed"));
        process.stdin.resume();
    }
}

/**
 * Checks `/grpc.health.v1.Health/Check` on the engine every `intervalMs`; calls `onGone` when the engine
 * cannot be reached. UNIMPLEMENTED counts as alive: only a live server can say so. Returns a stop function.
 */
export function watchEngineHealth(
    address: string,
    onGone: (reason: string) => void,
    intervalMs = HEALTH_CHECK_INTERVAL_MS,
): () => void {
    const client = new grpc.Client(address, grpc.credentials.createInsecure());
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
        timer = setTimeout(check, intervalMs);
        // The gRPC server keeps the host alive; this timer alone must not.
        timer.unref();
    };
    const check = () => {
        // An empty HealthCheckRequest (service "") encodes to zero bytes; the response is not read.
        client.makeUnaryRequest<Buffer, Buffer>(
            "/grpc.health.v1.Health/Check",
            (request) => request,
            (bytes) => bytes,
            Buffer.alloc(0),
            { deadline: Date.now() + 30_000 },
            (err) => {
                if (err && err.code !== grpc.status.UNIMPLEMENTED) onGone(`engine health check failed: ${err.message}`);
                else schedule();
            },
        );
    };
    schedule();
    return () => {
        if (timer) clearTimeout(timer);
        client.close();
    };
}
