/**
 * The layering of lib/, checked by `npm run lint` (dependency-cruiser). Layers, lowest first; a file
 * may import from its own layer and the layers below it, never above:
 *   0 errors/, redaction/, exotel-webrtc.constants.ts
 *   1 store/
 *   2 interfaces/, options/, events/ (isolated event streams), telemetry/ (OpenTelemetry instruments;
 *     no-ops without the optional peer)
 *   3 wire/        Exotel envelope, reply checks, the one send function
 *   4 scheduling/  refresh policy and scheduler
 *   5 token/       credential slots, minting, TokenService
 *   6 http/        auth interceptor, ExotelHttpService
 *   7 client/      typed endpoints
 *   8 health/
 *   9 the module files and index.ts
 * The subpaths testing/, redis/ and webhooks/ build on public pieces only (testing/ also overrides the
 * module's options token, from the module definition), and nothing in the core imports them.
 */
const LAYERS = [
  ['^lib/(errors|redaction)/', '^lib/exotel-webrtc\\.constants\\.ts$'],
  ['^lib/store/'],
  ['^lib/(interfaces|options|events|telemetry)/'],
  ['^lib/wire/'],
  ['^lib/scheduling/'],
  ['^lib/token/'],
  ['^lib/http/'],
  ['^lib/client/'],
  ['^lib/health/'],
  ['^lib/exotel-webrtc\\.module(-definition)?\\.ts$', '^lib/index\\.ts$'],
];

const any = (patterns) => `(${patterns.join('|')})`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${i}-imports-upward`,
  comment: `A file in layer ${i} (${layer.join(', ')}) imports from a higher layer.`,
  severity: 'error',
  from: { path: any(layer), pathNot: '\\.spec\\.ts$' },
  to: { path: any(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter and hide the direction of a dependency.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true },
    },
    ...upward,
    {
      name: 'core-imports-subpath',
      comment: 'The core never depends on the testing kit, the Redis store (ioredis is optional) or webhooks.',
      severity: 'error',
      from: { path: '^lib/', pathNot: ['^lib/(testing|redis|webhooks)/', '\\.spec\\.ts$'] },
      to: { path: '^lib/(testing|redis|webhooks)/' },
    },
    {
      name: 'subpath-imports-internals',
      comment: 'testing/, redis/ and webhooks/ use public pieces only: errors, store, options and the root entry.',
      severity: 'error',
      from: { path: '^lib/(testing|redis|webhooks)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^lib/(wire|scheduling|token|http|client|health)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
  },
};
