import { z } from 'zod';
import { errorBodySchema, errorStatus, type ErrorCode } from '../errors';
import { documentedWireFormat, type AuthKind, type HttpMethod, type JsonSchema, type Operation } from './operation';

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface MediaTypeObject {
  schema?: JsonSchema;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters?: ParameterObject[];
  requestBody?: { required: boolean; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
  /** Who may call, as one word: the docs page shows it without decoding `security`. */
  'x-relai-auth': AuthKind;
}

export interface SecuritySchemeObject {
  type: 'http';
  scheme: 'bearer';
  description: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description?: string }>;
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, SecuritySchemeObject> };
}

export interface DocumentOptions {
  serverUrl: string;
  /** Tag descriptions, in the order the reference shows them; undeclared tags follow. */
  tags: Array<{ name: string; description: string }>;
  maxBodyBytes: number;
}

export const ERROR_SCHEMA_REF = '#/components/schemas/Error';

const securitySchemes: Record<string, SecuritySchemeObject> = {
  agentToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'An agent token (`rl_…`): calls the endpoints of its own AI agent. A tenant admin token is accepted there too.',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'A tenant admin token (`rl_…`): manages the tenant (sources, articles, agents) and calls every agent.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The METRICS_TOKEN of the deployment, only when it is set.',
  },
};

const securityByAuth: Record<AuthKind, OperationObject['security']> = {
  agent: [{ agentToken: [] }, { adminToken: [] }],
  admin: [{ adminToken: [] }],
  // Webhooks prove their origin with a signature header, documented as a parameter.
  signature: [],
  // `{}` makes the token optional: it is required only when METRICS_TOKEN is set.
  metrics: [{ metricsToken: [] }, {}],
  none: [],
};

const unauthorizedMeaning: Record<Exclude<AuthKind, 'none'>, string> = {
  agent: 'Missing or wrong token',
  admin: 'Missing or wrong token',
  signature: 'Missing, wrong or expired signature',
  metrics: 'METRICS_TOKEN is set and the request does not send it',
};

/** The OpenAPI 3.1 document of the given operations; throws naming the operation whose schema cannot be documented. */
export function buildOpenApiDocument(operations: readonly Operation[], options: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    const where = `${operation.method.toUpperCase()} ${operation.path}`;
    const methods = (paths[operation.path] ??= {});
    if (methods[operation.method]) throw new Error(`${where} is documented twice`);
    methods[operation.method] = operationObject(operation, where, options);
  }
  const declared = new Set(options.tags.map((tag) => tag.name));
  const undeclared = [...new Set(operations.flatMap((operation) => operation.tags))].filter((tag) => !declared.has(tag));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Relai API',
      version: 'v1',
      description:
        'Relai answers customer-support conversations from a company’s own help center. Every error is JSON ' +
        '`{"error": {"code", "message"}}` with the HTTP status of its code; clients switch on `code`, never on `message`.',
    },
    servers: [{ url: options.serverUrl }],
    tags: [...options.tags, ...undeclared.map((name) => ({ name }))],
    paths,
    components: {
      schemas: { Error: toJsonSchema(errorBodySchema, 'output', 'the Error component') },
      securitySchemes,
    },
  };
}

function operationObject(operation: Operation, where: string, options: DocumentOptions): OperationObject {
  const parameters = [
    ...parametersOf(operation.params, 'path', `${where} path parameters`),
    ...parametersOf(operation.query, 'query', `${where} query`),
    ...parametersOf(operation.headers, 'header', `${where} headers`),
  ];
  const inPath = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
  const declared = parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name).sort();
  if (inPath.join() !== declared.join()) {
    throw new Error(`${where}: the params schema declares [${declared.join(', ')}], the path has [${inPath.join(', ')}]`);
  }

  const responses: OperationObject['responses'] = {};
  for (const [code, meaning] of Object.entries(impliedErrors(operation, options.maxBodyBytes))) {
    responses[errorStatus[code as ErrorCode]] = errorResponse(code, meaning);
  }
  for (const [code, meaning] of Object.entries(operation.errors ?? {})) {
    responses[errorStatus[code as ErrorCode]] = errorResponse(code, meaning);
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    const media: MediaTypeObject = {
      ...(response.schema ? { schema: toJsonSchema(response.schema, 'output', `${where} response ${status}`) } : {}),
      ...(response.example !== undefined ? { example: response.example } : {}),
    };
    responses[status] = {
      description: response.description,
      ...(response.schema || response.example !== undefined ? { content: { [response.contentType ?? 'application/json']: media } } : {}),
    };
  }

  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: operation.tags,
    security: securityByAuth[operation.auth],
    ...(parameters.length ? { parameters } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: !operation.bodyOptional,
            content: {
              'application/json': {
                schema: toJsonSchema(operation.body, 'input', `${where} request body`),
                ...(operation.bodyExample !== undefined ? { example: operation.bodyExample } : {}),
              },
            },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
    'x-relai-auth': operation.auth,
  };
}

/** Errors every operation of its kind returns: the middleware and validation produce them, not the handler. */
function impliedErrors(operation: Operation, maxBodyBytes: number): Partial<Record<ErrorCode, string>> {
  return {
    ...(operation.query || operation.body ? { invalid_request: 'The query or body is invalid: the message names the failing fields' } : {}),
    ...(operation.auth !== 'none' ? { unauthorized: unauthorizedMeaning[operation.auth] } : {}),
    ...(operation.auth === 'admin' ? { forbidden: 'An agent token: this endpoint needs a tenant admin token' } : {}),
    ...(operation.body ? { payload_too_large: `The body exceeds ${maxBodyBytes} bytes` } : {}),
  };
}

function errorResponse(code: string, meaning: string): ResponseObject {
  return { description: `\`${code}\`: ${meaning}`, content: { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF } } } };
}

function parametersOf(schema: z.ZodObject | undefined, location: ParameterObject['in'], where: string): ParameterObject[] {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input', where);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = typeof property === 'boolean' ? {} : property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', where: string): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io,
    unrepresentable: ({ zodSchema, path, message }) => {
      const documented = documentedWireFormat(zodSchema);
      if (documented) return documented;
      throw new Error(
        `${where}: ${message} (at /${path.join('/')}). State what travels on the wire with documentedAs(schema, jsonSchema); ` +
          'a response schema describes what the API returns, so it needs no transform.',
      );
    },
  });
  // `$defs` references resolve against the document root, where they do not exist.
  if (json.$defs) throw new Error(`${where}: recursive schemas and schemas with an id are not supported`);
  return json;
}
