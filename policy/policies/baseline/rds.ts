import { resourcePolicy, TYPES, type ProjectPolicy } from "../../rules";

/** RDS controls of AWS Security Hub FSBP, mandatory in every environment. */
export const databasePolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "rds-2-not-public",
        control: "RDS.2",
        level: "mandatory",
        why: "a database reachable from the internet is one leaked password away from a breach",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["publiclyAccessible"] === true)
                fail("publiclyAccessible is true", "set publiclyAccessible: false and reach it from inside the VPC");
        },
    }),
    resourcePolicy({
        name: "rds-3-encrypted",
        control: "RDS.3",
        level: "mandatory",
        why: "storage, snapshots and backups must be encrypted at rest",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["storageEncrypted"] !== true)
                fail("storage is not encrypted", "set storageEncrypted: true (changing it replaces the instance)");
        },
    }),
    resourcePolicy({
        name: "rds-11-automatic-backups",
        control: "RDS.11",
        level: "mandatory",
        why: "automatic backups are the only way back from a bad migration or a deleted table",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (!(Number(r.props["backupRetentionPeriod"] ?? 0) >= 1))
                fail("automatic backups are off", "set backupRetentionPeriod to 1-35 days");
        },
    }),
    resourcePolicy({
        name: "rds-13-minor-upgrades",
        control: "RDS.13",
        level: "mandatory",
        why: "minor versions carry security fixes",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["autoMinorVersionUpgrade"] === false)
                fail("automatic minor version upgrades are off", "set autoMinorVersionUpgrade: true");
        },
    }),
    resourcePolicy({
        name: "rds-17-copy-tags-to-snapshots",
        control: "RDS.17",
        level: "mandatory",
        why: "snapshots must carry the owner and environment tags of their database",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["copyTagsToSnapshot"] !== true)
                fail("tags are not copied to snapshots", "set copyTagsToSnapshot: true");
        },
    }),
];
