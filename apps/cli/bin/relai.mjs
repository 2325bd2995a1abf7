#!/usr/bin/env node
// The operators' entry point. TypeScript sources run through tsx: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
