import { expect } from "chai";
import * as fc from "fast-check";
import { certificateNameCovers, checkCertificateName, checkHostName, uncoveredHosts } from "../../shared/domains";

describe("host names and certificate names (pure)", () => {
    const table: Array<[name: string, host: string, covers: boolean]> = [
        ["api.example.com", "api.example.com", true],
        ["API.example.com", "api.EXAMPLE.com", true],
        ["*.example.com", "api.example.com", true],
        ["*.example.com", "example.com", false],
        ["*.example.com", "a.b.example.com", false],
        ["*.example.com", "api.example.org", false],
        ["example.com", "api.example.com", false],
        ["*.eu.example.com", "api.eu.example.com", true],
    ];
    for (const [name, host, covers] of table) {
        it(`${name} ${covers ? "covers" : "does not cover"} ${host}`, () =>
            expect(certificateNameCovers(name, host)).to.equal(covers));
    }

    it("lists the hosts no name covers", () => {
        expect(uncoveredHosts(["api.example.com", "example.com", "llm.example.org"], ["*.example.com"])).to.deep.equal([
            "example.com",
            "llm.example.org",
        ]);
    });

    it("accepts host names and refuses URLs, single labels, upper case and bad labels", () => {
        expect(checkHostName("api.example.com")).to.equal(undefined);
        expect(checkHostName("https://api.example.com")).to.include("host name only");
        expect(checkHostName("localhost")).to.include("fully qualified");
        expect(checkHostName("API.example.com")).to.include("lower-case");
        expect(checkHostName("-api.example.com")).to.include("inner hyphens");
        expect(checkCertificateName("*.example.com")).to.equal(undefined);
        expect(checkCertificateName("*.*.example.com")).not.to.equal(undefined);
    });

    it("property: a wildcard covers exactly the hosts one label below it", () => {
        const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
        fc.assert(
            fc.property(
                fc.array(label, { minLength: 1, maxLength: 3 }),
                label,
                fc.integer({ min: 0, max: 2 }),
                (base, l, extra) => {
                    const zone = [...base, "com"].join(".");
                    const host = [...Array<string>(extra).fill("x"), l, zone].join(".");
                    expect(certificateNameCovers(`*.${zone}`, host)).to.equal(extra === 0);
                },
            ),
        );
    });
});
