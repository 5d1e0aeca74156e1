// A small Fastify app of the Cannon Studio API: TypeBox schemas shared with addSchema() and
// referenced by $id, routes declared with their schemas, @fastify/swagger with its defaults.
import swagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';

const Nullable = (schema) => Type.Union([schema, Type.Null()]);
const AspectRatio = Type.Union(
  ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'].map((value) => Type.Literal(value)),
  { $id: 'AspectRatio' },
);
const aspect = Type.Ref('AspectRatio');

const inputs = {
  'video.generate': Type.Object(
    {
      prompt: Type.String({ minLength: 1, maxLength: 4000, description: 'What the video shows.' }),
      model: Type.Optional(Type.String({ description: 'Model id, e.g. seedance2.' })),
      aspect_ratio: Type.Optional(aspect),
      duration: Type.Optional(Type.Integer({ minimum: 1, description: 'Length in seconds.' })),
      image_url: Type.Optional(Nullable(Type.String({ format: 'uri', description: 'First frame to animate.' }))),
      negative_prompt: Type.Optional(Nullable(Type.String())),
      seed: Type.Optional(Nullable(Type.Integer())),
    },
    { $id: 'VideoGenerateInput' },
  ),
  'image.generate': Type.Object(
    {
      prompt: Type.String({ minLength: 1, maxLength: 4000 }),
      model: Type.Optional(Type.String()),
      aspect_ratio: Type.Optional(aspect),
      style: Type.Optional(Nullable(Type.String())),
      reference_image_urls: Type.Optional(Type.Array(Type.String({ format: 'uri' }))),
    },
    { $id: 'ImageGenerateInput' },
  ),
  'prompt.enhance.video': Type.Object(
    {
      prompt: Type.String({ minLength: 1, maxLength: 4000 }),
      visualStyle: Type.Optional(Nullable(Type.String())),
      duration: Type.Optional(Type.Integer({ minimum: 1 })),
      aspectRatio: Type.Optional(aspect),
      rewriteRequest: Type.Optional(Type.String()),
    },
    { $id: 'PromptEnhanceVideoInput' },
  ),
  'music.generate': Type.Object(
    {
      prompt: Type.String({ minLength: 1, maxLength: 4000 }),
      title: Type.Optional(Nullable(Type.String())),
      instrumental: Type.Optional(Type.Boolean()),
      duration_seconds: Type.Optional(Type.Integer({ minimum: 1 })),
    },
    { $id: 'MusicGenerateInput' },
  ),
};

const task = {
  task_id: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  provider: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
};
const outputs = [
  Type.Object({ ...task, asset_type: Type.Literal('video'), video_url: Type.Optional(Type.String()) }, { $id: 'VideoOutput' }),
  Type.Object(
    { ...task, asset_type: Type.Literal('image'), image_url: Type.Optional(Type.String()), image_urls: Type.Optional(Type.Array(Type.String())) },
    { $id: 'ImageOutput' },
  ),
  Type.Object({ ...task, asset_type: Type.Literal('audio'), audio_url: Type.Optional(Type.String()) }, { $id: 'AudioOutput' }),
  Type.Object(
    { enhancedPrompt: Type.String(), model: Type.Optional(Type.String()), operation: Type.Optional(Type.String()) },
    { $id: 'PromptOutput' },
  ),
  Type.Object({ ...task, status: Type.String() }, { $id: 'TaskOutput' }),
];
const RequestStatus = Type.Union(
  ['queued', 'processing', 'succeeded', 'failed'].map((value) => Type.Literal(value)),
  { $id: 'RequestStatus' },
);
const RequestObject = Type.Object(
  {
    id: Type.String(),
    operation: Type.String(),
    status: Type.Ref('RequestStatus'),
    billableCredits: Type.Optional(Nullable(Type.Integer())),
    inputPreview: Type.Optional(Nullable(Type.String())),
    outputPreview: Type.Optional(Nullable(Type.String())),
    createdAtMs: Type.Integer(),
    startedAtMs: Type.Optional(Nullable(Type.Integer())),
    completedAtMs: Type.Optional(Nullable(Type.Integer())),
    errorMessage: Type.Optional(Nullable(Type.String())),
    output: Type.Optional(Nullable(Type.Union(outputs.map((o) => Type.Ref(o.$id))))),
  },
  { $id: 'RequestObject' },
);
const ErrorResponse = Type.Object(
  { error: Type.String(), code: Type.Optional(Type.String()), field: Type.Optional(Type.String()) },
  { $id: 'ErrorResponse' },
);
const AcceptedRequest = Type.Object(
  {
    id: Type.String(),
    status: Type.Ref('RequestStatus'),
    operation: Type.String(),
    poll_after_ms: Type.Integer({ minimum: 0 }),
    urls: Type.Object({ get: Type.String({ format: 'uri' }) }),
  },
  { $id: 'AcceptedRequest' },
);
const StatusResponse = Type.Object(
  { ok: Type.Boolean(), status: Type.String(), message: Type.Optional(Type.String()), creditsRemaining: Type.Integer() },
  { $id: 'StatusResponse' },
);
const CreateRequestBody = Type.Union(
  Object.entries(inputs).map(([operation, input]) =>
    Type.Object({
      operation: Type.Literal(operation),
      input: Type.Ref(input.$id),
      webhook_url: Type.Optional(Type.String({ format: 'uri' })),
    }),
  ),
);

export async function build() {
  const app = Fastify();
  await app.register(swagger, {
    openapi: {
      info: { title: 'Cannon Studio API', version: '1.0.0' },
      servers: [{ url: 'https://www.cannonstudio.app' }],
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
      security: [{ apiKey: [] }],
    },
  });
  for (const schema of [AspectRatio, RequestStatus, ...Object.values(inputs), ...outputs, RequestObject, ErrorResponse, AcceptedRequest, StatusResponse]) {
    app.addSchema(schema);
  }
  const errors = { 400: Type.Ref('ErrorResponse'), 401: Type.Ref('ErrorResponse') };
  app.get('/api/v1/status', { schema: { tags: ['account'], response: { 200: Type.Ref('StatusResponse'), 401: errors[401] } } }, async () => ({}));
  app.post(
    '/api/v1/requests',
    {
      schema: {
        tags: ['requests'],
        headers: Type.Object({ 'x-idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        body: CreateRequestBody,
        response: { 202: Type.Ref('AcceptedRequest'), ...errors },
      },
    },
    async () => ({}),
  );
  app.get(
    '/api/v1/requests/:requestId',
    {
      schema: {
        tags: ['requests'],
        params: Type.Object({ requestId: Type.String() }),
        response: { 200: Type.Ref('RequestObject'), 401: errors[401] },
      },
    },
    async () => ({}),
  );
  await app.ready();
  return app;
}
