import { z } from 'zod';
import type { ErrorCode } from '../errors';

export type JsonSchema = z.core.JSONSchema.JSONSchema;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call an operation: `agent` an agent token for that agent or its tenant's admin token,
 * `admin` a tenant admin token, `signature` a webhook signed with the source's secret,
 * `metrics` the METRICS_TOKEN when one is configured, `none` anyone.
 */
export type AuthKind = 'agent' | 'admin' | 'none' | 'signature' | 'metrics';

export interface OperationResponse {
  description: string;
  schema?: z.ZodType;
  /** `application/json` unless said otherwise. */
  contentType?: string;
  example?: unknown;
}

/**
 * One endpoint as the API reference describes it, declared next to its route. Schemas are the ones
 * the route validates with; request schemas are documented as clients send them (before defaults and
 * transforms), response schemas as the API returns them.
 */
export interface Operation {
  method: HttpMethod;
  /** OpenAPI style: /v1/agents/{agentId}/search. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: AuthKind;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** The route accepts a request without a body. */
  bodyOptional?: boolean;
  bodyExample?: unknown;
  responses: Record<number, OperationResponse>;
  /**
   * The errors this operation returns beyond those its declaration implies (which the document adds:
   * 400 with a query or body, 401 unless public, 403 for admin, 413 with a body), with their meaning here.
   */
  errors?: Partial<Record<ErrorCode, string>>;
}

const wireFormats = z.registry<JsonSchema>();

/**
 * States the JSON Schema of a zod schema that JSON Schema cannot express (a coerced Date, a custom
 * type), so the document describes what travels on the wire. Returns the schema itself, unchanged.
 */
export function documentedAs<T extends z.ZodType>(schema: T, jsonSchema: JsonSchema): T {
  wireFormats.add(schema, jsonSchema);
  return schema;
}

export function documentedWireFormat(schema: z.core.$ZodType): JsonSchema | undefined {
  return wireFormats.get(schema);
}
