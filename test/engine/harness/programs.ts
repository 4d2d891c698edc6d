// Tiny JavaScript Pulumi programs the end-to-end tests deploy against the simulated AWS. Each reads
// stack config so one program can be stepped through changes with `pulumi config set`.

/** Secret + version, two security groups and a rule between them; config drives the changes. */
export const BASICS_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
const cfg = new pulumi.Config();

const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.20.0.0/16" });
const subnet = new aws.ec2.Subnet("subnet", { vpcId: vpc.id, cidrBlock: cfg.get("subnetCidr") || "10.20.1.0/24", availabilityZone: "us-east-1a" });
const db = new aws.ec2.SecurityGroup("db", { vpcId: vpc.id, description: cfg.get("dbDescription") || "database" });
const app = new aws.ec2.SecurityGroup("app", { vpcId: vpc.id, description: "application" });
new aws.vpc.SecurityGroupIngressRule("db-from-app", { securityGroupId: db.id, referencedSecurityGroupId: app.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });

const secret = new aws.secretsmanager.Secret("app", {
    name: cfg.get("secretName") || "e2e/app",
    description: cfg.get("secretDescription") || "e2e secret",
    recoveryWindowInDays: cfg.getNumber("recoveryWindow") ?? 7,
}, { protect: cfg.getBoolean("protect") || false });
const version = new aws.secretsmanager.SecretVersion("app", { secretId: secret.id, secretString: pulumi.secret(cfg.get("secretValue") || "v1") }, { parent: secret });

exports.vpcId = vpc.id;
exports.subnetId = subnet.id;
exports.dbGroupId = db.id;
exports.secretArn = secret.arn;
exports.secretName = secret.name;
exports.versionId = version.versionId;
exports.region = aws.getRegionOutput().region;
exports.account = aws.getCallerIdentityOutput().accountId;
`;

/** A security group rule in another stack, referencing a group of the basics stack (cross-stack dependency). */
export const PEER_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
const cfg = new pulumi.Config();
const basics = new pulumi.StackReference(cfg.require("basicsStack"));
const vpcId = basics.requireOutput("vpcId");
const dbGroupId = basics.requireOutput("dbGroupId");
const peer = new aws.ec2.SecurityGroup("peer", { vpcId, description: "peer in another stack" });
new aws.vpc.SecurityGroupEgressRule("peer-to-db", { securityGroupId: peer.id, referencedSecurityGroupId: dbGroupId, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
exports.peerGroupId = peer.id;
`;

/** An RDS instance with deletion protection from config. */
export const DATABASE_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
const cfg = new pulumi.Config();
const db = new aws.rds.Instance("db", {
    identifier: "e2e-postgres",
    engine: "postgres",
    engineVersion: "16",
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    storageEncrypted: true,
    username: "app",
    password: pulumi.secret("correct-horse-battery"),
    deletionProtection: cfg.getBoolean("deletionProtection") ?? true,
    skipFinalSnapshot: true,
});
exports.address = db.address;
exports.endpoint = db.endpoint;
exports.port = db.port;
exports.arn = db.arn;
`;

/** awsx.ec2.Vpc as the foundation layer uses it, with the outputs the layer reads. */
export const AWSX_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
const awsx = require("@pulumi/awsx");
const provider = new aws.Provider("aws", { region: "us-east-1", defaultTags: { tags: { env: "e2e" } } });
const vpc = new awsx.ec2.Vpc("net", {
    cidrBlock: "10.0.0.0/16",
    availabilityZoneNames: ["us-east-1a", "us-east-1b"],
    availabilityZoneCidrMask: 17,
    subnetStrategy: "Auto",
    subnetSpecs: [{ type: "Private", name: "private", cidrMask: 18 }, { type: "Public", name: "public", cidrMask: 19 }],
    natGateways: { strategy: "Single" },
    enableDnsHostnames: true,
}, { providers: [provider] });
new aws.ec2.VpcEndpoint("s3", {
    vpcId: vpc.vpcId,
    serviceName: "com.amazonaws.us-east-1.s3",
    vpcEndpointType: "Gateway",
    routeTableIds: vpc.routeTables.apply((tables) => pulumi.all(tables.map((t) => t.id))),
}, { provider });
exports.vpcId = vpc.vpcId;
exports.publicSubnetIds = vpc.publicSubnetIds;
exports.privateSubnetIds = vpc.privateSubnetIds;
exports.natGatewayCount = vpc.natGateways.apply((n) => n.length);
exports.subnetCidrs = vpc.subnets.apply((s) => pulumi.all(s.map((x) => x.cidrBlock)));
exports.vpcTags = vpc.vpc.apply((v) => v.tagsAll);
`;
