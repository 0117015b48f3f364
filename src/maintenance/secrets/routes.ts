import { decodeCursor, ErrorResponse, Page, toPage } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { Rotation, RotateBody, RotationListQuery } from './schema.js';
import { toRotation, type SecretRotationService } from './service.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };

export function secretRoutes(app: App, rotations: SecretRotationService): void {
  const tags = ['secrets'];
  app.post(
    '/api/v1/secrets/rotate',
    {
      schema: {
        tags,
        summary: 'Rotate the signing key: a new one is current at once; earlier ones verify for a grace period, or not at all',
        body: RotateBody,
        response: { 200: Rotation, ...errors },
      },
      config: { access: 'admin', audit: 'secrets.rotate' },
    },
    async (request) => {
      const body = request.body ?? {};
      request.auditDetails = {
        revokePrevious: body.revokePrevious ?? false,
        ...(body.graceSeconds !== undefined ? { graceSeconds: body.graceSeconds } : {}),
        revokeApiTokens: body.revokeApiTokens ?? false,
      };
      const rotation = await rotations.rotate(request.principal!.username, body);
      request.auditTarget = rotation.id;
      request.auditDetails = {
        mode: rotation.mode,
        graceSeconds: rotation.graceSeconds,
        keysRetired: rotation.keysRetired,
        sessionsRevoked: rotation.sessionsRevoked,
        tokensRevoked: rotation.tokensRevoked,
        kubernetesSecret: rotation.kubernetesSecret,
      };
      return rotation;
    },
  );
  app.get(
    '/api/v1/secrets/rotations',
    { schema: { tags, summary: 'Rotation history, newest first: who, when, how, and what it ended', querystring: RotationListQuery, response: { 200: Page(Rotation), ...errors } }, config: { access: 'admin' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = decodeCursor(request.query.cursor, ['timestamp', 'uuid']) as [string, string] | null;
      return toPage(await rotations.history(limit, after), limit, toRotation, (row) => [row.at.toISOString(), row.id]);
    },
  );
}
