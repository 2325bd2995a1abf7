import { z } from 'zod';
import { FolderSource, folderConfigSchema } from './folder/folder-source';
import { HtmlSiteSource, htmlSiteConfigSchema } from './html-site/html-site-source';
import type { ArticleSource } from './interface';
import { IntercomSource, intercomConfigSchema } from './intercom/intercom-source';
import { JsonlFileSource, jsonlFileConfigSchema } from './jsonl-file/jsonl-file-source';
import type { InvalidLineHandler } from './jsonl-file/jsonl-file-source';
import type { SourceDeps } from './listing';
import { ZendeskSource, zendeskConfigSchema } from './zendesk/zendesk-source';

/** A source as stored per tenant: `kind` picks the connector, the other fields are its config. */
export const sourceConfigSchema = z.discriminatedUnion('kind', [
  intercomConfigSchema.extend({ kind: z.literal('intercom') }),
  zendeskConfigSchema.extend({ kind: z.literal('zendesk') }),
  htmlSiteConfigSchema.extend({ kind: z.literal('html-site') }),
  jsonlFileConfigSchema.extend({ kind: z.literal('jsonl') }),
  folderConfigSchema.extend({ kind: z.literal('folder') }),
]);
export type SourceConfig = z.output<typeof sourceConfigSchema>;
export type SourceConfigInput = z.input<typeof sourceConfigSchema>;

export interface CreateSourceDeps extends SourceDeps {
  /** JSONL sources report invalid lines here (line number, reason, id when readable). */
  onInvalid?: InvalidLineHandler;
}

/** Validates the config (applying defaults) and builds its connector. Throws a ZodError on a bad config. */
export function createSource(config: SourceConfigInput, deps: CreateSourceDeps = {}): ArticleSource {
  const { onInvalid, ...http } = deps;
  const parsed = sourceConfigSchema.parse(config);
  switch (parsed.kind) {
    case 'intercom':
      return new IntercomSource(parsed, http);
    case 'zendesk':
      return new ZendeskSource(parsed, http);
    case 'html-site':
      return new HtmlSiteSource(parsed, http);
    case 'jsonl':
      return new JsonlFileSource(parsed, onInvalid ? { onInvalid } : {});
    case 'folder':
      return new FolderSource(parsed);
    default: {
      const unknownKind: never = parsed;
      throw new Error(`Unknown source kind: ${JSON.stringify(unknownKind)}`);
    }
  }
}
