import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface NodeProcess {
  child: ChildProcess;
  /** Resolves when the child printed "ready"; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** Sends SIGKILL and waits for the exit. */
  kill(): Promise<void>;
  /** Sends SIGTERM and waits for a clean exit. */
  stop(): Promise<void>;
  stderr(): string;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./nodeChild.ts', import.meta.url));

/** Starts a node in a child process (`script` defaults to the test-machine node). */
export function spawnNodeProcess(env: Record<string, string>, script = CHILD_SCRIPT): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
  });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve();
    });
    void exited.then((code) => reject(new Error(`node process exited with ${code} before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined);

  return {
    child,
    ready,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    stderr: () => stderr,
  };
}
