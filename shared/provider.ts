import * as aws from "@pulumi/aws";
import type { EnvironmentSettings } from "./environment";
import type { Layer } from "./layers";
import { layerTags } from "./tags";

/**
 * The one AWS provider a layer uses. Every resource gets it (directly or through its component
 * parent), so region and tags are set in exactly one place; the tags reach every taggable
 * resource through `defaultTags`.
 */
export function createLayerProvider(env: EnvironmentSettings, layer: Layer): aws.Provider {
    return new aws.Provider("aws", {
        region: env.region as aws.Region,
        defaultTags: { tags: layerTags(env, layer) },
    });
}
