/**
 * Zendesk error bodies come in a few shapes: `{"error":"RecordNotFound","description":"Not found"}`,
 * `{"error":{"title":…,"message":…}}`, or `{"error":"Couldn't authenticate you"}`.
 */
export function describeZendeskError(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return undefined;
  const { error, description } = parsed as { error: unknown; description?: unknown };
  if (typeof error === 'string') return typeof description === 'string' ? `${error}: ${description}` : error;
  if (typeof error === 'object' && error !== null) {
    const { title, message } = error as { title?: unknown; message?: unknown };
    return [title, message].filter((part) => typeof part === 'string').join(': ') || undefined;
  }
  return undefined;
}
