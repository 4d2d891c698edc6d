// What every RPC handler shares: the engine's address (from the command line, or later from
// Handshake), the tracing endpoint to pass on, and the children started so far.

import type { Children } from "./children";

/** Shared, mutable host state. */
export interface HostContext {
    /** The engine's gRPC address; set at start or by Handshake. */
    engineAddress: string | undefined;
    /** `--tracing` endpoint to pass on to cmd/run; undefined when the CLI did not trace. */
    readonly tracing: string | undefined;
    /** Processes started by Run and RunPlugin. */
    readonly children: Children;
    /** Set by the Cancel RPC; programs are not started any more. */
    cancelled: boolean;
    /** Version reported by GetPluginInfo and `-version`. */
    readonly version: string;
    /** Called when Handshake supplies an engine address, so the host can watch that engine. */
    readonly watchEngine: (address: string) => void;
}

/** The engine address, or the Go host's error for a Run/RunPlugin before any Handshake. */
export function requireEngine(context: HostContext): string {
    if (!context.engineAddress) throw new Error("when debugging or running explicitly, must call Handshake before Run");
    return context.engineAddress;
}
