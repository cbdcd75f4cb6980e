#!/usr/bin/env node
/*
 * Node.js counterpart of the Python proof benchmark.
 *
 *   node benchmarks/node/proofs.mjs --credential FILE --key KEYFILE [--seconds 5]
 *        [--warmup 1] [--documents DOCS.json]
 *
 * FILE: an unsigned OB 3.0 credential. KEYFILE: {publicKeyMultibase,
 * secretKeyMultibase (or privateKeyMultibase), controller, id (or
 * verificationMethod)} plus optional privateJwk/publicJwk (Ed25519, for the
 * EdDSA JWT runs; derived from the multikey when absent). DOCS.json: optional
 * URL -> JSON map for the document loader; a key whose controller is not a
 * did:key gets its controller and key documents built from KEYFILE.
 *
 * Measures, in one process and one at a time, operations/second for DI issue
 * and verify (DataIntegrityProof eddsa-rdfc-2022 via @digitalbazaar/vc 7) and
 * VC-JWT sign and verify (jose, EdDSA), each for a fixed duration after a
 * warm-up, on distinct copies of the credential (a fresh `id` per operation).
 * Prints one JSON object to stdout.
 *
 * Libraries come from tests/interop/node/node_modules (one lock file): run
 * `make node` (npm ci there) first.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import process from 'node:process';
import {performance} from 'node:perf_hooks';

const NODE_DIR = new URL('../../tests/interop/node/', import.meta.url);

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node benchmarks/node/proofs.mjs --credential FILE ` +
    '--key KEYFILE [--seconds 5] [--warmup 1] [--documents DOCS.json]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = {seconds: 5, warmup: 1};
  for(let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if(!name.startsWith('--') || value === undefined) {
      usage(`bad argument ${name}`);
    }
    i++;
    switch(name) {
      case '--credential': args.credential = value; break;
      case '--key': args.key = value; break;
      case '--documents': args.documents = value; break;
      case '--seconds': args.seconds = Number(value); break;
      case '--warmup': args.warmup = Number(value); break;
      default: usage(`unknown option ${name}`);
    }
  }
  if(!args.credential || !args.key) {
    usage('--credential and --key are required');
  }
  if(!(args.seconds > 0) || !(args.warmup >= 0)) {
    usage('--seconds must be > 0 and --warmup >= 0');
  }
  return args;
}

function readJson(path) {
  return JSON.parse(fs.readFileSync(path, 'utf8'));
}

function version(pkg) {
  // read the installed package.json directly: some packages' `exports` do not
  // expose it
  try {
    return readJson(new URL(`node_modules/${pkg}/package.json`, NODE_DIR))
      .version;
  } catch{
    return null;
  }
}

/**
 * Runs `op(i)` sequentially: first for `warmup` seconds (not counted), then
 * for `seconds`; returns {ops, count, elapsed}.
 */
async function measure(op, {seconds, warmup}) {
  let i = 0;
  const warmEnd = performance.now() + warmup * 1000;
  while(performance.now() < warmEnd) {
    await op(i++);
  }
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while(now < end) {
    await op(i++);
    count++;
    now = performance.now();
  }
  const elapsed = (now - start) / 1000;
  return {ops: count / elapsed, count, elapsed};
}

function setIssuer(credential, controller) {
  if(typeof credential.issuer === 'string') {
    if(credential.issuer === controller) {
      return false;
    }
    credential.issuer = controller;
    return true;
  }
  if(credential.issuer && typeof credential.issuer === 'object') {
    if(credential.issuer.id === controller) {
      return false;
    }
    credential.issuer.id = controller;
    return true;
  }
  throw new Error('credential has no issuer');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if(!fs.existsSync(new URL('node_modules/@digitalbazaar/vc', NODE_DIR))) {
    process.stderr.write(
      'tests/interop/node/node_modules is missing: run `make node`\n');
    process.exit(2);
  }
  const harness = await import(new URL('harness.mjs', NODE_DIR).href);
  const {vc, jose, Ed25519Multikey} = harness;

  const template = readJson(args.credential);
  delete template.proof;
  const keyFile = readJson(args.key);
  const key = {
    ...keyFile,
    id: keyFile.id ?? keyFile.verificationMethod
  };
  const keyPair = await harness.keyPairFromRequest(key);
  const {controller, id: vmId, publicKeyMultibase} = keyPair;

  // documents: caller's map + controller/key documents for non-did:key keys
  const documents = args.documents ? readJson(args.documents) : {};
  if(!controller.startsWith('did:key:')) {
    documents[controller] ??= {
      '@context': [
        'https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'
      ],
      id: controller,
      assertionMethod: [vmId]
    };
    documents[vmId] ??= {
      '@context': 'https://w3id.org/security/multikey/v1',
      id: vmId, type: 'Multikey', controller, publicKeyMultibase
    };
  }
  const documentLoader = harness.createDocumentLoader(documents);
  // vc checks issuer == verification method controller
  const issuerRewritten = setIssuer(template, controller);
  const baseId = template.id ?? 'urn:example:credential';
  const copyOf = i => {
    const c = structuredClone(template);
    c.id = `${baseId}:${i}:${crypto.randomUUID()}`;
    return c;
  };

  // --- DI issue --------------------------------------------------------
  const signingSuite = harness.createSigningSuite({keyPair});
  const signed = [];
  const issue = async i => {
    const credential = await vc.issue({
      credential: copyOf(i), suite: signingSuite, documentLoader
    });
    signed.push(credential);
  };
  // sanity check before timing
  await issue(-1);
  const verifySuite = harness.createVerifySuite();
  const check = await vc.verifyCredential({
    credential: signed[0], suite: verifySuite, documentLoader
  });
  if(!check.verified) {
    throw new Error(
      `sanity check: node cannot verify its own credential: ${check.error}`);
  }
  const diIssue = await measure(issue, args);

  // --- DI verify (cycles through the distinct credentials issued above) --
  const diVerify = await measure(async i => {
    const result = await vc.verifyCredential({
      credential: signed[i % signed.length], suite: verifySuite,
      documentLoader
    });
    if(!result.verified) {
      throw new Error(`DI verify failed: ${result.error}`);
    }
  }, args);

  // --- VC-JWT (EdDSA) ----------------------------------------------------
  const privateJwk = keyFile.privateJwk ?? await Ed25519Multikey.toJwk({
    keyPair: {...keyPair, secretKey: keyPair.secretKey.subarray(0, 32)},
    secretKey: true
  });
  const publicJwk = keyFile.publicJwk ?? await Ed25519Multikey.toJwk({keyPair});
  const privateKey = await jose.importJWK(privateJwk, 'EdDSA');
  const publicKey = await jose.importJWK(
    {kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x}, 'EdDSA');
  const header = {alg: 'EdDSA', typ: 'JWT', kid: vmId};
  const encoder = new TextEncoder();
  const nbf = Math.floor(Date.parse(template.validFrom ?? '2020-01-01T00:00:00Z') / 1000);
  const jwts = [];
  const jwtSign = async i => {
    const credential = copyOf(i);
    const payload = {
      iss: controller, jti: credential.id, sub: credential.credentialSubject?.id,
      nbf, vc: credential
    };
    jwts.push(await new jose.CompactSign(encoder.encode(JSON.stringify(payload)))
      .setProtectedHeader(header)
      .sign(privateKey));
  };
  await jwtSign(-1);
  await jose.jwtVerify(jwts[0], publicKey, {algorithms: ['EdDSA']});
  const jwtSignResult = await measure(jwtSign, args);
  const jwtVerifyResult = await measure(async i => {
    await jose.jwtVerify(jwts[i % jwts.length], publicKey,
      {algorithms: ['EdDSA']});
  }, args);

  const round = x => Math.round(x * 10) / 10;
  const result = {
    di_issue: round(diIssue.ops),
    di_verify: round(diVerify.ops),
    jwt_sign: round(jwtSignResult.ops),
    jwt_verify: round(jwtVerifyResult.ops),
    node: process.version,
    seconds: args.seconds,
    warmup: args.warmup,
    counts: {
      di_issue: diIssue.count, di_verify: diVerify.count,
      jwt_sign: jwtSignResult.count, jwt_verify: jwtVerifyResult.count
    },
    // distinct signed inputs available to the verify loops
    verify_pool: {di: signed.length, jwt: jwts.length},
    cryptosuite: 'eddsa-rdfc-2022',
    jwt_alg: 'EdDSA',
    verification_method: vmId,
    issuer_rewritten: issuerRewritten,
    credential_bytes: Buffer.byteLength(JSON.stringify(template)),
    libraries: Object.fromEntries([
      '@digitalbazaar/vc', '@digitalbazaar/data-integrity',
      '@digitalbazaar/eddsa-rdfc-2022-cryptosuite',
      '@digitalbazaar/ed25519-multikey', 'jsonld', 'rdf-canonize', 'jose'
    ].map(p => [p, version(p)])),
    platform: `${process.platform}-${process.arch}`
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch(error => {
  process.stderr.write(`benchmark failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
