import { resourcePolicy, type ProjectPolicy } from "../../rules";

/** KMS: keys the project creates rotate (Security Hub KMS.4). */
export const kmsPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "kms-key-rotation",
        control: "KMS.4",
        level: "mandatory",
        why: "keys the project creates rotate yearly",
        types: ["aws:kms/key:Key"],
        check: (r, fail) => {
            if (
                r.props["enableKeyRotation"] !== true &&
                (r.props["customerMasterKeySpec"] ?? r.props["keySpec"] ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT"
            )
                fail("key rotation is off", "set enableKeyRotation: true");
        },
    }),
];
