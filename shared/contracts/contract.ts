import type { z } from "zod";
import type { Layer } from "../layers";

/** How one stack output is shared. */
export interface OutputSpec<V = unknown> {
    /** One line for people: what the value is. */
    doc: string;
    /** True when the value must stay a Pulumi secret (it carries a password or token). */
    secret: boolean;
    /**
     * Who reads it: the downstream layers, or `people` for values only exported for operators
     * (`pulumi stack output`, smoke tests). The contract test checks this against actual reads.
     */
    readBy: readonly Layer[] | "people";
    /** Runtime shape of the value; typed against the interface, so schema and interface cannot disagree. */
    schema: z.ZodType<V>;
}

/** A layer's outputs: the TypeScript interface T plus, for every key of T, how it is shared. */
export interface Contract<T> {
    /** The producing layer. */
    layer: Layer;
    /** Layers whose outputs this layer reads. */
    upstreams: readonly Layer[];
    /** Every output key; the mapped type makes the compiler reject a missing or extra key. */
    outputs: { [K in keyof T]-?: OutputSpec<T[K]> };
    /**
     * Stand-in outputs for previewing a downstream layer before this layer was ever deployed (like
     * Terragrunt's mock_outputs). Only the runner's previews ask for them; `up` refuses them.
     */
    placeholder: T;
}

/** What a layer program returns: each contract value, possibly still an Output. */
export type Exports<T> = { [K in keyof T]-?: import("@pulumi/pulumi").Input<T[K]> };

/** A contract with its value types erased, for code that walks all layers. */
export interface AnyContract {
    layer: Layer;
    upstreams: readonly Layer[];
    outputs: Record<string, OutputSpec>;
    placeholder: object;
}
