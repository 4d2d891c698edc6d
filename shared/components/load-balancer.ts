import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { publicUrl } from "../domains";
import { ACCESS_LOG_PREFIX } from "./access-log-bucket";
import { NAME_LIMITS, type Namer } from "../naming";
import { CERTIFICATE_DOMAINS_TAG, DOMAIN_TAG } from "../tags";

/** TLS policy of the HTTPS listeners: TLS 1.3 and 1.2 with forward secrecy only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Arguments of {@link PublicLoadBalancer}. */
export interface PublicLoadBalancerArgs {
    /** Service name; the role part of the ALB's name. */
    service: string;
    /** Container port the target group forwards to. */
    port: number;
    /** Path of the health check. */
    healthCheckPath: string;
    /** VPC of the target group. */
    vpcId: pulumi.Input<string>;
    /** Public subnets, one per AZ (two or more). */
    subnetIds: pulumi.Input<string[]>;
    /** The service's ALB security group from the foundation layer. */
    securityGroupId: pulumi.Input<string>;
    /** ACM certificate: HTTPS on 443 and HTTP redirected to it. Without one, HTTP is forwarded. */
    certificateArn?: string;
    /** The certificate's names, when known; tagged on the HTTPS listener for the policy pack. Default: not tagged. */
    certificateDomains?: readonly string[];
    /** Public host name of the service, e.g. `api.example.com`. Default: none (the URL uses the AWS name). */
    domain?: string;
    /** Route 53 zone to create the domain's alias record in. Default: none (DNS is managed elsewhere). */
    hostedZoneId?: string;
    /** Access log bucket (its policy must exist first: ELB checks it may write). Default: no access logs. */
    accessLogs?: { bucket: pulumi.Input<string>; policy: pulumi.Resource };
    /** Deletion protection. */
    productionLike: boolean;
    /** Physical names of the environment. */
    names: Namer;
}

/** A public Application Load Balancer in front of one service, with an IP target group. */
export class PublicLoadBalancer extends pulumi.ComponentResource {
    /** The target group the service registers its tasks in. */
    readonly targetGroup: aws.lb.TargetGroup;
    /** Listeners; the ECS service depends on them (a target group must be attached before use). */
    readonly listeners: aws.lb.Listener[] = [];
    /** Load balancer DNS name. */
    readonly dnsName: pulumi.Output<string>;
    /** `https://<domain>` with a certificate, `http://...` without; the AWS name when there is no domain. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: PublicLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("proliferate:services:PublicLoadBalancer", name, {}, opts);
        const lb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                name: args.names.name(args.service, NAME_LIMITS.loadBalancer),
                loadBalancerType: "application",
                internal: false,
                securityGroups: [args.securityGroupId],
                subnets: args.subnetIds,
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                enableDeletionProtection: args.productionLike,
                idleTimeout: 120,
                ...(args.accessLogs !== undefined
                    ? {
                          accessLogs: {
                              bucket: args.accessLogs.bucket,
                              prefix: `${ACCESS_LOG_PREFIX}/${args.service}`,
                              enabled: true,
                          },
                      }
                    : {}),
                ...(args.domain !== undefined ? { tags: { [DOMAIN_TAG]: args.domain } } : {}),
            },
            { parent: this, dependsOn: args.accessLogs !== undefined ? [args.accessLogs.policy] : [] },
        );
        // Autonamed (logical name + random suffix): a changed port or protocol replaces a target
        // group, and a fixed name would block creating the new one before deleting the old.
        this.targetGroup = new aws.lb.TargetGroup(
            `${name}-tg`,
            {
                targetType: "ip",
                protocol: "HTTP",
                port: args.port,
                vpcId: args.vpcId,
                deregistrationDelay: 30,
                healthCheck: {
                    enabled: true,
                    path: args.healthCheckPath,
                    protocol: "HTTP",
                    matcher: "200-399",
                    interval: 15,
                    timeout: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                },
            },
            { parent: this },
        );
        const forward = [{ type: "forward", targetGroupArn: this.targetGroup.arn }];
        if (args.certificateArn) {
            this.listeners.push(
                new aws.lb.Listener(
                    `${name}-https`,
                    {
                        loadBalancerArn: lb.arn,
                        port: 443,
                        protocol: "HTTPS",
                        sslPolicy: TLS_POLICY,
                        certificateArn: args.certificateArn,
                        defaultActions: forward,
                        ...(args.certificateDomains !== undefined
                            ? { tags: { [CERTIFICATE_DOMAINS_TAG]: args.certificateDomains.join(" ") } }
                            : {}),
                    },
                    { parent: this },
                ),
                new aws.lb.Listener(
                    `${name}-http`,
                    {
                        loadBalancerArn: lb.arn,
                        port: 80,
                        protocol: "HTTP",
                        defaultActions: [
                            { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
                        ],
                    },
                    { parent: this },
                ),
            );
        } else {
            this.listeners.push(
                new aws.lb.Listener(
                    `${name}-http`,
                    { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultActions: forward },
                    { parent: this },
                ),
            );
        }
        if (args.domain !== undefined && args.hostedZoneId !== undefined) {
            // An alias record costs nothing to query and follows the load balancer's addresses.
            new aws.route53.Record(
                `${name}-dns`,
                {
                    zoneId: args.hostedZoneId,
                    name: args.domain,
                    type: "A",
                    aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
                },
                { parent: this },
            );
        }
        this.dnsName = lb.dnsName;
        const https = args.certificateArn !== undefined;
        this.url =
            args.domain !== undefined
                ? pulumi.output(publicUrl(args.domain, https))
                : lb.dnsName.apply((dns) => publicUrl(dns, https));
        this.registerOutputs({ dnsName: this.dnsName, url: this.url });
    }
}
