// Drives Debian's headless Chromium over the DevTools protocol on a pipe (--remote-debugging-
// pipe: fd 3 in, fd 4 out, NUL-separated JSON), so a screenshot can cover the whole page, which
// the --screenshot flag cannot (it captures the window only). No puppeteer/playwright needed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--remote-debugging-pipe',
];

/**
 * Loads `url` at `width`×`height` CSS pixels and writes a PNG of the page from `fromY` down, at
 * most `maxHeight` tall (default: to the end of the page); returns the page's full height.
 */
export async function screenshotFullPage(
  chromium,
  url,
  pngPath,
  { width = 1280, height = 900, fromY = 0, maxHeight = Infinity, timeoutMs = 90_000 } = {},
) {
  const profile = mkdtempSync(join(tmpdir(), 'leakhunt-cdp-'));
  const child = spawn(chromium, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const cdp = connect(child);
    const { targetInfos } = await cdp.send('Target.getTargets');
    const page = targetInfos.find((target) => target.type === 'page');
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
    const call = (method, params) => cdp.send(method, params, sessionId);
    await call('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    await call('Page.enable');
    const loaded = cdp.event('Page.loadEventFired');
    await call('Page.navigate', { url });
    await loaded;
    const { cssContentSize } = await call('Page.getLayoutMetrics');
    const fullHeight = Math.max(height, Math.ceil(cssContentSize.height));
    const clip = { x: 0, y: fromY, width, height: Math.min(maxHeight, fullHeight - fromY), scale: 1 };
    const { data } = await call('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip });
    writeFileSync(pngPath, Buffer.from(data, 'base64'));
    await cdp.send('Browser.close').catch(() => undefined);
    return fullHeight;
  } finally {
    clearTimeout(timer);
    // The profile can be removed only once Chromium stopped writing to it.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

function connect(child) {
  const pending = new Map();
  const waiters = new Map();
  let nextId = 1;
  let buffer = '';
  child.stdio[4].setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined) settle(pending, message);
      else waiters.get(message.method)?.(message.params);
    }
  });
  child.on('exit', () => {
    for (const { reject } of pending.values()) reject(new Error('chromium exited'));
  });
  return {
    send(method, params = {}, sessionId) {
      const id = nextId++;
      child.stdio[3].write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
    },
    event(method) {
      return new Promise((resolve) => waiters.set(method, resolve));
    },
  };
}

function settle(pending, message) {
  const call = pending.get(message.id);
  pending.delete(message.id);
  if (message.error) call?.reject(new Error(`${call.method}: ${message.error.message}`));
  else call?.resolve(message.result);
}
