import type * as aws from "@pulumi/aws";
import type { ServiceSpec } from "./catalog";
import { upstreamStackOverride } from "./config/common";
import { PulumiConfigSource, type ConfigSource } from "./config/source";
import { CONTRACTS } from "./contracts";
import type { Contract } from "./contracts/contract";
import type { FoundationOutputs } from "./contracts/foundation";
import { UpstreamStack, type UpstreamReadObserver } from "./contracts/reader";
import { isProductionLike, type EnvironmentSettings } from "./environment";
import type { Layer } from "./layers";
import { Namer } from "./naming";
import { createLayerProvider } from "./provider";

/**
 * How every layer program starts: read the upstream stacks, parse the layer's config, then make
 * the one provider and the namer of the environment. Each program's first lines are one call
 * here, so the order (all checks first, the first resource last) is the same in every layer.
 */

/** What a test or a tool may pass to a layer program. Pulumi calls the program with none. */
export interface LayerProgramOptions {
    /** The services to build. Default: `SERVICES` from shared/catalog.ts. */
    catalog?: readonly ServiceSpec[];
    /** Told about every upstream output the layer reads. Default: nobody. */
    onUpstreamRead?: UpstreamReadObserver;
}

/** Where a layer deploys, and the two things every resource of it uses. */
export interface LayerEnvironment {
    /** Environment settings (from foundation's config). */
    env: EnvironmentSettings;
    /** Whether stateful resources are protected (production). */
    productionLike: boolean;
    /** The layer's one AWS provider: region and defaultTags. */
    provider: aws.Provider;
    /** Physical names `<app>-<env>-<role>`. */
    names: Namer;
}

/**
 * The provider and namer of `layer` in `env`. It registers the provider, so call it only once every
 * check has passed: a layer that refuses its config must have created nothing.
 */
export function layerEnvironment(layer: Layer, env: EnvironmentSettings): LayerEnvironment {
    return {
        env,
        productionLike: isProductionLike(env.class),
        provider: createLayerProvider(env, layer),
        names: new Namer({ app: env.app, env: env.name }),
    };
}

/** The contracts of a downstream layer's upstreams, by layer; foundation is always one of them. */
export type UpstreamContracts = { foundation: Contract<FoundationOutputs> } & Partial<
    Record<Exclude<Layer, "foundation">, Contract<unknown>>
>;

/** A typed reader per upstream contract. */
export type UpstreamReaders<U> = { [K in keyof U]: U[K] extends Contract<infer T> ? UpstreamStack<T> : never };

/** What the config step of {@link openLayer} gets. */
export interface ConfigContext<U> {
    /** The layer's config values. */
    source: ConfigSource;
    /** Environment settings from the foundation stack. */
    env: EnvironmentSettings;
    /** The upstream readers, already checked against their contracts. */
    upstream: UpstreamReaders<U>;
}

/** Arguments of {@link openLayer}. */
export interface OpenLayerArgs<U extends UpstreamContracts, C> {
    /** The layer being deployed. */
    layer: Exclude<Layer, "foundation">;
    /** Its upstream contracts, in the order to read them; must be the upstreams its own contract declares. */
    upstreams: U;
    /** Parses and checks the layer's config (and anything that depends on upstream values); throws to stop the layer. */
    parseConfig: (ctx: ConfigContext<U>) => C;
    /** Told about every upstream output the layer reads. Default: nobody. */
    onUpstreamRead?: UpstreamReadObserver;
}

/** An opened layer: its config, its upstream readers and its environment. */
export interface OpenedLayer<U, C> extends LayerEnvironment, ConfigContext<U> {
    /** What `parseConfig` returned. */
    config: C;
}

/**
 * Opens a downstream layer (data, secrets, services), in this order, so that any problem stops the
 * layer before it creates a resource:
 * 1. for each upstream, its `<upstream>Stack` override is checked, then the stack is read and its
 *    outputs checked against the contract (a missing stack or output names the command that fixes it);
 * 2. `parseConfig` reads the layer's own config against the environment class foundation exported;
 * 3. the provider and namer are made from foundation's environment settings.
 */
export async function openLayer<U extends UpstreamContracts, C>(args: OpenLayerArgs<U, C>): Promise<OpenedLayer<U, C>> {
    const declared = CONTRACTS[args.layer].upstreams;
    const given = Object.keys(args.upstreams);
    if (given.length !== declared.length || !given.every((u) => (declared as readonly string[]).includes(u))) {
        throw new Error(
            `openLayer("${args.layer}"): upstreams ${given.join(", ")} differ from the ones its contract declares (${declared.join(", ")}) in shared/contracts/${args.layer}.ts`,
        );
    }
    const source = new PulumiConfigSource();
    const readers: Partial<Record<Layer, UpstreamStack<unknown>>> = {};
    for (const [upstream, contract] of Object.entries(args.upstreams) as Array<[Layer, Contract<unknown>]>) {
        readers[upstream] = await UpstreamStack.open(
            contract,
            args.layer,
            upstreamStackOverride(args.layer, upstream, source),
            args.onUpstreamRead,
        );
    }
    // Each reader was opened with the contract under its own key, so the mapped type is exact.
    const upstream = readers as UpstreamReaders<U>;
    const env = (readers.foundation as UpstreamStack<FoundationOutputs>).value("environment");
    const config = args.parseConfig({ source, env, upstream });
    return { ...layerEnvironment(args.layer, env), source, upstream, config };
}
