/**
 * Test harness for the dashboard demo: starts `src/main.ts` as a child process on a free port and
 * a real Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core) with a throwaway
 * profile. Used by the browser test; nothing here is mocked.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));

export const CHROMIUM = '/usr/bin/chromium';

// Flags for a headless Chromium that touches nothing outside its temp profile (no GPU, no
// network of its own, no first-run UI).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningDemo {
  /** The dashboard's URL, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Everything the demo printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the demo with these flags plus `--port 0`; resolves once it prints its URL. */
export function startDemo(flags: string[]): Promise<RunningDemo> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', '--port', '0', ...flags],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the demo printed no URL within 60 s:\n${output}`));
    }, 60_000);
    const onData = () => {
      const url = output.match(/Dashboard: (http:\/\/\S+)/)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({ url, output: () => output, stop });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code} before printing its URL:\n${output}`));
    });
  });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh temp profile and temp XDG dirs; all removed by `close()`. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does it in CI`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'redrive-chromium-'));
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache') },
    viewport: { width: 1440, height: 960 },
    locale: 'en-US',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
