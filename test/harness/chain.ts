import type { ServiceSpec } from "../../shared/catalog";
import { upstreamReads } from "../../shared/contracts/reader";
import type { Layer } from "../../shared/layers";
import { dataOptions, foundationOptions, secretsOptions, servicesOptions, type Profile } from "./fixtures";
import { runLayer, type LayerRun } from "./mocks";

/** The four layers run in order in one process, each reading the previous layers' actual outputs. */
export type Chain = Record<Layer, LayerRun>;

/** Runs foundation → data → secrets → services under mocks; `extra` adds config per layer. */
export async function runChain(profile: Profile, opts: { catalog?: readonly ServiceSpec[]; extra?: Partial<Record<Layer, Record<string, string>>> } = {}): Promise<Chain> {
    const [f, d, s, v] = await Promise.all([
        import("../../stacks/foundation/program"),
        import("../../stacks/data/program"),
        import("../../stacks/secrets/program"),
        import("../../stacks/services/program"),
    ]);
    const extra = opts.extra ?? {};
    upstreamReads.clear();
    const foundation = await runLayer(() => f.foundation(opts.catalog), foundationOptions(profile, extra.foundation));
    const data = await runLayer(() => d.data(), dataOptions(profile, foundation.asUpstream(), extra.data));
    const secrets = await runLayer(() => s.secrets(opts.catalog), secretsOptions(profile, { foundation: foundation.asUpstream(), data: data.asUpstream() }, extra.secrets));
    const services = await runLayer(() => v.services(opts.catalog), servicesOptions(profile, { foundation: foundation.asUpstream(), secrets: secrets.asUpstream() }, extra.services));
    return { foundation, data, secrets, services };
}
