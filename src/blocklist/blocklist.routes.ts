import { Type } from '@sinclair/typebox';
import type { App, RouteContext } from '../http/types.js';
import { blocklistDomains } from './blocklist.service.js';

/** `GET /api/v1/blocklist/domains.txt`: one registrable domain per line. */
export function registerBlocklistRoutes(app: App, { deps }: RouteContext): void {
  app.get(
    '/api/v1/blocklist/domains.txt',
    {
      schema: {
        tags: ['blocklist'],
        summary: 'Registrable domains of confirmed-fraud websites, one per line (text/plain)',
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      const domains = await blocklistDomains(deps);
      return reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(domains.length === 0 ? '' : `${domains.join('\n')}\n`);
    },
  );
}
