/** Type tokens of the aws resources the simulator implements (as @pulumi/aws 7.x registers them). */
export const T = {
    LogGroup: "aws:cloudwatch/logGroup:LogGroup",
    DefaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    FlowLog: "aws:ec2/flowLog:FlowLog",
    SecurityGroup: "aws:ec2/securityGroup:SecurityGroup",
    VpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    Vpc: "aws:ec2/vpc:Vpc",
    Subnet: "aws:ec2/subnet:Subnet",
    InternetGateway: "aws:ec2/internetGateway:InternetGateway",
    NatGateway: "aws:ec2/natGateway:NatGateway",
    Eip: "aws:ec2/eip:Eip",
    RouteTable: "aws:ec2/routeTable:RouteTable",
    Route: "aws:ec2/route:Route",
    RouteTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    IngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    EgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    EcrLifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    EcrRepository: "aws:ecr/repository:Repository",
    EcsCluster: "aws:ecs/cluster:Cluster",
    EcsService: "aws:ecs/service:Service",
    TaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    CacheParameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
    ReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    CacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    Role: "aws:iam/role:Role",
    RolePolicy: "aws:iam/rolePolicy:RolePolicy",
    Listener: "aws:lb/listener:Listener",
    LoadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    TargetGroup: "aws:lb/targetGroup:TargetGroup",
    DbInstance: "aws:rds/instance:Instance",
    DbParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    DbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    Secret: "aws:secretsmanager/secret:Secret",
    SecretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    HttpNamespace: "aws:servicediscovery/httpNamespace:HttpNamespace",
    Route53Record: "aws:route53/record:Record",
    Bucket: "aws:s3/bucket:Bucket",
    BucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    BucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    BucketOwnershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    BucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
} as const;

/** The type token from a resource URN (`urn:pulumi:stack::project::parent$type::name`). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? "";
}

/** The logical name from a resource URN. */
export function nameOfUrn(urn: string): string {
    return urn.split("::").slice(3).join("::");
}
