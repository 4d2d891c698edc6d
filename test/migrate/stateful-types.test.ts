import { expect } from "chai";
import { join } from "node:path";
import { isStatefulOrNetworked } from "../../scripts/migrate/apply-preview";
import { isStateful, loadRules } from "../../scripts/migrate/rules";

const ROOT = join(__dirname, "..", "..", "..");

describe("migration: one notion of a stateful or networked resource", () => {
    it("migrate-apply's preview check refuses exactly the types migrate-plan's rules call stateful", () => {
        const rules = loadRules(ROOT);
        const disagree = Object.keys(rules.types).filter((t) => isStateful(rules, t) !== isStatefulOrNetworked(t));
        expect(disagree, "types the plan and the apply judge differently").to.deep.equal([]);
        expect(Object.keys(rules.types).filter((t) => isStateful(rules, t)).length).to.be.greaterThan(10);
    });

    it("counts a KMS key, a subnet an awsx Vpc constructs and an RDS instance, not a task definition or an IAM policy", () => {
        for (const t of ["aws:kms/key:Key", "aws:ec2/subnet:Subnet", "aws:rds/instance:Instance"])
            expect(isStatefulOrNetworked(t), t).to.equal(true);
        for (const t of ["aws:ecs/taskDefinition:TaskDefinition", "aws:iam/rolePolicy:RolePolicy"])
            expect(isStatefulOrNetworked(t), t).to.equal(false);
    });
});
