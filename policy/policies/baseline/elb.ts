import { uncoveredHosts } from "../../../shared/domains";
import { CERTIFICATE_DOMAINS_TAG, DOMAIN_TAG } from "../../../shared/tags";
import {
    arr,
    obj,
    ofType,
    refs,
    resourcePolicy,
    stackPolicy,
    text,
    TYPES,
    type ProjectPolicy,
    type Res,
} from "../../rules";

/** Elastic Load Balancing controls of AWS Security Hub FSBP, plus the TLS policy of HTTPS listeners. */

/** TLS policies that allow only TLS 1.2+ with forward secrecy. */
export const RECOMMENDED_TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
];
const LB = TYPES.loadBalancers;
const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

export const loadBalancerPolicies: ProjectPolicy[] = [
    stackPolicy({
        name: "elb-1-redirect-http-to-https",
        control: "ELB.1",
        level: "mandatory",
        why: "with a certificate, plain HTTP must only redirect, or clients send credentials in clear",
        check: (resources, fail) => {
            const listeners = LISTENER.flatMap((t) => ofType(resources, t));
            const lbOf = (l: Res) => refs(l, "loadBalancerArn")[0]?.urn ?? "stack";
            const withHttps = new Set(listeners.filter((l) => l.props["protocol"] === "HTTPS").map(lbOf));
            for (const l of listeners.filter((x) => x.props["protocol"] === "HTTP" && withHttps.has(lbOf(x)))) {
                const actions = arr(l.props["defaultActions"]) as Array<{
                    type?: string;
                    redirect?: { protocol?: string };
                }>;
                if (!actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS")) {
                    fail(
                        l,
                        "an HTTP listener forwards traffic although the load balancer has HTTPS",
                        'make its default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }',
                    );
                }
            }
        },
    }),
    stackPolicy({
        name: "elb-https-host-name-covered",
        control: "ELB TLS names",
        level: "mandatory",
        why: "HTTPS works only for a host name the certificate covers, and none covers a load balancer's AWS name",
        check: (resources, fail) => {
            const https = LISTENER.flatMap((t) => ofType(resources, t)).filter((l) => l.props["protocol"] === "HTTPS");
            for (const l of https) {
                const lb = refs(l, "loadBalancerArn")[0];
                const domain = lb ? obj(lb.props["tags"])[DOMAIN_TAG] : undefined;
                if (typeof domain !== "string" || domain === "") {
                    fail(
                        l,
                        `serves HTTPS for a load balancer without a host name (tag ${DOMAIN_TAG}), so clients would use its AWS name`,
                        "set proliferate-services:domains for the service",
                    );
                    continue;
                }
                const names = obj(l.props["tags"])[CERTIFICATE_DOMAINS_TAG];
                if (typeof names === "string" && uncoveredHosts([domain], names.split(" ")).length > 0) {
                    fail(
                        l,
                        `its certificate's names (${names}) do not cover ${domain}`,
                        "use a certificate that covers it (proliferate-services:certificateArn and certificateDomains)",
                    );
                }
            }
        },
    }),
    resourcePolicy({
        name: "elb-4-drop-invalid-headers",
        control: "ELB.4",
        level: "mandatory",
        why: "malformed headers are a request-smuggling vector",
        types: LB,
        check: (r, fail) => {
            if (
                (r.props["loadBalancerType"] ?? "application") === "application" &&
                r.props["dropInvalidHeaderFields"] !== true
            )
                fail("invalid header fields are passed on", "set dropInvalidHeaderFields: true");
        },
    }),
    resourcePolicy({
        name: "elb-12-desync-mitigation",
        control: "ELB.12",
        level: "mandatory",
        why: "HTTP desync attacks poison other users' requests",
        types: LB,
        check: (r, fail) => {
            const mode = r.props["desyncMitigationMode"];
            if (mode !== undefined && mode !== "defensive" && mode !== "strictest")
                fail(`desyncMitigationMode is ${text(mode)}`, 'set desyncMitigationMode: "defensive" or "strictest"');
        },
    }),
    resourcePolicy({
        name: "elb-13-multiple-azs",
        control: "ELB.13",
        level: "mandatory",
        why: "a load balancer in one AZ goes down with it",
        types: LB,
        check: (r, fail) => {
            const n = Math.max(arr(r.props["subnets"]).length, arr(r.props["subnetMappings"]).length);
            if (n < 2) fail(`spans ${n} subnet(s)`, "give it subnets in two or more availability zones");
        },
    }),
    resourcePolicy({
        name: "elb-recommended-tls-policy",
        control: "ELB TLS",
        level: "mandatory",
        why: "HTTPS listeners allow only TLS 1.2 and 1.3 with forward secrecy",
        types: LISTENER,
        check: (r, fail) => {
            if (r.props["protocol"] === "HTTPS" && !RECOMMENDED_TLS_POLICIES.includes(String(r.props["sslPolicy"]))) {
                fail(
                    `sslPolicy is ${text(r.props["sslPolicy"] ?? "the default")}`,
                    `set sslPolicy: "${RECOMMENDED_TLS_POLICIES[0]}"`,
                );
            }
        },
    }),
];
