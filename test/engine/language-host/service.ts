// The pulumirpc.LanguageRuntime service: which RPCs this host answers and with what. Code generation
// (GenerateProgram/Project/Package), Pack, Link, Template, RuntimeOptionsPrompts and RunPlugin2 are
// left out, so grpc-js answers them UNIMPLEMENTED; `pulumi up/preview/destroy` and stack references
// never call them.

import * as grpc from "@grpc/grpc-js";

import type { HostContext } from "./context";
import { about, NOTHING_TO_INSTALL, programDependencies, requiredPackages } from "./program-info";
import { emptyPb, languageGrpc, languagePb, pluginPb } from "./proto";
import { runProgram } from "./run";
import { runPlugin } from "./run-plugin";
import { trace } from "./trace";

type Server = languageGrpc.ILanguageRuntimeServer;
type Implemented = Pick<
    Server,
    | "handshake"
    | "getPluginInfo"
    | "getRequiredPlugins"
    | "getRequiredPackages"
    | "run"
    | "runPlugin"
    | "installDependencies"
    | "getProgramDependencies"
    | "about"
    | "cancel"
>;

/** An error status carrying `err`'s message; UNKNOWN is what a plain Go error becomes on the wire. */
function status(err: unknown, code = grpc.status.UNKNOWN): Partial<grpc.StatusObject> {
    return { code, details: err instanceof Error ? err.message : String(err) };
}

/** A unary handler that traces the call and turns a throw (or rejection) into an error status. */
function unary<Req, Res>(
    rpc: string,
    handle: (call: grpc.ServerUnaryCall<Req, Res>) => Res | Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
        trace(rpc);
        Promise.resolve()
            .then(() => handle(call))
            .then(
                (response) => callback(null, response),
                (err: unknown) => callback(status(err)),
            );
    };
}

/** The handlers, bound to the host's shared state. */
export function languageRuntime(context: HostContext): Implemented {
    return {
        handshake: unary("Handshake", (call) => {
            // Only when the CLI attaches to an already running host (PULUMI_DEBUG_LANGUAGES); otherwise
            // the engine address arrives on the command line.
            const address = call.request.getEngineAddress();
            context.engineAddress = address;
            context.watchEngine(address);
            return new languagePb.LanguageHandshakeResponse();
        }),
        getPluginInfo: unary("GetPluginInfo", () => new pluginPb.PluginInfo().setVersion(context.version)),
        // Superseded by GetRequiredPackages; the Go host answers UNIMPLEMENTED too, and the CLI only falls
        // back to this one when GetRequiredPackages is missing.
        getRequiredPlugins: (_call, callback) => {
            trace("GetRequiredPlugins");
            callback(status("method GetRequiredPlugins not implemented", grpc.status.UNIMPLEMENTED));
        },
        getRequiredPackages: unary("GetRequiredPackages", (call) => requiredPackages(call.request)),
        run: unary("Run", async (call) => {
            const outcome = await runProgram(context, call.request, (stop) => call.once("cancelled", stop));
            return new languagePb.RunResponse().setError(outcome.error).setBail(outcome.bail);
        }),
        runPlugin: (call) => {
            trace("RunPlugin");
            runPlugin(context, call).catch((err: unknown) => {
                if (!call.cancelled) call.emit("error", status(err));
            });
        },
        installDependencies: (call) => {
            trace("InstallDependencies", { isPlugin: call.request.getIsPlugin() });
            call.write(new languagePb.InstallDependenciesResponse().setStdout(Buffer.from(NOTHING_TO_INSTALL)));
            call.end();
        },
        getProgramDependencies: unary("GetProgramDependencies", (call) => programDependencies(call.request)),
        about: unary("About", () => about()),
        cancel: unary("Cancel", () => {
            context.cancelled = true;
            context.children.interruptAll("program");
            return new emptyPb.Empty();
        }),
    };
}
