import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS, type Namer } from "../naming";
import { POSTGRES_PORT } from "../network-plan";
import { postgresUrl } from "../urls";

/** Arguments of {@link PostgresDatabase}. */
export interface PostgresDatabaseArgs {
    /** Engine version: a major (`16`) or major.minor. */
    engineVersion: string;
    /** Parameter group family, e.g. `postgres16`. */
    parameterFamily: string;
    /** Instance class, e.g. `db.t4g.micro`. */
    instanceClass: string;
    /** Initial storage (GiB). */
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling (GiB); 0 turns autoscaling off. */
    maxAllocatedStorageGb: number;
    /** Database name. */
    dbName: string;
    /** Master user name. */
    username: string;
    /** Master password (secret). */
    password: pulumi.Input<string>;
    /** Multi-AZ standby. */
    multiAz: boolean;
    /** Days of automated backups (1-35). */
    backupRetentionDays: number;
    /** Private subnets for the subnet group. */
    subnetIds: pulumi.Input<string[]>;
    /** The Postgres security group from the foundation layer. */
    securityGroupId: pulumi.Input<string>;
    /** Production-like: protect, deletion protection, final snapshot, changes in the maintenance window. */
    productionLike: boolean;
    /** Physical names of the environment. */
    names: Namer;
}

/** An encrypted, private RDS Postgres instance that only accepts TLS connections. */
export class PostgresDatabase extends pulumi.ComponentResource {
    /** Instance endpoint host name. */
    readonly host: pulumi.Output<string>;
    /** Port (5432). */
    readonly port: number = POSTGRES_PORT;
    /** `postgresql://...?sslmode=require`, secret. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("proliferate:data:PostgresDatabase", name, {}, opts);
        const subnets = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                name: args.names.name("postgres", NAME_LIMITS.rdsGroup),
                description: "Private subnets for Postgres",
                subnetIds: args.subnetIds,
            },
            { parent: this },
        );
        const params = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: args.parameterFamily,
                description: `Postgres ${args.engineVersion}: TLS required (managed by Pulumi)`,
                // Refuse unencrypted connections on the server side, whatever the client asks for.
                parameters: [{ name: "rds.force_ssl", value: "1" }],
            },
            { parent: this },
        );
        const identifier = args.names.name("postgres", NAME_LIMITS.rdsIdentifier);
        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier,
                engine: "postgres",
                engineVersion: args.engineVersion,
                instanceClass: args.instanceClass,
                storageType: "gp3",
                allocatedStorage: args.allocatedStorageGb,
                maxAllocatedStorage: args.maxAllocatedStorageGb > 0 ? args.maxAllocatedStorageGb : undefined,
                storageEncrypted: true,
                dbName: args.dbName,
                username: args.username,
                password: args.password,
                port: POSTGRES_PORT,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [args.securityGroupId],
                parameterGroupName: params.name,
                publiclyAccessible: false,
                multiAz: args.multiAz,
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: "03:00-04:00",
                maintenanceWindow: "sun:05:00-sun:06:00",
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                deletionProtection: args.productionLike,
                skipFinalSnapshot: !args.productionLike,
                finalSnapshotIdentifier: args.productionLike ? `${identifier}-final` : undefined,
                applyImmediately: !args.productionLike,
            },
            { parent: this, protect: args.productionLike },
        );

        this.host = instance.address;
        this.url = pulumi.secret(
            pulumi.all([instance.address, args.password]).apply(([host, password]) =>
                postgresUrl({
                    host,
                    port: POSTGRES_PORT,
                    database: args.dbName,
                    username: args.username,
                    password,
                }),
            ),
        );
        this.registerOutputs({ host: this.host, port: this.port, url: this.url });
    }
}
