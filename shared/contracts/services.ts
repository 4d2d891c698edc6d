import { z } from "zod";
import type { ImageDeployment } from "../image-deployment";
import type { Contract } from "./contract";

/**
 * Outputs of the services layer: for people, smoke tests and CI (nothing downstream reads them).
 * The layer itself reads its last `imageTag`, `imageDeployment` and `images` back (a reference to
 * its own stack), so a deploy without a new tag keeps the tag it runs.
 */
export interface ServicesOutputs {
    /** ECS cluster name. */
    clusterName: string;
    /** ECS service name by service. */
    serviceNames: Record<string, string>;
    /** ECR repository URL by service (push images here). */
    repositoryUrls: Record<string, string>;
    /** Image each service runs (`<repository>:<tag>`), or null in bootstrap mode. */
    images: Record<string, string | null>;
    /** Load balancer DNS name by public service. */
    loadBalancerDnsNames: Record<string, string>;
    /** Public URL by public service: `https://<domain>` with a certificate, the load balancer's name without a domain. */
    serviceUrls: Record<string, string>;
    /** The image tag the services run (per-service `imageTags` overrides aside), or null in bootstrap mode. */
    imageTag: string | null;
    /** Who deployed the current tag, when, and the tag before it (for a rollback), or null in bootstrap mode. */
    imageDeployment: ImageDeployment | null;
}

export const servicesContract: Contract<ServicesOutputs> = {
    layer: "services",
    upstreams: ["foundation", "secrets"],
    outputs: {
        clusterName: { doc: "ECS cluster name.", secret: false, readBy: "people", schema: z.string() },
        serviceNames: {
            doc: "ECS service name per service.",
            secret: false,
            readBy: "people",
            schema: z.record(z.string(), z.string()),
        },
        repositoryUrls: {
            doc: "ECR repository URL per service.",
            secret: false,
            readBy: "people",
            schema: z.record(z.string(), z.string()),
        },
        images: {
            doc: "Image per service, or null in bootstrap mode.",
            secret: false,
            readBy: "people",
            schema: z.record(z.string(), z.string().nullable()),
        },
        loadBalancerDnsNames: {
            doc: "ALB DNS name per public service.",
            secret: false,
            readBy: "people",
            schema: z.record(z.string(), z.string()),
        },
        serviceUrls: {
            doc: "Public URL per public service (smoke tests).",
            secret: false,
            readBy: "people",
            schema: z.record(z.string(), z.string().url()),
        },
        imageTag: {
            doc: "Image tag the services run, or null in bootstrap mode (read back by the next deploy).",
            secret: false,
            readBy: "people",
            schema: z.string().min(1).nullable(),
        },
        imageDeployment: {
            doc: "Current tag, previous tag, who and when (read back by the next deploy).",
            secret: false,
            readBy: "people",
            schema: z
                .object({
                    tag: z.string().min(1),
                    previousTag: z.string().nullable(),
                    deployedBy: z.string().nullable(),
                    deployedAt: z.iso.datetime(),
                })
                .nullable(),
        },
    },
    placeholder: {
        clusterName: "placeholder",
        serviceNames: {},
        repositoryUrls: {},
        images: {},
        loadBalancerDnsNames: {},
        serviceUrls: {},
        imageTag: null,
        imageDeployment: null,
    },
};
