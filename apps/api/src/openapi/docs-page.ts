import { ERROR_SCHEMA_REF, type MediaTypeObject, type OpenApiDocument, type OperationObject, type ParameterObject } from './document';
import type { HttpMethod, JsonSchema } from './operation';

/**
 * The API reference as one self-contained HTML page, rendered from the OpenAPI document: no script,
 * no stylesheet or font to fetch, so it reads the same on an offline machine.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method as HttpMethod, operation: operation! })),
  );
  const sections = document.tags
    .map((tag) => ({ ...tag, operations: operations.filter(({ operation }) => operation.tags[0] === tag.name) }))
    .filter((tag) => tag.operations.length > 0);
  const errorCodes = errorCodesOf(document.components.schemas.Error);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)} reference</title>
<style>${STYLE}</style>
</head>
<body>
<nav>
<p class="brand">${escape(document.info.title)} <span>${escape(document.info.version)}</span></p>
<a href="#authentication">Authentication</a>
${sections
  .map(
    (tag) => `<p class="tag">${escape(tag.name)}</p>
${tag.operations.map(({ path, method, operation }) => `<a href="#${escape(operation.operationId)}"><b class="${method}">${method.toUpperCase()}</b> ${escape(path)}</a>`).join('\n')}`,
  )
  .join('\n')}
<p class="tag"><a href="#errors">Errors</a></p>
</nav>
<main>
<h1>${escape(document.info.title)} reference</h1>
<p>${inline(document.info.description)}</p>
<p>Base URL: <code>${escape(document.servers[0]?.url ?? '')}</code>. The same reference as an OpenAPI 3.1 document: <a href="openapi.json"><code>/openapi.json</code></a>.</p>
<section id="authentication">
<h2>Authentication</h2>
<p>Send a token as <code>Authorization: Bearer &lt;token&gt;</code>. Webhooks carry no token: they are signed with the source’s secret.</p>
<dl>${Object.entries(document.components.securitySchemes)
    .map(([name, scheme]) => `<dt>${escape(name)}</dt><dd>${inline(scheme.description)}</dd>`)
    .join('')}</dl>
</section>
${sections
  .map(
    (tag) => `<section>
<h2>${escape(tag.name)}</h2>
${tag.description ? `<p>${inline(tag.description)}</p>` : ''}
${tag.operations.map(({ path, method, operation }) => renderOperation(path, method, operation)).join('\n')}
</section>`,
  )
  .join('\n')}
<section id="errors">
<h2>Errors</h2>
<p>Every error has the body <code>{"error": {"code": "…", "message": "…"}}</code>. Codes:</p>
<p>${errorCodes.map((code) => `<code>${escape(code)}</code>`).join(' ')}</p>
</section>
</main>
</body>
</html>
`;
}

const AUTH_LABELS: Record<OperationObject['x-relai-auth'], string> = {
  agent: 'Agent token (or the tenant admin token)',
  admin: 'Tenant admin token',
  signature: 'Webhook signature (no token)',
  metrics: 'METRICS_TOKEN when it is set',
  none: 'None (public)',
};

function renderOperation(path: string, method: HttpMethod, operation: OperationObject): string {
  const body = operation.requestBody?.content['application/json'];
  return `<article id="${escape(operation.operationId)}">
<h3><b class="${method}">${method.toUpperCase()}</b> <code>${escape(path)}</code></h3>
<p class="summary">${inline(operation.summary)}</p>
${operation.description ? `<p>${inline(operation.description)}</p>` : ''}
<p class="auth">Auth: ${escape(AUTH_LABELS[operation['x-relai-auth']])}</p>
${operation.parameters ? renderParameters(operation.parameters) : ''}
${
  body
    ? `<h4>Request body${operation.requestBody!.required ? '' : ' (optional)'}</h4>
${body.schema ? renderFields(body.schema) : ''}${renderExample(body)}`
    : ''
}
<h4>Responses</h4>
${Object.entries(operation.responses)
  .map(([status, response]) => {
    const [contentType, media] = Object.entries(response.content ?? {})[0] ?? [];
    const isError = media?.schema?.$ref === ERROR_SCHEMA_REF;
    return `<div class="response"><p><span class="status s${status[0]}">${escape(status)}</span> ${inline(response.description)}${
      isError ? ' <a href="#errors">error body</a>' : contentType && contentType !== 'application/json' ? ` <code>${escape(contentType)}</code>` : ''
    }</p>
${media && !isError && media.schema ? renderFields(media.schema) : ''}${media ? renderExample(media) : ''}</div>`;
  })
  .join('\n')}
</article>`;
}

function renderParameters(parameters: ParameterObject[]): string {
  return `<h4>Parameters</h4>
<table><thead><tr><th>name</th><th>in</th><th>type</th><th>required</th><th>description</th></tr></thead><tbody>
${parameters
  .map(
    (parameter) =>
      `<tr><td><code>${escape(parameter.name)}</code></td><td>${parameter.in}</td><td>${escape(typeLabel(parameter.schema))}</td><td>${parameter.required ? 'yes' : ''}</td><td>${describe(parameter.description, parameter.schema)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
}

function renderExample(media: MediaTypeObject): string {
  return media.example === undefined ? '' : `<p class="example">Example</p><pre>${escape(JSON.stringify(media.example, null, 2))}</pre>`;
}

interface FieldRow {
  name: string;
  /** For a field of one variant of a union: which variant. */
  when: string | null;
  schema: JsonSchema;
  required: boolean;
}

function renderFields(schema: JsonSchema): string {
  const rows = fieldRows(schema, '', null);
  if (rows.length === 0) return `<p>${escape(typeLabel(schema))}</p>`;
  return `<table><thead><tr><th>field</th><th>type</th><th>required</th><th>description</th></tr></thead><tbody>
${rows
  .map(
    (row) =>
      `<tr><td><code>${escape(row.name)}</code>${row.when ? `<span class="when">${escape(row.when)}</span>` : ''}</td><td>${escape(typeLabel(row.schema))}</td><td>${row.required ? 'yes' : ''}</td><td>${describe(row.schema.description, row.schema)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
}

/** Nested objects flatten to dotted names; each variant of a union lists its own fields. */
function fieldRows(schema: JsonSchema, prefix: string, when: string | null): FieldRow[] {
  const variants = (schema.oneOf ?? schema.anyOf ?? []).filter((variant) => variant.properties);
  if (variants.length > 0) {
    return variants.flatMap((variant, index) => {
      const label = variantLabel(variant, prefix, index, variants.length);
      return fieldRows(variant, prefix, when ? `${when}, ${label}` : label);
    });
  }
  if (schema.type === 'array' && isSchema(schema.items)) return fieldRows(schema.items, `${prefix.slice(0, -1)}[].`, when);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([key, property]) => {
    const child = isSchema(property) ? property : {};
    const name = `${prefix}${key}`;
    return [{ name, when, schema: child, required: required.has(key) }, ...fieldRows(child, `${name}.`, when)];
  });
}

function variantLabel(variant: JsonSchema, prefix: string, index: number, count: number): string {
  const discriminator = Object.entries(variant.properties ?? {}).find(([, property]) => isSchema(property) && property.const !== undefined);
  if (discriminator) return `when ${prefix}${discriminator[0]} is ${JSON.stringify((discriminator[1] as JsonSchema).const)}`;
  return `option ${index + 1} of ${count}`;
}

function typeLabel(schema: JsonSchema): string {
  if (schema.$ref) return schema.$ref.split('/').pop()!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return [...new Set(union.map(typeLabel))].join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return 'any';
  return types
    .map((type) => {
      if (type === 'array') return `${isSchema(schema.items) ? typeLabel(schema.items) : 'any'}[]`;
      if (type === 'string' && schema.format) return `string (${schema.format})`;
      return type;
    })
    .join(' | ');
}

/** The description, then the constraints a client must meet. */
function describe(description: string | undefined, schema: JsonSchema): string {
  const facts: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    // zod states the safe-integer bounds of every int: they are no real limit.
    const upper = max === undefined || max >= Number.MAX_SAFE_INTEGER ? undefined : max;
    const lower = min === undefined || min <= Number.MIN_SAFE_INTEGER ? undefined : min;
    if (lower !== undefined && upper !== undefined) facts.push(`${lower}–${upper}${unit}`);
    else if (lower === 1 && unit) facts.push('not empty');
    else if (lower !== undefined) facts.push(`at least ${lower}${unit}`);
    else if (upper !== undefined) facts.push(`at most ${upper}${unit}`);
  };
  range(schema.minLength, schema.maxLength, ' characters');
  range(schema.minimum, schema.maximum, '');
  range(schema.minItems, schema.maxItems, ' items');
  // A format (uuid, date-time) says what its generated pattern spells out.
  if (schema.pattern && !schema.format) facts.push(`pattern <code>${escape(schema.pattern)}</code>`);
  if (schema.default !== undefined) facts.push(`default <code>${escape(JSON.stringify(schema.default))}</code>`);
  return [description ? inline(description) : '', facts.length ? `<span class="facts">${facts.join('; ')}</span>` : ''].filter(Boolean).join(' ');
}

function errorCodesOf(errorSchema: JsonSchema | undefined): string[] {
  const error = errorSchema?.properties?.error;
  const code = isSchema(error) ? error.properties?.code : undefined;
  return isSchema(code) ? (code.enum ?? []).map(String) : [];
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes, then shows `backticked` text as code. */
function inline(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#fff;display:flex}
nav{position:sticky;top:0;height:100vh;overflow:auto;width:300px;flex:none;padding:20px 16px;background:#f5f6f8;border-right:1px solid #e2e5ea;font-size:13px}
nav a{display:block;padding:3px 6px;color:#1d2330;text-decoration:none;border-radius:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
nav a:hover{background:#e6e9ee}
nav .brand{font-weight:700;font-size:16px;margin:0 0 12px}nav .brand span{color:#6b7280;font-weight:400}
nav .tag{margin:14px 0 4px;font-weight:600;text-transform:uppercase;font-size:11px;letter-spacing:.05em;color:#6b7280}
nav .tag a{padding:0;color:inherit}
main{max-width:980px;padding:24px 40px 80px;min-width:0}
h1{margin-top:0}h2{margin-top:48px;padding-bottom:6px;border-bottom:1px solid #e2e5ea}
article{margin:28px 0;padding:18px 20px;border:1px solid #e2e5ea;border-radius:8px}
h3{margin:0;font-size:17px;word-break:break-all}h4{margin:18px 0 6px;font-size:14px}
.summary{font-weight:600;margin:8px 0 4px}.auth{color:#4b5563;font-size:13px}
b.get,b.post,b.put,b.patch,b.delete{display:inline-block;min-width:58px;text-align:center;padding:1px 6px;border-radius:4px;color:#fff;font-size:12px;margin-right:4px}
b.get{background:#2563eb}b.post{background:#16a34a}b.put,b.patch{background:#d97706}b.delete{background:#dc2626}
nav b{min-width:48px!important;font-size:10px!important}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f3f5;padding:1px 4px;border-radius:3px}
pre{background:#1d2330;color:#e6e9ee;padding:12px 14px;border-radius:6px;overflow:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0 8px}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid #eceef1}th{background:#f8f9fa;font-weight:600}
td:first-child{white-space:nowrap}
.when{display:block;color:#6b7280;font-size:11px}.facts{color:#6b7280}
.example{margin:8px 0 0;font-size:12px;color:#6b7280}
.response p{margin:8px 0 4px}
.status{display:inline-block;font-weight:700;padding:0 6px;border-radius:4px;font-size:13px}
.s2{background:#dcfce7;color:#166534}.s4{background:#fef3c7;color:#92400e}.s5{background:#fee2e2;color:#991b1b}
dt{font-weight:600}dd{margin:0 0 8px 16px}
@media (max-width:800px){body{display:block}nav{position:static;width:auto;height:auto}main{padding:16px}}
`;
