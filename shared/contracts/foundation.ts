import { z } from "zod";
import type { ExternalDatabase } from "../connections";
import { ENVIRONMENT_CLASSES, type EnvironmentSettings } from "../environment";
import type { Contract } from "./contract";

/** Outputs of the foundation layer: the network, every security group, and the environment settings. */
export interface FoundationOutputs {
    /** Environment-wide settings every layer builds its provider and names from. */
    environment: EnvironmentSettings;
    /** VPC id. */
    vpcId: string;
    /** VPC IPv4 CIDR block. */
    vpcCidr: string;
    /** Availability zones the subnets are spread over. */
    availabilityZones: string[];
    /** Public subnet ids, one per AZ (load balancers, NAT gateways). */
    publicSubnetIds: string[];
    /** Private subnet ids, one per AZ (tasks, Redis, Postgres). */
    privateSubnetIds: string[];
    /** Load balancer security group id of each public service, by service name. */
    albSecurityGroupIds: Record<string, string>;
    /** Task security group id of each service, by service name. */
    taskSecurityGroupIds: Record<string, string>;
    /** Security group of the Redis replication group. */
    redisSecurityGroupId: string;
    /** Security group of the Postgres instance. */
    postgresSecurityGroupId: string;
    /** CloudWatch log group of the VPC flow logs, or null when flow logs are off. */
    flowLogGroupName: string | null;
    /** Where tasks may reach an external database (blocks and port), or null when none is configured. */
    externalDatabase: ExternalDatabase | null;
}

export const foundationContract: Contract<FoundationOutputs> = {
    layer: "foundation",
    upstreams: [],
    outputs: {
        environment: {
            doc: "Environment-wide settings (app, name, class, region, tags).",
            secret: false,
            readBy: ["data", "secrets", "services"],
            schema: z.object({
                app: z.string(),
                name: z.string(),
                class: z.enum(ENVIRONMENT_CLASSES),
                region: z.string(),
                tags: z.record(z.string(), z.string()),
            }),
        },
        vpcId: {
            doc: "VPC id (target groups).",
            secret: false,
            readBy: ["services"],
            schema: z.string().startsWith("vpc-"),
        },
        vpcCidr: { doc: "VPC IPv4 CIDR block.", secret: false, readBy: "people", schema: z.string() },
        availabilityZones: {
            doc: "Availability zones of the subnets.",
            secret: false,
            readBy: "people",
            schema: z.array(z.string()).min(2),
        },
        publicSubnetIds: {
            doc: "Public subnet ids (load balancers).",
            secret: false,
            readBy: ["services"],
            schema: z.array(z.string()).min(2),
        },
        privateSubnetIds: {
            doc: "Private subnet ids (tasks, Redis, Postgres).",
            secret: false,
            readBy: ["data", "services"],
            schema: z.array(z.string()).min(2),
        },
        albSecurityGroupIds: {
            doc: "ALB security group id per public service.",
            secret: false,
            readBy: ["services"],
            schema: z.record(z.string(), z.string()),
        },
        taskSecurityGroupIds: {
            doc: "Task security group id per service.",
            secret: false,
            readBy: ["services"],
            schema: z.record(z.string(), z.string()),
        },
        redisSecurityGroupId: { doc: "Redis security group id.", secret: false, readBy: ["data"], schema: z.string() },
        postgresSecurityGroupId: {
            doc: "Postgres security group id.",
            secret: false,
            readBy: ["data"],
            schema: z.string(),
        },
        flowLogGroupName: {
            doc: "VPC flow log group, or null when off.",
            secret: false,
            readBy: "people",
            schema: z.string().nullable(),
        },
        externalDatabase: {
            doc: "External database blocks and port the tasks may reach, or null.",
            secret: false,
            readBy: ["data"],
            schema: z.object({ cidrs: z.array(z.string()).min(1), port: z.number().int() }).nullable(),
        },
    },
    placeholder: {
        // Replaced by the real settings from the foundation stack config in a runner preview.
        environment: { app: "proliferate", name: "placeholder", class: "development", region: "us-east-1", tags: {} },
        vpcId: "vpc-placeholder",
        vpcCidr: "10.0.0.0/16",
        availabilityZones: ["placeholder-az-a", "placeholder-az-b"],
        publicSubnetIds: ["subnet-placeholder-public-a", "subnet-placeholder-public-b"],
        privateSubnetIds: ["subnet-placeholder-private-a", "subnet-placeholder-private-b"],
        albSecurityGroupIds: { gateway: "sg-placeholder-gateway-alb", "llm-proxy": "sg-placeholder-llm-proxy-alb" },
        taskSecurityGroupIds: {
            worker: "sg-placeholder-worker-task",
            gateway: "sg-placeholder-gateway-task",
            "llm-proxy": "sg-placeholder-llm-proxy-task",
        },
        redisSecurityGroupId: "sg-placeholder-redis",
        postgresSecurityGroupId: "sg-placeholder-postgres",
        flowLogGroupName: null,
        externalDatabase: null,
    },
};
