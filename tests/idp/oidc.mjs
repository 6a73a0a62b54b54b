// An OpenID Connect provider for the tests: the certified `oidc-provider` package, on
// 127.0.0.1. Its configuration (issuer, port, clients, accounts) comes as JSON in the
// environment variable OIDC_TEST_CONFIG. Signing in is a small form of our own (the
// account and how it authenticated, i.e. the acr), the rest is the package as shipped:
// discovery, PKCE (required), the code flow, ID tokens signed with its own keys,
// RP-initiated and back-channel logout.
import http from "node:http";
import { URLSearchParams } from "node:url";
import Provider from "oidc-provider";

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const accounts = config.accounts;

const provider = new Provider(config.issuer, {
  clients: config.clients,
  pkce: { required: () => true },
  scopes: ["openid", "email", "profile", "offline_access"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
  },
  acrValues: config.acrValues,
  findAccount: async (ctx, id) =>
    accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
    backchannelLogout: { enabled: true },
  },
  ttl: { IdToken: config.idTokenSeconds ?? 3600, AccessToken: 600, AuthorizationCode: 60 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["samverkan-test-idp"] },
  // The package refuses to post to special-use addresses (its SSRF guard); here every
  // party is on 127.0.0.1, so its outgoing requests (the logout tokens) go out plain.
  fetch: (url, options) => {
    delete options.dispatcher;
    return globalThis.fetch(url, options);
  },
});
provider.proxy = false;
provider.on("backchannel.error", (ctx, err) => console.error("back-channel logout failed", err));

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><title>IdP</title><form method="post" action="/interaction/${escape(uid)}">` +
        `<label>Account <input name="account"></label>` +
        `<label>acr <input name="acr" value="${escape(config.acrValues[0])}"></label>` +
        `<button>Sign in</button></form>`,
    );
    return;
  }
  let body = "";
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  const accountId = form.get("account");
  if (!accounts[accountId]) {
    res.writeHead(401, { "Content-Type": "text/plain" });
    res.end("unknown account");
    return;
  }
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId, acr: form.get("acr") }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

const callback = provider.callback();
http
  .createServer((req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)/);
    if (match) {
      interaction(req, res, match[1]).catch((error) => {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end(String(error));
      });
      return;
    }
    callback(req, res);
  })
  .listen(config.port, "127.0.0.1", () => console.log(`listening ${config.issuer}`));
