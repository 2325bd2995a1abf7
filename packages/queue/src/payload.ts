import { JobPayloadError, type JobDefinition } from './interface';

export function parsePayload<P>(job: JobDefinition<P>, payload: unknown): P {
  const parsed = job.schema.safeParse(payload);
  if (!parsed.success) {
    throw new JobPayloadError(
      job.name,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

export function backoffDelay(baseMs: number, attempt: number): number {
  return baseMs * 2 ** (attempt - 1);
}
