import { expect } from "chai";
import { DEPLOYED_BY_ENV, IMAGE_TAG_ENV, type ImageDeployment } from "../../shared/image-deployment";
import { PROJECT_NAMES } from "../../shared/layers";
import { runChain, type Chain } from "../harness/chain";
import { DEPLOYED_BY, IMAGE_TAG } from "../harness/fixtures";
import type { UpstreamState } from "../harness/mocks";

/**
 * The image tag sticks to the stack, not to a checkout's stack file: it comes from
 * PROLIFERATE_IMAGE_TAG, else from the services stack's own last outputs (a StackReference to
 * itself, answered here by the harness's `previous`), else there is none (bootstrap).
 */

const V = PROJECT_NAMES.services;
const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";

const imagesOf = (chain: Chain) => chain.services.outputs["images"] as Record<string, string | null>;
const deploymentOf = (chain: Chain) => chain.services.outputs["imageDeployment"] as ImageDeployment | null;
const asPrevious = (chain: Chain): UpstreamState => chain.services.asUpstream();
const withoutTag = { [IMAGE_TAG_ENV]: undefined };

describe("image tags that stick", () => {
    let first: Chain;

    before(async () => {
        first = await runChain("dev");
    });

    it("takes the tag from PROLIFERATE_IMAGE_TAG and records who deployed it and when", () => {
        expect(Object.values(imagesOf(first)).every((i) => i?.endsWith(`:${IMAGE_TAG}`))).to.be.true;
        expect(first.services.outputs["imageTag"]).to.equal(IMAGE_TAG);
        const record = deploymentOf(first);
        expect(record).to.include({ tag: IMAGE_TAG, previousTag: null, deployedBy: DEPLOYED_BY });
        expect(Date.parse(String(record?.deployedAt))).to.be.closeTo(Date.now(), 60_000);
    });

    it("reads the stack's own last outputs through a StackReference to itself", () => {
        const names = first.services.ofType("pulumi:pulumi:StackReference").map((r) => r.inputs["name"]);
        expect(names).to.include(`organization/${V}/dev`);
    });

    it("a deploy without a tag (deploy-all from another checkout) keeps the tag the stack runs, and changes nothing", async () => {
        const again = await runChain("dev", { services: { env: withoutTag, previous: asPrevious(first) } });
        expect(imagesOf(again)).to.deep.equal(imagesOf(first));
        expect(again.services.outputs["imageTag"]).to.equal(IMAGE_TAG);
        expect(deploymentOf(again)).to.deep.equal(deploymentOf(first));
        const defs = (c: Chain) => c.services.ofType(TASK_DEF).map((t) => t.inputs["containerDefinitions"]);
        expect(defs(again)).to.deep.equal(defs(first));
        expect(again.services.ofType("aws:ecs/service:Service").every((s) => Number(s.inputs["desiredCount"]) > 0)).to
            .be.true;
    });

    it("the same tag given again carries the record over unchanged", async () => {
        const same = await runChain("dev", {
            services: { env: { [DEPLOYED_BY_ENV]: "someone-else" }, previous: asPrevious(first) },
        });
        expect(deploymentOf(same)).to.deep.equal(deploymentOf(first));
    });

    it("a new tag records the previous one for a rollback", async () => {
        const next = await runChain("dev", {
            services: {
                env: { [IMAGE_TAG_ENV]: "git-4e5f6a7", [DEPLOYED_BY_ENV]: "alice" },
                previous: asPrevious(first),
            },
        });
        expect(imagesOf(next)["gateway"]).to.match(/:git-4e5f6a7$/);
        expect(deploymentOf(next)).to.include({ tag: "git-4e5f6a7", previousTag: IMAGE_TAG, deployedBy: "alice" });
        expect(deploymentOf(next)?.deployedAt).not.to.equal(undefined);
    });

    it("per-service overrides in config still pin their services, whatever tag the others run", async () => {
        const chain = await runChain("dev", {
            extra: { services: { [`${V}:imageTags`]: '{"llm-proxy":"v1.52.0"}' } },
            services: { env: withoutTag, previous: asPrevious(first) },
        });
        expect(imagesOf(chain)["llm-proxy"]).to.match(/:v1\.52\.0$/);
        expect(imagesOf(chain)["worker"]).to.match(new RegExp(`:${IMAGE_TAG}$`));
    });

    it("a stack deployed before imageTag was exported keeps the tag its images show", async () => {
        const older: UpstreamState = {
            outputs: {
                images: {
                    worker: "r/worker:git-0ld0001",
                    gateway: "r/gateway:git-0ld0001",
                    "llm-proxy": "r/p:git-0ld0001",
                },
            },
            secretOutputNames: [],
        };
        const chain = await runChain("dev", { services: { env: withoutTag, previous: older } });
        expect(chain.services.outputs["imageTag"]).to.equal("git-0ld0001");
        expect(deploymentOf(chain)).to.include({ tag: "git-0ld0001", previousTag: null });
    });

    it("the first deploy without a tag is bootstrap: no task runs and nothing is recorded", async () => {
        const chain = await runChain("dev", { services: { env: withoutTag } });
        expect(chain.services.outputs["imageTag"]).to.equal(null);
        expect(deploymentOf(chain)).to.equal(null);
        expect(chain.services.ofType("aws:ecs/service:Service").every((s) => s.inputs["desiredCount"] === 0)).to.be
            .true;
    });

    it("the stack file's imageTag is never read: it is refused with the command that removes it", async () => {
        const { runLayerExpectingError } = await import("../harness/mocks");
        const { servicesOptions } = await import("../harness/fixtures");
        const { services } = await import("../../stacks/services/program");
        const { error } = await runLayerExpectingError(
            () => services(),
            servicesOptions(
                "dev",
                { foundation: first.foundation.asUpstream(), secrets: first.secrets.asUpstream() },
                { [`${V}:imageTag`]: "git-stale00" },
            ),
        );
        expect(error.message).to.include(`pulumi config rm ${V}:imageTag --stack dev`);
        expect(error.message).to.include("make deploy-services IMAGE_TAG=");
    });
});
