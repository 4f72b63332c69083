import { spawn, type ChildProcess } from 'node:child_process';

/** The test's own redis-server (no persistence) on `port`: resolves once it says it accepts connections (throws after `ms`). */
export async function startRedis(port: number, ms = 10_000): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server on ${port} is not ready: ${log}`)), ms);
    // its log keeps being read (and dropped) so that the pipe never fills
    child.stdout!.on('data', (chunk) => {
      if (log.length < 10_000) log += String(chunk);
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on ${port} exited (${code ?? signal}): ${log}`));
    });
  });
  return child;
}

export async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
