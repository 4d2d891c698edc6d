import {
    container,
    domainLb,
    goodLb,
    goodTd,
    LB,
    lb,
    LISTENER,
    listener,
    type PolicyCase,
    policyDoc,
    PROD,
    repo,
    res,
    TD,
} from "./policy-fixtures";

/** Cases of the ECS, ELB, ECR, IAM and CloudWatch Logs policies. */
export const SERVICES_CASES: Record<string, PolicyCase> = {
    "ecs-2-no-public-ip": {
        good: [res("aws:ecs/service:Service", "svc", { networkConfiguration: { assignPublicIp: false } })],
        bad: [res("aws:ecs/service:Service", "svc", { networkConfiguration: { assignPublicIp: true } })],
        names: "svc",
    },
    "ecs-4-non-privileged": {
        good: [res(TD, "task", goodTd)],
        bad: [res(TD, "task", { ...goodTd, containerDefinitions: container({ privileged: true }) })],
        names: "task",
    },
    "ecs-8-no-secrets-in-environment": {
        good: [
            res(TD, "task", {
                ...goodTd,
                containerDefinitions: container({
                    environment: [
                        { name: "GITHUB_APP_ID", value: "123" },
                        { name: "API_URL", value: "https://api.example.com" },
                    ],
                }),
            }),
        ],
        bad: [
            res(TD, "task", {
                ...goodTd,
                containerDefinitions: container({
                    environment: [{ name: "DB", value: "postgresql://u:hunter2@db:5432/x" }],
                }),
            }),
        ],
        names: "task",
    },
    "ecs-9-logging": {
        good: [res(TD, "task", goodTd)],
        bad: [res(TD, "task", { ...goodTd, containerDefinitions: container({ logConfiguration: undefined }) })],
        names: "task",
    },
    "ecs-12-container-insights": {
        good: [
            res("aws:ecs/cluster:Cluster", "cluster", { settings: [{ name: "containerInsights", value: "enabled" }] }),
        ],
        bad: [res("aws:ecs/cluster:Cluster", "cluster", { settings: [] })],
        names: "cluster",
    },
    "elb-1-redirect-http-to-https": {
        good: [
            lb,
            listener("https", { protocol: "HTTPS", port: 443 }),
            listener("http", {
                protocol: "HTTP",
                port: 80,
                defaultActions: [
                    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
                ],
            }),
        ],
        bad: [
            lb,
            listener("https", { protocol: "HTTPS", port: 443 }),
            listener("http", {
                protocol: "HTTP",
                port: 80,
                defaultActions: [{ type: "forward", targetGroupArn: "tg" }],
            }),
        ],
        names: "http",
    },
    "elb-https-host-name-covered": {
        good: [
            domainLb,
            res(
                LISTENER,
                "https",
                {
                    protocol: "HTTPS",
                    port: 443,
                    tags: { "proliferate:certificate-domains": "example.com *.example.com" },
                },
                { propertyDependencies: { loadBalancerArn: [domainLb] } },
            ),
        ],
        bad: [
            domainLb,
            res(
                LISTENER,
                "https",
                { protocol: "HTTPS", port: 443, tags: { "proliferate:certificate-domains": "*.example.org" } },
                { propertyDependencies: { loadBalancerArn: [domainLb] } },
            ),
        ],
        names: "https",
    },
    "elb-4-drop-invalid-headers": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, dropInvalidHeaderFields: false })],
        names: "alb",
    },
    "elb-12-desync-mitigation": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, desyncMitigationMode: "monitor" })],
        names: "alb",
    },
    "elb-13-multiple-azs": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, subnets: ["a"] })],
        names: "alb",
    },
    "elb-recommended-tls-policy": {
        good: [res(LISTENER, "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })],
        bad: [res(LISTENER, "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })],
        names: "https",
    },
    "ecr-1-scan-on-push": {
        good: [repo],
        bad: [res(repo.type, repo.name, { ...repo.props, imageScanningConfiguration: { scanOnPush: false } })],
        names: "worker-repo",
    },
    "ecr-2-immutable-tags": {
        good: [repo],
        bad: [res(repo.type, repo.name, { ...repo.props, imageTagMutability: "MUTABLE" })],
        names: "worker-repo",
    },
    "ecr-3-lifecycle-policy": {
        good: [
            repo,
            res(
                "aws:ecr/lifecyclePolicy:LifecyclePolicy",
                "lifecycle",
                { repository: "proliferate/dev/worker" },
                { propertyDependencies: { repository: [repo] } },
            ),
        ],
        bad: [repo],
        names: "worker-repo",
    },
    "iam-least-privilege": {
        good: [
            res("aws:iam/rolePolicy:RolePolicy", "exec", {
                policy: policyDoc([
                    {
                        Sid: "Read",
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue"],
                        Resource: "arn:aws:secretsmanager:us-east-1:1:secret:x",
                    },
                    { Sid: "Login", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                ]),
            }),
        ],
        bad: [
            res("aws:iam/rolePolicy:RolePolicy", "exec", {
                policy: policyDoc([
                    { Sid: "Read", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "*" },
                ]),
            }),
        ],
        names: "exec",
    },
    "log-group-retention": {
        good: [res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30 })],
        bad: [res("aws:cloudwatch/logGroup:LogGroup", "logs", {})],
        names: "logs",
    },
    "elb-6-deletion-protection": {
        good: [res(LB, "alb", goodLb, { provider: PROD })],
        bad: [res(LB, "alb", { ...goodLb, enableDeletionProtection: false }, { provider: PROD })],
        names: "alb",
    },
    "fargate-cpu-memory": {
        good: [res(TD, "task", goodTd)],
        bad: [res(TD, "task", { ...goodTd, cpu: "256", memory: "4096" })],
        names: "task",
    },
    "physical-name-lengths": {
        good: [res(LB, "alb", goodLb)],
        bad: [res(LB, "alb", { ...goodLb, name: "proliferate-production-llm-proxy-alb" })],
        names: "alb",
    },
};
