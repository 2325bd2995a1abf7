export { loadConfig, envSchema, ConfigError } from './config';
export type { Config, Env, EmbeddingsSettings } from './config';
export { createLogger } from './logger';
export type { Logger } from './logger';
export { SecretBox, createSecretBox, redactSecrets } from './secret-box';
export { timeZoneSchema } from './time-zone';
