// A tiny HTTP fault proxy for the sync suites: sits between store nodes and head office and
// can cut the link (connections refused with a reset), delay every request, send every
// request upstream twice (the duplicate's answer is thrown away), or let a node's later push
// overtake its earlier one (`overtake()`: once, the next push that names no `after` is held
// until a push that names one has been answered, or 10 s). `state.statuses` counts the
// answers by path and status.
import http from 'node:http';

export async function startFaultProxy(target) {
  const upstream = new URL(target);
  // paths: how many requests arrived for each path (without its query), cut or not.
  const state = { cut: false, delayMs: 0, duplicate: false, requests: 0, refused: 0, paths: {}, statuses: {}, overtaken: 0 };
  let overtaking = null;  // {overtaken: Promise, done(): void} while overtake() is on
  const forward = (req, body) => new Promise((resolve, reject) => {
    const r = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: upstream.host },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    r.end(body);
  });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      state.requests++;
      const p = req.url.split('?')[0];
      state.paths[p] = (state.paths[p] ?? 0) + 1;
      if (state.cut) { state.refused++; req.socket.destroy(); return; }
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      try {
        const body = Buffer.concat(chunks);
        let names = null;  // while overtaking: whether this push names the one before it
        if (overtaking && p === '/api/v1/sync/documents') {
          names = Object.hasOwn(JSON.parse(body.toString()), 'after');
          if (!names) await Promise.race([overtaking.overtaken, new Promise((r) => setTimeout(r, 10_000))]);
        }
        if (state.duplicate) await forward(req, body).catch(() => {});
        const answer = await forward(req, body);
        const counts = (state.statuses[p] ??= {});
        counts[answer.status] = (counts[answer.status] ?? 0) + 1;
        if (names && overtaking) {
          state.overtaken++;
          overtaking.done();
          overtaking = null;
        }
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      } catch {
        req.socket.destroy();
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    state,
    cut() { state.cut = true; },
    restore() { state.cut = false; state.delayMs = 0; state.duplicate = false; },
    overtake() {
      let done;
      const overtaken = new Promise((r) => { done = r; });
      overtaking = { overtaken, done };
    },
    async stop() { server.closeAllConnections(); await new Promise((r) => server.close(r)); },
  };
}
