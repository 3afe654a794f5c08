// The servers of the hostile-repository suite: the attacker's listener that records every byte,
// a forwarder that puts the fake model server on a provider's default port, and model servers
// that misbehave the way real ones do (silent, trickling, flooding, answering with a web page).
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, connect, type Server, type Socket } from "node:net";
import type { FakeServer } from "../helpers/fake-openai-server.js";

export interface Attacker {
  /** "http://127.0.0.1:PORT/v1" */
  readonly url: string;
  readonly port: number;
  /** Connections accepted and every byte received on them. */
  received(): { readonly connections: number; readonly bytes: string };
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`127.0.0.1:${port} is in use; this case needs that port free (it is a provider's default port)`) : error),
    );
    server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

/**
 * The attacker's server: records every byte of every connection and answers 401, so a client that
 * did send a key ends quickly. `port` 0 picks a free one; a provider's default port (vLLM's 8000)
 * stands for the attacker's server on the machine.
 */
export async function startAttacker(port = 0): Promise<Attacker> {
  let connections = 0;
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "no", type: "invalid_request_error", code: "invalid_api_key" } }));
    });
  });
  server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => sockets.delete(socket));
  });
  const bound = await listen(server, port);
  return {
    url: `http://127.0.0.1:${bound}/v1`,
    port: bound,
    received: () => ({ connections, bytes: Buffer.concat(chunks).toString("latin1") }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Forwards 127.0.0.1:`port` to `target` (the fake model server at a provider's default port). */
export async function forwardPort(port: number, target: FakeServer): Promise<{ close(): Promise<void> }> {
  const targetPort = Number(new URL(target.baseUrl).port);
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  await listen(server, port);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** How a misbehaving model server answers every request. */
export type Misbehaviour =
  /** The 200 and headers of a stream, then nothing at all. */
  | "silent"
  /** SSE keep-alive comments, forever. */
  | "comments"
  /** Chunks whose delta is empty, forever. */
  | "empty-deltas"
  /** Content as fast as the client reads it, `floodBytes` in all, then [DONE]. */
  | "flood"
  /** A 200 with an HTML page (a captive portal or a proxy's login page). */
  | "html";

export interface MisbehavingServer {
  readonly baseUrl: string;
  requests(): number;
  close(): Promise<void>;
}

/** A model server that misbehaves the way `kind` says; `floodBytes` bounds a flood. */
export async function startMisbehavingServer(kind: Misbehaviour, floodBytes = 64 * 1024 * 1024): Promise<MisbehavingServer> {
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const chunk = (delta: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  const server = createHttpServer((req, res) => {
    requests += 1;
    req.resume();
    if (kind === "html") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><html><body><h1>Sign in to the network</h1></body></html>");
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.flushHeaders();
    if (kind === "silent") return;
    if (kind === "flood") {
      const piece = chunk({ content: "y".repeat(64 * 1024) });
      let sent = 0;
      const pump = () => {
        while (sent < floodBytes) {
          sent += 64 * 1024;
          if (!res.write(piece)) return void res.once("drain", pump);
        }
        res.end("data: [DONE]\n\n");
      };
      res.on("error", () => {});
      pump();
      return;
    }
    // The server's own behaviour, not a wait in the test: a trickle every 100 ms.
    const timer = setInterval(() => res.write(kind === "comments" ? ": keep-alive\n\n" : chunk({})), 100);
    timers.add(timer);
    res.on("close", () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server, 0);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
