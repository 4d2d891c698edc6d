/**
 * The four layers, their Pulumi project names and their deploy order. The deploy runner, the
 * contracts and the generated docs derive the list from here.
 */

/** Layers in deploy order: each depends only on layers before it. */
export const LAYERS = ["foundation", "data", "secrets", "services"] as const;
/** One of the four layers. */
export type Layer = (typeof LAYERS)[number];

/** Pulumi project name of each layer (the `name:` in its Pulumi.yaml and the config namespace). */
export const PROJECT_NAMES: Record<Layer, string> = {
    foundation: "proliferate-foundation",
    data: "proliferate-data",
    secrets: "proliferate-secrets",
    services: "proliferate-services",
};
