import type { ChannelAdapter } from './interface';

/** Every platform's adapter, by platform name: the API route and the worker look them up here. */
export const channelAdapters: ReadonlyMap<string, ChannelAdapter<any, any, any>> = new Map<string, ChannelAdapter<any, any, any>>([]);
