import { expect } from "chai";
import { AWSX_PROGRAM } from "./harness/programs";
import { engineBinDir, Sandbox } from "./harness/sandbox";

// The simulated awsx plugin under the real engine: awsx.ec2.Vpc's construct creates the aws child
// resources through the simulated aws plugin, and its resource outputs rehydrate in the program.
//   npx mocha --no-config --timeout 600000 dist/test/engine/awsx.e2e.js

interface ExportedResource {
    type: string;
    urn: string;
    parent?: string;
}

describe("simulated awsx on the real engine: ec2.Vpc", function () {
    this.timeout(900_000);
    let box: Sandbox;
    let dir: string;

    before(function () {
        const bin = engineBinDir();
        if (!bin) {
            console.log("    (no Pulumi engine: run tools/pulumi-engine/build.sh or set PULUMI_ENGINE_BIN)");
            this.skip();
        }
        box = new Sandbox(bin);
        dir = box.project("network", AWSX_PROGRAM);
        box.ok(dir, ["stack", "init", "dev"]);
        box.ok(dir, ["config", "set", "aws:region", "us-east-1"]);
        box.ok(dir, ["up", "--yes", "--skip-preview"]);
    });

    after(function () {
        if (!box) return;
        box.pulumi(dir, ["destroy", "--yes", "--skip-preview"]);
        box.dispose();
    });

    it("returns the outputs the foundation layer reads, with subnets inside the VPC", () => {
        const out = JSON.parse(box.ok(dir, ["stack", "output", "--json"]).stdout) as Record<string, unknown>;
        expect(out["vpcId"]).to.match(/^vpc-0[0-9a-f]{16}$/);
        expect(out["publicSubnetIds"]).to.have.length(2);
        expect(out["privateSubnetIds"]).to.have.length(2);
        expect(out["natGatewayCount"]).to.equal(1);
        expect(out["subnetCidrs"]).to.deep.equal(["10.0.64.0/19", "10.0.0.0/18", "10.0.192.0/19", "10.0.128.0/18"]);
        expect(out["vpcTags"]).to.deep.equal({ Name: "net", env: "e2e" });
    });

    it("creates awsx's children under the component, in awsx's parent chain", () => {
        const exported = JSON.parse(box.ok(dir, ["stack", "export"]).stdout) as {
            deployment: { resources: ExportedResource[] };
        };
        const resources = exported.deployment.resources;
        const count = (type: string) => resources.filter((r) => r.type === type).length;
        expect(count("awsx:ec2:Vpc")).to.equal(1);
        expect(count("aws:ec2/vpc:Vpc")).to.equal(1);
        expect(count("aws:ec2/subnet:Subnet")).to.equal(4);
        expect(count("aws:ec2/routeTable:RouteTable")).to.equal(4);
        expect(count("aws:ec2/routeTableAssociation:RouteTableAssociation")).to.equal(4);
        expect(count("aws:ec2/route:Route")).to.equal(4);
        expect(count("aws:ec2/natGateway:NatGateway")).to.equal(1);
        expect(count("aws:ec2/eip:Eip")).to.equal(1);
        expect(count("aws:ec2/internetGateway:InternetGateway")).to.equal(1);
        const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
        expect(vpc?.parent).to.match(/awsx:ec2:Vpc::net$/);
    });

    it("a second up is a no-op", () => {
        const preview = JSON.parse(box.ok(dir, ["preview", "--json"]).stdout) as {
            changeSummary?: Record<string, number>;
        };
        expect(Object.keys(preview.changeSummary ?? {}).filter((k) => k !== "same")).to.deep.equal([]);
    });
});
