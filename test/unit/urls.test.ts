import { expect } from "chai";
import * as fc from "fast-check";
import { postgresUrl, redisUrl } from "../../shared/urls";

describe("connection URLs", () => {
    it("uses rediss:// with TLS and redis:// without", () => {
        expect(redisUrl("h", 6379, { tls: true, authToken: "tok" })).to.equal("rediss://:tok@h:6379");
        expect(redisUrl("h", 6379, { tls: false })).to.equal("redis://h:6379");
    });

    it("property: credentials with any characters survive URL parsing", () => {
        const text = fc.string({ minLength: 1, maxLength: 40 });
        fc.assert(
            fc.property(text, text, (username, password) => {
                const url = new URL(
                    postgresUrl({ host: "db.internal", port: 5432, database: "app", username, password }),
                );
                expect(decodeURIComponent(url.username)).to.equal(username);
                expect(decodeURIComponent(url.password)).to.equal(password);
                expect(url.searchParams.get("sslmode")).to.equal("require");
                expect(url.hostname).to.equal("db.internal");
            }),
        );
        fc.assert(
            fc.property(text, (token) => {
                expect(
                    decodeURIComponent(new URL(redisUrl("c.cache", 6379, { tls: true, authToken: token })).password),
                ).to.equal(token);
            }),
        );
    });
});
