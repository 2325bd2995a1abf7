import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '@relai/config';
import type { App } from './app';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function startServer(app: App, http: Config['http']): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, hostname: http.host, port: http.port }, (info) => {
        resolve({
          url: `http://${info.address.includes(':') ? 'localhost' : info.address}:${info.port}`,
          close: () => new Promise((done) => server.close(() => done())),
        });
      });
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`Port ${http.port} is already in use: stop what uses it or set PORT to another port`)
            : error,
        );
      });
    } catch (error) {
      reject(error);
    }
  });
}
