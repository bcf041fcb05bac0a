/** What every example shares to start from the command line and to be started by its test. */
import { pathToFileURL } from 'node:url';
import type { Provider } from 'latchkey';

/** A started example: its provider (to register clients), its issuer, and how to stop it. */
export interface RunningExample {
  provider: Provider;
  issuer: string;
  close(): Promise<void>;
}

/**
 * Starts the example on port 3000 (or `PORT`) when its file is run directly, registers a demo
 * client and prints how to use it.
 */
export async function runWhenMain(moduleUrl: string, start: (port: number) => Promise<RunningExample>): Promise<void> {
  if (process.argv[1] === undefined || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  const example = await start(Number(process.env.PORT ?? 3000));
  const client = await example.provider.registerClient({ client_name: 'Demo app', redirect_uris: ['http://localhost:8080/callback'] });
  console.log(`issuer:        ${example.issuer}`);
  console.log(`client_id:     ${client.client_id}`);
  console.log(`client_secret: ${client.client_secret}`);
  console.log('user:          ada / analytical engine');
  process.once('SIGINT', () => void example.close().then(() => process.exit(0)));
}
