import { IMAGE_TAG_ENV, DEPLOYED_BY_ENV } from "../../shared/image-deployment";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { UpstreamRead } from "../../shared/contracts/reader";
import type { LayerProgramOptions } from "../../shared/open-layer";
import { runLayer, type LayerRun, type UpstreamState } from "./mock-engine";
import type { LayerConfig } from "./stack-config";

/**
 * Runs the four layer programs in deploy order in this process under the mock engine, each
 * layer's outputs answering the next layers' StackReferences as the engine would.
 */

/** The image tag the plan deploys: a valid Docker tag that no registry holds, so no task could start from it. */
export const PLAN_IMAGE_TAG = "plan-fake-image";

type Program = (opts?: LayerProgramOptions) => Promise<Record<string, unknown>>;

// Loaded with require() when a layer runs, after the mock engine is installed, so no program
// module can see a real engine; a literal path per layer keeps the bundler able to follow it.
/* eslint-disable @typescript-eslint/no-require-imports */
const PROGRAMS: Record<Layer, () => Program> = {
    foundation: () => (require("../../stacks/foundation/program") as { foundation: Program }).foundation,
    data: () => (require("../../stacks/data/program") as { data: Program }).data,
    secrets: () => (require("../../stacks/secrets/program") as { secrets: Program }).secrets,
    services: () => (require("../../stacks/services/program") as { services: Program }).services,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** What running the four layers gave. */
export interface PlannedLayers {
    runs: Record<Layer, LayerRun>;
    /** Wall time of each program, ms. */
    millis: Record<Layer, number>;
    /** Every upstream output each layer read (deduplicated), as the contract readers reported them. */
    reads: Record<Layer, UpstreamRead[]>;
}

/** Runs every layer of `stack` with `config`: each layer's run, wall time and upstream reads. */
export async function runPlanLayers(stack: string, config: Record<Layer, LayerConfig>): Promise<PlannedLayers> {
    const runs: Partial<Record<Layer, LayerRun>> = {};
    const millis: Partial<Record<Layer, number>> = {};
    const reads = Object.fromEntries(LAYERS.map((l) => [l, [] as UpstreamRead[]])) as Record<Layer, UpstreamRead[]>;
    const onUpstreamRead = (read: UpstreamRead) => {
        const seen = reads[read.consumer];
        if (!seen.some((r) => r.upstream === read.upstream && r.key === read.key)) seen.push(read);
    };
    for (const layer of LAYERS) {
        const upstreams: Record<string, UpstreamState> = {};
        for (const [done, run] of Object.entries(runs)) {
            upstreams[`organization/${PROJECT_NAMES[done as Layer]}/${stack}`] = run.asUpstream();
        }
        const started = performance.now();
        // A failure inside an Output (e.g. a consumer requiring an output its upstream no longer
        // exports) surfaces as an unhandled rejection, and the run then never settles: fail the
        // layer with its message at once, instead of a hang or a crash of the process.
        let fail: (reason: unknown) => void = () => undefined;
        const failed = new Promise<never>((_, reject) => {
            fail = (reason) =>
                reject(
                    new Error(
                        `the ${layer} program failed: ${reason instanceof Error ? reason.message : String(reason)}`,
                    ),
                );
        });
        failed.catch(() => undefined);
        process.on("unhandledRejection", fail);
        try {
            runs[layer] = await Promise.race([
                runLayer(() => PROGRAMS[layer]()({ onUpstreamRead }), {
                    project: PROJECT_NAMES[layer],
                    stack,
                    config: config[layer].config,
                    secretKeys: config[layer].secretKeys,
                    upstreams,
                    env: { [IMAGE_TAG_ENV]: PLAN_IMAGE_TAG, [DEPLOYED_BY_ENV]: "make-plan" },
                    preview: true,
                    idPrefix: "plan-fake-",
                }),
                failed,
            ]);
        } finally {
            process.off("unhandledRejection", fail);
        }
        millis[layer] = performance.now() - started;
    }
    return { runs: runs as Record<Layer, LayerRun>, millis: millis as Record<Layer, number>, reads };
}
