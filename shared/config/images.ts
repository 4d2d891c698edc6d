import { z } from "zod";
import { deployedTag, IMAGE_TAG_ENV, type ImageSource, type PreviousDeployment } from "../image-deployment";
import { PROJECT_NAMES } from "../layers";
import { field } from "./field";
import type { IssueList } from "./issues";
import type { ConfigSource } from "./source";

/**
 * The services layer's image keys, and the choice of the tag every service runs: from the deploy's
 * environment (`PROLIFERATE_IMAGE_TAG`), else the tag the stack already runs, else none (bootstrap).
 * The stack file holds no tag any more, so two checkouts cannot roll each other back.
 */

const PROJECT = PROJECT_NAMES.services;

/** Tags that are moved to new images over time; production refuses them. */
export const MUTABLE_TAGS = [
    "latest",
    "main",
    "master",
    "dev",
    "develop",
    "development",
    "stable",
    "prod",
    "production",
    "staging",
    "edge",
    "nightly",
    "head",
    "current",
];

/** An image tag (`[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`) or a digest (`sha256:<64 hex>`). */
export function checkImageTag(tag: string): string | undefined {
    return /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag) || /^sha256:[0-9a-f]{64}$/.test(tag)
        ? undefined
        : "is not an image tag or a sha256: digest";
}

/** The image keys of the services layer's config. */
export const imageFields = {
    imageTags: field
        .json(
            "Per-service image tags pinned in config, whatever tag the other services run (e.g. a proxy's own release), as a JSON object.",
            '{"llm-proxy":"v1.52.0"}',
            z.record(z.string(), z.string()),
        )
        .default({})
        .check((m) =>
            Object.values(m)
                .map(checkImageTag)
                .find((r) => r !== undefined),
        ),
    bootstrap: field
        .boolean(
            "Asserts the first deploy of a new environment (no image pushed yet): tasks are not run. Optional: without any known tag the layer runs no tasks anyway; refused once a tag is given or deployed.",
        )
        .default(false),
};

/** What a deploy knows besides config: the environment's tag and the stack's own last outputs. */
export interface ImageInputs {
    /** `PROLIFERATE_IMAGE_TAG`, when set. */
    fromEnvironment?: string;
    /** The services stack's outputs from its last deploy (empty before the first). */
    previous: PreviousDeployment;
}

/** The tags of one run. */
export interface ImagePlan {
    /** The tag every service without an override runs; undefined in bootstrap mode. */
    tag: string | undefined;
    /** Where it came from. */
    source: ImageSource;
    /** The tag per service (overrides applied); all undefined in bootstrap mode. */
    perService: Record<string, string | undefined>;
    /** Services whose tag `imageTags` pins. */
    overridden: string[];
}

const byEnvironment = (tag: string) =>
    `${IMAGE_TAG_ENV}=${tag} pulumi up   (make deploy-services IMAGE_TAG=${tag} sets it)`;

/**
 * Checks the image keys and chooses the tag. Without `inputs` (pre-flight, which cannot read the
 * stack's outputs) only the config is checked. Problems go to `issues`.
 */
export function parseImages(args: {
    source: ConfigSource;
    issues: IssueList;
    values: { imageTags?: Record<string, string>; bootstrap?: boolean };
    productionLike: boolean;
    serviceNames: readonly string[];
    inputs?: ImageInputs;
}): ImagePlan {
    const { issues, productionLike, serviceNames, inputs } = args;
    const overrides = args.values.imageTags ?? {};
    const bootstrapSet = args.values.bootstrap === true;
    if (args.source.get(PROJECT, "imageTag") !== undefined) {
        issues.addRaw({
            key: `${PROJECT}:imageTag`,
            problem: `is no longer read: a tag in one checkout's stack file was rolled back by the next deploy from another. The tag now comes from ${IMAGE_TAG_ENV} (make deploy-services IMAGE_TAG=<tag> sets it), else from the tag the stack already runs`,
            fix: `pulumi config rm ${PROJECT}:imageTag --stack ${args.source.stack}`,
        });
    }
    for (const name of Object.keys(overrides)) {
        if (!serviceNames.includes(name)) {
            issues.add(
                "imageTags",
                imageFields.imageTags,
                `names "${name}", which is not a service (${serviceNames.join(", ")})`,
            );
        }
    }
    const removeBootstrap = { key: `${PROJECT}:bootstrap`, fix: `pulumi config rm ${PROJECT}:bootstrap` };
    if (bootstrapSet && Object.keys(overrides).length > 0) {
        issues.addRaw({ ...removeBootstrap, problem: "is true, which runs no tasks, but imageTags are set too" });
    }
    const mutable = (tag: string) => productionLike && MUTABLE_TAGS.includes(tag.toLowerCase());
    for (const [name, tag] of Object.entries(overrides)) {
        if (mutable(tag)) {
            issues.add(
                "imageTags",
                imageFields.imageTags,
                `is "${tag}" for ${name}, a mutable tag; production deploys an immutable tag (a git SHA, a version, or a sha256: digest)`,
            );
        }
    }

    let tag: string | undefined;
    let source: ImageSource = "bootstrap";
    const fromEnvironment = inputs?.fromEnvironment?.trim();
    if (fromEnvironment) {
        tag = fromEnvironment;
        source = "environment";
        const bad = checkImageTag(fromEnvironment);
        if (bad !== undefined || mutable(fromEnvironment)) {
            issues.addRaw({
                key: IMAGE_TAG_ENV,
                problem: `"${fromEnvironment}" ${bad ?? "is a mutable tag; production deploys an immutable tag (a git SHA, a version, or a sha256: digest)"}`,
                fix: byEnvironment("git-3f2c1ab"),
            });
        }
        if (bootstrapSet) {
            issues.addRaw({
                ...removeBootstrap,
                problem: `is true, which runs no tasks, but ${IMAGE_TAG_ENV} gives a tag`,
            });
        }
    } else if (inputs) {
        const deployed = deployedTag(inputs.previous, Object.keys(overrides));
        if ("error" in deployed) {
            issues.addRaw({
                key: IMAGE_TAG_ENV,
                problem: `is not set, and the tag the stack runs cannot be told from its outputs: ${deployed.error}`,
                fix: byEnvironment("<tag>"),
            });
        } else if (deployed.tag !== undefined) {
            tag = deployed.tag;
            source = "deployed";
            if (bootstrapSet) {
                issues.addRaw({
                    ...removeBootstrap,
                    problem: `is true, which runs no tasks, but the stack already runs image tag ${deployed.tag}`,
                });
            }
        }
    }
    const perService: Record<string, string | undefined> = {};
    for (const name of serviceNames) perService[name] = tag === undefined ? undefined : (overrides[name] ?? tag);
    return { tag, source, perService, overridden: Object.keys(overrides) };
}
