// The `node` command lines this host starts, built the way the Go host builds them, so that
// @pulumi/pulumi's cmd/run, cmd/run-plugin and cmd/run-policy-pack see exactly what they would see
// under the real pulumi-language-nodejs.

/** The parts of a RunRequest that shape the program's command line. */
export interface RunInputs {
    /** Address of the engine's resource monitor. */
    monitorAddress: string;
    organization: string;
    project: string;
    stack: string;
    /** Directory holding Pulumi.yaml. */
    rootDirectory: string;
    /** Directory the program runs in (Pulumi.yaml's directory, or `main`'s when that is a file). */
    programDirectory: string;
    /** Entry point relative to programDirectory (`main.js`, or `.` for the package's own `main`). */
    entryPoint: string;
    dryRun: boolean;
    parallel: number;
    /** Extra program arguments (rare; `pulumi up -- args` does not exist, the engine sends none today). */
    args: string[];
}

/** Arguments for `node`: node options first, then cmd/run with its flags, the entry point and program args. */
export function runArguments(
    inputs: RunInputs,
    runPath: string,
    engineAddress: string,
    tracing: string | undefined,
    nodeArgs: readonly string[],
): string[] {
    const args = [...nodeArgs, runPath];
    // Like the Go host: a flag is passed only when its value is not empty.
    const add = (name: string, value: string | undefined) => {
        if (value) args.push(`--${name}`, value);
    };
    add("monitor", inputs.monitorAddress);
    add("engine", engineAddress);
    // The Go host also passes `--sync <dir>` (files for synchronous invokes); @pulumi/pulumi 3.248 no
    // longer reads them (runtime/settings.js tryGetSyncInvokes has no caller), so there is nothing to serve.
    add("organization", inputs.organization);
    add("project", inputs.project);
    add("root-directory", inputs.rootDirectory);
    add("stack", inputs.stack);
    add("pwd", inputs.programDirectory);
    if (inputs.dryRun) args.push("--dry-run");
    // Always present, `0` included: the Go host formats the number before testing for emptiness.
    add("parallel", String(inputs.parallel));
    add("tracing", tracing);
    args.push(inputs.entryPoint, ...inputs.args);
    return args;
}

/** Plugin kinds the engine names in RunPluginRequest.kind (apitype.PluginKind). */
export const ANALYZER_KIND = "analyzer";

/** Which @pulumi/pulumi entry starts a plugin of this kind: policy packs have their own. */
export function pluginModule(kind: string, runPathOverride: string | undefined): string {
    if (kind === ANALYZER_KIND) return "@pulumi/pulumi/cmd/run-policy-pack";
    return runPathOverride || "@pulumi/pulumi/cmd/run-plugin";
}

/**
 * Arguments for `node` to start a plugin. The Go host puts `nodeargs` after the script (so they reach
 * the plugin, not node), and the program directory last for a policy pack (cmd/run-policy-pack reads
 * `<engine-address> <pack-dir>`) but first for other plugins (cmd/run-plugin reads `<dir> [args]`).
 */
export function pluginArguments(
    kind: string,
    runPath: string,
    nodeArgs: readonly string[],
    programDirectory: string,
    requestArgs: readonly string[],
): string[] {
    const args = [runPath, ...nodeArgs];
    if (kind === ANALYZER_KIND) args.push(...requestArgs, programDirectory);
    else args.push(programDirectory, ...requestArgs);
    return args;
}
