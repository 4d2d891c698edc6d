/**
 * Which image tag the services run, decided without the stack's config file: a tag written into
 * one checkout's `Pulumi.<stack>.yaml` was rolled back by the next deploy from another checkout.
 * The tag comes from the environment of the deploy, else from what the stack already runs (its own
 * outputs), else there is none yet (bootstrap). Pure: the program reads the inputs.
 */

/** The image tag to deploy. `make deploy-services IMAGE_TAG=<tag>` sets it; by hand: `PROLIFERATE_IMAGE_TAG=<tag> pulumi up`. */
export const IMAGE_TAG_ENV = "PROLIFERATE_IMAGE_TAG";
/** Who deploys, recorded in `imageDeployment` (the runner sets it). */
export const DEPLOYED_BY_ENV = "PROLIFERATE_DEPLOYED_BY";

/** The record of the last change of image tag, exported as `imageDeployment`. */
export interface ImageDeployment {
    /** The tag the services run. */
    tag: string;
    /** The tag they ran before it (what a rollback deploys), or null for the first. */
    previousTag: string | null;
    /** Who deployed it (`PROLIFERATE_DEPLOYED_BY`), or null when not given. */
    deployedBy: string | null;
    /** When the tag last changed (ISO 8601); a redeploy of the same tag keeps it. */
    deployedAt: string;
}

/** What the services stack exported the last time it was deployed; empty before its first deploy. */
export interface PreviousDeployment {
    /** The common image tag, null in bootstrap mode, absent from stacks deployed before it was exported. */
    imageTag?: string | null;
    /** The previous record, absent before the first tag or from older stacks. */
    imageDeployment?: ImageDeployment | null;
    /** Image per service, used only for stacks deployed before `imageTag` was exported. */
    images?: Record<string, string | null>;
}

/** Where the tag of a run came from. */
export type ImageSource = "environment" | "deployed" | "bootstrap";

/** The tag of a `<repository>:<tag>` or `<repository>@sha256:...` image reference. */
export function tagOfImage(image: string): string {
    const at = image.lastIndexOf("@");
    if (at >= 0) return image.slice(at + 1);
    const colon = image.lastIndexOf(":");
    return colon > image.lastIndexOf("/") ? image.slice(colon + 1) : "";
}

/**
 * The tag the stack runs now: its `imageTag` output, or for a stack deployed before that output
 * existed, the one tag its non-overridden services run. `undefined` when it runs none (first deploy
 * or bootstrap); an error text when older outputs disagree.
 */
export function deployedTag(
    previous: PreviousDeployment,
    overridden: readonly string[],
): { tag: string | undefined } | { error: string } {
    if (previous.imageTag !== undefined) return { tag: previous.imageTag ?? undefined };
    const images = Object.entries(previous.images ?? {}).filter(([service]) => !overridden.includes(service));
    const tags = [...new Set(images.map(([, image]) => (image === null ? null : tagOfImage(image))))];
    if (tags.length === 0 || (tags.length === 1 && tags[0] === null)) return { tag: undefined };
    if (tags.length === 1 && tags[0]) return { tag: tags[0] };
    return { error: `the services run different tags (${images.map(([s, i]) => `${s}: ${i ?? "none"}`).join(", ")})` };
}

/**
 * The `imageDeployment` record of this run: carried over unchanged when the tag did not change (so
 * a redeploy changes nothing), a new one when it did; null in bootstrap mode.
 */
export function nextImageDeployment(
    tag: string | undefined,
    previous: PreviousDeployment,
    overridden: readonly string[],
    deployedBy: string | undefined,
    now: Date,
): ImageDeployment | null {
    if (tag === undefined) return null;
    const last = previous.imageDeployment ?? null;
    if (last !== null && last.tag === tag) return last;
    const before = deployedTag(previous, overridden);
    const previousTag = last?.tag ?? ("tag" in before ? before.tag : undefined) ?? null;
    return {
        tag,
        previousTag: previousTag === tag ? (last?.previousTag ?? null) : previousTag,
        deployedBy: deployedBy?.trim() ? deployedBy.trim() : null,
        deployedAt: now.toISOString(),
    };
}
