// The project's substitute for Pulumi's Node.js language host (pulumi-language-nodejs), used by the
// real engine in tests only because the Go module of the real one cannot be fetched here (see
// README.md beside this file). Started by test/engine/bin/pulumi-language-nodejs.
//
// Contract with the CLI: listen on 127.0.0.1 at a port the kernel picks, print only that port as the
// first line of stdout, serve pulumirpc.LanguageRuntime until the engine stops us or goes away.

import * as grpc from "@grpc/grpc-js";

import { Children, INTERRUPT_GRACE_MS } from "./children";
import type { HostContext } from "./context";
import { parseHostFlags } from "./flags";
import { watchEngineHealth, watchParent } from "./lifecycle";
import { hostSdkVersion } from "./locate";
import { GRPC_OPTIONS, languageGrpc } from "./proto";
import { languageRuntime } from "./service";
import { trace } from "./trace";

/** Starts the host with the command-line arguments the CLI gave it. */
export async function main(argv: string[]): Promise<void> {
    const flags = parseHostFlags(argv);
    const version = hostSdkVersion();
    if (flags.version) {
        process.stdout.write(`${version}\n`);
        return;
    }
    if (flags.runtime !== "nodejs")
        throw new Error(`unsupported runtime: ${flags.runtime} (this substitute host runs nodejs only)`);

    const server = new grpc.Server(GRPC_OPTIONS);
    const children = new Children();
    const stopHealthChecks: (() => void)[] = [];
    let stopping = false;
    const shutdown = (reason: string) => {
        if (stopping) return;
        stopping = true;
        trace("shutdown", { reason, children: children.size });
        stopHealthChecks.forEach((stop) => stop());
        server.forceShutdown();
        children.interruptAll();
        // Give programs the same grace the engine gives us, then make sure nothing is left behind.
        const deadline = setTimeout(() => children.killAll(), INTERRUPT_GRACE_MS);
        void children.drained().then(() => {
            clearTimeout(deadline);
            process.exit(0);
        });
    };
    const watchEngine = (address: string) => stopHealthChecks.push(watchEngineHealth(address, shutdown));
    const context: HostContext = {
        engineAddress: flags.engineAddress,
        tracing: flags.tracing,
        children,
        cancelled: false,
        version,
        watchEngine,
    };

    server.addService(languageGrpc.LanguageRuntimeService, languageRuntime(context));
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
            err ? reject(err) : resolve(p),
        ),
    );
    trace("start", { port, argv, ignoredFlags: flags.ignored });
    process.stdout.write(`${port}\n`);

    watchParent(shutdown);
    if (flags.engineAddress) watchEngine(flags.engineAddress);
}
