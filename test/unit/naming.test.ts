import { expect } from "chai";
import * as fc from "fast-check";
import { NAME_LIMITS, Namer, PHYSICAL_NAME_PATTERN, physicalName } from "../../shared/naming";

const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,3}$/);

describe("physicalName", () => {
    const table: Array<[string, string, string, number, string]> = [
        ["short names are joined as they are", "proliferate", "dev", 32, "proliferate-dev-gateway"],
        ["upper case and stray characters are normalised", "Proliferate", "dev", 63, "proliferate-dev-llm-proxy"],
    ];
    for (const [title, app, env, max, expected] of table) {
        it(title, () => {
            expect(physicalName({ app, env }, title.includes("stray") ? "LLM__proxy" : "gateway", max)).to.equal(
                expected,
            );
        });
    }

    it("shortens a name over the limit to a prefix plus a stable 6-character hash", () => {
        const name = physicalName({ app: "proliferate", env: "staging" }, "llm-proxy-target", NAME_LIMITS.targetGroup);
        expect(name).to.have.length.at.most(32);
        // 32 characters = the first 25 of the full name, a hyphen, 6 hex characters of its hash.
        const full = "proliferate-staging-llm-proxy-target";
        expect(name.slice(0, 26)).to.equal(`${full.slice(0, 25)}-`);
        expect(name.slice(26)).to.match(/^[0-9a-f]{6}$/);
        expect(
            physicalName({ app: "proliferate", env: "staging" }, "llm-proxy-target", NAME_LIMITS.targetGroup),
        ).to.equal(name);
    });

    it("refuses a limit too small to hold a hash", () => {
        expect(() => physicalName({ app: "a", env: "b" }, "c", 5)).to.throw(/maxLength 5/);
    });

    it("property: always within the limit, well-formed, deterministic", () => {
        fc.assert(
            fc.property(segment, segment, segment, fc.integer({ min: 8, max: 80 }), (app, env, role, max) => {
                const name = physicalName({ app, env }, role, max);
                expect(name.length).to.be.at.most(max);
                expect(name).to.match(PHYSICAL_NAME_PATTERN);
                expect(physicalName({ app, env }, role, max)).to.equal(name);
            }),
        );
    });

    it("property: different roles give different names, even when shortened", () => {
        fc.assert(
            fc.property(segment, segment, segment, segment, fc.integer({ min: 12, max: 40 }), (app, env, a, b, max) => {
                fc.pre(a !== b);
                expect(physicalName({ app, env }, a, max)).not.to.equal(physicalName({ app, env }, b, max));
            }),
        );
    });

    it("builds path-style names for Secrets Manager and ECR", () => {
        expect(new Namer({ app: "proliferate", env: "prod" }).path("worker")).to.equal("proliferate/prod/worker");
    });
});
