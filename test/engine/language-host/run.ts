// Run: execute the program once (preview or update) through @pulumi/pulumi's cmd/run, which connects
// to the engine's resource monitor itself. The program's stdout/stderr are this host's, which the
// engine shows to the user; the RunResponse only says how it ended.

import { spawn } from "node:child_process";

import { interrupt } from "./children";
import { runArguments, type RunInputs } from "./command-line";
import { requireEngine, type HostContext } from "./context";
import { runEnvironment } from "./environment";
import { locateModule, lookPath } from "./locate";
import { parseNodeOptions } from "./options";
import { runOutcome, startFailure, type RunOutcome } from "./outcome";
import { languagePb, programInfo } from "./proto";
import { trace } from "./trace";

/** Where cmd/run is looked up; PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it, as for the Go host. */
const DEFAULT_RUN_PATH = "@pulumi/pulumi/cmd/run";

/**
 * Runs the program for `request` and resolves with how it ended. `onCancelled` registers what to do
 * when the engine gives up on the call: interrupt the program (the Cancel RPC does the same through
 * `children`).
 */
export async function runProgram(
    context: HostContext,
    request: languagePb.RunRequest,
    onCancelled: (stop: () => void) => void,
): Promise<RunOutcome> {
    const engineAddress = requireEngine(context);
    const info = programInfo(request.getInfo());
    const inputs: RunInputs = {
        monitorAddress: request.getMonitorAddress(),
        organization: request.getOrganization(),
        project: request.getProject(),
        stack: request.getStack(),
        rootDirectory: info.rootDirectory,
        programDirectory: info.programDirectory,
        entryPoint: info.entryPoint,
        dryRun: request.getDryrun(),
        parallel: request.getParallel(),
        args: request.getArgsList(),
    };
    trace("Run.start", {
        project: inputs.project,
        stack: inputs.stack,
        dryRun: inputs.dryRun,
        programDirectory: inputs.programDirectory,
        entryPoint: inputs.entryPoint,
    });

    // After Cancel, the Go host's context is done for good: no program starts again.
    if (context.cancelled) return startFailure(new Error("context canceled"));
    // Problems before the program starts are program errors (RunResponse.error), not RPC failures, as in Go.
    let node: string;
    let runPath: string;
    let args: string[];
    let env: NodeJS.ProcessEnv;
    try {
        node = lookPath("node");
        runPath = locateModule(
            process.env["PULUMI_LANGUAGE_NODEJS_RUN_PATH"] || DEFAULT_RUN_PATH,
            info.programDirectory,
            false,
        );
        const options = parseNodeOptions(info.options);
        args = runArguments(inputs, runPath, engineAddress, context.tracing, options.nodeArgs);
        const config = new Map(request.getConfigMap().toArray());
        env = runEnvironment(process.env, config, request.getConfigsecretkeysList(), options);
    } catch (err) {
        return { error: (err as Error).message, bail: false };
    }

    return new Promise<RunOutcome>((resolve) => {
        // stdin stays ours (it tells us when the engine is gone); stdout/stderr go where ours go: to the engine.
        const child = context.children.add(
            spawn(node, args, { env, stdio: ["ignore", "inherit", "inherit"] }),
            "program",
        );
        onCancelled(() => interrupt(child));
        child.once("error", (err) => resolve(startFailure(err)));
        child.once("exit", (code, signal) => {
            const outcome = runOutcome(code, signal);
            trace("Run.end", { code, signal, ...outcome });
            resolve(outcome);
        });
    });
}
