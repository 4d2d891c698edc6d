import { z } from "zod";
import type { ExternalDatabase } from "../connections";
import { classDefaults, ENVIRONMENT_CLASSES, isProductionLike, type EnvironmentSettings } from "../environment";
import { PROJECT_NAMES } from "../layers";
import { isValidNameSegment } from "../naming";
import { checkUserTags } from "../tags";
import { checkAwsRegion, isPrivateIpv4Cidr, parseIpv4Cidr } from "./formats";
import { cidrListSchema, retentionField } from "./common";
import { field } from "./field";
import { IssueList } from "./issues";
import { parseFields } from "./parse";
import type { ConfigSource } from "./source";

const PROJECT = PROJECT_NAMES.foundation;

function nameSegment(max: number) {
    return (v: string) =>
        isValidNameSegment(v) && v.length <= max
            ? undefined
            : `must be lower-case letters, digits and single hyphens, start with a letter, at most ${max} characters`;
}

/** Every config key of the foundation layer. */
export const foundationFields = {
    region: field
        .string("AWS region of the whole environment; downstream layers use it too.", "us-east-1")
        .inNamespace("aws")
        .required()
        .check(checkAwsRegion),
    appName: field
        .string("Application name, first part of every physical name.", "proliferate")
        .default("proliferate")
        .check(nameSegment(16)),
    environment: field
        .string("Environment name, second part of every physical name. Default: the stack name.", "dev")
        .check(nameSegment(10)),
    environmentClass: field
        .enum(
            ENVIRONMENT_CLASSES,
            "production turns on protection, deletion protection, final snapshots, multi-AZ and NAT per AZ; development trades availability for cost.",
        )
        .required(),
    tags: field
        .json(
            "Extra tags for every resource of the environment, as a JSON object.",
            '{"cost-center":"platform"}',
            z.record(z.string(), z.string()),
        )
        .default({})
        .check((t) => checkUserTags(t)[0]),
    vpcCidr: field
        .string("IPv4 CIDR block of the VPC, a private range from /16 to /22.", "10.0.0.0/16")
        .default("10.0.0.0/16")
        .check((v) => {
            const c = parseIpv4Cidr(v);
            if (typeof c === "string") return c;
            if (!isPrivateIpv4Cidr(c))
                return "is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)";
            return c.prefix < 16 || c.prefix > 22 ? "must have a prefix from /16 to /22" : undefined;
        }),
    availabilityZoneCount: field
        .integer("Number of availability zones (2-3); each gets a public and a private subnet.", 2, 3)
        .default(2),
    natGateways: field.enum(
        ["perAz", "single"] as const,
        "perAz: one NAT gateway per AZ (HA); single: one for the VPC (cheaper, dev). Default: perAz for production, single otherwise.",
    ),
    flowLogsEnabled: field.boolean("VPC flow logs to CloudWatch Logs. Default: on for production, off otherwise."),
    flowLogsRetentionDays: retentionField("Retention of the VPC flow log group, in days.").default(90),
    dbAllowedCidrs: field
        .json(
            "Extra IPv4 CIDR blocks allowed to reach Postgres on 5432 (e.g. a VPN), as a JSON list.",
            '["10.100.0.0/16"]',
            cidrListSchema,
        )
        .default([]),
    externalDatabaseCidrs: field
        .json(
            "IPv4 CIDR blocks of an external Postgres (the data layer's enableRds=false); tasks that read DATABASE_URL may connect there on externalDatabasePort. As a JSON list.",
            '["10.200.0.0/24"]',
            cidrListSchema,
        )
        .default([]),
    externalDatabasePort: field
        .integer("TCP port of the external database (with externalDatabaseCidrs).", 1, 65535)
        .default(5432),
};

/** The foundation layer's parsed config. */
export interface FoundationConfig {
    /** Environment-wide settings, exported for the other layers. */
    env: EnvironmentSettings;
    /** VPC CIDR block. */
    vpcCidr: string;
    /** Number of AZs. */
    availabilityZoneCount: number;
    /** NAT strategy. */
    natGateways: "perAz" | "single";
    /** Flow logs on or off. */
    flowLogsEnabled: boolean;
    /** Flow log retention in days. */
    flowLogsRetentionDays: number;
    /** Extra CIDR blocks admitted to Postgres. */
    dbAllowedCidrs: string[];
    /** Where tasks may reach an external database, or null when none is configured. */
    externalDatabase: ExternalDatabase | null;
}

/** Parses and checks the foundation config; throws one ConfigError listing every problem. */
export function parseFoundationConfig(source: ConfigSource): FoundationConfig {
    const issues = new IssueList(PROJECT);
    const v = parseFields(source, foundationFields, issues);
    const environment = v.environment ?? source.stack;
    if (v.environment === undefined && nameSegment(10)(environment) !== undefined) {
        issues.add(
            "environment",
            foundationFields.environment,
            `is not set and the stack name "${environment}" ${nameSegment(10)(environment)}; set a valid environment name`,
        );
    }
    // Production-only rules fire only for a class that is set and valid (a missing one is its own problem).
    const prod = v.environmentClass !== undefined && isProductionLike(v.environmentClass);
    const defaults = classDefaults(v.environmentClass ?? "production");
    if (prod && v.natGateways === "single") {
        issues.add(
            "natGateways",
            foundationFields.natGateways,
            "is single, but production environments need a NAT gateway per AZ so one AZ outage does not cut egress",
            "perAz",
        );
    }
    if (prod && v.flowLogsEnabled === false) {
        issues.add(
            "flowLogsEnabled",
            foundationFields.flowLogsEnabled,
            "is false, but production environments keep VPC flow logs (Security Hub EC2.6)",
            "true",
        );
    }
    const flowLogsEnabled = v.flowLogsEnabled ?? defaults.flowLogs;
    if (!flowLogsEnabled && source.get(PROJECT, "flowLogsRetentionDays") !== undefined) {
        issues.ignored(
            "flowLogsRetentionDays",
            "flow logs are off",
            `pulumi config set ${PROJECT}:flowLogsEnabled true`,
        );
    }
    // An invalid list is reported already and left undefined by the parser.
    const externalCidrs = v.externalDatabaseCidrs ?? [];
    if (externalCidrs.length === 0 && source.get(PROJECT, "externalDatabasePort") !== undefined) {
        issues.ignored(
            "externalDatabasePort",
            "externalDatabaseCidrs is empty",
            `pulumi config set ${PROJECT}:externalDatabaseCidrs '${foundationFields.externalDatabaseCidrs.example}'`,
        );
    }
    issues.throwIfAny(source.stack);
    return {
        env: { app: v.appName, name: environment, class: v.environmentClass, region: v.region, tags: v.tags },
        vpcCidr: v.vpcCidr,
        availabilityZoneCount: v.availabilityZoneCount,
        natGateways: v.natGateways ?? (defaults.natPerAz ? "perAz" : "single"),
        flowLogsEnabled,
        flowLogsRetentionDays: v.flowLogsRetentionDays,
        dbAllowedCidrs: v.dbAllowedCidrs,
        externalDatabase: externalCidrs.length > 0 ? { cidrs: externalCidrs, port: v.externalDatabasePort } : null,
    };
}
