// The Hootsuite channel's public surface, for the package index and the worker.
export { hootsuiteAdapter } from './hootsuite-adapter';
export { hootsuiteSecretsSchema, hootsuiteSettingsSchema } from './settings';
export type { HootsuiteSecrets, HootsuiteSettings, HootsuiteSettingsInput } from './settings';
export { sweepHootsuiteTimeouts } from './sweep-timeouts';
export type { HootsuiteTimeoutHandoff, HootsuiteTimeoutSweepReport } from './sweep-timeouts';
