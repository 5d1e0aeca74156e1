// Route handlers of a small Express-style Cannon Studio app, documented the swagger-jsdoc way:
// an @openapi YAML block above each handler and the shared schemas. emit_jsdoc.mjs collects them.

/**
 * @openapi
 * components:
 *   securitySchemes:
 *     ApiKeyAuth:
 *       type: apiKey
 *       in: header
 *       name: x-api-key
 *   schemas:
 *     AspectRatio:
 *       type: string
 *       enum: ["16:9", "9:16", "1:1", "4:3", "3:4", "21:9"]
 *     VideoInput:
 *       type: object
 *       required: [prompt]
 *       properties:
 *         prompt: {type: string, minLength: 1, maxLength: 4000, description: What the video shows.}
 *         model: {type: string, description: 'Model id, e.g. seedance2.'}
 *         aspect_ratio: {$ref: '#/components/schemas/AspectRatio'}
 *         duration: {type: integer, minimum: 1, description: Length in seconds.}
 *         image_url: {type: string, format: uri, nullable: true, description: First frame to animate.}
 *         negative_prompt: {type: string, nullable: true}
 *         seed: {type: integer, nullable: true}
 *     ImageInput:
 *       type: object
 *       required: [prompt]
 *       properties:
 *         prompt: {type: string, minLength: 1, maxLength: 4000}
 *         model: {type: string}
 *         aspect_ratio: {$ref: '#/components/schemas/AspectRatio'}
 *         style: {type: string, nullable: true}
 *         reference_image_urls: {type: array, items: {type: string, format: uri}}
 *     PromptInput:
 *       type: object
 *       required: [prompt]
 *       properties:
 *         prompt: {type: string, minLength: 1, maxLength: 4000}
 *         visualStyle: {type: string, nullable: true}
 *         duration: {type: integer, minimum: 1}
 *         aspectRatio: {$ref: '#/components/schemas/AspectRatio'}
 *         rewriteRequest: {type: string}
 *     MusicInput:
 *       type: object
 *       required: [prompt]
 *       properties:
 *         prompt: {type: string, minLength: 1, maxLength: 4000}
 *         title: {type: string, nullable: true}
 *         instrumental: {type: boolean}
 *         duration_seconds: {type: integer, minimum: 1}
 *     CreateRequest:
 *       oneOf:
 *         - type: object
 *           required: [operation, input]
 *           properties:
 *             operation: {type: string, enum: [video.generate]}
 *             input: {$ref: '#/components/schemas/VideoInput'}
 *             webhook_url: {type: string, format: uri}
 *         - type: object
 *           required: [operation, input]
 *           properties:
 *             operation: {type: string, enum: [image.generate]}
 *             input: {$ref: '#/components/schemas/ImageInput'}
 *             webhook_url: {type: string, format: uri}
 *         - type: object
 *           required: [operation, input]
 *           properties:
 *             operation: {type: string, enum: [prompt.enhance.video]}
 *             input: {$ref: '#/components/schemas/PromptInput'}
 *             webhook_url: {type: string, format: uri}
 *         - type: object
 *           required: [operation, input]
 *           properties:
 *             operation: {type: string, enum: [music.generate]}
 *             input: {$ref: '#/components/schemas/MusicInput'}
 *             webhook_url: {type: string, format: uri}
 *     Video:
 *       type: object
 *       required: [asset_type]
 *       properties:
 *         asset_type: {type: string, enum: [video]}
 *         task_id: {type: string}
 *         status: {type: string}
 *         provider: {type: string}
 *         model: {type: string}
 *         video_url: {type: string}
 *     Image:
 *       type: object
 *       required: [asset_type]
 *       properties:
 *         asset_type: {type: string, enum: [image]}
 *         task_id: {type: string}
 *         status: {type: string}
 *         provider: {type: string}
 *         model: {type: string}
 *         image_url: {type: string}
 *         image_urls: {type: array, items: {type: string}}
 *     Audio:
 *       type: object
 *       required: [asset_type]
 *       properties:
 *         asset_type: {type: string, enum: [audio]}
 *         task_id: {type: string}
 *         status: {type: string}
 *         provider: {type: string}
 *         model: {type: string}
 *         audio_url: {type: string}
 *     EnhancedPrompt:
 *       type: object
 *       required: [enhancedPrompt]
 *       properties:
 *         enhancedPrompt: {type: string}
 *         model: {type: string}
 *         operation: {type: string}
 *     Task:
 *       type: object
 *       required: [status]
 *       properties:
 *         task_id: {type: string}
 *         status: {type: string}
 *         provider: {type: string}
 *         model: {type: string}
 *     Request:
 *       type: object
 *       required: [id, operation, status, createdAtMs]
 *       properties:
 *         id: {type: string}
 *         operation: {type: string}
 *         status: {type: string, enum: [queued, processing, succeeded, failed]}
 *         billableCredits: {type: integer, nullable: true}
 *         inputPreview: {type: string, nullable: true}
 *         outputPreview: {type: string, nullable: true}
 *         createdAtMs: {type: integer}
 *         startedAtMs: {type: integer, nullable: true}
 *         completedAtMs: {type: integer, nullable: true}
 *         errorMessage: {type: string, nullable: true}
 *         output:
 *           nullable: true
 *           oneOf:
 *             - $ref: '#/components/schemas/Video'
 *             - $ref: '#/components/schemas/Image'
 *             - $ref: '#/components/schemas/Audio'
 *             - $ref: '#/components/schemas/EnhancedPrompt'
 *             - $ref: '#/components/schemas/Task'
 *     Accepted:
 *       type: object
 *       required: [id, status, operation, poll_after_ms, urls]
 *       properties:
 *         id: {type: string}
 *         status: {type: string, enum: [queued, processing, succeeded, failed]}
 *         operation: {type: string}
 *         poll_after_ms: {type: integer, minimum: 0}
 *         urls:
 *           type: object
 *           properties:
 *             get: {type: string, format: uri}
 *     Error:
 *       type: object
 *       required: [error]
 *       properties:
 *         error: {type: string}
 *         code: {type: string}
 *         field: {type: string}
 */

/**
 * @openapi
 * /api/v1/status:
 *   get:
 *     summary: Check the key and the credit balance
 *     tags: [Account]
 *     security: [{ApiKeyAuth: []}]
 *     responses:
 *       200:
 *         description: The key works.
 *       401:
 *         description: Missing or invalid API key.
 *         content:
 *           application/json:
 *             schema: {$ref: '#/components/schemas/Error'}
 */
export function getStatus(req, res) {
  res.json({ ok: true, status: 'ok' });
}

/**
 * @openapi
 * /api/v1/requests:
 *   post:
 *     summary: Create a request
 *     tags: [Requests]
 *     security: [{ApiKeyAuth: []}]
 *     parameters:
 *       - in: header
 *         name: x-idempotency-key
 *         schema: {type: string, minLength: 1, maxLength: 255}
 *     requestBody:
 *       required: true
 *       content:
 *         application/json:
 *           schema: {$ref: '#/components/schemas/CreateRequest'}
 *     responses:
 *       202:
 *         description: Accepted.
 *         content:
 *           application/json:
 *             schema: {$ref: '#/components/schemas/Accepted'}
 *       400:
 *         description: Invalid operation or input.
 *         content:
 *           application/json:
 *             schema: {$ref: '#/components/schemas/Error'}
 */
export function createRequest(req, res) {
  res.status(202).json({});
}

/**
 * @openapi
 * /api/v1/requests/{id}:
 *   get:
 *     summary: Get a request
 *     tags: [Requests]
 *     security: [{ApiKeyAuth: []}]
 *     parameters:
 *       - in: path
 *         name: id
 *         required: true
 *         schema: {type: string}
 *     responses:
 *       200:
 *         description: The request.
 *         content:
 *           application/json:
 *             schema: {$ref: '#/components/schemas/Request'}
 */
export function getRequest(req, res) {
  res.json({});
}
