export { createApp, MAX_BODY_BYTES } from './app';
export type { App } from './app';
export type { AppDeps } from './context';
export { startServer } from './server';
export type { RunningServer } from './server';
