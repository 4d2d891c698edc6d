import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSize, ServiceSpec } from "../catalog";
import { privateAddress } from "../connections";
import { NAME_LIMITS, type Namer } from "../naming";
import { rootFilesystem } from "../root-filesystem";
import type { PublicLoadBalancer } from "./load-balancer";

/** Arguments of {@link FargateService}. */
export interface FargateServiceArgs {
    /** The service's catalog row. */
    spec: ServiceSpec;
    /** ECS cluster ARN. */
    clusterArn: pulumi.Input<string>;
    /** CPU, memory and task count (already validated as a Fargate size). */
    size: ServiceSize;
    /** Image tag or `sha256:` digest; undefined = bootstrap (no image yet, no tasks). */
    imageTag: string | undefined;
    /** CPU architecture of the image. */
    cpuArchitecture: "X86_64" | "ARM64";
    /** Private subnets the tasks run in. */
    subnetIds: pulumi.Input<string[]>;
    /** The service's task security group from the foundation layer. */
    securityGroupId: pulumi.Input<string>;
    /** The service's load balancer, for public services. */
    loadBalancer?: PublicLoadBalancer;
    /** The service's Secrets Manager secret. */
    secretArn: pulumi.Input<string>;
    /**
     * The secret's current version id. The container reads that version, so a new value is a new
     * task definition and a rolling deployment of exactly the services that read the secret.
     */
    secretVersionId: pulumi.Input<string>;
    /** The ECS Service Connect namespace the services call each other through (private names, no load balancer). */
    serviceConnectNamespace: pulumi.Input<string>;
    /** Variable names inside that secret; each becomes an ECS secret of the container. */
    secretKeys: readonly string[];
    /** Customer-managed KMS key of the secret, if any (the execution role may decrypt with it). */
    kmsKeyArn?: string;
    /** Plain environment variables (no secrets). */
    environment: Record<string, pulumi.Input<string>>;
    /** Log retention in days. */
    logRetentionDays: number;
    /** AWS region (log configuration, KMS condition). */
    region: string;
    /** Production-like: repositories are never force-deleted. */
    productionLike: boolean;
    /** Physical names of the environment. */
    names: Namer;
}

/** The ECR lifecycle: expire untagged images after a day, keep the 10 most recent images (spec). */
export const ECR_LIFECYCLE_POLICY = {
    rules: [
        {
            rulePriority: 1,
            description: "Expire untagged images after 1 day",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
            action: { type: "expire" },
        },
        {
            rulePriority: 2,
            description: "Keep the 10 most recent images",
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
            action: { type: "expire" },
        },
    ],
};

/** Name of the container port in the task definition; Service Connect publishes it by this name. */
export const PORT_NAME = "http";

/** One Fargate service with its own image repository, log group, roles and task definition. */
export class FargateService extends pulumi.ComponentResource {
    /** ECR repository URL. */
    readonly repositoryUrl: pulumi.Output<string>;
    /** ECS service name. */
    readonly serviceName: pulumi.Output<string>;
    /** The image the task runs, or null in bootstrap mode. */
    readonly image: pulumi.Output<string | null>;
    /** Execution role (pulls the image, writes logs, reads the service's secret). */
    readonly executionRole: aws.iam.Role;
    /** Task role: the application's own AWS permissions (none by default). */
    readonly taskRole: aws.iam.Role;

    constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("proliferate:services:FargateService", name, {}, opts);
        const { spec, names } = args;
        const parent = { parent: this };

        const repo = new aws.ecr.Repository(
            `${name}-repo`,
            {
                name: names.path(spec.name),
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "AES256" }],
                forceDelete: !args.productionLike,
            },
            parent,
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-repo-lifecycle`,
            { repository: repo.name, policy: JSON.stringify(ECR_LIFECYCLE_POLICY) },
            parent,
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/ecs/${names.name(spec.name, NAME_LIMITS.logGroup - 5)}`, retentionInDays: args.logRetentionDays },
            parent,
        );

        const assumeByTasks = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
            ],
        });
        this.executionRole = new aws.iam.Role(
            `${name}-execution`,
            { name: names.name(`${spec.name}-execution`, NAME_LIMITS.iamRole), assumeRolePolicy: assumeByTasks },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-execution`,
            {
                role: this.executionRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "PullOwnImage",
                            Effect: "Allow",
                            Action: [
                                "ecr:BatchCheckLayerAvailability",
                                "ecr:GetDownloadUrlForLayer",
                                "ecr:BatchGetImage",
                            ],
                            Resource: repo.arn,
                        },
                        // GetAuthorizationToken has no resource-level permissions in AWS: "*" is the only valid resource.
                        { Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                        {
                            Sid: "WriteOwnLogs",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${logGroup.arn}:*`,
                        },
                        {
                            Sid: "ReadOwnSecret",
                            Effect: "Allow",
                            Action: ["secretsmanager:GetSecretValue"],
                            Resource: args.secretArn,
                        },
                        ...(args.kmsKeyArn
                            ? [
                                  {
                                      Sid: "DecryptOwnSecret",
                                      Effect: "Allow",
                                      Action: ["kms:Decrypt"],
                                      Resource: args.kmsKeyArn,
                                      Condition: {
                                          StringEquals: {
                                              "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
                                          },
                                      },
                                  },
                              ]
                            : []),
                    ],
                }),
            },
            parent,
        );
        // No policy: the application gets AWS permissions only when someone grants them deliberately.
        this.taskRole = new aws.iam.Role(
            `${name}-task`,
            { name: names.name(`${spec.name}-task`, NAME_LIMITS.iamRole), assumeRolePolicy: assumeByTasks },
            parent,
        );

        const bootstrap = args.imageTag === undefined;
        const image: pulumi.Output<string | null> = bootstrap
            ? pulumi.output(null)
            : args.imageTag!.startsWith("sha256:")
              ? pulumi.interpolate`${repo.repositoryUrl}@${args.imageTag}`
              : pulumi.interpolate`${repo.repositoryUrl}:${args.imageTag}`;
        const lb = args.loadBalancer;
        const rootFs = rootFilesystem(spec);
        const containerDefinitions = pulumi.jsonStringify([
            {
                name: spec.name,
                // Bootstrap: a tag that does not exist yet; the service runs no task until a real tag is set.
                image: bootstrap ? pulumi.interpolate`${repo.repositoryUrl}:bootstrap` : image,
                essential: true,
                privileged: false,
                readonlyRootFilesystem: rootFs.readonlyRootFilesystem,
                mountPoints: rootFs.mountPoints,
                portMappings:
                    spec.port !== undefined
                        ? [{ name: PORT_NAME, containerPort: spec.port, protocol: "tcp", appProtocol: "http" }]
                        : [],
                environment: Object.entries(args.environment)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([envName, value]) => ({ name: envName, value })),
                // Secrets reach the container only through ECS, pinned to one version:
                // `<secret arn>:<json key>:<version stage>:<version id>` (stage left empty).
                secrets: [...args.secretKeys].sort().map((key) => ({
                    name: key,
                    valueFrom: pulumi.interpolate`${args.secretArn}:${key}::${args.secretVersionId}`,
                })),
                logConfiguration: {
                    logDriver: "awslogs",
                    options: {
                        "awslogs-group": logGroup.name,
                        "awslogs-region": args.region,
                        "awslogs-stream-prefix": spec.name,
                    },
                },
            },
        ]);
        const taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: names.name(spec.name, 255),
                cpu: String(args.size.cpu),
                memory: String(args.size.memory),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.cpuArchitecture },
                executionRoleArn: this.executionRole.arn,
                taskRoleArn: this.taskRole.arn,
                containerDefinitions,
                volumes: rootFs.volumes,
            },
            parent,
        );
        const service = new aws.ecs.Service(
            `${name}-service`,
            {
                name: names.name(spec.name, NAME_LIMITS.ecs),
                cluster: args.clusterArn,
                taskDefinition: taskDefinition.arn,
                launchType: "FARGATE",
                desiredCount: bootstrap ? 0 : args.size.desiredCount,
                networkConfiguration: {
                    subnets: args.subnetIds,
                    securityGroups: [args.securityGroupId],
                    assignPublicIp: false,
                },
                loadBalancers:
                    lb && spec.port !== undefined
                        ? [{ targetGroupArn: lb.targetGroup.arn, containerName: spec.name, containerPort: spec.port }]
                        : [],
                healthCheckGracePeriodSeconds: lb ? 60 : undefined,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                // Callers reach the service at http://<name>.internal:<port> through Service Connect;
                // a service without a port is a client only.
                serviceConnectConfiguration: {
                    enabled: true,
                    namespace: args.serviceConnectNamespace,
                    ...(spec.port !== undefined
                        ? {
                              services: [
                                  {
                                      portName: PORT_NAME,
                                      discoveryName: spec.name,
                                      clientAlias: [{ port: spec.port, dnsName: privateAddress(spec).host }],
                                  },
                              ],
                          }
                        : {}),
                    logConfiguration: {
                        logDriver: "awslogs",
                        options: {
                            "awslogs-group": logGroup.name,
                            "awslogs-region": args.region,
                            "awslogs-stream-prefix": `${spec.name}-service-connect`,
                        },
                    },
                },
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                // `pulumi up` reports a failed rollout instead of returning while tasks still crash.
                waitForSteadyState: !bootstrap,
            },
            { parent: this, dependsOn: lb ? lb.listeners : [] },
        );

        this.repositoryUrl = repo.repositoryUrl;
        this.serviceName = service.name;
        this.image = image;
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, serviceName: this.serviceName, image: this.image });
    }
}
