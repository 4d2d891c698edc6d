import type { ServiceSpec } from "../../shared/catalog";
import type { Layer } from "../../shared/layers";
import type { LayerProgramOptions } from "../../shared/open-layer";
import {
    dataOptions,
    foundationOptions,
    secretsOptions,
    servicesOptions,
    type Profile,
    type ServicesRun,
} from "./fixtures";
import { runLayer, type LayerRun } from "./mocks";

/** The four layers run in order in one process, each reading the previous layers' actual outputs. */
export type Chain = Record<Layer, LayerRun> & {
    /** Every upstream output a layer read, as `<consumer> <- <upstream>:<key>`. */
    upstreamReads: ReadonlySet<string>;
};

/** Options of {@link runChain}. */
export interface ChainOptions {
    /** The services to build. Default: SERVICES. */
    catalog?: readonly ServiceSpec[];
    /** Config per layer, added to the fixtures' (`<unset>` removes a key). */
    extra?: Partial<Record<Layer, Record<string, string>>>;
    /** The services run's environment and its stack's last outputs. */
    services?: Omit<ServicesRun, "catalog">;
}

/** Runs foundation → data → secrets → services under mocks; `extra` adds config per layer. */
export async function runChain(profile: Profile, opts: ChainOptions = {}): Promise<Chain> {
    const [f, d, s, v] = await Promise.all([
        import("../../stacks/foundation/program"),
        import("../../stacks/data/program"),
        import("../../stacks/secrets/program"),
        import("../../stacks/services/program"),
    ]);
    const extra = opts.extra ?? {};
    const upstreamReads = new Set<string>();
    const program: LayerProgramOptions = {
        ...(opts.catalog ? { catalog: opts.catalog } : {}),
        onUpstreamRead: (read) => upstreamReads.add(`${read.consumer} <- ${read.upstream}:${read.key}`),
    };
    const foundation = await runLayer(() => f.foundation(program), foundationOptions(profile, extra.foundation));
    const data = await runLayer(() => d.data(program), dataOptions(profile, foundation.asUpstream(), extra.data));
    const secrets = await runLayer(
        () => s.secrets(program),
        secretsOptions(profile, { foundation: foundation.asUpstream(), data: data.asUpstream() }, extra.secrets),
    );
    const services = await runLayer(
        () => v.services(program),
        servicesOptions(
            profile,
            { foundation: foundation.asUpstream(), secrets: secrets.asUpstream() },
            extra.services,
            { ...opts.services, ...(opts.catalog ? { catalog: opts.catalog } : {}) },
        ),
    );
    return { foundation, data, secrets, services, upstreamReads };
}
