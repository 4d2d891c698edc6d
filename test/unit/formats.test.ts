import { expect } from "chai";
import * as fc from "fast-check";
import {
    checkArn,
    checkAwsRegion,
    checkEmail,
    checkUrl,
    formatIpv4,
    isPlaceholder,
    isPrivateIpv4Cidr,
    parseIpv4Cidr,
} from "../../shared/config/formats";

describe("config formats", () => {
    describe("isPlaceholder", () => {
        const placeholders = [
            "",
            "   ",
            "changeme",
            "CHANGEME",
            "change-me",
            "replace-me",
            "TODO",
            "xxx",
            "XXXXXX",
            "<your key>",
            "changeme123",
            "${SECRET}",
            "...",
        ];
        const real = ["sk-ant-api03-abc", "7f3a9c1e2b", "proliferate", "10.0.0.0/16", "todolist-app", "xx"];
        for (const v of placeholders) it(`rejects ${JSON.stringify(v)}`, () => expect(isPlaceholder(v)).to.be.true);
        for (const v of real) it(`accepts ${JSON.stringify(v)}`, () => expect(isPlaceholder(v)).to.be.false);
    });

    describe("parseIpv4Cidr", () => {
        it("parses aligned blocks", () =>
            expect(parseIpv4Cidr("10.0.0.0/16")).to.deep.equal({ network: 10 * 2 ** 24, prefix: 16 }));
        for (const bad of ["10.0.0/16", "10.0.0.0", "256.0.0.0/8", "10.0.0.0/33", "a.b.c.d/8"]) {
            it(`rejects ${bad}`, () => expect(parseIpv4Cidr(bad)).to.be.a("string"));
        }
        it("names the aligned block when host bits are set", () =>
            expect(parseIpv4Cidr("10.0.1.0/16")).to.include("10.0.0.0/16"));
        it("property: every aligned block round-trips through formatIpv4", () => {
            fc.assert(
                fc.property(
                    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
                    fc.integer({ min: 0, max: 32 }),
                    (addr, prefix) => {
                        const size = 2 ** (32 - prefix);
                        const network = addr - (addr % size);
                        expect(parseIpv4Cidr(`${formatIpv4(network)}/${prefix}`)).to.deep.equal({ network, prefix });
                    },
                ),
            );
        });
        it("knows the private ranges", () => {
            const priv = (c: string) => isPrivateIpv4Cidr(parseIpv4Cidr(c) as { network: number; prefix: number });
            expect(priv("10.0.0.0/16")).to.be.true;
            expect(priv("172.31.0.0/16")).to.be.true;
            expect(priv("172.32.0.0/16")).to.be.false;
            expect(priv("192.168.10.0/24")).to.be.true;
            expect(priv("8.8.8.0/24")).to.be.false;
            expect(priv("0.0.0.0/0")).to.be.false;
        });
    });

    it("checks region names", () => {
        for (const ok of ["us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1"])
            expect(checkAwsRegion(ok), ok).to.equal(undefined);
        for (const bad of ["us-east", "useast1", "US-EAST-1", "mars-north-1"])
            expect(checkAwsRegion(bad), bad).to.be.a("string");
    });

    it("checks ARNs by service and resource type", () => {
        expect(checkArn("arn:aws:acm:us-east-1:123456789012:certificate/abc", "acm", "certificate/")).to.equal(
            undefined,
        );
        expect(checkArn("arn:aws:iam::123456789012:role/x", "acm", "certificate/")).to.include(
            "expected acm:certificate/",
        );
        expect(checkArn("not-an-arn", "acm")).to.include("is not an ARN");
    });

    it("checks URLs and e-mail addresses", () => {
        expect(checkUrl("https://app.example.com")).to.equal(undefined);
        expect(checkUrl("ftp://example.com")).to.include("https");
        expect(checkUrl("example.com")).to.include("absolute URL");
        expect(checkEmail("noreply@example.com")).to.equal(undefined);
        expect(checkEmail("Proliferate <noreply@example.com>")).to.equal(undefined);
        expect(checkEmail("noreply@")).to.be.a("string");
    });
});
