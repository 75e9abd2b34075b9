/**
 * Ports: what the LTI core needs from its host. `server/` implements them (mongoose stores, the
 * real clock, global fetch); tests implement them in memory. The core never touches storage,
 * HTTP frameworks or process.env.
 */

/**
 * A platform registration: one school's record of an LMS client (issuer + client_id) and the
 * deployments it has claimed. Usually (issuer, client_id) belongs to one school, but Blackboard uses
 * one issuer and one client id for every school, and Canvas inherited developer keys share a client
 * id too: then several registrations (one per school) share (issuer, client_id) and the school is
 * decided by the deployment id. The adapter must keep (issuer, client_id, deployment_id) unique.
 */
export interface PlatformRegistration {
  id: string;
  schoolId: string;
  /** Platform issuer (`iss`). Not unique: all of Instructure's Canvas cloud shares one issuer. */
  issuer: string;
  /** OAuth2 client id the platform gave the tool (`aud`). */
  clientId: string;
  /** OIDC authorization endpoint (where the login initiation redirects). */
  authLoginUrl: string;
  /** OAuth2 token endpoint (client_credentials for AGS/NRPS). */
  tokenUrl: string;
  /** Platform JWKS URL. */
  jwksUrl: string;
  /** `aud` for client assertions when the platform wants something other than tokenUrl (Brightspace). */
  authTokenAudience?: string;
  /** Deployment ids an admin has claimed for this school. A launch with any other id is refused. */
  deploymentIds: string[];
  /** Origins allowed to frame the tool for this registration (the adapter's CSP frame-ancestors). */
  frameOrigins: string[];
}

/** Looks up registrations. Implemented by the adapter over its database. */
export interface RegistrationStore {
  /** The registration with this id, or null. */
  findById(id: string): Promise<PlatformRegistration | null>;
  /** All registrations (one per school) for (issuer, client_id); usually zero or one. */
  findByIssuerAndClientId(issuer: string, clientId: string): Promise<PlatformRegistration[]>;
  /**
   * All registrations with this issuer. Used only when a login initiation carries no client_id;
   * the core accepts the answer only when they all share one client id.
   */
  findByIssuer(issuer: string): Promise<PlatformRegistration[]>;
}

/** How the browser that started a login proves it is the one finishing it. */
export type BrowserBindingKind = 'platform_storage' | 'cookie' | 'server_only';

/** What the core keeps between login initiation and launch, keyed by `state`. */
export interface LoginState {
  nonce: string;
  /** The registration whose endpoints (auth URL, JWKS) were used; the school is decided at launch. */
  registrationId: string;
  targetLinkUri: string;
  browserBindingKind: BrowserBindingKind;
  /** SHA-256 (base64url) of the browser-binding secret; absent for `server_only`. */
  bindingHash?: string;
  /** `lti_storage_target` from login initiation (platform_storage flow only). */
  storageTarget?: string;
  /** Origin of the platform's OIDC auth endpoint: the postMessage target origin for platform storage. */
  platformOrigin?: string;
  /** `lti_deployment_id` hint from login initiation, unverified. */
  deploymentIdHint?: string;
  createdAt: Date;
}

/** Stores login states. */
export interface LoginStateStore {
  /** Saves a state; the store must forget it after `expiresAt`. */
  save(state: string, value: LoginState, expiresAt: Date): Promise<void>;
  /** Reads without consuming (to choose the launch binding page); null when unknown or expired. */
  peek(state: string): Promise<LoginState | null>;
  /**
   * Atomically returns and deletes the state (single use); null when unknown, expired or already
   * consumed. With mongoose: `findOneAndDelete({ state, expiresAt: { $gt: now } })`.
   */
  consume(state: string): Promise<LoginState | null>;
}

/** Remembers id_token nonces until the tokens they came in expire. */
export interface NonceStore {
  /**
   * Records `nonce` until `expiresAt`. Returns true the first time, false if it was already seen
   * (must be atomic: a unique index insert, not read-then-write).
   */
  consume(nonce: string, expiresAt: Date): Promise<boolean>;
}

/** Lifecycle of a tool signing key; see `keys.ts`. */
export type ToolKeyStatus = 'next' | 'current' | 'retiring' | 'retired';

/** A tool key pair as stored: public JWK in clear, private key only encrypted. */
export interface ToolKeyRecord {
  kid: string;
  status: ToolKeyStatus;
  /** Public RSA JWK (kty, n, e, kid, alg RS256, use sig). */
  publicJwk: JsonWebKeyPublic;
  /** Private key sealed with `encryptPrivateKey` (keys.ts). Never plaintext. */
  encryptedPrivateKey: string;
  createdAt: Date;
  /** When the key entered its current status. */
  statusChangedAt: Date;
}

/** Minimal public JWK shape the core publishes. */
export interface JsonWebKeyPublic {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/** Tool key storage. */
export interface ToolKeyStore {
  /** All keys including retired ones, any order. */
  list(): Promise<ToolKeyRecord[]>;
  /** Inserts a new key. */
  insert(key: ToolKeyRecord): Promise<void>;
  /** Moves a key to `status` (recording `at` as statusChangedAt). */
  setStatus(kid: string, status: ToolKeyStatus, at: Date): Promise<void>;
}

/** The time source. Inject a fixed or stepping clock in tests. */
export interface Clock {
  now(): Date;
}

/** The fetch the core uses for every outbound call (JWKS, token, AGS, NRPS, registration). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };
