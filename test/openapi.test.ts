import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from '../src/http/app.js';
import { listForms } from '../src/forms/registry.js';

const app = createApp();

interface Layer { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }

/** Every route Express would answer, as OpenAPI paths (`:id` -> `{id}`), mounted routers included. */
function expressRoutes(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`);
    }
    return layer.handle?.stack ? expressRoutes(layer.handle.stack) : [];
  });
}

describe('OpenAPI document', () => {
  it('describes every route the app answers', async () => {
    const spec = (await request(app).get('/openapi.json').expect(200)).body;
    expect(spec.openapi).toBe('3.1.0');
    const documented = new Set(Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    const routes = expressRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('gives each form its render body from the schema the route validates with, and batch forms their options', async () => {
    const spec = (await request(app).get('/openapi.json').expect(200)).body;
    for (const form of listForms()) {
      const op = spec.paths[`/api/v1/render/${form.id}`]?.post;
      expect(op, form.id).toBeDefined();
      const schema = op.requestBody.content['application/json'].schema;
      expect(schema.type).toBe('object');
      if (form.compute) expect(spec.paths[`/api/v1/forms/${form.id}/compute`]?.post, form.id).toBeDefined();
      if (form.batch) {
        const props = spec.paths[`/api/v1/batch/${form.id}`].post.requestBody.content['multipart/form-data'].schema.properties;
        expect(Object.keys(props)).toEqual(expect.arrayContaining(['file', 'shared', 'groupBy', 'output', 'format']));
      }
    }
    const letter = spec.paths['/api/v1/render/external-letter'].post.requestBody.content['application/json'].schema;
    expect(letter.required).toEqual(expect.arrayContaining(['number', 'subject', 'body', 'signer']));
    expect(spec.components.schemas.Error.properties.error.required).toEqual(expect.arrayContaining(['code', 'th', 'en']));
  });

  it('is readable at /docs without any script or CDN', async () => {
    const res = await request(app).get('/docs').expect(200).expect('content-type', /html/);
    expect(res.text).toContain('/api/v1/render/external-letter');
    expect(res.text).toContain('หนังสือภายนอก');
    expect(res.text).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
  });
});
