// The Cannon Studio API (a representative subset) as a zod-to-openapi app would declare it:
// zod schemas registered on an OpenAPIRegistry, documented with .openapi(), no hand-written
// OpenAPI. emit_zod.mjs writes the documents from it.
import { extendZodWithOpenApi, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const registry = new OpenAPIRegistry();

const AspectRatio = z
  .enum(['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'])
  .openapi('AspectRatio', { description: 'Frame aspect ratio.' });

const VideoGenerateInput = registry.register(
  'VideoGenerateInput',
  z.object({
    prompt: z.string().min(1).max(4000).describe('What the video shows.'),
    model: z.string().optional().describe('Model id, e.g. seedance2.'),
    aspect_ratio: AspectRatio.optional(),
    duration: z.number().int().min(1).optional().describe('Length in seconds.'),
    image_url: z.string().url().nullable().optional().describe('First frame to animate.'),
    negative_prompt: z.string().nullable().optional(),
    seed: z.number().int().nullable().optional(),
  }),
);

const ImageGenerateInput = registry.register(
  'ImageGenerateInput',
  z.object({
    prompt: z.string().min(1).max(4000),
    model: z.string().optional(),
    aspect_ratio: AspectRatio.optional(),
    style: z.string().nullable().optional(),
    reference_image_urls: z.array(z.string().url()).optional(),
  }),
);

const PromptEnhanceVideoInput = registry.register(
  'PromptEnhanceVideoInput',
  z.object({
    prompt: z.string().min(1).max(4000),
    visualStyle: z.string().nullable().optional(),
    duration: z.number().int().min(1).optional(),
    aspectRatio: AspectRatio.optional(),
    rewriteRequest: z.string().optional(),
  }),
);

const MusicGenerateInput = registry.register(
  'MusicGenerateInput',
  z.object({
    prompt: z.string().min(1).max(4000),
    title: z.string().nullable().optional(),
    instrumental: z.boolean().optional(),
    duration_seconds: z.number().int().min(1).optional(),
  }),
);

const envelope = (name, operation, input) =>
  registry.register(
    name,
    z.object({
      operation: z.literal(operation),
      input,
      webhook_url: z.string().url().optional(),
    }),
  );

const CreateRequestBody = registry.register(
  'CreateRequestBody',
  z.discriminatedUnion('operation', [
    envelope('VideoGenerateRequest', 'video.generate', VideoGenerateInput),
    envelope('ImageGenerateRequest', 'image.generate', ImageGenerateInput),
    envelope('PromptEnhanceVideoRequest', 'prompt.enhance.video', PromptEnhanceVideoInput),
    envelope('MusicGenerateRequest', 'music.generate', MusicGenerateInput),
  ]),
);

const RequestStatus = z.enum(['queued', 'processing', 'succeeded', 'failed']).openapi('RequestStatus');

const task = {
  task_id: z.string().optional(),
  status: z.string().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
};

const VideoOutput = registry.register(
  'VideoOutput',
  z.object({ ...task, asset_type: z.literal('video'), video_url: z.string().optional() }),
);
const ImageOutput = registry.register(
  'ImageOutput',
  z.object({
    ...task,
    asset_type: z.literal('image'),
    image_url: z.string().optional(),
    image_urls: z.array(z.string()).optional(),
  }),
);
const AudioOutput = registry.register(
  'AudioOutput',
  z.object({ ...task, asset_type: z.literal('audio'), audio_url: z.string().optional() }),
);
const PromptOutput = registry.register(
  'PromptOutput',
  z.object({ enhancedPrompt: z.string(), model: z.string().optional(), operation: z.string().optional() }),
);
const TaskOutput = registry.register('TaskOutput', z.object({ ...task, status: z.string() }));

const RequestLog = registry.register(
  'RequestLog',
  z.object({
    available: z.boolean(),
    retentionDays: z.number().int().optional(),
    retainedUntilMs: z.number().int().nullable().optional(),
    input: z.record(z.string(), z.unknown()).nullable().optional(),
    output: z.record(z.string(), z.unknown()).nullable().optional(),
    errorMessage: z.string().nullable().optional(),
  }),
);

const RequestObject = registry.register(
  'RequestObject',
  z.object({
    id: z.string(),
    operation: z.string(),
    status: RequestStatus,
    billableCredits: z.number().int().nullable().optional(),
    inputPreview: z.string().nullable().optional(),
    outputPreview: z.string().nullable().optional(),
    createdAtMs: z.number().int(),
    startedAtMs: z.number().int().nullable().optional(),
    completedAtMs: z.number().int().nullable().optional(),
    errorMessage: z.string().nullable().optional(),
    output: z.union([VideoOutput, ImageOutput, AudioOutput, PromptOutput, TaskOutput]).nullable().optional(),
    requestLog: RequestLog.nullable().optional(),
  }),
);

const AcceptedRequest = registry.register(
  'AcceptedRequest',
  z.object({
    id: z.string(),
    status: RequestStatus,
    operation: z.string(),
    poll_after_ms: z.number().int().min(0),
    urls: z.object({ get: z.string().url() }),
  }),
);

const ErrorResponse = registry.register(
  'ErrorResponse',
  z.object({
    error: z.string(),
    code: z.string().optional(),
    field: z.string().optional(),
    request_id: z.string().optional(),
  }),
);

const StatusResponse = registry.register(
  'StatusResponse',
  z.object({
    ok: z.boolean(),
    status: z.string(),
    message: z.string().optional(),
    creditsRemaining: z.number().int(),
    serverTime: z.string().datetime().optional(),
  }),
);

const json = (schema, description) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json(ErrorResponse, 'Invalid operation or input.'),
  401: json(ErrorResponse, 'Missing or invalid API key.'),
};

registry.registerComponent('securitySchemes', 'apiKey', {
  type: 'apiKey',
  in: 'header',
  name: 'x-api-key',
});

registry.registerPath({
  method: 'get',
  path: '/api/v1/status',
  tags: ['Account'],
  summary: 'Check the key and the credit balance',
  security: [{ apiKey: [] }],
  responses: { 200: json(StatusResponse, 'The key works.'), 401: errors[401] },
});

registry.registerPath({
  method: 'post',
  path: '/api/v1/requests',
  tags: ['Requests'],
  summary: 'Create a request',
  security: [{ apiKey: [] }],
  request: {
    headers: z.object({ 'x-idempotency-key': z.string().min(1).max(255).optional() }),
    body: { content: { 'application/json': { schema: CreateRequestBody } } },
  },
  responses: { 202: json(AcceptedRequest, 'Accepted.'), ...errors },
});

registry.registerPath({
  method: 'get',
  path: '/api/v1/requests/{requestId}',
  tags: ['Requests'],
  summary: 'Get a request',
  security: [{ apiKey: [] }],
  request: { params: z.object({ requestId: z.string() }) },
  responses: { 200: json(RequestObject, 'The request.'), 401: errors[401] },
});

registry.registerWebhook({
  method: 'post',
  path: 'requestCompleted',
  summary: 'Terminal delivery',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ id: z.string(), type: z.string(), timestamp: z.string(), data: RequestObject }),
        },
      },
    },
  },
  responses: { 200: { description: 'Any 2xx acknowledges the delivery.' } },
});
