// The JavaScript stack of a Node process whose thread is busy (a synchronous `while (true) {}`),
// where a diagnostic report cannot be written (it is produced on that same thread). SIGUSR1
// starts Node's inspector on its own thread (the port comes from --inspect-port=0 in
// NODE_OPTIONS, set by attach.ts, and is announced on stderr: the run's log); the inspector's
// Debugger.pause interrupts the running JavaScript and Debugger.paused carries the call frames.
// The `ws` library speaks the WebSocket protocol (leakhunt runs on Node 20, whose WebSocket
// client is still behind a flag). It kills nothing and never throws: undefined when it cannot.
import { open } from 'node:fs/promises';
import WebSocket from 'ws';

const LISTENING = /Debugger listening on (ws:\/\/\S+)/;
const POLL_MS = 25;

interface CallFrame {
  readonly functionName: string;
  readonly location: { readonly scriptId: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly url?: string;
}

/** "node pid 42 paused:\n  at spin (/p/t.test.js:2:30)\n…", or undefined by `deadline` (ms since epoch). */
export async function inspectorStack(pid: number, logPath: string, deadline: number): Promise<string | undefined> {
  const offset = await sizeOf(logPath);
  try {
    process.kill(pid, 'SIGUSR1');
  } catch {
    return undefined; // exited meanwhile
  }
  const url = await announcedUrl(logPath, offset, deadline);
  if (url === undefined) return undefined;
  const frames = await pausedFrames(url, deadline);
  if (frames === undefined) return undefined;
  return [`node pid ${pid} paused (inspector):`, ...frames].join('\n');
}

async function announcedUrl(logPath: string, offset: number, deadline: number): Promise<string | undefined> {
  while (Date.now() < deadline) {
    const match = LISTENING.exec(await readFrom(logPath, offset));
    if (match?.[1] !== undefined) return match[1];
    await sleep(POLL_MS);
  }
  return undefined;
}

/** Connects, enables the debugger (learning each script's url), pauses, reads the frames. */
function pausedFrames(url: string, deadline: number): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const scripts = new Map<string, string>();
    const socket = new WebSocket(url, { handshakeTimeout: Math.max(1, deadline - Date.now()) });
    const finish = (frames: string[] | undefined): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve(frames);
    };
    const timer = setTimeout(() => finish(undefined), Math.max(1, deadline - Date.now()));
    let id = 0;
    const send = (method: string): void => socket.send(JSON.stringify({ id: (id += 1), method, params: {} }));
    socket.on('open', () => {
      send('Debugger.enable');
      send('Debugger.pause');
    });
    socket.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as {
        method?: string;
        params?: { scriptId?: string; url?: string; callFrames?: CallFrame[] };
      };
      if (message.method === 'Debugger.scriptParsed' && message.params?.scriptId !== undefined) {
        scripts.set(message.params.scriptId, message.params.url ?? '');
      } else if (message.method === 'Debugger.paused') {
        finish((message.params?.callFrames ?? []).map((frame) => describeFrame(frame, scripts)));
      }
    });
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
  });
}

function describeFrame(frame: CallFrame, scripts: ReadonlyMap<string, string>): string {
  const url = (frame.url || scripts.get(frame.location.scriptId) || '<unknown>').replace(/^file:\/\//, '');
  return `  at ${frame.functionName || '<anonymous>'} (${url}:${frame.location.lineNumber + 1}:${frame.location.columnNumber + 1})`;
}

async function sizeOf(file: string): Promise<number> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return 0;
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

async function readFrom(file: string, offset: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return '';
  try {
    const size = (await handle.stat()).size;
    if (size <= offset) return '';
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
