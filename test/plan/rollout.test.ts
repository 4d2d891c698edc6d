import { expect } from "chai";
import type { RecordedResource } from "../../scripts/plan/mock-engine";
import { rolloutBatch, rollouts } from "../../scripts/plan/rollout";

function res(type: string, name: string, inputs: Record<string, unknown>, arn: string): RecordedResource {
    return { type, name, inputs, custom: true, id: `${name}-id`, state: { arn } };
}

describe("plan rollout model", () => {
    it("replaces as many tasks per wave as the min/max percent allow", () => {
        expect(rolloutBatch(1, 100, 200)).to.equal(1);
        expect(rolloutBatch(4, 50, 150)).to.equal(4); // 2 above desired + 2 below
        expect(rolloutBatch(3, 100, 150)).to.equal(1); // floor(4.5) − 3 = 1 above, none below
        expect(rolloutBatch(2, 100, 100)).to.equal(1); // no room at all: ECS still moves one
    });

    it("a worked example: 3 tasks behind a load balancer at 100/150 % take 3 waves of 140 s", () => {
        const resources = [
            res(
                "aws:lb/targetGroup:TargetGroup",
                "tg",
                { deregistrationDelay: 20, healthCheck: { interval: 10, healthyThreshold: 3, timeout: 5 } },
                "arn:tg",
            ),
            res(
                "aws:ecs/taskDefinition:TaskDefinition",
                "td",
                { containerDefinitions: JSON.stringify([{ name: "app", stopTimeout: 10 }]) },
                "arn:td",
            ),
            res(
                "aws:ecs/service:Service",
                "svc",
                {
                    name: "api",
                    desiredCount: 3,
                    deploymentMinimumHealthyPercent: 100,
                    deploymentMaximumPercent: 150,
                    taskDefinition: "arn:td",
                    loadBalancers: [{ targetGroupArn: "arn:tg" }],
                },
                "arn:svc",
            ),
        ];
        const [r] = rollouts(resources);
        // Per wave: 15 schedule + 60 start + (3 × 10 + 5) healthy + 20 deregistration + 10 stop = 140.
        expect(r?.batch).to.equal(1);
        expect(r?.waves).to.equal(3);
        expect(r?.steps.map((s) => s.seconds)).to.deep.equal([15, 60, 35, 20, 10]);
        expect(r?.totalSeconds).to.equal(420);
        expect(r?.withinGoal).to.equal(false);
    });

    it("a service without a load balancer waits only for start and stop (default 30 s stop timeout)", () => {
        const [r] = rollouts([
            res("aws:ecs/taskDefinition:TaskDefinition", "td", { containerDefinitions: "[{}]" }, "arn:td"),
            res(
                "aws:ecs/service:Service",
                "svc",
                { name: "worker", desiredCount: 1, taskDefinition: "arn:td" },
                "arn:s",
            ),
        ]);
        expect(r?.totalSeconds).to.equal(15 + 60 + 30);
        expect(r?.withinGoal).to.equal(true);
    });
});
