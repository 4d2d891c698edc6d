import { z } from "zod";
import type { Contract } from "./contract";

/** Outputs of the services layer: for people, smoke tests and CI (nothing downstream reads them). */
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
    /** Public URL by public service (https with a certificate). */
    serviceUrls: Record<string, string>;
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
    },
    placeholder: {
        clusterName: "placeholder",
        serviceNames: {},
        repositoryUrls: {},
        images: {},
        loadBalancerDnsNames: {},
        serviceUrls: {},
    },
};
