/** Wires the LTI core's ports to MongoDB, the clock and fetch, once per process. */
import {
  createJwksCache,
  createMemoryTokenCache,
  createServiceTokenClient,
  createToolSigner,
  systemClock,
  type Clock,
  type Fetch,
  type JwksCache,
  type ServiceTokenClient,
  type ToolSigner,
  type ToolUrls,
} from '../../../lti/index.js';
import type { Config } from '../../config.js';
import type { Models } from '../../db/models.js';
import { launchTokenKey } from '../../http/launch-token.js';
import { loginStateStore, nonceStore, registrationStore, toolKeyStore } from './stores.js';

export interface LtiRuntime {
  registrations: ReturnType<typeof registrationStore>;
  loginStates: ReturnType<typeof loginStateStore>;
  nonces: ReturnType<typeof nonceStore>;
  keys: ReturnType<typeof toolKeyStore>;
  jwks: JwksCache;
  signer: ToolSigner;
  tokens: ServiceTokenClient;
  clock: Clock;
  fetch: Fetch;
  tool: ToolUrls & { loginUrl: string; jwksUrl: string; registerUrl: string };
  launchKey: Uint8Array;
  secret: string;
}

export function createLtiRuntime(config: Config, models: Models, options: { fetch?: Fetch; clock?: Clock } = {}): LtiRuntime {
  const clock = options.clock ?? systemClock;
  const fetchImpl: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const keys = toolKeyStore(models);
  const signer = createToolSigner({ keys, secret: config.keyEncryptionSecret });
  const origin = new URL(config.publicUrl).origin;
  return {
    registrations: registrationStore(models),
    loginStates: loginStateStore(models, () => clock.now()),
    nonces: nonceStore(models),
    keys,
    // Platform key sets may be cached per process: they are public and refetched on an unknown kid.
    jwks: createJwksCache({ fetch: fetchImpl, clock }),
    signer,
    // Service access tokens are cached per process until shortly before expiry; a second process simply asks again.
    tokens: createServiceTokenClient({ fetch: fetchImpl, clock, signer, cache: createMemoryTokenCache() }),
    clock,
    fetch: fetchImpl,
    tool: {
      origin,
      launchUrl: `${config.publicUrl}/lti/launch`,
      loginUrl: `${config.publicUrl}/lti/login`,
      jwksUrl: `${config.publicUrl}/lti/jwks`,
      registerUrl: `${config.publicUrl}/lti/register`,
    },
    launchKey: launchTokenKey(config.keyEncryptionSecret),
    secret: config.keyEncryptionSecret,
  };
}
