import { IMAGE_TAG_ENV } from "../../shared/image-deployment";
import { PROJECT_NAMES } from "../../shared/layers";
import { badConfigTable } from "../harness/bad-config";
import { runChain, type Chain } from "../harness/chain";
import { dataOptions, foundationOptions, servicesOptions, type Profile } from "../harness/fixtures";
import { runLayer, type UpstreamState } from "../harness/mocks";

/**
 * Invalid configurations of what makes the layers work together once deployed: an external
 * database the tasks could not reach, host names a certificate does not cover, image tags from the
 * environment or the stack's own outputs. Each is refused before any resource is created.
 */

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;
const V = PROJECT_NAMES.services;

let foundationProgram: typeof import("../../stacks/foundation/program");
let dataProgram: typeof import("../../stacks/data/program");
let servicesProgram: typeof import("../../stacks/services/program");
let chains: Record<Profile, Chain>;
let devFoundation: UpstreamState;
/** Development foundation with an external database at 10.200.0.0/16 on 5432. */
let externalDbFoundation: UpstreamState;

before(async () => {
    foundationProgram = await import("../../stacks/foundation/program");
    dataProgram = await import("../../stacks/data/program");
    servicesProgram = await import("../../stacks/services/program");
    chains = { dev: await runChain("dev"), prod: await runChain("prod") };
    devFoundation = (await runLayer(() => foundationProgram.foundation(), foundationOptions("dev"))).asUpstream();
    externalDbFoundation = (
        await runLayer(
            () => foundationProgram.foundation(),
            foundationOptions("dev", { [`${F}:externalDatabaseCidrs`]: '["10.200.0.0/16"]' }),
        )
    ).asUpstream();
});

badConfigTable(
    "foundation (external database)",
    [
        {
            title: "external database open to the internet",
            config: { [`${F}:externalDatabaseCidrs`]: '["0.0.0.0/0"]' },
            keys: [`${F}:externalDatabaseCidrs`, "wider than /8"],
            fixes: [`pulumi config set ${F}:externalDatabaseCidrs`],
        },
        {
            title: "external database port without its blocks is not silently ignored",
            config: { [`${F}:externalDatabasePort`]: "6432" },
            keys: [`${F}:externalDatabasePort`, "ignored"],
            fixes: [`pulumi config rm ${F}:externalDatabasePort`, `${F}:externalDatabaseCidrs`],
        },
    ],
    (c) => ({ program: () => foundationProgram.foundation(), opts: foundationOptions(c.profile ?? "dev", c.config) }),
);

const OVERRIDE_PASSWORD = "ext-db-pass-5c1e";
badConfigTable(
    "data (external database, enableRds=false)",
    [
        {
            title: "no path from the tasks to it: foundation has no externalDatabaseCidrs",
            config: {
                [`${D}:enableRds`]: "false",
                [`${D}:dbPassword`]: "<unset>",
                [`${D}:databaseUrlOverride`]: `postgresql://app:${OVERRIDE_PASSWORD}@db.example.com:5432/app`,
            },
            keys: [`${D}:enableRds`, "externalDatabaseCidrs"],
            fixes: [`cd stacks/foundation && pulumi config set ${F}:externalDatabaseCidrs`, "pulumi up"],
            never: [OVERRIDE_PASSWORD],
        },
        {
            title: "a port foundation does not open",
            config: {
                [`${D}:enableRds`]: "false",
                [`${D}:dbPassword`]: "<unset>",
                [`${D}:databaseUrlOverride`]: `postgresql://app:${OVERRIDE_PASSWORD}@10.200.1.5:6543/app`,
            },
            keys: [`${D}:databaseUrlOverride`, "port 6543", "5432"],
            fixes: [`pulumi config set ${F}:externalDatabasePort 6543`],
            never: [OVERRIDE_PASSWORD],
        },
        {
            title: "an address outside foundation's blocks",
            config: {
                [`${D}:enableRds`]: "false",
                [`${D}:dbPassword`]: "<unset>",
                [`${D}:databaseUrlOverride`]: `postgresql://app:${OVERRIDE_PASSWORD}@10.99.0.5:5432/app`,
            },
            keys: [`${D}:databaseUrlOverride`, "10.200.0.0/16"],
            fixes: [`pulumi config set ${F}:externalDatabaseCidrs`],
            never: [OVERRIDE_PASSWORD],
        },
    ],
    (c) => ({
        program: () => dataProgram.data(),
        opts: dataOptions("dev", c.title.startsWith("no path") ? devFoundation : externalDbFoundation, c.config),
    }),
);

badConfigTable(
    "services (image tags and public names)",
    [
        {
            title: "the retired imageTag key, with the command that removes it",
            config: { [`${V}:imageTag`]: "git-3f2c1ab" },
            keys: [`${V}:imageTag`, "no longer read", IMAGE_TAG_ENV, "make deploy-services IMAGE_TAG="],
            fixes: [`pulumi config rm ${V}:imageTag --stack dev`],
        },
        {
            title: "bootstrap and a tag from the environment together",
            config: { [`${V}:bootstrap`]: "true" },
            keys: [`${V}:bootstrap`, IMAGE_TAG_ENV],
            fixes: [`pulumi config rm ${V}:bootstrap`],
        },
        {
            title: "bootstrap on a stack that already runs a tag",
            config: { [`${V}:bootstrap`]: "true" },
            env: { [IMAGE_TAG_ENV]: undefined },
            previous: { outputs: { imageTag: "git-1111111" }, secretOutputNames: [] },
            keys: [`${V}:bootstrap`, "already runs image tag git-1111111"],
            fixes: [`pulumi config rm ${V}:bootstrap`],
        },
        {
            title: "invalid image tag in the environment",
            env: { [IMAGE_TAG_ENV]: "has space" },
            config: {},
            keys: [IMAGE_TAG_ENV, "has space", "not an image tag"],
            fixes: [`${IMAGE_TAG_ENV}=git-3f2c1ab pulumi up`],
        },
        {
            title: "production refuses a mutable tag from the environment",
            profile: "prod",
            env: { [IMAGE_TAG_ENV]: "latest" },
            config: {},
            keys: [IMAGE_TAG_ENV, "mutable"],
            fixes: [`${IMAGE_TAG_ENV}=git-3f2c1ab pulumi up`],
        },
        {
            title: "an older stack whose services run different tags, and no tag given",
            env: { [IMAGE_TAG_ENV]: undefined },
            previous: {
                outputs: { images: { worker: "repo/worker:v1", gateway: "repo/gateway:v2", "llm-proxy": "repo/p:v1" } },
                secretOutputNames: [],
            },
            config: {},
            keys: [IMAGE_TAG_ENV, "different tags", "gateway: repo/gateway:v2"],
            fixes: [`${IMAGE_TAG_ENV}=<tag> pulumi up`],
        },
        {
            title: "the retired publicUrls key, with the equivalent domains",
            config: { [`${V}:publicUrls`]: '{"gateway":"https://api.example.com"}' },
            keys: [`${V}:publicUrls`, "replaced by domains"],
            fixes: [`pulumi config rm ${V}:publicUrls && pulumi config set ${V}:domains '{"gateway":"api.example.com"`],
        },
        {
            title: "production without host names",
            profile: "prod",
            config: {
                [`${V}:domains`]: "<unset>",
                [`${V}:hostedZoneId`]: "<unset>",
                [`${V}:certificateDomains`]: "<unset>",
            },
            keys: [`${V}:domains`, "gateway, llm-proxy", "production"],
            fixes: [`pulumi config set ${V}:domains`],
        },
        {
            title: "a certificate without host names (development)",
            config: { [`${V}:certificateArn`]: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
            keys: [`${V}:domains`, "no certificate covers a load balancer's AWS name"],
            fixes: [`pulumi config set ${V}:domains`],
        },
        {
            title: "a certificate whose names do not cover a domain",
            profile: "prod",
            config: { [`${V}:certificateDomains`]: '["*.example.org","example.com"]' },
            keys: [`${V}:certificateDomains`, "do not cover gateway.example.com, llm-proxy.example.com"],
            fixes: [
                `pulumi config set ${V}:certificateArn 'arn:aws:acm:`,
                `pulumi config set ${V}:certificateDomains '["*.example.org","example.com","gateway.example.com","llm-proxy.example.com"]'`,
            ],
        },
        {
            title: "a wildcard covers one label only",
            profile: "prod",
            config: { [`${V}:domains`]: '{"gateway":"api.eu.example.com","llm-proxy":"llm.example.com"}' },
            keys: [`${V}:certificateDomains`, "do not cover api.eu.example.com"],
            fixes: [`pulumi config set ${V}:certificateArn`],
        },
        {
            title: "a domain for a private service",
            config: { [`${V}:domains`]: '{"worker":"w.example.com"}' },
            keys: [`${V}:domains`, "worker", "not a public service"],
            fixes: [`pulumi config set ${V}:domains`],
        },
        {
            title: "a URL where a host name belongs",
            config: { [`${V}:domains`]: '{"gateway":"https://api.example.com"}' },
            keys: [`${V}:domains`, "give the host name only"],
            fixes: [`pulumi config set ${V}:domains`],
        },
        {
            title: "one host name for two services",
            config: { [`${V}:domains`]: '{"gateway":"api.example.com","llm-proxy":"api.example.com"}' },
            keys: [`${V}:domains`, "more than one service"],
            fixes: [`pulumi config set ${V}:domains`],
        },
        {
            title: "a hosted zone without host names",
            config: { [`${V}:hostedZoneId`]: "Z0TESTZONE12345" },
            keys: [`${V}:domains`, "hostedZoneId"],
            fixes: [`pulumi config set ${V}:domains`],
        },
        {
            title: "certificate names without a certificate are not silently ignored",
            config: { [`${V}:certificateDomains`]: '["*.example.com"]' },
            keys: [`${V}:certificateDomains`, "ignored"],
            fixes: [`pulumi config rm ${V}:certificateDomains`],
        },
    ],
    (c) => {
        const chain = chains[c.profile ?? "dev"];
        return {
            program: () => servicesProgram.services(),
            opts: servicesOptions(
                c.profile ?? "dev",
                { foundation: chain.foundation.asUpstream(), secrets: chain.secrets.asUpstream() },
                c.config,
                { ...(c.env ? { env: c.env } : {}), ...(c.previous ? { previous: c.previous } : {}) },
            ),
        };
    },
);
