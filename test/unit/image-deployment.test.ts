import { expect } from "chai";
import { SERVICES } from "../../shared/catalog";
import { MapConfigSource } from "../../shared/config/source";
import { parseServicesConfig } from "../../shared/config/services";
import { deployedTag, nextImageDeployment, tagOfImage, type ImageDeployment } from "../../shared/image-deployment";

const NOW = new Date("2030-01-02T03:04:05.000Z");
const RECORD: ImageDeployment = {
    tag: "v2",
    previousTag: "v1",
    deployedBy: "alice",
    deployedAt: "2029-12-31T00:00:00.000Z",
};

describe("image tag choice and the deployment record (pure)", () => {
    it("reads the tag of a tag or digest reference", () => {
        expect(tagOfImage("123.dkr.ecr.us-east-1.amazonaws.com/p/dev/gateway:git-1")).to.equal("git-1");
        expect(tagOfImage(`repo@sha256:${"a".repeat(64)}`)).to.equal(`sha256:${"a".repeat(64)}`);
        expect(tagOfImage("localhost:5000/repo")).to.equal("");
    });

    it("the deployed tag: the imageTag output, else the one tag of older stacks' images", () => {
        expect(deployedTag({}, [])).to.deep.equal({ tag: undefined });
        expect(deployedTag({ imageTag: null }, [])).to.deep.equal({ tag: undefined });
        expect(deployedTag({ imageTag: "v3", images: { a: "r:v9" } }, [])).to.deep.equal({ tag: "v3" });
        expect(deployedTag({ images: { a: "r:v1", b: "r:v1", c: "r:pinned" } }, ["c"])).to.deep.equal({ tag: "v1" });
        expect(deployedTag({ images: { a: null, b: null } }, [])).to.deep.equal({ tag: undefined });
        expect(deployedTag({ images: { a: "r:v1", b: "r:v2" } }, [])).to.have.property("error");
    });

    it("keeps the record when the tag is unchanged, starts a new one when it changes, none in bootstrap", () => {
        expect(nextImageDeployment("v2", { imageDeployment: RECORD }, [], "bob", NOW)).to.equal(RECORD);
        expect(nextImageDeployment("v3", { imageTag: "v2", imageDeployment: RECORD }, [], " bob ", NOW)).to.deep.equal({
            tag: "v3",
            previousTag: "v2",
            deployedBy: "bob",
            deployedAt: NOW.toISOString(),
        });
        expect(nextImageDeployment("v3", {}, [], undefined, NOW)).to.deep.include({
            previousTag: null,
            deployedBy: null,
        });
        expect(nextImageDeployment(undefined, { imageDeployment: RECORD }, [], "bob", NOW)).to.equal(null);
    });

    it("pre-flight checks the image keys without a tag: no tag is not a config problem any more", () => {
        const V = "proliferate-services";
        const base = {
            [`${V}:githubAppId`]: "1",
            [`${V}:githubAppSlug`]: "app",
            [`${V}:autumnApiUrl`]: "https://api.useautumn.com",
            [`${V}:emailFrom`]: "a@example.com",
            [`${V}:e2bDomain`]: "e2b.app",
            [`${V}:e2bTemplate`]: "t",
            [`${V}:e2bTemplateAlias`]: "a",
        };
        const profile = {
            deploymentProfile: "cloud",
            defaultSandboxProvider: "e2b",
            integrationsEnabled: false,
        } as const;
        const parsed = parseServicesConfig(new MapConfigSource(base, "dev"), "development", profile, SERVICES);
        expect(parsed.images).to.deep.include({ tag: undefined, source: "bootstrap" });
        const withTag = parseServicesConfig(new MapConfigSource(base, "dev"), "development", profile, SERVICES, {
            previous: { imageTag: "v7" },
        });
        expect(withTag.images).to.deep.include({ tag: "v7", source: "deployed" });
        expect(withTag.images.perService).to.deep.equal({ worker: "v7", gateway: "v7", "llm-proxy": "v7" });
    });
});
