import type { RecordedResource } from "./mock-engine";

/**
 * A modelled worst-case rolling deploy of each ECS service, from the inputs the services program
 * registered: desired count, deployment min/max percent, the target group's health check and
 * deregistration delay, and the containers' stop timeout. Pure: it reads recorded resources only.
 */

/** What the model assumes about AWS, in seconds; not visible in any input. */
export interface RolloutAssumptions {
    /** ECS noticing the new task definition and placing tasks. */
    schedulerSeconds: number;
    /** Fargate provisioning, ENI attachment, image pull and application start. */
    taskStartSeconds: number;
    /** A container's stop timeout when its definition sets none (ECS default). */
    defaultStopTimeoutSeconds: number;
}

/** The model's defaults (see docs/plan.md for why each is a worst case). */
export const ROLLOUT_ASSUMPTIONS: RolloutAssumptions = {
    schedulerSeconds: 15,
    taskStartSeconds: 60,
    defaultStopTimeoutSeconds: 30,
};

/** The goal a services rollout is measured against. */
export const ROLLOUT_GOAL_SECONDS = 120;

/** The model's result for one service. */
export interface Rollout {
    service: string;
    desiredCount: number;
    /** Tasks replaced per wave, from the min/max percent. */
    batch: number;
    waves: number;
    /** Seconds per wave by step, in order. */
    steps: { step: string; seconds: number }[];
    totalSeconds: number;
    withinGoal: boolean;
}

/** A string input as is; anything else as empty (ids, ARNs and JSON documents are strings). */
const text = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown, fallback: number): number => (v === undefined || v === null ? fallback : Number(v));

/** Tasks ECS may replace at once: the surge above desired plus the tasks it may stop below it. */
export function rolloutBatch(desired: number, minPercent: number, maxPercent: number): number {
    const surge = Math.floor((desired * maxPercent) / 100) - desired;
    const unavailable = desired - Math.ceil((desired * minPercent) / 100);
    return Math.max(1, Math.min(desired, surge + unavailable));
}

/** Models the rollout of every ECS service in `resources`. */
export function rollouts(
    resources: readonly RecordedResource[],
    assumptions: RolloutAssumptions = ROLLOUT_ASSUMPTIONS,
    goalSeconds = ROLLOUT_GOAL_SECONDS,
): Rollout[] {
    const byArn = new Map(resources.map((r) => [text(r.state?.["arn"]), r]));
    return resources
        .filter((r) => r.type === "aws:ecs/service:Service")
        .map((svc) => {
            const i = svc.inputs;
            const desired = num(i["desiredCount"], 1);
            const batch = rolloutBatch(
                desired,
                num(i["deploymentMinimumHealthyPercent"], 100),
                num(i["deploymentMaximumPercent"], 200),
            );
            const waves = desired === 0 ? 0 : Math.ceil(desired / batch);
            const td = byArn.get(text(i["taskDefinition"]));
            const containers = JSON.parse(text(td?.inputs["containerDefinitions"]) || "[]") as {
                stopTimeout?: number;
            }[];
            // ECS waits up to each container's stop timeout after SIGTERM; the slowest one counts.
            const stop = Math.max(
                0,
                ...(containers.length > 0 ? containers : [{}]).map(
                    (c) => c.stopTimeout ?? assumptions.defaultStopTimeoutSeconds,
                ),
            );
            const lb = (i["loadBalancers"] as { targetGroupArn?: string }[] | undefined)?.[0];
            const tg = lb ? byArn.get(text(lb.targetGroupArn)) : undefined;
            const steps = [
                { step: "schedule", seconds: assumptions.schedulerSeconds },
                { step: "start task", seconds: assumptions.taskStartSeconds },
            ];
            if (tg) {
                const hc = (tg.inputs["healthCheck"] ?? {}) as Record<string, unknown>;
                const interval = num(hc["interval"], 30);
                const healthy = num(hc["healthyThreshold"], 5);
                const timeout = num(hc["timeout"], 5);
                // Worst case: the first check comes a full interval after registration.
                steps.push({
                    step: `healthy (${healthy} × ${interval} s + ${timeout} s timeout)`,
                    seconds: healthy * interval + timeout,
                });
                steps.push({ step: "deregistration delay", seconds: num(tg.inputs["deregistrationDelay"], 300) });
            }
            steps.push({ step: "stop old task", seconds: stop });
            const perWave = steps.reduce((s, x) => s + x.seconds, 0);
            const totalSeconds = waves * perWave;
            return {
                service: text(i["name"]) || svc.name,
                desiredCount: desired,
                batch,
                waves,
                steps,
                totalSeconds,
                withinGoal: totalSeconds <= goalSeconds,
            };
        });
}

/** One service's rollout as printed. */
export function formatRollout(r: Rollout, goalSeconds = ROLLOUT_GOAL_SECONDS): string {
    const verdict = r.withinGoal ? "within" : `OVER by ${r.totalSeconds - goalSeconds} s`;
    const steps = r.steps.map((s) => `${s.step} ${s.seconds} s`).join(" + ");
    return `${r.service}: ${r.totalSeconds} s worst case (${r.waves} wave(s) of ${r.batch} of ${r.desiredCount} task(s): ${steps}), ${verdict} the ${goalSeconds} s goal`;
}
