/**
 * `make migrate-plan`: the plan of adopting a running `proliferate-infra` monolith stack into the
 * four layer stacks, without moving anything. Reads the monolith's state and config, places every
 * resource in a layer and matches it to what the layer program registers (run offline, like make
 * plan), creates the layer stacks and sets their config (secrets re-encrypted through stdin), and
 * writes migration/<stack>/mapping.json for review. See docs/migration.md.
 *
 *   make migrate-plan SOURCE=<org>/proliferate-infra/<stack> STACK=<stack> SOURCE_DIR=<monolith folder>
 *
 * Exit codes: 0 planned, nothing undecided; 1 something is undecided (the file is still written) or a
 * step failed; 2 bad input, nothing done.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { LAYERS, type Layer } from "../shared/layers";
import { formatPreflight } from "./preflight";
import { runPlanLayers } from "./plan/run";
import { readPlanConfig } from "./plan/stack-config";
import { repositoryRoot } from "./runner/root";
import { buildMapping, readAnswers, targetStacks } from "./migrate/build";
import { translateConfig } from "./migrate/config-map";
import { mappingPath } from "./migrate/mapping";
import { PlanCli, PulumiFailure } from "./migrate/pulumi-io";
import { readPlanRequest } from "./migrate/request";
import { parseExport } from "./migrate/state-export";
import { formatSummary } from "./migrate/summary";
import { missingCli, openStack } from "./runner/environment";
import { PulumiProcesses } from "./runner/pulumi-process";
import { stackFileName, UsageError } from "./runner/request";

export async function main(
    _args: readonly string[] = [],
    env: NodeJS.ProcessEnv = process.env,
    root: string = repositoryRoot(),
): Promise<number> {
    const procs = new PulumiProcesses();
    try {
        return await plan(env, root, procs);
    } catch (err) {
        if (err instanceof UsageError) {
            console.error(err.message);
            return 2;
        }
        if (err instanceof PulumiFailure) {
            console.error(`migrate-plan: ${err.message}`);
            return 1;
        }
        throw err;
    } finally {
        procs.dispose();
    }
}

async function plan(env: NodeJS.ProcessEnv, root: string, procs: PulumiProcesses): Promise<number> {
    const req = readPlanRequest(env, process.cwd());
    const noCli = missingCli(env);
    if (noCli) throw new UsageError(noCli);
    const stackName = stackFileName(req.stack);
    const file = mappingPath(root, stackName);
    const shown = relative(root, file);
    const answers = readAnswers(file);
    const opened = openStack(root, env, req.stack);
    const cli = new PlanCli(procs, opened.env, root, req.sourceDir);

    // Everything is read and checked before anything is written.
    const exportText = await cli.exportSource(req.source);
    const exported = parseExport(exportText, req.source);
    const translation = translateConfig(await cli.sourceConfig(req.source));
    const stacks = targetStacks(req.source, req.stack);
    const state = {} as Record<Layer, "missing" | number>;
    for (const layer of LAYERS) state[layer] = await cli.targetResources(layer, stacks[layer]);
    const busy = LAYERS.filter((l) => state[l] !== "missing" && state[l] > 0);
    if (busy.length > 0) {
        console.error(
            `migrate-plan: refused, nothing was written: ${busy.map((l) => `${stacks[l]} already holds ${String(state[l])} resource(s)`).join("; ")}. A migration moves the monolith's resources into empty layer stacks; plan into another STACK, or empty these first (make destroy-all STACK=${req.stack} destroys their cloud resources too).`,
        );
        return 1;
    }

    for (const layer of LAYERS) {
        if (state[layer] === "missing") await cli.initStack(layer, stacks[layer]);
        for (const setting of translation.settings[layer]) await cli.setConfig(layer, stacks[layer], setting);
    }

    // The layer programs run offline on the config just set (secrets as placeholders, as make plan does).
    const config = readPlanConfig(root, stackName);
    if (config.source !== "stack" || !config.preflight.ok) {
        console.error(formatPreflight(stackName, config.preflight));
        console.error(
            `migrate-plan: the layer stacks' config (copied from ${req.source}) is not complete, so the layer programs cannot be run to match resources. Set what pre-flight lists, then run make migrate-plan again (the copied keys are set again, unchanged).`,
        );
        return 1;
    }
    const { runs } = await runPlanLayers(stackName, config.layers);
    const mapping = buildMapping({
        root,
        source: req.source,
        stack: req.stack,
        exported,
        config: translation.config,
        runs,
        answers,
        file: shown,
    });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(mapping, null, 2)}\n`);
    console.log(formatSummary(mapping, shown));
    console.log(`mapping written: ${join(shown)}`);
    return mapping.undecided.length > 0 ? 1 : 0;
}
