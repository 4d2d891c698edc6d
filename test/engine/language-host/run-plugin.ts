// RunPlugin: start a plugin written in Node.js — for this project, a policy pack given to
// `pulumi preview --policy-pack <dir>` (kind "analyzer") — and stream its stdout/stderr back to the
// engine, which reads the plugin's port from the first stdout line. The stream ends with the exit code.

import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";

import { kill } from "./children";
import { ANALYZER_KIND, pluginArguments, pluginModule } from "./command-line";
import { requireEngine, type HostContext } from "./context";
import { environmentFromList, typeScriptEnvironment } from "./environment";
import { locateModule, lookPath } from "./locate";
import { parseNodeOptions } from "./options";
import { PolicyProxy, policyPackEnvironment } from "./policy-proxy";
import { languagePb, programInfo } from "./proto";
import { trace } from "./trace";

type Call = grpc.ServerWritableStream<languagePb.RunPluginRequest, languagePb.RunPluginResponse>;

/** Serves one RunPlugin call until the plugin exits or the engine ends the call. */
export async function runPlugin(context: HostContext, call: Call): Promise<void> {
    const request = call.request;
    requireEngine(context);
    const kind = request.getKind();
    const info = programInfo(request.getInfo());
    const node = lookPath("node");
    const options = parseNodeOptions(info.options);
    // The plugin gets the environment the engine sent (its own, plus the plugin's extras), not ours.
    const env = { ...environmentFromList(request.getEnvList()), ...typeScriptEnvironment(options) };
    const runPath = locateModule(
        pluginModule(kind, process.env["PULUMI_LANGUAGE_NODEJS_RUN_PATH"]),
        info.programDirectory,
        true,
    );
    const args = pluginArguments(kind, runPath, options.nodeArgs, info.programDirectory, request.getArgsList());
    trace("RunPlugin.start", {
        kind,
        name: request.getName(),
        programDirectory: info.programDirectory,
        args: request.getArgsList(),
    });

    const send = (set: (r: languagePb.RunPluginResponse) => void) => {
        if (call.cancelled) return;
        const response = new languagePb.RunPluginResponse();
        set(response);
        call.write(response);
    };
    const stdout = (chunk: Buffer | string) =>
        send((r) => r.setStdout(typeof chunk === "string" ? Buffer.from(chunk) : chunk));

    let proxy: PolicyProxy | undefined;
    if (kind === ANALYZER_KIND) {
        proxy = await PolicyProxy.start();
        call.once("cancelled", () => proxy?.close());
        Object.assign(env, policyPackEnvironment(await proxy.awaitConfiguration(stdout)));
    }
    if (call.cancelled) return proxy?.close();

    // Policy packs have always run in their own directory; other plugins in the engine's.
    const cwd = kind === ANALYZER_KIND ? info.programDirectory : request.getPwd() || undefined;
    const child = context.children.add(spawn(node, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] }), "plugin");
    call.once("cancelled", () => kill(child));
    child.stderr.on("data", (chunk: Buffer) => send((r) => r.setStderr(chunk)));
    if (proxy) proxy.attach(child.stdout, stdout);
    else child.stdout.on("data", stdout);
    await finish(call, child, send);
    proxy?.close();
}

/** Waits for the plugin to end (its output drained) and closes the stream with its exit code. */
function finish(
    call: Call,
    child: ChildProcess,
    send: (set: (r: languagePb.RunPluginResponse) => void) => void,
): Promise<void> {
    return new Promise((resolve) => {
        child.once("error", (err) => {
            fail(call, `Problem executing plugin program (could not run language executor): ${err.message}`);
            resolve();
        });
        child.once("close", (code, signal) => {
            trace("RunPlugin.end", { code, signal, cancelled: call.cancelled });
            if (!call.cancelled) {
                if (code === null) fail(call, `Program exited unexpectedly (signal ${signal ?? "unknown"})`);
                else {
                    send((r) => r.setExitcode(code));
                    call.end();
                }
            }
            resolve();
        });
    });
}

function fail(call: Call, message: string): void {
    if (call.cancelled) return;
    // grpc-js turns an emitted error into the call's status; UNKNOWN is what a plain Go error becomes.
    call.emit("error", { code: grpc.status.UNKNOWN, details: message });
}
