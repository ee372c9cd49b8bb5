import { describe, expect, it } from '@jest/globals';
import {
  endpointEntity,
  normaliseRoute,
  relativePath,
  requestEntity,
  tokenDestination,
} from './token-destination.js';

const PROD = { origin: 'https://integrationscore.mum1.exotel.com', basePath: '/v2/integrations' };
const LOCAL = { origin: 'http://127.0.0.1:4010', basePath: '/v2/integrations' };

describe('tokenDestination', () => {
  it.each([
    'https://integrationscore.mum1.exotel.com/v2/integrations/app',
    'https://integrationscore.mum1.exotel.com:443/v2/integrations/usermapping?user_id=a',
    'https://integrationscore.mum1.exotel.com/v2/integrations',
  ])('allows %s', (href) => {
    expect(tokenDestination(href, PROD)).toBeDefined();
  });

  it.each([
    ['another host', 'https://evil.example/v2/integrations/app'],
    ['a look-alike host', 'https://integrationscore.mum1.exotel.com.evil.example/v2/integrations/app'],
    [
      'user info hiding the host',
      'https://integrationscore.mum1.exotel.com@evil.example/v2/integrations/app',
    ],
    ['another port', 'https://integrationscore.mum1.exotel.com:8443/v2/integrations/app'],
    ['plain http', 'http://integrationscore.mum1.exotel.com/v2/integrations/app'],
    ['a path outside the base path', 'https://integrationscore.mum1.exotel.com/v2/other'],
    ['a prefix that is not a segment', 'https://integrationscore.mum1.exotel.com/v2/integrationsX/app'],
    [
      'dot segments out of the base path',
      'https://integrationscore.mum1.exotel.com/v2/integrations/../admin',
    ],
    ['encoded dot segments', 'https://integrationscore.mum1.exotel.com/v2/integrations/%2e%2e/admin'],
    ['a relative URL', '/v2/integrations/app'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_why, href) => {
    expect(tokenDestination(href, PROD)).toBeUndefined();
  });

  it('allows plain http only to a loopback baseUrl, on its own port', () => {
    expect(tokenDestination('http://127.0.0.1:4010/v2/integrations/app', LOCAL)).toBeDefined();
    expect(tokenDestination('http://127.0.0.1:4011/v2/integrations/app', LOCAL)).toBeUndefined();
    expect(tokenDestination('http://localhost:4010/v2/integrations/app', LOCAL)).toBeUndefined();
  });

  it('gives the path relative to the base path', () => {
    const url = tokenDestination(
      'https://integrationscore.mum1.exotel.com/v2/integrations/call/outbound_call',
      PROD,
    );
    expect(relativePath(url as URL, PROD)).toBe('/call/outbound_call');
    expect(relativePath(new URL('https://integrationscore.mum1.exotel.com/v2/integrations'), PROD)).toBe('/');
  });
});

describe('the token rules read normalised routes', () => {
  const none = new URLSearchParams();

  it.each([
    ['/token', '/token'],
    ['/TOKEN', '/token'],
    ['/token/', '/token'],
    ['/token%2f', '/token'],
    ['/token%252F', '/token'],
    ['//token', '/token'],
    ['/./token', '/token'],
    ['/x/..%2ftoken', '/token'],
    ['/token;jsessionid=1', '/token'],
    ['/token%3bx', '/token'],
    ['/usermapping', '/usermapping'],
    ['/', '/'],
    ['', '/'],
    ['/bad%zzescape', '/bad%zzescape'],
  ])('%s reads as %s', (path, route) => {
    expect(normaliseRoute(path)).toBe(route);
  });

  it.each(['/TOKEN', '/token%2f', '/Token/', '//token', '/token;x', '/token/sub'])(
    '%s never gets a token, whatever the override',
    (path) => {
      expect(endpointEntity('POST', path, none)).toBeUndefined();
      expect(requestEntity('POST', path, none, 'app')).toBeUndefined();
      expect(requestEntity('GET', path, none, 'customer')).toBeUndefined();
    },
  );

  it('keeps the other endpoint rules, whatever the spelling', () => {
    expect(endpointEntity('POST', '/CUSTOMER/', none)).toBeUndefined();
    expect(endpointEntity('GET', '/Customer', none)).toBe('customer');
    expect(endpointEntity('POST', '/APP', none)).toBe('customer');
    expect(endpointEntity('GET', '/app/', new URLSearchParams('entity=customer'))).toBe('customer');
    expect(endpointEntity('GET', '/usermapping', none)).toBe('app');
    expect(endpointEntity('GET', '/tokens', none)).toBe('app');
  });
});
